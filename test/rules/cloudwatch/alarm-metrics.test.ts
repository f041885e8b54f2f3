import { alarmMetrics } from '../../../src/rules/cloudwatch/alarm-metrics';

const DIMENSIONS = [{ Name: 'FunctionName', Value: 'ledger-dev' }];

describe('alarmMetrics', () => {
  test('reads the single metric of a plain alarm, with a percentile as its statistic', () => {
    expect(alarmMetrics({ Namespace: 'AWS/Lambda', MetricName: 'Errors', Statistic: 'Sum', Dimensions: DIMENSIONS })).toEqual({
      metrics: [{ location: 'Properties', namespace: 'AWS/Lambda', metricName: 'Errors', statistic: 'Sum', dimensions: DIMENSIONS, returnsData: true }],
      hasExpression: false,
      unknown: false,
    });
    expect(alarmMetrics({ MetricName: 'Duration', ExtendedStatistic: 'p99' }).metrics[0].statistic).toBe('p99');
  });

  test('reads the metric stats of a Metrics array, which ones return data, and whether one is an expression', () => {
    const read = alarmMetrics({
      Metrics: [
        { Id: 'rate', Expression: '100 * e / i', ReturnData: true },
        { Id: 'e', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors', Dimensions: DIMENSIONS }, Stat: 'Sum' }, ReturnData: 'false' },
        { Id: 'i', MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Invocations' }, Stat: 'Sum' } },
      ],
    });
    expect(read.hasExpression).toBe(true);
    expect(read.unknown).toBe(false);
    expect(read.metrics.map(m => [m.location, m.metricName, m.returnsData, m.dimensions])).toEqual([
      ['Properties/Metrics/1', 'Errors', false, DIMENSIONS],
      ['Properties/Metrics/2', 'Invocations', true, undefined],
    ]);
  });

  test('marks intrinsic metric lists, entries, stats and metrics as unknown', () => {
    expect(alarmMetrics({ Metrics: { 'Fn::If': ['C', [], []] } })).toEqual({ metrics: [], hasExpression: false, unknown: true });
    expect(alarmMetrics({ Metrics: [{ 'Fn::If': ['C', {}, {}] }] }).unknown).toBe(true);
    expect(alarmMetrics({ Metrics: [{ Id: 'm', MetricStat: { Ref: 'Stat' } }] }).unknown).toBe(true);
    expect(alarmMetrics({ Metrics: [{ Id: 'm', MetricStat: { Metric: { 'Fn::If': ['C', {}, {}] }, Stat: 'Sum' } }] }).unknown).toBe(true);
    expect(alarmMetrics({ Metrics: [null, 'm'] }).unknown).toBe(true);
  });
});
