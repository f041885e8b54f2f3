import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { context, metricsPrinted, TRADE } from './trade-handler-environment';
import { handler } from '../../src/handlers/rejected';
import { TradeStatus } from '../../src/handlers/trade-status';

const dynamodb = mockClient(DynamoDBClient);

beforeEach(() => {
  dynamodb.reset();
  dynamodb.on(PutItemCommand).resolves({});
});

function putItem() {
  const [put] = dynamodb.commandCalls(PutItemCommand);
  return { input: put.args[0].input, item: unmarshall(put.args[0].input.Item!) };
}

describe('rejected', () => {
  test('records a rejected trade with its reasons and the detail as submitted, never over an existing item', async () => {
    const detail = { ...TRADE, side: 'HOLD' };
    const { result, metrics } = await metricsPrinted(() => handler({ status: TradeStatus.REJECTED, eventId: 'evt-1', detail, reasons: ['side must be BUY or SELL, got "HOLD"'] }, context));
    expect(result).toEqual({ tradeId: 'T-1001', status: 'REJECTED', reasons: ['side must be BUY or SELL, got "HOLD"'], recorded: true, duplicate: false });
    const { input, item } = putItem();
    expect(input).toMatchObject({ TableName: 'trading-trades-test', ConditionExpression: 'attribute_not_exists(tradeId)' });
    expect(item).toEqual({
      tradeId: 'T-1001',
      status: 'REJECTED',
      reasons: ['side must be BUY or SELL, got "HOLD"'],
      eventId: 'evt-1',
      submitted: JSON.stringify(detail),
      sourceSystem: 'oms-emea',
      tradeDate: '2026-12-03',
      recordedAt: expect.stringMatching(/^\d{4}-/),
    });
    // Rejections are counted by validate; nothing is published here.
    expect(metrics).toEqual([]);
  });

  test('a failure records the caught error as its reason and is counted', async () => {
    const { result, metrics } = await metricsPrinted(() => handler({
      status: TradeStatus.FAILED, eventId: 'evt-2', detail: TRADE, error: { Error: 'Lambda.Unknown', Cause: 'Task timed out' },
    }, context));
    expect(result).toMatchObject({ status: 'FAILED', reasons: ['Lambda.Unknown: Task timed out'], recorded: true });
    expect(putItem().item).toMatchObject({ tradeId: 'T-1001', status: 'FAILED', reasons: ['Lambda.Unknown: Task timed out'] });
    expect(metrics.map(m => [m.name, m.value])).toEqual([['TradesFailed', 1]]);
  });

  test('a trade without a usable id is recorded under its event id; index keys of the wrong type are left out', async () => {
    await handler({ status: TradeStatus.REJECTED, eventId: 'evt-3', detail: { tradeId: 42, sourceSystem: 7, tradeDate: '' }, reasons: ['tradeId must be ...'] }, context);
    const { item } = putItem();
    expect(item.tradeId).toBe('unidentified:evt-3');
    expect(item).not.toHaveProperty('sourceSystem');
    expect(item).not.toHaveProperty('tradeDate');
    expect(JSON.parse(item.submitted)).toEqual({ tradeId: 42, sourceSystem: 7, tradeDate: '' });
  });

  test('a detail that is not an object is kept as submitted', async () => {
    await handler({ status: TradeStatus.REJECTED, eventId: 'evt-4', detail: 'T-1001', reasons: ['the event detail must be a JSON object with the trade'] }, context);
    expect(putItem().item).toMatchObject({ tradeId: 'unidentified:evt-4', submitted: '"T-1001"' });
  });

  test('a second rejection of the same trade is recorded once: the answer says duplicate', async () => {
    dynamodb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {}, Item: marshall({ tradeId: 'T-1001', status: 'REJECTED' }) }));
    const result = await handler({ status: TradeStatus.REJECTED, eventId: 'evt-5', detail: TRADE, reasons: ['x'] }, context);
    expect(result).toEqual({ tradeId: 'T-1001', status: 'REJECTED', reasons: ['x'], recorded: false, duplicate: true });
  });

  test('any other DynamoDB error throws', async () => {
    dynamodb.on(PutItemCommand).rejects(Object.assign(new Error('access denied'), { name: 'AccessDeniedException' }));
    await expect(handler({ status: TradeStatus.REJECTED, eventId: 'evt-6', detail: TRADE, reasons: ['x'] }, context)).rejects.toThrow('access denied');
  });
});
