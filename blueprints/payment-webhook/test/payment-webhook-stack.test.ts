import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import config from '../src/fintech.config.json';
import { PaymentWebhookStack } from '../src/payment-webhook-stack';
import { FintechPlatformConfig, FintechStage } from 'fintech-infra-template';

// The project's own team and tags, with one ephemeral and one durable stage whatever .projenrc.ts declares.
const testConfig: FintechPlatformConfig = {
  ...config,
  environments: [
    { name: 'dev', region: 'us-east-1', durable: false },
    { name: 'prod', region: 'us-east-1', durable: true },
  ],
};

function synthWebhooks() {
  const app = new App({
    context: {
      // Unit tests never bundle handlers, and read the rule pack's report instead of failing the process.
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
  const stacks = FintechStage.fromConfig(app, testConfig).map(stage => new PaymentWebhookStack(stage, 'PaymentWebhook'));
  const assembly = app.synth();
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'policy-validation-report.json'), 'utf-8'));
  return { dev: Template.fromStack(stacks[0]), prod: Template.fromStack(stacks[1]), report };
}

const { dev, prod, report } = synthWebhooks();
// Physical names are <application>-<base>-<stage>; the application comes from .projenrc.ts.
const application = config.application;
const violations = (report.pluginReports as any[])
  .flatMap(plugin => plugin.violations.map((v: any) => ({ ...v, plugin: plugin.summary.pluginName })));

test('the rule pack finds no error and no warning in either kind of stage', () => {
  const findings = violations.filter(v => v.severity === 'error' || v.severity === 'warning');
  expect(findings.map(v => `${v.ruleName}: ${v.description}`)).toEqual([]);
});

test('POST /webhooks goes through a stage named after the environment, behind WAF with a rate rule from the per-second figure', () => {
  prod.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', Integration: { Type: 'AWS_PROXY' } });
  prod.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod', TracingEnabled: true });
  // 20 requests per second per IP over a 60-second window.
  prod.hasResourceProperties('AWS::WAFv2::WebACL', {
    Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 1200, EvaluationWindowSec: 60 }) } })]),
  });
  prod.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
});

test('GET /health is answered by API Gateway itself, with no function behind it, for canaries', () => {
  prod.hasResourceProperties('AWS::ApiGateway::Method', {
    HttpMethod: 'GET',
    Integration: {
      Type: 'MOCK',
      PassthroughBehavior: 'NEVER',
      IntegrationResponses: [{ StatusCode: '200', ResponseTemplates: { 'application/json': '{"status": "ok"}' } }],
    },
  });
  prod.resourceCountIs('AWS::ApiGateway::Method', 2);
});

test('the processor knows its stage, the dimension its payment KPIs carry for the observability alarms', () => {
  prod.hasResourceProperties('AWS::Lambda::Function', {
    FunctionName: `${application}-webhook-processor-prod`,
    Environment: { Variables: Match.objectLike({ FINTECH_STAGE: 'prod', PAYMENTS_TABLE_NAME: Match.anyValue(), POWERTOOLS_SERVICE_NAME: 'payment-webhook' }) },
  });
});

test('the receiver gets what its handler reads, and may only send to the inbound queue, read the secret and use the idempotency table', () => {
  prod.hasResourceProperties('AWS::Lambda::Function', {
    FunctionName: `${application}-webhook-receiver-prod`,
    TracingConfig: { Mode: 'Active' },
    Environment: {
      Variables: Match.objectLike({
        SIGNING_SECRET_NAME: `${application}-webhook-signing-secret-prod`,
        IDEMPOTENCY_TABLE_NAME: Match.anyValue(),
        QUEUE_URL: Match.anyValue(),
        POWERTOOLS_SERVICE_NAME: 'payment-webhook',
        POWERTOOLS_METRICS_NAMESPACE: application,
      }),
    },
  });
});

test('the queue dead-letters after three receives and feeds the processor with partial batch failures', () => {
  prod.hasResourceProperties('AWS::SQS::Queue', { QueueName: `${application}-webhooks-inbound-prod`, RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }), VisibilityTimeout: 120 });
  prod.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
});

test('only queues that can receive a message exist: no function is invoked asynchronously, so none has an on-failure queue', () => {
  // Inbound, its dead-letter queue, and the failure queue of the payments stream.
  expect(Object.values(prod.findResources('AWS::SQS::Queue')).map(q => q.Properties.QueueName ?? 'generated')).toHaveLength(3);
  prod.resourceCountIs('AWS::Lambda::EventInvokeConfig', 0);
  prod.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^PaymentsStreamFailures'), 'Arn'] } } },
  });
  prod.hasResourceProperties('AWS::SQS::Queue', { MessageRetentionPeriod: 14 * 24 * 3600, RedrivePolicy: Match.absent(), QueueName: Match.absent() });
});

test('payments are keyed by payment and event id, streamed to the audit function, and protected in durable stages only', () => {
  prod.hasResourceProperties('AWS::DynamoDB::Table', {
    TableName: `${application}-payments-prod`,
    KeySchema: [{ AttributeName: 'paymentId', KeyType: 'HASH' }, { AttributeName: 'eventId', KeyType: 'RANGE' }],
    StreamSpecification: { StreamViewType: Match.stringLikeRegexp('NEW') },
    DeletionProtectionEnabled: true,
  });
  dev.hasResourceProperties('AWS::DynamoDB::Table', { TableName: `${application}-payments-dev`, DeletionProtectionEnabled: false });
  prod.hasResourceProperties('AWS::DynamoDB::Table', { TableName: `${application}-idempotency-prod`, TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true } });
});

test('every alarm is a hygienic one and the functions alarm on an error rate, not a count', () => {
  const alarms = Object.values(prod.findResources('AWS::CloudWatch::Alarm')) as any[];
  expect(alarms.length).toBeGreaterThan(5);
  for (const alarm of alarms) {
    expect(alarm.Properties).toEqual(expect.objectContaining({
      AlarmDescription: expect.any(String),
      TreatMissingData: expect.any(String),
      DatapointsToAlarm: expect.any(Number),
    }));
    expect(alarm.Properties.AlarmActions).toHaveLength(1);
  }
  const expressions = alarms.flatMap(a => (a.Properties.Metrics ?? []).map((m: any) => m.Expression).filter(Boolean));
  expect(expressions.some((e: string) => /100 \* FILL\(errors, 0\) \/ FILL\(requests, 0\)/.test(e))).toBe(true);
});

test('names carry the stage so dev and prod can live in one account', () => {
  const names = (template: Template) => Object.values(template.findResources('AWS::Lambda::Function')).map((f: any) => f.Properties.FunctionName).filter(Boolean);
  expect(names(dev).every((n: string) => n.endsWith('-dev'))).toBe(true);
  expect(names(prod).every((n: string) => n.endsWith('-prod'))).toBe(true);
});

test('the handlers run on the Powertools layer of the installed version, one lookup per stack; powertoolsLayer: false bundles it', () => {
  // The package does not export its package.json: read it from the package folder of its entry point.
  const entryPoint = require.resolve('@aws-lambda-powertools/commons');
  const packageDir = entryPoint.slice(0, entryPoint.lastIndexOf(`${path.sep}commons${path.sep}`) + `${path.sep}commons`.length);
  const installed = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf-8')).version;
  const layerParameters = Object.keys(prod.findParameters('*', {
    Type: 'AWS::SSM::Parameter::Value<String>',
    Default: `/aws/service/powertools/typescript/generic/all/${installed}`,
  }));
  expect(layerParameters).toHaveLength(1);
  const onLayer = Object.values(prod.findResources('AWS::Lambda::Function', { Properties: { Layers: [{ Ref: layerParameters[0] }] } }))
    .map((f: any) => f.Properties.FunctionName);
  expect(onLayer.sort()).toEqual([`${application}-payment-audit-prod`, `${application}-webhook-processor-prod`, `${application}-webhook-receiver-prod`]);

  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const [stage] = FintechStage.fromConfig(app, testConfig);
  const bundled = Template.fromStack(new PaymentWebhookStack(stage, 'PaymentWebhook', { powertoolsLayer: false }));
  bundled.resourcePropertiesCountIs('AWS::Lambda::Function', { Layers: Match.anyValue() }, 0);
});
