import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { ApiErrorClass, ErrorRateAlarm } from '../../src/alarms/error-rate-alarm';
import { SecureQueue } from '../../src/data/secure-queue';
import { stackIn, testApp } from '../support/fintech-fixture';

const GUARDED_RATE = 'IF(FILL(requests, 0) >= 10, 100 * FILL(errors, 0) / FILL(requests, 0), 0)';

function fnIn(stack: Stack) {
  return new lambda.Function(stack, 'Capture', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
}

function metricStat(id: string, namespace: string, metricName: string, dimensions: object[], stat = 'Sum', period = 300) {
  const metric = { Namespace: namespace, MetricName: metricName, Dimensions: dimensions };
  return { Id: id, ReturnData: false, MetricStat: { Metric: metric, Period: period, Stat: stat } };
}

function rate(expression = GUARDED_RATE) {
  return { Id: 'expr_1', Expression: expression, Label: 'Error rate (%)', ReturnData: true };
}

describe('ErrorRateAlarm', () => {
  test('forFunction: guarded 100 * Errors / Invocations of that function, with every default and both actions on the alert topic', () => {
    const stack = stackIn(testApp(), 'prod');
    const fn = fnIn(stack);
    const alarm = ErrorRateAlarm.forFunction(stack, 'CaptureErrors', fn, { description: 'Payment captures fail' });
    const functionName = [{ Name: 'FunctionName', Value: stack.resolve(fn.functionName) }];
    const topic = stack.resolve(AlertTopic.of(stack).topicArn);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: 'Payment captures fail',
      Metrics: [rate(), metricStat('errors', 'AWS/Lambda', 'Errors', functionName), metricStat('requests', 'AWS/Lambda', 'Invocations', functionName)],
      ComparisonOperator: 'GreaterThanThreshold',
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
      AlarmName: Match.absent(),
    });
    expect(alarm.thresholdPercent).toBe(1);
    expect(alarm.rate.expression).toBe(GUARDED_RATE);
  });

  test('every option reaches the alarm', () => {
    const stack = stackIn(testApp(), 'dev');
    const other = new sns.Topic(stack, 'Pager');
    ErrorRateAlarm.forFunction(stack, 'CaptureErrors', fnIn(stack), {
      description: 'Payment captures fail',
      thresholdPercent: 5,
      minimumRequests: 50,
      period: Duration.minutes(1),
      evaluationPeriods: 5,
      datapointsToAlarm: 4,
      treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      alarmName: 'ledger-capture-errors-dev',
      alertTopic: other,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([
        rate('IF(FILL(requests, 0) >= 50, 100 * FILL(errors, 0) / FILL(requests, 0), 0)'),
        Match.objectLike({ Id: 'errors', MetricStat: Match.objectLike({ Period: 60 }) }),
        Match.objectLike({ Id: 'requests', MetricStat: Match.objectLike({ Period: 60 }) }),
      ]),
      Threshold: 5,
      EvaluationPeriods: 5,
      DatapointsToAlarm: 4,
      TreatMissingData: 'breaching',
      AlarmName: 'ledger-capture-errors-dev',
      AlarmActions: [{ Ref: stack.getLogicalId(other.node.defaultChild as sns.CfnTopic) }],
      OKActions: [{ Ref: stack.getLogicalId(other.node.defaultChild as sns.CfnTopic) }],
    });
    // Another topic means the stack's alert topic is not created for it.
    template.resourceCountIs('AWS::SNS::Topic', 1);
  });

  test('datapointsToAlarm defaults to evaluationPeriods when fewer than 2 periods are judged', () => {
    const stack = stackIn(testApp(), 'dev');
    ErrorRateAlarm.forFunction(stack, 'CaptureErrors', fnIn(stack), { description: 'd', evaluationPeriods: 1 });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', { EvaluationPeriods: 1, DatapointsToAlarm: 1 });
  });

  test('any pair of metrics, with their dimensions', () => {
    const stack = stackIn(testApp(), 'dev');
    const dimensionsMap = { service: 'payments' };
    new ErrorRateAlarm(stack, 'Declines', {
      description: 'Card declines above 1%',
      errors: new cloudwatch.Metric({ namespace: 'Ledger', metricName: 'Declined', dimensionsMap, statistic: 'Sum' }),
      requests: new cloudwatch.Metric({ namespace: 'Ledger', metricName: 'Authorized', dimensionsMap, statistic: 'Sum' }),
    });
    const service = [{ Name: 'service', Value: 'payments' }];
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [rate(), metricStat('errors', 'Ledger', 'Declined', service), metricStat('requests', 'Ledger', 'Authorized', service)],
    });
  });

  describe('forRestApi', () => {
    function api(stack: Stack) {
      const restApi = new apigateway.RestApi(stack, 'Api', { restApiName: 'ledger-api-dev' });
      restApi.root.addMethod('GET', new apigateway.MockIntegration());
      return restApi;
    }
    const stageDimensions = [{ Name: 'ApiName', Value: 'ledger-api-dev' }, { Name: 'Stage', Value: { Ref: Match.stringLikeRegexp('^ApiDeploymentStageprod') } }];

    test('5XXError over Count of the deployment stage at 1% by default', () => {
      const stack = stackIn(testApp(), 'dev');
      ErrorRateAlarm.forRestApi(stack, 'ApiErrors', api(stack), { description: 'API fails' });
      Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: [rate(), metricStat('errors', 'AWS/ApiGateway', '5XXError', stageDimensions), metricStat('requests', 'AWS/ApiGateway', 'Count', stageDimensions)],
        Threshold: 1,
      });
    });

    test('4XXError at 10% by default, on the stage given, threshold overridable', () => {
      const stack = stackIn(testApp(), 'dev');
      const restApi = api(stack);
      const stage = new apigateway.Stage(stack, 'Canary', { deployment: new apigateway.Deployment(stack, 'Deployment', { api: restApi }), stageName: 'canary' });
      ErrorRateAlarm.forRestApi(stack, 'ClientErrors', restApi, { description: 'Clients fail', errorClass: ApiErrorClass.CLIENT, stage });
      ErrorRateAlarm.forRestApi(stack, 'StrictClientErrors', restApi, { description: 'Clients fail', errorClass: ApiErrorClass.CLIENT, thresholdPercent: 3 });
      const template = Template.fromStack(stack);
      const canary = [{ Name: 'ApiName', Value: 'ledger-api-dev' }, { Name: 'Stage', Value: { Ref: Match.stringLikeRegexp('^Canary') } }];
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: [rate(), metricStat('errors', 'AWS/ApiGateway', '4XXError', canary), metricStat('requests', 'AWS/ApiGateway', 'Count', canary)],
        Threshold: 10,
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: Match.arrayWith([metricStat('errors', 'AWS/ApiGateway', '4XXError', stageDimensions)]),
        Threshold: 3,
      });
    });
  });

  test('forLoadBalancer: HTTPCode_Target_5XX_Count over RequestCount of that load balancer', () => {
    const stack = stackIn(testApp(), 'dev');
    const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc: new ec2.Vpc(stack, 'Vpc') });
    ErrorRateAlarm.forLoadBalancer(stack, 'TargetErrors', lb, { description: 'Targets fail' });
    const loadBalancer = [{ Name: 'LoadBalancer', Value: stack.resolve(lb.loadBalancerFullName) }];
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        rate(),
        metricStat('errors', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', loadBalancer),
        metricStat('requests', 'AWS/ApplicationELB', 'RequestCount', loadBalancer),
      ],
    });
  });

  test('forStateMachine: ExecutionsFailed over ExecutionsStarted of that state machine', () => {
    const stack = stackIn(testApp(), 'dev');
    const sm = new sfn.StateMachine(stack, 'Settle', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')) });
    ErrorRateAlarm.forStateMachine(stack, 'SettleFailures', sm, { description: 'Settlements fail' });
    const arn = [{ Name: 'StateMachineArn', Value: stack.resolve(sm.stateMachineArn) }];
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [rate(), metricStat('errors', 'AWS/States', 'ExecutionsFailed', arn), metricStat('requests', 'AWS/States', 'ExecutionsStarted', arn)],
      Threshold: 1,
    });
  });

  test('forQueueConsumer: growth of the DLQ depth over messages received from the queue', () => {
    const stack = stackIn(testApp(), 'dev');
    const queue = new SecureQueue(stack, 'Payments', { monitoring: { enabled: false } });
    ErrorRateAlarm.forQueueConsumer(stack, 'ConsumerFailures', queue, { description: 'Payments dead-lettered' });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: [
        rate(),
        { Id: 'errors', Expression: 'IF(DIFF(dlqDepth) > 0, DIFF(dlqDepth), 0)', Label: 'Messages moved to the DLQ', ReturnData: false },
        metricStat('dlqDepth', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', [{ Name: 'QueueName', Value: stack.resolve(queue.deadLetters.queueName) }], 'Maximum'),
        metricStat('requests', 'AWS/SQS', 'NumberOfMessagesReceived', [{ Name: 'QueueName', Value: stack.resolve(queue.queueName) }]),
      ],
    });
  });

  describe('refuses bad input with the path and the fix', () => {
    const make = (options: object) => {
      const stack = stackIn(testApp(), 'dev');
      return () => ErrorRateAlarm.forFunction(stack, 'CaptureErrors', fnIn(stack), { description: 'Payment captures fail', ...options });
    };

    test.each([0, -1, 100.5, 101])('thresholdPercent %p', threshold => {
      expect(make({ thresholdPercent: threshold })).toThrow(
        `ErrorRateAlarm at dev/Workload/CaptureErrors: thresholdPercent ${threshold} is not a percentage above 0 and at most 100; use e.g. 1 for "more than 1% of requests fail".`);
    });

    test('100 percent is allowed', () => {
      expect(make({ thresholdPercent: 100 })).not.toThrow();
    });

    test.each(['', '   '])('empty description %p', description => {
      expect(make({ description })).toThrow(
        "ErrorRateAlarm at dev/Workload/CaptureErrors: description is empty; say what the alarm means and what to do, e.g. 'More than 1% of payment captures fail; check the function logs'.");
    });

    test('datapointsToAlarm above evaluationPeriods', () => {
      expect(make({ evaluationPeriods: 3, datapointsToAlarm: 4 })).toThrow(
        'ErrorRateAlarm at dev/Workload/CaptureErrors: datapointsToAlarm 4 must be a whole number from 1 to evaluationPeriods (3); lower it or raise evaluationPeriods.');
    });

    test('evaluationPeriods below 1', () => {
      expect(make({ evaluationPeriods: 0 })).toThrow(
        'ErrorRateAlarm at dev/Workload/CaptureErrors: evaluationPeriods 0 must be a whole number of at least 1; use the default 3.');
    });

    test.each([0, 2.5])('minimumRequests %p', minimumRequests => {
      expect(make({ minimumRequests })).toThrow(
        `ErrorRateAlarm at dev/Workload/CaptureErrors: minimumRequests ${minimumRequests} must be a whole number of at least 1, or the rate divides by zero on no traffic; use the default 10.`);
    });

    test('period not in whole minutes', () => {
      expect(make({ period: Duration.seconds(90) })).toThrow(
        'ErrorRateAlarm at dev/Workload/CaptureErrors: period 1 minute 30 seconds is not a whole number of minutes, which AWS service metrics need; use e.g. Duration.minutes(5).');
    });
  });
});
