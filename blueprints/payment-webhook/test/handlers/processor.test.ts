import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { context, metricsPrinted } from './handler-environment';
import { handler } from '../../src/handlers/processor';

const dynamodb = mockClient(DynamoDBClient);
const EVENT = { id: 'evt_1', type: 'payment.succeeded', createdAt: '2026-11-23T10:00:00Z', data: { paymentId: 'pay_1', amount: 990, currency: 'GBP', status: 'succeeded' } };

function record(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    body,
    receiptHandle: `rh-${messageId}`,
    attributes: { ApproximateReceiveCount: '1' } as SQSRecord['attributes'],
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:payment-webhook-inbound-test',
    awsRegion: 'eu-west-1',
  };
}

function batch(...records: SQSRecord[]): SQSEvent {
  return { Records: records };
}

beforeEach(() => {
  dynamodb.reset();
  dynamodb.on(PutItemCommand).resolves({});
});

describe('processor', () => {
  test('stores each event once, keyed by payment and event id, and publishes business metrics', async () => {
    const { result, metrics } = await metricsPrinted(() => handler(batch(record('m1', JSON.stringify(EVENT))), context));
    expect(result).toEqual({ batchItemFailures: [] });
    const [put] = dynamodb.commandCalls(PutItemCommand);
    expect(put.args[0].input).toMatchObject({ TableName: 'payment-webhook-payments-test', ConditionExpression: 'attribute_not_exists(eventId)' });
    expect(unmarshall(put.args[0].input.Item!)).toMatchObject({ paymentId: 'pay_1', eventId: 'evt_1', amount: 990, currency: 'GBP', status: 'succeeded' });
    expect(metrics).toEqual(expect.arrayContaining([
      { name: 'WebhooksProcessed', dimensions: { service: 'payment-webhook' }, value: 1 },
    ]));
  });

  test('publishes the payment KPIs the observability alarms select: service and stage, the amount per currency', async () => {
    const { metrics } = await metricsPrinted(() => handler(batch(record('m1', JSON.stringify(EVENT))), context));
    const kpi = { service: 'payment-webhook', stage: 'test' };
    expect(metrics).toEqual(expect.arrayContaining([
      { name: 'PaymentSucceeded', dimensions: kpi, value: 1 },
      { name: 'PaymentFailed', dimensions: kpi, value: 0 },
      { name: 'FraudTriggered', dimensions: kpi, value: 0 },
      { name: 'PaymentAmount', dimensions: { ...kpi, currency: 'GBP' }, value: 990 },
    ]));
  });

  test.each([
    ['failed', { PaymentSucceeded: 0, PaymentFailed: 1, FraudTriggered: 0 }],
    ['blocked', { PaymentSucceeded: 0, PaymentFailed: 1, FraudTriggered: 1 }],
  ])('a %s payment counts as a failure, and a blocked one as a fraud trigger', async (status, expected) => {
    const event = { ...EVENT, type: `payment.${status}`, data: { ...EVENT.data, status } };
    const { metrics } = await metricsPrinted(() => handler(batch(record('m1', JSON.stringify(event))), context));
    const counts = Object.fromEntries(metrics.filter(m => m.name in expected).map(m => [m.name, m.value]));
    expect(counts).toEqual(expected);
  });

  test('a status that is no payment outcome (refunded) is stored without payment KPIs', async () => {
    const event = { ...EVENT, type: 'payment.refunded', data: { ...EVENT.data, status: 'refunded' } };
    const { metrics } = await metricsPrinted(() => handler(batch(record('m1', JSON.stringify(event))), context));
    expect(dynamodb.commandCalls(PutItemCommand)).toHaveLength(1);
    expect(metrics.map(m => m.name)).toEqual(['WebhooksProcessed']);
  });

  test('a poison message fails alone: its id is reported for redelivery (and the DLQ after maxReceiveCount), the rest are stored', async () => {
    const result = await handler(batch(record('good', JSON.stringify(EVENT)), record('poison', 'not json'), record('also-good', JSON.stringify({ ...EVENT, id: 'evt_2' }))), context);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'poison' }] });
    expect(dynamodb.commandCalls(PutItemCommand)).toHaveLength(2);
  });

  test('a redelivered event that is already stored succeeds without a second write', async () => {
    dynamodb.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    const { result, metrics } = await metricsPrinted(() => handler(batch(record('again', JSON.stringify(EVENT))), context));
    expect(result).toEqual({ batchItemFailures: [] });
    expect(metrics.map(m => m.name)).toEqual(['WebhooksDuplicate']);
  });

  test('a DynamoDB outage fails the records so SQS delivers them again; a batch where all fail is retried whole', async () => {
    dynamodb.on(PutItemCommand).rejects(Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' }));
    await expect(handler(batch(record('m1', JSON.stringify(EVENT)), record('m2', JSON.stringify({ ...EVENT, id: 'evt_2' }))), context))
      .rejects.toThrow('All records failed processing');
  });
});
