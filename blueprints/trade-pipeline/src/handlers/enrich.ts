import { Logger } from '@aws-lambda-powertools/logger';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context } from 'aws-lambda';
import { EnrichedTrade, enrichTrade } from './enrichment';
import { onHandlerSubsegment } from './handler-subsegment';
import type { Trade } from './trade';

const logger = new Logger();
const tracer = new Tracer();

/** The settlement cycle when SETTLEMENT_DAYS is not set: T+2, the EU's cycle (US equities settle T+1 since 2024-05-28). */
export const DEFAULT_SETTLEMENT_DAYS = 2;

/** What the workflow sends: the trade Validate returned. */
export interface EnrichRequest {
  readonly trade: Trade;
}

/** The workflow's second state: derives the notional in minor units, the settlement date and the booking key. */
export const handler = async (request: EnrichRequest, context: Context): Promise<EnrichedTrade> =>
  onHandlerSubsegment(tracer, async () => {
    logger.addContext(context);
    const days = process.env.SETTLEMENT_DAYS;
    const settlementDays = days === undefined || days === '' ? DEFAULT_SETTLEMENT_DAYS : Number(days);
    if (!Number.isInteger(settlementDays) || settlementDays < 0 || settlementDays > 10) {
      throw new Error(`SETTLEMENT_DAYS is ${JSON.stringify(days)}; set it to the settlement cycle in business days (0 to 10), or leave it unset for ${DEFAULT_SETTLEMENT_DAYS}`);
    }
    const enriched = enrichTrade(request.trade, settlementDays);
    tracer.putAnnotation('tradeId', enriched.tradeId);
    logger.info('trade enriched', { tradeId: enriched.tradeId, settlementDate: enriched.settlementDate, bookingKey: enriched.bookingKey });
    return enriched;
  });
