import { App, Duration, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { QueueDeadLetterQueue } from '../../../src/rules/sqs/queue-dead-letter-queue';
import { findingsOf, lines, shop, testApp } from '../rule-harness';

const C12 = QueueDeadLetterQueue.INFO.id;

function c12(app: App) {
  return findingsOf(app, [C12]);
}

function handler(stack: Stack, id: string, props: Partial<lambda.FunctionProps> = {}) {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), ...props });
}

describe('Fintech-C12-QueueWithoutDeadLetterQueue', () => {
  test('fails an L2 queue without a dead-letter queue and passes a queue with one (and its DLQ)', () => {
    const { app, stack } = shop();
    new sqs.Queue(stack, 'Plain');
    const dlq = new sqs.Queue(stack, 'Dlq');
    new sqs.Queue(stack, 'Orders', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
    const findings = c12(app);
    expect(lines(findings)).toEqual([`${C12} Shop/Plain/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/RedrivePolicy'],
      message: expect.stringMatching(/^AWS::SQS::Queue Plain[0-9A-F]{8} has no RedrivePolicy and receives no other resource's failures/),
      fix: expect.stringContaining('SecureQueue'),
    });
  });

  test('resolves L1 redrive policies by GetAtt, literal ARN and JSON string, FIFO queues included', () => {
    const { app, stack } = shop();
    const byArn = new sqs.CfnQueue(stack, 'ByArnDlq');
    new sqs.CfnQueue(stack, 'ByArn', { redrivePolicy: { deadLetterTargetArn: byArn.attrArn, maxReceiveCount: 3 } });
    new sqs.CfnQueue(stack, 'ByNameDlq', { queueName: 'orders-dlq' });
    new sqs.CfnQueue(stack, 'ByName', { redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:123456789012:orders-dlq', maxReceiveCount: 3 } });
    new sqs.CfnQueue(stack, 'FifoDlq', { queueName: 'ledger-dlq.fifo', fifoQueue: true });
    // CloudFormation also takes the policy as a JSON string, which only an override can write.
    new sqs.CfnQueue(stack, 'Fifo', { fifoQueue: true })
      .addPropertyOverride('RedrivePolicy', JSON.stringify({ deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:123456789012:ledger-dlq.fifo', maxReceiveCount: 3 }));
    new sqs.CfnQueue(stack, 'Lonely', { queueName: 'lonely' });
    expect(lines(c12(app))).toEqual([`${C12} Shop/Lonely`]);
  });

  test('passes queues that are dead-letter queues or on-failure destinations of subscriptions, rules and functions', () => {
    const { app, stack } = shop();
    const topic = new sns.Topic(stack, 'Topic');
    const subscriptionDlq = new sqs.Queue(stack, 'SubscriptionDlq');
    topic.addSubscription(new subscriptions.LambdaSubscription(handler(stack, 'Subscriber'), { deadLetterQueue: subscriptionDlq }));
    const ruleDlq = new sqs.Queue(stack, 'RuleDlq');
    new events.Rule(stack, 'Rule', { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.LambdaFunction(handler(stack, 'Scheduled'), { deadLetterQueue: ruleDlq })] });
    handler(stack, 'WithDlq', { deadLetterQueue: new sqs.Queue(stack, 'FunctionDlq') });
    handler(stack, 'WithDestination', { onFailure: new destinations.SqsDestination(new sqs.Queue(stack, 'FailureQueue')) });
    new sqs.CfnQueue(stack, 'Declared', { redriveAllowPolicy: { redrivePermission: 'allowAll' } });
    new sqs.CfnQueue(stack, 'Denies', { redriveAllowPolicy: { redrivePermission: 'denyAll' } });
    expect(lines(c12(app))).toEqual([`${C12} Shop/Denies`]);
  });

  test('passes dead-letter queues of Scheduler schedules, Pipes sources and Lambda asynchronous invocation configs', () => {
    const { app, stack } = shop();
    const fn = handler(stack, 'Settle');
    const scheduleDlq = new sqs.Queue(stack, 'ScheduleDlq');
    new scheduler.Schedule(stack, 'Daily', {
      schedule: scheduler.ScheduleExpression.rate(Duration.days(1)),
      target: new schedulerTargets.LambdaInvoke(fn, { deadLetterQueue: scheduleDlq }),
    });
    const pipeDlq = new sqs.CfnQueue(stack, 'PipeDlq');
    new pipes.CfnPipe(stack, 'Pipe', {
      roleArn: 'arn:aws:iam::123456789012:role/pipe',
      source: 'arn:aws:kinesis:eu-west-1:123456789012:stream/payments',
      target: fn.functionArn,
      sourceParameters: { kinesisStreamParameters: { startingPosition: 'LATEST', deadLetterConfig: { arn: pipeDlq.attrArn } } },
    });
    const failures = new sqs.Queue(stack, 'AsyncFailures');
    fn.configureAsyncInvoke({ onFailure: new destinations.SqsDestination(failures) });
    new sqs.Queue(stack, 'Plain');
    expect(lines(c12(app))).toEqual([`${C12} Shop/Plain/Resource`]);
  });

  test('passes the dead-letter queue of an event bus, L2 or raw CfnEventBus; a queue no bus names still fails', () => {
    const { app, stack } = shop();
    new events.EventBus(stack, 'Trades', { deadLetterQueue: new sqs.Queue(stack, 'BusDlq') });
    const rawDlq = new sqs.CfnQueue(stack, 'RawBusDlq');
    new events.CfnEventBus(stack, 'Raw', { name: 'raw-trades', deadLetterConfig: { arn: rawDlq.attrArn } });
    new events.CfnEventBus(stack, 'NoDlq', { name: 'no-dlq' });
    new sqs.Queue(stack, 'Plain');
    expect(lines(c12(app))).toEqual([`${C12} Shop/Plain/Resource`]);
  });

  test('finds dead-letter queues used from other stacks (exports) and from nested stacks', () => {
    const app = testApp();
    const data = new Stack(app, 'Data');
    const shared = new sqs.Queue(data, 'SharedFailures');
    const nestedDlq = new sqs.Queue(data, 'NestedFailures');
    const compute = new Stack(app, 'Compute');
    handler(compute, 'Audit', { onFailure: new destinations.SqsDestination(shared) });
    const nested = new NestedStack(compute, 'Jobs');
    const topic = new sns.Topic(nested, 'Topic');
    topic.addSubscription(new subscriptions.LambdaSubscription(handler(nested, 'Job'), { deadLetterQueue: new sqs.Queue(nested, 'JobSubscriptionDlq') }));
    const parentDlq = new sqs.Queue(compute, 'ParentDlq');
    new events.Rule(nested, 'Rule', { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.LambdaFunction(handler(nested, 'Hourly'), { deadLetterQueue: parentDlq })] });
    void nestedDlq;
    expect(lines(c12(app))).toEqual([`${C12} Data/NestedFailures/Resource`]);
  });

  test('catches an escape hatch that deletes the redrive policy: the queue and its orphaned DLQ', () => {
    const { app, stack } = shop();
    const dlq = new sqs.Queue(stack, 'Dlq');
    const queue = new sqs.Queue(stack, 'Orders', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
    (queue.node.defaultChild as sqs.CfnQueue).addPropertyDeletionOverride('RedrivePolicy');
    expect(lines(c12(app))).toEqual([`${C12} Shop/Dlq/Resource`, `${C12} Shop/Orders/Resource`]);
  });

  test('reports nothing while a dead-letter target is an unresolvable intrinsic; an imported one is someone else\'s', () => {
    const { app, stack } = shop();
    new sqs.CfnQueue(stack, 'Maybe');
    new sqs.CfnQueue(stack, 'Source', { redrivePolicy: { deadLetterTargetArn: Fn.conditionIf('C', 'a', 'b'), maxReceiveCount: 3 } });
    new sqs.CfnQueue(stack, 'Intrinsic', { redrivePolicy: Fn.conditionIf('C', { deadLetterTargetArn: 'x' }, { Ref: 'AWS::NoValue' }) });
    expect(c12(app)).toEqual([]);

    const imported = shop();
    new sqs.CfnQueue(imported.stack, 'Plain');
    new sqs.CfnQueue(imported.stack, 'Source', { redrivePolicy: { deadLetterTargetArn: Fn.importValue('SharedDlqArn'), maxReceiveCount: 3 } });
    expect(lines(c12(imported.app))).toEqual([`${C12} Shop/Plain`]);
  });

  test('does not crash on odd but valid shapes', () => {
    const { app, stack } = shop();
    const odd = new sqs.CfnQueue(stack, 'OddProperties');
    odd.addOverride('Properties', { 'Fn::If': ['C', {}, {}] });
    new sqs.CfnQueue(stack, 'GarbageAllow').addPropertyOverride('RedriveAllowPolicy', 'not json');
    new sqs.CfnQueue(stack, 'Source').addPropertyOverride('RedrivePolicy', '{"deadLetterTargetArn": 42}');
    new sns.CfnSubscription(stack, 'Sub', { topicArn: 'arn:aws:sns:eu-west-1:123456789012:t', protocol: 'sqs', endpoint: 'arn:aws:sqs:eu-west-1:123456789012:q' })
      .addPropertyOverride('RedrivePolicy', 'odd');
    expect(lines(c12(app))).toEqual([]);
  });
});
