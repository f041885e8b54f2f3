import { App, Duration, NestedStack, Stack, StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV, errorRateAlarm, firstMessageAlarm, handler, postingLedger, removalFor } from '../careful-team';

/** The tags the platform team's deployment tooling asks every stack to carry, as stack tags. */
function platformTags(stage: string, application: string): Record<string, string> {
  return { Environment: stage, Team: 'payments', CostCenter: 'cc-4711', Application: application };
}

/**
 * A ledger whose stacks are tagged the way many platform teams do it: with `new Stack(app, id, { tags })`, which CDK
 * passes to CloudFormation as stack tags and CloudFormation propagates to every resource, nested stacks included; the
 * templates carry no Tags property at all. A raw queue (which Tags.of would never reach) and a nested stack get the
 * tags the same way.
 */
export class StackTaggedLedger extends Stack {
  constructor(scope: Construct, id: string, stage: string, props: StackProps) {
    super(scope, id, { ...props, tags: platformTags(stage, 'ledger') });
    const { key, topic, table: postings } = postingLedger(this, stage, { table: 'Postings', partitionKey: 'postingId', environmentVariable: 'TABLE_NAME' });

    // The replay queue is written as raw CloudFormation, as the team's migration tool emits it.
    const replayDlq = new sqs.CfnQueue(this, 'ReplayDlq', { kmsMasterKeyId: key.keyArn, messageRetentionPeriod: 1209600 });
    replayDlq.applyRemovalPolicy(removalFor(stage));
    const replay = new sqs.CfnQueue(this, 'Replay', {
      kmsMasterKeyId: key.keyArn,
      redrivePolicy: { deadLetterTargetArn: replayDlq.attrArn, maxReceiveCount: 3 },
    });
    replay.applyRemovalPolicy(removalFor(stage));
    for (const queue of [replay, replayDlq]) {
      new sqs.CfnQueuePolicy(this, `${queue.node.id}Policy`, {
        queues: [queue.ref],
        policyDocument: {
          Statement: [{ Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: queue.attrArn, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
        },
      });
    }
    firstMessageAlarm(this, 'ReplayDlqAlarm', sqs.Queue.fromQueueAttributes(this, 'ReplayDlqRef', { queueArn: replayDlq.attrArn, queueName: replayDlq.attrQueueName }), topic);

    const reports = new NestedStack(this, 'Reports');
    const reportLogs = new logs.LogGroup(reports, 'ReportLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
    const report = handler(reports, 'DailyReport', stage, { timeout: Duration.minutes(2), logGroup: reportLogs });
    postings.grantReadData(report);
    errorRateAlarm(reports, 'DailyReportErrors', report, topic);
  }
}

/** One ledger stack tagged by its stack props. */
export function build(app: App, stage: string): void {
  new StackTaggedLedger(app, `StackTaggedLedger-${stage}`, stage, { env: ENV });
}
