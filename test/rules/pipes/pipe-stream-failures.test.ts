import { App, CfnParameter } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { PipeStreamFailures } from '../../../src/rules/pipes/pipe-stream-failures';
import { findingsOf, lines, shop } from '../rule-harness';

const DLQ = PipeStreamFailures.DEAD_LETTER.id;
const RETRIES = PipeStreamFailures.UNBOUNDED_RETRIES.id;
const ROLE = 'arn:aws:iam::123456789012:role/pipe';

function c12(app: App) {
  return findingsOf(app, [DLQ, RETRIES], { stage: 'prod' });
}

describe('PipeStreamFailures', () => {
  test('passes stream pipes with a DLQ and bounded retries, and an SQS-source pipe (its queue\'s redrive is the DLQ)', () => {
    const { app, stack } = shop();
    const table = new dynamodb.Table(stack, 'Outbox', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_IMAGE });
    const target = new sqs.Queue(stack, 'Published');
    const undelivered = new sqs.Queue(stack, 'Undelivered');
    new pipes.CfnPipe(stack, 'OutboxPipe', {
      roleArn: ROLE,
      source: table.tableStreamArn!,
      sourceParameters: { dynamoDbStreamParameters: { startingPosition: 'LATEST', maximumRetryAttempts: 3, deadLetterConfig: { arn: undelivered.queueArn } } },
      target: target.queueArn,
    });
    const stream = new kinesis.Stream(stack, 'Payments');
    new pipes.CfnPipe(stack, 'PaymentsPipe', {
      roleArn: ROLE,
      source: stream.streamArn,
      sourceParameters: { kinesisStreamParameters: { startingPosition: 'TRIM_HORIZON', maximumRecordAgeInSeconds: 3600, deadLetterConfig: { arn: undelivered.queueArn } } },
      target: target.queueArn,
    });
    new pipes.CfnPipe(stack, 'QueuePipe', { roleArn: ROLE, source: target.queueArn, sourceParameters: { sqsQueueParameters: { batchSize: 10 } }, target: undelivered.queueArn });
    expect(c12(app)).toEqual([]);
  });

  test('fails a stream pipe with neither a DLQ nor bounded retries', () => {
    const { app, stack } = shop();
    const stream = new kinesis.Stream(stack, 'Payments');
    new pipes.CfnPipe(stack, 'PaymentsPipe', {
      roleArn: ROLE,
      source: stream.streamArn,
      sourceParameters: { kinesisStreamParameters: { startingPosition: 'LATEST', maximumRetryAttempts: -1 } },
      target: 'arn:aws:sqs:eu-west-1:123456789012:published',
    });
    const findings = c12(app);
    expect(lines(findings)).toEqual([`${RETRIES} Shop/PaymentsPipe`, `${DLQ} Shop/PaymentsPipe`]);
    expect(findings.find(f => f.ruleId === RETRIES)).toMatchObject({
      severity: 'error',
      message: 'AWS::Pipes::Pipe PaymentsPipe reads a stream (KinesisStreamParameters) with MaximumRetryAttempts and MaximumRecordAgeInSeconds unset or -1, so one failing batch blocks its shard until the records expire.',
      locations: ['Properties/SourceParameters/KinesisStreamParameters/MaximumRetryAttempts'],
    });
  });

  test('leaves intrinsic parameters alone', () => {
    const { app, stack } = shop();
    const retries = new CfnParameter(stack, 'Retries', { type: 'Number', minValue: 0, maxValue: 10 });
    new pipes.CfnPipe(stack, 'Pipe', {
      roleArn: ROLE,
      source: 'arn:aws:kinesis:eu-west-1:123456789012:stream/payments',
      sourceParameters: { kinesisStreamParameters: { startingPosition: 'LATEST', maximumRetryAttempts: retries.valueAsNumber, deadLetterConfig: { arn: 'arn:aws:sqs:eu-west-1:123456789012:dlq' } } },
      target: 'arn:aws:sqs:eu-west-1:123456789012:published',
    });
    new pipes.CfnPipe(stack, 'Conditional', { roleArn: ROLE, source: 'arn:aws:kinesis:eu-west-1:123456789012:stream/payments', target: 'arn:aws:sqs:eu-west-1:123456789012:published' })
      .addPropertyOverride('SourceParameters', { 'Fn::If': ['C', { KinesisStreamParameters: { StartingPosition: 'LATEST' } }, { Ref: 'AWS::NoValue' }] });
    expect(c12(app)).toEqual([]);
  });
});
