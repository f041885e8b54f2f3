import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { NameKind, PhysicalName, SecureEventRule, SecureQueue } from '../src';
import { integStage } from './integ-stage';

// An event matching a SecureEventRule reaches its KMS-encrypted SecureQueue target: the key lets EventBridge in (C05).
const app = new App();
const stage = integStage(app, 'events', 'platform-alerts@example.com');
const stack = new Stack(stage, 'SecureEventRule');
const queue = new SecureQueue(stack, 'Settlements', { nameBase: 'settlements' });
const rule = new SecureEventRule(stack, 'PaymentSettled', {
  nameBase: 'payment-settled',
  eventPattern: { source: ['integ.payments'], detailType: ['PaymentSettled'] },
});
rule.addQueueTarget(queue);

// Assertions name the queue by physical name: a token would be a reference across the stage boundary.
const queueName = PhysicalName.of(queue, 'settlements', { kind: NameKind.SQS_QUEUE });
const integ = new IntegTest(app, 'SecureEventRuleInteg', { testCases: [stack], regions: [stage.environment.region] });

const queueUrl = integ.assertions.awsApiCall('SQS', 'getQueueUrl', { QueueName: queueName });
const put = integ.assertions
  .awsApiCall('EventBridge', 'putEvents', { Entries: [{ Source: 'integ.payments', DetailType: 'PaymentSettled', Detail: JSON.stringify({ paymentId: 'pay-1' }) }] })
  .expect(ExpectedResult.objectLike({ FailedEntryCount: 0 }));

queueUrl
  .next(put)
  .next(integ.assertions
    .awsApiCall('SQS', 'receiveMessage', { QueueUrl: queueUrl.getAttString('QueueUrl'), WaitTimeSeconds: 20, MaxNumberOfMessages: 1 })
    .expect(ExpectedResult.objectLike({ Messages: [Match.objectLike({ Body: Match.stringLikeRegexp('"paymentId":"pay-1"') })] }))
    .waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(20) }));

app.synth();
