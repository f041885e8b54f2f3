import { PAYMENT_KPI_STAGE_VARIABLE, PaymentKpiDimension, PaymentKpiMetric } from '../alarms/business-kpi-names';

// Handler code: imported as `fintech-infra-template/lib/observability/payment-kpis` from Lambda handlers, so it loads
// nothing but the names module (no aws-cdk-lib, no Powertools: the handler passes its own Metrics instance).

/**
 * The part of a Powertools `Metrics` instance (`@aws-lambda-powertools/metrics`) that `PaymentKpis` uses; a `Metrics`
 * fits it, so the package needs no Powertools at run time.
 */
export interface PaymentKpiMetrics {
  /** Buffers one value of a metric until the next flush. */
  addMetric(name: string, unit: 'Count' | 'None', value: number): unknown;
  /** Adds dimensions to every metric the instance publishes. */
  setDefaultDimensions(dimensions: { [name: string]: string }): unknown;
  /** Adds a dimension to the metrics buffered until the next flush. */
  addDimension(name: string, value: string): unknown;
  /** An instance with the same namespace and default dimensions that publishes each metric at once, under its own dimensions. */
  singleMetric(): PaymentKpiMetrics;
}

/** Options of `PaymentKpis`. */
export interface PaymentKpisOptions {
  /**
   * The stage, published as the `stage` dimension the alarms select.
   *
   * @default - the `FINTECH_STAGE` environment variable (`BusinessKpiAlarms.handlerEnvironment` sets it)
   */
  readonly stage?: string;
}

/** One payment attempt. */
export interface PaymentOutcome {
  /** Whether the payment went through; a payment blocked by fraud screening is `failed`. */
  readonly outcome: 'succeeded' | 'failed';
  /** Amount asked, in whole minor units of `currency` (1999 for 19.99 EUR, 1999 for 1999 JPY); 0 for a card check. */
  readonly amountMinorUnits: number;
  /** ISO 4217 code of the amount, e.g. `EUR`. */
  readonly currency: string;
  /**
   * Whether fraud screening flagged the payment.
   *
   * @default false
   */
  readonly fraudTriggered?: boolean;
}

const CURRENCY_CODE = /^[A-Z]{3}$/;

/**
 * Publishes the payment KPIs that `BusinessKpiAlarms` watches, through the handler's Powertools `Metrics` instance:
 * `PaymentSucceeded`, `PaymentFailed` and `FraudTriggered` as 0 or 1 on every payment (so each has a datapoint whenever
 * there is traffic, and their sums over a period are counts), with the dimensions `service` and `stage`; and
 * `PaymentAmount` in minor units at once, with `currency` as well. Create it once at module scope, next to the
 * `Metrics` instance, and flush as usual (`logMetrics` middleware or `publishStoredMetrics()`).
 *
 * Adds `stage` to the default dimensions of `metrics`, so every metric that instance publishes carries it.
 */
export class PaymentKpis {
  /** The stage published as the `stage` dimension. */
  public readonly stage: string;
  private readonly metrics: PaymentKpiMetrics;

  constructor(metrics: PaymentKpiMetrics, options: PaymentKpisOptions = {}) {
    const stage = options.stage ?? process.env[PAYMENT_KPI_STAGE_VARIABLE];
    if (stage === undefined || stage.trim() === '') {
      throw new Error(`PaymentKpis: no stage (options.stage ${options.stage === undefined ? 'unset' : 'empty'}, ${PAYMENT_KPI_STAGE_VARIABLE} ` +
        `${process.env[PAYMENT_KPI_STAGE_VARIABLE] === undefined ? 'unset' : 'empty'}), so the alarms would never see these metrics; ` +
        'pass { stage } or give the function BusinessKpiAlarms.handlerEnvironment.');
    }
    this.stage = stage;
    this.metrics = metrics;
    metrics.setDefaultDimensions({ [PaymentKpiDimension.STAGE]: stage });
  }

  /** Records one payment attempt. Throws, before publishing anything, on an amount or currency the alarms cannot use. */
  public record(payment: PaymentOutcome): void {
    const { outcome, amountMinorUnits: amount, currency } = payment;
    if (outcome !== 'succeeded' && outcome !== 'failed') {
      throw new Error(`PaymentKpis: outcome ${JSON.stringify(outcome)} is neither 'succeeded' nor 'failed'; record a payment blocked by fraud screening as 'failed' with fraudTriggered true.`);
    }
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) {
      throw new Error(`PaymentKpis: amountMinorUnits ${typeof amount === 'number' ? amount : JSON.stringify(amount)} is not a whole number of minor units of at least 0; pass e.g. 1999 for 19.99 EUR.`);
    }
    if (typeof currency !== 'string' || !CURRENCY_CODE.test(currency)) {
      throw new Error(`PaymentKpis: currency ${JSON.stringify(currency)} is not an ISO 4217 code; pass three capital letters, e.g. 'EUR'.`);
    }
    const succeeded = outcome === 'succeeded' ? 1 : 0;
    this.metrics.addMetric(PaymentKpiMetric.SUCCEEDED, 'Count', succeeded);
    this.metrics.addMetric(PaymentKpiMetric.FAILED, 'Count', 1 - succeeded);
    this.metrics.addMetric(PaymentKpiMetric.FRAUD_TRIGGERED, 'Count', payment.fraudTriggered ? 1 : 0);
    // Its own EMF record: the currency dimension must not reach the counts, whose alarms select service and stage only.
    const amountMetric = this.metrics.singleMetric();
    amountMetric.addDimension(PaymentKpiDimension.CURRENCY, currency);
    amountMetric.addMetric(PaymentKpiMetric.AMOUNT, 'None', amount);
  }
}
