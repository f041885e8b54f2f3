import { Duration, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { hygienicAlarm } from './hygienic-alarm';
import {
  ALARM_PERIOD, API_4XX_RATE_PERCENT, API_5XX_RATE_PERCENT, DATAPOINTS_TO_ALARM, ERROR_RATE_PERCENT, EVALUATION_PERIODS, MINIMUM_REQUESTS,
  STATE_MACHINE_FAILURE_RATE_PERCENT,
} from './monitoring-defaults';

/** Options of every `ErrorRateAlarm`, whatever it measures. */
export interface ErrorRateAlarmOptions {
  /**
   * What the alarm means and what to do about it; shown in the notification email.
   */
  readonly description: string;

  /**
   * Percentage of failed requests above which the alarm fires, more than 0 and at most 100.
   *
   * @default 1 (the library's error-rate default; `forRestApi` with `ApiErrorClass.CLIENT` uses 10)
   */
  readonly thresholdPercent?: number;

  /**
   * Requests per period below which the rate counts as 0, so that a handful of requests with one
   * failure does not page and no traffic never divides by zero.
   *
   * @default 10
   */
  readonly minimumRequests?: number;

  /**
   * Period of each datapoint.
   *
   * @default Duration.minutes(5)
   */
  readonly period?: Duration;

  /**
   * Number of most recent periods the alarm looks at.
   *
   * @default 3
   */
  readonly evaluationPeriods?: number;

  /**
   * Breaching periods among `evaluationPeriods` that fire the alarm.
   *
   * @default 2 (or `evaluationPeriods` when that is lower)
   */
  readonly datapointsToAlarm?: number;

  /**
   * How periods without data count. No data means no traffic, not failure.
   *
   * @default TreatMissingData.NOT_BREACHING
   */
  readonly treatMissingData?: cloudwatch.TreatMissingData;

  /**
   * Name of the alarm; build it with `PhysicalName.of(this, '<base>')` so stages do not collide.
   *
   * @default - CloudFormation generates a name
   */
  readonly alarmName?: string;

  /**
   * Topic that receives alarm and OK notifications.
   *
   * @default - the stack's `AlertTopic`
   */
  readonly alertTopic?: sns.ITopic;
}

/** Properties of an `ErrorRateAlarm` over any pair of metrics. */
export interface ErrorRateAlarmProps extends ErrorRateAlarmOptions {
  /** Failed requests, summed per period; carry their dimensions (use the L2's metric methods). */
  readonly errors: cloudwatch.IMetric;
  /** All requests, summed per period, with the same dimensions as `errors`. */
  readonly requests: cloudwatch.IMetric;
}

/** Which API Gateway errors an `ErrorRateAlarm.forRestApi` measures. */
export enum ApiErrorClass {
  /** `5XXError`: failures of the API or its integrations. */
  SERVER = '5XXError',
  /** `4XXError`: requests the API refused (bad input, auth, throttling). */
  CLIENT = '4XXError',
}

/** Options of `ErrorRateAlarm.forRestApi`. */
export interface RestApiErrorRateOptions extends ErrorRateAlarmOptions {
  /**
   * Stage measured; its metrics carry both the API name and the stage name.
   *
   * @default - the API's `deploymentStage`
   */
  readonly stage?: apigateway.StageBase;

  /**
   * Server or client errors.
   *
   * @default ApiErrorClass.SERVER
   */
  readonly errorClass?: ApiErrorClass;
}

/**
 * An alarm on a real error rate, `100 * errors / requests` through metric math, instead of an error
 * count (C07). A minimum-traffic guard keeps zero or tiny traffic from alarming or dividing by zero:
 * the alarmed expression is `IF(FILL(requests, 0) >= <minimumRequests>, 100 * FILL(errors, 0) / FILL(requests, 0), 0)`.
 * Every alarm has a description, a missing-data policy, datapoints-to-alarm, and alarm and OK
 * actions on the stack's encrypted, subscribed `AlertTopic` (C08).
 */
export class ErrorRateAlarm extends Construct {
  /**
   * Lambda `Errors` over `Invocations` of one function.
   */
  public static forFunction(scope: Construct, id: string, fn: lambda.IFunction, options: ErrorRateAlarmOptions): ErrorRateAlarm {
    return new ErrorRateAlarm(scope, id, {
      ...options,
      errors: fn.metricErrors({ statistic: cloudwatch.Stats.SUM }),
      requests: fn.metricInvocations({ statistic: cloudwatch.Stats.SUM }),
    });
  }

  /**
   * API Gateway `5XXError` (or `4XXError`) over `Count` of one stage of a REST API.
   * Client errors default to a 10% threshold, since callers cause most of them.
   */
  public static forRestApi(scope: Construct, id: string, api: apigateway.RestApiBase, options: RestApiErrorRateOptions): ErrorRateAlarm {
    const stage = options.stage ?? api.deploymentStage;
    const errorClass = options.errorClass ?? ApiErrorClass.SERVER;
    const { stage: _stage, errorClass: _errorClass, ...alarmOptions } = options;
    return new ErrorRateAlarm(scope, id, {
      thresholdPercent: errorClass === ApiErrorClass.CLIENT ? API_4XX_RATE_PERCENT : API_5XX_RATE_PERCENT,
      ...alarmOptions,
      errors: errorClass === ApiErrorClass.CLIENT
        ? stage.metricClientError({ statistic: cloudwatch.Stats.SUM })
        : stage.metricServerError({ statistic: cloudwatch.Stats.SUM }),
      requests: stage.metricCount({ statistic: cloudwatch.Stats.SUM }),
    });
  }

  /**
   * Application Load Balancer `HTTPCode_Target_5XX_Count` over `RequestCount`.
   */
  public static forLoadBalancer(scope: Construct, id: string, loadBalancer: elbv2.IApplicationLoadBalancer,
    options: ErrorRateAlarmOptions): ErrorRateAlarm {
    return new ErrorRateAlarm(scope, id, {
      ...options,
      errors: loadBalancer.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT, { statistic: cloudwatch.Stats.SUM }),
      requests: loadBalancer.metrics.requestCount({ statistic: cloudwatch.Stats.SUM }),
    });
  }

  /**
   * Step Functions `ExecutionsFailed` over `ExecutionsStarted`.
   */
  public static forStateMachine(scope: Construct, id: string, stateMachine: sfn.IStateMachine, options: ErrorRateAlarmOptions): ErrorRateAlarm {
    return new ErrorRateAlarm(scope, id, {
      thresholdPercent: STATE_MACHINE_FAILURE_RATE_PERCENT,
      ...options,
      errors: stateMachine.metricFailed({ statistic: cloudwatch.Stats.SUM }),
      requests: stateMachine.metricStarted({ statistic: cloudwatch.Stats.SUM }),
    });
  }

  /**
   * Messages moved to the dead-letter queue over messages received from the queue, for the
   * consumers of a queue with a dead-letter queue (a `SecureQueue`). SQS has no "moved to DLQ" metric (`NumberOfMessagesSent` leaves out
   * redriven messages: SQS Developer Guide, available CloudWatch metrics, checked 2026-11), so moves
   * are the growth of the DLQ depth: `IF(DIFF(dlqDepth) > 0, DIFF(dlqDepth), 0)`. A failing message is
   * received `maxReceiveCount` times before it moves, so a consumer that fails everything shows
   * `100 / maxReceiveCount` percent, far above the default threshold.
   */
  public static forQueueConsumer(scope: Construct, id: string, queue: sqs.Queue, options: ErrorRateAlarmOptions): ErrorRateAlarm {
    if (!queue.deadLetterQueue) {
      throw new Error(`ErrorRateAlarm at ${[scope.node.path, id].filter(Boolean).join('/')}: forQueueConsumer measures messages moved to the dead-letter queue, ` +
        `but ${queue.node.path} has none; give the queue a deadLetterQueue (a SecureQueue always has one).`);
    }
    const moved = new cloudwatch.MathExpression({
      expression: 'IF(DIFF(dlqDepth) > 0, DIFF(dlqDepth), 0)',
      usingMetrics: { dlqDepth: queue.deadLetterQueue.queue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM }) },
      label: 'Messages moved to the DLQ',
    });
    return new ErrorRateAlarm(scope, id, {
      ...options,
      errors: moved,
      requests: queue.metricNumberOfMessagesReceived({ statistic: cloudwatch.Stats.SUM }),
    });
  }

  /** The alarm. */
  public readonly alarm: cloudwatch.Alarm;
  /** The guarded error rate in percent, for dashboards. */
  public readonly rate: cloudwatch.MathExpression;
  /** Threshold in percent. */
  public readonly thresholdPercent: number;

  constructor(scope: Construct, id: string, props: ErrorRateAlarmProps) {
    super(scope, id);
    const owner = `ErrorRateAlarm at ${this.node.path}`;
    this.thresholdPercent = props.thresholdPercent ?? ERROR_RATE_PERCENT;
    const threshold = this.thresholdPercent;
    if (!Token.isUnresolved(threshold) && !(threshold > 0 && threshold <= 100)) {
      throw new Error(`${owner}: thresholdPercent ${threshold} is not a percentage above 0 and at most 100; use e.g. 1 for "more than 1% of requests fail".`);
    }
    const minimumRequests = props.minimumRequests ?? MINIMUM_REQUESTS;
    if (!Token.isUnresolved(minimumRequests) && !(Number.isInteger(minimumRequests) && minimumRequests >= 1)) {
      throw new Error(`${owner}: minimumRequests ${minimumRequests} must be a whole number of at least 1, or the rate divides by zero on no traffic; use the default ${MINIMUM_REQUESTS}.`);
    }
    const period = props.period ?? ALARM_PERIOD;
    if (!Token.isUnresolved(period.toSeconds()) && (period.toSeconds() < 60 || period.toSeconds() % 60 !== 0)) {
      throw new Error(`${owner}: period ${period.toHumanString()} is not a whole number of minutes, which AWS service metrics need; use e.g. Duration.minutes(5).`);
    }

    this.rate = new cloudwatch.MathExpression({
      expression: `IF(FILL(requests, 0) >= ${minimumRequests}, 100 * FILL(errors, 0) / FILL(requests, 0), 0)`,
      usingMetrics: { errors: props.errors, requests: props.requests },
      period,
      label: 'Error rate (%)',
    });
    this.alarm = hygienicAlarm(this, 'Alarm', {
      owner,
      metric: this.rate,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      description: props.description,
      evaluationPeriods: props.evaluationPeriods ?? EVALUATION_PERIODS,
      datapointsToAlarm: props.datapointsToAlarm ?? Math.min(DATAPOINTS_TO_ALARM, props.evaluationPeriods ?? EVALUATION_PERIODS),
      ...(props.treatMissingData ? { treatMissingData: props.treatMissingData } : {}),
      ...(props.alarmName ? { alarmName: props.alarmName } : {}),
      ...(props.alertTopic ? { alertTopic: props.alertTopic } : {}),
    });
  }
}
