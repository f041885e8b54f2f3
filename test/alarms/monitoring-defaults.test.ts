import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as defaults from '../../src/alarms/monitoring-defaults';
import { SQS_MAX_RETENTION_DAYS } from '../../src/facts/sqs-limits';

/** CloudWatch evaluates at most one day of periods for a metric alarm (EvaluationPeriods x Period <= 86,400 s). */
const MAX_EVALUATION_RANGE = Duration.days(1);
/** API Gateway's default integration timeout: a latency threshold at or above it never fires before the 504. */
const API_GATEWAY_INTEGRATION_TIMEOUT = Duration.seconds(29);
/** SQS keeps a message 4 days unless told otherwise. */
const SQS_DEFAULT_RETENTION = Duration.days(4);

describe('monitoring defaults', () => {
  test('an alarm needs at least one and at most all of its evaluated datapoints', () => {
    expect(defaults.DATAPOINTS_TO_ALARM).toBeGreaterThanOrEqual(1);
    expect(defaults.DATAPOINTS_TO_ALARM).toBeLessThanOrEqual(defaults.EVALUATION_PERIODS);
    // Fewer datapoints than periods: one blip does not page.
    expect(defaults.DATAPOINTS_TO_ALARM).toBeLessThan(defaults.EVALUATION_PERIODS);
    expect(defaults.SINGLE_PERIOD).toBe(1);
    for (const count of [defaults.EVALUATION_PERIODS, defaults.DATAPOINTS_TO_ALARM, defaults.SINGLE_PERIOD]) {
      expect(Number.isInteger(count)).toBe(true);
    }
  });

  test('periods are whole minutes CloudWatch accepts, and the evaluated range fits in the day CloudWatch allows', () => {
    for (const period of [defaults.ALARM_PERIOD, defaults.DLQ_PERIOD]) {
      expect(period.toSeconds() % 60).toBe(0);
      expect(period.toSeconds()).toBeGreaterThanOrEqual(60);
    }
    expect(defaults.ALARM_PERIOD.toSeconds() * defaults.EVALUATION_PERIODS).toBeLessThanOrEqual(MAX_EVALUATION_RANGE.toSeconds());
    // The DLQ alarm pages faster than the rate alarms.
    expect(defaults.DLQ_PERIOD.toSeconds()).toBeLessThan(defaults.ALARM_PERIOD.toSeconds());
  });

  test('rate thresholds are percentages above 0 and at most 100, and every failure rate is the one error rate', () => {
    const percentages = [
      defaults.ERROR_RATE_PERCENT, defaults.API_5XX_RATE_PERCENT, defaults.API_4XX_RATE_PERCENT, defaults.STATE_MACHINE_FAILURE_RATE_PERCENT,
    ];
    for (const percent of percentages) {
      expect(percent).toBeGreaterThan(0);
      expect(percent).toBeLessThanOrEqual(100);
    }
    expect(defaults.API_5XX_RATE_PERCENT).toBe(defaults.ERROR_RATE_PERCENT);
    expect(defaults.STATE_MACHINE_FAILURE_RATE_PERCENT).toBe(defaults.ERROR_RATE_PERCENT);
    // Client errors tolerate more than server errors.
    expect(defaults.API_4XX_RATE_PERCENT).toBeGreaterThan(defaults.API_5XX_RATE_PERCENT);
  });

  test('the minimum request count is where one failure stops being above the error rate by itself', () => {
    expect(Number.isInteger(defaults.MINIMUM_REQUESTS)).toBe(true);
    // Below the guard one failure is already 100 / MINIMUM_REQUESTS percent, far above the rate that pages.
    expect(100 / defaults.MINIMUM_REQUESTS).toBeGreaterThan(defaults.ERROR_RATE_PERCENT);
  });

  test('count thresholds page on the first throttle, timeout or system error; a DLQ pages on any message', () => {
    for (const count of [defaults.FUNCTION_THROTTLES, defaults.STATE_MACHINE_TIMEOUTS, defaults.TABLE_THROTTLES, defaults.TABLE_SYSTEM_ERRORS]) {
      expect(count).toBe(1);
    }
    expect(defaults.DLQ_DEPTH_THRESHOLD).toBe(0);
  });

  test('fractions are above 0 and below 1', () => {
    for (const fraction of [defaults.DURATION_P99_FRACTION_OF_TIMEOUT, defaults.OLDEST_MESSAGE_AGE_FRACTION_OF_RETENTION]) {
      expect(fraction).toBeGreaterThan(0);
      expect(fraction).toBeLessThan(1);
    }
  });

  test('durations sit inside the limits they are measured against', () => {
    expect(defaults.API_P99_LATENCY.toMilliseconds()).toBeGreaterThan(0);
    expect(defaults.API_P99_LATENCY.toMilliseconds()).toBeLessThan(API_GATEWAY_INTEGRATION_TIMEOUT.toMilliseconds());
    expect(defaults.OLDEST_MESSAGE_AGE.toSeconds()).toBeLessThan(SQS_DEFAULT_RETENTION.toSeconds());
    expect(defaults.OLDEST_MESSAGE_AGE.toSeconds()).toBeLessThan(Duration.days(SQS_MAX_RETENTION_DAYS).toSeconds());
    expect(defaults.LAMBDA_DEFAULT_TIMEOUT.toSeconds()).toBe(3);
  });

  test('missing data (no traffic) does not breach', () => {
    expect(defaults.TREAT_MISSING_DATA).toBe(cloudwatch.TreatMissingData.NOT_BREACHING);
  });

  test('the public monitoring options document these values as their @default', () => {
    const source = fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'alarms', 'monitor-options.ts'), 'utf-8');
    const documented = Object.fromEntries([...source.matchAll(/@default ([^\n]+)\n\s*\*\/\n\s*readonly (\w+)\?/g)].map(([, value, option]) => [option, value.trim()]));
    expect(documented).toEqual(expect.objectContaining({
      errorRatePercent: String(defaults.ERROR_RATE_PERCENT),
      minimumInvocations: String(defaults.MINIMUM_REQUESTS),
      durationFractionOfTimeout: String(defaults.DURATION_P99_FRACTION_OF_TIMEOUT),
      serverErrorRatePercent: String(defaults.API_5XX_RATE_PERCENT),
      clientErrorRatePercent: String(defaults.API_4XX_RATE_PERCENT),
      p99Latency: `Duration.seconds(${defaults.API_P99_LATENCY.toSeconds()})`,
      failureRatePercent: String(defaults.STATE_MACHINE_FAILURE_RATE_PERCENT),
    }));
    // "Invocations per 5-minute period": the period the function alarms use.
    expect(source).toContain(`per ${defaults.ALARM_PERIOD.toMinutes()}-minute period`);
  });
});
