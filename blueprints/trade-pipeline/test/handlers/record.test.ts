import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { context, logEntries, metricsPrinted, TRADE } from './trade-handler-environment';
import { enrichTrade } from '../../src/handlers/enrichment';
import { handler } from '../../src/handlers/record';

const dynamodb = mockClient(DynamoDBClient);
const enriched = enrichTrade({ ...TRADE }, 2);

beforeEach(() => {
  dynamodb.reset();
  dynamodb.on(PutItemCommand).resolves({});
});

function refused(item?: Record<string, unknown>) {
  return new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, ...(item ? { Item: marshall(item) } : {}) });
}

describe('record', () => {
  test('writes the enriched trade once per trade id, with what the source-system index reads', async () => {
    const { result, metrics } = await metricsPrinted(() => handler({ trade: enriched, eventId: 'evt-1' }, context));
    expect(result).toEqual({ tradeId: 'T-1001', status: 'RECORDED', recorded: true, duplicate: false, bookingKey: enriched.bookingKey, settlementDate: '2026-12-07' });
    const [put] = dynamodb.commandCalls(PutItemCommand);
    expect(put.args[0].input).toMatchObject({
      TableName: 'trading-trades-test',
      ConditionExpression: 'attribute_not_exists(tradeId) OR #status IN (:rejected, :failed)',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':rejected': { S: 'REJECTED' }, ':failed': { S: 'FAILED' } },
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    });
    expect(unmarshall(put.args[0].input.Item!)).toEqual({
      ...enriched, status: 'RECORDED', eventId: 'evt-1', recordedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    });
    expect(metrics).toEqual([{ name: 'TradesRecorded', dimensions: { service: 'trade-pipeline', stage: 'test' }, value: 1 }]);
  });

  test('the same trade a second time is a duplicate, not an error, and counted as one', async () => {
    dynamodb.on(PutItemCommand).rejects(refused({ ...enriched, status: 'RECORDED' }));
    const { result, metrics } = await metricsPrinted(() => handler({ trade: enriched, eventId: 'evt-2' }, context));
    expect(result).toEqual({ tradeId: 'T-1001', status: 'RECORDED', recorded: false, duplicate: true, sameTrade: true, bookingKey: enriched.bookingKey, settlementDate: '2026-12-07' });
    expect(metrics.map(m => [m.name, m.value])).toEqual([['DuplicateTrades', 1]]);
    expect(logEntries().some(e => e.level === 'WARN')).toBe(false);
  });

  test('a reused trade id with other economic fields keeps the first trade and warns with both booking keys', async () => {
    dynamodb.on(PutItemCommand).rejects(refused({ ...enriched, quantity: 200, bookingKey: 'other-key', status: 'RECORDED' }));
    const result = await handler({ trade: enriched, eventId: 'evt-3' }, context);
    expect(result).toMatchObject({ recorded: false, duplicate: true, sameTrade: false });
    expect(logEntries().find(e => e.level === 'WARN')).toMatchObject({ recordedBookingKey: 'other-key', bookingKey: enriched.bookingKey, tradeId: 'T-1001' });
  });

  test('any other DynamoDB error throws, so the workflow retries or records the failure', async () => {
    dynamodb.on(PutItemCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(handler({ trade: enriched, eventId: 'evt-4' }, context)).rejects.toThrow('throttled');
  });
});
