import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { context, metricsPrinted } from './fraud-handler-environment';
import { documentClient, transactionsTable } from './transactions-table';
import type { ReviewRequest } from '../../src/handlers/review-request';
import { handler, PENDING_REVIEW } from '../../src/handlers/reviewer';

let table: Map<string, Record<string, any>>;

function request(transactionId: string): ReviewRequest {
  return { transactionId, merchantId: 'm_1', amount: 90_000, currency: 'EUR', country: 'DE', timestamp: '2026-12-03T12:00:00.000Z', score: 60, level: 'HIGH', reasons: ['amount: ...'] };
}

function record(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    body,
    receiptHandle: `rh-${messageId}`,
    attributes: { ApproximateReceiveCount: '1' } as SQSRecord['attributes'],
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:payments-fraud-review-test',
    awsRegion: 'eu-west-1',
  };
}

function batch(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

/** The scorer recorded these transactions as flagged. */
function scored(...ids: string[]): void {
  for (const id of ids) table.set(id, { ...request(id), flagged: true, alerted: true });
}

beforeEach(() => {
  table = transactionsTable();
});

describe('reviewer', () => {
  test('opens a review: the transaction becomes PENDING_REVIEW, conditionally, and ReviewsOpened is counted', async () => {
    scored('tx_1');
    const { result, metrics } = await metricsPrinted(() => handler(batch(record('m1', JSON.stringify(request('tx_1')))), context));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(table.get('tx_1')).toMatchObject({ reviewStatus: PENDING_REVIEW, reviewMessageId: 'm1', reviewOpenedAt: expect.any(String) });
    expect(documentClient.commandCalls(UpdateCommand)[0].args[0].input).toMatchObject({
      TableName: 'payments-transactions-test',
      Key: { transactionId: 'tx_1' },
      ConditionExpression: 'attribute_exists(transactionId) AND attribute_not_exists(reviewStatus)',
    });
    expect(metrics).toEqual([{ name: 'ReviewsOpened', dimensions: { service: 'fraud-detection', stage: 'test' }, value: 1 }]);
  });

  test('a redelivered message succeeds without touching a review already open or moved on by an analyst', async () => {
    scored('tx_1');
    table.get('tx_1')!.reviewStatus = 'CLEARED';
    const { result, metrics } = await metricsPrinted(() => handler(batch(record('m2', JSON.stringify(request('tx_1')))), context));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(table.get('tx_1')!.reviewStatus).toBe('CLEARED');
    expect(table.get('tx_1')).not.toHaveProperty('reviewMessageId');
    expect(metrics.map(m => m.name)).toEqual(['ReviewsDuplicate']);
  });

  test('partial batch failure: a malformed message and one for an unknown transaction fail alone, the rest are opened', async () => {
    scored('tx_1', 'tx_3');
    const result = await handler(batch(
      record('good', JSON.stringify(request('tx_1'))),
      record('malformed', JSON.stringify({ transactionId: 'tx_2' })),
      record('unknown', JSON.stringify(request('tx_missing'))),
      record('not-json', '{'),
      record('also-good', JSON.stringify(request('tx_3'))),
    ), context);
    // Records run concurrently: failures come back in the order they failed.
    expect(result.batchItemFailures.map(f => f.itemIdentifier).sort()).toEqual(['malformed', 'not-json', 'unknown']);
    expect(table.get('tx_1')!.reviewStatus).toBe(PENDING_REVIEW);
    expect(table.get('tx_3')!.reviewStatus).toBe(PENDING_REVIEW);
    expect(table.has('tx_missing')).toBe(false);
  });

  test('a DynamoDB outage fails the records so SQS delivers them again; a batch where all fail is retried whole', async () => {
    scored('tx_1');
    documentClient.on(UpdateCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(handler(batch(record('m1', JSON.stringify(request('tx_1')))), context)).rejects.toThrow('All records failed processing');
  });
});
