import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context } from 'aws-lambda';
import type { EnrichedTrade } from './enrichment';
import { onHandlerSubsegment } from './handler-subsegment';
import { TradeStatus } from './trade-status';

const logger = new Logger();
const tracer = new Tracer();
const metrics = new Metrics({ defaultDimensions: { stage: process.env.STAGE_NAME ?? 'unknown' } });
const dynamodb = tracer.captureAWSv3Client(new DynamoDBClient({}));

/** What the workflow sends: the enriched trade and the id of the event that carried it. */
export interface RecordRequest {
  readonly trade: EnrichedTrade;
  readonly eventId: string;
}

/** The workflow's output for a valid trade. */
export interface RecordResult {
  readonly tradeId: string;
  readonly status: TradeStatus.RECORDED;
  /** True when this execution wrote the trade; false when it was already in the table. */
  readonly recorded: boolean;
  /** True when the trade id was already recorded: the event was sent twice (or replayed), and booked once. */
  readonly duplicate: boolean;
  /** For a duplicate: whether the recorded trade has the same booking key, i.e. the same economic fields. */
  readonly sameTrade?: boolean;
  readonly bookingKey: string;
  readonly settlementDate: string;
}

/**
 * The workflow's last state for a valid trade: writes it to the trades table once per trade id. The condition admits a
 * new id, or an id whose item is a rejection or failure (a corrected resend); a second delivery of a recorded trade is
 * answered `{ recorded: false, duplicate: true }`, not an error, so EventBridge's at-least-once delivery books once.
 */
export const handler = async (request: RecordRequest, context: Context): Promise<RecordResult> =>
  onHandlerSubsegment(tracer, async () => {
    logger.addContext(context);
    const { trade, eventId } = request;
    logger.appendKeys({ tradeId: trade.tradeId, eventId });
    tracer.putAnnotation('tradeId', trade.tradeId);
    try {
      try {
        await dynamodb.send(new PutItemCommand({
          TableName: process.env.TRADES_TABLE_NAME,
          // sourceSystem and tradeDate are the keys of the source-system index.
          Item: marshall({ ...trade, status: TradeStatus.RECORDED, eventId, recordedAt: new Date().toISOString() }, { removeUndefinedValues: true }),
          ConditionExpression: 'attribute_not_exists(tradeId) OR #status IN (:rejected, :failed)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: marshall({ ':rejected': TradeStatus.REJECTED, ':failed': TradeStatus.FAILED }),
          // The recorded item comes back with the refusal, so a duplicate is compared without a second read.
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }));
      } catch (error) {
        if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
        const existing = (error as { Item?: Parameters<typeof unmarshall>[0] }).Item;
        const recordedKey = existing ? unmarshall(existing).bookingKey : undefined;
        const sameTrade = recordedKey === trade.bookingKey;
        metrics.addMetric('DuplicateTrades', MetricUnit.Count, 1);
        if (sameTrade) {
          logger.info('trade already recorded');
        } else {
          // The source system reused an id for another trade: the first one stays booked; someone must look.
          logger.warn('trade id already recorded with other details; the first trade stays booked', {
            recordedBookingKey: recordedKey, bookingKey: trade.bookingKey,
          });
        }
        return { ...answer(trade), recorded: false, duplicate: true, sameTrade };
      }
      metrics.addMetric('TradesRecorded', MetricUnit.Count, 1);
      logger.info('trade recorded', { settlementDate: trade.settlementDate, notionalMinor: trade.notionalMinor, currency: trade.currency });
      return { ...answer(trade), recorded: true, duplicate: false };
    } finally {
      logger.removeKeys(['tradeId', 'eventId']);
      metrics.publishStoredMetrics();
    }
  });

function answer(trade: EnrichedTrade) {
  return { tradeId: trade.tradeId, status: TradeStatus.RECORDED as const, bookingKey: trade.bookingKey, settlementDate: trade.settlementDate };
}
