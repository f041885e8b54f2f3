// List prices of what the observability blueprint adds to a stage and that is billed whatever the traffic: dashboards,
// Contributor Insights rules, canary runs and alarm metrics. Used by bench/observability-cost.ts to report the monthly
// fixed cost the blueprint adds per stage. Traffic-priced parts are not listed (log events a rule matches, X-Ray traces
// recorded and scanned, events forwarded across accounts, canary artifacts in S3, the canaries' Lambda time), nor free ones
// (X-Ray groups and sampling rules, saved queries, EventBridge rules on AWS service events).
// Sources, read 2026-12:
// - Amazon CloudWatch pricing (https://aws.amazon.com/cloudwatch/pricing/), paid tier, us-east-1: a dashboard $3.00 a month
//   (also quoted by factualminds.com, "Amazon CloudWatch Pricing", June 2026); a standard-resolution alarm $0.10 a month per
//   metric it evaluates (a metric math alarm is billed per metric in its expression); a composite alarm $0.50 a month;
//   a Contributor Insights rule for CloudWatch Logs $0.50 a month; a Synthetics canary run $0.0012.
// - The same page's free tier, per account and month: 3 dashboards of up to 50 metrics, 10 alarm metrics, 1 Contributor
//   Insights rule, 100 canary runs. The free tier is the account's, shared by every stage and workload in it, so the
//   bench reports list prices without it.
// Other regions are not listed: their figures could not be sourced to the same standard.

/** The prices of one region, in US dollars. */
export interface ObservabilityPrices {
  /** The region code, e.g. `us-east-1`. */
  readonly region: string;
  /** One custom dashboard for a month. */
  readonly dashboardPerMonth: number;
  /** One metric evaluated by a standard-resolution alarm, for a month. */
  readonly alarmMetricPerMonth: number;
  /** One composite alarm for a month. */
  readonly compositeAlarmPerMonth: number;
  /** One Contributor Insights rule on CloudWatch Logs for a month (matched log events are billed on top). */
  readonly contributorInsightsRulePerMonth: number;
  /** One Synthetics canary run. */
  readonly canaryRun: number;
  /** When the figures were read from the pricing page, `YYYY-MM`. */
  readonly read: string;
}

/** Minutes AWS bills for a month in its pricing examples (730 hours). */
export const MINUTES_PER_MONTH = 730 * 60;

/** The regions whose prices could be sourced. */
export const OBSERVABILITY_PRICES: readonly ObservabilityPrices[] = [
  {
    region: 'us-east-1',
    dashboardPerMonth: 3.0,
    alarmMetricPerMonth: 0.1,
    compositeAlarmPerMonth: 0.5,
    contributorInsightsRulePerMonth: 0.5,
    canaryRun: 0.0012,
    read: '2026-12',
  },
];

/** The prices of `region`, or undefined when none could be sourced for it. */
export function observabilityPricesIn(region: string): ObservabilityPrices | undefined {
  return OBSERVABILITY_PRICES.find(prices => prices.region === region);
}
