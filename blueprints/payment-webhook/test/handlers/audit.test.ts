import { marshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { context, logEntries, metricsPrinted } from './handler-environment';
import { handler } from '../../src/handlers/audit';

const ITEM = { paymentId: 'pay_1', eventId: 'evt_1', eventType: 'payment.succeeded', amount: 990, currency: 'GBP', status: 'succeeded' };

function streamRecord(eventID: string, dynamodb: DynamoDBRecord['dynamodb']): DynamoDBRecord {
  return { eventID, eventName: 'INSERT', eventSource: 'aws:dynamodb', awsRegion: 'eu-west-1', dynamodb };
}

describe('audit', () => {
  test('unmarshalls the new image with the SDK and logs one structured audit line per record', async () => {
    const image = marshall(ITEM) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
    const event: DynamoDBStreamEvent = { Records: [streamRecord('r1', { NewImage: image, SequenceNumber: '1' })] };
    const { result, metrics } = await metricsPrinted(() => handler(event, context));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(metrics.map(m => m.name)).toEqual(['PaymentsAudited']);
    const audit = logEntries().find(entry => entry.message === 'payment audit');
    expect(audit?.audit).toEqual({ action: 'INSERT', paymentId: 'pay_1', eventId: 'evt_1', eventType: 'payment.succeeded', amount: 990, currency: 'GBP', status: 'succeeded' });
  });

  test('a record without an image is reported as a batch item failure by its sequence number', async () => {
    const image = marshall(ITEM) as NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];
    const event: DynamoDBStreamEvent = { Records: [streamRecord('r1', { NewImage: image, SequenceNumber: '41' }), streamRecord('r2', { SequenceNumber: '42' })] };
    const result = await handler(event, context);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '42' }] });
  });
});
