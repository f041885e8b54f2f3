import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { ENV, alertTopic, dataKey, deadLetterQueue, errorRateAlarm, firstMessageAlarm, handler, tagWorkload } from '../careful-team';

/**
 * An EventBridge Scheduler schedule invokes the settlement function; what it cannot deliver goes to an encrypted DLQ that
 * its execution role may write, and a run that fails Lambda's retries to an on-failure queue. With `cdkDefaultRole` (a defect app), the target keeps the role CDK creates for it, which
 * gets sqs:SendMessage on the DLQ but not its key.
 */
export function build(app: App, stage: string, { cdkDefaultRole = false }: { readonly cdkDefaultRole?: boolean } = {}): void {
  const stack = new Stack(app, `Settlement-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'settlement');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  // Scheduler invokes the function asynchronously: a run that fails Lambda's retries is kept for investigation and replay.
  const failedRuns = deadLetterQueue(stack, 'FailedRuns', key, stage);
  const settle = handler(stack, 'Settle', stage, { timeout: Duration.minutes(5), memorySize: 1024, onFailure: new destinations.SqsDestination(failedRuns) });
  const undelivered = deadLetterQueue(stack, 'Undelivered', key, stage);
  // The schedule writes what it cannot deliver as its execution role, which therefore needs the queue's key as well.
  const role = cdkDefaultRole ? undefined : new iam.Role(stack, 'ScheduleRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
  if (role) undelivered.grantSendMessages(role);
  new scheduler.Schedule(stack, 'Daily', {
    schedule: scheduler.ScheduleExpression.cron({ minute: '30', hour: '23' }),
    target: new schedulerTargets.LambdaInvoke(settle, { role, deadLetterQueue: undelivered, retryAttempts: 3, maxEventAge: Duration.hours(1) }),
  });
  errorRateAlarm(stack, 'SettleErrors', settle, topic);
  firstMessageAlarm(stack, 'UndeliveredAlarm', undelivered, topic);
  firstMessageAlarm(stack, 'FailedRunsAlarm', failedRuns, topic);
}
