import { App, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { ENV, alertTopic, dataKey, deadLetterQueue, errorRateAlarm, firstMessageAlarm, handler, tagWorkload, workQueue } from '../careful-team';

/** An SNS topic fans payment notifications out to a queue and a function; each subscription redrives to a DLQ. */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `Notifications-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'notifications');
  const key = dataKey(stack, 'Key', stage);
  key.grant(new iam.ServicePrincipal('sns.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const alerts = alertTopic(stack, key);
  // The topic on a key of its own: under @aws-cdk/aws-sns-subscriptions:restrictSqsDescryption (a `cdk init` default) the
  // queues' key policy names the topic, which on the same key would depend on itself (aws/aws-cdk#35418).
  const payments = new sns.Topic(stack, 'PaymentEvents', { masterKey: dataKey(stack, 'PaymentEventsKey', stage), enforceSSL: true });

  const { queue, dlq } = workQueue(stack, 'Emails', key, stage);
  const undeliveredToQueue = deadLetterQueue(stack, 'EmailsSubscriptionDlq', key, stage);
  payments.addSubscription(new subscriptions.SqsSubscription(queue, { rawMessageDelivery: true, deadLetterQueue: undeliveredToQueue }));

  const sender = handler(stack, 'SendEmail', stage);
  sender.addEventSource(new sources.SqsEventSource(queue, { reportBatchItemFailures: true }));

  const pusher = handler(stack, 'PushNotification', stage);
  const undeliveredToFunction = deadLetterQueue(stack, 'PushSubscriptionDlq', key, stage);
  payments.addSubscription(new subscriptions.LambdaSubscription(pusher, { deadLetterQueue: undeliveredToFunction }));
  const pushFailures = deadLetterQueue(stack, 'PushFailures', key, stage);
  pusher.configureAsyncInvoke({ onFailure: new destinations.SqsDestination(pushFailures), retryAttempts: 2 });

  for (const [id, fn] of [['SendEmailErrors', sender], ['PushNotificationErrors', pusher]] as const) errorRateAlarm(stack, id, fn, alerts);
  for (const [id, q] of [['EmailsDlqAlarm', dlq], ['EmailsSubscriptionDlqAlarm', undeliveredToQueue], ['PushSubscriptionDlqAlarm', undeliveredToFunction], ['PushFailuresAlarm', pushFailures]] as const) {
    firstMessageAlarm(stack, id, q, alerts);
  }
}
