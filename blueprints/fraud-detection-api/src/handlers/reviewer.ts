import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { parseReviewRequest } from './review-request';

const logger = new Logger();
const tracer = new Tracer();
const metrics = new Metrics({ defaultDimensions: { stage: process.env.STAGE_NAME ?? 'unknown' } });
const dynamodb = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));
const processor = new BatchProcessor(EventType.SQS);

/** The review status a flagged transaction gets; an analyst's tool moves it on (CONFIRMED_FRAUD, CLEARED). */
export const PENDING_REVIEW = 'PENDING_REVIEW';

/** Opens the review of one flagged transaction: its status becomes PENDING_REVIEW once, however often the message comes. */
async function openReview(record: SQSRecord): Promise<void> {
  // A body that does not parse will never parse: it fails every receive and lands in the DLQ after maxReceiveCount.
  const request = parseReviewRequest(record.body);
  try {
    await dynamodb.send(new UpdateCommand({
      TableName: process.env.TRANSACTIONS_TABLE_NAME,
      Key: { transactionId: request.transactionId },
      UpdateExpression: 'SET reviewStatus = :pending, reviewOpenedAt = :now, reviewMessageId = :message',
      // The queue delivers at least once: a second delivery must not reopen a review an analyst already moved on.
      ConditionExpression: 'attribute_exists(transactionId) AND attribute_not_exists(reviewStatus)',
      ExpressionAttributeValues: { ':pending': PENDING_REVIEW, ':now': new Date().toISOString(), ':message': record.messageId },
    }));
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
    const existing = await dynamodb.send(new GetCommand({
      TableName: process.env.TRANSACTIONS_TABLE_NAME,
      Key: { transactionId: request.transactionId },
      ConsistentRead: true,
    }));
    // The scorer records a transaction before it queues it: a missing one is a message from elsewhere, retried then dead-lettered.
    if (!existing.Item) throw new Error(`transaction ${request.transactionId} is not in the table; the message did not come from the scorer`);
    logger.info('review already open', { transactionId: request.transactionId, reviewStatus: existing.Item.reviewStatus });
    metrics.addMetric('ReviewsDuplicate', MetricUnit.Count, 1);
    return;
  }
  logger.info('review opened', { transactionId: request.transactionId, merchantId: request.merchantId, score: request.score, reasons: request.reasons });
  metrics.addMetric('ReviewsOpened', MetricUnit.Count, 1);
}

/**
 * Review queue consumer: partial batch responses, so one bad message never blocks or replays its batch
 * (when every record fails, Powertools throws and the whole batch is retried).
 */
export const handler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  try {
    return await processPartialResponse(event, openReview, processor, { context });
  } finally {
    metrics.publishStoredMetrics();
  }
};
