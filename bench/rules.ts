// Benchmark: FintechChecks' added synth time against cdk-nag 3's AwsSolutionsChecks', measured in the same run:
// (1) a corpus of small apps (10 to 60 resources, L2s and raw Cfn*, one synth each, like unit tests) and (2) synthetic
// apps of 1,000 to 3,200 resources. Each cell is synthesized with no pack, with AwsSolutionsChecks and with FintechChecks;
// the figure is the median of BENCH_RUNS rounds (interleaved). Prints figures and ratios; asserts nothing.
// Goals (issue 15): FintechChecks adds at most 0.5x what AwsSolutions adds, on small apps and on apps of thousands of
// resources; its added time grows at most 2.1x from 1,600 to 3,200 resources. Usage: npx projen bench:rules
import * as os from 'os';
import * as v8 from 'v8';
import * as vm from 'vm';
import { App, CfnParameter, Duration, IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { AwsSolutionsChecks } from 'cdk-nag';
import { FintechChecks } from '../src';

type Pack = 'none' | 'AwsSolutionsChecks' | 'FintechChecks';
const PACKS: Pack[] = ['none', 'AwsSolutionsChecks', 'FintechChecks'];
// BENCH_SIZES=200,400 BENCH_SMALL_APPS=6 BENCH_RUNS=1 gives a quick smoke run; the last two sizes give the growth figure.
const SIZES = (process.env.BENCH_SIZES ?? '1000,2000,1600,3200').split(',').map(Number);
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3));
const SMALL_APPS = Number(process.env.BENCH_SMALL_APPS ?? 30);
// CloudFormation allows 500 resources per stack; stay well below it.
const RESOURCES_PER_STACK = 200;
const UNIT_RESOURCES = 16;

/**
 * One "service unit" written the way teams that run the pack in CI write it (so the figures measure the packs, not CDK
 * printing thousands of findings): bucket + policy, queue + DLQ + policies, table, topic + policy + subscription,
 * function + role + policy + log group + mapping, a role; the stack's one customer key encrypts the stores. About 16 resources.
 */
function addUnit(stack: Stack, i: number, key: kms.IKey): void {
  const bucket = new s3.Bucket(stack, `Bucket${i}`, { enforceSSL: true, encryptionKey: key, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL, removalPolicy: RemovalPolicy.RETAIN });
  const dlq = new sqs.Queue(stack, `Dlq${i}`, { encryptionMasterKey: key, enforceSSL: true, retentionPeriod: Duration.days(14), removalPolicy: RemovalPolicy.RETAIN });
  const queue = new sqs.Queue(stack, `Queue${i}`, { encryptionMasterKey: key, enforceSSL: true, deadLetterQueue: { queue: dlq, maxReceiveCount: 3 }, visibilityTimeout: Duration.seconds(60), removalPolicy: RemovalPolicy.RETAIN });
  const table = new dynamodb.Table(stack, `Table${i}`, {
    partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const topic = new sns.Topic(stack, `Topic${i}`, { masterKey: key, enforceSSL: true });
  new sns.Subscription(stack, `Sub${i}`, { topic, endpoint: queue.queueArn, protocol: sns.SubscriptionProtocol.SQS });
  const fn = new lambda.Function(stack, `Fn${i}`, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    tracing: lambda.Tracing.ACTIVE,
    timeout: Duration.seconds(10),
    memorySize: 512,
    logGroup: new logs.LogGroup(stack, `Fn${i}Logs`, { encryptionKey: key, retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN }),
  });
  fn.addEventSourceMapping(`Source${i}`, { eventSourceArn: queue.queueArn, reportBatchItemFailures: true });
  queue.grantConsumeMessages(fn);
  table.grantReadWriteData(fn);
  bucket.grantRead(fn);
  new iam.Role(stack, `Role${i}`, { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
}

const ENV = { account: '123456789012', region: 'eu-west-1' };

function newApp(): App {
  const app = new App({ context: { '@aws-cdk/core:failSynthOnValidationErrors': false } });
  // Tagged like every FintechStage tags its resources: an untagged app would measure CDK printing one C01 finding per resource.
  for (const [key, value] of Object.entries({ Environment: 'bench', Team: 'platform', CostCenter: 'cc-0000', Application: 'bench' })) Tags.of(app).add(key, value);
  return app;
}

function addPack(app: App, pack: Pack): App {
  const plugin: IPolicyValidationPlugin | undefined = pack === 'AwsSolutionsChecks' ? new NagPackOnApp(new AwsSolutionsChecks(app), app)
    : pack === 'FintechChecks' ? new CountingPlugin(new FintechChecks(app, { durableStages: [''] })) : undefined;
  if (plugin) Validations.of(app).addPlugins(plugin);
  return app;
}

export function buildLargeApp(targetResources: number): App {
  const app = newApp();
  const unitsPerStack = Math.floor(RESOURCES_PER_STACK / UNIT_RESOURCES);
  const units = Math.ceil(targetResources / UNIT_RESOURCES);
  let key: kms.Key | undefined;
  for (let i = 0; i < units; i++) {
    if (i % unitsPerStack === 0) {
      key = new kms.Key(new Stack(app, `Service${i / unitsPerStack}`, { env: ENV }), 'Key', { enableKeyRotation: true });
      key.grant(new iam.ServicePrincipal(`logs.${ENV.region}.amazonaws.com`), 'kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*');
      key.grantEncryptDecrypt(new iam.ServicePrincipal('sns.amazonaws.com'));
    }
    addUnit(Stack.of(key!), i, key!);
  }
  return app;
}

// Pieces of a small app as unit tests write them: L2s with their defaults (a few findings each), some raw Cfn*, a parameter.
const PIECES: Array<(stack: Stack, id: string, fn: () => lambda.Function) => void> = [
  (stack, id) => new s3.Bucket(stack, id, {
    enforceSSL: true, encryption: s3.BucketEncryption.S3_MANAGED, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  }),
  (stack, id) => new s3.CfnBucket(stack, id, {
    bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }] },
    publicAccessBlockConfiguration: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
  }),
  (stack, id, fn) => {
    const dlq = new sqs.Queue(stack, `${id}Dlq`, { enforceSSL: true, retentionPeriod: Duration.days(14) });
    const queue = new sqs.Queue(stack, id, {
      enforceSSL: true, deadLetterQueue: { queue: dlq, maxReceiveCount: 5 }, visibilityTimeout: Duration.seconds(60),
    });
    fn().addEventSourceMapping(`${id}Source`, { eventSourceArn: queue.queueArn, reportBatchItemFailures: true });
    queue.grantConsumeMessages(fn());
  },
  (stack, id) => new sqs.CfnQueue(stack, id, { sqsManagedSseEnabled: true, messageRetentionPeriod: 345600 }),
  (stack, id, fn) => new dynamodb.Table(stack, id, { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true } }).grantReadWriteData(fn()),
  (stack, id) => {
    const key = new kms.Key(stack, `${id}Key`, { enableKeyRotation: true });
    new sns.Topic(stack, id, { masterKey: key, enforceSSL: true });
  },
  (stack, id) => new logs.LogGroup(stack, id, { retention: logs.RetentionDays.ONE_YEAR }),
  (stack, id, fn) => new cloudwatch.Alarm(stack, id, { metric: fn().metricErrors(), threshold: 1, evaluationPeriods: 3, datapointsToAlarm: 2 }),
  (stack, id, fn) => new sfn.StateMachine(stack, id, {
    definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, `${id}Invoke`, { lambdaFunction: fn() }).next(new sfn.Succeed(stack, `${id}Done`))),
    tracingEnabled: true,
  }),
  (stack, id) => new CfnParameter(stack, id, { type: 'String', allowedPattern: '^[a-z0-9-]{1,32}$', default: 'orders' }),
  (stack, id) => new iam.Role(stack, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(new iam.PolicyStatement({
    actions: ['s3:GetObject'], resources: [`arn:aws:s3:::bench-${id.toLowerCase()}/*`],
  })),
];

/** Small app number `index` of the corpus: one stack, a few functions, 9 to 22 pieces; deterministic, so every round and pack synthesizes the same app. */
export function buildSmallApp(index: number): App {
  const app = newApp();
  const stack = new Stack(app, `Small${index}`, { env: ENV });
  let seed = index * 7919 + 17;
  const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
  const functions: lambda.Function[] = [];
  const newFunction = () => {
    const fn = new lambda.Function(stack, `Handler${functions.length}`, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
      tracing: lambda.Tracing.ACTIVE,
      timeout: Duration.seconds(10),
      memorySize: 512,
    });
    functions.push(fn);
    return fn;
  };
  // Pieces share the app's functions; a new one every third piece.
  const fn = () => functions.length === 0 || next(3) === 0 ? newFunction() : functions[next(functions.length)];
  const pieces = 9 + (index * 7) % 14;
  for (let i = 0; i < pieces; i++) PIECES[next(PIECES.length)](stack, `Piece${i}`, fn);
  return app;
}

function resourceCount(app: App): number {
  const assembly = app.synth();
  return assembly.stacks.reduce((sum, stack) => sum + Object.keys(stack.template.Resources ?? {}).length, 0);
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

// Garbage of the previous app is collected before each timed synth, so one cell does not pay for another's.
v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

/** Synth wall time in ms; the validation report CDK prints is silenced so terminal output does not skew the figures. */
function timeSynth(build: () => App, pack: Pack): number {
  const app = addPack(build(), pack);
  collectGarbage();
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

interface Cell {
  /** Median synth time per pack. */
  readonly ms: Map<Pack, number>;
  /** Median time spent inside each pack. */
  readonly inside: Map<Pack, number>;
}

/** Times `builds` (each one app, one synth per pack per round); per round the mean per synth, then the median over rounds. */
function measure(builds: ReadonlyArray<() => App>): Cell {
  const samples = new Map<Pack, number[]>(PACKS.map(p => [p, []]));
  const inside = new Map<Pack, number[]>(PACKS.map(p => [p, []]));
  for (let run = 0; run < RUNS; run++) {
    const total = new Map<Pack, number>(PACKS.map(p => [p, 0]));
    const totalInside = new Map<Pack, number>(PACKS.map(p => [p, 0]));
    for (const build of builds) {
      for (const pack of PACKS) {
        total.set(pack, total.get(pack)! + timeSynth(build, pack));
        totalInside.set(pack, totalInside.get(pack)! + (pack === 'none' ? 0 : lastPluginMs.get(pack) ?? 0));
      }
    }
    for (const pack of PACKS) {
      samples.get(pack)!.push(total.get(pack)! / builds.length);
      inside.get(pack)!.push(totalInside.get(pack)! / builds.length);
    }
  }
  return {
    ms: new Map(PACKS.map(p => [p, median(samples.get(p)!)])),
    inside: new Map(PACKS.map(p => [p, median(inside.get(p)!)])),
  };
}

function print(title: string, cell: Cell): { nag: number; fintech: number } {
  console.log(`\n${title}:`);
  for (const pack of PACKS) {
    const found = pack === 'none' ? '' : `   (${cell.inside.get(pack)!.toFixed(1)} ms inside the pack, ${lastViolations.get(pack) ?? 0} violations in the last synth)`;
    console.log(`  ${pack.padEnd(20)} ${cell.ms.get(pack)!.toFixed(1).padStart(8)} ms${found}`);
  }
  const none = cell.ms.get('none')!;
  const nag = cell.ms.get('AwsSolutionsChecks')! - none;
  const fintech = cell.ms.get('FintechChecks')! - none;
  console.log(`  added per synth: AwsSolutionsChecks ${nag.toFixed(1)} ms, FintechChecks ${fintech.toFixed(1)} ms; ratio ${(fintech / nag).toFixed(2)} (goal <= 0.50)`);
  console.log(`  inside the pack: ratio ${(cell.inside.get('FintechChecks')! / cell.inside.get('AwsSolutionsChecks')!).toFixed(2)}`);
  return { nag, fintech };
}

function main(): void {
  console.log(`bench/rules: median of ${RUNS} rounds per cell (packs interleaved), same process; load average ${os.loadavg().map(l => l.toFixed(2)).join(' ')}`);
  timeSynth(() => buildLargeApp(200), 'FintechChecks'); // warm the module cache and JIT once for all packs
  timeSynth(() => buildLargeApp(200), 'AwsSolutionsChecks');

  if (SMALL_APPS > 0) {
    const builds = Array.from({ length: SMALL_APPS }, (_, i) => () => buildSmallApp(i));
    const counts = builds.map(build => resourceCount(build()));
    print(`${SMALL_APPS} small apps (${Math.min(...counts)} to ${Math.max(...counts)} resources, ${(counts.reduce((a, b) => a + b, 0) / counts.length).toFixed(0)} on average), per synth`, measure(builds));
  }

  const added = new Map<number, number>();
  const inside = new Map<number, number>();
  for (const size of SIZES) {
    const cell = measure([() => buildLargeApp(size)]);
    const { fintech } = print(`${resourceCount(buildLargeApp(size))} resources`, cell);
    added.set(size, fintech);
    inside.set(size, cell.inside.get('FintechChecks')!);
  }
  if (SIZES.length >= 2) {
    const [from, to] = SIZES.slice(-2);
    console.log(`\nFintechChecks added time, growth ${from} -> ${to} resources: ${(added.get(to)! / added.get(from)!).toFixed(2)}x (goal <= 2.10x); ` +
      `time inside the pack: ${(inside.get(to)! / inside.get(from)!).toFixed(2)}x`);
  }
  console.log(`load average at the end ${os.loadavg().map(l => l.toFixed(2)).join(' ')}`);
}

if (require.main === module) main();
