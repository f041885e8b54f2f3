import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { COUNT_STATISTICS, ERROR_COUNT_METRIC_NAMES } from '../../../src/rules/cloudwatch/error-count-metrics';

/** The failure metrics and the request metrics (their denominators) aws-cdk-lib's L2s offer, as CDK names them. */
function cdkMetrics(): { failures: cloudwatch.Metric[]; requests: cloudwatch.Metric[] } {
  const stack = new Stack(new App(), 'Shop');
  const fn = lambda.Function.fromFunctionArn(stack, 'Fn', 'arn:aws:lambda:eu-west-1:123456789012:function:capture');
  const restApi = new apigateway.RestApi(stack, 'Rest');
  restApi.root.addMethod('GET');
  const httpApi = new apigwv2.HttpApi(stack, 'Http');
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc: new ec2.Vpc(stack, 'Vpc') });
  const machine = sfn.StateMachine.fromStateMachineArn(stack, 'Machine', 'arn:aws:states:eu-west-1:123456789012:stateMachine:settle');
  const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  return {
    failures: [
      fn.metricErrors(),
      restApi.metricServerError(),
      restApi.metricClientError(),
      httpApi.metricServerError(),
      httpApi.metricClientError(),
      alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_5XX_COUNT),
      alb.metrics.httpCodeTarget(elbv2.HttpCodeTarget.TARGET_4XX_COUNT),
      alb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_5XX_COUNT),
      alb.metrics.httpCodeElb(elbv2.HttpCodeElb.ELB_4XX_COUNT),
      machine.metricFailed(),
      table.metricThrottledRequestsForOperation('PutItem'),
    ],
    requests: [
      fn.metricInvocations(),
      restApi.metricCount(),
      httpApi.metricCount(),
      alb.metrics.requestCount(),
      machine.metricStarted(),
      machine.metricSucceeded(),
    ],
  };
}

describe('ERROR_COUNT_METRIC_NAMES', () => {
  const { failures, requests } = cdkMetrics();

  test('holds the failure metric of every service it names, exactly as aws-cdk-lib spells it', () => {
    for (const metric of failures) expect([metric.namespace, ERROR_COUNT_METRIC_NAMES.has(metric.metricName)]).toEqual([metric.namespace, true]);
  });

  test('holds no request metric, so the denominator of a rate is never taken for a failure count', () => {
    for (const metric of requests) expect([metric.metricName, ERROR_COUNT_METRIC_NAMES.has(metric.metricName)]).toEqual([metric.metricName, false]);
  });

  test('is case-sensitive, as CloudWatch is: HTTP APIs\' 5xx and REST APIs\' 5XXError are distinct names', () => {
    expect(ERROR_COUNT_METRIC_NAMES.has('5xx')).toBe(true);
    expect(ERROR_COUNT_METRIC_NAMES.has('5XXError')).toBe(true);
    expect(ERROR_COUNT_METRIC_NAMES.has('errors')).toBe(false);
    expect(ERROR_COUNT_METRIC_NAMES.has('5XX')).toBe(false);
  });
});

describe('COUNT_STATISTICS', () => {
  test('holds the statistic aws-cdk-lib gives failure metrics, so its default error alarms count', () => {
    const { failures } = cdkMetrics();
    for (const metric of failures) expect(COUNT_STATISTICS.has(metric.statistic)).toBe(true);
  });

  test('holds only statistics that add events up: an average or percentile of a failure count is not an absolute count', () => {
    expect([...COUNT_STATISTICS].sort()).toEqual(['SampleCount', 'Sum']);
    for (const statistic of ['Average', 'Maximum', 'Minimum', 'p99']) expect(COUNT_STATISTICS.has(statistic)).toBe(false);
  });
});
