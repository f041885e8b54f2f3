import { clearCaches } from '@aws-lambda-powertools/parameters';
import { AttributeValue, ConditionalCheckFailedException, DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { context, logEntries, metricsPrinted } from './handler-environment';
import { handler } from '../../src/handlers/receiver';
import { signWebhook } from '../../src/handlers/webhook-signature';

const SECRET = 'whsec_test_0123456789';
const sqs = mockClient(SQSClient);
const dynamodb = mockClient(DynamoDBClient);
const secrets = mockClient(SecretsManagerClient);

const EVENT = { id: 'evt_1001', type: 'payment.succeeded', createdAt: '2026-11-23T10:00:00Z', data: { paymentId: 'pay_77', amount: 1250, currency: 'EUR', status: 'succeeded' } };

function request(body: string, options: { secret?: string; timestamp?: number; signature?: string; base64?: boolean } = {}): APIGatewayProxyEvent {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = options.signature ?? signWebhook(options.secret ?? SECRET, timestamp, body);
  return {
    body: options.base64 ? Buffer.from(body).toString('base64') : body,
    isBase64Encoded: options.base64 ?? false,
    headers: { 'Content-Type': 'application/json', 'X-Webhook-Timestamp': timestamp, 'X-Webhook-Signature': signature },
    httpMethod: 'POST',
    path: '/webhooks',
  } as unknown as APIGatewayProxyEvent;
}

/**
 * The idempotency table as DynamoDB answers Powertools: the first conditional put of an id wins, a later one fails with
 * the stored item (ReturnValuesOnConditionCheckFailure ALL_OLD); updates apply their SET assignments.
 */
function idempotencyTable(): Map<string, Record<string, AttributeValue>> {
  const items = new Map<string, Record<string, AttributeValue>>();
  dynamodb.on(PutItemCommand).callsFake(input => {
    const id = input.Item!.id.S!;
    const stored = items.get(id);
    if (stored) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: stored });
    items.set(id, { ...input.Item });
    return {};
  });
  dynamodb.on(UpdateItemCommand).callsFake(input => {
    const item = items.get(input.Key!.id.S!)!;
    for (const assignment of input.UpdateExpression!.replace(/^SET /, '').split(', ')) {
      const [name, value] = assignment.split(' = ');
      item[input.ExpressionAttributeNames![name]] = input.ExpressionAttributeValues![value];
    }
    return {};
  });
  return items;
}

beforeEach(() => {
  sqs.reset();
  dynamodb.reset();
  secrets.reset();
  clearCaches();
  secrets.on(GetSecretValueCommand, { SecretId: 'payment-webhook-signing-secret-test' }).resolves({ SecretString: SECRET });
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  idempotencyTable();
});

describe('receiver', () => {
  test('a signed event is enqueued once and answered 202 with its id', async () => {
    const body = JSON.stringify(EVENT);
    const { result, metrics } = await metricsPrinted(() => handler(request(body), context));
    expect(result).toEqual({ statusCode: 202, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ accepted: 'evt_1001' }) });
    const sent = sqs.commandCalls(SendMessageCommand);
    expect(sent).toHaveLength(1);
    expect(sent[0].args[0].input).toMatchObject({ QueueUrl: process.env.QUEUE_URL, MessageAttributes: { eventType: { DataType: 'String', StringValue: 'payment.succeeded' } } });
    expect(JSON.parse(sent[0].args[0].input.MessageBody!)).toEqual(EVENT);
    // The idempotency record is claimed before the send and completed after it, in the idempotency table.
    expect(dynamodb.commandCalls(PutItemCommand)[0].args[0].input.TableName).toBe('payment-webhook-idempotency-test');
    expect(dynamodb.commandCalls(UpdateItemCommand)).toHaveLength(1);
    expect(metrics.map(m => m.name)).toEqual(['WebhooksReceived']);
  });

  test('a duplicate delivery gets the first answer and is not enqueued again', async () => {
    expect((await handler(request(JSON.stringify(EVENT)), context)).statusCode).toBe(202);
    const result = await handler(request(JSON.stringify(EVENT)), context);
    expect(result.statusCode).toBe(202);
    expect(JSON.parse(result.body)).toEqual({ accepted: 'evt_1001' });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
  });

  test('a redelivery of the same event id with a different body gets 422, is not enqueued and is logged', async () => {
    expect((await handler(request(JSON.stringify(EVENT)), context)).statusCode).toBe(202);
    const altered = JSON.stringify({ ...EVENT, data: { ...EVENT.data, amount: 99_999 } });
    const { result, metrics } = await metricsPrinted(() => handler(request(altered), context));
    expect(result.statusCode).toBe(422);
    expect(JSON.parse(result.body)).toEqual({ error: 'event evt_1001 was already received with a different body; send a new event id for new content' });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
    expect(metrics).toContainEqual({ name: 'WebhooksRejected', dimensions: expect.objectContaining({ reason: 'payload-mismatch' }), value: 1 });
    expect(logEntries()).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'webhook rejected', reason: 'payload-mismatch', eventId: 'evt_1001' }));
  });

  test('a duplicate arriving while the first delivery is still being enqueued gets a retryable 409, not a 5XX', async () => {
    let finishSend!: () => void;
    sqs.on(SendMessageCommand).callsFake(() => new Promise(resolve => { finishSend = () => resolve({ MessageId: 'm-1' }); }));
    const first = handler(request(JSON.stringify(EVENT)), context);
    while (!finishSend) await new Promise(resolve => setImmediate(resolve));

    const { result, metrics } = await metricsPrinted(() => handler(request(JSON.stringify(EVENT)), context));
    expect(result.statusCode).toBe(409);
    expect(JSON.parse(result.body)).toEqual({ error: 'event evt_1001 is being accepted by another delivery; redeliver later' });
    expect(metrics).toContainEqual({ name: 'WebhooksRejected', dimensions: expect.objectContaining({ reason: 'in-progress' }), value: 1 });

    finishSend();
    expect((await first).statusCode).toBe(202);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(1);
    // Once the first delivery completed, the provider's redelivery gets its answer.
    expect((await handler(request(JSON.stringify(EVENT)), context)).statusCode).toBe(202);
  });

  test.each([
    ['a wrong secret', { secret: 'someone-else' }, 'signature mismatch'],
    ['a timestamp outside five minutes (a replay)', { timestamp: Math.floor(Date.now() / 1000) - 301 }, 'signature stale'],
    ['no signature', { signature: '' }, 'signature missing'],
  ])('%s gets 401, stores nothing and counts a rejection', async (_, options, error) => {
    const { result, metrics } = await metricsPrinted(() => handler(request(JSON.stringify(EVENT), options), context));
    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body)).toEqual({ error });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(dynamodb.calls()).toHaveLength(0);
    expect(metrics).toContainEqual({ name: 'WebhooksRejected', dimensions: expect.objectContaining({ reason: 'signature' }), value: 1 });
  });

  test.each([
    ['not JSON', '{"id":', 'body is not JSON'],
    ['a float amount', JSON.stringify({ ...EVENT, data: { ...EVENT.data, amount: 12.5 } }), 'data.amount must be a non-negative integer in minor units'],
    ['no id', JSON.stringify({ ...EVENT, id: undefined }), 'id must be 1-128 letters, digits, _ or -'],
  ])('a correctly signed but malformed body (%s) gets 400 and is not enqueued', async (_, body, error) => {
    const result = await handler(request(body), context);
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body)).toEqual({ error });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  test('reads base64 bodies (binary media types) before checking the signature', async () => {
    const result = await handler(request(JSON.stringify(EVENT), { base64: true }), context);
    expect(result.statusCode).toBe(202);
  });

  test('fails (500 from API Gateway) rather than accept anything when the secret cannot be read', async () => {
    secrets.on(GetSecretValueCommand).rejects(new Error('AccessDeniedException'));
    await expect(handler(request(JSON.stringify(EVENT)), context)).rejects.toThrow();
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });
});
