import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseWebhookEvent, WebhookEvent } from './webhook-event';
import { PaymentKpis, PaymentOutcome } from 'fintech-infra-template/lib/observability/payment-kpis';

const logger = new Logger();
const tracer = new Tracer();
const metrics = new Metrics();
// The payment KPIs (success, amount, fraud) carry the stage as well, which the webhook metrics above do not: their own instance.
const kpiMetrics = new Metrics();
const kpis = new PaymentKpis(kpiMetrics);
const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient({}));
const processor = new BatchProcessor(EventType.SQS);

/** Stores one queued event; a record that throws is reported as a batch item failure and retried, then dead-lettered. */
async function storePayment(record: SQSRecord): Promise<void> {
  // A body that does not parse will never parse: it fails every receive and lands in the DLQ after maxReceiveCount.
  const event = parseWebhookEvent(record.body);
  try {
    await dynamodb.send(new PutItemCommand({
      TableName: process.env.PAYMENTS_TABLE_NAME,
      Item: marshall({
        paymentId: event.data.paymentId,
        eventId: event.id,
        eventType: event.type,
        amount: event.data.amount,
        currency: event.data.currency,
        status: event.data.status,
        createdAt: event.createdAt,
        storedAt: new Date().toISOString(),
      }),
      // The queue delivers at least once: a second delivery of the same event must not write it twice.
      ConditionExpression: 'attribute_not_exists(eventId)',
    }));
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') {
      logger.info('event already stored', { eventId: event.id });
      metrics.addMetric('WebhooksDuplicate', MetricUnit.Count, 1);
      return;
    }
    throw error;
  }
  metrics.addMetric('WebhooksProcessed', MetricUnit.Count, 1);
  const outcome = paymentOutcome(event);
  if (outcome) kpis.record(outcome);
}

/**
 * The payment attempt a stored event reports, for the KPIs: `succeeded`, `failed`, or `blocked` (the provider's fraud
 * screening stopped it: a failure that triggered fraud screening). Other statuses (pending, refunded, disputed) are not
 * the outcome of an attempt and are not counted.
 */
export function paymentOutcome(event: WebhookEvent): PaymentOutcome | undefined {
  const { status, amount, currency } = event.data;
  if (status !== 'succeeded' && status !== 'failed' && status !== 'blocked') return undefined;
  return { outcome: status === 'succeeded' ? 'succeeded' : 'failed', amountMinorUnits: amount, currency, fraudTriggered: status === 'blocked' };
}

/**
 * SQS consumer: partial batch responses, so one poison message never blocks or replays its batch
 * (when every record fails, Powertools throws and the whole batch is retried).
 */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  try {
    return await processPartialResponse(event, storePayment, processor, { context });
  } finally {
    metrics.publishStoredMetrics();
    kpiMetrics.publishStoredMetrics();
  }
};
