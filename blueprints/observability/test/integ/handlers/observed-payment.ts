import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { PaymentKpis } from 'fintech-infra-template/lib/observability/payment-kpis';

const logger = new Logger();
const metrics = new Metrics();
const kpis = new PaymentKpis(metrics);

/** Records one payment attempt's KPIs: `{ "outcome": "succeeded" | "failed", "amountMinorUnits", "currency" }`; 400 on anything else. */
export const handler = async (event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> => {
  try {
    const payment = JSON.parse(event.body ?? '{}');
    const { outcome, amountMinorUnits, currency } = payment;
    kpis.record({ outcome, amountMinorUnits, currency, fraudTriggered: payment.fraudTriggered === true });
    logger.info('payment recorded', { outcome: payment.outcome, currency: payment.currency });
    return { statusCode: 201, body: JSON.stringify({ recorded: true }) };
  } catch (error) {
    logger.warn('payment refused', { error: (error as Error).message });
    return { statusCode: 400, body: JSON.stringify({ error: (error as Error).message }) };
  } finally {
    metrics.publishStoredMetrics();
  }
};
