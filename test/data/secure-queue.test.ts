import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { SecureQueue } from '../../src/data/secure-queue';
import { KeyConsumer } from '../../src/encryption/data-key';
import { CONFIG, keyAliasesOfTwoStacks, stackIn, testApp } from '../support/fintech-fixture';

function consumer(scope: any, timeout: Duration) {
  return new lambda.Function(scope, 'Consumer', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), timeout });
}

describe('SecureQueue', () => {
  test('encrypts queue and DLQ with one customer key, TLS only, redrive after 3 receives', () => {
    const stack = stackIn(testApp(), 'prod');
    const q = new SecureQueue(stack, 'Payments', { nameBase: 'payments' });
    const template = Template.fromStack(stack);
    const keyId = stack.resolve(q.dataKey.key.keyArn);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'ledger-payments-prod',
      KmsMasterKeyId: keyId,
      RedrivePolicy: { maxReceiveCount: 3, deadLetterTargetArn: stack.resolve(q.deadLetters.queueArn) },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'ledger-payments-dlq-prod', KmsMasterKeyId: keyId, MessageRetentionPeriod: 1209600 });
    template.resourcePropertiesCountIs('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    }, 2);
  });

  test('adds consumers with partial batch failure reporting', () => {
    const stack = stackIn(testApp(), 'dev');
    const q = new SecureQueue(stack, 'Q', { visibilityTimeout: Duration.seconds(60) });
    q.addConsumer(consumer(stack, Duration.seconds(10)));
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'], BatchSize: 10 });
  });

  test('refuses a visibility timeout shorter than six times the consumer timeout, with the fix', () => {
    const stack = stackIn(testApp(), 'dev');
    const q = new SecureQueue(stack, 'Q');
    expect(() => q.addConsumer(consumer(stack, Duration.seconds(30))))
      .toThrow('SecureQueue at dev/Workload/Q: visibilityTimeout 30 s is shorter than 6 x the timeout of consumer dev/Workload/Consumer (30 s), so messages would be delivered twice while still in work. Set visibilityTimeout: Duration.seconds(180) or shorten the function timeout.');
  });

  test.each([0, 1.5, 1001])('refuses maxReceiveCount %p', count => {
    expect(() => new SecureQueue(stackIn(testApp(), 'dev'), 'Q', { maxReceiveCount: count })).toThrow(/maxReceiveCount .* must be a whole number from 1 to 1000/);
  });

  test('lets a producer service use its key', () => {
    const stack = stackIn(testApp(), 'prod');
    const q = new SecureQueue(stack, 'Q');
    q.allowProducer(KeyConsumer.EVENTS, 'arn:aws:events:eu-west-1:123456789012:rule/payments');
    const [key] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({ Principal: { Service: 'events.amazonaws.com' } }));
  });

  describe('monitoring (C09)', () => {
    const paged = { ...CONFIG, alarmEmail: 'oncall@example.com' };

    function alarmOn(queueName: object, metricName: string, period: number, threshold: number, topic: object) {
      return {
        Namespace: 'AWS/SQS',
        MetricName: metricName,
        Dimensions: [{ Name: 'QueueName', Value: queueName }],
        Statistic: 'Maximum',
        Period: period,
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: threshold,
        EvaluationPeriods: 1,
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
        AlarmDescription: Match.stringLikeRegexp('.+'),
        AlarmActions: [topic],
        OKActions: [topic],
      };
    }

    test('by default: any message in the DLQ, and the oldest message older than 15 minutes, both to the alert topic', () => {
      const stack = stackIn(testApp(), 'prod', paged);
      const q = new SecureQueue(stack, 'Payments', { nameBase: 'payments' });
      const topic = stack.resolve(AlertTopic.of(stack).topicArn);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ...alarmOn(stack.resolve(q.deadLetters.queueName), 'ApproximateNumberOfMessagesVisible', 60, 0, topic),
        AlarmDescription: 'Dead-letter queue of prod/Workload/Payments holds messages that failed 3 receives. Read them and the consumer logs, fix the cause, then redrive them to the queue.',
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', alarmOn(stack.resolve(q.queueName), 'ApproximateAgeOfOldestMessage', 300, 900, topic));
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com', TopicArn: topic });
      expect(q.alarms).toHaveLength(2);
    });

    test('a short retention lowers the age threshold to half of it', () => {
      const stack = stackIn(testApp(), 'dev', paged);
      const q = new SecureQueue(stack, 'Quotes', { retentionPeriod: Duration.minutes(10) });
      Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: stack.resolve(q.queueName) }], Threshold: 300,
      });
    });

    test('maxMessageAge and alertTopic are configurable', () => {
      const stack = stackIn(testApp(), 'dev', paged);
      const pager = new sns.Topic(stack, 'Pager');
      new SecureQueue(stack, 'Payments', { monitoring: { maxMessageAge: Duration.hours(1), alertTopic: pager } });
      const template = Template.fromStack(stack);
      const pagerRef = { Ref: stack.getLogicalId(pager.node.defaultChild as sns.CfnTopic) };
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateAgeOfOldestMessage', Threshold: 3600, AlarmActions: [pagerRef], OKActions: [pagerRef] });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ApproximateNumberOfMessagesVisible', AlarmActions: [pagerRef], OKActions: [pagerRef] });
      template.resourceCountIs('AWS::SNS::Topic', 1);
    });

    test('can be turned off: no alarms and no alert topic', () => {
      const stack = stackIn(testApp(), 'dev');
      const q = new SecureQueue(stack, 'Payments', { monitoring: { enabled: false } });
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
      template.resourceCountIs('AWS::SNS::Topic', 0);
      expect(q.alarms).toEqual([]);
    });

    test.each([
      [Duration.days(4), '4 days'],
      [Duration.seconds(30), '30 seconds'],
    ])('refuses maxMessageAge %p', (maxMessageAge, shown) => {
      expect(() => new SecureQueue(stackIn(testApp(), 'dev'), 'Payments', { monitoring: { maxMessageAge } })).toThrow(
        `SecureQueue at dev/Workload/Payments: monitoring.maxMessageAge ${shown} must be at least 1 minute and shorter than the retention period (4 days), ` +
        'or messages expire before the alarm fires; lower it or omit it for 15 minutes.');
    });
  });

  test('is an IQueue: the L2\'s grants, metrics and event sources work on it directly', () => {
    const stack = stackIn(testApp(), 'dev');
    const queue: sqs.IQueue = new SecureQueue(stack, 'Inbox');
    const role = new iam.Role(stack, 'Producer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    queue.grantSendMessages(role);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['sqs:SendMessage']), Resource: stack.resolve(queue.queueArn) }),
          // The key too: the L2 grant knows the customer key because SecureQueue is the queue.
          Match.objectLike({ Action: Match.arrayWith(['kms:GenerateDataKey*']), Resource: stack.resolve((queue as SecureQueue).dataKey.key.keyArn) }),
        ]),
      },
    });
    expect(queue.metricApproximateAgeOfOldestMessage().namespace).toBe('AWS/SQS');
  });

});

describe('SecureQueue key alias', () => {
  test('is unique in the stage when stacks use the same construct id', () => {
    expect(keyAliasesOfTwoStacks(stack => new SecureQueue(stack, 'Store'))).toEqual([
      ['alias/ledger-ingest-store-queue-prod', 'alias/ledger-ingest-alerts-topic-prod'],
      ['alias/ledger-settle-store-queue-prod', 'alias/ledger-settle-alerts-topic-prod'],
    ]);
  });
});

const durableDefaultWarnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('fintech:durable-default'));

describe('SecureQueue outside a FintechStage', () => {
  test('with a durable context stage: queue and dead-letter queue retained, no warning', () => {
    const app = testApp();
    app.node.setContext('fintech:stage', 'prod');
    const stack = new Stack(app, 'Loose');
    new SecureQueue(stack, 'Jobs', { nameBase: 'jobs' });
    const queues = Template.fromStack(stack).findResources('AWS::SQS::Queue');
    expect(Object.values(queues).map(q => [q.Properties.QueueName, q.DeletionPolicy]).sort()).toEqual([['jobs-dlq-prod', 'Retain'], ['jobs-prod', 'Retain']]);
    expect(durableDefaultWarnings(stack)).toEqual([]);
  });

  test('without context: retained (an sqs.Queue alone would be deleted), exactly one warning for the stack', () => {
    const stack = new Stack(testApp(), 'Loose');
    new SecureQueue(stack, 'Jobs');
    new sqs.Queue(stack, 'NotOurs');
    const queues = Template.fromStack(stack).findResources('AWS::SQS::Queue');
    expect(Object.entries(queues).map(([id, q]) => `${id.replace(/[0-9A-F]{8}$/, '')} ${q.DeletionPolicy}`).sort())
      .toEqual(['Jobs Retain', 'JobsDeadLetterQueue Retain', 'NotOurs Delete']);
    expect(durableDefaultWarnings(stack)).toHaveLength(1);
  });
});
