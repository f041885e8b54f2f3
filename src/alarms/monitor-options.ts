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

/**
 * Thresholds and routing of an Aurora cluster's alarms: CPU, freeable memory, connections, Serverless v2 capacity and reader
 * lag, each judged on the worst instance (C07, C09).
 */
export interface DatabaseMonitoringOptions {
  /**
   * Page when an instance's CPU stays above this percentage, above 0 and below 100.
   *
   * @default 80
   */
  readonly cpuPercent?: number;

  /**
   * Page when an instance's freeable memory falls below this percentage of its memory (for Serverless v2, the memory
   * of the maximum ACU), above 0 and below 100.
   *
   * @default 10
   */
  readonly freeableMemoryPercent?: number;

  /**
   * Page when an instance holds more than this percentage of its default max_connections (from the instance class, or
   * the Serverless v2 capacity range), above 0 and below 100.
   *
   * @default 80
   */
  readonly connectionsPercent?: number;

  /**
   * Page when a Serverless v2 instance uses more than this percentage of the maximum ACU, above 0 and below 100.
   * Provisioned clusters have no such alarm.
   *
   * @default 90
   */
  readonly acuUtilizationPercent?: number;

  /**
   * Page when the readers lag the writer by more than this. Clusters without readers have no such alarm.
   *
   * @default Duration.seconds(2)
   */
  readonly replicaLag?: Duration;

  /**
   * Topic that receives alarm and OK notifications.
   *
   * @default - the stack's `AlertTopic`
   */
  readonly alertTopic?: sns.ITopic;
}

/**
 * Thresholds and routing of a web service's alarms (`FargateWebService`): target 5XX rate, load balancer 5XX rate,
 * p99 target response time, unhealthy targets and running tasks below desired (C07, C09, C21).
 */
export interface WebServiceMonitoringOptions {
  /**
   * Page when more than this percentage of requests get a 5XX from the targets (the containers), above 0 and at most 100.
   *
   * @default 1
   */
  readonly targetErrorRatePercent?: number;

  /**
   * Page when more than this percentage of requests get a 5XX from the load balancer itself (no healthy target,
   * target timeouts, refused connections), above 0 and at most 100.
   *
   * @default 1
   */
  readonly loadBalancerErrorRatePercent?: number;

  /**
   * Requests per 5-minute period below which the error rates count as 0, so one failure on a quiet night does not page.
   *
   * @default 10
   */
  readonly minimumRequests?: number;

  /**
   * Page when the p99 of the targets' response time stays above this.
   *
   * @default Duration.seconds(2)
   */
  readonly p99ResponseTime?: Duration;

  /**
   * Topic that receives alarm and OK notifications.
   *
   * @default - the stack's `AlertTopic`
   */
  readonly alertTopic?: sns.ITopic;
}
