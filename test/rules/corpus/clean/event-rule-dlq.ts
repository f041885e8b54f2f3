import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { ENV, alertTopic, dataKey, deadLetterQueue, errorRateAlarm, firstMessageAlarm, handler, tagWorkload } from '../careful-team';

/** An EventBridge bus rule sends payment events to a function; the target and the function keep what they fail on. */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `FraudScreening-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'fraud-screening');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  // EventBridge writes into the encrypted dead-letter queue with the queue's key.
  key.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const bus = new events.EventBus(stack, 'Payments');
  const undelivered = deadLetterQueue(stack, 'Undelivered', key, stage);
  const failed = deadLetterQueue(stack, 'ScreeningFailures', key, stage);
  const screen = handler(stack, 'Screen', stage, { onFailure: new destinations.SqsDestination(failed), retryAttempts: 2 });
  new events.Rule(stack, 'PaymentCreated', {
    eventBus: bus,
    eventPattern: { source: ['payments'], detailType: ['PaymentCreated'] },
    targets: [new targets.LambdaFunction(screen, { deadLetterQueue: undelivered, retryAttempts: 4, maxEventAge: Duration.hours(2) })],
  });
  errorRateAlarm(stack, 'ScreenErrors', screen, topic);
  firstMessageAlarm(stack, 'UndeliveredAlarm', undelivered, topic);
  firstMessageAlarm(stack, 'ScreeningFailuresAlarm', failed, topic);
}
