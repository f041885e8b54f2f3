import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';

// Every threshold and alarm setting the library's alarms use, one place each (C07, C08, C09).
// Constructs name these values in their `@default` docs; change them here, not at the call sites.

/** Page when more than 1% of requests fail: a payment path that drops one in a hundred is an incident. */
export const ERROR_RATE_PERCENT = 1;

/** Below 10 requests a period one failure is already 10% or more, so the rate is noise: the guard reports 0. */
export const MINIMUM_REQUESTS = 10;

/** Five minutes matches the default period of most AWS service metrics and smooths single slow batches. */
export const ALARM_PERIOD = Duration.minutes(5);

/** Judge the last three periods (15 minutes), long enough to ride out a deploy's cold starts. */
export const EVALUATION_PERIODS = 3;

/** Two breaching periods of three: a sustained problem pages within 10 minutes, a one-period blip does not. */
export const DATAPOINTS_TO_ALARM = 2;

/**
 * No data means no traffic (Lambda, SQS and Step Functions publish nothing when idle), which is not a failure;
 * alarming on it would page every quiet night.
 */
export const TREAT_MISSING_DATA = cloudwatch.TreatMissingData.NOT_BREACHING;

/** Any message in a dead-letter queue is a payment or event that was not processed: alarm when there is more than none. */
export const DLQ_DEPTH_THRESHOLD = 0;

/** Thresholds on depth, age and timeouts already say how much is tolerated, so one breaching period pages. */
export const SINGLE_PERIOD = 1;

/** DLQ depth is sampled each minute: a one-minute period pages as soon as a message lands. */
export const DLQ_PERIOD = Duration.minutes(1);

/** A message waiting 15 minutes means consumers are down or far behind, long before a 4-day retention expires. */
export const OLDEST_MESSAGE_AGE = Duration.minutes(15);

/** When the retention is short, alarm at half of it so there is time to act before messages expire. */
export const OLDEST_MESSAGE_AGE_FRACTION_OF_RETENTION = 0.5;

/** A throttled invocation is a rejected request for synchronous callers: alarm on the first one. */
export const FUNCTION_THROTTLES = 1;

/** p99 duration above 80% of the timeout means the slowest calls are about to time out. */
export const DURATION_P99_FRACTION_OF_TIMEOUT = 0.8;

/** Lambda's default timeout (AWS Lambda Developer Guide, "Configure function timeout", checked 2026-11), when a function sets none. */
export const LAMBDA_DEFAULT_TIMEOUT = Duration.seconds(3);

/** Server errors are ours: alarm at the same 1% as every error rate. */
export const API_5XX_RATE_PERCENT = ERROR_RATE_PERCENT;

/** Client errors include bad input and expired tokens, so only a large share (a broken client release, an auth outage) pages. */
export const API_4XX_RATE_PERCENT = 10;

/** p99 latency above 3 s means callers wait and retry; far below API Gateway's 29 s integration timeout. */
export const API_P99_LATENCY = Duration.seconds(3);

/** A failed execution is a payment flow that stopped half way: same 1% as every error rate. */
export const STATE_MACHINE_FAILURE_RATE_PERCENT = ERROR_RATE_PERCENT;

/** A timed-out execution left work unfinished without running its catch path: alarm on the first one. */
export const STATE_MACHINE_TIMEOUTS = 1;

/** Throttled reads or writes on an on-demand table mean a hot partition or a burst above its limits: alarm on the first one. */
export const TABLE_THROTTLES = 1;

/** DynamoDB system errors (HTTP 500) mean failed requests the caller must retry: alarm on the first one. */
export const TABLE_SYSTEM_ERRORS = 1;
