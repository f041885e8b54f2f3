import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { AmountBand, BusinessKpiAlarms, BusinessKpiAlarmsProps } from '../../src/alarms/business-kpi-alarms';
import { PaymentKpiMetric } from '../../src/alarms/business-kpi-names';
import { CONFIG, stackIn, synthReport, testApp } from '../support/fintech-fixture';

const GUARDED_RATE = 'IF(FILL(requests, 0) >= 10, 100 * FILL(errors, 0) / FILL(requests, 0), 0)';
const EUR: AmountBand = { currency: 'EUR', min: 500, max: 20000 };

function kpis(stack: Stack, props: Partial<BusinessKpiAlarmsProps> = {}): BusinessKpiAlarms {
  return new BusinessKpiAlarms(stack, 'Kpis', { namespace: 'ledger', serviceName: 'payments', ...props });
}

// CDK renders dimensions sorted by name.
function dimensions(stage: string, currency?: string) {
  return [...(currency ? [{ Name: 'currency', Value: currency }] : []), { Name: 'service', Value: 'payments' }, { Name: 'stage', Value: stage }];
}

// The same, as a metric's config spells them.
function configDimensions(stage: string, currency?: string) {
  return dimensions(stage, currency).map(({ Name, Value }) => ({ name: Name, value: Value }));
}

function metricStat(id: string, metricName: string, stage: string, stat = 'Sum') {
  return { Id: id, ReturnData: false, MetricStat: { Metric: { Namespace: 'ledger', MetricName: metricName, Dimensions: dimensions(stage) }, Period: 300, Stat: stat } };
}

// ErrorRateAlarm's guarded rate over `errors`, with the payments of the period (succeeded + failed) as its requests.
function rateOver(errorsMetric: string, stage: string, expression = GUARDED_RATE) {
  return [
    { Id: 'expr_1', Expression: expression, Label: 'Error rate (%)', ReturnData: true },
    metricStat('errors', errorsMetric, stage),
    { Id: 'requests', Expression: 'FILL(succeeded, 0) + FILL(failed, 0)', Label: 'Payments', ReturnData: false },
    metricStat('succeeded', 'PaymentSucceeded', stage),
    metricStat('failed', 'PaymentFailed', stage),
  ];
}

function alarmsOf(stack: Stack): { [logicalId: string]: any } {
  return Template.fromStack(stack).findResources('AWS::CloudWatch::Alarm');
}

describe('BusinessKpiAlarms', () => {
  test('success rate below 95%: failures over succeeded + failed of this service and stage above 5%, to the alert topic', () => {
    const stack = stackIn(testApp(), 'prod');
    const alarms = kpis(stack);
    const topic = stack.resolve(AlertTopic.of(stack).topicArn);
    const template = Template.fromStack(stack);
    // No bands, no amount alarms: success and fraud rate only.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: rateOver('PaymentFailed', 'prod'),
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 5,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
      AlarmDescription: Match.stringLikeRegexp('^Fewer than 95% of payments of the payments service in prod succeed'),
    });
    expect(alarms.successRate.thresholdPercent).toBe(5);
    expect(alarms.amountAlarms).toEqual([]);
  });

  test('fraud trigger rate above 2%: FraudTriggered over succeeded + failed', () => {
    const stack = stackIn(testApp(), 'prod');
    const alarms = kpis(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: rateOver('FraudTriggered', 'prod'),
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 2,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      AlarmDescription: Match.stringLikeRegexp('^Fraud screening flags more than 2% of payments of the payments service in prod'),
    });
    expect(alarms.fraudRate.thresholdPercent).toBe(2);
  });

  test('no traffic is no alarm: missing data does not breach and the guarded rate is 0 below the minimum payments', () => {
    const stack = stackIn(testApp(), 'dev');
    kpis(stack, { minimumPayments: 25 });
    const rates = Object.values(alarmsOf(stack)).map(alarm => alarm.Properties);
    expect(rates.map(p => p.Metrics[0].Expression)).toEqual([
      'IF(FILL(requests, 0) >= 25, 100 * FILL(errors, 0) / FILL(requests, 0), 0)',
      'IF(FILL(requests, 0) >= 25, 100 * FILL(errors, 0) / FILL(requests, 0), 0)',
    ]);
    expect(rates.map(p => p.TreatMissingData)).toEqual(['notBreaching', 'notBreaching']);
  });

  test('floor and ceiling become the thresholds in percent, without float noise', () => {
    const stack = stackIn(testApp(), 'dev');
    kpis(stack, { successRateFloor: 0.93, fraudRateCeiling: 0.07 });
    const thresholds = Object.values(alarmsOf(stack)).map(alarm => alarm.Properties.Threshold).sort();
    // (1 - 0.93) * 100 is 7.000000000000001 and 0.07 * 100 is 7.000000000000001 in floating point.
    expect(thresholds).toEqual([7, 7]);
  });

  test('each amount band: Average of PaymentAmount of that currency above max and below min', () => {
    const stack = stackIn(testApp(), 'prod');
    const alarms = kpis(stack, { averageAmountBands: [EUR, { currency: 'JPY', min: 300, max: 50000 }] });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    const topic = stack.resolve(AlertTopic.of(stack).topicArn);
    const average = (currency: string) => ({ Namespace: 'ledger', MetricName: 'PaymentAmount', Dimensions: dimensions('prod', currency), Period: 300, Statistic: 'Average' });
    for (const [currency, min, max] of [['EUR', 500, 20000], ['JPY', 300, 50000]] as const) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ...average(currency),
        ComparisonOperator: 'GreaterThanThreshold',
        Threshold: max,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        TreatMissingData: 'notBreaching',
        AlarmActions: [topic],
        OKActions: [topic],
        AlarmDescription: Match.stringLikeRegexp(`^The average ${currency} payment amount of the payments service in prod is above ${max} minor units`),
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ...average(currency),
        ComparisonOperator: 'LessThanThreshold',
        Threshold: min,
        TreatMissingData: 'notBreaching',
        AlarmActions: [topic],
        AlarmDescription: Match.stringLikeRegexp(`^The average ${currency} payment amount of the payments service in prod is below ${min} minor units`),
      });
    }
    expect(alarms.amountAlarms.map(a => a.band.currency)).toEqual(['EUR', 'JPY']);
    expect(stack.resolve(alarms.amountAlarms[0].aboveMax.alarmArn)).not.toEqual(stack.resolve(alarms.amountAlarms[0].belowMin.alarmArn));
  });

  test('every description says what it watches and what to check first, within the 1024 characters CloudWatch takes', () => {
    const stack = stackIn(testApp(), 'prod');
    kpis(stack, { averageAmountBands: [EUR] });
    const descriptions: string[] = Object.values(alarmsOf(stack)).map(alarm => alarm.Properties.AlarmDescription);
    expect(descriptions).toHaveLength(4);
    for (const description of descriptions) {
      expect(description).toContain('Check first:');
      expect(description.length).toBeLessThanOrEqual(1024);
    }
    const [success] = descriptions.filter(d => d.startsWith('Fewer than'));
    expect(success).toContain("the payment provider's status page");
    expect(success).toContain('error-prone-functions Contributor Insights rule');
    const [fraud] = descriptions.filter(d => d.startsWith('Fraud screening'));
    expect(fraud).toContain('card-testing');
    const [low] = descriptions.filter(d => d.includes('is below'));
    expect(low).toContain('card testing');
  });

  test('another topic takes every alarm', () => {
    const stack = stackIn(testApp(), 'dev');
    const pager = new sns.Topic(stack, 'Pager');
    kpis(stack, { alertTopic: pager, averageAmountBands: [EUR] });
    const ref = { Ref: stack.getLogicalId(pager.node.defaultChild as sns.CfnTopic) };
    const actions = Object.values(alarmsOf(stack)).map(alarm => [alarm.Properties.AlarmActions, alarm.Properties.OKActions]);
    expect(actions).toEqual(Array(4).fill([[ref], [ref]]));
    // The stack's alert topic is not created for them.
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 1);
  });

  test('handlerEnvironment tells the handlers the namespace, service and stage the alarms select', () => {
    const alarms = kpis(stackIn(testApp(), 'prod'));
    expect(alarms.stageName).toBe('prod');
    expect(alarms.handlerEnvironment).toEqual({ POWERTOOLS_METRICS_NAMESPACE: 'ledger', POWERTOOLS_SERVICE_NAME: 'payments', FINTECH_STAGE: 'prod' });
  });

  test('the stage comes from the fintech:stage context outside a FintechStage', () => {
    const stack = new Stack(testApp(), 'Plain');
    stack.node.setContext('fintech:stage', 'qa');
    kpis(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { Metrics: rateOver('PaymentFailed', 'qa') });
  });

  test('metricKpi: a KPI of this service and stage for dashboards; the amount per currency', () => {
    const stack = stackIn(testApp(), 'prod');
    const alarms = kpis(stack);
    const succeeded = alarms.metricKpi(PaymentKpiMetric.SUCCEEDED);
    expect(succeeded.toMetricConfig().metricStat).toEqual(expect.objectContaining({
      namespace: 'ledger', metricName: 'PaymentSucceeded', statistic: 'Sum', dimensions: configDimensions('prod'),
    }));
    const amount = alarms.metricKpi(PaymentKpiMetric.AMOUNT, cloudwatch.Stats.AVERAGE, 'EUR');
    expect(amount.toMetricConfig().metricStat).toEqual(expect.objectContaining({ metricName: 'PaymentAmount', statistic: 'Average', dimensions: configDimensions('prod', 'EUR') }));
    expect(() => alarms.metricKpi(PaymentKpiMetric.AMOUNT)).toThrow(
      "BusinessKpiAlarms at prod/Workload/Kpis: PaymentAmount is published per currency; pass the currency, e.g. metricKpi(PaymentKpiMetric.AMOUNT, 'Average', 'EUR').");
  });

  test.each(['dev', 'prod'] as const)('passes the rule pack in %s: no errors, nothing about alarms (C07-C10)', stageName => {
    const app = testApp();
    kpis(stackIn(app, stageName, { ...CONFIG, alarmEmail: 'oncall@example.com' }), { averageAmountBands: [EUR] });
    const { violations } = synthReport(app);
    expect(violations.filter(v => v.severity === 'error')).toEqual([]);
    expect(violations.filter(v => /^Fintech-C(07|08|09|10)-/.test(v.ruleName))).toEqual([]);
  });

  describe('refuses bad input with the path and the fix', () => {
    const make = (props: Partial<BusinessKpiAlarmsProps>) => () => kpis(stackIn(testApp(), 'prod'), props);
    const at = 'BusinessKpiAlarms at prod/Workload/Kpis';

    test.each(['', '  ', 'AWS/Lambda'])('namespace %p', namespace => {
      expect(make({ namespace })).toThrow(
        `${at}: namespace "${namespace}" must be your own (not empty, not AWS/...); use the POWERTOOLS_METRICS_NAMESPACE of the handlers, e.g. 'ledger'.`);
    });

    test('empty serviceName', () => {
      expect(make({ serviceName: ' ' })).toThrow(
        `${at}: serviceName is empty, so the alarms would select no metrics; use the POWERTOOLS_SERVICE_NAME of the handlers, e.g. 'payments'.`);
    });

    test.each([0, 1, -0.5, 95])('successRateFloor %p', successRateFloor => {
      expect(make({ successRateFloor })).toThrow(
        `${at}: successRateFloor ${successRateFloor} is not a share above 0 and below 1 (1 would page on every declined card); use e.g. 0.95 for "page when fewer than 95% succeed".`);
    });

    test.each([0, 1.5, -0.01])('fraudRateCeiling %p', fraudRateCeiling => {
      expect(make({ fraudRateCeiling })).toThrow(
        `${at}: fraudRateCeiling ${fraudRateCeiling} is not a share above 0 and at most 1; use e.g. 0.02 for "page when more than 2% of payments are flagged".`);
    });

    test('a fraud ceiling of 1 is allowed', () => {
      expect(make({ fraudRateCeiling: 1 })).not.toThrow();
    });

    test.each([0, 2.5])('minimumPayments %p', minimumPayments => {
      expect(make({ minimumPayments })).toThrow(
        `${at}: minimumPayments ${minimumPayments} must be a whole number of at least 1, or the rates divide by zero on no traffic; use the default 10.`);
    });

    test.each([
      [{ currency: 'EUR', min: 20000, max: 500 }],
      [{ currency: 'EUR', min: 500, max: 500 }],
      [{ currency: 'EUR', min: -1, max: 500 }],
      [{ currency: 'EUR', min: 0, max: Number.NaN }],
    ])('band %p', band => {
      expect(make({ averageAmountBands: [band] })).toThrow(
        `${at}: averageAmountBands for EUR has min ${band.min} and max ${band.max}; use minor units with 0 <= min < max, e.g. { currency: 'EUR', min: 500, max: 20000 } for an average between 5 and 200 EUR.`);
    });

    test.each(['', 'eur', 'EURO'])('band currency %p', currency => {
      expect(make({ averageAmountBands: [{ currency, min: 1, max: 2 }] })).toThrow(
        `${at}: averageAmountBands currency "${currency}" is not an ISO 4217 code; use three capital letters as the handlers publish them, e.g. 'EUR'.`);
    });

    test('two bands for one currency', () => {
      expect(make({ averageAmountBands: [EUR, { currency: 'EUR', min: 1, max: 2 }] })).toThrow(
        `${at}: averageAmountBands has two bands for EUR; keep one band per currency.`);
    });

    test('no stage to select', () => {
      expect(() => kpis(new Stack(testApp(), 'Plain'))).toThrow(
        'BusinessKpiAlarms at Plain/Kpis: there is no stage name for the stage dimension; create the stack inside a FintechStage or set the fintech:stage context.');
    });
  });
});

describe('BusinessKpiAlarms.stageEnvironment', () => {
  test('gives a workload\'s handlers the stage the alarms of another stack select', () => {
    const stack = stackIn(testApp(), 'prod');
    expect(BusinessKpiAlarms.stageEnvironment(stack)).toEqual({ FINTECH_STAGE: 'prod' });
    expect(BusinessKpiAlarms.stageEnvironment(stack).FINTECH_STAGE).toBe(kpis(stackIn(testApp(), 'prod')).stageName);
  });

  test('names the construct when there is no stage', () => {
    expect(() => BusinessKpiAlarms.stageEnvironment(new Stack(testApp(), 'Plain'))).toThrow(
      'BusinessKpiAlarms.stageEnvironment for Plain: there is no stage name for the stage dimension; create the stack inside a FintechStage or set the fintech:stage context.');
  });
});
