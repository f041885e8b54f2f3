import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { ApiErrorClass, ErrorRateAlarm } from './error-rate-alarm';
import { hygienicAlarm } from './hygienic-alarm';
import { RestApiMonitoringOptions } from './monitor-options';
import { checkRatePercent } from './monitor-thresholds';
import { ALARM_PERIOD, API_4XX_RATE_PERCENT, API_5XX_RATE_PERCENT, API_P99_LATENCY } from './monitoring-defaults';

/** Options of `monitorRestApi`: the public thresholds, plus the stage and who asks; internal. */
export interface MonitorRestApiOptions extends RestApiMonitoringOptions {
  /** Stage measured. @default - the API's deploymentStage */
  readonly stage?: apigateway.StageBase;
  /** Who asks, for error messages. @default - 'REST API monitoring at <path of scope>' */
  readonly owner?: string;
}

/** The alarms of a REST API stage. */
export interface RestApiAlarms {
  /** 5XXError over Count. */
  readonly serverErrors: ErrorRateAlarm;
  /** 4XXError over Count. */
  readonly clientErrors: ErrorRateAlarm;
  /** p99 of Latency. */
  readonly latency: cloudwatch.Alarm;
}

/**
 * The alarms every REST API stage needs (C07, C09): 5XX rate, 4XX rate and p99 latency, on metrics
 * with both the API name and the stage name as dimensions. Created in `scope`.
 */
export function monitorRestApi(scope: Construct, api: apigateway.RestApiBase, options: MonitorRestApiOptions = {}): RestApiAlarms {
  const owner = options.owner ?? `REST API monitoring at ${scope.node.path}`;
  const stage = options.stage ?? api.deploymentStage;
  const topic = options.alertTopic ? { alertTopic: options.alertTopic } : {};
  const serverPercent = options.serverErrorRatePercent ?? API_5XX_RATE_PERCENT;
  const clientPercent = options.clientErrorRatePercent ?? API_4XX_RATE_PERCENT;
  checkRatePercent(owner, 'serverErrorRatePercent', serverPercent, API_5XX_RATE_PERCENT);
  checkRatePercent(owner, 'clientErrorRatePercent', clientPercent, API_4XX_RATE_PERCENT);
  const latencyLimit = options.p99Latency ?? API_P99_LATENCY;
  if (latencyLimit.toMilliseconds() <= 0) {
    throw new Error(`${owner}: monitoring.p99Latency ${latencyLimit.toHumanString()} must be above 0; use the default ${API_P99_LATENCY.toHumanString()}.`);
  }
  const serverErrors = ErrorRateAlarm.forRestApi(scope, 'ServerErrorRate', api, {
    stage,
    errorClass: ApiErrorClass.SERVER,
    thresholdPercent: serverPercent,
    description: `More than ${serverPercent}% of requests to ${api.node.path} fail with 5XX: the API or its integrations are failing. Check integration logs and traces.`,
    ...topic,
  });
  const clientErrors = ErrorRateAlarm.forRestApi(scope, 'ClientErrorRate', api, {
    stage,
    errorClass: ApiErrorClass.CLIENT,
    thresholdPercent: clientPercent,
    description: `More than ${clientPercent}% of requests to ${api.node.path} are refused with 4XX: a broken client release, an auth outage, or throttling. ` +
      'Check the access logs for the status codes.',
    ...topic,
  });
  const latency = hygienicAlarm(scope, 'LatencyAlarm', {
    owner,
    metric: stage.metricLatency({ statistic: cloudwatch.Stats.p(99), period: ALARM_PERIOD }),
    threshold: latencyLimit.toMilliseconds(),
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    description: `p99 latency of ${api.node.path} is above ${latencyLimit.toHumanString()}: callers wait and retry. Check integration latency in the traces.`,
    ...topic,
  });
  return { serverErrors, clientErrors, latency };
}
