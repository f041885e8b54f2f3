import { App, CfnParameter, Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { AlarmOnErrorCount } from '../../../src/rules/cloudwatch/alarm-on-error-count';
import { findingsOf, lines, shop, validate } from '../rule-harness';

const C07 = AlarmOnErrorCount.INFO.id;

function c07(app: App) {
  return findingsOf(app, [C07]);
}

function ledgerFunction(scope: import('constructs').Construct, id = 'Ledger') {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    tracing: lambda.Tracing.ACTIVE,
  });
}

const ALARM = { threshold: 1, evaluationPeriods: 3, datapointsToAlarm: 2, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, alarmDescription: 'Ledger errors' };
const L1_ALARM = { comparisonOperator: 'GreaterThanOrEqualToThreshold', threshold: 1, evaluationPeriods: 1 };

function errorsStat(stat: string, returnData = true) {
  return {
    id: 'errors',
    returnData,
    metricStat: { metric: { namespace: 'AWS/Lambda', metricName: 'Errors', dimensions: [{ name: 'FunctionName', value: 'ledger-dev' }] }, period: 300, stat },
  };
}

describe('Fintech-C07-AlarmOnErrorCount', () => {
  test('an error-rate alarm built with plain aws-cdk-lib, routed to a subscribed topic, passes every monitoring rule', () => {
    const { app, stack } = shop();
    const fn = ledgerFunction(stack);
    const topic = new sns.Topic(stack, 'Alerts');
    topic.addSubscription(new subscriptions.EmailSubscription('oncall@example.com'));
    const rate = new cloudwatch.MathExpression({
      expression: 'IF(requests >= 10, 100 * errors / requests, 0)',
      usingMetrics: { errors: fn.metricErrors({ statistic: 'Sum' }), requests: fn.metricInvocations({ statistic: 'Sum' }) },
      period: Duration.minutes(5),
    });
    const alarm = new cloudwatch.Alarm(stack, 'ErrorRate', { ...ALARM, metric: rate });
    alarm.addAlarmAction(new actions.SnsAction(topic));
    const monitoring = validate(app).findings.filter(f => ['C07', 'C08', 'C09', 'C10', 'C11', ''].includes(f.catalogId));
    expect(lines(monitoring)).toEqual([]);
  });

  test('fails an L2 alarm on the Sum of a function\'s Errors and passes rates, percentiles and other metrics', () => {
    const { app, stack } = shop();
    const fn = ledgerFunction(stack);
    new cloudwatch.Alarm(stack, 'Count', { ...ALARM, metric: fn.metricErrors() });
    new cloudwatch.Alarm(stack, 'Rate', {
      ...ALARM,
      metric: new cloudwatch.MathExpression({ expression: '100 * e / i', usingMetrics: { e: fn.metricErrors(), i: fn.metricInvocations() } }),
    });
    new cloudwatch.Alarm(stack, 'Average', { ...ALARM, metric: fn.metricErrors({ statistic: 'Average' }) });
    new cloudwatch.Alarm(stack, 'Duration', { ...ALARM, metric: fn.metricDuration({ statistic: 'p99' }) });
    new cloudwatch.Alarm(stack, 'Invocations', { ...ALARM, metric: fn.metricInvocations() });
    const findings = c07(app);
    expect(lines(findings)).toEqual([`${C07} Shop/Count/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'warning',
      locations: ['Properties/MetricName', 'Properties/Statistic'],
      message: expect.stringMatching(/^AWS::CloudWatch::Alarm Count[0-9A-F]{8} alarms on the Sum of AWS\/Lambda Errors with no metric math/),
      fix: expect.stringContaining('ErrorRateAlarm'),
    });
  });

  test('fails L1 alarms on counts of API, ALB and Step Functions failures, SampleCount included', () => {
    const { app, stack } = shop();
    new cloudwatch.CfnAlarm(stack, 'Api5xx', { ...L1_ALARM, namespace: 'AWS/ApiGateway', metricName: '5XXError', statistic: 'Sum', period: 60 });
    new cloudwatch.CfnAlarm(stack, 'Alb5xx', { ...L1_ALARM, namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', statistic: 'SampleCount', period: 60 });
    new cloudwatch.CfnAlarm(stack, 'Failed', { ...L1_ALARM, namespace: 'AWS/States', metricName: 'ExecutionsFailed', statistic: 'Sum', period: 60 });
    new cloudwatch.CfnAlarm(stack, 'Latency', { ...L1_ALARM, namespace: 'AWS/ApiGateway', metricName: 'Latency', statistic: 'Sum', period: 60 });
    new cloudwatch.CfnAlarm(stack, 'P99', { ...L1_ALARM, namespace: 'AWS/ApiGateway', metricName: '5XXError', extendedStatistic: 'p99', period: 60 });
    expect(lines(c07(app))).toEqual([`${C07} Shop/Alb5xx`, `${C07} Shop/Api5xx`, `${C07} Shop/Failed`]);
  });

  test('reads Metrics arrays: a returned count fails, with no math or with math that only fills it', () => {
    const { app, stack } = shop();
    new cloudwatch.CfnAlarm(stack, 'Stat', { ...L1_ALARM, metrics: [errorsStat('Sum')] });
    new cloudwatch.CfnAlarm(stack, 'Filled', {
      ...L1_ALARM,
      metrics: [{ id: 'filled', expression: 'FILL(errors, 0)', returnData: true }, errorsStat('Sum', false)],
    });
    new cloudwatch.CfnAlarm(stack, 'Hidden', { ...L1_ALARM, metrics: [errorsStat('Sum', false), { ...errorsStat('p99'), id: 'p99' }] });
    // CDK writes a Metrics array for a metric of another account.
    const fn = ledgerFunction(stack);
    new cloudwatch.Alarm(stack, 'CrossAccount', { ...ALARM, metric: fn.metricErrors({ account: '111111111111' }) });
    const findings = c07(app);
    // FILL(errors, 0) is still the count of errors.
    expect(lines(findings)).toEqual([`${C07} Shop/CrossAccount/Resource`, `${C07} Shop/Filled`, `${C07} Shop/Stat`]);
    expect(findings.find(f => f.constructPath === 'Shop/Stat')!.locations).toEqual(['Properties/Metrics/0']);
  });

  test('catches an escape hatch that turns a rate alarm into a count', () => {
    const { app, stack } = shop();
    const fn = ledgerFunction(stack);
    const alarm = new cloudwatch.Alarm(stack, 'Overridden', {
      ...ALARM,
      metric: new cloudwatch.MathExpression({ expression: '100 * e / i', usingMetrics: { e: fn.metricErrors(), i: fn.metricInvocations() } }),
    });
    const cfn = alarm.node.defaultChild as cloudwatch.CfnAlarm;
    cfn.addPropertyDeletionOverride('Metrics');
    cfn.addPropertyOverride('Namespace', 'AWS/Lambda');
    cfn.addPropertyOverride('MetricName', 'Errors');
    cfn.addPropertyOverride('Statistic', 'Sum');
    cfn.addPropertyOverride('Period', 60);
    expect(lines(c07(app))).toEqual([`${C07} Shop/Overridden/Resource`]);
  });

  test('treats intrinsic names, statistics, metric lists and properties as unknown', () => {
    const { app, stack } = shop();
    const stat = new CfnParameter(stack, 'Statistic');
    new cloudwatch.CfnAlarm(stack, 'Name', { ...L1_ALARM, metricName: { 'Fn::If': ['C', 'Errors', 'Latency'] } as unknown as string, statistic: 'Sum', period: 60 });
    new cloudwatch.CfnAlarm(stack, 'Stat', { ...L1_ALARM, metricName: 'Errors', statistic: stat.valueAsString, period: 60 });
    new cloudwatch.CfnAlarm(stack, 'List', { ...L1_ALARM, metrics: { 'Fn::If': ['C', [errorsStat('Sum')], []] } as unknown as cloudwatch.CfnAlarm.MetricDataQueryProperty[] });
    new cloudwatch.CfnAlarm(stack, 'Entry', { ...L1_ALARM, metrics: [errorsStat('Sum'), { 'Fn::If': ['C', { id: 'x', expression: 'e' }, { Ref: 'AWS::NoValue' }] }] as cloudwatch.CfnAlarm.MetricDataQueryProperty[] });
    new cloudwatch.CfnAlarm(stack, 'Whole', { ...L1_ALARM, metricName: 'Errors', statistic: 'Sum', period: 60 }).addOverride('Properties', { 'Fn::If': ['C', {}, {}] });
    expect(c07(app)).toEqual([]);
  });

  test('does not crash on odd but valid shapes', () => {
    const { app, stack } = shop();
    new cloudwatch.CfnAlarm(stack, 'Empty', { ...L1_ALARM, metrics: [] });
    new cloudwatch.CfnAlarm(stack, 'NoMetric', { ...L1_ALARM, metrics: [errorsStat('Sum')] }).addPropertyDeletionOverride('Metrics.0.MetricStat.Metric');
    new cloudwatch.CfnAlarm(stack, 'StatString', { ...L1_ALARM, metrics: [errorsStat('Sum')] }).addPropertyOverride('Metrics.0.MetricStat', 'Errors');
    new cloudwatch.CfnAlarm(stack, 'Numbers', { ...L1_ALARM, metricName: 'Errors', statistic: 'Sum', period: 60 }).addPropertyOverride('MetricName', 5);
    expect(c07(app)).toEqual([]);
  });

  describe('metric math', () => {
    test('fails math that only adds error counts, L2 and raw, and passes math that divides them by requests', () => {
      const { app, stack } = shop();
      const fn = ledgerFunction(stack);
      const other = ledgerFunction(stack, 'Refunds');
      new cloudwatch.Alarm(stack, 'Added', {
        ...ALARM,
        metric: new cloudwatch.MathExpression({ expression: 'FILL(a, 0) + FILL(b, 0)', usingMetrics: { a: fn.metricErrors({ statistic: 'Sum' }), b: other.metricErrors({ statistic: 'Sum' }) } }),
      });
      new cloudwatch.Alarm(stack, 'Rate', {
        ...ALARM,
        metric: new cloudwatch.MathExpression({
          expression: '100 * (a + b) / (ia + ib)',
          usingMetrics: { a: fn.metricErrors({ statistic: 'Sum' }), b: other.metricErrors({ statistic: 'Sum' }), ia: fn.metricInvocations({ statistic: 'Sum' }), ib: other.metricInvocations({ statistic: 'Sum' }) },
        }),
      });
      new cloudwatch.CfnAlarm(stack, 'Raw', { ...L1_ALARM, metrics: [errorsStat('Sum', false), { id: 'total', expression: 'SUM([errors])' }] });
      const findings = c07(app);
      expect(lines(findings)).toEqual([`${C07} Shop/Added/Resource`, `${C07} Shop/Raw`]);
      expect(findings.find(f => f.logicalId === 'Raw')).toMatchObject({
        severity: 'warning',
        message: 'AWS::CloudWatch::Alarm Raw alarms on the metric math "SUM([errors])", which only adds up the failure counts AWS/Lambda Errors with no division: still an absolute count that grows with traffic; alarm on 100 * errors / requests instead.',
        locations: ['Properties/Metrics/1'],
      });
    });
  });
});
