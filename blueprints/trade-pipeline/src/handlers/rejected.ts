import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context } from 'aws-lambda';
import { onHandlerSubsegment } from './handler-subsegment';
import { TradeStatus } from './trade-status';

const logger = new Logger();
const tracer = new Tracer();
const metrics = new Metrics({ defaultDimensions: { stage: process.env.STAGE_NAME ?? 'unknown' } });
const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient({}));

/** What the workflow sends for a trade it did not book: the event as received and why. */
export interface RejectionRequest {
  /** REJECTED after validation (with `reasons`), FAILED after a state's error outlived its retries (with `error`). */
  readonly status: TradeStatus.REJECTED | TradeStatus.FAILED;
  readonly eventId: string;
  /** The event's detail, as submitted. */
  readonly detail: unknown;
  readonly reasons?: string[];
  /** The error Step Functions caught: its name and cause. */
  readonly error?: { readonly Error?: string; readonly Cause?: string };
}

/** The workflow's output for a trade it did not book. */
export interface RejectionResult {
  readonly tradeId: string;
  readonly status: TradeStatus.REJECTED | TradeStatus.FAILED;
  readonly reasons: string[];
  /** False when an item with this trade id was already in the table (a redelivery, or a trade already booked). */
  readonly recorded: boolean;
  readonly duplicate: boolean;
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

/**
 * Records a trade the workflow did not book, with its reasons, so nothing is dropped silently: a rejection (validation)
 * or a failure (a state that failed after its retries). Written once per trade id (a trade id that is missing or malformed
 * is recorded as `unidentified:<event id>`), and never over an item already there, least of all a recorded trade.
 */
export const handler = async (request: RejectionRequest, context: Context): Promise<RejectionResult> =>
  onHandlerSubsegment(tracer, async () => {
    logger.addContext(context);
    const detail = (typeof request.detail === 'object' && request.detail !== null ? request.detail : {}) as Record<string, unknown>;
    const tradeId = typeof detail.tradeId === 'string' && ID.test(detail.tradeId) ? detail.tradeId : `unidentified:${request.eventId}`;
    const reasons = request.status === TradeStatus.REJECTED
      ? request.reasons ?? []
      : [`${request.error?.Error ?? 'unknown error'}: ${request.error?.Cause ?? 'no cause given'}`];
    logger.appendKeys({ tradeId, eventId: request.eventId });
    tracer.putAnnotation('tradeId', tradeId);
    try {
      const item = {
        tradeId,
        status: request.status,
        reasons,
        eventId: request.eventId,
        // As submitted, in JSON: whatever its types, it is kept whole and never breaks the item's schema.
        submitted: JSON.stringify(request.detail ?? null),
        // The source-system index's keys, when they are usable strings: an item whose keys have the wrong type is refused.
        ...(isIndexKey(detail.sourceSystem) ? { sourceSystem: detail.sourceSystem } : {}),
        ...(isIndexKey(detail.tradeDate) ? { tradeDate: detail.tradeDate } : {}),
        recordedAt: new Date().toISOString(),
      };
      try {
        await dynamodb.send(new PutItemCommand({
          TableName: process.env.TRADES_TABLE_NAME,
          Item: marshall(item),
          ConditionExpression: 'attribute_not_exists(tradeId)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }));
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        const existing = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
        logger.warn(`trade not booked (${request.status}), and its id is already in the table`, { reasons, existingStatus: existing ? unmarshall(existing).status : undefined });
        return { tradeId, status: request.status, reasons, recorded: false, duplicate: true };
      }
      if (request.status === TradeStatus.FAILED) metrics.addMetric('TradesFailed', MetricUnit.Count, 1);
      logger.warn(`trade not booked: ${request.status}`, { reasons });
      return { tradeId, status: request.status, reasons, recorded: true, duplicate: false };
    } finally {
      logger.removeKeys(['tradeId', 'eventId']);
      // Only failures are counted here (rejections are counted by Validate): most calls have no metric to publish.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  });

function isIndexKey(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= 1024;
}
