import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { SecureQueue } from '../../src/data/secure-queue';
import { SecureTopic } from '../../src/data/secure-topic';
import { DataKey } from '../../src/encryption/data-key';
import { UnmonitoredResource } from '../../src/rules/cloudwatch/unmonitored-resource';
import { SecureEventRule, SecureEventRuleProps } from '../../src/workflow/secure-event-rule';
import { CONFIG, stackIn, synthReport, testApp } from '../support/fintech-fixture';

const eventPattern = { source: ['ledger.payments'], detailType: ['PaymentSettled'] };

function rule(stack: Stack, props: Partial<SecureEventRuleProps> = {}): SecureEventRule {
  return new SecureEventRule(stack, 'Settled', { eventPattern, ...props });
}

function fn(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'Notify', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
}

// The key policy statement that lets EventBridge use a key, from the key of `keyArn`'s resource.
function eventsKeyStatement(template: Template, keyLogicalIdPrefix: string): any {
  const [key] = Object.entries(template.findResources('AWS::KMS::Key')).filter(([id]) => id.startsWith(keyLogicalIdPrefix)).map(([, r]) => r);
  return key.Properties.KeyPolicy.Statement.find((s: any) => s.Principal?.Service === 'events.amazonaws.com');
}

// The rule's one target: the given fields, `retry` as its RetryPolicy, and the rule's dead-letter queue.
function expectOnlyTarget(template: Template, r: SecureEventRule, retry: [attempts: number, maxAgeSeconds: number], fields: object = {}): void {
  const stack = Stack.of(r);
  template.hasResourceProperties('AWS::Events::Rule', {
    Targets: [Match.objectLike({
      ...fields,
      RetryPolicy: { MaximumRetryAttempts: retry[0], MaximumEventAgeInSeconds: retry[1] },
      DeadLetterConfig: { Arn: stack.resolve(r.deadLetterQueue!.queueArn) },
    })],
  });
}

describe('SecureEventRule', () => {
  test('a function target gets a retry policy and the rule\'s encrypted dead-letter queue', () => {
    const stack = stackIn(testApp(), 'dev');
    const r = rule(stack);
    r.addFunctionTarget(fn(stack));
    const template = Template.fromStack(stack);
    expectOnlyTarget(template, r, [10, 3600]);
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: Match.anyValue(), MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::Lambda::Permission', { Principal: 'events.amazonaws.com', SourceArn: stack.resolve(r.ruleArn) });
  });

  test('the dead-letter queue lets only EventBridge send, for this rule, over TLS', () => {
    const stack = stackIn(testApp(), 'dev');
    const r = rule(stack);
    r.addFunctionTarget(fn(stack));
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [stack.resolve(r.deadLetterQueue!.queueUrl)],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': stack.resolve(r.ruleArn) } } }),
        ]),
      },
    });
    const [policy] = Object.values(template.findResources('AWS::SQS::QueuePolicy'));
    const sids = policy.Properties.PolicyDocument.Statement.map((s: any) => s.Sid).filter(Boolean);
    expect(new Set(sids).size).toBe(sids.length);
  });

  test('the dead-letter key allows EventBridge for this rule\'s name when named, for the bus\'s rules of this account otherwise', () => {
    const named = stackIn(testApp(), 'prod');
    rule(named, { nameBase: 'settled' }).addFunctionTarget(fn(named));
    const namedTemplate = Template.fromStack(named);
    namedTemplate.hasResourceProperties('AWS::Events::Rule', { Name: 'ledger-settled-prod' });
    namedTemplate.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'ledger-settled-dlq-prod' });
    expect(eventsKeyStatement(namedTemplate, 'SettledDeadLettersKey')).toMatchObject({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Condition: {
        StringEquals: { 'aws:SourceAccount': '123456789012' },
        ArnLike: { 'aws:SourceArn': named.resolve(`arn:${named.partition}:events:eu-west-1:123456789012:rule/ledger-settled-prod`) },
      },
    });

    const unnamed = stackIn(testApp(), 'prod');
    rule(unnamed).addFunctionTarget(fn(unnamed));
    expect(eventsKeyStatement(Template.fromStack(unnamed), 'SettledDeadLettersKey').Condition.ArnLike).toEqual({
      'aws:SourceArn': unnamed.resolve(`arn:${unnamed.partition}:events:eu-west-1:123456789012:rule/*`),
    });
  });

  test('on a custom bus, the key allows rules of that bus', () => {
    const stack = stackIn(testApp(), 'prod');
    const bus = new events.EventBus(stack, 'Payments', { eventBusName: 'payments' });
    rule(stack, { nameBase: 'settled', eventBus: bus }).addFunctionTarget(fn(stack));
    expect(eventsKeyStatement(Template.fromStack(stack), 'SettledDeadLettersKey').Condition.ArnLike).toEqual({
      'aws:SourceArn': stack.resolve(`arn:${stack.partition}:events:eu-west-1:123456789012:rule/${bus.eventBusName}/ledger-settled-prod`),
    });
  });

  test('an encrypted SecureQueue target gets a queue policy and key grant for EventBridge, plus retries and the dead-letter queue', () => {
    const stack = stackIn(testApp(), 'prod');
    const queue = new SecureQueue(stack, 'Ledger');
    const r = rule(stack, { nameBase: 'settled' });
    r.addQueueTarget(queue, { message: events.RuleTargetInput.fromEventPath('$.detail') });
    const template = Template.fromStack(stack);
    expectOnlyTarget(template, r, [10, 3600], {
      Arn: stack.resolve(queue.queueArn),
      InputPath: '$.detail',
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [stack.resolve(queue.queueUrl)],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Condition: { ArnEquals: { 'aws:SourceArn': stack.resolve(r.ruleArn) } } })]) },
    });
    expect(eventsKeyStatement(template, 'LedgerKey').Condition.ArnLike).toEqual({
      'aws:SourceArn': stack.resolve(`arn:${stack.partition}:events:eu-west-1:123456789012:rule/ledger-settled-prod`),
    });
  });

  test('a state machine target gets retries, the dead-letter queue and a role allowed to start it', () => {
    const stack = stackIn(testApp(), 'dev');
    const machine = new sfn.StateMachine(stack, 'Settle', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')) });
    const r = rule(stack);
    r.addStateMachineTarget(machine, { retryAttempts: 3, maxEventAge: Duration.minutes(10) });
    const template = Template.fromStack(stack);
    expectOnlyTarget(template, r, [3, 600], {
      Arn: stack.resolve(machine.stateMachineArn),
      RoleArn: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'states:StartExecution', Resource: stack.resolve(machine.stateMachineArn) })] },
    });
  });

  test('a log group target gets retries, the dead-letter queue, and the resource policy that lets EventBridge write', () => {
    const stack = stackIn(testApp(), 'prod');
    const logGroup = new logs.LogGroup(stack, 'Events', { retention: logs.RetentionDays.ONE_YEAR });
    const r = rule(stack);
    r.addLogGroupTarget(logGroup, { retryAttempts: 4 });
    const template = Template.fromStack(stack);
    expectOnlyTarget(template, r, [4, 3600], {
      Arn: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:123456789012:log-group:', { Ref: stack.getLogicalId(logGroup.node.defaultChild as logs.CfnLogGroup) }]] },
    });
    // A native resource policy on the log group, not aws-events-targets' custom resource with logs:*ResourcePolicy on "*".
    template.resourceCountIs('Custom::CloudwatchLogResourcePolicy', 0);
    const [policy] = Object.values(template.findResources('AWS::Logs::ResourcePolicy'));
    const document = JSON.stringify(policy.Properties.PolicyDocument);
    expect(document).toContain('events.amazonaws.com');
    expect(document).toContain('logs:CreateLogStream');
    expect(document).toContain('logs:PutLogEvents');
    expect(() => r.addLogGroupTarget(logGroup, { retryAttempts: 186 })).toThrow(/addLogGroupTarget: retryAttempts/);

  });

  test('a SecureTopic target gets retries, the dead-letter queue, the message, and a key grant for this rule', () => {
    const stack = stackIn(testApp(), 'prod');
    const topic = new SecureTopic(stack, 'Settlements', { nameBase: 'settlements' });
    const r = rule(stack, { nameBase: 'settled' });
    r.addTopicTarget(topic, { message: events.RuleTargetInput.fromText('settled'), retryAttempts: 4 });
    const template = Template.fromStack(stack);
    expectOnlyTarget(template, r, [4, 3600], {
      Arn: stack.resolve(topic.topicArn),
      Input: '"settled"',
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish' })]) },
    });
    expect(eventsKeyStatement(template, 'SettlementsKey').Condition.ArnLike).toEqual({
      'aws:SourceArn': stack.resolve(`arn:${stack.partition}:events:eu-west-1:123456789012:rule/ledger-settled-prod`),
    });
  });

  test('an event bus target gets retries (which CDK\'s EventBus target lacks), the dead-letter queue, and a role that may put events on that bus only', () => {
    const stack = stackIn(testApp(), 'prod');
    const central = events.EventBus.fromEventBusArn(stack, 'Central', 'arn:aws:events:eu-west-1:210987654321:event-bus/central');
    const r = rule(stack);
    r.addEventBusTarget(central, { maxEventAge: Duration.hours(2) });
    const template = Template.fromStack(stack);
    expectOnlyTarget(template, r, [10, 7200], {
      Arn: 'arn:aws:events:eu-west-1:210987654321:event-bus/central',
      RoleArn: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [Match.objectLike({ Action: 'events:PutEvents', Resource: 'arn:aws:events:eu-west-1:210987654321:event-bus/central' })] },
    });
  });

  test('a shared dead-letter queue serves several rules: opened to each, no queue or alarm of their own', () => {
    const stack = stackIn(testApp(), 'prod');
    const shared = new SecureQueue(stack, 'Undelivered', { monitoring: { enabled: false } });
    const topic = new SecureTopic(stack, 'Settlements');
    const rules = ['settled', 'refunded'].map(nameBase => new SecureEventRule(stack, nameBase, { eventPattern, nameBase, deadLetterQueue: shared }));
    for (const r of rules) r.addTopicTarget(topic);
    expect(rules.map(r => r.deadLetterQueue)).toEqual([shared, shared]);
    expect(rules.flatMap(r => r.alarms)).toEqual([]);
    const template = Template.fromStack(stack);
    // The shared queue and its own redrive queue, nothing per rule.
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
    const [policy] = Object.values(template.findResources('AWS::SQS::QueuePolicy', { Properties: { Queues: [stack.resolve(shared.queueUrl)] } }));
    expect(policy.Properties.PolicyDocument.Statement.filter((st: any) => st.Principal?.Service === 'events.amazonaws.com')
      .map((st: any) => st.Condition.ArnEquals['aws:SourceArn'])).toEqual(rules.map(r => stack.resolve(r.ruleArn)));
    const [key] = Object.entries(template.findResources('AWS::KMS::Key')).filter(([id]) => id.startsWith('UndeliveredKey')).map(([, k]) => k);
    expect(key.Properties.KeyPolicy.Statement.filter((st: any) => st.Principal?.Service === 'events.amazonaws.com')
      .map((st: any) => st.Condition.ArnLike['aws:SourceArn'])).toEqual(['settled', 'refunded'].map(base =>
      stack.resolve(`arn:${stack.partition}:events:eu-west-1:123456789012:rule/ledger-${base}-prod`)));
  });

  test('one dead-letter queue per rule, created with the first target; none without targets', () => {
    const stack = stackIn(testApp(), 'dev');
    const r = rule(stack, { retryAttempts: 2, maxEventAge: Duration.hours(6) });
    expect(r.deadLetterQueue).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::SQS::Queue', 0);

    const other = stackIn(testApp(), 'dev');
    const r2 = rule(other, { retryAttempts: 2, maxEventAge: Duration.hours(6) });
    r2.addFunctionTarget(fn(other));
    r2.addStateMachineTarget(new sfn.StateMachine(other, 'Settle', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(other, 'Done')) }));
    r2.addTarget(new targets.SqsQueue(new SecureQueue(other, 'Plain'), { deadLetterQueue: r2.ensureDeadLetterQueue() }));
    const template = Template.fromStack(other);
    const dlqArn = other.resolve(r2.deadLetterQueue!.queueArn);
    const [resource] = Object.values(template.findResources('AWS::Events::Rule'));
    expect(resource.Properties.Targets.map((t: any) => t.DeadLetterConfig.Arn)).toEqual([dlqArn, dlqArn, dlqArn]);
    expect(resource.Properties.Targets.slice(0, 2).map((t: any) => t.RetryPolicy)).toEqual([
      { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 }, { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 21600 },
    ]);
    // Rule DLQ, plus the SecureQueue's queue and DLQ.
    template.resourceCountIs('AWS::SQS::Queue', 3);
  });

  test('the dead-letter queue pages the alert topic as soon as an event lands in it', () => {
    const stack = stackIn(testApp(), 'prod');
    const r = rule(stack, { nameBase: 'settled' });
    expect(r.alarms).toEqual([]);
    r.addFunctionTarget(fn(stack));
    const topic = stack.resolve(AlertTopic.of(stack).topicArn);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: stack.resolve(r.deadLetterQueue!.queueName) }],
      Statistic: 'Maximum',
      Period: 60,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 0,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
      AlarmDescription: Match.stringLikeRegexp('^Dead-letter queue of prod/Workload/Settled holds events EventBridge could not deliver'),
    });
    expect(r.alarms.map(alarm => alarm.node.path)).toEqual(['prod/Workload/Settled/DeadLetters/DeadLettersAlarm']);
  });

  test('monitoring sends the dead-letter alarm to another topic, or drops it when disabled', () => {
    const stack = stackIn(testApp(), 'dev');
    const pager = new sns.Topic(stack, 'Pager');
    rule(stack, { monitoring: { alertTopic: pager } }).addFunctionTarget(fn(stack));
    const pagerRef = stack.resolve(pager.topicArn);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', AlarmActions: [pagerRef], OKActions: [pagerRef] });

    const quiet = stackIn(testApp(), 'dev');
    const r = rule(quiet, { monitoring: { enabled: false } });
    r.addFunctionTarget(fn(quiet));
    expect(r.deadLetterQueue).toBeDefined();
    expect(r.alarms).toEqual([]);
    Template.fromStack(quiet).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('with every target kind, passes the rule pack in both kinds of stage', () => {
    const app = testApp();
    for (const stageName of ['dev', 'prod'] as const) {
      const stack = stackIn(app, stageName, { ...CONFIG, alarmEmail: 'oncall@example.com' });
      const r = rule(stack, { nameBase: 'settled' });
      r.addQueueTarget(new SecureQueue(stack, 'Ledger', { nameBase: 'ledger' }));
      r.addFunctionTarget(fn(stack));
      r.addStateMachineTarget(new sfn.StateMachine(stack, 'Settle', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')), tracingEnabled: true }));
      r.addTopicTarget(new SecureTopic(stack, 'Settlements', { nameBase: 'settlements', email: 'oncall@example.com' }));
      r.addEventBusTarget(events.EventBus.fromEventBusArn(stack, 'Central', 'arn:aws:events:eu-west-1:210987654321:event-bus/central'));
      new SecureEventRule(stack, 'Unnamed', { schedule: events.Schedule.rate(Duration.hours(1)) }).addQueueTarget(new SecureQueue(stack, 'Hourly'));
    }
    const { violations } = synthReport(app);
    // The plain function and state machine stand in for any target; only the rule's and its queues' findings matter here.
    const ours = violations.filter(v => !/\/(Notify|Settle)\//.test(v.constructPath));
    expect(ours.filter(v => v.severity === 'error').map(v => `${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
    // The rules' dead-letter queues are alarmed, so none is unmonitored (C09).
    expect(ours.filter(v => v.ruleName === UnmonitoredResource.INFO.id).map(v => v.constructPath)).toEqual([]);
  });

  describe('bad input fails with the construct path and the fix', () => {
    test.each([-1, 186, 1.5])('retryAttempts %p', retryAttempts => {
      expect(() => rule(stackIn(testApp(), 'dev'), { retryAttempts }))
        .toThrow(`SecureEventRule at dev/Workload/Settled: retryAttempts ${retryAttempts} is not what EventBridge allows; use a whole number from 0 to 185, or drop it for the default 10.`);
    });

    test.each([Duration.seconds(30), Duration.hours(25)])('maxEventAge %p', maxEventAge => {
      expect(() => rule(stackIn(testApp(), 'dev'), { maxEventAge }))
        .toThrow(/^SecureEventRule at dev\/Workload\/Settled: maxEventAge .* is not what EventBridge allows; use 1 minute to 24 hours, or drop it for the default 1 hour.$/);
    });

    test.each([
      ['dataKey', (stack: Stack) => ({ dataKey: new DataKey(stack, 'Key') })],
      ['monitoring', () => ({ monitoring: { enabled: false } })],
    ])('deadLetterQueue with %s, which only applies to a queue the rule creates', (option, extra) => {
      const stack = stackIn(testApp(), 'dev');
      expect(() => rule(stack, { deadLetterQueue: new SecureQueue(stack, 'Shared'), ...extra(stack) }))
        .toThrow(`SecureEventRule at dev/Workload/Settled: deadLetterQueue is given together with ${option}, which only apply to a dead-letter queue the rule creates; ` +
          'drop it (the shared queue keeps its own key, and its owner alarms on it), or drop deadLetterQueue.');
    });

    test('a target\'s retry options, naming the method', () => {
      const stack = stackIn(testApp(), 'dev');
      expect(() => rule(stack).addFunctionTarget(fn(stack), { retryAttempts: 200 }))
        .toThrow('SecureEventRule at dev/Workload/Settled: addFunctionTarget: retryAttempts 200 is not what EventBridge allows; use a whole number from 0 to 185, or drop it for the default 10.');
    });
  });
});
