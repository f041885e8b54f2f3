import { App, Duration, NestedStack, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV, alertTopic, dataKey, deadLetterQueue, errorRateAlarm, firstMessageAlarm, handler, tagWorkload, workQueue } from '../careful-team';

/** The reconciliation job: a nightly rule runs a function that reads a queue; its alarms live in the parent. */
class Reconciliation extends NestedStack {
  public readonly job: lambda.Function;
  public readonly dlq: sqs.Queue;
  public readonly ruleDlq: sqs.Queue;

  constructor(scope: Construct, id: string, stage: string, key: kms.IKey) {
    super(scope, id);
    const { queue, dlq } = workQueue(this, 'Mismatches', key, stage);
    this.dlq = dlq;
    this.ruleDlq = deadLetterQueue(this, 'NightlyDlq', key, stage);
    this.job = handler(this, 'Reconcile', stage, {
      environment: { QUEUE_URL: queue.queueUrl },
      onFailure: new destinations.SqsDestination(this.ruleDlq),
    });
    queue.grantSendMessages(this.job);
    new events.Rule(this, 'Nightly', {
      schedule: events.Schedule.cron({ minute: '0', hour: '2' }),
      targets: [new targets.LambdaFunction(this.job, { deadLetterQueue: this.ruleDlq, retryAttempts: 3, maxEventAge: Duration.hours(2) })],
    });
  }
}

/** A nested stack whose resources are alarmed from the parent stack. */
export function build(app: App, stage: string): void {
  const parent = new Stack(app, `Reconciliation-${stage}`, { env: ENV });
  tagWorkload(parent, stage, 'reconciliation');
  const key = dataKey(parent, 'Key', stage);
  key.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const topic = alertTopic(parent, key);
  const nested = new Reconciliation(parent, 'Job', stage, key);
  errorRateAlarm(parent, 'ReconcileErrors', nested.job, topic);
  firstMessageAlarm(parent, 'MismatchesDlqAlarm', nested.dlq, topic);
  firstMessageAlarm(parent, 'NightlyDlqAlarm', nested.ruleDlq, topic);
}
