// Benchmark: synth time of a synthetic app of about 1,000 and 2,000 resources (mixed services) with no rule pack,
// with cdk-nag 3's AwsSolutionsChecks and with FintechChecks, measured in the same run. Prints figures and ratios;
// asserts nothing. Goals (issue 5): FintechChecks' overhead <= half of AwsSolutions' overhead; 2,000 resources cost
// at most 2.2x 1,000. Usage: npx projen bench:rules
import { App, Duration, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FintechChecks } from '../src';

type Pack = 'none' | 'AwsSolutionsChecks' | 'FintechChecks';
const PACKS: Pack[] = ['none', 'AwsSolutionsChecks', 'FintechChecks'];
// BENCH_SIZES=200,400 BENCH_RUNS=1 gives a quick smoke run.
const SIZES = (process.env.BENCH_SIZES ?? '1000,2000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// CloudFormation allows 500 resources per stack; stay well below it.
const RESOURCES_PER_STACK = 200;

/** One "service unit": bucket + policy, queue + DLQ, table, topic + subscription, function + role + policy + mapping, a role. About 13 resources. */
function addUnit(stack: Stack, i: number): void {
  const bucket = new s3.Bucket(stack, `Bucket${i}`, { enforceSSL: true, removalPolicy: RemovalPolicy.DESTROY });
  const dlq = new sqs.Queue(stack, `Dlq${i}`, { encryption: sqs.QueueEncryption.SQS_MANAGED });
  const queue = new sqs.Queue(stack, `Queue${i}`, { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 }, visibilityTimeout: Duration.seconds(60) });
  const table = new dynamodb.Table(stack, `Table${i}`, { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, removalPolicy: RemovalPolicy.DESTROY });
  const topic = new sns.Topic(stack, `Topic${i}`);
  new sns.Subscription(stack, `Sub${i}`, { topic, endpoint: queue.queueArn, protocol: sns.SubscriptionProtocol.SQS });
  const fn = new lambda.Function(stack, `Fn${i}`, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    tracing: lambda.Tracing.ACTIVE,
    timeout: Duration.seconds(10),
  });
  fn.addEventSourceMapping(`Source${i}`, { eventSourceArn: queue.queueArn, reportBatchItemFailures: true });
  queue.grantConsumeMessages(fn);
  table.grantReadWriteData(fn);
  bucket.grantRead(fn);
  new iam.Role(stack, `Role${i}`, { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
}

function buildApp(targetResources: number, pack: Pack): { app: App; countResources: () => number } {
  const app = new App({ context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  // Tagged like every FintechStage tags its resources: an untagged app would measure CDK printing one C01 finding per resource.
  for (const [key, value] of Object.entries({ Environment: 'bench', Team: 'platform', CostCenter: 'cc-0000', Application: 'bench' })) Tags.of(app).add(key, value);
  const unitsPerStack = Math.floor(RESOURCES_PER_STACK / 13);
  const units = Math.ceil(targetResources / 13);
  const stacks: Stack[] = [];
  for (let i = 0; i < units; i++) {
    if (i % unitsPerStack === 0) stacks.push(new Stack(app, `Service${stacks.length}`, { env: { account: '123456789012', region: 'eu-west-1' } }));
    addUnit(stacks[stacks.length - 1], i);
  }
  const plugin: IPolicyValidationPlugin | undefined = pack === 'AwsSolutionsChecks' ? new NagPackOnApp(new AwsSolutionsChecks(app), app)
    : pack === 'FintechChecks' ? new CountingPlugin(new FintechChecks(app)) : undefined;
  if (plugin) Validations.of(app).addPlugins(plugin);
  return {
    app,
    countResources: () => {
      const assembly = app.synth();
      return stacks.reduce((sum, stack) => sum + Object.keys(assembly.getStackByName(stack.stackName).template.Resources ?? {}).length, 0);
    },
  };
}

// Violations each pack reported in the last synth, to show both packs really ran, and the time spent inside the pack itself
// (the rest of a pack's synth overhead is CDK turning its violations into the validation report).
const lastViolations = new Map<Pack, number>();
const lastPluginMs = new Map<Pack, number>();

function timed<T>(pack: Pack, run: () => T): T {
  const start = process.hrtime.bigint();
  const result = run();
  lastPluginMs.set(pack, Number(process.hrtime.bigint() - start) / 1e6);
  return result;
}

/**
 * cdk-nag 3's NagPack.validate needs `appConstruct` on the validation context, which aws-cdk-lib 2.257 does not provide
 * (it throws and CDK reports the plugin as failed); cdk-nag's documented entry point for such versions is `validateScope`.
 */
class NagPackOnApp implements IPolicyValidationPlugin {
  public readonly name = 'AwsSolutionsChecks';
  constructor(private readonly pack: AwsSolutionsChecks, private readonly app: App) {}
  public validate(_context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = timed('AwsSolutionsChecks', () => this.pack.validateScope(this.app));
    lastViolations.set('AwsSolutionsChecks', report.violations.length);
    return report;
  }
}

/** FintechChecks as registered by FintechStage, counting what it reports. */
class CountingPlugin implements IPolicyValidationPlugin {
  public readonly name = 'FintechChecks';
  constructor(private readonly checks: FintechChecks) {}
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const report = timed('FintechChecks', () => this.checks.validate(context));
    lastViolations.set('FintechChecks', report.violations.length);
    return report;
  }
}

/** Synth wall time in ms; the validation report CDK prints is silenced so terminal output does not skew the figures. */
function timeSynth(targetResources: number, pack: Pack): number {
  const { app } = buildApp(targetResources, pack);
  const log = console.log;
  const error = console.error;
  console.log = () => undefined;
  console.error = () => undefined;
  const start = process.hrtime.bigint();
  try {
    app.synth();
  } finally {
    console.log = log;
    console.error = error;
  }
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function main(): void {
  console.log(`bench/rules: synth of a synthetic app, median of ${RUNS} runs per cell (interleaved), same process`);
  timeSynth(200, 'FintechChecks'); // warm the module cache and JIT once for all packs
  const results = new Map<string, number>();
  for (const size of SIZES) {
    const { countResources } = buildApp(size, 'none');
    const actual = countResources();
    const samples = new Map<Pack, number[]>(PACKS.map(p => [p, []]));
    const inside = new Map<Pack, number[]>(PACKS.map(p => [p, []]));
    for (let run = 0; run < RUNS; run++) {
      for (const pack of PACKS) {
        samples.get(pack)!.push(timeSynth(size, pack));
        if (pack !== 'none') inside.get(pack)!.push(lastPluginMs.get(pack) ?? 0);
      }
    }
    console.log(`\n${actual} resources:`);
    for (const pack of PACKS) {
      const ms = median(samples.get(pack)!);
      results.set(`${size}:${pack}`, ms);
      if (pack !== 'none') results.set(`${size}:${pack}:inside`, median(inside.get(pack)!));
      const found = pack === 'none' ? '' : `   (${median(inside.get(pack)!).toFixed(0)} ms inside the pack, ${lastViolations.get(pack) ?? 0} violations reported)`;
      console.log(`  ${pack.padEnd(20)} ${ms.toFixed(0).padStart(7)} ms${found}`);
    }
    const none = results.get(`${size}:none`)!;
    const nag = results.get(`${size}:AwsSolutionsChecks`)! - none;
    const fintech = results.get(`${size}:FintechChecks`)! - none;
    console.log(`  overhead: AwsSolutionsChecks ${nag.toFixed(0)} ms, FintechChecks ${fintech.toFixed(0)} ms; ratio ${(fintech / nag).toFixed(2)} (goal <= 0.50)`);
  }
  const small = results.get(`${SIZES[0]}:FintechChecks`)! - results.get(`${SIZES[0]}:none`)!;
  const large = results.get(`${SIZES[1]}:FintechChecks`)! - results.get(`${SIZES[1]}:none`)!;
  console.log(`\nFintechChecks overhead growth ${SIZES[0]} -> ${SIZES[1]} resources: ${(large / small).toFixed(2)}x (goal <= 2.20x)`);
  const insideSmall = results.get(`${SIZES[0]}:FintechChecks:inside`)!;
  const insideLarge = results.get(`${SIZES[1]}:FintechChecks:inside`)!;
  console.log(`FintechChecks time inside the pack (index + rules + report), growth: ${(insideLarge / insideSmall).toFixed(2)}x`);
}

main();
