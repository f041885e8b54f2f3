import { App, Duration, Size, Stack } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as logsDestinations from 'aws-cdk-lib/aws-logs-destinations';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ENV, alertTopic, dataBucket, dataKey, errorRateAlarm, firstMessageAlarm, handler, isDurable, removalFor, tagWorkload } from '../careful-team';

/** A FIFO queue encrypted with the stage key, TLS only, kept 14 days. */
function fifoQueue(stack: Stack, id: string, key: ReturnType<typeof dataKey>, stage: string, deadLetterQueue?: sqs.DeadLetterQueue): sqs.Queue {
  return new sqs.Queue(stack, id, {
    fifo: true,
    contentBasedDeduplication: true,
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: key,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    visibilityTimeout: Duration.seconds(60),
    deadLetterQueue,
    removalPolicy: removalFor(stage),
  });
}

/**
 * Ledger postings in order: a FIFO topic fans each account's postings out to a FIFO queue per consumer (their
 * redrive policies and the subscription's own dead-letter queue FIFO too), and a function posts them in order. The
 * function's logs are also streamed through a subscription filter to a Firehose stream that archives them, compressed
 * and encrypted, in a bucket kept seven years.
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `LedgerPostings-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'ledger-postings');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  // The topic on a key of its own: under @aws-cdk/aws-sns-subscriptions:restrictSqsDescryption (a `cdk init` default) the
  // queues' key policy names the topic, which on the same key would depend on itself (aws/aws-cdk#35418).
  const postings = new sns.Topic(stack, 'Postings', { fifo: true, contentBasedDeduplication: true, masterKey: dataKey(stack, 'PostingsKey', stage), enforceSSL: true });
  const postingsDlq = fifoQueue(stack, 'PostingsDlq', key, stage);
  const postingsQueue = fifoQueue(stack, 'PostingsQueue', key, stage, { queue: postingsDlq, maxReceiveCount: 3 });
  const undelivered = fifoQueue(stack, 'UndeliveredPostings', key, stage);
  postings.addSubscription(new subscriptions.SqsSubscription(postingsQueue, { rawMessageDelivery: true, deadLetterQueue: undelivered }));
  firstMessageAlarm(stack, 'PostingsDlqAlarm', postingsDlq, topic);
  firstMessageAlarm(stack, 'UndeliveredPostingsAlarm', undelivered, topic);

  const post = handler(stack, 'PostToLedger', stage);
  post.addEventSource(new sources.SqsEventSource(postingsQueue, { batchSize: 10, reportBatchItemFailures: true }));
  errorRateAlarm(stack, 'PostToLedgerErrors', post, topic);

  const archive = dataBucket(stack, 'LogArchive', key, stage, { lifecycleRules: [{ expiration: Duration.days(isDurable(stage) ? 2557 : 30) }] });
  const delivery = new firehose.DeliveryStream(stack, 'LogDelivery', {
    destination: new firehose.S3Bucket(archive, {
      compression: firehose.Compression.GZIP,
      encryptionKey: key,
      bufferingInterval: Duration.minutes(5),
      bufferingSize: Size.mebibytes(64),
      dataOutputPrefix: 'ledger-postings/',
      errorOutputPrefix: 'failed/',
      // Firehose's own delivery errors, in a log group removed with the stage like every other.
      loggingConfig: new firehose.EnableLogging(new logs.LogGroup(stack, 'DeliveryErrors', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) })),
    }),
    encryption: firehose.StreamEncryption.customerManagedKey(key),
  });
  new logs.SubscriptionFilter(stack, 'ArchivePostLogs', {
    logGroup: post.logGroup,
    destination: new logsDestinations.FirehoseDestination(delivery),
    filterPattern: logs.FilterPattern.allEvents(),
  });
}
