import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { context, metricsPrinted } from './fraud-handler-environment';
import { documentClient, transactionsTable } from './transactions-table';
import { SCORING } from '../../src/handlers/fraud-score';
import { handler } from '../../src/handlers/scorer';

const sns = mockClient(SNSClient);
const sqs = mockClient(SQSClient);
let table: Map<string, Record<string, any>>;

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

function transaction(id: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { transactionId: id, merchantId: 'm_coffee', amount: 450, currency: 'EUR', country: 'DE', cardFingerprint: `fp_${id}`, timestamp: minutesAgo(0), ...overrides };
}

function post(body: unknown, options: { base64?: boolean } = {}): ReturnType<typeof handler> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return handler({
    body: options.base64 ? Buffer.from(text).toString('base64') : text,
    isBase64Encoded: options.base64 ?? false,
    headers: { 'Content-Type': 'application/json' },
    httpMethod: 'POST',
    path: '/transactions',
  } as unknown as APIGatewayProxyEvent, context);
}

/** A merchant's usual month: `count` transactions of 400, 450 and 500 cents from Germany, hours apart. */
function seedHistory(merchantId: string, count = 30): void {
  for (let i = 0; i < count; i++) {
    const id = `past_${merchantId}_${i}`;
    table.set(id, { transactionId: id, merchantId, amount: [400, 450, 500][i % 3], currency: 'EUR', country: 'DE', timestamp: minutesAgo(60 * (i + 1)), score: 0, level: 'LOW' });
  }
}

beforeEach(() => {
  table = transactionsTable();
  sns.reset();
  sqs.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'sns-1' });
  sqs.on(SendMessageCommand).resolves({ MessageId: 'sqs-1' });
});

describe('scorer', () => {
  test.each([
    ['not json', 'the body is not JSON'],
    [transaction('tx_1', { amount: -5 }), 'amount must be a positive whole number'],
    [transaction('tx_1', { currency: 'euro' }), 'currency must be an ISO 4217 code'],
    [transaction('tx_1', { timestamp: 'yesterday' }), 'timestamp must be ISO 8601 with a zone'],
  ])('a bad transaction gets 400 with the reason, and nothing is read, written, sent or counted (%j)', async (body, message) => {
    const { result, metrics } = await metricsPrinted(() => post(body));
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body).error).toContain(message);
    expect(documentClient.calls()).toHaveLength(0);
    expect(sns.calls()).toHaveLength(0);
    expect(sqs.calls()).toHaveLength(0);
    expect(metrics).toEqual([]);
  });

  test('a usual transaction is scored LOW, recorded once, not alerted; scored and flagged counts carry service and stage', async () => {
    seedHistory('m_coffee');
    const { result, metrics } = await metricsPrinted(() => post(transaction('tx_usual', { amount: 470 })));
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ transactionId: 'tx_usual', score: 0, level: 'LOW', reasons: [] });
    expect(table.get('tx_usual')).toMatchObject({ merchantId: 'm_coffee', amount: 470, level: 'LOW', flagged: false, cardFingerprint: 'fp_tx_usual' });
    expect(table.get('tx_usual')).not.toHaveProperty('alerted');
    expect(sns.calls()).toHaveLength(0);
    expect(sqs.calls()).toHaveLength(0);
    const dimensions = { service: 'fraud-detection', stage: 'test' };
    expect(metrics).toEqual([
      { name: 'TransactionsScored', dimensions, value: 1 },
      { name: 'TransactionsFlagged', dimensions, value: 0 },
    ]);
  });

  test('reads the merchant\'s history from the merchant index: its key, the history window up to this transaction, newest first', async () => {
    const at = minutesAgo(2);
    await post(transaction('tx_q', { timestamp: at }));
    const [query] = documentClient.commandCalls(QueryCommand);
    expect(query.args[0].input).toEqual({
      TableName: 'payments-transactions-test',
      IndexName: 'merchant-time',
      KeyConditionExpression: 'merchantId = :merchant AND #timestamp BETWEEN :from AND :to',
      ExpressionAttributeNames: { '#timestamp': 'timestamp' },
      ExpressionAttributeValues: { ':merchant': 'm_coffee', ':from': new Date(Date.parse(at) - SCORING.historyDays * 86_400_000).toISOString(), ':to': at },
      ScanIndexForward: false,
      Limit: SCORING.historyLimit,
    });
    expect(documentClient.commandCalls(PutCommand)[0].args[0].input.ConditionExpression).toBe('attribute_not_exists(transactionId)');
  });

  test('a burst for one merchant is scored HIGH on velocity, published to the topic, queued for review and marked alerted', async () => {
    seedHistory('m_burst');
    const answers = [];
    for (let i = 0; i < SCORING.velocityHigh; i++) answers.push(JSON.parse((await post(transaction(`tx_b${i}`, { merchantId: 'm_burst' }))).body));
    expect(answers.map(a => a.level)).toEqual([
      ...Array(SCORING.velocityElevated - 1).fill('LOW'), ...Array(SCORING.velocityHigh - SCORING.velocityElevated).fill('MEDIUM'), 'HIGH',
    ]);
    const last = answers[answers.length - 1];
    expect(last.reasons).toEqual([expect.stringContaining(`velocity: ${SCORING.velocityHigh} transactions for merchant m_burst`)]);

    // Only the HIGH one is alerted, once on each channel, with the same review request.
    const published = sns.commandCalls(PublishCommand);
    const queued = sqs.commandCalls(SendMessageCommand);
    expect(published).toHaveLength(1);
    expect(queued).toHaveLength(1);
    expect(published[0].args[0].input).toMatchObject({
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:payments-fraud-alerts-test',
      Subject: `High fraud risk: transaction tx_b${SCORING.velocityHigh - 1} of merchant m_burst`,
      MessageAttributes: { level: { DataType: 'String', StringValue: 'HIGH' } },
    });
    expect(queued[0].args[0].input.QueueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/123456789012/payments-fraud-review-test');
    expect(JSON.parse(queued[0].args[0].input.MessageBody!)).toEqual(JSON.parse(published[0].args[0].input.Message!));
    expect(JSON.parse(queued[0].args[0].input.MessageBody!)).toMatchObject({ transactionId: last.transactionId, merchantId: 'm_burst', amount: 450, level: 'HIGH', score: last.score, reasons: last.reasons });
    expect(table.get(last.transactionId)).toMatchObject({ flagged: true, alerted: true });
  });

  test('the flagged count is 1 for a HIGH transaction', async () => {
    seedHistory('m_coffee');
    const { metrics } = await metricsPrinted(() => post(transaction('tx_big', { amount: 90_000 })));
    expect(metrics.find(m => m.name === 'TransactionsFlagged')?.value).toBe(1);
  });

  test('an amount far above the merchant\'s usual range is HIGH and alerted; one slightly above is MEDIUM and not', async () => {
    seedHistory('m_coffee');
    const unusual = JSON.parse((await post(transaction('tx_unusual', { amount: 580 }))).body);
    expect(unusual.level).toBe('MEDIUM');
    const outlier = JSON.parse((await post(transaction('tx_outlier', { amount: 25_000 }))).body);
    expect(outlier).toMatchObject({ level: 'HIGH', reasons: [expect.stringMatching(/^amount: 25000 EUR is [\d.]+ standard deviations above the merchant's mean of 454 over 31 transactions/)] });
    expect(sqs.commandCalls(SendMessageCommand).map(c => JSON.parse(c.args[0].input.MessageBody!).transactionId)).toEqual(['tx_outlier']);
  });

  test('a country new for the merchant is a reason; the same country for a merchant without history is not', async () => {
    seedHistory('m_coffee');
    expect(JSON.parse((await post(transaction('tx_abroad', { country: 'BR' }))).body))
      .toEqual({ transactionId: 'tx_abroad', score: SCORING.moderatePoints, level: 'MEDIUM', reasons: ['country: BR is new for the merchant (none of its last 30 transactions)'] });
    expect(JSON.parse((await post(transaction('tx_first', { merchantId: 'm_new', country: 'BR' }))).body)).toMatchObject({ level: 'LOW', reasons: [] });
  });

  test('a base64 body (binary media types) is decoded', async () => {
    expect((await post(transaction('tx_b64'), { base64: true })).statusCode).toBe(200);
    expect(table.has('tx_b64')).toBe(true);
  });

  test('re-posting a transaction answers the first score, writes nothing new and alerts nothing again', async () => {
    seedHistory('m_coffee');
    const first = await post(transaction('tx_dup', { amount: 90_000 }));
    const { result: again, metrics } = await metricsPrinted(() => post(transaction('tx_dup', { amount: 90_000, timestamp: table.get('tx_dup')!.timestamp })));
    expect(again.statusCode).toBe(200);
    expect(JSON.parse(again.body)).toEqual({ ...JSON.parse(first.body), duplicate: true });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
    expect(metrics.map(m => m.name)).toEqual(['TransactionsDuplicate']);
  });

  test('re-using a transaction id for other details gets 409 and changes nothing', async () => {
    await post(transaction('tx_reused'));
    const stored = { ...table.get('tx_reused') };
    const result = await post(transaction('tx_reused', { amount: 999, timestamp: stored.timestamp }));
    expect(result.statusCode).toBe(409);
    expect(JSON.parse(result.body).error).toBe('transaction tx_reused was already scored with other details; send a new transactionId for a new transaction');
    expect(table.get('tx_reused')).toEqual(stored);
  });

  test('when an alert fails the call fails; the caller\'s retry sends the alerts the first call recorded but did not send', async () => {
    seedHistory('m_coffee');
    sns.on(PublishCommand).rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' })).resolves({ MessageId: 'sns-2' });
    const body = transaction('tx_retry', { amount: 90_000 });
    await expect(post(body)).rejects.toThrow('throttled');
    expect(table.get('tx_retry')).toMatchObject({ level: 'HIGH', flagged: true, alerted: false });
    const retry = await post(body);
    expect(JSON.parse(retry.body)).toMatchObject({ level: 'HIGH', duplicate: true });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
    expect(table.get('tx_retry')).toMatchObject({ alerted: true });
  });
});
