import * as path from 'path';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, Aws, Duration, Stack } from 'aws-cdk-lib';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { InvokeFunctionTask, NameKind, PhysicalName, TracedFunction, TracedStateMachine } from '../src';
import { integStage } from './integ-stage';

// A TracedStateMachine whose InvokeFunctionTask calls a TracedFunction through lambda:invoke runs to SUCCEEDED.
const app = new App();
const stage = integStage(app, 'workflows', 'platform-alerts@example.com');
const stack = new Stack(stage, 'InvokeFunctionTask');
const settle = new TracedFunction(stack, 'Settle', { entry: path.join(__dirname, 'handlers', 'echo.ts'), nameBase: 'settle' });
const invoke = new InvokeFunctionTask(stack, 'SettlePayment', { lambdaFunction: settle, outputPath: '$.Payload' });
const machine = new TracedStateMachine(stack, 'Settlement', {
  nameBase: 'settlement',
  definitionBody: sfn.DefinitionBody.fromChainable(invoke.next(new sfn.Succeed(stack, 'Settled'))),
});

// Assertions name the state machine by physical name: a token would be a reference across the stage boundary.
const machineName = PhysicalName.of(machine, 'settlement', { kind: NameKind.STATE_MACHINE });
const machineArn = `arn:${Aws.PARTITION}:states:${stage.environment.region}:${Aws.ACCOUNT_ID}:stateMachine:${machineName}`;
const integ = new IntegTest(app, 'InvokeFunctionTaskInteg', { testCases: [stack], regions: [stage.environment.region] });

const start = integ.assertions.awsApiCall('StepFunctions', 'startExecution', { stateMachineArn: machineArn, input: JSON.stringify({ paymentId: 'pay-1' }) });
start.next(integ.assertions
  .awsApiCall('StepFunctions', 'describeExecution', { executionArn: start.getAttString('executionArn') })
  .expect(ExpectedResult.objectLike({ status: 'SUCCEEDED' }))
  .waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) }));

app.synth();
