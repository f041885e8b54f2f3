import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Aws, Duration, Stack } from 'aws-cdk-lib';
import { NameKind, PhysicalName, SecureEventBus, SecureQueue } from '../src';
import { integStage } from './integ-stage';

// A SecureEventBus as EventBridge sees it: a trade put on the bus reaches the rule's KMS-encrypted queue target through
// the bus's customer key (C04, C05), the bus names that key, and its archive is ENABLED on the same key.
const app = new App();
const stage = integStage(app, 'markets', 'platform-alerts@example.com');
const stack = new Stack(stage, 'SecureEventBus');
const bus = new SecureEventBus(stack, 'Trades', { nameBase: 'trades', description: 'Trades booked by the front office' });
const queue = new SecureQueue(stack, 'Settlements', { nameBase: 'settlements' });
bus.addRule('Booked', {
  nameBase: 'trade-booked',
  description: 'Booked trades go to the settlement queue',
  eventPattern: { source: ['integ.trading'], detailType: ['TradeBooked'] },
}).addQueueTarget(queue);
// Assertions name resources by physical name: a token would be a reference across the stage boundary.
const busName = PhysicalName.of(bus, 'trades');
const busArn = `arn:${Aws.PARTITION}:events:${stage.environment.region}:${Aws.ACCOUNT_ID}:event-bus/${busName}`;
const queueName = PhysicalName.of(queue, 'settlements', { kind: NameKind.SQS_QUEUE });
const integ = new IntegTest(app, 'SecureEventBusInteg', { testCases: [stack], regions: [stage.environment.region] });

// The bus's key, by its alias: the bus and its archive must name this key.
const key = integ.assertions.awsApiCall('KMS', 'describeKey', { KeyId: bus.dataKey.aliasName });
const keyArn = key.getAttString('KeyMetadata.Arn');

key.next(integ.assertions
  .awsApiCall('EventBridge', 'describeEventBus', { Name: busName })
  .expect(ExpectedResult.objectLike({ Name: busName, KmsKeyIdentifier: keyArn, Description: 'Trades booked by the front office' })));

const archives = integ.assertions.awsApiCall('EventBridge', 'listArchives', { EventSourceArn: busArn });
key
  .next(archives)
  .next(integ.assertions
    .awsApiCall('EventBridge', 'describeArchive', { ArchiveName: archives.getAttString('Archives.0.ArchiveName') })
    .expect(ExpectedResult.objectLike({ EventSourceArn: busArn, State: 'ENABLED', KmsKeyIdentifier: keyArn, RetentionDays: 7 }))
    .waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(20) }));

const queueUrl = integ.assertions.awsApiCall('SQS', 'getQueueUrl', { QueueName: queueName });
const put = integ.assertions
  .awsApiCall('EventBridge', 'putEvents', {
    Entries: [{ EventBusName: busName, Source: 'integ.trading', DetailType: 'TradeBooked', Detail: JSON.stringify({ tradeId: 'trade-1' }) }],
  })
  .expect(ExpectedResult.objectLike({ FailedEntryCount: 0 }));

queueUrl
  .next(put)
  .next(integ.assertions
    .awsApiCall('SQS', 'receiveMessage', { QueueUrl: queueUrl.getAttString('QueueUrl'), WaitTimeSeconds: 20, MaxNumberOfMessages: 1 })
    .expect(ExpectedResult.objectLike({ Messages: [Match.objectLike({ Body: Match.stringLikeRegexp('"tradeId":"trade-1"') })] }))
    .waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(20) }));

app.synth();
