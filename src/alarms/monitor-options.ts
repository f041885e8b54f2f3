import { Duration } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';

// The thresholds users set through a construct's `monitoring` prop. The monitorX functions that
// read them stay internal; these structs are public, so they live apart from those functions.

/** Thresholds and routing of a function's alarms: error rate, throttles, p99 duration against the timeout (C07, C09). */
export interface FunctionMonitoringOptions {
  /**
   * Page when more than this percentage of invocations fail, above 0 and at most 100.
   *
   * @default 1
   */
  readonly errorRatePercent?: number;

  /**
   * Invocations per 5-minute period below which the error rate counts as 0, so one failure on a quiet night does not page.
   *
   * @default 10
   */
  readonly minimumInvocations?: number;

  /**
   * Page when p99 duration exceeds this share of the function timeout, above 0 and below 1.
   *
   * @default 0.8
   */
  readonly durationFractionOfTimeout?: number;

  /**
   * Topic that receives alarm and OK notifications.
   *
   * @default - the stack's `AlertTopic`
   */
  readonly alertTopic?: sns.ITopic;
}

/** Thresholds and routing of a REST API stage's alarms: 5XX rate, 4XX rate and p99 latency (C07, C09). */
export interface RestApiMonitoringOptions {
  /**
   * Page when more than this percentage of requests fail with 5XX, above 0 and at most 100.
   *
   * @default 1
   */
  readonly serverErrorRatePercent?: number;

  /**
   * Page when more than this percentage of requests are refused with 4XX, above 0 and at most 100.
   *
   * @default 10
   */
  readonly clientErrorRatePercent?: number;

  /**
   * Page when p99 latency stays above this.
   *
   * @default Duration.seconds(3)
   */
  readonly p99Latency?: Duration;

  /**
   * Topic that receives alarm and OK notifications.
   *
   * @default - the stack's `AlertTopic`
   */
  readonly alertTopic?: sns.ITopic;
}

/** Thresholds and routing of a state machine's alarms: failure rate and timed-out executions (C07, C09). */
export interface StateMachineMonitoringOptions {
  /**
   * Page when more than this percentage of started executions fail, above 0 and at most 100.
   *
   * @default 1
   */
  readonly failureRatePercent?: number;

  /**
   * Topic that receives alarm and OK notifications.
   *
   * @default - the stack's `AlertTopic`
   */
  readonly alertTopic?: sns.ITopic;
}
