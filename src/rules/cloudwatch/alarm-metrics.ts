import { TemplateValue } from '../template-value';

/** One metric an `AWS::CloudWatch::Alarm` reads, as the template states it. */
export interface AlarmMetric {
  /** Template location of the metric, e.g. `Properties` or `Properties/Metrics/1`. */
  readonly location: string;
  readonly namespace: unknown;
  readonly metricName: unknown;
  /** `Statistic` (or `Stat` of a `MetricStat`); `ExtendedStatistic` for percentiles. */
  readonly statistic: unknown;
  /** The `Dimensions` list; undefined when absent. */
  readonly dimensions: unknown;
  /** Whether the alarm evaluates this metric itself (not only as an input of an expression). */
  readonly returnsData: boolean;
}

/** What an alarm's properties say about the metrics it evaluates. */
export interface AlarmMetrics {
  /** The metrics read from the template, top-level or in `Metrics`. */
  readonly metrics: readonly AlarmMetric[];
  /** Some `Metrics` entry is a metric math expression. */
  readonly hasExpression: boolean;
  /** `Metrics` or one of its entries is an intrinsic: the alarm may read anything. */
  readonly unknown: boolean;
}

/** The metrics of an alarm's literal properties: a single metric (`MetricName`...) or a `Metrics` array. */
export function alarmMetrics(properties: { readonly [key: string]: unknown }): AlarmMetrics {
  const entries = properties.Metrics;
  if (entries === undefined) {
    return {
      metrics: [{
        location: 'Properties',
        namespace: properties.Namespace,
        metricName: properties.MetricName,
        statistic: properties.Statistic ?? properties.ExtendedStatistic,
        dimensions: properties.Dimensions,
        returnsData: true,
      }],
      hasExpression: false,
      unknown: false,
    };
  }
  if (!Array.isArray(entries)) return { metrics: [], hasExpression: false, unknown: true };
  const metrics: AlarmMetric[] = [];
  let hasExpression = false;
  let unknown = false;
  entries.forEach((entry, i) => {
    if (!TemplateValue.isObject(entry) || TemplateValue.isIntrinsic(entry)) {
      unknown = true;
      return;
    }
    if (entry.Expression !== undefined) hasExpression = true;
    const stat = entry.MetricStat;
    if (stat === undefined) return;
    const metric = TemplateValue.isObject(stat) && !TemplateValue.isIntrinsic(stat) ? stat.Metric : undefined;
    if (!TemplateValue.isObject(metric) || TemplateValue.isIntrinsic(metric)) {
      unknown = true;
      return;
    }
    metrics.push({
      location: `Properties/Metrics/${i}`,
      namespace: metric.Namespace,
      metricName: metric.MetricName,
      statistic: (stat as { readonly [key: string]: unknown }).Stat,
      dimensions: metric.Dimensions,
      // CloudWatch evaluates the one entry whose ReturnData is true (the default).
      returnsData: TemplateValue.booleanOf(entry.ReturnData) !== false,
    });
  });
  return { metrics, hasExpression, unknown };
}
