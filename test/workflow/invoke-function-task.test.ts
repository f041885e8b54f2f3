import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { InvokeFunctionTask, InvokeFunctionTaskProps } from '../../src/workflow/invoke-function-task';
import { stackIn, testApp } from '../support/fintech-fixture';

function fn(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'Charge', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async e => e') });
}

// The rendered Amazon States Language of a state machine whose definition starts with `start`.
function statesOf(stack: Stack, start: sfn.IChainable): Record<string, any> {
  const machine = new sfn.StateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(start) });
  const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::StepFunctions::StateMachine'));
  const definition = resource.Properties.DefinitionString;
  // The definition is a Fn::Join of literal text, the partition and the function ARN, which becomes a marker.
  const text = (definition['Fn::Join'][1] as unknown[])
    .map(part => (typeof part === 'string' ? part : JSON.stringify(part) === '{"Ref":"AWS::Partition"}' ? 'aws' : 'FUNCTION_ARN'))
    .join('');
  expect(machine.stateMachineArn).toBeDefined();
  return JSON.parse(text).States;
}

function task(stack: Stack, props: Partial<InvokeFunctionTaskProps> = {}): InvokeFunctionTask {
  return new InvokeFunctionTask(stack, 'ChargeCard', { lambdaFunction: fn(stack), ...props });
}

describe('InvokeFunctionTask', () => {
  test('invokes through the lambda:invoke integration with the function name as a parameter, never the bare ARN', () => {
    const stack = stackIn(testApp(), 'dev');
    const states = statesOf(stack, task(stack));
    expect(states.ChargeCard.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(states.ChargeCard.Parameters).toEqual({ 'FunctionName': 'FUNCTION_ARN', 'Payload.$': '$' });
  });

  test('retries Lambda service errors and throttling with exponential backoff and full jitter', () => {
    const stack = stackIn(testApp(), 'dev');
    const states = statesOf(stack, task(stack));
    expect(states.ChargeCard.Retry).toEqual([{
      ErrorEquals: ['Lambda.ServiceException', 'Lambda.AWSLambdaException', 'Lambda.SdkClientException', 'Lambda.TooManyRequestsException', 'Lambda.ClientExecutionTimeoutException'],
      IntervalSeconds: 2,
      MaxAttempts: 6,
      BackoffRate: 2,
      JitterStrategy: 'FULL',
    }]);
  });

  test('catches every other error into $.error and fails with its error and cause', () => {
    const stack = stackIn(testApp(), 'dev');
    const states = statesOf(stack, task(stack));
    expect(states.ChargeCard.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'ChargeCard failed' }]);
    expect(states['ChargeCard failed']).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });

  test('takes retry settings, a failure state and an error path', () => {
    const stack = stackIn(testApp(), 'dev');
    const refund = new sfn.Pass(stack, 'Refund');
    const states = statesOf(stack, task(stack, {
      retryInterval: Duration.seconds(1),
      retryMaxAttempts: 3,
      retryBackoffRate: 1.5,
      retryJitter: sfn.JitterType.NONE,
      failureState: refund,
      errorPath: '$.chargeError',
    }));
    expect(states.ChargeCard.Retry[0]).toMatchObject({ IntervalSeconds: 1, MaxAttempts: 3, BackoffRate: 1.5, JitterStrategy: 'NONE' });
    expect(states.ChargeCard.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.chargeError', Next: 'Refund' }]);
    expect(states['ChargeCard failed']).toBeUndefined();
  });

  test('two tasks in one state machine get failure states of their own', () => {
    const stack = stackIn(testApp(), 'dev');
    const lambdaFunction = fn(stack);
    const charge = new InvokeFunctionTask(stack, 'ChargeCard', { lambdaFunction });
    const notify = new InvokeFunctionTask(stack, 'NotifyPayer', { lambdaFunction, invocationType: tasks.LambdaInvocationType.EVENT });
    const states = statesOf(stack, charge.next(notify));
    expect(Object.keys(states).sort()).toEqual(['ChargeCard', 'ChargeCard failed', 'NotifyPayer', 'NotifyPayer failed']);
  });

  test('grants the state machine lambda:InvokeFunction on the function only', () => {
    const stack = stackIn(testApp(), 'dev');
    statesOf(stack, task(stack));
    const template = Template.fromStack(stack);
    const [policy] = Object.values(template.findResources('AWS::IAM::Policy'));
    expect(policy.Properties.PolicyDocument.Statement).toEqual([expect.objectContaining({
      Action: 'lambda:InvokeFunction',
      Resource: [{ 'Fn::GetAtt': [expect.stringMatching(/^Charge/), 'Arn'] }, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [expect.stringMatching(/^Charge/), 'Arn'] }, ':*']] }],
    })]);
  });

  describe('bad input fails with the construct path and the fix', () => {
    test('JSONata', () => {
      expect(() => task(stackIn(testApp(), 'dev'), { queryLanguage: sfn.QueryLanguage.JSONATA }))
        .toThrow('InvokeFunctionTask at dev/Workload/ChargeCard: queryLanguage is JSONATA, but InvokeFunctionTask keeps the caught error at a JSONPath (errorPath); drop queryLanguage or set it to JSON_PATH for this task.');
    });

    test.each([-1, 2.5])('retryMaxAttempts %p', retryMaxAttempts => {
      expect(() => task(stackIn(testApp(), 'dev'), { retryMaxAttempts }))
        .toThrow(`InvokeFunctionTask at dev/Workload/ChargeCard: retryMaxAttempts ${retryMaxAttempts} must be a whole number, 0 or more; use the default 6 unless the function must not be invoked twice.`);
    });

    test('retryBackoffRate below 1', () => {
      expect(() => task(stackIn(testApp(), 'dev'), { retryBackoffRate: 0.5 }))
        .toThrow('InvokeFunctionTask at dev/Workload/ChargeCard: retryBackoffRate 0.5 is below 1, so retries would come faster and faster; use 1 (fixed wait) or more, default 2.');
    });

    test('errorPath that is not a JSONPath', () => {
      expect(() => task(stackIn(testApp(), 'dev'), { errorPath: 'error' }))
        .toThrow('InvokeFunctionTask at dev/Workload/ChargeCard: errorPath "error" is not a JSONPath into the state input; use a path such as "$.error".');
    });
  });
});
