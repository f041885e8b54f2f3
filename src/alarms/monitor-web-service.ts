import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import { ErrorRateAlarm } from './error-rate-alarm';
import { hygienicAlarm } from './hygienic-alarm';
import { WebServiceMonitoringOptions } from './monitor-options';
import { checkMinimumRequests, checkRatePercent } from './monitor-thresholds';
import { ALARM_PERIOD, ERROR_RATE_PERCENT, MINIMUM_REQUESTS } from './monitoring-defaults';

/** Target 5XX above 1% of requests: the application fails payments, same figure as every error rate. */
export const WEB_TARGET_5XX_RATE_PERCENT = ERROR_RATE_PERCENT;

/** Load balancer 5XX (no healthy target, timeouts, refused connections) above 1%: the service is unreachable for some callers. */
export const WEB_ELB_5XX_RATE_PERCENT = ERROR_RATE_PERCENT;

/** p99 target response time above 2 s: a web page or an API call that slow makes users retry or leave. */
export const WEB_P99_RESPONSE_TIME = Duration.seconds(2);

/** One unhealthy target for two of three periods means a task failing its health check, not one replaced in a deploy. */
export const WEB_UNHEALTHY_TARGETS = 1;

/** A whole task missing on average over a period (scale-outs and replacements close the gap within a minute or two). */
export const WEB_TASKS_BELOW_DESIRED = 1;

/** What `monitorWebService` watches. */
export interface MonitoredWebService {
  /** The load balancer in front of the service. */
  readonly loadBalancer: elbv2.IApplicationLoadBalancer;
  /** The target group of the service's tasks. */
  readonly targetGroup: elbv2.IApplicationTargetGroup;
  /** The ECS service; its cluster must have Container Insights on, which publishes the task counts. */
  readonly service: ecs.IBaseService;
}

/** Options of `monitorWebService`: the public thresholds, plus who asks; internal. */
export interface MonitorWebServiceOptions extends WebServiceMonitoringOptions {
  /** Who asks, for error messages. @default - 'Web service monitoring at <path of scope>' */
  readonly owner?: string;
}

/** The alarms of a web service. */
export interface WebServiceAlarms {
  /** Targets' 5XX over requests. */
  readonly targetErrors: ErrorRateAlarm;
  /** Load balancer 5XX over requests. */
  readonly loadBalancerErrors: ErrorRateAlarm;
  /** p99 of the targets' response time. */
  readonly responseTime: cloudwatch.Alarm;
  /** Unhealthy targets in the target group. */
  readonly unhealthyTargets: cloudwatch.Alarm;
  /** Running tasks below the desired count (Container Insights). */
  readonly tasksBelowDesired: cloudwatch.Alarm;
}

/**
 * Desired minus running tasks of an ECS service, from Container Insights (`ECS/ContainerInsights` publishes
 * `DesiredTaskCount` and `RunningTaskCount` per cluster and service; ECS Developer Guide, "Amazon ECS Container
 * Insights metrics", read 2026-11). Missing counts are 0, so a cluster without Container Insights shows no gap.
 */
export function tasksBelowDesired(service: ecs.IBaseService): cloudwatch.MathExpression {
  const dimensionsMap = { ClusterName: service.cluster.clusterName, ServiceName: service.serviceName };
  const metric = (metricName: string) => new cloudwatch.Metric({ namespace: 'ECS/ContainerInsights', metricName, dimensionsMap, statistic: cloudwatch.Stats.AVERAGE, period: ALARM_PERIOD });
  return new cloudwatch.MathExpression({
    expression: 'FILL(desired, 0) - FILL(running, 0)',
    usingMetrics: { desired: metric('DesiredTaskCount'), running: metric('RunningTaskCount') },
    period: ALARM_PERIOD,
    label: 'Tasks below desired',
  });
}

/**
 * All requests that reached the load balancer: `RequestCount` counts only requests for which it could choose a target
 * (ELB User Guide, "CloudWatch metrics for your Application Load Balancer", read 2026-11), so the 503s of a service
 * without healthy targets are added. 502s and 504s are then counted twice, which at worst halves the rate: a service
 * failing every request still shows 50%, far above the threshold.
 */
export function loadBalancerRequests(loadBalancer: elbv2.IApplicationLoadBalancer): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: 'FILL(counted, 0) + FILL(elb5xx, 0)',
    usingMetrics: {
      counted: loadBalancer.metrics.requestCount({ statistic: cloudwatch.Stats.SUM }),
      elb5xx: loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { statistic: cloudwatch.Stats.SUM }),
    },
    period: ALARM_PERIOD,
    label: 'Requests',
  });
}

/**
 * The alarms a web service behind an Application Load Balancer needs (C07, C09, C21): the targets' 5XX rate and the
 * load balancer's own 5XX rate (both metric math over the requests, with the minimum-traffic guard of
 * `ErrorRateAlarm`), p99 target response time, unhealthy targets, and running tasks below desired. Created in
 * `scope`, routed like every library alarm (C08).
 */
export function monitorWebService(scope: Construct, watched: MonitoredWebService, options: MonitorWebServiceOptions = {}): WebServiceAlarms {
  const owner = options.owner ?? `Web service monitoring at ${scope.node.path}`;
  const topic = options.alertTopic ? { alertTopic: options.alertTopic } : {};
  const targetPercent = options.targetErrorRatePercent ?? WEB_TARGET_5XX_RATE_PERCENT;
  const elbPercent = options.loadBalancerErrorRatePercent ?? WEB_ELB_5XX_RATE_PERCENT;
  const minimumRequests = options.minimumRequests ?? MINIMUM_REQUESTS;
  checkRatePercent(owner, 'targetErrorRatePercent', targetPercent, WEB_TARGET_5XX_RATE_PERCENT);
  checkRatePercent(owner, 'loadBalancerErrorRatePercent', elbPercent, WEB_ELB_5XX_RATE_PERCENT);
  checkMinimumRequests(owner, 'minimumRequests', minimumRequests, MINIMUM_REQUESTS);
  const responseLimit = options.p99ResponseTime ?? WEB_P99_RESPONSE_TIME;
  const responseMs = responseLimit.toMilliseconds();
  if (!Token.isUnresolved(responseMs) && responseMs <= 0) {
    throw new Error(`${owner}: monitoring.p99ResponseTime ${responseLimit.toHumanString()} must be above 0; drop it for the default ${WEB_P99_RESPONSE_TIME.toHumanString()}.`);
  }
  const { loadBalancer, targetGroup, service } = watched;
  const where = scope.node.path;

  const targetErrors = ErrorRateAlarm.forLoadBalancer(scope, 'TargetErrorRate', loadBalancer, {
    thresholdPercent: targetPercent,
    minimumRequests,
    description: `More than ${targetPercent}% of requests to ${where} get a 5XX from the containers: the application is failing. ` +
      'Check the service\'s container logs and the last deployment.',
    ...topic,
  });
  const loadBalancerErrors = new ErrorRateAlarm(scope, 'LoadBalancerErrorRate', {
    errors: loadBalancer.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT, { statistic: cloudwatch.Stats.SUM }),
    requests: loadBalancerRequests(loadBalancer),
    thresholdPercent: elbPercent,
    minimumRequests,
    description: `More than ${elbPercent}% of requests to ${where} get a 5XX from the load balancer itself: no healthy task, tasks timing out ` +
      'or refusing connections. Check the target group\'s health and the running task count.',
    ...topic,
  });
  const responseTime = hygienicAlarm(scope, 'ResponseTimeAlarm', {
    owner,
    // TargetResponseTime is in seconds.
    metric: loadBalancer.metrics.targetResponseTime({ statistic: cloudwatch.Stats.p(99), period: ALARM_PERIOD }),
    threshold: responseMs / 1000,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    description: `p99 response time of the tasks of ${where} is above ${responseLimit.toHumanString()}: callers wait and retry. ` +
      'Check the tasks\' CPU and memory, and the latency of what they call (database, downstream APIs).',
    ...topic,
  });
  const unhealthyTargets = hygienicAlarm(scope, 'UnhealthyTargetsAlarm', {
    owner,
    metric: targetGroup.metrics.unhealthyHostCount({ statistic: cloudwatch.Stats.MAXIMUM, period: ALARM_PERIOD }),
    threshold: WEB_UNHEALTHY_TARGETS,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    description: `Tasks of ${where} fail the load balancer health check: they get no traffic and ECS replaces them. ` +
      'Check the health check path answers 200 and the container logs of the stopped tasks.',
    ...topic,
  });
  const tasksBelow = hygienicAlarm(scope, 'TasksBelowDesiredAlarm', {
    owner,
    metric: tasksBelowDesired(service),
    threshold: WEB_TASKS_BELOW_DESIRED,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    description: `Fewer tasks of ${where} run than desired: tasks crash, fail their health checks or cannot start (image pull, secrets, capacity). ` +
      'Check the service events and the stopped tasks\' reasons.',
    ...topic,
  });
  return { targetErrors, loadBalancerErrors, responseTime, unhealthyTargets, tasksBelowDesired: tasksBelow };
}
