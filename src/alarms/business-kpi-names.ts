// The contract between the handlers that publish payment KPIs (`PaymentKpis`) and the alarms that watch them
// (`BusinessKpiAlarms`). It imports nothing, so a Lambda bundle that loads it stays free of aws-cdk-lib.

/** Names of the payment KPI metrics, published by `PaymentKpis` and watched by `BusinessKpiAlarms`. */
export enum PaymentKpiMetric {
  /** 1 for a payment that went through, 0 otherwise; unit `Count`. */
  SUCCEEDED = 'PaymentSucceeded',
  /** 1 for a payment that did not go through (declined, provider error, blocked by fraud screening), 0 otherwise; unit `Count`. */
  FAILED = 'PaymentFailed',
  /**
   * Amount of each payment attempt in minor units of its currency (cents for EUR and USD, yen for JPY), unit `None`,
   * with the currency as an extra dimension: averages of different currencies mean nothing.
   */
  AMOUNT = 'PaymentAmount',
  /** 1 for a payment that fraud screening flagged, 0 otherwise; unit `Count`. */
  FRAUD_TRIGGERED = 'FraudTriggered',
}

/** Dimensions of the payment KPI metrics. */
export enum PaymentKpiDimension {
  /** The Powertools service name (`POWERTOOLS_SERVICE_NAME`), which Powertools Metrics adds to every metric. */
  SERVICE = 'service',
  /** The stage name, a default dimension `PaymentKpis` adds. */
  STAGE = 'stage',
  /** ISO 4217 code of the amount's currency, on `PaymentAmount` only. */
  CURRENCY = 'currency',
}

/** Environment variable that tells `PaymentKpis` the stage; `BusinessKpiAlarms.handlerEnvironment` sets it. */
export const PAYMENT_KPI_STAGE_VARIABLE = 'FINTECH_STAGE';
