import * as path from 'path';
import { CfnElement, CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as cr from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';
import { FargateWebService } from '../../src/compute/fargate-web-service';
import { TracedFunction } from '../../src/compute/traced-function';
import { SecureQueue } from '../../src/data/secure-queue';
import { SecureTable } from '../../src/data/secure-table';
import { FintechVpc } from '../../src/network/fintech-vpc';
import { ServiceChangeEvents } from '../../src/observability/service-change-events';
import { ObservabilityPart, PublicEndpoint, WorkloadObservability } from '../../src/observability/workload-observability';
import { FintechStage } from '../../src/stage/fintech-stage';
import { TracedStateMachine } from '../../src/workflow/traced-state-machine';
import { CONFIG, stackIn, synthReport, testApp, twoStacksIn } from '../support/fintech-fixture';
import { api } from '../support/rest-api-fixture';

const entry = path.join(__dirname, '..', 'compute', 'fixtures', 'echo.ts');
const CENTRAL_BUS = 'arn:aws:events:eu-west-1:210987654321:event-bus/ledger-monitoring-ops';
const ENDPOINTS: PublicEndpoint[] = [
  { name: 'health', url: 'https://api.example.com/health', expectedJsonPath: '$.status', expectedJsonValue: 'ok' },
  { name: 'quote', url: 'https://api.example.com/quote', expectedText: 'EUR', maxLatency: Duration.seconds(2) },
];

/** A payments workload of library constructs: a function, a queue with its DLQ, a table, a state machine and an API. */
function workload(stack: Stack) {
  const capture = new TracedFunction(stack, 'Capture', { entry });
  const settlements = new SecureQueue(stack, 'Settlements');
  const entries = new SecureTable(stack, 'Entries', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  const settle = new TracedStateMachine(stack, 'Settle', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')) });
  const paymentsApi = api(stack);
  return { capture, settlements, entries, settle, paymentsApi };
}

function logicalId(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnElement);
}

// A value as text: a Fn::Join is joined, a reference becomes "<ref:LogicalId>" or "<att:LogicalId.Attribute>", so JSON in it parses.
function textOf(value: any): string {
  if (typeof value === 'string') return value;
  if (value.Ref) return `<ref:${value.Ref}>`;
  if (value['Fn::GetAtt']) return `<att:${value['Fn::GetAtt'].join('.')}>`;
  if (value['Fn::Join']) return value['Fn::Join'][1].map(textOf).join(value['Fn::Join'][0]);
  return `<${JSON.stringify(value).replace(/"/g, '')}>`;
}

function propertiesOf(template: Template, type: string): any[] {
  return Object.values(template.findResources(type)).map(r => r.Properties);
}

function markdownsOf(template: Template): string[] {
  const [dashboard] = propertiesOf(template, 'AWS::CloudWatch::Dashboard');
  const widgets: any[] = JSON.parse(textOf(dashboard.DashboardBody)).widgets;
  return widgets.filter(w => w.type === 'text').map(w => w.properties.markdown);
}

function ruleSources(template: Template): string[] {
  return propertiesOf(template, 'AWS::Events::Rule').map(r => r.EventPattern.source[0]).sort();
}

describe('WorkloadObservability', () => {
  test('finds the functions, APIs, queues with their DLQs, tables and state machines of the stage', () => {
    const stack = stackIn(testApp(), 'prod');
    workload(stack);
    const observability = new WorkloadObservability(stack, 'Observability');
    expect(observability.discovered).toEqual({
      functions: ['prod/Workload/Capture'],
      restApis: ['prod/Workload/PaymentsApi'],
      queues: ['prod/Workload/Capture/OnFailure', 'prod/Workload/Settlements'],
      deadLetterQueues: ['prod/Workload/SettlementsDeadLetterQueue'],
      tables: ['prod/Workload/Entries'],
      stateMachines: ['prod/Workload/Settle'],
      webServices: [],
      skipped: [],
    });
  });

  test('tracing: a sampling rule at 10% and an X-Ray group with insights per traced service, matching its resources by name', () => {
    const stack = stackIn(testApp(), 'prod');
    const { capture, settle, paymentsApi } = workload(stack);
    const observability = new WorkloadObservability(stack, 'Observability');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::XRay::SamplingRule', { SamplingRule: Match.objectLike({ RuleName: 'ledger-sampling-prod', FixedRate: 0.1 }) });
    expect(observability.samplingRule?.fixedRate).toBe(0.1);
    template.resourceCountIs('AWS::XRay::Group', 3);
    const groups = propertiesOf(template, 'AWS::XRay::Group');
    expect(groups.map(g => [g.GroupName, textOf(g.FilterExpression), g.InsightsConfiguration])).toEqual([
      ['ledger-traces-lambda-prod', `service("<ref:${logicalId(capture)}>")`, { InsightsEnabled: true, NotificationsEnabled: false }],
      // A stage's Ref is its name.
      ['ledger-traces-apigateway-prod', `service("ledger-payments-api-prod/<ref:${logicalId(paymentsApi.deploymentStage)}>")`, { InsightsEnabled: true, NotificationsEnabled: false }],
      ['ledger-traces-stepfunctions-prod', `service("<att:${logicalId(settle)}.Name>")`, { InsightsEnabled: true, NotificationsEnabled: false }],
    ]);
    expect(observability.traceGroups).toHaveLength(3);
  });

  test('the sampling rate can be changed', () => {
    const stack = stackIn(testApp(), 'prod');
    workload(stack);
    new WorkloadObservability(stack, 'Observability', { samplingRate: 0.25 });
    Template.fromStack(stack).hasResourceProperties('AWS::XRay::SamplingRule', { SamplingRule: Match.objectLike({ FixedRate: 0.25 }) });
  });

  test('one X-Ray group filter names every function of the service', () => {
    const stack = stackIn(testApp(), 'prod');
    const first = new TracedFunction(stack, 'Capture', { entry });
    const second = new TracedFunction(stack, 'Refund', { entry });
    new WorkloadObservability(stack, 'Observability');
    const [group] = propertiesOf(Template.fromStack(stack), 'AWS::XRay::Group');
    expect(textOf(group.FilterExpression)).toBe(`service("<ref:${logicalId(first)}>") OR service("<ref:${logicalId(second)}>")`);
  });

  test('contributor insights: top API consumers from the access logs, error-prone functions from the function logs, throttled keys of tables', () => {
    const stack = stackIn(testApp(), 'prod');
    const { paymentsApi, capture } = workload(stack);
    const observability = new WorkloadObservability(stack, 'Observability');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::InsightRule', 2);
    const rules = Object.fromEntries(propertiesOf(template, 'AWS::CloudWatch::InsightRule').map(r => [r.RuleName, JSON.parse(textOf(r.RuleBody))]));
    const functionLogGroup = Stack.of(capture).getLogicalId(capture.logGroup.node.defaultChild as CfnElement);
    expect(rules['ledger-top-api-consumers-prod'].LogGroupNames).toEqual([`<ref:${logicalId(paymentsApi.accessLogGroup)}>`]);
    expect(rules['ledger-error-prone-functions-prod'].LogGroupNames).toEqual([`<ref:${functionLogGroup}>`]);
    expect(rules['ledger-error-prone-functions-prod'].Contribution.Filters).toEqual([{ Match: '$.level', In: ['ERROR'] }]);
    template.hasResourceProperties('AWS::DynamoDB::Table', { ContributorInsightsSpecification: { Enabled: true, Mode: 'THROTTLED_KEYS' } });
    expect(observability.tablesWithContributorInsights).toEqual(['prod/Workload/Entries']);
  });

  test('a table that sets its contributor insights keeps the setting', () => {
    const stack = stackIn(testApp(), 'prod');
    new dynamodb.Table(stack, 'Entries', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, contributorInsightsSpecification: { enabled: false } });
    const observability = new WorkloadObservability(stack, 'Observability');
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::Table', { ContributorInsightsSpecification: { Enabled: false } });
    expect(observability.tablesWithContributorInsights).toEqual([]);
    // No function or API log group: no rules to make.
    expect(observability.contributorInsights).toBeUndefined();
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::InsightRule', 0);
  });

  test('saved queries over the function and API log groups', () => {
    const stack = stackIn(testApp(), 'prod');
    const { paymentsApi, capture } = workload(stack);
    new WorkloadObservability(stack, 'Observability');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Logs::QueryDefinition', 3);
    const queries = propertiesOf(template, 'AWS::Logs::QueryDefinition');
    expect(queries.map(q => q.Name).sort()).toEqual(['ledger-queries-prod/Errors', 'ledger-queries-prod/FailedPayments', 'ledger-queries-prod/SlowRequests']);
    const functionLogGroup = Stack.of(capture).getLogicalId(capture.logGroup.node.defaultChild as CfnElement);
    for (const query of queries) {
      expect(query.LogGroupNames).toEqual([{ Ref: functionLogGroup }, { Ref: logicalId(paymentsApi.accessLogGroup) }]);
    }
  });

  test('the log group of a function without one of its own is named, not created through a LogRetention custom resource', () => {
    const stack = stackIn(testApp(), 'prod');
    const fn = new lambda.Function(stack, 'Plain', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    new WorkloadObservability(stack, 'Observability');
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::LogRetention', 0);
    const [errors] = propertiesOf(template, 'AWS::Logs::QueryDefinition');
    expect(errors.LogGroupNames.map(textOf)).toEqual([`/aws/lambda/<ref:${logicalId(fn)}>`]);
  });

  test('dashboard: the KPI row first, then one row per resource, the DLQ in its queue\'s row', () => {
    const stack = stackIn(testApp(), 'prod');
    workload(stack);
    new WorkloadObservability(stack, 'Observability', {
      kpis: { namespace: 'Ledger', metricNames: ['PaymentsCaptured', 'PaymentsDeclined'], dimensions: { service: 'payments' } },
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'ledger-service-prod' });
    expect(markdownsOf(template)).toEqual([
      '### Ledger',
      '### API prod/Workload/PaymentsApi',
      '### Function prod/Workload/Capture',
      '### State machine prod/Workload/Settle',
      '### Queue prod/Workload/Capture/OnFailure',
      '### Queue prod/Workload/Settlements',
      '### Table prod/Workload/Entries',
    ]);
    const [dashboard] = propertiesOf(template, 'AWS::CloudWatch::Dashboard');
    const titles = JSON.parse(textOf(dashboard.DashboardBody)).widgets.map((w: any) => w.properties.title);
    expect(titles.filter((t: string) => t === 'Dead-letter queue depth')).toHaveLength(1);
  });

  test('change events: rules for the services found only, forwarded to the central bus', () => {
    const stack = stackIn(testApp(), 'prod');
    workload(stack);
    const observability = new WorkloadObservability(stack, 'Observability', { centralBusArn: CENTRAL_BUS });
    const template = Template.fromStack(stack);
    expect(ruleSources(template)).toEqual(['aws.apigateway', 'aws.cloudwatch', 'aws.dynamodb', 'aws.lambda', 'aws.sqs']);
    for (const rule of propertiesOf(template, 'AWS::Events::Rule')) {
      expect(rule.Targets).toEqual(expect.arrayContaining([expect.objectContaining({ Arn: CENTRAL_BUS })]));
    }
    expect(observability.changeEvents?.centralBusRole).toBeDefined();

    const tableOnly = stackIn(testApp(), 'prod');
    new SecureTable(tableOnly, 'Entries', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new WorkloadObservability(tableOnly, 'Observability');
    expect(ruleSources(Template.fromStack(tableOnly))).toEqual(['aws.cloudwatch', 'aws.dynamodb']);
  });

  test('change events: the stage\'s central monitoring bus when .projenrc.ts names a monitoring account', () => {
    const config = {
      ...CONFIG,
      environments: [{ ...CONFIG.environments[0], account: '111111111111' }, CONFIG.environments[1]],
      monitoring: { account: '210987654321', region: 'eu-central-1' },
    };
    const stack = stackIn(testApp(), 'prod', config);
    workload(stack);
    new WorkloadObservability(stack, 'Observability');
    const central = 'arn:aws:events:eu-central-1:210987654321:event-bus/ledger-central-monitoring';
    for (const rule of propertiesOf(Template.fromStack(stack), 'AWS::Events::Rule')) {
      expect(rule.Targets).toEqual(expect.arrayContaining([expect.objectContaining({ Arn: central })]));
    }
  });

  test('a canary per public endpoint, checking its content and latency', () => {
    const stack = stackIn(testApp(), 'prod');
    workload(stack);
    const observability = new WorkloadObservability(stack, 'Observability', { publicEndpoints: ENDPOINTS });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Synthetics::Canary', 2);
    expect(propertiesOf(template, 'AWS::Synthetics::Canary').map(c => c.Name).sort()).toEqual(['ledger-health-prod', 'ledger-quote-prod']);
    expect(observability.canaries.map(c => c.canaryName)).toEqual(['ledger-health-prod', 'ledger-quote-prod']);
    expect(observability.canaries[0].script).toContain('const EXPECTED_JSON_PATH = ["status"];');
    expect(observability.canaries[1].script).toContain('const EXPECTED_TEXT = "EUR";');
    expect(observability.canaries[1].script).toContain('const MAX_LATENCY_MS = 2000;');
  });

  const PART_RESOURCES: Array<[ObservabilityPart, string[], (o: WorkloadObservability) => unknown]> = [
    [ObservabilityPart.TRACING, ['AWS::XRay::SamplingRule', 'AWS::XRay::Group'], o => o.samplingRule ?? (o.traceGroups.length || undefined)],
    [ObservabilityPart.CONTRIBUTOR_INSIGHTS, ['AWS::CloudWatch::InsightRule'], o => o.contributorInsights ?? (o.tablesWithContributorInsights.length || undefined)],
    [ObservabilityPart.SAVED_QUERIES, ['AWS::Logs::QueryDefinition'], o => o.savedQueries],
    [ObservabilityPart.DASHBOARD, ['AWS::CloudWatch::Dashboard'], o => o.dashboard],
    [ObservabilityPart.CHANGE_EVENTS, ['AWS::Events::Rule'], o => o.changeEvents],
    [ObservabilityPart.CANARIES, ['AWS::Synthetics::Canary'], o => o.canaries.length || undefined],
  ];

  test.each(PART_RESOURCES)('exclude %s leaves out that part and only it', (part, types, created) => {
    const stack = stackIn(testApp(), 'prod');
    workload(stack);
    const observability = new WorkloadObservability(stack, 'Observability', { exclude: [part], publicEndpoints: ENDPOINTS });
    const template = Template.fromStack(stack);
    expect(created(observability)).toBeUndefined();
    for (const type of types) template.resourceCountIs(type, 0);
    for (const [other, otherTypes, otherCreated] of PART_RESOURCES.filter(([p]) => p !== part)) {
      expect([other, otherCreated(observability) !== undefined]).toEqual([other, true]);
      for (const type of otherTypes) expect([type, Object.keys(template.findResources(type)).length > 0]).toEqual([type, true]);
    }
    if (part === ObservabilityPart.CONTRIBUTOR_INSIGHTS) {
      template.hasResourceProperties('AWS::DynamoDB::Table', { ContributorInsightsSpecification: Match.absent() });
    }
  });

  test('functions CDK and libraries make for themselves are not observed', () => {
    const stack = stackIn(testApp(), 'dev');
    const worker = new lambda.Function(stack, 'Worker', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), logRetention: logs.RetentionDays.ONE_WEEK,
    });
    // Bucket notifications and S3 auto-delete add providers of their own; AwsCustomResource adds a singleton function.
    const bucket = new s3.Bucket(stack, 'Uploads', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(worker));
    new cr.AwsCustomResource(stack, 'Lookup', {
      onUpdate: { service: 'SSM', action: 'getParameter', parameters: { Name: 'x' }, physicalResourceId: cr.PhysicalResourceId.of('x') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    });
    const onEvent = new lambda.Function(stack, 'SeedHandler', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    const provider = new cr.Provider(stack, 'SeedProvider', { onEventHandler: onEvent });
    new CustomResource(stack, 'Seed', { serviceToken: provider.serviceToken });

    const observability = new WorkloadObservability(stack, 'Observability');
    expect(observability.discovered.functions).toEqual(['dev/Workload/Worker']);
    expect(observability.discovered.skipped).toEqual(expect.arrayContaining([
      'dev/Workload/SeedHandler (a function CDK or a library made for itself)',
      'dev/Workload/SeedProvider/framework-onEvent (a function CDK or a library made for itself)',
    ]));
    expect(observability.discovered.skipped.some(s => /^dev\/Workload\/AWS[0-9a-f]{32} \(a function CDK/.test(s))).toBe(true);
    const template = Template.fromStack(stack);
    expect(markdownsOf(template).filter(m => m.startsWith('### Function'))).toEqual(['### Function dev/Workload/Worker']);
    const [group] = propertiesOf(template, 'AWS::XRay::Group');
    expect(textOf(group.FilterExpression)).toBe(`service("<ref:${logicalId(worker)}>")`);
  });

  test('what observability constructs contain is not observed: a second one skips the first one\'s dead-letter queue', () => {
    const stack = stackIn(testApp(), 'prod');
    new TracedFunction(stack, 'Capture', { entry, asynchronousInvocation: false });
    new WorkloadObservability(stack, 'Payments', { nameBase: 'payments' });
    const second = new WorkloadObservability(stack, 'Refunds', { nameBase: 'refunds' });
    expect(second.discovered.queues).toEqual([]);
    expect(second.discovered.functions).toEqual(['prod/Workload/Capture']);
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Dashboard', 2);
  });

  test('nor is the dead-letter queue of a ServiceChangeEvents made on its own', () => {
    const stack = stackIn(testApp(), 'prod');
    new TracedFunction(stack, 'Capture', { entry, asynchronousInvocation: false });
    new ServiceChangeEvents(stack, 'Changes');
    const observability = new WorkloadObservability(stack, 'Observability', { exclude: [ObservabilityPart.CHANGE_EVENTS] });
    expect(observability.discovered.queues).toEqual([]);
  });

  test('a FargateWebService gets a dashboard row of its own', () => {
    const stack = stackIn(testApp(), 'prod');
    const certificate = acm.Certificate.fromCertificateArn(stack, 'Certificate', 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555');
    new FargateWebService(stack, 'Web', {
      vpc: new FintechVpc(stack, 'Network', { maxAzs: 2 }), image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:stable-alpine'), certificate,
    });
    const observability = new WorkloadObservability(stack, 'Observability');
    expect(observability.discovered.webServices).toEqual(['prod/Workload/Web']);
    expect(observability.discovered.functions).toEqual([]);
    const template = Template.fromStack(stack);
    expect(markdownsOf(template).filter(m => m.startsWith('### Web service'))).toEqual(['### Web service prod/Workload/Web']);
  });

  test('REST APIs without a deployment stage are skipped', () => {
    const stack = stackIn(testApp(), 'prod');
    const draft = new apigateway.RestApi(stack, 'Draft', { deploy: false });
    draft.root.addMethod('GET', new apigateway.MockIntegration());
    new TracedFunction(stack, 'Capture', { entry, asynchronousInvocation: false });
    const observability = new WorkloadObservability(stack, 'Observability');
    expect(observability.discovered.restApis).toEqual([]);
    expect(observability.discovered.skipped).toEqual(['prod/Workload/Draft (a REST API without a deployment stage)']);
  });

  test('by default it searches the whole FintechStage, but not stacks of another region', () => {
    const [ingest, monitoring] = twoStacksIn(testApp(), 'prod');
    new TracedFunction(ingest, 'Capture', { entry, asynchronousInvocation: false });
    const edge = new Stack(FintechStage.of(ingest), 'Edge', { env: { account: '123456789012', region: 'us-east-1' } });
    new TracedFunction(edge, 'Viewer', { entry, asynchronousInvocation: false });
    const observability = new WorkloadObservability(monitoring, 'Observability');
    expect(observability.discovered.functions).toEqual(['prod/Ingest/Capture']);
    expect(observability.discovered.skipped).toEqual(['prod/Edge (another account or region)']);

    const onlyMonitoring = new WorkloadObservability(monitoring, 'OnlyIngest', { workload: ingest, nameBase: 'ingest' });
    expect(onlyMonitoring.discovered.functions).toEqual(['prod/Ingest/Capture']);
    expect(onlyMonitoring.discovered.skipped).toEqual([]);
  });

  test('works in a plain Stack outside a FintechStage, with the names of the durable default', () => {
    const stack = new Stack(testApp(), 'Plain');
    new dynamodb.Table(stack, 'Entries', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new lambda.Function(stack, 'Worker', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    const observability = new WorkloadObservability(stack, 'Observability');
    expect(observability.discovered.functions).toEqual(['Plain/Worker']);
    expect(observability.discovered.tables).toEqual(['Plain/Entries']);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'service' });
    template.hasResourceProperties('AWS::XRay::SamplingRule', { SamplingRule: Match.objectLike({ RuleName: 'sampling', FixedRate: 0.1 }) });
  });

  test.each(['dev', 'prod'] as const)('passes the rule pack in %s, canaries and central bus included', stageName => {
    const app = testApp();
    const stack = stackIn(app, stageName, CONFIG);
    workload(stack);
    new WorkloadObservability(stack, 'Observability', { publicEndpoints: ENDPOINTS, centralBusArn: CENTRAL_BUS });
    expect(synthReport(app).violations.filter(v => v.severity === 'error')).toEqual([]);
  });

  test('refuses a part it does not know, naming the parts', () => {
    const stack = stackIn(testApp(), 'prod');
    workload(stack);
    expect(() => new WorkloadObservability(stack, 'Observability', { exclude: ['metrics' as ObservabilityPart] }))
      .toThrow('WorkloadObservability at prod/Workload/Observability: exclude has "metrics", which is not a part; ' +
        "use some of 'tracing', 'contributorInsights', 'savedQueries', 'dashboard', 'changeEvents', 'canaries' (ObservabilityPart).");
  });

  test('refuses a scope without observable resources: it must be created after the workload', () => {
    const stack = stackIn(testApp(), 'prod');
    expect(() => new WorkloadObservability(stack, 'Observability'))
      .toThrow('WorkloadObservability at prod/Workload/Observability: prod has no observable resources (Lambda functions, REST APIs, SQS queues, ' +
        "DynamoDB tables, state machines, web services); create WorkloadObservability after the workload's resources, in the same Stack or Stage as they are.");
  });

  test.each([
    ['a name that is not a short name', [{ ...ENDPOINTS[0], name: 'Health Check' }], 'public endpoint name "Health Check" is not a short name; use lowercase letters, digits and hyphens, e.g. "health".'],
    ['two endpoints of one name', [ENDPOINTS[0], { ...ENDPOINTS[1], name: 'health' }], 'two public endpoints are named "health"; give each a name of its own, e.g. "health" and "quote".'],
  ])('refuses %s among the public endpoints', (_case, publicEndpoints, message) => {
    const stack = stackIn(testApp(), 'prod');
    workload(stack);
    expect(() => new WorkloadObservability(stack, 'Observability', { publicEndpoints })).toThrow(`WorkloadObservability at prod/Workload/Observability: ${message}`);
  });
});
