import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { DataKey } from '../../src/data/data-key';
import { InvokeFunctionTask } from '../../src/workflow/invoke-function-task';
import { TracedStateMachine, TracedStateMachineProps } from '../../src/workflow/traced-state-machine';
import { CONFIG, stackIn, synthReport, testApp } from '../support/fintech-fixture';

function machine(stack: Stack, props: Partial<TracedStateMachineProps> = {}): TracedStateMachine {
  return new TracedStateMachine(stack, 'Settlement', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Start')), ...props });
}

describe('TracedStateMachine', () => {
  test('standard, traced, logging ALL with execution data to its own log group', () => {
    const stack = stackIn(testApp(), 'dev');
    const sm = machine(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: stack.resolve(sm.logGroup.logGroupArn) } }],
      },
      StateMachineName: Match.absent(),
    });
  });

  test('the log group is encrypted with a key that allows CloudWatch Logs', () => {
    const stack = stackIn(testApp(), 'dev');
    const sm = machine(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: stack.resolve(sm.dataKey.key.keyArn) });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logs.eu-west-1.amazonaws.com' } })]) },
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ledger-workload-settlementlogs-dev' });
  });

  test('log retention and removal follow the stage', () => {
    const app = testApp();
    const dev = stackIn(app, 'dev');
    const prod = stackIn(app, 'prod');
    machine(dev);
    machine(prod);
    Template.fromStack(dev).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: { RetentionInDays: 7 } });
    Template.fromStack(prod).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365, DeletionProtectionEnabled: true } });
  });

  test('named by PhysicalName, with a vended-logs log group of the same name, when nameBase is given', () => {
    const stack = stackIn(testApp(), 'prod');
    machine(stack, { nameBase: 'settlement' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'ledger-settlement-prod' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/states/ledger-settlement-prod' });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ledger-settlement-workflow-prod' });
  });

  test('takes an express type, a log level, execution data, retention and a key', () => {
    const stack = stackIn(testApp(), 'dev');
    const key = new DataKey(stack, 'Shared', { aliasBase: 'workflows' });
    machine(stack, {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      logLevel: sfn.LogLevel.ERROR,
      includeExecutionData: false,
      logRetention: logs.RetentionDays.ONE_MONTH,
      dataKey: key,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'EXPRESS',
      LoggingConfiguration: { Level: 'ERROR', IncludeExecutionData: false },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30, KmsKeyId: stack.resolve(key.key.keyArn) });
    template.resourceCountIs('AWS::KMS::Key', 1);
  });

  test('refuses logLevel OFF with the construct path and the fix', () => {
    expect(() => machine(stackIn(testApp(), 'dev'), { logLevel: sfn.LogLevel.OFF }))
      .toThrow('TracedStateMachine at dev/Workload/Settlement: logLevel is OFF, so failed executions could not be investigated; use sfn.LogLevel.ERROR for the least logging, or drop logLevel for ALL.');
  });

  test('with an InvokeFunctionTask, passes the rule pack in both kinds of stage', () => {
    const app = testApp();
    for (const stageName of ['dev', 'prod'] as const) {
      const stack = stackIn(app, stageName, { ...CONFIG, alarmEmail: 'oncall@example.com' });
      const fn = new lambda.Function(stack, 'Charge', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async e => e') });
      const task = new InvokeFunctionTask(stack, 'ChargeCard', { lambdaFunction: fn });
      new TracedStateMachine(stack, 'Settlement', { nameBase: 'settlement', definitionBody: sfn.DefinitionBody.fromChainable(task) });
    }
    const { violations } = synthReport(app);
    // The plain lambda.Function stands in for any function; only the state machine's findings matter here.
    const ours = violations.filter(v => !v.constructPath.includes('/Charge/') && v.severity === 'error');
    expect(ours.map(v => `${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
  });
});
