import './traced-lambda-environment';
import { clearCaches } from '@aws-lambda-powertools/parameters';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { context } from './handler-environment';
import { handler } from '../../src/handlers/receiver';
import { signWebhook } from '../../src/handlers/webhook-signature';

const SECRET = 'whsec_test_0123456789';
const EVENT = { id: 'evt_2002', type: 'payment.succeeded', createdAt: '2026-11-23T10:00:00Z', data: { paymentId: 'pay_78', amount: 500, currency: 'EUR', status: 'succeeded' } };
const sqs = mockClient(SQSClient);
const secrets = mockClient(SecretsManagerClient);
const dynamodb = mockClient(DynamoDBClient);

function request(body: string): APIGatewayProxyEvent {
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    body,
    isBase64Encoded: false,
    headers: { 'X-Webhook-Timestamp': timestamp, 'X-Webhook-Signature': signWebhook(SECRET, timestamp, body) },
  } as unknown as APIGatewayProxyEvent;
}

// The X-Ray SDK keeps one facade segment per process; this tracer reads it, as the handler's own does.
const facade = new Tracer().getSegment()!;

beforeEach(() => {
  sqs.reset();
  secrets.reset();
  dynamodb.reset();
  clearCaches();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  dynamodb.on(PutItemCommand).resolves({});
  dynamodb.on(UpdateItemCommand).resolves({});
});

describe('receiver under active tracing', () => {
  test('outside a handler subsegment, Powertools drops annotations: Lambda\'s facade segment takes none', () => {
    expect(facade).toMatchObject({ name: 'facade', facade: true });
    new Tracer().putAnnotation('eventId', 'evt_2002');
    expect(console.warn).toHaveBeenCalledWith('You cannot annotate the main segment in a Lambda execution environment');
    expect(facade).not.toHaveProperty('annotations');
  });

  test('annotates the event id on a closed handler subsegment, not on the facade segment', async () => {
    const opened = jest.spyOn(facade, 'addNewSubsegment');
    const result = await handler(request(JSON.stringify(EVENT)), context);
    expect(result.statusCode).toBe(202);
    expect(opened).toHaveBeenCalledTimes(1);
    const subsegment = opened.mock.results[0].value;
    expect(subsegment.name).toBe('## index.handler');
    expect(subsegment.annotations).toEqual({ eventId: 'evt_2002', Service: 'payment-webhook', ColdStart: expect.any(Boolean) });
    expect(subsegment.in_progress).toBeUndefined();
    expect(subsegment.end_time).toEqual(expect.any(Number));
    expect(new Tracer().getSegment()).toBe(facade);
    expect(console.warn).not.toHaveBeenCalledWith(expect.stringContaining('cannot annotate the main segment'));
  });

  test('a failing invocation records its error on the handler subsegment, closes it and gives the facade back', async () => {
    secrets.on(GetSecretValueCommand).rejects(new Error('AccessDeniedException'));
    const opened = jest.spyOn(facade, 'addNewSubsegment');
    await expect(handler(request(JSON.stringify(EVENT)), context)).rejects.toThrow();
    const subsegment = opened.mock.results[0].value;
    expect(subsegment.end_time).toEqual(expect.any(Number));
    expect(subsegment.fault).toBe(true);
    expect(subsegment.cause.exceptions[0].message).toContain('AccessDeniedException');
    expect(new Tracer().getSegment()).toBe(facade);
  });
});
