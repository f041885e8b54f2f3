import { countExpressionOf } from '../../../src/rules/cloudwatch/count-expression';

function stat(id: string, metricName: string, statistic = 'Sum', returnData = false) {
  return { Id: id, ReturnData: returnData, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: metricName }, Period: 300, Stat: statistic } };
}

function math(expression: string, ...inputs: object[]) {
  return { Metrics: [...inputs, { Id: 'expr', Expression: expression }] };
}

describe('countExpressionOf', () => {
  test('adding, subtracting, scaling, summing or filling failure counts is still a count', () => {
    for (const expression of ['m1 + m2', 'SUM([m1, m2])', 'FILL(m1, 0) + FILL(m2, REPEAT)', '(m1 - m2) * 100', 'm1']) {
      expect([expression, countExpressionOf(math(expression, stat('m1', 'Errors'), stat('m2', '5XXError', 'SampleCount')))?.counts])
        .toEqual([expression, expression === 'm1' ? ['AWS/Lambda Errors'] : ['AWS/Lambda Errors', 'AWS/Lambda 5XXError']]);
    }
    expect(countExpressionOf(math('m1 + m2', stat('m1', 'Errors'), stat('m2', 'Errors')))).toEqual({ location: 'Properties/Metrics/2', expression: 'm1 + m2', counts: ['AWS/Lambda Errors'] });
  });

  test('follows nested expressions', () => {
    const alarm = { Metrics: [stat('e1', 'Errors'), stat('e2', 'Errors'), { Id: 'total', Expression: 'e1 + e2', ReturnData: false }, { Id: 'alarmed', Expression: 'FILL(total, 0)' }] };
    expect(countExpressionOf(alarm)?.location).toBe('Properties/Metrics/3');
  });

  test('a division makes a rate; other functions, other metrics and other statistics are not judged', () => {
    const inputs = [stat('errors', 'Errors'), stat('requests', 'Invocations')];
    for (const expression of ['100 * errors / requests', 'IF(requests > 10, errors, 0)', 'errors + requests', 'ANOMALY_DETECTION_BAND(errors)', 'RATE(errors)', '5', 'unknownId']) {
      expect([expression, countExpressionOf(math(expression, ...inputs))]).toEqual([expression, undefined]);
    }
    expect(countExpressionOf(math('p + q', stat('p', 'Errors', 'Average'), stat('q', 'Errors', 'Average')))).toBeUndefined();
  });

  test('plain metric alarms, intrinsic entries and self references are not judged', () => {
    expect(countExpressionOf({ MetricName: 'Errors', Statistic: 'Sum' })).toBeUndefined();
    expect(countExpressionOf({ Metrics: { 'Fn::If': ['C', [], []] } })).toBeUndefined();
    expect(countExpressionOf(math('m1 + m2', stat('m1', 'Errors'), { 'Fn::If': ['C', stat('m2', 'Errors'), { Ref: 'AWS::NoValue' }] }))).toBeUndefined();
    expect(countExpressionOf({ Metrics: [{ Id: 'loop', Expression: 'loop + 1' }] })).toBeUndefined();
    // Two entries returning data is an invalid alarm: nothing to judge.
    expect(countExpressionOf({ Metrics: [stat('m1', 'Errors', 'Sum', true), { Id: 'e', Expression: 'm1 + 1' }] })).toBeUndefined();
  });
});
