import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { DashboardMetricWithoutDimensions } from '../../../src/rules/cloudwatch/dashboard-metric-dimensions';
import { findingsOf, lines, shop } from '../rule-harness';

const C10 = DashboardMetricWithoutDimensions.INFO.id;

function c10(app: App) {
  return findingsOf(app, [C10]);
}

function fn(stack: Stack) {
  return new lambda.Function(stack, 'Ledger', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
}

/** A literal dashboard body with one metric widget. */
function body(metrics: unknown[], extra: Record<string, unknown> = {}) {
  return JSON.stringify({ widgets: [{ type: 'metric', properties: { region: 'eu-west-1', metrics, ...extra } }] });
}

describe('Fintech-C10-DashboardMetricWithoutDimensions', () => {
  test('fails an L2 dashboard with an account-wide Lambda metric and passes metrics built from resources', () => {
    const { app, stack } = shop();
    const ledger = fn(stack);
    const queue = new sqs.Queue(stack, 'Payments');
    new cloudwatch.Dashboard(stack, 'Account').addWidgets(new cloudwatch.GraphWidget({
      title: 'Invocations',
      left: [ledger.metricInvocations(), new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Invocations' })],
    }));
    new cloudwatch.Dashboard(stack, 'Service').addWidgets(
      new cloudwatch.GraphWidget({
        left: [ledger.metricErrors(), new cloudwatch.MathExpression({ expression: '100 * e / i', usingMetrics: { e: ledger.metricErrors(), i: ledger.metricInvocations() } })],
        right: [queue.metricApproximateNumberOfMessagesVisible()],
      }),
      new cloudwatch.SingleValueWidget({ metrics: [new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'ConcurrentExecutions' })] }),
      new cloudwatch.GraphWidget({ left: [new cloudwatch.Metric({ namespace: 'Ledger', metricName: 'PaymentsPosted' })] }),
      new cloudwatch.TextWidget({ markdown: '# Ledger' }),
    );
    const findings = c10(app);
    expect(lines(findings)).toEqual([`${C10} Shop/Account/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/DashboardBody'],
      message: expect.stringMatching(/^AWS::CloudWatch::Dashboard Account[0-9A-F]{8} shows metrics of per-resource namespaces without dimensions.*: widgets\[0\] \("Invocations"\) metrics\[1\]: AWS\/Lambda Invocations\.$/),
      fix: expect.stringContaining('ServiceDashboard'),
    });
  });

  test('expands the "." and "..." shorthand of L1 bodies', () => {
    const { app, stack } = shop();
    new cloudwatch.CfnDashboard(stack, 'Repeated', {
      dashboardBody: body([
        ['AWS/SQS', 'NumberOfMessagesSent', 'QueueName', 'payments-dev'],
        ['...', 'refunds-dev'],
        ['...'],
        ['.', 'NumberOfMessagesDeleted', '.', '.', { stat: 'Sum' }],
        [{ expression: 'SUM(METRICS())', label: 'total' }],
        ['...', 'chargebacks-dev', { yAxis: 'right' }],
      ]),
    });
    new cloudwatch.CfnDashboard(stack, 'DroppedDimensions', {
      dashboardBody: body([['AWS/SQS', 'NumberOfMessagesSent', 'QueueName', 'payments-dev'], ['.', 'NumberOfMessagesDeleted']]),
    });
    const findings = c10(app);
    expect(lines(findings)).toEqual([`${C10} Shop/DroppedDimensions`]);
    expect(findings[0].message).toContain('widgets[0] metrics[1]: AWS/SQS NumberOfMessagesDeleted.');
  });

  test('reads Fn::Sub bodies and lists every offending metric across widgets', () => {
    const { app, stack } = shop();
    const ledger = fn(stack);
    const widget = (metrics: unknown[]) => ({ type: 'metric', properties: { metrics } });
    const widgets = [
      widget([['AWS/Lambda', 'Errors', 'FunctionName', '${Ledger}'], ['AWS/Lambda', 'Throttles']]),
      widget([['AWS/ApiGateway', '5XXError'], ['AWS/States', 'ExecutionsFailed'], ['AWS/DynamoDB', 'UserErrors'], ['AWS/DynamoDB', 'SystemErrors']]),
      widget([['AWS/SNS', 'NumberOfNotificationsFailed'], ['AWS/Kinesis', 'GetRecords.IteratorAgeMilliseconds'], ['AWS/RDS', 'CPUUtilization']]),
    ];
    new cloudwatch.CfnDashboard(stack, 'Sub', {
      dashboardBody: { 'Fn::Sub': [JSON.stringify({ widgets }), { Ledger: ledger.functionName }] } as unknown as string,
    });
    const findings = c10(app);
    expect(lines(findings)).toEqual([`${C10} Shop/Sub`]);
    expect(findings[0].message).toContain('widgets[0] metrics[1]: AWS/Lambda Throttles; widgets[1] metrics[0]: AWS/ApiGateway 5XXError;');
    expect(findings[0].message).toMatch(/widgets\[2\] metrics\[0\]: AWS\/SNS NumberOfNotificationsFailed; and 2 more\.$/);
  });

  test('catches an escape hatch that replaces the body CDK wrote', () => {
    const { app, stack } = shop();
    const dashboard = new cloudwatch.Dashboard(stack, 'Overridden');
    dashboard.addWidgets(new cloudwatch.GraphWidget({ left: [fn(stack).metricErrors()] }));
    (dashboard.node.defaultChild as cloudwatch.CfnDashboard).addPropertyOverride('DashboardBody', body([['AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count']]));
    expect(lines(c10(app))).toEqual([`${C10} Shop/Overridden/Resource`]);
  });

  test('treats bodies, namespaces and shorthand it cannot resolve as unknown', () => {
    const { app, stack } = shop();
    const parameter = new CfnParameter(stack, 'Body');
    new cloudwatch.CfnDashboard(stack, 'FromParameter', { dashboardBody: parameter.valueAsString });
    new cloudwatch.CfnDashboard(stack, 'WidgetFromParameter', {
      dashboardBody: { 'Fn::Join': ['', ['{"widgets":[', { Ref: 'Body' }, ']}']] } as unknown as string,
    });
    new cloudwatch.CfnDashboard(stack, 'Namespace', {
      dashboardBody: { 'Fn::Sub': body([['${Namespace}', 'Errors']]) } as unknown as string,
    });
    new cloudwatch.CfnDashboard(stack, 'NoPrevious', { dashboardBody: body([['.', 'Errors'], ['...']]) });
    new cloudwatch.CfnDashboard(stack, 'Whole', { dashboardBody: body([['AWS/Lambda', 'Errors']]) }).addOverride('Properties', { 'Fn::If': ['C', {}, {}] });
    expect(c10(app)).toEqual([]);
  });

  test('does not crash on odd but valid shapes', () => {
    const { app, stack } = shop();
    new cloudwatch.CfnDashboard(stack, 'NotJson', { dashboardBody: 'widgets' });
    new cloudwatch.CfnDashboard(stack, 'Empty', { dashboardBody: '{}' });
    new cloudwatch.CfnDashboard(stack, 'WidgetsObject', { dashboardBody: '{"widgets":{"type":"metric"}}' });
    new cloudwatch.CfnDashboard(stack, 'OddWidgets', {
      dashboardBody: JSON.stringify({
        widgets: [null, 'metric', { type: 'log', properties: { query: 'fields @message' } }, { type: 'metric' }, { type: 'metric', properties: { metrics: 'AWS/Lambda' } },
          { type: 'metric', properties: { metrics: [null, 'AWS/Lambda', [], [42, 'Errors'], ['AWS/Lambda', 7]] } },
          { type: 'alarm', properties: { alarms: ['arn:aws:cloudwatch:eu-west-1:123456789012:alarm:x'] } }],
      }),
    });
    let nested: unknown = body([['AWS/Lambda', 'Errors']]);
    for (let i = 0; i < 12; i++) nested = { 'Fn::Join': ['', [nested]] };
    new cloudwatch.CfnDashboard(stack, 'Deep', { dashboardBody: nested as string });
    expect(c10(app)).toEqual([]);
  });
});
