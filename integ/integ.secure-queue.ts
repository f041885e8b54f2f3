import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NameKind, PhysicalName, SecureQueue } from '../src';
import { integStage } from './integ-stage';

// A poison message (its consumer always throws) must end in the dead-letter queue after maxReceiveCount receives.
const app = new App();
const stage = integStage(app, 'queues', 'oncall@example.com');
const stack = new Stack(stage, 'SecureQueue');
const queue = new SecureQueue(stack, 'Payments', { nameBase: 'payments', maxReceiveCount: 2, visibilityTimeout: Duration.seconds(30) });
const poisoned = new lambda.Function(stack, 'AlwaysFails', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => { throw new Error("poison"); };'),
  timeout: Duration.seconds(5),
  tracing: lambda.Tracing.ACTIVE,
});
queue.addConsumer(poisoned, { batchSize: 1 });

// Assertions name queues by physical name: a token would be a reference across the stage boundary.
const queueName = PhysicalName.of(queue, 'payments', { kind: NameKind.SQS_QUEUE });
const dlqName = PhysicalName.of(queue, 'payments-dlq', { kind: NameKind.SQS_QUEUE });
const integ = new IntegTest(app, 'SecureQueueInteg', { testCases: [stack], regions: [stage.environment.region] });

const queueUrl = integ.assertions.awsApiCall('SQS', 'getQueueUrl', { QueueName: queueName });
const dlqUrl = integ.assertions.awsApiCall('SQS', 'getQueueUrl', { QueueName: dlqName });

integ.assertions
  .awsApiCall('SQS', 'getQueueAttributes', { QueueUrl: queueUrl.getAttString('QueueUrl'), AttributeNames: ['KmsMasterKeyId', 'RedrivePolicy', 'Policy'] })
  .expect(ExpectedResult.objectLike({ Attributes: { KmsMasterKeyId: Match.stringLikeRegexp('.+'), RedrivePolicy: Match.stringLikeRegexp('"maxReceiveCount":2') } }));

queueUrl
  .next(integ.assertions.awsApiCall('SQS', 'sendMessage', { QueueUrl: queueUrl.getAttString('QueueUrl'), MessageBody: '{"paymentId":"poison-1"}' }))
  .next(integ.assertions
    .awsApiCall('SQS', 'receiveMessage', { QueueUrl: dlqUrl.getAttString('QueueUrl'), WaitTimeSeconds: 20, MaxNumberOfMessages: 1 })
    .expect(ExpectedResult.objectLike({ Messages: [Match.objectLike({ Body: '{"paymentId":"poison-1"}' })] }))
    .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(20) }))
  // The queue's own DLQ-depth alarm notices the poison message (alarms are named by CDK, so look them up by prefix).
  .next(integ.assertions
    .awsApiCall('CloudWatch', 'describeAlarms', { AlarmNamePrefix: 'integ-SecureQueue-PaymentsDeadLettersAlarm', StateValue: 'ALARM' })
    .expect(ExpectedResult.objectLike({ MetricAlarms: [Match.objectLike({ MetricName: 'ApproximateNumberOfMessagesVisible' })] }))
    .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) }));

app.synth();
