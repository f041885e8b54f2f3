import * as path from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import config from '../../src/fintech.config.json';
import { PaymentWebhookStack } from '../../src/payment-webhook-stack';
import { FintechStage, NameKind, PhysicalName, TracedFunction } from 'fintech-infra-template';

// A throwaway ephemeral stage, so integ-runner can destroy everything it deployed. One request per second per IP,
// so the WAF rate rule can be proven within a minute.
const app = new App();
const [stage] = FintechStage.fromConfig(app, { ...config, environments: [{ name: 'integ', region: config.environments[0].region, durable: false }] });
const webhooks = new PaymentWebhookStack(stage, 'PaymentWebhook', { requestsPerSecondPerIp: 1 });

// The payment provider, played by a function next to the API: it signs with the deployed secret.
const sender = new TracedFunction(webhooks, 'ProviderSimulator', {
  entry: path.join(__dirname, 'handlers', 'webhook-sender.ts'),
  nameBase: 'webhook-sender',
  timeout: Duration.minutes(2),
  environment: { WEBHOOK_URL: webhooks.api.urlForPath('/webhooks'), SIGNING_SECRET_NAME: PhysicalName.of(webhooks, 'webhook-signing-secret', { kind: NameKind.SECRET }) },
});
webhooks.signingSecret.grantRead(sender);

// Assertions name resources by physical name: a token would be a reference across the stage boundary.
const name = (base: string, kind: NameKind) => PhysicalName.of(webhooks, base, { kind });
const senderName = name('webhook-sender', NameKind.LAMBDA_FUNCTION);
const paymentsTable = name('payments', NameKind.DYNAMODB_TABLE);
const integ = new IntegTest(app, 'PaymentWebhook', { testCases: [webhooks], regions: [stage.environment.region] });

const event = (id: string, paymentId: string) => JSON.stringify({
  id, type: 'payment.succeeded', createdAt: '2026-11-23T10:00:00Z', data: { paymentId, amount: 1250, currency: 'EUR', status: 'succeeded' },
});
const send = (request: object) => integ.assertions.invokeFunction({ functionName: senderName, payload: JSON.stringify(request) });
const storedEvents = (paymentId: string) => integ.assertions.awsApiCall('DynamoDB', 'query', {
  TableName: paymentsTable,
  KeyConditionExpression: 'paymentId = :p',
  ExpressionAttributeValues: { ':p': { S: paymentId } },
  ConsistentRead: true,
});

// 1. A signed POST is accepted with 202 and the payment appears in the table.
const accepted = send({ body: event('evt-integ-1', 'pay-integ-1') });
accepted.expect(ExpectedResult.objectLike({ Payload: Match.serializedJson({ statuses: [202] }) }));
const stored = storedEvents('pay-integ-1');
stored.expect(ExpectedResult.objectLike({ Count: 1, Items: [Match.objectLike({ eventId: { S: 'evt-integ-1' }, amount: { N: '1250' } })] }));
stored.waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) });

// 2. The same event delivered twice is accepted twice and stored once.
const duplicate = send({ body: event('evt-integ-2', 'pay-integ-2'), times: 2 });
duplicate.expect(ExpectedResult.objectLike({ Payload: Match.serializedJson({ statuses: [202, 202] }) }));
const storedOnce = storedEvents('pay-integ-2');
storedOnce.expect(ExpectedResult.objectLike({ Count: 1 }));
storedOnce.waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) });

// 3. A bad signature gets 401 and nothing is stored (checked after the good events above have landed).
const forged = send({ body: event('evt-integ-3', 'pay-integ-3'), tamper: true });
forged.expect(ExpectedResult.objectLike({ Payload: Match.serializedJson({ statuses: [401] }) }));
const notStored = storedEvents('pay-integ-3');
notStored.expect(ExpectedResult.objectLike({ Count: 0 }));

// 4. A poison message ends in the dead-letter queue after maxReceiveCount receives.
const inboundUrl = integ.assertions.awsApiCall('SQS', 'getQueueUrl', { QueueName: name('webhooks-inbound', NameKind.SQS_QUEUE) });
const dlqUrl = integ.assertions.awsApiCall('SQS', 'getQueueUrl', { QueueName: name('webhooks-inbound-dlq', NameKind.SQS_QUEUE) });
const poison = integ.assertions.awsApiCall('SQS', 'sendMessage', { QueueUrl: inboundUrl.getAttString('QueueUrl'), MessageBody: '{"id": "poison"' });
const deadLettered = integ.assertions.awsApiCall('SQS', 'receiveMessage', { QueueUrl: dlqUrl.getAttString('QueueUrl'), WaitTimeSeconds: 20, MaxNumberOfMessages: 1 });
deadLettered.expect(ExpectedResult.objectLike({ Messages: [Match.objectLike({ Body: '{"id": "poison"' })] }));
deadLettered.waitForAssertions({ totalTimeout: Duration.minutes(15), interval: Duration.seconds(30) });

// 5. The deployed error-rate alarms carry the metric math the code says.
const alarms = integ.assertions.awsApiCall('CloudWatch', 'describeAlarms', { AlarmNamePrefix: webhooks.stackName });
alarms.expect(ExpectedResult.objectLike({
  MetricAlarms: Match.arrayWith([Match.objectLike({
    Metrics: Match.arrayWith([Match.objectLike({ Expression: Match.stringLikeRegexp('100 \\* FILL\\(errors, 0\\) / FILL\\(requests, 0\\)') })]),
  })]),
}));

// 6. Every resource kind deployed carries all the stage's required tags (found through the tagging API by all tags at once).
const tagged = integ.assertions.awsApiCall('ResourceGroupsTaggingAPI', 'getResources', {
  TagFilters: Object.entries(stage.tags).map(([Key, Value]) => ({ Key, Values: [Value] })),
});
tagged.expect(ExpectedResult.objectLike({
  ResourceTagMappingList: Match.arrayWith([
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:table/${paymentsTable}$`) }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:${name('webhooks-inbound', NameKind.SQS_QUEUE)}$`) }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:function:${name('webhook-receiver', NameKind.LAMBDA_FUNCTION)}$`) }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:function:${name('webhook-processor', NameKind.LAMBDA_FUNCTION)}$`) }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:secret:${name('webhook-signing-secret', NameKind.SECRET)}-`) }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(':key/') }),
  ]),
}));

// 7. Last, because it gets the simulator's IP blocked: requests beyond the WAF rate are refused with 403.
const burst = send({ body: event('evt-integ-burst', 'pay-integ-burst'), burstSeconds: 100 });
burst.expect(ExpectedResult.objectLike({ Payload: Match.serializedJson(Match.objectLike({ blocked: true })) }));

accepted.next(stored).next(duplicate).next(storedOnce).next(forged).next(notStored)
  .next(inboundUrl).next(dlqUrl).next(poison).next(deadLettered)
  .next(alarms).next(tagged).next(burst);

app.synth();
