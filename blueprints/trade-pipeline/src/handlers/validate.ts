import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { Context, EventBridgeEvent } from 'aws-lambda';
import { onHandlerSubsegment } from './handler-subsegment';
import { TradeRules, TradeValidation, validateTrade } from './trade';

const logger = new Logger();
const tracer = new Tracer();
// The stage is a dimension next to the service, so each stage's rejection-rate alarm reads its own metrics.
const metrics = new Metrics({ defaultDimensions: { stage: process.env.STAGE_NAME ?? 'unknown' } });

/** The per-trade limit when MAX_TRADE_NOTIONAL is not set, in major units of the trade's currency. */
export const DEFAULT_MAX_NOTIONAL = 100_000_000;

/**
 * The workflow's first state: checks the trade in the event's detail against the schema and the business rules. An
 * invalid trade is an answer, `{ valid: false, reasons }`, not an error: the state machine sends it to the rejected path.
 */
export const handler = async (event: EventBridgeEvent<string, unknown>, context: Context): Promise<TradeValidation> =>
  onHandlerSubsegment(tracer, async () => {
    logger.addContext(context);
    const tradeId = (event.detail as { tradeId?: unknown } | undefined)?.tradeId;
    logger.appendKeys({ eventId: event.id, tradeId: typeof tradeId === 'string' ? tradeId : undefined });
    try {
      const outcome = validateTrade(event.detail, rulesFromEnvironment());
      tracer.putAnnotation('tradeValid', outcome.valid);
      metrics.addMetric('TradesValidated', MetricUnit.Count, 1);
      // Zero for a valid trade, so the rejection rate's numerator and denominator have the same datapoints.
      metrics.addMetric('TradesRejected', MetricUnit.Count, outcome.valid ? 0 : 1);
      if (outcome.valid) {
        logger.info('trade valid');
      } else {
        logger.warn('trade rejected', { reasons: outcome.reasons, source: event.source, detailType: event['detail-type'] });
      }
      return outcome;
    } finally {
      logger.removeKeys(['eventId', 'tradeId']);
      metrics.publishStoredMetrics();
    }
  });

/** The limits of this stage; a malformed setting throws, and the workflow's catch records it as a failure. */
function rulesFromEnvironment(): TradeRules {
  const limit = process.env.MAX_TRADE_NOTIONAL;
  const maxNotional = limit === undefined || limit === '' ? DEFAULT_MAX_NOTIONAL : Number(limit);
  if (!Number.isFinite(maxNotional) || maxNotional <= 0) {
    throw new Error(`MAX_TRADE_NOTIONAL is ${JSON.stringify(limit)}; set it to a positive number of major currency units, or leave it unset for ${DEFAULT_MAX_NOTIONAL}`);
  }
  const blocked = (process.env.BLOCKED_COUNTERPARTIES ?? '').split(',').map(lei => lei.trim()).filter(Boolean);
  return { maxNotional, blockedCounterparties: new Set(blocked), now: new Date() };
}
