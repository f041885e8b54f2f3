import { App, CfnResource, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { QueueProducerPolicy } from '../../../src/rules/sqs/queue-producer-policy';
import { findingsOf, lines, shop, testApp } from '../rule-harness';

const C05 = QueueProducerPolicy.INFO.id;
const HOURLY = events.Schedule.rate(Duration.hours(1));

function c05(app: App) {
  return findingsOf(app, [C05]);
}

function rawRule(scope: Construct, id: string, queueArn: string) {
  return new events.CfnRule(scope, id, { eventPattern: { source: ['payments'] }, targets: [{ id: 'Queue', arn: queueArn }] });
}

/** A raw queue policy for `queue` with one statement (an Allow of sqs:SendMessage to EventBridge on the queue, changed by `change`). */
function rawPolicy(scope: Construct, id: string, queue: sqs.Queue, change: Record<string, unknown> = {}) {
  return new sqs.CfnQueuePolicy(scope, id, {
    queues: [queue.queueUrl],
    policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queue.queueArn, ...change }] },
  });
}

describe('Fintech-C05-ProducerWithoutQueuePolicy', () => {
  test('passes what CDK writes: SqsSubscription, targets.SqsQueue, a target\'s and a subscription\'s dead-letter queue, SqsDestination', () => {
    const { app, stack } = shop();
    const topic = new sns.Topic(stack, 'Payments');
    const failures = new sqs.Queue(stack, 'Failures');
    topic.addSubscription(new subscriptions.SqsSubscription(new sqs.Queue(stack, 'Postings'), { deadLetterQueue: failures }));
    const fn = new lambda.Function(stack, 'Settle', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
    new events.Rule(stack, 'Hourly', { schedule: HOURLY, targets: [new targets.SqsQueue(new sqs.Queue(stack, 'Ticks')), new targets.LambdaFunction(fn, { deadLetterQueue: failures })] });
    new s3.Bucket(stack, 'Uploads').addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(new sqs.Queue(stack, 'Uploaded')));
    expect(c05(app)).toEqual([]);
  });

  test('fails raw subscriptions, rule targets and bucket notifications into a queue no policy opens to the service, saying what each does without one', () => {
    const { app, stack } = shop();
    const postings = new sqs.Queue(stack, 'Postings');
    new sns.CfnSubscription(stack, 'ToPostings', { protocol: 'sqs', endpoint: postings.queueArn, topicArn: new sns.Topic(stack, 'Payments').topicArn });
    rawRule(stack, 'Settled', postings.queueArn);
    const uploaded = new sqs.Queue(stack, 'Uploaded');
    new s3.CfnBucket(stack, 'Uploads', { notificationConfiguration: { queueConfigurations: [{ event: 's3:ObjectCreated:*', queue: uploaded.queueArn }] } });
    const findings = c05(app);
    expect(lines(findings)).toEqual([`${C05} Shop/Postings/Resource`, `${C05} Shop/Uploaded/Resource`]);
    expect(findings[0].message).toMatch(/receives from sns\.amazonaws\.com \(AWS::SNS::Subscription ToPostings\), events\.amazonaws\.com \(AWS::Events::Rule Settled\), but no queue policy lets those services send into it: SNS cannot deliver/);
    expect(findings[1].message).toContain('S3 refuses the notification configuration, so the deploy fails');
  });

  test('fails the dead-letter queue of a CloudWatch Logs target, for which CDK writes no queue policy, until a statement allows the rule', () => {
    for (const granted of [false, true]) {
      const { app, stack } = shop();
      const undelivered = new sqs.Queue(stack, 'Undelivered');
      const archive = new logs.LogGroup(stack, 'Archive', { retention: logs.RetentionDays.ONE_YEAR });
      const rule = new events.Rule(stack, 'ArchiveAll', { eventPattern: { source: ['payments'] }, targets: [new targets.CloudWatchLogGroup(archive, { deadLetterQueue: undelivered })] });
      if (granted) {
        undelivered.addToResourcePolicy(new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('events.amazonaws.com')],
          actions: ['sqs:SendMessage'],
          resources: [undelivered.queueArn],
          conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
        }));
      }
      expect(lines(c05(app))).toEqual(granted ? [] : [`${C05} Shop/Undelivered/Resource`]);
    }
  });

  test('a statement counts for the service (or everyone), a send action, the queue (or "*") and a source that may be the rule', () => {
    const { app, stack } = shop();
    const other = rawRule(stack, 'Other', 'arn:aws:sqs:eu-west-1:123456789012:elsewhere');
    const cases: Record<string, Record<string, unknown> | undefined> = {
      Plain: {},
      Everyone: { Principal: '*' },
      AllActions: { Action: 'sqs:*' },
      AnyResource: { Resource: '*' },
      WildcardSource: { Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:events:eu-west-1:123456789012:rule/*' } } },
      UnknownSource: { Condition: { ArnEquals: { 'aws:SourceArn': Fn.importValue('rule-arn') } } },
      // Built on another resource's name, it may be any rule's ARN: not pinned to that resource.
      JoinedSource: { Condition: { ArnEquals: { 'aws:SourceArn': Fn.join('', ['arn:aws:events:eu-west-1:123456789012:rule/', other.ref]) } } },
      Account: { Principal: { AWS: 'arn:aws:iam::123456789012:root' } },
      OtherService: { Principal: { Service: 'sns.amazonaws.com' } },
      ReceiveOnly: { Action: 'sqs:ReceiveMessage' },
      OtherSource: { Condition: { ArnEquals: { 'aws:SourceArn': other.attrArn } } },
      Denied: { Effect: 'Deny' },
    };
    for (const [id, change] of Object.entries(cases)) {
      const queue = new sqs.Queue(stack, id);
      rawRule(stack, `${id}Rule`, queue.queueArn);
      rawPolicy(stack, `${id}Policy`, queue, change);
    }
    const other2 = new sqs.Queue(stack, 'OtherQueue');
    const onOther = new sqs.Queue(stack, 'OnOtherQueue');
    rawRule(stack, 'OnOtherQueueRule', onOther.queueArn);
    rawPolicy(stack, 'OnOtherQueuePolicy', onOther, { Resource: other2.queueArn });
    const inline = new sqs.Queue(stack, 'Inline');
    rawRule(stack, 'InlineRule', inline.queueArn);
    new CfnResource(stack, 'InlinePolicy', {
      type: 'AWS::SQS::QueueInlinePolicy',
      properties: {
        Queue: inline.queueUrl, PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: inline.queueArn }] },
      },
    });
    expect(lines(c05(app))).toEqual(['Account', 'Denied', 'OnOtherQueue', 'OtherService', 'OtherSource', 'ReceiveOnly'].map(id => `${C05} Shop/${id}/Resource`));
  });

  test('follows queues and policies across stacks, and judges nothing when a policy names a queue the templates cannot tell', () => {
    const app = testApp();
    const data = new Stack(app, 'Data');
    const postings = new sqs.Queue(data, 'Postings');
    const refunds = new sqs.Queue(data, 'Refunds');
    const routing = new Stack(app, 'Routing');
    // The routing stack opens the data stack's postings queue to its rule with a policy of its own.
    rawRule(routing, 'Settled', postings.queueArn);
    rawPolicy(routing, 'PostingsPolicy', postings);
    rawRule(routing, 'Refunded', refunds.queueArn);
    expect(lines(c05(app))).toEqual([`${C05} Data/Refunds/Resource`]);

    const unknown = shop();
    const queue = new sqs.Queue(unknown.stack, 'Queue');
    rawRule(unknown.stack, 'Rule', queue.queueArn);
    new sqs.CfnQueuePolicy(unknown.stack, 'Policy', { queues: Fn.split(',', Fn.importValue('queue-urls')), policyDocument: { Statement: [] } });
    expect(c05(unknown.app)).toEqual([]);
  });
});
