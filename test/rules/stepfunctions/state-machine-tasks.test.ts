import * as path from 'path';
import { App, CustomResource, Duration, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import * as cr from 'aws-cdk-lib/custom-resources';
import { StateMachineTasks } from '../../../src/rules/stepfunctions/state-machine-tasks';
import { findingsOf, lines, shop, testApp } from '../rule-harness';

const BARE = StateMachineTasks.BARE_ARN.id;
const RETRY = StateMachineTasks.WITHOUT_RETRY.id;

function c13(app: App) {
  return findingsOf(app, [BARE, RETRY]);
}

function handler(stack: Stack, id: string) {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
}

const RETRY_ALL = [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 }];

function machine(stack: Stack, id: string, states: Record<string, unknown>, startAt = Object.keys(states)[0]) {
  return new sfn.CfnStateMachine(stack, id, { roleArn: 'arn:aws:iam::123456789012:role/sfn', definition: { StartAt: startAt, States: states } });
}

describe('StateMachineTasks', () => {
  test('passes an L2 LambdaInvoke task and fails one that calls the bare function ARN (payloadResponseOnly) without retries', () => {
    const { app, stack } = shop();
    new sfn.StateMachine(stack, 'Good', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Post', { lambdaFunction: handler(stack, 'Fn') })) });
    new sfn.StateMachine(stack, 'Legacy', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Settle', { lambdaFunction: handler(stack, 'Settler'), payloadResponseOnly: true, retryOnServiceExceptions: false })),
    });
    const findings = c13(app);
    expect(lines(findings)).toEqual([`${BARE} Shop/Legacy/Resource`, `${RETRY} Shop/Legacy/Resource`]);
    expect(findings.find(f => f.ruleId === BARE)).toMatchObject({
      severity: 'error',
      locations: ['Properties/DefinitionString'],
      message: expect.stringMatching(/^AWS::StepFunctions::StateMachine Legacy[0-9A-F]{8} has Task state "Settle" that calls a Lambda function by its bare ARN instead of arn:aws:states:::lambda:invoke\.$/),
      fix: expect.stringContaining('InvokeFunctionTask'),
    });
    expect(findings.find(f => f.ruleId === RETRY)?.message).toMatch(/^AWS::StepFunctions::StateMachine Legacy[0-9A-F]{8} has Task state "Settle" without Retry, so one transient error fails the whole execution\.$/);
  });

  test('fails an L2 task of another service without retries, and passes it with addRetry', () => {
    const { app, stack } = shop();
    const send = new tasks.SqsSendMessage(stack, 'Send', { queue: new sqs.Queue(stack, 'Queue'), messageBody: sfn.TaskInput.fromText('settled') });
    const retried = new tasks.LambdaInvoke(stack, 'Invoke', { lambdaFunction: handler(stack, 'Fn'), retryOnServiceExceptions: false });
    retried.addRetry({ maxAttempts: 3, interval: Duration.seconds(2) });
    new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(retried.next(new sfn.Pass(stack, 'Done'))) });
    new sfn.StateMachine(stack, 'Other', { definitionBody: sfn.DefinitionBody.fromChainable(send) });
    expect(lines(c13(app))).toEqual([`${RETRY} Shop/Other/Resource`]);
  });

  test('walks L1 definitions through Parallel branches, Map processors and iterators, with literal and referenced ARNs', () => {
    const { app, stack } = shop();
    const fn = handler(stack, 'Fn');
    const alias = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: fn.currentVersion });
    machine(stack, 'Machine', {
      Fan: {
        Type: 'Parallel',
        End: true,
        Branches: [
          { StartAt: 'Literal', States: { Literal: { Type: 'Task', Resource: 'arn:aws:lambda:eu-west-1:123456789012:function:post', Retry: RETRY_ALL, End: true } } },
          { StartAt: 'Invoke', States: { Invoke: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: fn.functionArn }, End: true } } },
        ],
      },
    });
    machine(stack, 'Mapped', {
      Each: {
        Type: 'Map',
        End: true,
        ItemProcessor: { StartAt: 'ByGetAtt', States: { ByGetAtt: { Type: 'Task', Resource: fn.functionArn, Retry: RETRY_ALL, End: true } } },
      },
      Old: {
        Type: 'Map',
        End: true,
        Iterator: { StartAt: 'ByAlias', States: { ByAlias: { Type: 'Task', Resource: alias.functionArn, Retry: [], End: true } } },
      },
    });
    const findings = c13(app);
    expect(lines(findings)).toEqual([`${BARE} Shop/Machine`, `${BARE} Shop/Mapped`, `${RETRY} Shop/Machine`, `${RETRY} Shop/Mapped`]);
    const message = (id: string, logicalId: string) => findings.find(f => f.ruleId === id && f.logicalId === logicalId)!.message;
    expect(message(BARE, 'Machine')).toContain('has Task state "Fan/branch 0/Literal" that call');
    expect(message(RETRY, 'Machine')).toContain('has Task state "Fan/branch 1/Invoke" without Retry');
    expect(message(BARE, 'Mapped')).toContain('has Task states "Each/ByGetAtt", "Old/ByAlias" that call');
    expect(message(RETRY, 'Mapped')).toContain('has Task state "Old/ByAlias" without Retry');
  });

  test('reads DefinitionString literals, joins with intrinsics in and out of strings, and definition substitutions', () => {
    const { app, stack } = shop();
    const fn = handler(stack, 'Fn');
    new sfn.CfnStateMachine(stack, 'Literal', {
      roleArn: 'arn:aws:iam::123456789012:role/sfn',
      definitionString: JSON.stringify({ StartAt: 'A', States: { A: { Type: 'Task', Resource: 'arn:aws-cn:lambda:cn-north-1:123456789012:function:a', Retry: RETRY_ALL, End: true } } }),
    });
    new sfn.CfnStateMachine(stack, 'Joined', {
      roleArn: 'arn:aws:iam::123456789012:role/sfn',
      definitionString: Fn.join('', [
        '{"StartAt":"A","States":{"A":{"Type":"Task","TimeoutSeconds":', Fn.ref('Timeout'), ',"Resource":"arn:', Fn.ref('AWS::Partition'),
        ':lambda:eu-west-1:123456789012:function:a","Retry":[{"ErrorEquals":["States.ALL"]}],"Next":"B"},',
        '"B":{"Type":"Task","Resource":"arn:', Fn.ref('AWS::Partition'), ':states:::lambda:invoke","Parameters":{"FunctionName":"', fn.functionArn, '"},"End":true}}}',
      ]),
    });
    new sfn.CfnStateMachine(stack, 'Substituted', {
      roleArn: 'arn:aws:iam::123456789012:role/sfn',
      definition: { StartAt: 'A', States: { A: { Type: 'Task', Resource: '${Post}', Retry: RETRY_ALL, Next: 'B' }, B: { Type: 'Task', Resource: '${Unset}', Retry: RETRY_ALL, End: true } } },
      definitionSubstitutions: { Post: fn.functionArn },
    });
    expect(lines(c13(app))).toEqual([`${BARE} Shop/Joined`, `${BARE} Shop/Literal`, `${BARE} Shop/Substituted`, `${RETRY} Shop/Joined`]);
  });

  test('catches an escape hatch that removes the retry of an L2 task', () => {
    const { app, stack } = shop();
    const machineL2 = new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Post', { lambdaFunction: handler(stack, 'Fn') })) });
    (machineL2.node.defaultChild as sfn.CfnStateMachine).addPropertyOverride('DefinitionString', JSON.stringify({
      StartAt: 'Post', States: { Post: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'post' }, End: true } },
    }));
    expect(lines(c13(app))).toEqual([`${RETRY} Shop/Machine/Resource`]);
  });

  test('reports nothing on definitions it cannot parse, and does not crash on odd ones', () => {
    const { app, stack } = shop();
    const role = 'arn:aws:iam::123456789012:role/sfn';
    new sfn.CfnStateMachine(stack, 'FromS3', { roleArn: role, definitionS3Location: { bucket: 'b', key: 'k' } });
    new sfn.CfnStateMachine(stack, 'Conditional', { roleArn: role, definitionString: Fn.conditionIf('C', '{}', '{}').toString() });
    new sfn.CfnStateMachine(stack, 'Broken', { roleArn: role, definitionString: '{"StartAt": ' });
    new sfn.CfnStateMachine(stack, 'NotAnObject', { roleArn: role, definitionString: '[1, 2]' });
    new sfn.CfnStateMachine(stack, 'OddStates', { roleArn: role }).addPropertyOverride('Definition', {
      StartAt: 'A',
      States: { A: 'odd', P: { Type: 'Parallel', Branches: ['odd', { States: 42 }] }, M: { Type: 'Map' }, T: { Type: 'Task', Resource: 42, Retry: RETRY_ALL, End: true } },
    });
    new sfn.CfnStateMachine(stack, 'OddJoin', { roleArn: role }).addPropertyOverride('DefinitionString', { 'Fn::Join': ['', { Ref: 'Pieces' }] });
    new sfn.CfnStateMachine(stack, 'IntrinsicResource', {
      roleArn: role,
      definitionString: Fn.join('', ['{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"', Fn.importValue('FunctionArn'), '","Retry":[{"ErrorEquals":["States.ALL"]}],"End":true}}}']),
    });
    expect(c13(app)).toEqual([]);
  });

  test('judges an included raw template whose definition is an Fn::Sub, and not a machine whose condition is false at synth', () => {
    const app = testApp();
    const stack = new Stack(app, 'Trades', { env: { account: '123456789012', region: 'eu-west-1' } });
    new cfninc.CfnInclude(stack, 'Legacy', { templateFile: path.join(__dirname, '..', 'fixtures', 'included-trade-processing.json') });
    const findings = c13(app);
    expect(lines(findings)).toEqual([`${BARE} Trades/Legacy/TradeProcessingStateMachine`, `${RETRY} Trades/Legacy/TradeProcessingStateMachine`]);
    expect(findings.map(f => f.message)).toEqual([
      expect.stringContaining('"Validate" that calls a Lambda function by its bare ARN'),
      expect.stringContaining('Task state "Validate" without Retry'),
    ]);
  });

  test('fails a task of a nested stack calling, by its bare ARN, a function its parent passes in', () => {
    const { app, stack } = shop();
    const settler = handler(stack, 'Settler');
    const jobs = new NestedStack(stack, 'Jobs');
    machine(jobs, 'Settle', { Settle: { Type: 'Task', Resource: settler.functionArn, Retry: RETRY_ALL, End: true } });
    machine(jobs, 'Invoke', {
      Settle: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: settler.functionArn }, Retry: RETRY_ALL, End: true },
    });
    expect(lines(c13(app))).toEqual([`${BARE} Shop/Jobs/Settle`]);
  });

  test('fails a task of one stack calling, by its bare ARN, a function another stack exports', () => {
    const app = testApp();
    const settler = handler(new Stack(app, 'Functions'), 'Settler');
    machine(new Stack(app, 'Flows'), 'Settle', { Settle: { Type: 'Task', Resource: settler.functionArn, Retry: RETRY_ALL, End: true } });
    expect(lines(c13(app))).toEqual([`${BARE} Flows/Settle`]);
  });

  test('leaves alone the waiter of a custom-resources Provider, CDK\'s deploy-time machinery, and judges a machine of the app that calls the same function', () => {
    const { app, stack } = shop();
    const provider = new cr.Provider(stack, 'SeedProvider', { onEventHandler: handler(stack, 'Seed'), isCompleteHandler: handler(stack, 'SeedDone') });
    new CustomResource(stack, 'Data', { serviceToken: provider.serviceToken });
    machine(stack, 'Poll', { Poll: { Type: 'Task', Resource: handler(stack, 'Check').functionArn, End: true } });
    expect(lines(c13(app))).toEqual([`${BARE} Shop/Poll`, `${RETRY} Shop/Poll`]);
  });
});

