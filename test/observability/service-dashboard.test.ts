import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { FargateWebService } from '../../src/compute/fargate-web-service';
import { FintechVpc } from '../../src/network/fintech-vpc';
import { ServiceDashboard } from '../../src/observability/service-dashboard';
import { stackIn, testApp } from '../support/fintech-fixture';

interface Widget {
  readonly type: string;
  readonly width: number;
  readonly properties: { title?: string; markdown?: string; period?: number; metrics?: unknown[][] };
}

// The body is a Fn::Join of JSON text and references; a reference becomes "<ref:LogicalId>" so the JSON parses.
function widgetsOf(stack: Stack): Widget[] {
  const [dashboard] = Object.values(Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard'));
  const parts: unknown[] = dashboard.Properties.DashboardBody['Fn::Join'][1];
  const text = parts.map(part => (typeof part === 'string' ? part : `<ref:${(part as any).Ref ?? JSON.stringify(part).replace(/"/g, '')}>`)).join('');
  return JSON.parse(text).widgets;
}

// Each metric line is [namespace, name, dimension name, dimension value, ..., options] or [{ expression }].
function dimensionsOf(line: unknown[]): Record<string, string> {
  const fields = line.filter(value => typeof value === 'string') as string[];
  const dimensions: Record<string, string> = {};
  for (let i = 2; i + 1 < fields.length; i += 2) dimensions[fields[i]] = fields[i + 1];
  return dimensions;
}

function serviceStack() {
  const stack = stackIn(testApp(), 'prod');
  const fn = new lambda.Function(stack, 'Capture', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
  const dlq = new sqs.Queue(stack, 'Dlq');
  const queue = new sqs.Queue(stack, 'Settlements', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
  const api = new apigateway.RestApi(stack, 'Api', { restApiName: 'ledger-api' });
  api.root.addMethod('GET', new apigateway.MockIntegration());
  const sm = new sfn.StateMachine(stack, 'Settle', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')) });
  const table = new dynamodb.Table(stack, 'Entries', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  return { stack, fn, dlq, queue, api, sm, table };
}

const REQUIRED_DIMENSIONS: Record<string, string[]> = {
  'AWS/Lambda': ['FunctionName'],
  'AWS/SQS': ['QueueName'],
  'AWS/ApiGateway': ['ApiName', 'Stage'],
  'AWS/States': ['StateMachineArn'],
  'AWS/DynamoDB': ['TableName'],
  'Ledger': ['service'],
};

describe('ServiceDashboard', () => {
  test('one row per resource, every metric with the dimensions of its resource (C10), named for the stage', () => {
    const { stack, fn, dlq, queue, api, sm, table } = serviceStack();
    const dashboard = new ServiceDashboard(stack, 'Dashboard');
    dashboard.addFunction(fn);
    dashboard.addQueue(queue, dlq);
    dashboard.addRestApi(api);
    dashboard.addStateMachine(sm);
    dashboard.addTable(table);
    dashboard.addBusinessMetrics('Ledger', ['PaymentsCaptured', 'PaymentsDeclined'], { service: 'payments' });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'ledger-service-prod' });

    const widgets = widgetsOf(stack);
    expect(widgets.filter(w => w.type === 'text').map(w => w.properties.markdown)).toEqual([
      '### Function prod/Workload/Capture', '### Queue prod/Workload/Settlements', '### API prod/Workload/Api',
      '### State machine prod/Workload/Settle', '### Table prod/Workload/Entries', '### Ledger',
    ]);
    const graphs = widgets.filter(w => w.type === 'metric');
    expect(graphs.map(w => w.properties.title)).toEqual([
      'Invocations, errors, throttles', 'Error rate (%)', 'Duration (ms)',
      'Messages visible, in flight', 'Dead-letter queue depth', 'Age of oldest message (s)',
      'Requests', 'Error rates (%)', 'Latency (ms)',
      'Executions', 'Failure rate (%)', 'Execution time (ms)',
      'Consumed read / write capacity', 'Throttle events', 'System errors',
      'PaymentsCaptured', 'PaymentsDeclined',
    ]);
    const lines = graphs.flatMap(w => w.properties.metrics!);
    const metricLines = lines.filter(line => typeof line[0] === 'string');
    expect(metricLines.length).toBeGreaterThan(30);
    for (const line of metricLines) {
      const dimensions = dimensionsOf(line);
      expect([line[0], line[1], Object.keys(dimensions)]).toEqual([line[0], line[1], expect.arrayContaining(REQUIRED_DIMENSIONS[line[0] as string])]);
      expect(Object.values(dimensions).every(value => value.length > 0)).toBe(true);
    }
    expect(graphs.every(w => w.properties.period === 300)).toBe(true);
  });

  test('metrics point at their own resource: the DLQ graph shows the DLQ, the API its deployment stage', () => {
    const { stack, dlq, queue, api } = serviceStack();
    const dashboard = new ServiceDashboard(stack, 'Dashboard');
    dashboard.addQueue(queue, dlq);
    dashboard.addRestApi(api);
    const graphs = widgetsOf(stack).filter(w => w.type === 'metric');
    const byTitle = (title: string) => graphs.find(w => w.properties.title === title)!.properties.metrics!;
    const dlqName = `<ref:{Fn::GetAtt:[${stack.getLogicalId(dlq.node.defaultChild as sqs.CfnQueue)},QueueName]}>`;
    expect(byTitle('Dead-letter queue depth')).toEqual([['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', dlqName, { label: 'DLQ depth', stat: 'Maximum' }]]);
    expect(dimensionsOf(byTitle('Requests')[0])).toEqual({ ApiName: 'ledger-api', Stage: `<ref:${stack.getLogicalId(api.deploymentStage.node.defaultChild as apigateway.CfnStage)}>` });
    expect(byTitle('Error rates (%)').filter(line => typeof line[0] === 'object').map(line => (line[0] as any).expression)).toEqual([
      'IF(FILL(serverRequests, 0) > 0, 100 * FILL(serverErrors, 0) / serverRequests, 0)',
      'IF(FILL(clientRequests, 0) > 0, 100 * FILL(clientErrors, 0) / clientRequests, 0)',
    ]);
  });

  test('a queue without a DLQ has no DLQ graph; titles, name, period and statistic are configurable', () => {
    const { stack, queue, fn } = serviceStack();
    const dashboard = new ServiceDashboard(stack, 'Dashboard', { nameBase: 'payments', period: Duration.minutes(1) });
    dashboard.addQueue(queue, undefined, 'Settlements');
    dashboard.addFunction(fn, 'Capture');
    dashboard.addBusinessMetrics('Ledger', ['CaptureAmount'], { service: 'payments' }, { title: 'Money', statistic: 'p99' });
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'ledger-payments-prod' });
    const widgets = widgetsOf(stack);
    expect(widgets.filter(w => w.type === 'text').map(w => w.properties.markdown)).toEqual(['### Settlements', '### Capture', '### Money']);
    const graphs = widgets.filter(w => w.type === 'metric');
    expect(graphs.map(w => w.properties.title)).not.toContain('Dead-letter queue depth');
    expect(graphs.every(w => w.properties.period === 60)).toBe(true);
    const money = graphs.find(w => w.properties.title === 'CaptureAmount')!;
    expect(money.width).toBe(24);
    expect(money.properties.metrics).toEqual([['Ledger', 'CaptureAmount', 'service', 'payments', { stat: 'p99', period: 60 }]]);
  });

  test('a web service: requests, target and load balancer 5XX rates, response time, unhealthy targets and missing tasks', () => {
    const stack = stackIn(testApp(), 'prod');
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Certificate', 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555');
    const web = new FargateWebService(stack, 'Web', {
      vpc: new FintechVpc(stack, 'Network', { maxAzs: 2 }), image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine'), certificate,
    });
    new ServiceDashboard(stack, 'Dashboard').addWebService(web.loadBalancer, web.targetGroup, web.service);
    const widgets = widgetsOf(stack);
    expect(widgets.filter(w => w.type === 'text').map(w => w.properties.markdown)).toEqual(['### Web service prod/Workload/Web/Service']);
    const graphs = widgets.filter(w => w.type === 'metric');
    expect(graphs.map(w => w.properties.title)).toEqual(['Requests', 'Error rates (%)', 'Target response time (s)', 'Unhealthy targets, tasks below desired']);
    const lines = graphs.flatMap(w => w.properties.metrics!);
    const required: Record<string, string[]> = { 'AWS/ApplicationELB': ['LoadBalancer'], 'ECS/ContainerInsights': ['ClusterName', 'ServiceName'] };
    const metricLines = lines.filter(line => typeof line[0] === 'string');
    expect(metricLines.length).toBeGreaterThan(6);
    for (const line of metricLines) {
      expect([line[0], line[1], Object.keys(dimensionsOf(line))]).toEqual([line[0], line[1], expect.arrayContaining(required[line[0] as string])]);
    }
    expect(metricLines.filter(line => line[1] === 'UnHealthyHostCount').map(line => Object.keys(dimensionsOf(line)).sort())).toEqual([['LoadBalancer', 'TargetGroup']]);
    const byTitle = (title: string) => graphs.find(w => w.properties.title === title)!.properties.metrics!;
    expect(byTitle('Error rates (%)').filter(line => typeof line[0] === 'object').map(line => (line[0] as any).expression)).toEqual([
      'IF(FILL(targetRequests, 0) > 0, 100 * FILL(targetErrors, 0) / targetRequests, 0)',
      'IF(FILL(elbRequests, 0) > 0, 100 * FILL(elbErrors, 0) / elbRequests, 0)',
      'FILL(counted, 0) + FILL(elb5xx, 0)',
    ]);
    expect(graphs.every(w => w.properties.period === 300)).toBe(true);
  });

  test('many business metrics wrap at four graphs a line', () => {
    const { stack } = serviceStack();
    new ServiceDashboard(stack, 'Dashboard').addBusinessMetrics('Ledger', ['A', 'B', 'C', 'D', 'E', 'F'], { service: 'payments' });
    expect(widgetsOf(stack).filter(w => w.type === 'metric').map(w => w.width)).toEqual([6, 6, 6, 6, 6, 6]);
  });

  describe('refuses business metrics that would not show one service', () => {
    const dashboard = () => new ServiceDashboard(serviceStack().stack, 'Dashboard');

    test('without dimensions', () => {
      expect(() => dashboard().addBusinessMetrics('Ledger', ['PaymentsCaptured'], {})).toThrow(
        'ServiceDashboard at prod/Workload/Dashboard: business metrics of namespace "Ledger" have no dimensions, so the graphs would show nothing or sum every publisher; ' +
        "pass the dimensions your handlers publish with, e.g. { service: 'payments' } (Powertools Metrics' default dimension).");
    });

    test('without metric names', () => {
      expect(() => dashboard().addBusinessMetrics('Ledger', [], { service: 'payments' })).toThrow(
        'ServiceDashboard at prod/Workload/Dashboard: addBusinessMetrics for namespace "Ledger" has no metric names; pass the names your handlers publish, e.g. [\'PaymentsCaptured\'].');
    });

    test.each(['', 'AWS/Lambda'])('in namespace %p', namespace => {
      expect(() => dashboard().addBusinessMetrics(namespace, ['Errors'], { service: 'payments' })).toThrow(
        `ServiceDashboard at prod/Workload/Dashboard: business metrics namespace "${namespace}" must be your own (not empty, not AWS/...); use the namespace your handlers publish to, e.g. 'Ledger'.`);
    });
  });
});
