import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ErrorRateAlarm } from './error-rate-alarm';
import { hygienicAlarm } from './hygienic-alarm';
import { FunctionMonitoringOptions } from './monitor-options';
import { checkMinimumRequests, checkRatePercent } from './monitor-thresholds';
import {
  ALARM_PERIOD, DURATION_P99_FRACTION_OF_TIMEOUT, ERROR_RATE_PERCENT, FUNCTION_THROTTLES, LAMBDA_DEFAULT_TIMEOUT, MINIMUM_REQUESTS,
} from './monitoring-defaults';

/** Options of `monitorFunction`: the public thresholds, plus who asks; internal. */
export interface MonitorFunctionOptions extends FunctionMonitoringOptions {
  /** Who asks, for error messages. @default - 'Function monitoring at <path of scope>' */
  readonly owner?: string;
}

/** The alarms of a function. */
export interface FunctionAlarms {
  /** Errors over invocations. */
  readonly errorRate: ErrorRateAlarm;
  /** Throttled invocations. */
  readonly throttles: cloudwatch.Alarm;
  /** p99 duration close to the timeout. */
  readonly duration: cloudwatch.Alarm;
}

/**
 * The alarms every function needs (C07, C09): error rate, throttles, and p99 duration against its
 * timeout. Created in `scope` (the function itself, or the construct that wraps it).
 */
export function monitorFunction(scope: Construct, fn: lambda.Function, options: MonitorFunctionOptions = {}): FunctionAlarms {
  const owner = options.owner ?? `Function monitoring at ${scope.node.path}`;
  const fraction = options.durationFractionOfTimeout ?? DURATION_P99_FRACTION_OF_TIMEOUT;
  if (!(fraction > 0 && fraction < 1)) {
    throw new Error(`${owner}: monitoring.durationFractionOfTimeout ${fraction} must be above 0 and below 1 (a share of the function timeout); use the default ${DURATION_P99_FRACTION_OF_TIMEOUT}.`);
  }
  const percent = options.errorRatePercent ?? ERROR_RATE_PERCENT;
  checkRatePercent(owner, 'errorRatePercent', percent, ERROR_RATE_PERCENT);
  const minimumInvocations = options.minimumInvocations ?? MINIMUM_REQUESTS;
  checkMinimumRequests(owner, 'minimumInvocations', minimumInvocations, MINIMUM_REQUESTS);
  const topic = options.alertTopic ? { alertTopic: options.alertTopic } : {};
  const timeout = fn.timeout ?? LAMBDA_DEFAULT_TIMEOUT;
  const errorRate = ErrorRateAlarm.forFunction(scope, 'ErrorRate', fn, {
    description: `More than ${percent}% of invocations of ${fn.node.path} fail. Check its logs and traces, and the last deploy.`,
    thresholdPercent: percent,
    minimumRequests: minimumInvocations,
    ...topic,
  });
  const throttles = hygienicAlarm(scope, 'ThrottlesAlarm', {
    owner,
    metric: fn.metricThrottles({ statistic: cloudwatch.Stats.SUM, period: ALARM_PERIOD }),
    threshold: FUNCTION_THROTTLES,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    description: `Invocations of ${fn.node.path} are throttled: its reserved concurrency or the account's concurrency is exhausted. ` +
      'Synchronous callers get errors; raise the limit or slow the source.',
    ...topic,
  });
  const thresholdMs = Math.round(timeout.toMilliseconds() * fraction);
  const duration = hygienicAlarm(scope, 'DurationAlarm', {
    owner,
    metric: fn.metricDuration({ statistic: cloudwatch.Stats.p(99), period: ALARM_PERIOD }),
    threshold: thresholdMs,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    description: `p99 duration of ${fn.node.path} is above ${thresholdMs} ms, ${Math.round(fraction * 100)}% of its ${timeout.toHumanString()} timeout: ` +
      'the slowest invocations are about to time out. Check downstream latency or raise the timeout.',
    ...topic,
  });
  return { errorRate, throttles, duration };
}
