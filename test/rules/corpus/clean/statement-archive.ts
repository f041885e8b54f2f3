import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import { alertTopic, dataBucket, dataKey, errorRateAlarm, firstMessageAlarm, handler, tagWorkload, workQueue } from '../careful-team';

/** One stack: a KMS-encrypted statement bucket emptied in dev, whose uploads notify a queue a function reads. */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `StatementArchive-${stage}`);
  tagWorkload(stack, stage, 'statement-archive');
  const key = dataKey(stack, 'ArchiveKey', stage);
  const topic = alertTopic(stack, key);

  const bucket = dataBucket(stack, 'Statements', key, stage, { lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }] });
  // Its own key: a key that encrypts the bucket and names the bucket in its policy would make a dependency cycle.
  const queueKey = dataKey(stack, 'QueueKey', stage);
  queueKey.grant(new iam.ServicePrincipal('s3.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const { queue, dlq } = workQueue(stack, 'Uploaded', queueKey, stage);
  bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(queue), { prefix: 'incoming/' });
  firstMessageAlarm(stack, 'UploadedDlqAlarm', dlq, topic);

  const indexer = handler(stack, 'IndexStatement', stage);
  bucket.grantRead(indexer);
  queue.grantConsumeMessages(indexer);
  indexer.addEventSourceMapping('FromUploaded', { eventSourceArn: queue.queueArn, batchSize: 10, reportBatchItemFailures: true });
  errorRateAlarm(stack, 'IndexStatementErrors', indexer, topic);
}
