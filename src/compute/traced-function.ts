import * as fs from 'fs';
import * as path from 'path';
import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { monitorFunction } from '../alarms/monitor-function';
import { FunctionMonitoringOptions } from '../alarms/monitor-options';
import { FailureQueue } from '../data/failure-queue';
import { QueueConsumerOptions, SecureQueue } from '../data/secure-queue';
import { DataKey } from '../encryption/data-key';
import { encryptedLogGroup } from '../encryption/encrypted-log-group';
import { CURRENT_LAMBDA_NODE_RUNTIME } from '../facts/current-runtimes';
import { powertoolsLayerParameter } from '../facts/powertools-layer-parameter';
import { FintechStage } from '../stage/fintech-stage';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { stagePathBase } from '../stage/stage-path-base';

/** Log levels of the Powertools logger (`LOG_LEVEL`). */
export enum PowertoolsLogLevel {
  /** Everything, including debug details; for investigations only, it logs payloads. */
  DEBUG = 'DEBUG',
  /** Normal operation. */
  INFO = 'INFO',
  /** Only warnings and errors. */
  WARN = 'WARN',
  /** Only errors. */
  ERROR = 'ERROR',
}

/** Properties of a `TracedFunction`. */
export interface TracedFunctionProps {
  /** Path of the TypeScript or JavaScript handler file, bundled with the local esbuild. */
  readonly entry: string;

  /**
   * Name of the exported handler function in `entry`.
   *
   * @default 'handler'
   */
  readonly handler?: string;

  /**
   * Base of an explicit function name, `<application>-<base>-<stage>`.
   *
   * @default - CloudFormation generates a unique name
   */
  readonly nameBase?: string;

  /**
   * `POWERTOOLS_SERVICE_NAME`: the service the function's logs, traces and metrics belong to.
   *
   * @default - the construct id
   */
  readonly serviceName?: string;

  /**
   * `POWERTOOLS_METRICS_NAMESPACE`: the CloudWatch namespace of the function's custom metrics.
   *
   * @default - the application of the enclosing FintechStage
   */
  readonly metricsNamespace?: string;

  /**
   * `LOG_LEVEL` of the Powertools logger.
   *
   * @default PowertoolsLogLevel.INFO
   */
  readonly logLevel?: PowertoolsLogLevel;

  /**
   * Memory in MB, from 128 to 10240; CPU is allotted in proportion to it.
   *
   * @default 512
   */
  readonly memorySize?: number;

  /**
   * Longest time one invocation may run, at most 15 minutes.
   *
   * @default Duration.seconds(5)
   */
  readonly timeout?: Duration;

  /**
   * Extra environment variables; they win over the Powertools and Node.js variables this construct sets.
   *
   * @default - only POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE, LOG_LEVEL and NODE_OPTIONS
   */
  readonly environment?: { [key: string]: string };

  /**
   * Key that encrypts the function's log group and, when this construct creates it, its on-failure queue.
   *
   * @default - a new `DataKey` for this function
   */
  readonly dataKey?: DataKey;

  /**
   * How long the function's logs are kept.
   *
   * @default logs.RetentionDays.ONE_WEEK in ephemeral stages, logs.RetentionDays.ONE_YEAR in durable ones
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Whether anything invokes the function asynchronously (SNS, S3, EventBridge, `InvocationType: Event`), so that
   * failed invocations need retries and an on-failure queue (C12). Set false for a function invoked only
   * synchronously (API Gateway, a Step Functions task that waits for the result) or by an event source mapping
   * (`addSqsEventSource`, `SecureTable.addStreamConsumer`), whose failures the caller or the mapping handles: it
   * gets no on-failure queue, which would never receive a message, and no alarm on it.
   *
   * @default true
   */
  readonly asynchronousInvocation?: boolean;

  /**
   * Where asynchronous invocations go when they fail after every retry or grow too old (C12).
   *
   * @default - a new `FailureQueue` for this function (14 days' retention, an alarm on the first message)
   */
  readonly onFailureQueue?: sqs.IQueue;

  /**
   * Retries of a failed asynchronous invocation, 0 to 2.
   *
   * @default 2
   */
  readonly retryAttempts?: number;

  /**
   * Oldest asynchronous event the function still processes, 1 minute to 6 hours; older ones go to the on-failure queue.
   *
   * @default Duration.hours(1)
   */
  readonly maxEventAge?: Duration;

  /**
   * Concurrency reserved for this function, taken from the account's unreserved pool (C15).
   *
   * @default - no reserved concurrency
   */
  readonly reservedConcurrentExecutions?: number;

  /**
   * Bundling options, merged over this construct's (minify, source maps, `@aws-sdk/*` external).
   * Bundling always uses the local esbuild, never Docker.
   *
   * @default - minified, with source maps, `@aws-sdk/*` left to the runtime
   */
  readonly bundling?: nodejs.BundlingOptions;

  /**
   * Takes Powertools for AWS Lambda (TypeScript) from AWS's public Lambda layer instead of bundling it:
   * `@aws-lambda-powertools/*` stays out of the bundle, and the function gets the layer of the Powertools version
   * installed for the handler (found from `entry`; every installed Powertools package must have that one version),
   * looked up at deploy time in AWS's public SSM parameter `/aws/service/powertools/typescript/generic/all/<version>`.
   * The function package shrinks to your own code (the payment-webhook receiver from about 200 KB to about 4 KB,
   * `npx projen bench:handler-bundles`), so it deploys and cold-starts with less to load.
   *
   * Trade-off: the Powertools release that runs is the one your lock file pins, but built by AWS, and its own
   * dependencies (aws-xray-sdk-core, ...) are those AWS installed when it published the layer, not your lock file's.
   * AWS publishes the parameter in every commercial region only: a stack in AWS GovCloud (US), China or another
   * partition fails at synth with this option on.
   *
   * The context value `fintech:powertools-layer` = `false` (e.g. `cdk synth -c fintech:powertools-layer=false`, or
   * `npx projen deploy:dev -- -c fintech:powertools-layer=false`) turns the layer off for every function of the app:
   * Powertools is bundled instead and no SSM parameter is resolved. It exists for rehearsals against an AWS emulator
   * (moto, LocalStack), which cannot hold AWS's public `/aws/service/...` parameters.
   *
   * @default false - Powertools is bundled by esbuild, with the dependencies of your lock file
   */
  readonly powertoolsLayer?: boolean;

  /**
   * The lock file that decides the project root for bundling.
   *
   * @default - the nearest package-lock.json, yarn.lock, pnpm-lock.yaml or bun.lockb above the working directory
   */
  readonly depsLockFilePath?: string;

  /**
   * A description of the function.
   *
   * @default - none
   */
  readonly description?: string;

  /**
   * Statements added to the function's role.
   *
   * @default - only what tracing, logging, the on-failure queue and grants add
   */
  readonly initialPolicy?: iam.PolicyStatement[];

  /**
   * VPC to run the function in.
   *
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of `vpc` to run the function in.
   *
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the function in `vpc`.
   *
   * @default - a new security group
   */
  readonly securityGroups?: ec2.ISecurityGroup[];

  /**
   * The function's alarms (C07, C09): error rate, throttles, and p99 duration against its timeout.
   * The on-failure queue keeps its own alarm, on its first message.
   *
   * @default - all three, routed to the stack's `AlertTopic`
   */
  readonly monitoring?: FunctionMonitoring;
}

/** What a `TracedFunction` alarms on. */
export interface FunctionMonitoring extends FunctionMonitoringOptions {
  /**
   * Create the alarms. Turn off only where another alarm watches the function.
   *
   * @default true
   */
  readonly enabled?: boolean;
}

// 512 MB: Lambda allots CPU in proportion to memory, and a bundled Node.js handler starts about
// four times faster than at 128 MB for a small price difference on short invocations.
const DEFAULT_MEMORY_MB = 512;
// 5 s: room for a few downstream calls with SDK retries, and 6 x 5 s fits SecureQueue's default 30 s visibility timeout.
const DEFAULT_TIMEOUT = Duration.seconds(5);
// Lambda limits (Lambda quotas page, checked 2026-11): memory 128-10240 MB, timeout at most 900 s.
const MIN_MEMORY_MB = 128;
const MAX_MEMORY_MB = 10240;
const MAX_TIMEOUT = Duration.minutes(15);
// Lambda's own default of 2 retries, written down: transient errors get two more tries before the on-failure queue.
const DEFAULT_RETRY_ATTEMPTS = 2;
// An async event an hour old is an incident: it waits in the on-failure queue for redrive instead of arriving hours late unseen.
const DEFAULT_MAX_EVENT_AGE = Duration.hours(1);
// The Node.js runtime ships SDK v3; bundling it again only grows the package and the cold start.
const RUNTIME_PROVIDED_MODULES = ['@aws-sdk/*'];
const POWERTOOLS_MODULES = '@aws-lambda-powertools/*';
/** Context key: `false` bundles Powertools in every function that asks for its layer (rehearsals against an AWS emulator). */
export const POWERTOOLS_LAYER_CONTEXT = 'fintech:powertools-layer';

/**
 * A Node.js Lambda function with the hygiene the catalog asks for, by default (C11, C12, C14, C15, C20):
 * bundled by the local esbuild (minified, source maps on, SDK v3 left to the runtime), the current
 * Node.js runtime on ARM64, active X-Ray tracing, explicit memory and timeout, its own KMS-encrypted
 * log group with stage-aware retention (removal follows the stage), Powertools environment
 * variables, and asynchronous invocations that retry and then land in an encrypted on-failure queue.
 * Alarms on its error rate, throttles and p99 duration go to the stack's `AlertTopic` (C07, C08, C09).
 * No reserved concurrency unless asked. It is a `NodejsFunction`, so grants, metrics and event
 * sources work as usual; consume a `SecureQueue` with `addSqsEventSource`.
 */
export class TracedFunction extends nodejs.NodejsFunction {
  /** The key of the log group (and of the on-failure queue when this construct created it). */
  public readonly dataKey: DataKey;
  /** Where failed asynchronous invocations go; absent when `asynchronousInvocation` is false. */
  public readonly onFailureQueue?: sqs.IQueue;
  /** The Powertools service name of the function. */
  public readonly serviceName: string;
  /** Its alarms: error rate, throttles, then p99 duration; empty when monitoring is off. */
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: TracedFunctionProps) {
    const at = `TracedFunction at ${[scope.node.path, id].filter(Boolean).join('/')}`;
    validate(at, props);
    const stage = FintechStage.settingsOf(scope);
    const functionName = props.nameBase ? PhysicalName.of(scope, props.nameBase, { kind: NameKind.LAMBDA_FUNCTION }) : undefined;
    // The function takes its log group as a prop, so the key and log group live in a sibling scope made first.
    const logScope = new Construct(scope, `${id}Logs`);
    const logGroupName = functionName ? `/aws/lambda/${functionName}` : undefined;
    const { logGroup, dataKey } = encryptedLogGroup(logScope, {
      dataKey: props.dataKey,
      aliasBase: props.nameBase ? `${props.nameBase}-function` : stagePathBase(logScope),
      ...(logGroupName ? { logGroupName } : {}),
      ...(props.logRetention ? { retention: props.logRetention } : {}),
    });
    const serviceName = props.serviceName ?? id;
    const powertoolsVersion = props.powertoolsLayer && layerAllowedByContext(at, scope) ? powertoolsLayerVersion(at, scope, props.entry) : undefined;

    super(scope, id, {
      entry: props.entry,
      handler: props.handler ?? 'handler',
      runtime: new lambda.Runtime(CURRENT_LAMBDA_NODE_RUNTIME, lambda.RuntimeFamily.NODEJS, { supportsInlineCode: true }),
      architecture: lambda.Architecture.ARM_64,
      tracing: lambda.Tracing.ACTIVE,
      memorySize: props.memorySize ?? DEFAULT_MEMORY_MB,
      timeout: props.timeout ?? DEFAULT_TIMEOUT,
      logGroup,
      ...(functionName ? { functionName } : {}),
      environment: {
        POWERTOOLS_SERVICE_NAME: serviceName,
        POWERTOOLS_METRICS_NAMESPACE: props.metricsNamespace ?? (stage.application || Stack.of(scope).stackName),
        LOG_LEVEL: props.logLevel ?? PowertoolsLogLevel.INFO,
        // Stack traces point into the TypeScript source, not the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      bundling: {
        minify: true,
        sourceMap: true,
        externalModules: powertoolsVersion ? [...RUNTIME_PROVIDED_MODULES, POWERTOOLS_MODULES] : RUNTIME_PROVIDED_MODULES,
        ...props.bundling,
        forceDockerBundling: false,
      },
      ...(props.depsLockFilePath ? { depsLockFilePath: props.depsLockFilePath } : {}),
      ...(props.reservedConcurrentExecutions !== undefined ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions } : {}),
      ...(props.description ? { description: props.description } : {}),
      ...(props.initialPolicy ? { initialPolicy: props.initialPolicy } : {}),
      ...(props.vpc ? { vpc: props.vpc, vpcSubnets: props.vpcSubnets, securityGroups: props.securityGroups } : {}),
    });
    this.dataKey = dataKey;
    this.serviceName = serviceName;
    if (powertoolsVersion) {
      const layerArn = ssm.StringParameter.valueForStringParameter(this, powertoolsLayerParameter(powertoolsVersion));
      this.addLayers(lambda.LayerVersion.fromLayerVersionArn(this, 'PowertoolsLayer', layerArn));
    }
    if (props.asynchronousInvocation ?? true) {
      this.onFailureQueue = props.onFailureQueue ?? new FailureQueue(this, 'OnFailure', {
        dataKey,
        description: `Failed asynchronous invocations of ${this.node.path}, after every retry or older than the maximum event age. ` +
          'Read them and the function logs, fix the cause, then invoke the function again with them.',
        ...(props.nameBase ? { nameBase: `${props.nameBase}-failed` } : {}),
      });
      this.configureAsyncInvoke({
        onFailure: new SqsDestination(this.onFailureQueue),
        retryAttempts: props.retryAttempts ?? DEFAULT_RETRY_ATTEMPTS,
        maxEventAge: props.maxEventAge ?? DEFAULT_MAX_EVENT_AGE,
      });
    }
    const { enabled = true, ...thresholds } = props.monitoring ?? {};
    if (enabled) {
      const { errorRate, throttles, duration } = monitorFunction(this, this, { ...thresholds, owner: at });
      this.alarms = [errorRate.alarm, throttles, duration];
    } else {
      this.alarms = [];
    }
  }

  /**
   * Consumes `queue` with partial batch failure reporting, after `SecureQueue.addConsumer` checked
   * that the queue's visibility timeout leaves this function room to finish (C12).
   */
  public addSqsEventSource(queue: SecureQueue, options: QueueConsumerOptions = {}): void {
    queue.addConsumer(this, options);
  }
}

/** False when the context value `fintech:powertools-layer` turns the layer off (`false`, or the string `false` from `-c`). */
function layerAllowedByContext(at: string, scope: Construct): boolean {
  const value: unknown = scope.node.tryGetContext(POWERTOOLS_LAYER_CONTEXT);
  if (value === undefined || value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`${at}: context value ${POWERTOOLS_LAYER_CONTEXT} is ${JSON.stringify(value)}; use false to bundle Powertools instead of its layer ` +
    `(e.g. -c ${POWERTOOLS_LAYER_CONTEXT}=false), or leave it unset.`);
}

/**
 * The Powertools version whose layer the function gets: the one installed where `entry` imports from (Node.js
 * resolution, from its folder up). The layer holds every Powertools package at one version, so a mixed install
 * (the handler tested against logger 2.35 but commons 2.36) would run code the tests never saw: refused.
 */
function powertoolsLayerVersion(at: string, scope: Construct, entry: string): string {
  const region = Stack.of(scope).region;
  const partition = Token.isUnresolved(region) ? undefined : RegionInfo.get(region).partition;
  if (partition !== undefined && partition !== 'aws') {
    throw new Error(`${at}: powertoolsLayer is set, but region ${region} is in partition ${partition}, where AWS does not publish the ` +
      'Powertools layer; drop powertoolsLayer there, so Powertools is bundled.');
  }
  for (let dir = path.dirname(path.resolve(entry)); ; dir = path.dirname(dir)) {
    const scopeDir = path.join(dir, 'node_modules', '@aws-lambda-powertools');
    const commons = path.join(scopeDir, 'commons', 'package.json');
    if (fs.existsSync(commons)) {
      const version: string = JSON.parse(fs.readFileSync(commons, 'utf-8')).version;
      const others = fs.readdirSync(scopeDir)
        .map(name => path.join(scopeDir, name, 'package.json'))
        .filter(manifest => fs.existsSync(manifest))
        .map(manifest => JSON.parse(fs.readFileSync(manifest, 'utf-8')) as { name: string; version: string })
        .filter(manifest => manifest.version !== version);
      if (others.length > 0) {
        throw new Error(`${at}: powertoolsLayer is set, but the Powertools packages in ${scopeDir} differ in version (commons ${version}, ` +
          `${others.map(o => `${o.name} ${o.version}`).join(', ')}), and the layer has one version of all; install one version of every ` +
          `Powertools package (npm install ${others.map(o => `${o.name}@${version}`).join(' ')}).`);
      }
      return version;
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new Error(`${at}: powertoolsLayer is set, but no @aws-lambda-powertools/commons is installed where ${entry} can import it, so the layer version is unknown; ` +
    'install the Powertools packages the handler uses (npm install @aws-lambda-powertools/logger), or drop powertoolsLayer.');
}

function validate(at: string, props: TracedFunctionProps): void {
  const memory = props.memorySize;
  if (memory !== undefined && !Token.isUnresolved(memory) && (!Number.isInteger(memory) || memory < MIN_MEMORY_MB || memory > MAX_MEMORY_MB)) {
    throw new Error(`${at}: memorySize ${memory} MB is outside what Lambda allows; use a whole number from ${MIN_MEMORY_MB} to ${MAX_MEMORY_MB}, or drop it for the default ${DEFAULT_MEMORY_MB}.`);
  }
  const timeout = props.timeout;
  if (timeout !== undefined && !timeout.isUnresolved() && timeout.toMilliseconds() > MAX_TIMEOUT.toMilliseconds()) {
    throw new Error(`${at}: timeout ${timeout.toHumanString()} is longer than the 15 minutes Lambda allows; shorten it, or move long work to a Step Functions state machine.`);
  }
  if (typeof props.entry !== 'string' || !fs.existsSync(path.resolve(props.entry))) {
    throw new Error(`${at}: entry "${props.entry}" does not exist (resolved to ${path.resolve(String(props.entry))}); pass the path of the handler file, e.g. path.join(__dirname, 'handlers', 'ingest.ts').`);
  }
  if (props.bundling?.forceDockerBundling) {
    throw new Error(`${at}: bundling.forceDockerBundling is set, but TracedFunction bundles with the local esbuild only; drop forceDockerBundling and add esbuild to devDependencies.`);
  }
  const retries = props.retryAttempts;
  if (retries !== undefined && !Token.isUnresolved(retries) && (!Number.isInteger(retries) || retries < 0 || retries > 2)) {
    throw new Error(`${at}: retryAttempts ${retries} is not what Lambda allows for asynchronous invocations; use 0, 1 or 2.`);
  }
  if (props.asynchronousInvocation === false) {
    const asyncOnly = (['onFailureQueue', 'retryAttempts', 'maxEventAge'] as const).filter(option => props[option] !== undefined);
    if (asyncOnly.length > 0) {
      throw new Error(`${at}: ${asyncOnly.join(', ')} ${asyncOnly.length > 1 ? 'apply' : 'applies'} to asynchronous invocations, but asynchronousInvocation is false; drop ${asyncOnly.length > 1 ? 'them' : 'it'}, or drop asynchronousInvocation.`);
    }
  }
  const age = props.maxEventAge;
  if (age !== undefined && !age.isUnresolved() && (age.toSeconds() < 60 || age.toSeconds() > 6 * 3600)) {
    throw new Error(`${at}: maxEventAge ${age.toHumanString()} is outside what Lambda allows; use 1 minute to 6 hours.`);
  }
}
