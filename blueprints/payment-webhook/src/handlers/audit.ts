import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';

const logger = new Logger();
const metrics = new Metrics();
const processor = new BatchProcessor(EventType.DynamoDBStreams);

/** Writes one structured audit line per stored payment event (Logs Insights can query by paymentId or eventId). */
async function audit(record: DynamoDBRecord): Promise<void> {
  const image = record.dynamodb?.NewImage ?? record.dynamodb?.OldImage;
  if (!image) throw new Error(`stream record ${record.eventID} carries no image; the stream view type must include new images`);
  // The stream's attribute values have the SDK's shape; the SDK's own unmarshaller reads them, no hand-written decoder.
  const item = unmarshall(image as Record<string, AttributeValue>);
  logger.info('payment audit', {
    audit: {
      action: record.eventName,
      paymentId: item.paymentId,
      eventId: item.eventId,
      eventType: item.eventType,
      amount: item.amount,
      currency: item.currency,
      status: item.status,
      approximateCreation: record.dynamodb?.ApproximateCreationDateTime,
    },
  });
  metrics.addMetric('PaymentsAudited', MetricUnit.Count, 1);
}

/** DynamoDB stream consumer with partial batch responses: a failing record is retried alone (with bisection). */
export const handler = async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
  logger.addContext(context);
  try {
    return await processPartialResponse(event, audit, processor, { context });
  } finally {
    metrics.publishStoredMetrics();
  }
};
