import { Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct, IConstruct } from 'constructs';
import { PAYMENT_KPI_STAGE_VARIABLE, PaymentKpiDimension, PaymentKpiMetric } from './business-kpi-names';
import { ErrorRateAlarm } from './error-rate-alarm';
import { hygienicAlarm } from './hygienic-alarm';
import { ALARM_PERIOD, MINIMUM_REQUESTS } from './monitoring-defaults';
import { FintechStage } from '../stage/fintech-stage';

/** Below 95% of payments going through, customers notice: card declines alone stay well under 5% on a healthy path. */
const SUCCESS_RATE_FLOOR = 0.95;

/** Fraud screening flags well under 1% of normal traffic; 2% is a card-testing run or a rule gone wrong. */
const FRAUD_RATE_CEILING = 0.02;

/** Expected average payment amount of one currency, in minor units (cents for EUR, yen for JPY). */
export interface AmountBand {
  /** ISO 4217 code, as `PaymentKpis` publishes it, e.g. `EUR`. */
  readonly currency: string;
  /** Page when the average amount per period falls below this many minor units; 0 or more. */
  readonly min: number;
  /** Page when the average amount per period rises above this many minor units; more than `min`. */
  readonly max: number;
}

/** Properties of `BusinessKpiAlarms`. */
export interface BusinessKpiAlarmsProps {
  /** CloudWatch namespace the handlers publish to (their `POWERTOOLS_METRICS_NAMESPACE`; `TracedFunction` defaults it to the application). */
  readonly namespace: string;

  /** Powertools service name of the handlers (their `POWERTOOLS_SERVICE_NAME`), the `service` dimension. */
  readonly serviceName: string;

  /**
   * Page when fewer than this share of payments succeed, above 0 and below 1.
   *
   * @default 0.95
   */
  readonly successRateFloor?: number;

  /**
   * Page when fraud screening flags more than this share of payments, above 0 and at most 1.
   *
   * @default 0.02
   */
  readonly fraudRateCeiling?: number;

  /**
   * Expected average amount per currency: two alarms per band, average above `max` and below `min`. A normal amount
   * depends on the business alone, so there is no default band.
   *
   * @default - no amount alarms
   */
  readonly averageAmountBands?: AmountBand[];

  /**
   * Payments per 5-minute period below which the success and fraud rates count as 0, so that a quiet night with
   * one declined card does not page.
   *
   * @default 10
   */
  readonly minimumPayments?: number;

  /**
   * Topic that receives alarm and OK notifications.
   *
   * @default - the stack's `AlertTopic`
   */
  readonly alertTopic?: sns.ITopic;
}

/** The two alarms of one `AmountBand`. */
export interface AmountBandAlarms {
  /** The band. */
  readonly band: AmountBand;
  /** Average amount above `band.max`. */
  readonly aboveMax: cloudwatch.Alarm;
  /** Average amount below `band.min`. */
  readonly belowMin: cloudwatch.Alarm;
}

/**
 * Alarms on the payment KPIs that `PaymentKpis` publishes from handlers (C24), as rates and statistics, never counts:
 * the success rate below a floor and the fraud trigger rate above a ceiling (both `ErrorRateAlarm`s over
 * `PaymentSucceeded + PaymentFailed`, guarded against no traffic), and the average amount per currency outside a band.
 * Metrics are selected by the `service` and `stage` dimensions (the stage of the enclosing `FintechStage`); every alarm
 * says what to check first and goes to the stack's `AlertTopic` (C08).
 */
export class BusinessKpiAlarms extends Construct {
  /**
   * The environment variable that tells `PaymentKpis` the stage of `scope` (`FINTECH_STAGE`), for a workload whose
   * handlers publish payment KPIs while the alarms live elsewhere (e.g. in the observability blueprint's stack): pass it
   * in the function's `environment` next to its own variables.
   *
   * @param scope a construct inside a `FintechStage` (or with the `fintech:stage` context)
   */
  public static stageEnvironment(scope: IConstruct): { [name: string]: string } {
    return { [PAYMENT_KPI_STAGE_VARIABLE]: kpiStageName(scope, `BusinessKpiAlarms.stageEnvironment for ${scope.node.path}`) };
  }

  /** Success rate below the floor, alarmed as `100 * PaymentFailed / payments` above `100 * (1 - successRateFloor)`. */
  public readonly successRate: ErrorRateAlarm;
  /** Fraud trigger rate above the ceiling, `100 * FraudTriggered / payments` above `100 * fraudRateCeiling`. */
  public readonly fraudRate: ErrorRateAlarm;
  /** The alarms of each amount band, in the order of `averageAmountBands`. */
  public readonly amountAlarms: AmountBandAlarms[];
  /** The stage selected by the `stage` dimension. */
  public readonly stageName: string;
  /**
   * Environment of the handlers that publish these metrics (`POWERTOOLS_METRICS_NAMESPACE`, `POWERTOOLS_SERVICE_NAME`,
   * `FINTECH_STAGE`): pass it as a `TracedFunction`'s `environment` so handlers and alarms agree.
   */
  public readonly handlerEnvironment: { [name: string]: string };

  private readonly namespace: string;
  private readonly serviceName: string;

  constructor(scope: Construct, id: string, props: BusinessKpiAlarmsProps) {
    super(scope, id);
    const owner = `BusinessKpiAlarms at ${this.node.path}`;
    if (typeof props.namespace !== 'string' || (!Token.isUnresolved(props.namespace) && (props.namespace.trim() === '' || props.namespace.startsWith('AWS/')))) {
      throw new Error(`${owner}: namespace "${props.namespace}" must be your own (not empty, not AWS/...); use the POWERTOOLS_METRICS_NAMESPACE of the handlers, e.g. 'ledger'.`);
    }
    if (typeof props.serviceName !== 'string' || (!Token.isUnresolved(props.serviceName) && props.serviceName.trim() === '')) {
      throw new Error(`${owner}: serviceName is empty, so the alarms would select no metrics; use the POWERTOOLS_SERVICE_NAME of the handlers, e.g. 'payments'.`);
    }
    const stageName = kpiStageName(this, owner);
    const floor = props.successRateFloor ?? SUCCESS_RATE_FLOOR;
    if (!Token.isUnresolved(floor) && !(floor > 0 && floor < 1)) {
      throw new Error(`${owner}: successRateFloor ${floor} is not a share above 0 and below 1 (1 would page on every declined card); use e.g. ${SUCCESS_RATE_FLOOR} for "page when fewer than 95% succeed".`);
    }
    const ceiling = props.fraudRateCeiling ?? FRAUD_RATE_CEILING;
    if (!Token.isUnresolved(ceiling) && !(ceiling > 0 && ceiling <= 1)) {
      throw new Error(`${owner}: fraudRateCeiling ${ceiling} is not a share above 0 and at most 1; use e.g. ${FRAUD_RATE_CEILING} for "page when more than 2% of payments are flagged".`);
    }
    const minimumPayments = props.minimumPayments ?? MINIMUM_REQUESTS;
    if (!Token.isUnresolved(minimumPayments) && !(Number.isInteger(minimumPayments) && minimumPayments >= 1)) {
      throw new Error(`${owner}: minimumPayments ${minimumPayments} must be a whole number of at least 1, or the rates divide by zero on no traffic; use the default ${MINIMUM_REQUESTS}.`);
    }
    const bands = props.averageAmountBands ?? [];
    checkBands(owner, bands);

    this.namespace = props.namespace;
    this.serviceName = props.serviceName;
    this.stageName = stageName;
    this.handlerEnvironment = {
      POWERTOOLS_METRICS_NAMESPACE: props.namespace,
      POWERTOOLS_SERVICE_NAME: props.serviceName,
      [PAYMENT_KPI_STAGE_VARIABLE]: stageName,
    };
    const where = `the ${props.serviceName} service in ${stageName}`;
    const topic = props.alertTopic ? { alertTopic: props.alertTopic } : {};

    this.successRate = new ErrorRateAlarm(this, 'SuccessRate', {
      // Success below the floor is failure above its complement; rounded, since 1 - 0.95 is 0.050000000000000044.
      thresholdPercent: percentOf(1 - floor),
      minimumRequests: minimumPayments,
      errors: this.metric(PaymentKpiMetric.FAILED),
      requests: this.payments(),
      description: `Fewer than ${percentOf(floor)}% of payments of ${where} succeed (PaymentFailed / (PaymentSucceeded + PaymentFailed) above ` +
        `${percentOf(1 - floor)}% in 2 of 3 periods of 5 minutes, with at least ${minimumPayments} payments each). Check first: the payment provider's ` +
        'status page and its error responses in the logs, then the error-prone-functions Contributor Insights rule for the failing function; ' +
        'if the fraud rate alarm fires too, start with fraud screening.',
      ...topic,
    });
    this.fraudRate = new ErrorRateAlarm(this, 'FraudRate', {
      thresholdPercent: percentOf(ceiling),
      minimumRequests: minimumPayments,
      errors: this.metric(PaymentKpiMetric.FRAUD_TRIGGERED),
      requests: this.payments(),
      description: `Fraud screening flags more than ${percentOf(ceiling)}% of payments of ${where} (FraudTriggered / (PaymentSucceeded + PaymentFailed) ` +
        `in 2 of 3 periods of 5 minutes, with at least ${minimumPayments} payments each). Check first: whether a few cards, IP addresses or API ` +
        'consumers (top-api-consumers Contributor Insights rule) make most of the flagged payments, a card-testing run; then the last change to the fraud rules.',
      ...topic,
    });
    this.amountAlarms = bands.map(band => {
      const average = this.metric(PaymentKpiMetric.AMOUNT, cloudwatch.Stats.AVERAGE, { [PaymentKpiDimension.CURRENCY]: band.currency });
      const subject = `average ${band.currency} payment amount of ${where}`;
      // One alarm per side of the band: its id, how the average leaves the band, and what to check first.
      const outside = (alarmId: string, side: 'above' | 'below', threshold: number, checkFirst: string) => hygienicAlarm(this, `${band.currency}${alarmId}`, {
        owner,
        metric: average,
        threshold,
        comparisonOperator: side === 'above' ? cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD : cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        description: `The ${subject} is ${side} ${threshold} minor units (Average of PaymentAmount, 2 of 3 periods of 5 minutes). Check first: ${checkFirst}`,
        ...topic,
      });
      return {
        band,
        aboveMax: outside('AmountAboveMax', 'above', band.max,
          'amounts sent in major instead of minor units (100 times too large) since the last deploy, then price or currency-conversion changes.'),
        belowMin: outside('AmountBelowMin', 'below', band.min,
          'a burst of tiny payments from a few cards (card testing: the fraud rate and the top-api-consumers Contributor Insights rule), ' +
          'then amounts sent in major instead of minor units, then price or discount changes.'),
      };
    });
  }

  /**
   * One payment KPI metric of this service and stage, per 5-minute period, for dashboards.
   *
   * @param metricName the KPI
   * @param statistic e.g. `Sum` for counts, `Average` for the amount or the success share
   * @param currency required for `PaymentAmount`, which is published per currency
   */
  public metricKpi(metricName: PaymentKpiMetric, statistic: string = cloudwatch.Stats.SUM, currency?: string): cloudwatch.Metric {
    if (metricName === PaymentKpiMetric.AMOUNT && !currency) {
      throw new Error(`BusinessKpiAlarms at ${this.node.path}: PaymentAmount is published per currency; pass the currency, e.g. metricKpi(PaymentKpiMetric.AMOUNT, 'Average', 'EUR').`);
    }
    return this.metric(metricName, statistic, currency ? { [PaymentKpiDimension.CURRENCY]: currency } : {});
  }

  private metric(metricName: PaymentKpiMetric, statistic: string = cloudwatch.Stats.SUM, extra: { [name: string]: string } = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({
      namespace: this.namespace,
      metricName,
      dimensionsMap: { [PaymentKpiDimension.SERVICE]: this.serviceName, [PaymentKpiDimension.STAGE]: this.stageName, ...extra },
      statistic,
      period: ALARM_PERIOD,
    });
  }

  /** Every payment attempt of a period: each publishes exactly one of PaymentSucceeded and PaymentFailed as 1. */
  private payments(): cloudwatch.MathExpression {
    return new cloudwatch.MathExpression({
      expression: 'FILL(succeeded, 0) + FILL(failed, 0)',
      usingMetrics: { succeeded: this.metric(PaymentKpiMetric.SUCCEEDED), failed: this.metric(PaymentKpiMetric.FAILED) },
      period: ALARM_PERIOD,
      label: 'Payments',
    });
  }
}

/** The stage name of the `stage` dimension; throws, naming `owner`, when there is none. */
function kpiStageName(scope: IConstruct, owner: string): string {
  const stageName = FintechStage.settingsOf(scope).stageName;
  if (stageName === '') {
    throw new Error(`${owner}: there is no stage name for the stage dimension; create the stack inside a FintechStage or set the fintech:stage context.`);
  }
  return stageName;
}

/** A share as a percentage, without the float noise of `(1 - 0.95) * 100`. */
function percentOf(share: number): number {
  return Math.round(share * 100 * 1e6) / 1e6;
}

function checkBands(owner: string, bands: readonly AmountBand[]): void {
  const seen = new Set<string>();
  for (const band of bands) {
    if (typeof band.currency !== 'string' || !/^[A-Z]{3}$/.test(band.currency)) {
      throw new Error(`${owner}: averageAmountBands currency "${band.currency}" is not an ISO 4217 code; use three capital letters as the handlers publish them, e.g. 'EUR'.`);
    }
    if (seen.has(band.currency)) {
      throw new Error(`${owner}: averageAmountBands has two bands for ${band.currency}; keep one band per currency.`);
    }
    seen.add(band.currency);
    if (!Number.isFinite(band.min) || !Number.isFinite(band.max) || band.min < 0 || band.min >= band.max) {
      throw new Error(`${owner}: averageAmountBands for ${band.currency} has min ${band.min} and max ${band.max}; use minor units with 0 <= min < max, ` +
        'e.g. { currency: \'EUR\', min: 500, max: 20000 } for an average between 5 and 200 EUR.');
    }
  }
}
