import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { ErrorRateAlarm } from './error-rate-alarm';
import { hygienicAlarm } from './hygienic-alarm';
import {
  ALARM_PERIOD, DURATION_P99_FRACTION_OF_TIMEOUT, ERROR_RATE_PERCENT, FUNCTION_THROTTLES, LAMBDA_DEFAULT_TIMEOUT, MINIMUM_REQUESTS,
} from './monitoring-defaults';

/** Options of `monitorFunction`; internal until a construct exposes them. */
export interface FunctionMonitoringOptions {
  /** @default ERROR_RATE_PERCENT (1) */
  readonly errorRatePercent?: number;
  /** Invocations per period below which the error rate counts as 0. @default MINIMUM_REQUESTS (10) */
  readonly minimumInvocations?: number;
  /** p99 duration, as a fraction of the timeout, above which the duration alarm fires. @default DURATION_P99_FRACTION_OF_TIMEOUT (0.8) */
  readonly durationFractionOfTimeout?: number;
  /** @default - the stack's AlertTopic */
  readonly alertTopic?: sns.ITopic;
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
export function monitorFunction(scope: Construct, fn: lambda.Function, options: FunctionMonitoringOptions = {}): FunctionAlarms {
  const owner = options.owner ?? `Function monitoring at ${scope.node.path}`;
  const fraction = options.durationFractionOfTimeout ?? DURATION_P99_FRACTION_OF_TIMEOUT;
  if (!(fraction > 0 && fraction < 1)) {
    throw new Error(`${owner}: durationFractionOfTimeout ${fraction} must be above 0 and below 1 (a share of the function timeout); use the default ${DURATION_P99_FRACTION_OF_TIMEOUT}.`);
  }
  const topic = options.alertTopic ? { alertTopic: options.alertTopic } : {};
  const timeout = fn.timeout ?? LAMBDA_DEFAULT_TIMEOUT;
  const errorRate = ErrorRateAlarm.forFunction(scope, 'ErrorRate', fn, {
    description: `More than ${options.errorRatePercent ?? ERROR_RATE_PERCENT}% of invocations of ${fn.node.path} fail. Check its logs and traces, and the last deploy.`,
    ...(options.errorRatePercent !== undefined ? { thresholdPercent: options.errorRatePercent } : {}),
    minimumRequests: options.minimumInvocations ?? MINIMUM_REQUESTS,
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
