import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import { ENV, alertTopic, dataKey, dataStream, deadLetterQueue, errorRateAlarm, firstMessageAlarm, handler, tagWorkload } from '../careful-team';

/**
 * A Kinesis stream of card authorizations, on a key of its own, written by the authorizer and read by a scoring function; batches that keep
 * failing go to an SQS on-failure destination. With `handWrittenPut` (a defect app), the authorizer's put is allowed by
 * a hand-written statement, without the stream's key; with `handWrittenRead` (another), the scoring function reads the
 * stream through a mapping it adds itself, with the read statements written by hand, without the stream's key.
 */
export function build(app: App, stage: string, { handWrittenPut = false, handWrittenRead = false }: {
  readonly handWrittenPut?: boolean;
  readonly handWrittenRead?: boolean;
} = {}): void {
  const stack = new Stack(app, `Authorizations-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'authorizations');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  // Authorizations carry card data (PCI DSS scope): their stream has a key of its own, which only its writer and reader may use.
  const stream = dataStream(stack, 'Authorizations', dataKey(stack, 'CardDataKey', stage), stage);
  const failed = deadLetterQueue(stack, 'FailedBatches', key, stage);
  const score = handler(stack, 'Score', stage, { timeout: Duration.seconds(30) });
  const reading = {
    startingPosition: lambda.StartingPosition.LATEST,
    batchSize: 100,
    bisectBatchOnError: true,
    retryAttempts: 3,
    maxRecordAge: Duration.hours(1),
    reportBatchItemFailures: true,
    onFailure: new sources.SqsDlq(failed),
  };
  if (handWrittenRead) {
    score.addEventSourceMapping('FromAuthorizations', { eventSourceArn: stream.streamArn, ...reading });
    score.addToRolePolicy(new iam.PolicyStatement({
      actions: ['kinesis:DescribeStream', 'kinesis:DescribeStreamSummary', 'kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:ListShards'],
      resources: [stream.streamArn],
    }));
  } else {
    score.addEventSource(new sources.KinesisEventSource(stream, reading));
  }
  errorRateAlarm(stack, 'ScoreErrors', score, topic);
  // The authorizer publishes each decision into the stream; the grant covers the stream's key, a hand-written put would not.
  const authorize = handler(stack, 'Authorize', stage, { environment: { STREAM_NAME: stream.streamName } });
  if (handWrittenPut) authorize.addToRolePolicy(new iam.PolicyStatement({ actions: ['kinesis:PutRecord', 'kinesis:PutRecords'], resources: [stream.streamArn] }));
  else stream.grantWrite(authorize);
  errorRateAlarm(stack, 'AuthorizeErrors', authorize, topic);
  firstMessageAlarm(stack, 'FailedBatchesAlarm', failed, topic);
}
