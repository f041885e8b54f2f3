import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { monitorRestApi } from '../../src/alarms/monitor-rest-api';
import { CONFIG, stackIn, testApp } from '../support/fintech-fixture';

function restApi(stack: Stack) {
  const api = new apigateway.RestApi(stack, 'Api', { restApiName: 'ledger-api' });
  api.root.addMethod('GET', new apigateway.MockIntegration());
  return api;
}

describe('monitorRestApi', () => {
  test('5XX rate at 1%, 4XX rate at 10% and p99 latency above 3 s, on the API and stage, to the alert topic', () => {
    const stack = stackIn(testApp(), 'prod', { ...CONFIG, alarmEmail: 'oncall@example.com' });
    const api = restApi(stack);
    monitorRestApi(api, api);
    const stage = [{ Name: 'ApiName', Value: 'ledger-api' }, { Name: 'Stage', Value: stack.resolve(api.deploymentStage.stageName) }];
    const topic = stack.resolve(AlertTopic.of(stack).topicArn);
    const routed = { TreatMissingData: 'notBreaching', EvaluationPeriods: 3, DatapointsToAlarm: 2, AlarmActions: [topic], OKActions: [topic] };
    const rateOf = (metricName: string) => Match.arrayWith([Match.objectLike({
      Id: 'errors', MetricStat: Match.objectLike({ Metric: { Namespace: 'AWS/ApiGateway', MetricName: metricName, Dimensions: stage } }),
    })]);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { ...routed, Threshold: 1, Metrics: rateOf('5XXError'), AlarmDescription: Match.stringLikeRegexp('5XX') });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { ...routed, Threshold: 10, Metrics: rateOf('4XXError'), AlarmDescription: Match.stringLikeRegexp('4XX') });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...routed,
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      Dimensions: stage,
      ExtendedStatistic: 'p99',
      Period: 300,
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 3000,
    });
  });

  test('every option reaches its alarm', () => {
    const stack = stackIn(testApp(), 'dev');
    const api = restApi(stack);
    const pager = new sns.Topic(stack, 'Pager');
    const canary = new apigateway.Stage(stack, 'Canary', { deployment: new apigateway.Deployment(stack, 'Deployment', { api }), stageName: 'canary' });
    monitorRestApi(stack, api, {
      stage: canary, serverErrorRatePercent: 0.5, clientErrorRatePercent: 25, p99Latency: Duration.millis(800), alertTopic: pager,
    });
    const pagerRef = { Ref: stack.getLogicalId(pager.node.defaultChild as sns.CfnTopic) };
    const canaryStage = [{ Name: 'ApiName', Value: 'ledger-api' }, { Name: 'Stage', Value: stack.resolve(canary.stageName) }];
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 0.5, AlarmDescription: Match.stringLikeRegexp('5XX') });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 25, AlarmDescription: Match.stringLikeRegexp('4XX') });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Latency', Dimensions: canaryStage, Threshold: 800 });
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: [pagerRef], OKActions: [pagerRef] }, 3);
  });

  test('refuses a latency limit of zero', () => {
    const stack = stackIn(testApp(), 'dev');
    const api = restApi(stack);
    expect(() => monitorRestApi(api, api, { p99Latency: Duration.millis(0) })).toThrow(
      'REST API monitoring at dev/Workload/Api: monitoring.p99Latency 0 millis must be above 0; use the default 3 seconds.');
  });

  test('refuses an error rate that is not a percentage, naming the option before any alarm is made', () => {
    const stack = stackIn(testApp(), 'dev');
    const api = restApi(stack);
    expect(() => monitorRestApi(api, api, { clientErrorRatePercent: -1, owner: 'ProtectedRestApi at dev/Workload/Api' })).toThrow(
      'ProtectedRestApi at dev/Workload/Api: monitoring.clientErrorRatePercent -1 is not a percentage above 0 and at most 100; use e.g. 10 for "page when more than 10% fail", or drop it for that default.');
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });
});
