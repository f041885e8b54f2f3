import * as fs from 'fs';
import * as path from 'path';
import { CfnResource, Duration, Stack, Token } from 'aws-cdk-lib';
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
import { ENDPOINT_SERVICES, EndpointService, LAMBDA_SERVICE_SIDE_PREFIXES, endpointForIamAction, forwardedGrants, isForwarded } from '../facts/vpc-endpoint-services';
import { FintechVpc } from '../network/fintech-vpc';
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
   * VPC to run the function in, e.g. a `FintechVpc`. The function then gets a security group of its own (see
   * `securityGroups`) and, on its role, the network interface permissions Lambda needs for exactly its subnets and
   * security groups, instead of the AWSLambdaVPCAccessExecutionRole managed policy (which allows them on every
   * resource). In subnets without an internet route of a `FintechVpc`, synthesis fails when the role is granted
   * actions of a service the VPC has no endpoint for.
   *
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;

  /**
   * Subnets of `vpc` to run the function in. Select `ec2.SubnetType.PRIVATE_WITH_EGRESS` only when the function must
   * reach the internet through the VPC's NAT gateways: its security group then also allows HTTPS to anywhere.
   *
   * @default - the VPC's isolated subnets (no internet route) when it has any, else its private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Security groups of the function in `vpc`, used as they are: this construct adds none of its own and no rules to them.
   *
   * @default - a new security group with no inbound rule and HTTPS (TCP 443) out only: to the endpoint security group
   * and the gateway endpoints' prefix lists of a `FintechVpc`, or to the CIDR of another VPC, plus to anywhere when
   * the selected subnets are private subnets with egress (NAT)
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
const HTTPS = 443;
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
 *
 * With `vpc` (C17), the function runs in the VPC's isolated subnets by default, behind a security group of its own
 * that admits nothing and lets only HTTPS out: to the VPC's endpoints (the endpoint security group and the S3 and
 * DynamoDB prefix lists of a `FintechVpc`; the VPC CIDR of another VPC), and to anywhere only when you select
 * NAT-backed subnets (`PRIVATE_WITH_EGRESS`). DNS needs no rule: security groups do not filter the VPC resolver.
 * Its role is then built like CDK's (trusted by Lambda, AWSLambdaBasicExecutionRole), without the
 * AWSLambdaVPCAccessExecutionRole managed policy; an inline policy `NetworkInterfaces` grants what Lambda needs to
 * create and manage the function's network interfaces (Lambda Developer Guide, "Giving Lambda functions access to
 * resources in an Amazon VPC", read 2026-12), scoped as far as EC2 allows:
 * - `ec2:CreateNetworkInterface` on network interfaces of the stack's account and region, and only the function's
 *   subnets and security groups (EC2 checks the subnet and security group ARNs of this action);
 * - `ec2:DeleteNetworkInterface`, `ec2:AssignPrivateIpAddresses` and `ec2:UnassignPrivateIpAddresses` on network
 *   interfaces of the account and region: the interface does not exist when the role is written, and the guide warns
 *   that a DeleteNetworkInterface narrower than every interface id can keep the function out of its VPC;
 * - `ec2:DescribeNetworkInterfaces` and `ec2:DescribeSubnets` on `*`: EC2 Describe actions take no resource ARN.
 * The `lambda:VpcIds`, `lambda:SubnetIds` and `lambda:SecurityGroupIds` condition keys restrict who may *create or
 * update* functions in a VPC (the deployer's policy), not the function's role, so they do not appear here.
 * The role lives beside the function, as `<id>ServiceRole`; a function outside a VPC keeps CDK's role `<id>/ServiceRole`.
 *
 * In subnets known to have no internet route (a `FintechVpc`'s isolated subnets, or any subnet of a `FintechVpc`
 * with `internetAccess: false`), synthesis fails when the role is granted actions of a service the VPC has no
 * endpoint for, since those calls could only time out. Not judged: what Lambda does with the role outside the VPC
 * (network interfaces, logs, traces, the on-failure queue, event source polling), `kms` actions (services that
 * encrypt with KMS call it on the caller's behalf, so a KMS grant does not show that the code calls KMS), DynamoDB
 * Streams actions (their endpoint is not the DynamoDB gateway endpoint), services without a known endpoint, and
 * actions that are not plain strings.
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
  /** The security group this construct made for it in `vpc`; absent outside a VPC and when `securityGroups` was given. */
  public readonly securityGroup?: ec2.ISecurityGroup;
  // Queues and streams Lambda reads or writes with the role from outside the VPC (on-failure destination, event sources).
  private readonly serviceSideArns: string[] = [];

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
    const network = functionNetwork(at, props);
    // In a VPC the role is made here, like CDK makes it but without AWSLambdaVPCAccessExecutionRole; outside one,
    // CDK makes it as <id>/ServiceRole, so the logical ids of existing functions stay.
    const networkInterfaces = new iam.PolicyDocument();
    const role = network ? new iam.Role(scope, `${id}ServiceRole`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole')],
      inlinePolicies: { NetworkInterfaces: networkInterfaces },
    }) : undefined;

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
      ...(network ? {
        vpc: network.vpc,
        vpcSubnets: network.selection,
        role,
        // Without securityGroups, CDK makes <id>/SecurityGroup; with no outbound rule, until the ones below.
        ...(props.securityGroups ? { securityGroups: props.securityGroups } : { allowAllOutbound: false }),
      } : {}),
    });
    this.dataKey = dataKey;
    this.serviceName = serviceName;
    if (network) {
      if (!props.securityGroups) {
        this.securityGroup = this.connections.securityGroups[0];
        allowHttpsOut(this.securityGroup, network);
      }
      networkInterfaces.addStatements(...networkInterfaceStatements(this, network, this.connections.securityGroups));
      if (network.noInternetRoute) {
        const vpc = network.vpc as FintechVpc;
        this.node.addValidation({ validate: () => missingEndpoints(at, this, vpc, this.serviceSideArns) });
      }
    }
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
      this.serviceSideArns.push(this.onFailureQueue.queueArn);
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

  /**
   * Adds an event source mapping, as `lambda.Function` does, and remembers its source and on-failure destination:
   * Lambda polls the one and sends to the other with the function's role from outside the VPC, so the endpoint check
   * does not ask for an endpoint for those grants.
   */
  public addEventSourceMapping(id: string, options: lambda.EventSourceMappingOptions): lambda.EventSourceMapping {
    const mapping = super.addEventSourceMapping(id, options);
    if (options.eventSourceArn !== undefined) this.serviceSideArns.push(options.eventSourceArn);
    const cfnMapping = mapping.node.defaultChild as lambda.CfnEventSourceMapping;
    const destinations = cfnMapping.destinationConfig as lambda.CfnEventSourceMapping.DestinationConfigProperty | undefined;
    const onFailure = destinations?.onFailure as lambda.CfnEventSourceMapping.OnFailureProperty | undefined;
    if (onFailure?.destination !== undefined) this.serviceSideArns.push(onFailure.destination);
    return mapping;
  }
}

/** Where a function in a VPC runs, worked out before the function exists. */
interface FunctionNetwork {
  readonly vpc: ec2.IVpc;
  readonly selection: ec2.SubnetSelection;
  readonly subnetIds: string[];
  /** Some selected subnet routes to a NAT gateway (a private subnet with egress). */
  readonly egress: boolean;
  /** Every selected subnet is known to have no internet route: a FintechVpc's isolated subnets, or a FintechVpc without internet access. */
  readonly noInternetRoute: boolean;
}

function functionNetwork(at: string, props: TracedFunctionProps): FunctionNetwork | undefined {
  const vpc = props.vpc;
  if (!vpc) {
    const given = (['vpcSubnets', 'securityGroups'] as const).filter(option => props[option] !== undefined);
    if (given.length > 0) {
      throw new Error(`${at}: ${given.join(' and ')} ${given.length > 1 ? 'are' : 'is'} set, but vpc is not, so the function runs in no VPC ` +
        `and ${given.length > 1 ? 'they' : 'it'} would have no effect; pass vpc too (e.g. a FintechVpc), or drop ${given.join(' and ')}.`);
    }
    return undefined;
  }
  if (props.securityGroups !== undefined && props.securityGroups.length === 0) {
    throw new Error(`${at}: securityGroups is empty, and CDK would then make the function a group that lets everything out; ` +
      'drop securityGroups for a group of its own that lets only HTTPS out to the VPC\'s endpoints, or list at least one group.');
  }
  const fintechVpc = FintechVpc.isFintechVpc(vpc) ? vpc : undefined;
  if (fintechVpc && !fintechVpc.internetAccess && props.vpcSubnets?.subnetType === ec2.SubnetType.PRIVATE_WITH_EGRESS) {
    throw new Error(`${at}: vpcSubnets selects PRIVATE_WITH_EGRESS subnets, but FintechVpc ${vpc.node.path} has internetAccess: false, ` +
      'so it has no NAT gateway and no such subnets; drop vpcSubnets to run in its isolated subnets and reach AWS services through its endpoints, ' +
      'or give the VPC internetAccess if the function must reach the internet.');
  }
  const selection: ec2.SubnetSelection = props.vpcSubnets ?? {
    subnetType: vpc.isolatedSubnets.length > 0 ? ec2.SubnetType.PRIVATE_ISOLATED : ec2.SubnetType.PRIVATE_WITH_EGRESS,
  };
  let subnetIds: string[];
  try {
    subnetIds = vpc.selectSubnets(selection).subnetIds;
  } catch (error) {
    throw new Error(`${at}: vpcSubnets select no subnets of ${vpc.node.path} (${(error as Error).message}); ` +
      'select a subnet type or group the VPC has, e.g. { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, or drop vpcSubnets.');
  }
  if (subnetIds.length === 0) {
    throw new Error(`${at}: vpcSubnets select no subnets of ${vpc.node.path}, and Lambda needs at least one; ` +
      'select a subnet type or group the VPC has, e.g. { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, or drop vpcSubnets.');
  }
  const idsOf = (subnets: ec2.ISubnet[]) => new Set(subnets.map(subnet => subnet.subnetId));
  const publicIds = idsOf(vpc.publicSubnets);
  if (subnetIds.some(subnetId => publicIds.has(subnetId))) {
    throw new Error(`${at}: vpcSubnets select public subnets of ${vpc.node.path}, where a function gets no public address and so no internet; ` +
      'select its isolated subnets (the default), or its private subnets with egress if the function must reach the internet.');
  }
  const egressIds = idsOf(vpc.privateSubnets);
  const isolatedIds = idsOf(vpc.isolatedSubnets);
  return {
    vpc,
    selection,
    subnetIds,
    egress: subnetIds.some(subnetId => egressIds.has(subnetId)),
    noInternetRoute: fintechVpc !== undefined && (!fintechVpc.internetAccess || subnetIds.every(subnetId => isolatedIds.has(subnetId))),
  };
}

// HTTPS out to what the function may reach: the VPC's endpoints, and the internet only from NAT-backed subnets.
function allowHttpsOut(securityGroup: ec2.ISecurityGroup, network: FunctionNetwork): void {
  const https = ec2.Port.tcp(HTTPS);
  const vpc = network.vpc;
  if (FintechVpc.isFintechVpc(vpc)) {
    const types = new Map(ENDPOINT_SERVICES.map(service => [service.name, service.type]));
    if (vpc.endpointNames.some(name => types.get(name) === 'Interface')) {
      securityGroup.addEgressRule(vpc.endpointSecurityGroup, https, 'HTTPS to the interface endpoints of the VPC');
    }
    for (const name of ['s3', 'dynamodb'] as const) {
      if (vpc.hasEndpoint(name)) {
        securityGroup.addEgressRule(ec2.Peer.prefixList(vpc.gatewayEndpointPrefixListId(name)), https, `HTTPS to ${name} through the gateway endpoint of the VPC`);
      }
    }
  } else {
    securityGroup.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), https, 'HTTPS inside the VPC, e.g. to its endpoints');
  }
  if (network.egress) {
    securityGroup.addEgressRule(ec2.Peer.anyIpv4(), https, 'HTTPS to the internet through the NAT gateways of the selected subnets');
  }
}

function networkInterfaceStatements(fn: TracedFunction, network: FunctionNetwork, securityGroups: ec2.ISecurityGroup[]): iam.PolicyStatement[] {
  const stack = Stack.of(fn);
  const arn = (resource: string, resourceName: string) => stack.formatArn({ service: 'ec2', resource, resourceName });
  const networkInterfaces = arn('network-interface', '*');
  return [
    new iam.PolicyStatement({
      sid: 'CreateNetworkInterfacesInItsSubnets',
      actions: ['ec2:CreateNetworkInterface'],
      resources: [
        networkInterfaces,
        ...network.subnetIds.map(subnetId => arn('subnet', subnetId)),
        ...securityGroups.map(group => arn('security-group', group.securityGroupId)),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'ManageNetworkInterfaces',
      actions: ['ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
      resources: [networkInterfaces],
    }),
    new iam.PolicyStatement({
      sid: 'DescribeNetworkInterfaces',
      actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
      resources: ['*'],
    }),
  ];
}

// KMS: SQS, SNS, DynamoDB and S3 call KMS on the caller's behalf for their encrypted resources (kms:ViaService), so a
// kms grant does not show the code calls KMS itself (AWS KMS Developer Guide, "kms:ViaService", read 2026-12).
const NOT_JUDGED_PREFIXES = [...LAMBDA_SERVICE_SIDE_PREFIXES, 'kms'];
// DynamoDB Streams has an endpoint of its own (streams.dynamodb), not the DynamoDB gateway endpoint, and its readers
// are mostly event source mappings, which poll from outside the VPC.
const NOT_JUDGED_ACTIONS = ['dynamodb:describestream', 'dynamodb:getrecords', 'dynamodb:getsharditerator', 'dynamodb:liststreams'];

/** One error per endpoint the function's role needs and the VPC lacks, naming the actions that need it. */
function missingEndpoints(at: string, fn: TracedFunction, vpc: FintechVpc, serviceSideArns: readonly string[]): string[] {
  const stack = Stack.of(fn.role ?? fn);
  const serviceSide = new Set(serviceSideArns.map(arn => JSON.stringify(stack.resolve(arn))));
  const called: { action: string; endpoint: EndpointService }[] = [];
  for (const statement of roleStatements(fn)) {
    if (statement.Effect !== 'Allow') continue;
    const resources = asArray(statement.Resource);
    if (resources.length > 0 && resources.every(resource => serviceSide.has(JSON.stringify(resource)))) continue;
    for (const action of asArray(statement.Action)) {
      if (typeof action !== 'string' || !action.includes(':') || NOT_JUDGED_ACTIONS.includes(action.toLowerCase())) continue;
      const prefix = action.split(':')[0].toLowerCase();
      if (NOT_JUDGED_PREFIXES.includes(prefix)) continue;
      const endpoint = endpointForIamAction(action);
      if (endpoint) called.push({ action, endpoint });
    }
  }
  // Grants a called service uses with the role itself (Athena reading Glue and S3, say) are not calls of the code.
  const forwarded = forwardedGrants(called.map(call => call.endpoint));
  const missing = new Map<string, Set<string>>();
  for (const { action, endpoint } of called) {
    if (isForwarded(forwarded, action) || vpc.hasEndpoint(endpoint.name)) continue;
    missing.set(endpoint.name, (missing.get(endpoint.name) ?? new Set()).add(action));
  }
  return [...missing].map(([name, actions]) =>
    `${at}: runs in subnets of ${vpc.node.path} without an internet route, and its role is granted ${[...actions].join(', ')}, ` +
    `but the VPC has no ${name} endpoint, so those calls can only time out; add '${name}' to the endpoints of the FintechVpc ` +
    `(endpoints: [..., '${name}']), or drop the grant if the function does not call ${name}.`);
}

interface ResolvedStatement {
  readonly Effect?: string;
  readonly Action?: unknown;
  readonly Resource?: unknown;
}

/** The statements of the role's inline policies and of every policy of its stack attached to it, resolved. */
function roleStatements(fn: TracedFunction): ResolvedStatement[] {
  const role = fn.role;
  const cfnRole = role?.node.defaultChild;
  if (!role || !CfnResource.isCfnResource(cfnRole)) return [];
  const stack = Stack.of(role);
  const roleRef = JSON.stringify(stack.resolve(cfnRole.ref));
  const documents: unknown[] = asArray(stack.resolve((cfnRole as iam.CfnRole).policies))
    .map(policy => (policy as { policyDocument?: unknown }).policyDocument);
  for (const construct of stack.node.findAll()) {
    if (!CfnResource.isCfnResource(construct) || !['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'].includes(construct.cfnResourceType)) continue;
    const policy = construct as iam.CfnPolicy | iam.CfnManagedPolicy;
    if (asArray(stack.resolve(policy.roles)).some(attached => JSON.stringify(attached) === roleRef)) {
      documents.push(stack.resolve(policy.policyDocument));
    }
  }
  return documents.flatMap(document => asArray((document as { Statement?: unknown } | undefined)?.Statement) as ResolvedStatement[]);
}

function asArray(value: unknown): unknown[] {
  return value === undefined || value === null ? [] : Array.isArray(value) ? value : [value];
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
