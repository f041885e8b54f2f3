import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ObservedPaymentServiceStack, OBSERVED_SERVICE } from './observed-payment-service';
import config from '../src/fintech.config.json';
import { ObservabilityStack } from '../src/observability-stack';
import { FintechPlatformConfig, FintechStage, ObservabilityPart } from 'fintech-infra-template';

// The project's team and tags, one ephemeral and one durable stage in their own accounts, and a monitoring account.
const MONITORING = { account: '111111111111', region: 'us-east-1' };
const testConfig: FintechPlatformConfig = {
  ...config,
  monitoring: MONITORING,
  environments: [
    { name: 'dev', account: '222222222222', region: 'us-east-1', durable: false },
    { name: 'prod', account: '333333333333', region: 'us-east-1', durable: true },
  ],
};
const application = config.application;
const EUR = { currency: 'EUR', min: 500, max: 20000 };

function synthObservability() {
  const app = new App({
    context: {
      // Unit tests never bundle handlers, and read the rule pack's report instead of failing the process.
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
  const stacks = FintechStage.fromConfig(app, testConfig).map(stage => {
    const service = new ObservedPaymentServiceStack(stage, 'Payments');
    return new ObservabilityStack(stage, 'Observability', {
      paymentServices: [{ serviceName: OBSERVED_SERVICE, averageAmountBands: [EUR] }],
      publicEndpoints: [{ name: 'health', url: service.healthUrl, expectedJsonPath: '$.status', expectedJsonValue: 'ok' }],
    });
  });
  const assembly = app.synth();
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'policy-validation-report.json'), 'utf-8'));
  return { stacks, dev: Template.fromStack(stacks[0]), prod: Template.fromStack(stacks[1]), report };
}

const { stacks, dev, prod, report } = synthObservability();
const findings = (report.pluginReports as any[]).flatMap(plugin => plugin.violations);

// A value as text: a Fn::Join joined, an import of another stack's export as "<import:name>".
function textOf(value: any): string {
  if (typeof value === 'string') return value;
  if (value['Fn::ImportValue']) return `<import:${value['Fn::ImportValue']}>`;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(textOf).join(value['Fn::Join'][0]);
  return JSON.stringify(value);
}

function propertiesOf(template: Template, type: string): any[] {
  return Object.values(template.findResources(type)).map(r => r.Properties);
}

test('the rule pack finds no error and no warning in either kind of stage', () => {
  expect(findings.filter(v => v.severity === 'error' || v.severity === 'warning').map(v => `${v.ruleName}: ${v.description}`)).toEqual([]);
});

test('finds the workload of the stage: the payment function and its API', () => {
  const discovered = stacks[1].observability.discovered;
  expect(discovered.functions).toEqual(['prod/Payments/Payments']);
  expect(discovered.restApis).toEqual(['prod/Payments/Api']);
});

test('traces 10% after the reservoir, with an X-Ray group with insights per traced service', () => {
  prod.hasResourceProperties('AWS::XRay::SamplingRule', { SamplingRule: Match.objectLike({ FixedRate: 0.1 }) });
  const groups = propertiesOf(prod, 'AWS::XRay::Group');
  // The names come from the workload's stack, as imports of its exports.
  expect(groups.map(g => textOf(g.FilterExpression)).sort()).toEqual([
    'service("<import:prod-Payments:ExportsOutputRefPayments130453D39FFE0FB2>")',
    `service("${application}-observed-payments-prod/<import:prod-Payments:ExportsOutputRefApiStage4697DF29B9667757>")`,
  ]);
  for (const group of groups) expect(group.InsightsConfiguration).toEqual({ InsightsEnabled: true, NotificationsEnabled: false });
});

test('ranks the API\'s consumers and the error-prone functions with Contributor Insights, and saves the three queries', () => {
  expect(propertiesOf(prod, 'AWS::CloudWatch::InsightRule').map(r => r.RuleName).sort()).toEqual([
    `${application}-error-prone-functions-prod`, `${application}-top-api-consumers-prod`,
  ]);
  expect(propertiesOf(prod, 'AWS::Logs::QueryDefinition')).toHaveLength(3);
});

test('forwards change events and alarm state changes to the central monitoring bus, with a dead-letter queue', () => {
  const central = `arn:aws:events:us-east-1:111111111111:event-bus/${application}-central-monitoring`;
  const rules = propertiesOf(prod, 'AWS::Events::Rule');
  expect(rules.map(r => r.EventPattern.source[0]).sort()).toEqual(['aws.apigateway', 'aws.cloudwatch', 'aws.lambda']);
  for (const rule of rules) {
    expect(rule.Targets).toEqual(expect.arrayContaining([expect.objectContaining({ Arn: central, DeadLetterConfig: expect.anything() })]));
  }
});

test('one dashboard whose first row is the payment KPIs of the service and stage', () => {
  const [dashboard] = propertiesOf(prod, 'AWS::CloudWatch::Dashboard');
  const body = JSON.stringify(dashboard.DashboardBody);
  const kpi = body.indexOf('PaymentSucceeded');
  expect(kpi).toBeGreaterThan(-1);
  expect(kpi).toBeLessThan(body.indexOf('AWS/Lambda'));
  expect(body).toContain(`\\"service\\",\\"${OBSERVED_SERVICE}\\",\\"stage\\",\\"prod\\"`);
});

test('alarms on the payment success rate and fraud rate as metric math, and on the average amount as a statistic', () => {
  const alarms = propertiesOf(prod, 'AWS::CloudWatch::Alarm');
  const expressions = alarms.flatMap(a => (a.Metrics ?? []).map((m: any) => m.Expression).filter(Boolean));
  expect(expressions.filter((e: string) => e === 'FILL(succeeded, 0) + FILL(failed, 0)')).toHaveLength(2);
  prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
    MetricName: 'PaymentAmount',
    Statistic: 'Average',
    Threshold: 20000,
    Dimensions: Match.arrayWith([{ Name: 'currency', Value: 'EUR' }, { Name: 'stage', Value: 'prod' }]),
  });
  for (const alarm of alarms) expect(alarm.AlarmDescription).toEqual(expect.any(String));
});

test('checks the health route with a canary on the current runtime, its artifacts encrypted, alarmed on its success rate', () => {
  const [canary] = propertiesOf(prod, 'AWS::Synthetics::Canary');
  expect(canary.RuntimeVersion).toMatch(/^syn-nodejs-puppeteer-/);
  prod.hasResourceProperties('AWS::S3::Bucket', { BucketEncryption: Match.anyValue(), PublicAccessBlockConfiguration: Match.objectLike({ BlockPublicAcls: true }) });
  prod.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'SuccessPercent', Namespace: 'CloudWatchSynthetics' });
  prod.hasOutput('CanaryhealthName', {});
});

test('the payment function publishes the stage its KPI alarms select', () => {
  const service = Template.fromStack(stacks[0].node.scope!.node.findChild('Payments') as ObservedPaymentServiceStack);
  service.hasResourceProperties('AWS::Lambda::Function', {
    Environment: { Variables: Match.objectLike({ FINTECH_STAGE: 'dev', POWERTOOLS_SERVICE_NAME: OBSERVED_SERVICE, POWERTOOLS_METRICS_NAMESPACE: application }) },
  });
  dev.hasResourceProperties('AWS::CloudWatch::Alarm', { Dimensions: Match.arrayWith([{ Name: 'stage', Value: 'dev' }]) });
});

test('a part can be left out by name', () => {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const [stage] = FintechStage.fromConfig(app, { ...testConfig, environments: [testConfig.environments[0]] });
  new ObservedPaymentServiceStack(stage, 'Payments');
  const stack = new ObservabilityStack(stage, 'Observability', { exclude: [ObservabilityPart.CHANGE_EVENTS, ObservabilityPart.DASHBOARD] });
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::Events::Rule', 0);
  template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  template.resourceCountIs('AWS::XRay::SamplingRule', 1);
  expect(stack.kpiAlarms).toEqual([]);
});

test('a stage without a workload is an error that says to create the stack after the workload\'s', () => {
  const app = new App();
  const [stage] = FintechStage.fromConfig(app, { ...testConfig, environments: [testConfig.environments[0]] });
  expect(() => new ObservabilityStack(stage, 'Observability')).toThrow(/dev has no observable resources .*create WorkloadObservability after the workload's resources/);
});
