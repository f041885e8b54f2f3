import { App, CfnParameter, CustomResource, Duration, NestedStack, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { UnmonitoredResource } from '../../../src/rules/cloudwatch/unmonitored-resource';
import { findingsOf, lines, shop, testApp } from '../rule-harness';

const C09 = UnmonitoredResource.INFO.id;

function c09(app: App) {
  return findingsOf(app, [C09]);
}

function fn(stack: Stack, id: string) {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
}

function alarm(stack: Stack, id: string, metric: cloudwatch.IMetric) {
  return new cloudwatch.Alarm(stack, id, { metric, threshold: 1, evaluationPeriods: 1 });
}

/** An L1 alarm on one metric with the given dimensions. */
function cfnAlarm(stack: Stack, id: string, namespace: string, metricName: string, dimensions: cloudwatch.CfnAlarm.DimensionProperty[]) {
  return new cloudwatch.CfnAlarm(stack, id, {
    namespace, metricName, dimensions, statistic: 'Maximum', period: 60, threshold: 1, evaluationPeriods: 1, comparisonOperator: 'GreaterThanOrEqualToThreshold',
  });
}

const L1_FUNCTION = {
  code: { zipFile: 'exports.handler = async () => ({})' }, role: 'arn:aws:iam::123456789012:role/ledger', runtime: 'nodejs22.x', handler: 'index.handler',
};
const DEFINITION = sfn.DefinitionBody.fromString('{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}');

describe('Fintech-C09-UnmonitoredResource', () => {
  test('fails an L2 function without an alarm and passes one with an alarm on its metric', () => {
    const { app, stack } = shop();
    fn(stack, 'Silent');
    alarm(stack, 'Errors', fn(stack, 'Watched').metricErrors());
    const findings = c09(app);
    expect(lines(findings)).toEqual([`${C09} Shop/Silent/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'warning',
      locations: [],
      message: expect.stringMatching(/^AWS::Lambda::Function Silent[0-9A-F]{8} has no alarm \(no AWS::CloudWatch::Alarm in the app has a metric dimension naming it\), so its errors/),
      fix: expect.stringContaining('TracedFunction'),
    });
  });

  test('counts an alarm on a CloudFront distribution for the Lambda@Edge functions of the app, not for regional functions', () => {
    const edgeApp = (alarmed: boolean) => {
      const app = testApp();
      const stack = new Stack(app, 'Edge', { env: { account: '123456789012', region: 'us-east-1' } });
      new cloudfront.experimental.EdgeFunction(stack, 'CheckToken', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
      fn(stack, 'Regional');
      if (alarmed) cfnAlarm(stack, 'EdgeErrors', 'AWS/CloudFront', 'LambdaExecutionError', [{ name: 'DistributionId', value: 'E2EXAMPLE' }, { name: 'Region', value: 'Global' }]);
      return app;
    };
    expect(lines(c09(edgeApp(true)))).toEqual([`${C09} Edge/Regional/Resource`]);
    const unalarmed = c09(edgeApp(false));
    expect(lines(unalarmed)).toEqual([`${C09} Edge/CheckToken/Fn/Resource`, `${C09} Edge/Regional/Resource`]);
    // An edge function's finding says how such a function is watched; a regional one keeps the usual advice.
    expect(unalarmed[0]).toMatchObject({
      message: expect.stringMatching(/^AWS::Lambda::Function CheckTokenFn[0-9A-F]{8}, a Lambda@Edge function, has no alarm \(.*, nor one on a CloudFront distribution\), so /),
      fix: expect.stringContaining('LambdaExecutionError'),
    });
    expect(unalarmed[1].fix).toContain('TracedFunction');
  });

  test('counts an alarm on the metrics a named Lambda@Edge function\'s replicas publish (FunctionName us-east-1.<name>), and only for that function', () => {
    const app = testApp();
    const stack = new Stack(app, 'Edge', { env: { account: '123456789012', region: 'us-east-1' } });
    for (const name of ['check-token-dev', 'add-headers-dev']) {
      new cloudfront.experimental.EdgeFunction(stack, name, { functionName: name, runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    }
    const replicas = new Stack(app, 'Replicas', { env: { account: '123456789012', region: 'eu-west-1' } });
    cfnAlarm(replicas, 'CheckTokenErrors', 'AWS/Lambda', 'Errors', [{ name: 'FunctionName', value: 'us-east-1.check-token-dev' }]);
    // Another region's prefix is no replica of a function in us-east-1.
    cfnAlarm(replicas, 'AddHeadersErrors', 'AWS/Lambda', 'Errors', [{ name: 'FunctionName', value: 'eu-west-1.add-headers-dev' }]);
    expect(lines(c09(app))).toEqual([`${C09} Edge/add-headers-dev/Fn/Resource`]);
  });

  test('requires an alarm on dead-letter queues only, and counts the inputs of a metric math alarm', () => {
    const { app, stack } = shop();
    const silentDlq = new sqs.Queue(stack, 'SilentDlq');
    new sqs.Queue(stack, 'Orders', { deadLetterQueue: { queue: silentDlq, maxReceiveCount: 3 } });
    const watchedDlq = new sqs.Queue(stack, 'WatchedDlq');
    new sqs.Queue(stack, 'Payments', { deadLetterQueue: { queue: watchedDlq, maxReceiveCount: 3 } });
    alarm(stack, 'Depth', new cloudwatch.MathExpression({
      expression: 'visible + notVisible',
      usingMetrics: {
        visible: watchedDlq.metricApproximateNumberOfMessagesVisible(),
        notVisible: watchedDlq.metricApproximateNumberOfMessagesNotVisible(),
      },
    }));
    const findings = c09(app);
    expect(lines(findings)).toEqual([`${C09} Shop/SilentDlq/Resource`]);
    expect(findings[0].message).toMatch(/^AWS::SQS::Queue SilentDlq[0-9A-F]{8} is the dead-letter queue of AWS::SQS::Queue Orders[0-9A-F]{8} and has no alarm/);
    expect(findings[0].fix).toContain('SecureQueue');
  });

  test('judges state machines, load balancers and ECS services by Ref, GetAtt and literal names', () => {
    const { app, stack } = shop();
    new sfn.StateMachine(stack, 'SilentFlow', { definitionBody: DEFINITION });
    alarm(stack, 'FlowFailed', new sfn.StateMachine(stack, 'WatchedFlow', { definitionBody: DEFINITION }).metricFailed());
    new sfn.CfnStateMachine(stack, 'NamedFlow', { roleArn: 'arn:aws:iam::123456789012:role/flow', stateMachineName: 'ledger-flow-dev', definitionString: '{}' });
    cfnAlarm(stack, 'NamedFlowFailed', 'AWS/States', 'ExecutionsFailed', [{ name: 'StateMachineArn', value: 'arn:aws:states:eu-west-1:123456789012:stateMachine:ledger-flow-dev' }]);
    new elbv2.CfnLoadBalancer(stack, 'SilentLb', { subnets: ['subnet-1', 'subnet-2'] });
    const watchedLb = new elbv2.CfnLoadBalancer(stack, 'WatchedLb', { subnets: ['subnet-1', 'subnet-2'] });
    cfnAlarm(stack, 'Lb5xx', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', [{ name: 'LoadBalancer', value: watchedLb.attrLoadBalancerFullName }]);
    new elbv2.CfnLoadBalancer(stack, 'NamedLb', { name: 'ledger-dev', subnets: ['subnet-1', 'subnet-2'] });
    cfnAlarm(stack, 'NamedLb5xx', 'AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', [{ name: 'LoadBalancer', value: 'app/ledger-dev/50dc6c495c0c9188' }]);
    new ecs.CfnService(stack, 'SilentService', { cluster: 'ledger', serviceName: 'ledger-api-dev' });
    new ecs.CfnService(stack, 'NamedService', { cluster: 'ledger', serviceName: 'ledger-worker-dev' });
    cfnAlarm(stack, 'WorkerCpu', 'AWS/ECS', 'CPUUtilization', [{ name: 'ClusterName', value: 'ledger' }, { name: 'ServiceName', value: 'ledger-worker-dev' }]);
    const watchedService = new ecs.CfnService(stack, 'WatchedService', { cluster: 'ledger' });
    cfnAlarm(stack, 'ServiceCpu', 'AWS/ECS', 'CPUUtilization', [{ name: 'ClusterName', value: 'ledger' }, { name: 'ServiceName', value: watchedService.attrName }]);
    expect(lines(c09(app))).toEqual([`${C09} Shop/SilentFlow/Resource`, `${C09} Shop/SilentLb`, `${C09} Shop/SilentService`]);
  });

  test('finds dead-letter queues of SNS subscriptions, Lambda, event source mappings and EventBridge targets, by reference and literal ARN', () => {
    const { app, stack } = shop();
    new sqs.CfnQueue(stack, 'ByString', { queueName: 'ledger-dlq-dev' });
    // CloudFormation also accepts the redrive policy as a JSON string, as raw templates write it.
    new sqs.CfnQueue(stack, 'Main').addPropertyOverride('RedrivePolicy', '{"deadLetterTargetArn":"arn:aws:sqs:eu-west-1:123456789012:ledger-dlq-dev","maxReceiveCount":3}');
    cfnAlarm(stack, 'ByStringDepth', 'AWS/SQS', 'ApproximateNumberOfMessagesVisible', [{ name: 'QueueName', value: 'ledger-dlq-dev' }]);
    new sqs.CfnQueue(stack, 'ByArn', { queueName: 'orders-dlq-dev' });
    new sqs.CfnQueue(stack, 'Orders', { redrivePolicy: { deadLetterTargetArn: 'arn:aws:sqs:eu-west-1:123456789012:orders-dlq-dev', maxReceiveCount: 3 } });
    const subscription = new sqs.CfnQueue(stack, 'SubscriptionDlq');
    new sns.CfnSubscription(stack, 'Sub', { topicArn: new sns.CfnTopic(stack, 'Topic').ref, protocol: 'sqs', endpoint: 'arn:aws:sqs:eu-west-1:123456789012:x', redrivePolicy: { deadLetterTargetArn: subscription.attrArn } });
    const functionDlq = new sqs.CfnQueue(stack, 'FunctionDlq');
    const target = new lambda.CfnFunction(stack, 'Async', { ...L1_FUNCTION, deadLetterConfig: { targetArn: functionDlq.attrArn } });
    cfnAlarm(stack, 'AsyncErrors', 'AWS/Lambda', 'Errors', [{ name: 'FunctionName', value: target.ref }]);
    const onFailure = new sqs.CfnQueue(stack, 'OnFailure');
    new lambda.CfnEventSourceMapping(stack, 'Mapping', { functionName: target.ref, eventSourceArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/s', destinationConfig: { onFailure: { destination: onFailure.attrArn } } });
    const invokeFailure = new sqs.CfnQueue(stack, 'InvokeFailure');
    new lambda.CfnEventInvokeConfig(stack, 'Invoke', { functionName: target.ref, qualifier: '$LATEST', destinationConfig: { onFailure: { destination: invokeFailure.attrArn } } });
    const ruleDlq = new sqs.CfnQueue(stack, 'RuleDlq');
    new events.CfnRule(stack, 'Rule', { eventPattern: { source: ['ledger'] }, targets: [{ id: 't', arn: target.attrArn, deadLetterConfig: { arn: ruleDlq.attrArn } }] });
    expect(lines(c09(app))).toEqual([
      `${C09} Shop/ByArn`, `${C09} Shop/FunctionDlq`, `${C09} Shop/InvokeFailure`, `${C09} Shop/OnFailure`, `${C09} Shop/RuleDlq`, `${C09} Shop/SubscriptionDlq`,
    ]);
  });

  test('resolves alarms in a separate monitoring stack through exports', () => {
    const app = testApp();
    const workload = new Stack(app, 'Workload');
    const watched = fn(workload, 'Watched');
    fn(workload, 'Silent');
    const monitoring = new Stack(app, 'Monitoring');
    alarm(monitoring, 'Errors', watched.metricErrors());
    expect(lines(c09(app))).toEqual([`${C09} Workload/Silent/Resource`]);
  });

  test('looks for the alarms of a nested stack\'s resources in its parent, and the other way round', () => {
    const app = testApp();
    const parent = new Stack(app, 'Parent');
    const nested = new NestedStack(parent, 'Jobs');
    const job = fn(nested, 'Job');
    fn(nested, 'Silent');
    const dlq = new sqs.Queue(nested, 'JobDlq');
    job.configureAsyncInvoke({ onFailure: new destinations.SqsDestination(dlq) });
    alarm(parent, 'JobErrors', job.metricErrors());
    alarm(parent, 'JobDlqDepth', dlq.metricApproximateNumberOfMessagesVisible());
    const api = fn(parent, 'Api');
    alarm(nested, 'ApiErrors', api.metricErrors());
    expect(lines(c09(app))).toEqual([`${C09} Parent/Jobs/Silent/Resource`]);
  });

  test('knows the dead-letter queues of Scheduler schedules and Pipes sources', () => {
    const { app, stack } = shop();
    const target = fn(stack, 'Target');
    alarm(stack, 'TargetErrors', target.metricErrors());
    const scheduleDlq = new sqs.Queue(stack, 'ScheduleDlq');
    new scheduler.Schedule(stack, 'Daily', {
      schedule: scheduler.ScheduleExpression.rate(Duration.days(1)),
      target: new schedulerTargets.LambdaInvoke(target, { deadLetterQueue: scheduleDlq }),
    });
    const pipeDlq = new sqs.CfnQueue(stack, 'PipeDlq');
    new pipes.CfnPipe(stack, 'Pipe', {
      roleArn: 'arn:aws:iam::123456789012:role/pipe',
      source: 'arn:aws:dynamodb:eu-west-1:123456789012:table/t/stream/1',
      target: target.functionArn,
      sourceParameters: { dynamoDbStreamParameters: { startingPosition: 'LATEST', deadLetterConfig: { arn: pipeDlq.attrArn } } },
    });
    expect(lines(c09(app))).toEqual([`${C09} Shop/PipeDlq`, `${C09} Shop/ScheduleDlq/Resource`]);
  });

  test('catches an escape hatch that points the only alarm at another resource', () => {
    const { app, stack } = shop();
    const errors = alarm(stack, 'Errors', fn(stack, 'Ledger').metricErrors());
    (errors.node.defaultChild as cloudwatch.CfnAlarm).addPropertyOverride('Dimensions', [{ Name: 'FunctionName', Value: 'someone-else' }]);
    expect(lines(c09(app))).toEqual([`${C09} Shop/Ledger/Resource`]);
  });

  test('treats unresolvable dimension values as naming any resource of their kind, and unreadable alarms as naming any resource', () => {
    const byDimension = shop();
    const name = new CfnParameter(byDimension.stack, 'FunctionName');
    fn(byDimension.stack, 'Maybe');
    cfnAlarm(byDimension.stack, 'ByParameter', 'AWS/Lambda', 'Errors', [{ name: 'FunctionName', value: name.valueAsString }]);
    new sfn.CfnStateMachine(byDimension.stack, 'Flow', { roleArn: 'arn:aws:iam::123456789012:role/flow', definitionString: '{}' });
    expect(lines(c09(byDimension.app))).toEqual([`${C09} Shop/Flow`]);

    const whole = shop();
    fn(whole.stack, 'Maybe');
    cfnAlarm(whole.stack, 'Conditional', 'AWS/Lambda', 'Errors', []).addOverride('Properties', { 'Fn::If': ['C', {}, {}] });
    expect(c09(whole.app)).toEqual([]);

    const dimensions = shop();
    fn(dimensions.stack, 'Maybe');
    cfnAlarm(dimensions.stack, 'Conditional', 'AWS/Lambda', 'Errors', []).addPropertyOverride('Dimensions', { 'Fn::If': ['C', [], []] });
    expect(c09(dimensions.app)).toEqual([]);
  });

  test('does not ask for alarms on functions that only back custom resources (CDK providers)', () => {
    const { app, stack } = shop();
    const provider = new lambda.Function(stack, 'Provider', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1') });
    new CustomResource(stack, 'Thing', { serviceToken: provider.functionArn });
    expect(findingsOf(app, [UnmonitoredResource.INFO.id])).toEqual([]);
  });

  test('does not crash on odd but valid shapes', () => {
    const { app, stack } = shop();
    cfnAlarm(stack, 'Odd', 'AWS/Lambda', 'Errors', []).addPropertyOverride('Dimensions', [{ Name: 'FunctionName', Value: 42 }, { Name: 'Other' }]);
    new sqs.CfnQueue(stack, 'Garbage').addPropertyOverride('RedrivePolicy', 'not json');
    new sqs.CfnQueue(stack, 'Quoted').addPropertyOverride('RedrivePolicy', '"{}"');
    new events.CfnRule(stack, 'Rule', { eventPattern: { source: ['ledger'] } }).addPropertyOverride('Targets', { 'Fn::If': ['C', [], []] });
    new sqs.CfnQueue(stack, 'SelfRedrive').addPropertyOverride('RedrivePolicy', { deadLetterTargetArn: { 'Fn::GetAtt': ['SelfRedrive', 'Arn'] } });
    expect(c09(app)).toEqual([]);
  });
});
