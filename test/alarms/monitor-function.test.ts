import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { monitorFunction } from '../../src/alarms/monitor-function';
import { CONFIG, stackIn, testApp } from '../support/fintech-fixture';

function capture(scope: any, timeout?: Duration) {
  return new lambda.Function(scope, 'Capture', {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), ...(timeout ? { timeout } : {}),
  });
}

describe('monitorFunction', () => {
  test('error rate, throttles and p99 duration at 80% of the timeout, on that function, to the alert topic', () => {
    const stack = stackIn(testApp(), 'prod', { ...CONFIG, alarmEmail: 'oncall@example.com' });
    const fn = capture(stack, Duration.seconds(10));
    const alarms = monitorFunction(fn, fn);
    const functionName = [{ Name: 'FunctionName', Value: stack.resolve(fn.functionName) }];
    const topic = stack.resolve(AlertTopic.of(stack).topicArn);
    const routed = { TreatMissingData: 'notBreaching', EvaluationPeriods: 3, DatapointsToAlarm: 2, AlarmActions: [topic], OKActions: [topic] };
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...routed,
      Threshold: 1,
      AlarmDescription: 'More than 1% of invocations of prod/Workload/Capture fail. Check its logs and traces, and the last deploy.',
      Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(FILL(requests, 0) >= 10, 100 * FILL(errors, 0) / FILL(requests, 0), 0)' })]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...routed,
      Namespace: 'AWS/Lambda',
      MetricName: 'Throttles',
      Dimensions: functionName,
      Statistic: 'Sum',
      Period: 300,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...routed,
      Namespace: 'AWS/Lambda',
      MetricName: 'Duration',
      Dimensions: functionName,
      ExtendedStatistic: 'p99',
      Period: 300,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 8000,
      AlarmDescription: Match.stringLikeRegexp('^p99 duration of prod/Workload/Capture is above 8000 ms, 80% of its 10 seconds timeout'),
    });
    expect(alarms.errorRate.alarm.node.path).toBe('prod/Workload/Capture/ErrorRate/Alarm');
  });

  test('a function without a timeout is judged against Lambda\'s 3 s default', () => {
    const stack = stackIn(testApp(), 'dev');
    const fn = capture(stack);
    monitorFunction(fn, fn);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Duration', Threshold: 2400 });
  });

  test('every option reaches its alarm', () => {
    const stack = stackIn(testApp(), 'dev');
    const pager = new sns.Topic(stack, 'Pager');
    const fn = capture(stack, Duration.seconds(10));
    monitorFunction(stack, fn, { errorRatePercent: 5, minimumInvocations: 100, durationFractionOfTimeout: 0.5, alertTopic: pager });
    const pagerRef = { Ref: stack.getLogicalId(pager.node.defaultChild as sns.CfnTopic) };
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 5, Metrics: Match.arrayWith([Match.objectLike({ Expression: 'IF(FILL(requests, 0) >= 100, 100 * FILL(errors, 0) / FILL(requests, 0), 0)' })]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Duration', Threshold: 5000 });
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: [pagerRef], OKActions: [pagerRef] }, 3);
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });

  test.each([
    [{ errorRatePercent: 0 }, 'monitoring.errorRatePercent 0 is not a percentage above 0 and at most 100; use e.g. 1 for "page when more than 1% fail", or drop it for that default.'],
    [{ minimumInvocations: 0.5 }, 'monitoring.minimumInvocations 0.5 must be a whole number of at least 1, or the rate divides by zero on no traffic; drop it for the default 10.'],
  ])('refuses %p with the option named', (options, message) => {
    const stack = stackIn(testApp(), 'dev');
    const fn = capture(stack);
    expect(() => monitorFunction(fn, fn, options)).toThrow(`Function monitoring at dev/Workload/Capture: ${message}`);
  });

  test.each([0, 1, 1.5])('refuses durationFractionOfTimeout %p', fraction => {
    const stack = stackIn(testApp(), 'dev');
    const fn = capture(stack);
    expect(() => monitorFunction(fn, fn, { durationFractionOfTimeout: fraction })).toThrow(
      `Function monitoring at dev/Workload/Capture: monitoring.durationFractionOfTimeout ${fraction} must be above 0 and below 1 (a share of the function timeout); use the default 0.8.`);
  });
});
