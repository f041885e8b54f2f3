import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import { ENV, alertTopic, dataKey, dataStream, deadLetterQueue, errorRateAlarm, firstMessageAlarm, handler, tagWorkload } from '../careful-team';

/** A Kinesis stream of card authorizations read by a function; batches that keep failing go to an SQS on-failure destination. */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `Authorizations-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'authorizations');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  const stream = dataStream(stack, 'Authorizations', key, stage);
  const failed = deadLetterQueue(stack, 'FailedBatches', key, stage);
  const score = handler(stack, 'Score', stage, { timeout: Duration.seconds(30) });
  score.addEventSource(new sources.KinesisEventSource(stream, {
    startingPosition: lambda.StartingPosition.LATEST,
    batchSize: 100,
    bisectBatchOnError: true,
    retryAttempts: 3,
    maxRecordAge: Duration.hours(1),
    reportBatchItemFailures: true,
    onFailure: new sources.SqsDlq(failed),
  }));
  errorRateAlarm(stack, 'ScoreErrors', score, topic);
  firstMessageAlarm(stack, 'FailedBatchesAlarm', failed, topic);
}
