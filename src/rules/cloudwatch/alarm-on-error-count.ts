import { alarmMetrics } from './alarm-metrics';
import { countExpressionOf } from './count-expression';
import { COUNT_STATISTICS, ERROR_COUNT_METRIC_NAMES } from './error-count-metrics';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

/**
 * C07: an alarm on a failure count (`ERROR_COUNT_METRIC_NAMES`) with statistic Sum or SampleCount where a rate was
 * meant: a plain metric alarm, or metric math that only adds, scales, sums or fills such counts (`m1 + m2`,
 * `FILL(errors, 0)`; `src/rules/cloudwatch/count-expression.ts`). Must not judge: math with a division (a rate) or any other
 * function (IF, anomaly bands, SEARCH: a deliberate choice), math over metrics that are not failure counts, intrinsics.
 * A warning: counting can be right, e.g. for a resource with a fixed, tiny volume.
 */
export class AlarmOnErrorCount implements FintechRule {
  /** Metadata of `Fintech-C07-AlarmOnErrorCount`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C07-AlarmOnErrorCount',
    catalogId: 'C07',
    title: 'Error alarms watch a rate, not a count',
    description: 'An absolute error count grows with traffic: a threshold that pages on 5 errors at night ignores a 1% failure rate ' +
      'at peak, and a threshold of 1 pages on every retried timeout. 100 * errors / requests through metric math, guarded against ' +
      'zero traffic, means the same thing at every volume. ' +
      'Judged on metric alarms on the Sum or SampleCount of a failure count (Errors, 5XXError, 4XXError, 5xx, 4xx, the ALB ' +
      'HTTPCode counts, ExecutionsFailed, Faults, FailedInvocations, ThrottledRequests, in any namespace), alone or in ' +
      'metric math that only adds, scales, sums or fills them. ' +
      'Not judged: math with a division or any other function (IF, anomaly detection bands, SEARCH), taken as a deliberate choice; ' +
      'other statistics and metrics; composite alarms; intrinsic values.',
    fix: 'Use an ErrorRateAlarm, or make the alarm metric a cloudwatch.MathExpression "100 * errors / requests" over the Sum of both.',
    defaultSeverity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'AlarmOnErrorCount';
  public readonly infos = [AlarmOnErrorCount.INFO];
  public readonly resourceTypes = ['AWS::CloudWatch::Alarm'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    if (!resource.properties) return [];
    const read = alarmMetrics(resource.properties);
    if (read.unknown) return [];
    if (read.hasExpression) {
      // Metric math that only adds failure counts is still a count; a division or any other function is a deliberate choice.
      const math = countExpressionOf(resource.properties);
      if (!math) return [];
      return [findingOn(resource, AlarmOnErrorCount.INFO.id,
        `${resource.type} ${resource.logicalId} alarms on the metric math "${math.expression}", which only adds up the failure counts ${math.counts.join(', ')} with no division: still an absolute count that grows with traffic; alarm on 100 * errors / requests instead.`,
        [math.location])];
    }
    const counted = read.metrics.find(metric => metric.returnsData
      && typeof metric.metricName === 'string' && ERROR_COUNT_METRIC_NAMES.has(metric.metricName)
      && typeof metric.statistic === 'string' && COUNT_STATISTICS.has(metric.statistic));
    if (!counted) return [];
    const namespace = typeof counted.namespace === 'string' ? `${counted.namespace} ` : '';
    return [findingOn(resource, AlarmOnErrorCount.INFO.id,
      `${resource.type} ${resource.logicalId} alarms on the ${counted.statistic} of ${namespace}${counted.metricName} with no metric math: an absolute failure count that grows with traffic; alarm on 100 * errors / requests instead.`,
      counted.location === 'Properties' ? ['Properties/MetricName', 'Properties/Statistic'] : [counted.location])];
  }
}
