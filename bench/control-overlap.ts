// Benchmark: FintechChecks beside the Control Tower Guard rules of @cdklabs/cdk-validator-cfnguard on the same apps (one
// built from this library's constructs, plain aws-cdk-lib L2 apps and a raw Cfn* app with typical defects). Each
// finding becomes (resource, control): FintechChecks' findings through the Control Tower ids their rules map to
// (src/rules/rule-controls.ts), Guard's through the id its message names. Reports what both raise, what each raises
// alone (by control, with counts), and the time each spends per synth. Asserts nothing.
// Usage: npx ts-node --transpile-only bench/control-overlap.ts (the second step of npx projen bench:rules);
// BENCH_RUNS=1 for one timed synth per app. Writes bench/results/control-overlap.md beside stdout; with --docs also
// docs/controls.md (the measured overlap without times, which test/docs/controls.test.ts keeps in sync).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import {
  App, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, RemovalPolicy, Stack, Tags, Validations,
} from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { DataKey, FintechChecks, FintechFinding, FintechStage, ProtectedRestApi, SecureBucket, SecureQueue, SecureTable, SecureTopic, TracedFunction } from '../src';
import { RULE_CONTROLS } from '../src/rules/rule-controls';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const HANDLER = path.join(__dirname, '..', 'integ', 'handlers', 'echo.ts');
const RESULTS_DIR = path.join(__dirname, 'results');
// Every app is judged as production: the strictest stage, and the one auditors look at.
const STAGE = 'prod';
const TAGS = { Environment: STAGE, Team: 'payments', CostCenter: 'cc-1234', Application: 'ledger' };

/** One benchmark app: its builder adds the app's stacks and returns the FintechChecks pack that judges them. */
interface CorpusApp {
  readonly name: string;
  readonly description: string;
  readonly build: (app: App) => FintechChecks;
}

/** A resource of one template, e.g. `.../prodWorkload.template.json#OrdersBucket`. */
type ResourceKey = string;

/** One Guard finding: a resource and the control it failed. */
interface ControlFinding {
  readonly resource: ResourceKey;
  readonly control: string;
}

/** What one synth of one app produced. */
export interface AppOverlap {
  readonly app: string;
  readonly description: string;
  readonly resources: number;
  /** Open FintechChecks findings (errors and warnings, acknowledged ones left out). */
  readonly fintechFindings: FintechFinding[];
  /** Guard's findings as (resource, control). */
  readonly guardFindings: ControlFinding[];
  /** Guard findings the plugin reports without a resource (its location is the template, not a resource). */
  readonly guardUnlocated: number;
}

function plainApp(outdir: string): App {
  return new App({ outdir, context: { '@aws-cdk/core:failSynthOnValidationErrors': false, 'aws:cdk:bundling-stacks': [] } });
}

function plainStack(app: App, id: string): Stack {
  const stack = new Stack(app, id);
  for (const [key, value] of Object.entries(TAGS)) Tags.of(stack).add(key, value);
  return stack;
}

/** A payments service written with the library: the clean reference. */
function libraryService(app: App): FintechChecks {
  const environment = { name: STAGE, account: '123456789012', region: 'eu-west-1', durable: true };
  const stage = new FintechStage(app, STAGE, {
    config: { application: 'ledger', team: 'payments', costCenter: 'cc-1234', alarmEmail: 'oncall@example.com', environments: [environment] },
    environment,
  });
  const stack = new Stack(stage, 'Payments');
  const key = new DataKey(stack, 'DataKey');
  const receipts = new SecureBucket(stack, 'Receipts', { dataKey: key });
  const ledger = new SecureTable(stack, 'Ledger', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, dataKey: key });
  const events = new SecureTopic(stack, 'PaymentEvents', { dataKey: key });
  const settlements = new SecureQueue(stack, 'Settlements', { dataKey: key });
  events.subscribeQueue(settlements);
  const settle = new TracedFunction(stack, 'Settle', { entry: HANDLER, asynchronousInvocation: false });
  settlements.addConsumer(settle);
  ledger.grantReadWriteData(settle);
  receipts.grantPut(settle);
  const api = new ProtectedRestApi(stack, 'PaymentsApi');
  const accept = new TracedFunction(stack, 'Accept', { entry: HANDLER, asynchronousInvocation: false });
  events.grantPublish(accept);
  api.root.addResource('payments').addMethod('POST', new apigateway.LambdaIntegration(accept));
  return stage.checks;
}

/** The same kind of service in plain aws-cdk-lib, written without the library and with its usual defects. */
function plainL2Defects(app: App): FintechChecks {
  const stack = plainStack(app, 'PaymentsL2');
  const bucket = new s3.Bucket(stack, 'Receipts', { removalPolicy: RemovalPolicy.RETAIN });
  const table = new dynamodb.Table(stack, 'Ledger', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
  const topic = new sns.Topic(stack, 'PaymentEvents');
  const queue = new sqs.Queue(stack, 'Settlements', { removalPolicy: RemovalPolicy.RETAIN });
  const key = new kms.Key(stack, 'ExportKey', { enableKeyRotation: false });
  const fn = new lambda.Function(stack, 'Settle', {
    runtime: lambda.Runtime.NODEJS_16_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
  });
  fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: ['*'] }));
  bucket.grantRead(fn);
  table.grantReadWriteData(fn);
  topic.grantPublish(fn);
  queue.grantConsumeMessages(fn);
  key.grantDecrypt(fn);
  const api = new apigateway.RestApi(stack, 'PaymentsApi');
  api.root.addResource('payments').addMethod('POST', new apigateway.LambdaIntegration(fn));
  new cloudwatch.Alarm(stack, 'SettleErrors', { metric: fn.metricErrors(), threshold: 5, evaluationPeriods: 1 });
  new logs.LogGroup(stack, 'AuditLog', { retention: logs.RetentionDays.INFINITE, removalPolicy: RemovalPolicy.RETAIN });
  return new FintechChecks(app, { stage: STAGE });
}

/** A network-facing plain aws-cdk-lib app: VPC, database, load balancer, container service. */
function plainL2Network(app: App): FintechChecks {
  const stack = plainStack(app, 'CardNetwork');
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const admin = new ec2.SecurityGroup(stack, 'Admin', { vpc });
  admin.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22), 'ssh from anywhere');
  new rds.DatabaseInstance(stack, 'Cards', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
    publiclyAccessible: true,
    removalPolicy: RemovalPolicy.SNAPSHOT,
  });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const task = new ecs.FargateTaskDefinition(stack, 'Task');
  task.addContainer('web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'), portMappings: [{ containerPort: 80 }] });
  const service = new ecs.FargateService(stack, 'Service', { cluster, taskDefinition: task });
  const alb = new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true });
  alb.addListener('Http', { port: 80 }).addTargets('Web', { port: 80, targets: [service] });
  return new FintechChecks(app, { stage: STAGE });
}

/** Raw CloudFormation (Cfn*) resources, as teams port them from templates, with one defect each. */
function rawCfnDefects(app: App): FintechChecks {
  const stack = plainStack(app, 'RawPayments');
  const bucket = new s3.CfnBucket(stack, 'Statements', {});
  new s3.CfnBucketPolicy(stack, 'StatementsPolicy', {
    bucket: bucket.ref,
    policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `${bucket.attrArn}/*` }] },
  });
  new sqs.CfnQueue(stack, 'Refunds', { sqsManagedSseEnabled: false });
  new sns.CfnTopic(stack, 'Disputes', {});
  new dynamodb.CfnTable(stack, 'Chargebacks', {
    keySchema: [{ attributeName: 'pk', keyType: 'HASH' }],
    attributeDefinitions: [{ attributeName: 'pk', attributeType: 'S' }],
    billingMode: 'PAY_PER_REQUEST',
  });
  new kms.CfnKey(stack, 'TokenKey', { keyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${stack.account}:root` }, Action: 'kms:*', Resource: '*' }] } });
  const role = new iam.CfnRole(stack, 'BatchRole', { assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] } });
  new iam.CfnPolicy(stack, 'BatchPolicy', {
    policyName: 'batch',
    roles: [role.ref],
    policyDocument: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
  });
  const fn = new lambda.CfnFunction(stack, 'Batch', {
    role: role.attrArn,
    runtime: 'python3.8',
    handler: 'index.handler',
    code: { zipFile: 'def handler(event, context):\n    return {}' },
  });
  new lambda.CfnPermission(stack, 'BatchInvoke', { action: 'lambda:InvokeFunction', functionName: fn.ref, principal: '*' });
  new logs.CfnLogGroup(stack, 'BatchLogs', {});
  new cloudwatch.CfnAlarm(stack, 'BatchErrors', {
    metricName: 'Errors',
    namespace: 'AWS/Lambda',
    dimensions: [{ name: 'FunctionName', value: fn.ref }],
    statistic: 'Sum',
    period: 60,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
  });
  new sfn.CfnStateMachine(stack, 'Reconcile', {
    roleArn: role.attrArn,
    definitionString: JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } }),
  });
  const vpc = new ec2.CfnVPC(stack, 'Vpc', { cidrBlock: '10.0.0.0/16' });
  new ec2.CfnSecurityGroup(stack, 'Bastion', {
    groupDescription: 'bastion',
    vpcId: vpc.ref,
    securityGroupIngress: [{ ipProtocol: 'tcp', fromPort: 3389, toPort: 3389, cidrIp: '0.0.0.0/0' }],
  });
  new wafv2.CfnWebACL(stack, 'EmptyAcl', { scope: 'REGIONAL', defaultAction: { allow: {} }, visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'acl', sampledRequestsEnabled: true } });
  new ecs.CfnCluster(stack, 'Workers', {});
  const api = new apigateway.CfnRestApi(stack, 'LegacyApi', { name: 'legacy' });
  const method = new apigateway.CfnMethod(stack, 'LegacyGet', { restApiId: api.ref, resourceId: api.attrRootResourceId, httpMethod: 'GET', authorizationType: 'NONE', integration: { type: 'MOCK' } });
  const deployment = new apigateway.CfnDeployment(stack, 'LegacyDeployment', { restApiId: api.ref });
  deployment.addDependency(method);
  new apigateway.CfnStage(stack, 'LegacyStage', { restApiId: api.ref, deploymentId: deployment.ref, stageName: 'prod' });
  return new FintechChecks(app, { stage: STAGE });
}

export const CORPUS: readonly CorpusApp[] = [
  { name: 'library-clean', description: 'payments service from SecureBucket, SecureTable, SecureTopic, SecureQueue, TracedFunction, ProtectedRestApi in a FintechStage', build: libraryService },
  { name: 'plain-l2-defects', description: 'the same service in plain aws-cdk-lib L2s with their defaults', build: plainL2Defects },
  { name: 'plain-l2-network', description: 'VPC, public database, SSH open to the world, HTTP load balancer, Fargate service', build: plainL2Network },
  { name: 'raw-cfn-defects', description: 'raw Cfn* resources ported from templates, one defect each', build: rawCfnDefects },
];

/** Wraps a plugin to time its validate() and keep its report. */
class TimedPlugin implements IPolicyValidationPlugin {
  public readonly name: string;
  public readonly version?: string;
  public ms = 0;
  public report?: PolicyValidationPluginReport;
  constructor(private readonly inner: IPolicyValidationPlugin) {
    this.name = inner.name;
    this.version = inner.version;
  }
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const start = process.hrtime.bigint();
    try {
      this.report = this.inner.validate(context);
      return this.report;
    } finally {
      this.ms = Number(process.hrtime.bigint() - start) / 1e6;
    }
  }
}

/** One synth of one app with both packs registered; CDK's printed report is silenced so it does not skew the times. */
export function synthOnce(corpusApp: CorpusApp): { overlap: AppOverlap; synthMs: number; fintechMs: number; guardMs: number } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'control-overlap-'));
  try {
    return synthIn(outdir, corpusApp);
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

function synthIn(outdir: string, corpusApp: CorpusApp): { overlap: AppOverlap; synthMs: number; fintechMs: number; guardMs: number } {
  const app = plainApp(outdir);
  const checks = corpusApp.build(app);
  // FintechStage registers its own pack; time it in place. A pack made here is registered on the app like cdk-nag's.
  let fintechMs = 0;
  const validate = checks.validate.bind(checks);
  checks.validate = (context: IPolicyValidationContext) => {
    const start = process.hrtime.bigint();
    try {
      return validate(context);
    } finally {
      fintechMs = Number(process.hrtime.bigint() - start) / 1e6;
    }
  };
  if (!app.node.findAll().some(c => c instanceof FintechStage)) Validations.of(app).addPlugins(checks);
  const guard = new TimedPlugin(new CfnGuardValidator({}) as unknown as IPolicyValidationPlugin);
  Validations.of(app).addPlugins(guard);

  const log = console.log;
  const error = console.error;
  console.log = () => undefined;
  console.error = () => undefined;
  const start = process.hrtime.bigint();
  let assembly;
  try {
    assembly = app.synth();
  } finally {
    console.log = log;
    console.error = error;
  }
  const synthMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (!guard.report) throw new Error(`bench/control-overlap: ${corpusApp.name}: CfnGuardValidator did not run; is it registered on the app?`);
  if (guard.report.metadata?.error) throw new Error(`bench/control-overlap: ${corpusApp.name}: ${guard.report.metadata.error}`);

  const templates = assembly.stacksRecursively.map(s => s.templateFullPath);
  const resources = templates.reduce((sum, file) => sum + Object.keys(readTemplate(file).Resources ?? {}).length, 0);
  const owners = new ResourceOwners(templates);
  const fintechFindings = checks.findings
    .filter(f => f.acknowledgedReason === undefined)
    .map(f => ({ ...f, logicalId: owners.ownerOf(f.templatePath, f.logicalId) }));
  const located = guard.report.violations.flatMap(v => v.violatingResources.map(r => ({ control: controlOf(v.description, v.ruleName), ...r })));
  const guardFindings = located.flatMap(r => (r.templatePath && r.resourceLogicalId
    ? [{ resource: owners.key(r.templatePath, owners.ownerOf(r.templatePath, r.resourceLogicalId)), control: r.control }]
    : []));
  const guardUnlocated = located.length - guardFindings.length;
  return {
    overlap: {
      app: corpusApp.name, description: corpusApp.description, resources, fintechFindings, guardFindings: dedupe(guardFindings), guardUnlocated,
    },
    synthMs,
    fintechMs,
    guardMs: guard.ms,
  };
}

/** Guard names its control in the message, `[CT.S3.PR.1]: Require ...`; a custom rule without one is known by its name. */
function controlOf(description: string | undefined, ruleName: string): string {
  return /\[(CT\.[A-Z0-9-]+\.PR\.\d+)\]/.exec(description ?? '')?.[1] ?? ruleName;
}

function readTemplate(file: string): { Resources?: { [id: string]: { Type: string; Properties?: any } } } {
  return JSON.parse(fs.readFileSync(file, 'utf-8'));
}

/**
 * A policy resource is judged as part of what it protects: Control Tower's CT.S3.PR.8 fails the AWS::S3::BucketPolicy,
 * FintechChecks' BucketTlsOnly the bucket. Both become the bucket (queue, topic) the policy names by Ref.
 */
class ResourceOwners {
  private readonly owner = new Map<string, string>();
  constructor(templates: readonly string[]) {
    for (const file of templates) {
      for (const [id, resource] of Object.entries(readTemplate(file).Resources ?? {})) {
        const ref = policyTarget(resource.Type, resource.Properties);
        if (ref) this.owner.set(this.key(file, id), ref);
      }
    }
  }
  public key(templatePath: string, logicalId: string): ResourceKey {
    return `${path.resolve(templatePath)}#${logicalId}`;
  }
  public ownerOf(templatePath: string, logicalId: string): string {
    return this.owner.get(this.key(templatePath, logicalId)) ?? logicalId;
  }
}

function policyTarget(type: string, properties: any): string | undefined {
  const target = type === 'AWS::S3::BucketPolicy' ? properties?.Bucket
    : type === 'AWS::SQS::QueuePolicy' ? properties?.Queues?.[0]
      : type === 'AWS::SNS::TopicPolicy' ? properties?.Topics?.[0] : undefined;
  return typeof target?.Ref === 'string' ? target.Ref : undefined;
}

function dedupe(findings: readonly ControlFinding[]): ControlFinding[] {
  const seen = new Map(findings.map(f => [`${f.resource} ${f.control}`, f]));
  return [...seen.values()];
}

const GUARD_METADATA = path.join(path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'metadata');

/** Resource types each bundled Control Tower control evaluates, from its metadata file. */
function evaluatedTypes(): Map<string, string[]> {
  const types = new Map<string, string[]>();
  for (const entry of fs.readdirSync(GUARD_METADATA, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.json')) continue;
    const metadata = JSON.parse(fs.readFileSync(path.join(entry.parentPath, entry.name), 'utf-8'));
    types.set(metadata.Id, metadata.EvaluatedResourceTypes ?? []);
  }
  return types;
}
const EVALUATED_TYPES = evaluatedTypes();

// A control that judges a resource's policy (CT.S3.PR.8 judges AWS::S3::BucketPolicy) applies to findings on the resource.
const POLICY_OF: { readonly [type: string]: string } = {
  'AWS::S3::Bucket': 'AWS::S3::BucketPolicy',
  'AWS::SQS::Queue': 'AWS::SQS::QueuePolicy',
  'AWS::SNS::Topic': 'AWS::SNS::TopicPolicy',
};

/**
 * The Control Tower controls of a finding: those its rule maps to that evaluate the finding's resource type (a rule
 * that maps to CT.SQS.PR.2 and CT.DYNAMODB.PR.2 answers for the queue control on queues only).
 */
export function controlsOfFinding(finding: FintechFinding): string[] {
  const type = finding.resourceType;
  return (RULE_CONTROLS[finding.ruleId]?.controlTower ?? []).filter(control => {
    const evaluated = EVALUATED_TYPES.get(control) ?? [];
    return type !== undefined && (evaluated.includes(type) || (POLICY_OF[type] !== undefined && evaluated.includes(POLICY_OF[type])));
  });
}

/** Counts of one Control Tower control over the apps compared. */
export interface ControlCounts {
  /** Guard findings of the control on a resource where FintechChecks raised a finding its rule maps to the control. */
  both: number;
  /** FintechChecks findings mapped to the control (among others) where Guard raised none of their controls. */
  fintechOnly: number;
  /** Guard findings of the control FintechChecks did not raise. */
  guardOnly: number;
}

/** The comparison over a set of apps, counted in findings. */
export interface OverlapSummary {
  readonly fintechFindings: number;
  /** FintechChecks findings Guard also raised (one of their controls, same resource). */
  readonly fintechAlsoGuard: number;
  /** FintechChecks findings whose rule maps to a control for the resource's type, but Guard passed the resource. */
  readonly fintechGuardPassed: number;
  /** FintechChecks findings of rules no Control Tower control matches for the resource's type, by rule. */
  readonly withoutControl: Map<string, number>;
  readonly guardFindings: number;
  /** Guard findings that a FintechChecks finding on the same resource answers. */
  readonly guardAlsoFintech: number;
  readonly byControl: Map<string, ControlCounts>;
}

function resourceOf(finding: FintechFinding): ResourceKey {
  return `${path.resolve(finding.templatePath)}#${finding.logicalId}`;
}

export function compare(apps: readonly AppOverlap[]): OverlapSummary {
  const byControl = new Map<string, ControlCounts>();
  const withoutControl = new Map<string, number>();
  const counts = (control: string) => byControl.get(control) ?? byControl.set(control, { both: 0, fintechOnly: 0, guardOnly: 0 }).get(control)!;
  let fintechAlsoGuard = 0;
  let fintechGuardPassed = 0;
  let guardAlsoFintech = 0;
  for (const app of apps) {
    const guard = new Set(app.guardFindings.map(g => `${g.resource} ${g.control}`));
    const answered = new Set<string>();
    for (const f of app.fintechFindings) {
      const controls = controlsOfFinding(f);
      if (controls.length === 0) {
        withoutControl.set(f.ruleId, (withoutControl.get(f.ruleId) ?? 0) + 1);
        continue;
      }
      const keys = controls.map(control => `${resourceOf(f)} ${control}`);
      keys.forEach(key => answered.add(key));
      if (keys.some(key => guard.has(key))) {
        fintechAlsoGuard++;
      } else {
        fintechGuardPassed++;
        controls.forEach(control => counts(control).fintechOnly++);
      }
    }
    for (const g of app.guardFindings) {
      if (answered.has(`${g.resource} ${g.control}`)) {
        guardAlsoFintech++;
        counts(g.control).both++;
      } else {
        counts(g.control).guardOnly++;
      }
    }
  }
  return {
    fintechFindings: apps.reduce((sum, a) => sum + a.fintechFindings.length, 0),
    fintechAlsoGuard,
    fintechGuardPassed,
    withoutControl,
    guardFindings: apps.reduce((sum, a) => sum + a.guardFindings.length, 0),
    guardAlsoFintech,
    byControl,
  };
}

/** Controls some FintechChecks rule maps to. */
function mappedControls(): Set<string> {
  return new Set(Object.values(RULE_CONTROLS).flatMap(c => c.controlTower));
}

function sumOf(values: Iterable<number>): number {
  return [...values].reduce((a, b) => a + b, 0);
}

/** The overlap as Markdown tables (counts only: they do not change from run to run). */
export function renderOverlap(apps: readonly AppOverlap[]): string {
  const lines: string[] = [];
  lines.push('| App | Resources | FintechChecks findings | Guard raises too | Guard passes the resource | No CT counterpart | Guard findings | FintechChecks raises too | Guard only |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  const row = (name: string, resources: number, s: OverlapSummary) => `| ${name} | ${resources} | ${s.fintechFindings} | ${s.fintechAlsoGuard} | ` +
    `${s.fintechGuardPassed} | ${sumOf(s.withoutControl.values())} | ${s.guardFindings} | ${s.guardAlsoFintech} | ${s.guardFindings - s.guardAlsoFintech} |`;
  for (const app of apps) lines.push(row(app.app, app.resources, compare([app])));
  const all = compare(apps);
  lines.push(row('**all**', sumOf(apps.map(a => a.resources)), all));
  lines.push('');
  lines.push('FintechChecks findings (open errors and warnings) are split three ways: Guard raised one of the Control Tower controls');
  lines.push('the rule maps to on the same resource; the rule maps to a control for that resource type but Guard passed it; or no');
  lines.push('Control Tower control checks what the rule checks. Guard findings are (resource, control) pairs; a policy resource counts');
  lines.push('as the bucket, queue or topic it protects.');
  const unlocated = sumOf(apps.map(a => a.guardUnlocated));
  if (unlocated > 0) lines.push(`Guard also reported ${unlocated} finding${unlocated === 1 ? '' : 's'} the plugin located at no resource; they are left out.`);
  lines.push('');

  const mapped = mappedControls();
  const controls = [...all.byControl.entries()].sort(([a], [b]) => a.localeCompare(b, undefined, { numeric: true }));
  lines.push('By Control Tower control (all apps; a FintechChecks finding Guard passed counts under each control its rule maps to there):', '');
  lines.push('| Control | Both raise | FintechChecks only | Guard only | A FintechChecks rule maps to it |');
  lines.push('|---|---:|---:|---:|---|');
  for (const [control, c] of controls) lines.push(`| ${control} | ${c.both} | ${c.fintechOnly} | ${c.guardOnly} | ${mapped.has(control) ? 'yes' : 'no'} |`);
  lines.push('');
  lines.push('FintechChecks findings no Control Tower control checks (all apps):', '');
  lines.push('| Rule | Findings | PCI DSS v4.0 |');
  lines.push('|---|---:|---|');
  for (const [rule, n] of [...all.withoutControl.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`| \`${rule}\` | ${n} | ${(RULE_CONTROLS[rule]?.pciDss ?? []).join(', ')} |`);
  }
  lines.push('');
  return lines.join('\n');
}

/** One synth of every app of the corpus, for the comparison alone (docs/controls.md and its test). */
export function measureOverlap(): AppOverlap[] {
  return CORPUS.map(corpusApp => synthOnce(corpusApp).overlap);
}

/**
 * Why one plugin raises a control FintechChecks maps to where the other stays silent: each is a deliberate or known
 * difference, shown under the measured figures when the control appears among them.
 */
const DIFFERENCES: { readonly [control: string]: { readonly guardOnly?: string; readonly fintechOnly?: string } } = {
  'CT.LAMBDA.PR.2': {
    guardOnly: 'Guard fails every Lambda permission whose SourceArn is built with Fn::Join, which is how CDK writes the ' +
      'permissions of API Gateway integrations, though they are restricted to one API, method and path.',
  },
  'CT.SQS.PR.1': { guardOnly: 'Guard asks a dead-letter queue for a dead-letter queue of its own; FintechChecks does not, since the chain must end somewhere.' },
  'CT.S3.PR.8': { fintechOnly: 'Guard judges bucket policies only, so a bucket without any policy passes it; FintechChecks raises the bucket.' },
};

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/** docs/controls.md: how the two packs relate, with the measured overlap on the benchmark's apps. */
export function renderControlsPage(apps: readonly AppOverlap[]): string {
  const all = compare(apps);
  const mapped = mappedControls();
  const guardOnly = [...all.byControl.entries()].filter(([, c]) => c.guardOnly > 0).map(([control]) => control)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const guardOnlyMapped = guardOnly.filter(control => mapped.has(control));
  const fintechOnly = [...all.byControl.entries()].filter(([, c]) => c.fintechOnly > 0).map(([control]) => control)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  const guardOnlyUnmapped = guardOnly.filter(control => !mapped.has(control));
  const clean = apps.find(app => app.app === 'library-clean');
  return [
    '<!-- Written by `npx ts-node --transpile-only bench/control-overlap.ts --docs` from the benchmark\'s apps; test/docs/controls.test.ts keeps it in sync. -->',
    '# Controls: FintechChecks beside the Control Tower Guard rules',
    '',
    'Every FintechChecks rule names the AWS Control Tower proactive controls and PCI DSS v4.0 requirements it helps meet',
    '([docs/rules.md](rules.md#controls-and-overlap-with-control-tower-guard-rules)). `@cdklabs/cdk-validator-cfnguard`',
    'runs the Control Tower proactive controls themselves (CloudFormation Guard rules, `CT.*.PR.*`) at synth. Both are CDK',
    'validation plugins and can run in one app:',
    '',
    '```ts',
    'Validations.of(app).addPlugins(new CfnGuardValidator({ disabledRules: [/* e.g. \'ct-s3-pr-9\' */] }));',
    '// a FintechStage registers FintechChecks itself; elsewhere: Validations.of(app).addPlugins(new FintechChecks(app));',
    '```',
    '',
    '## Measured overlap',
    '',
    'The control-overlap benchmark (`npx projen bench:rules`, second step) synthesizes these apps, each judged as stage `prod`,',
    'with both plugins registered, and maps every finding to (resource, control):',
    '',
    ...CORPUS.map(app => `- \`${app.name}\`: ${app.description}.`),
    '',
    renderOverlap(apps),
    '## Reading the figures',
    '',
    `- On the app built from this library's constructs FintechChecks raises ${plural(clean?.fintechFindings.length ?? 0, 'finding')} and Guard ` +
      `${plural(clean?.guardFindings.length ?? 0, 'finding')}: Guard's controls also demand what the failure catalog leaves to each team (below).`,
    `- Guard-only controls no FintechChecks rule maps to: ${guardOnlyUnmapped.join(', ') || 'none'}. Enable them with the Guard plugin if your`,
    '  controls require them; disable the ones you do not need with `disabledRules`.',
    ...guardOnlyMapped.map(control => `- ${control} is mapped, yet Guard raised it alone: ${DIFFERENCES[control]?.guardOnly ?? 'not explained yet.'}`),
    ...fintechOnly.map(control => `- ${control}: FintechChecks raised it where Guard passed: ${DIFFERENCES[control]?.fintechOnly ?? 'not explained yet.'}`),
    `- FintechChecks findings no Control Tower control checks (${sumOf(all.withoutControl.values())} here) are the failure catalog's own ` +
      'classes: TLS-only queue and topic policies, web ACLs on API stages, deprecated runtimes, alarm hygiene, dead-letter queues',
    '  beyond SQS, retention and removal by stage, names; the table above lists the PCI DSS requirements they serve.',
    '',
    'Time per synth is printed by the benchmark and not kept here, since it depends on the machine.',
    '',
  ].join('\n');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main(): void {
  const guardVersion = JSON.parse(fs.readFileSync(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json'), 'utf-8')).version;
  const header = `bench/control-overlap: FintechChecks beside cdk-validator-cfnguard ${guardVersion} (Control Tower Guard rules), ` +
    `${CORPUS.length} apps judged as stage "${STAGE}", median of ${RUNS} synths per app`;
  const overlaps: AppOverlap[] = [];
  const timeLines = ['| App | Synth (both packs) ms | FintechChecks ms | Guard ms |', '|---|---:|---:|---:|'];
  for (const corpusApp of CORPUS) {
    const runs = Array.from({ length: RUNS }, () => synthOnce(corpusApp));
    overlaps.push(runs[0].overlap);
    const ms = (pick: (run: typeof runs[number]) => number) => median(runs.map(pick)).toFixed(0);
    timeLines.push(`| ${corpusApp.name} | ${ms(r => r.synthMs)} | ${ms(r => r.fintechMs)} | ${ms(r => r.guardMs)} |`);
  }
  const text = [
    `# ${header}`,
    '',
    renderOverlap(overlaps),
    'Time per synth, inside each pack (Guard spawns its bundled cfn-guard binary once per synth) and for the whole synth:',
    '',
    ...timeLines,
    '',
  ].join('\n');
  console.log(text);
  fs.mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, 'control-overlap.md');
  fs.writeFileSync(file, text);
  console.log(`Written to ${path.relative(process.cwd(), file)}`);
  if (process.argv.includes('--docs')) {
    const docs = path.join(__dirname, '..', 'docs', 'controls.md');
    fs.writeFileSync(docs, renderControlsPage(overlaps));
    console.log(`Written to ${path.relative(process.cwd(), docs)}`);
  }
}

if (require.main === module) main();
