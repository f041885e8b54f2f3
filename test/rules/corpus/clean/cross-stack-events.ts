import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { ENV, alertTopic, dataKey, deadLetterQueue, errorRateAlarm, firstMessageAlarm, handler, tagWorkload, workQueue } from '../careful-team';

/**
 * Events cross stacks: a producer stack owns the bus and the topic; a consumer stack subscribes its queue to the topic
 * and has a bus rule deliver into another queue; an operations stack holds the alert topic every alarm pages. The producer
 * also forwards every payment event to the central monitoring bus of another account.
 */
export function build(app: App, stage: string): void {
  const producer = new Stack(app, `Payments-${stage}`, { env: ENV });
  const consumer = new Stack(app, `Ledger-${stage}`, { env: ENV });
  const operations = new Stack(app, `Operations-${stage}`, { env: ENV });
  for (const stack of [producer, consumer, operations]) tagWorkload(stack, stage, 'payments-platform');

  const alertKey = dataKey(operations, 'AlertKey', stage);
  const alerts = alertTopic(operations, alertKey);

  const producerKey = dataKey(producer, 'Key', stage);
  producerKey.grant(new iam.ServicePrincipal('sns.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const settled = new sns.Topic(producer, 'PaymentSettled', { masterKey: producerKey, enforceSSL: true });
  const bus = new events.EventBus(producer, 'PaymentsBus');

  const consumerKey = dataKey(consumer, 'Key', stage);
  for (const service of ['sns.amazonaws.com', 'events.amazonaws.com']) consumerKey.grant(new iam.ServicePrincipal(service), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const { queue: postings, dlq: postingsDlq } = workQueue(consumer, 'Postings', consumerKey, stage);
  const undelivered = deadLetterQueue(consumer, 'PostingsSubscriptionDlq', consumerKey, stage);
  settled.addSubscription(new subscriptions.SqsSubscription(postings, { rawMessageDelivery: true, deadLetterQueue: undelivered }));
  const { queue: refunds, dlq: refundsDlq } = workQueue(consumer, 'Refunds', consumerKey, stage);
  const ruleDlq = deadLetterQueue(consumer, 'RefundRuleDlq', consumerKey, stage);
  new events.Rule(consumer, 'RefundRequested', {
    eventBus: bus,
    eventPattern: { source: ['payments'], detailType: ['RefundRequested'] },
    targets: [new targets.SqsQueue(refunds, { deadLetterQueue: ruleDlq, retryAttempts: 8, maxEventAge: Duration.hours(6) })],
  });
  const post = handler(consumer, 'Post', stage);
  post.addEventSource(new sources.SqsEventSource(postings, { reportBatchItemFailures: true }));
  const refund = handler(consumer, 'Refund', stage);
  refund.addEventSource(new sources.SqsEventSource(refunds, { reportBatchItemFailures: true }));

  // The platform's central monitoring bus, in the monitoring account, gets every payment event too; an event bus target
  // takes no retry policy, only a dead-letter queue.
  producerKey.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const forwardDlq = deadLetterQueue(producer, 'ForwardDlq', producerKey, stage);
  const central = events.EventBus.fromEventBusArn(producer, 'Central', `arn:aws:events:${ENV.region}:999999999999:event-bus/monitoring-${stage}`);
  new events.Rule(producer, 'ForwardToMonitoring', {
    eventBus: bus,
    eventPattern: { source: ['payments'] },
    targets: [new targets.EventBus(central, { deadLetterQueue: forwardDlq })],
  });

  errorRateAlarm(operations, 'PostErrors', post, alerts);
  errorRateAlarm(operations, 'RefundErrors', refund, alerts);
  for (const [id, queue] of [
    ['PostingsDlq', postingsDlq], ['PostingsSubscriptionDlq', undelivered], ['RefundsDlq', refundsDlq], ['RefundRuleDlq', ruleDlq], ['ForwardDlq', forwardDlq],
  ] as const) {
    firstMessageAlarm(operations, `${id}Alarm`, queue, alerts);
  }
}
