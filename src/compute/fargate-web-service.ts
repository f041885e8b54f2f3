import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { WebServiceMonitoringOptions } from '../alarms/monitor-options';
import { monitorWebService } from '../alarms/monitor-web-service';
import { BucketEncryptionMode, SecureBucket } from '../data/secure-bucket';
import { DataKey } from '../encryption/data-key';
import { encryptedLogGroup } from '../encryption/encrypted-log-group';
import { FARGATE_TASK_SIZES, fargateMemorySizes, isFargateTaskSize } from '../facts/fargate-task-sizes';
import { RECOMMENDED_ELB_SSL_POLICY, isWeakElbPolicy } from '../facts/tls-policies';
import { FintechWebAcl, WebAclScope } from '../network/fintech-web-acl';
import { FintechStage } from '../stage/fintech-stage';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { stagePathBase } from '../stage/stage-path-base';

/** What a `FargateWebService` alarms on. */
export interface FargateWebServiceMonitoring extends WebServiceMonitoringOptions {
  /**
   * Create the alarms. Turn off only where another alarm watches the service.
   *
   * @default true
   */
  readonly enabled?: boolean;
}

/** Properties of a `FargateWebService`. */
export interface FargateWebServiceProps {
  /** The VPC: the load balancer goes in its public subnets, the tasks in `taskSubnets`. A `FintechVpc` fits. */
  readonly vpc: ec2.IVpc;

  /**
   * The container image. In unit tests use `ecs.ContainerImage.fromRegistry(...)`; `fromAsset` builds only at deploy.
   */
  readonly image: ecs.ContainerImage;

  /**
   * Certificate of the HTTPS listener (ACM, in the stack's region). There is no HTTP-only mode: a missing
   * certificate fails at synth.
   */
  readonly certificate: acm.ICertificate;

  /**
   * Port the container listens on; the load balancer forwards to it over HTTP inside the VPC.
   *
   * @default 8080
   */
  readonly containerPort?: number;

  /**
   * Path the load balancer's health check requests; it must answer 200 without authentication.
   *
   * @default '/health'
   */
  readonly healthCheckPath?: string;

  /**
   * The container health check ECS runs inside the container.
   *
   * @default - `wget -q -O /dev/null http://127.0.0.1:<containerPort><healthCheckPath> || exit 1` every 30 s (timeout 5 s,
   * 3 retries, 60 s start period): BusyBox wget is in every Alpine-based image (node:*-alpine, nginx:*-alpine). Images
   * without wget (distroless, Debian slim) must pass their own command, e.g. `curl -f ...` or a small probe binary.
   */
  readonly containerHealthCheck?: ecs.HealthCheck;

  /**
   * CPU units of each task (1024 = 1 vCPU); with `memoryLimitMiB`, a size Fargate offers.
   *
   * @default 512
   */
  readonly cpu?: number;

  /**
   * Memory of each task in MiB; with `cpu`, a size Fargate offers.
   *
   * @default 1024
   */
  readonly memoryLimitMiB?: number;

  /**
   * Tasks to run when the service is created, between `minCapacity` and `maxCapacity`.
   *
   * @default - 1 in ephemeral stages, 2 in durable stages (a task per zone survives a zone failure)
   */
  readonly desiredCount?: number;

  /**
   * Fewest tasks auto scaling keeps.
   *
   * @default - `desiredCount`
   */
  readonly minCapacity?: number;

  /**
   * Most tasks auto scaling starts.
   *
   * @default - four times `desiredCount`
   */
  readonly maxCapacity?: number;

  /**
   * Average CPU utilisation of the tasks that auto scaling keeps, in percent.
   *
   * @default 60
   */
  readonly targetCpuUtilizationPercent?: number;

  /**
   * Requests per task per minute (`ALBRequestCountPerTarget`) that auto scaling keeps.
   *
   * @default 1000
   */
  readonly requestsPerTargetPerMinute?: number;

  /**
   * Time after a scale-in before another scale-in: slow, so a dip in traffic does not remove capacity needed again soon.
   *
   * @default Duration.minutes(5)
   */
  readonly scaleInCooldown?: Duration;

  /**
   * Time after a scale-out before another scale-out: short, so a surge is met quickly.
   *
   * @default Duration.minutes(1)
   */
  readonly scaleOutCooldown?: Duration;

  /**
   * Time during which load balancer health checks do not count against a starting task.
   *
   * @default Duration.seconds(60)
   */
  readonly healthCheckGracePeriod?: Duration;

  /**
   * Environment variables of the container. Never put secrets here: use `secrets`.
   *
   * @default - none
   */
  readonly environment?: { [name: string]: string };

  /**
   * Secrets injected as environment variables at task start; the execution role may read these and nothing else.
   *
   * @default - none
   */
  readonly secrets?: { [name: string]: ecs.Secret };

  /**
   * TLS policy of the HTTPS listener; one with TLS 1.0 or 1.1 fails at synth.
   *
   * @default 'ELBSecurityPolicy-TLS13-1-2-2021-06' (`RECOMMENDED_ELB_SSL_POLICY`)
   */
  readonly sslPolicy?: string;

  /**
   * Requests per second one client IP may send before the web ACL blocks it.
   *
   * @default 10 (the `FintechWebAcl` default)
   */
  readonly requestsPerSecondPerIp?: number;

  /**
   * Window over which the web ACL counts a client's requests.
   *
   * @default Duration.seconds(60) (the `FintechWebAcl` default)
   */
  readonly rateEvaluationWindow?: Duration;

  /**
   * Further AWS managed rule groups for the web ACL, after its baseline groups.
   *
   * @default - none
   */
  readonly additionalManagedRuleGroups?: string[];

  /**
   * Let operators open a shell in running tasks (ECS Exec). Every command is then possible inside the container;
   * sessions are encrypted with `dataKey` and logged to the service's log group.
   *
   * @default false
   */
  readonly enableExecuteCommand?: boolean;

  /**
   * Accept traffic only from CloudFront: the load balancer's security group admits HTTPS only from CloudFront's
   * origin-facing managed prefix list (no port 80 listener), and the HTTPS listener forwards only requests whose
   * `X-Origin-Verify` header carries `originVerifySecret`; everything else gets 403. Make the distribution send that
   * header (`SecureDistribution` does).
   *
   * @default false
   */
  readonly cloudFrontOnly?: boolean;

  /**
   * Subnets of the tasks; public subnets fail at synth.
   *
   * @default { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }
   */
  readonly taskSubnets?: ec2.SubnetSelection;

  /**
   * How long container logs are kept.
   *
   * @default - a week in ephemeral stages, a year in durable stages
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Key for the container logs and the origin-verify secret.
   *
   * @default - a new `DataKey`
   */
  readonly dataKey?: DataKey;

  /**
   * Base of physical names: the log group `<application>-<base>-<stage>`.
   *
   * @default - the construct path below the stage in kebab case
   */
  readonly nameBase?: string;

  /**
   * The alarms: target and load balancer 5XX rates, p99 target response time, unhealthy targets, running tasks below desired.
   *
   * @default - all alarms with the library's thresholds, routed to the stack's `AlertTopic`
   */
  readonly monitoring?: FargateWebServiceMonitoring;
}

// Ports of the public side: HTTPS serves, HTTP only redirects.
const HTTPS_PORT = 443;
const HTTP_PORT = 80;
// Common for web frameworks run as non-root (ports below 1024 need root).
const DEFAULT_CONTAINER_PORT = 8080;
const DEFAULT_HEALTH_CHECK_PATH = '/health';
// The smallest Fargate size with memory for a JVM or Node.js web server and its GC headroom.
const DEFAULT_CPU = 512;
const DEFAULT_MEMORY_MIB = 1024;
// One task in ephemeral stages (cost); two in durable ones, spread over zones, so one zone or task failing leaves service.
const EPHEMERAL_DESIRED_COUNT = 1;
const DURABLE_DESIRED_COUNT = 2;
const MAX_CAPACITY_FACTOR = 4;
// Target tracking: 60% CPU leaves headroom for a surge while new tasks start (about a minute on Fargate).
const DEFAULT_TARGET_CPU_PERCENT = 60;
const DEFAULT_REQUESTS_PER_TARGET = 1000;
const DEFAULT_SCALE_IN_COOLDOWN = Duration.minutes(5);
const DEFAULT_SCALE_OUT_COOLDOWN = Duration.minutes(1);
// Longer than a typical web server's start, shorter than the time a broken deploy should be noticed.
const DEFAULT_GRACE_PERIOD = Duration.seconds(60);
// Connections in flight finish within 30 s; the 300 s default slows every deployment for nothing.
const DEREGISTRATION_DELAY = Duration.seconds(30);
// Name of CloudFront's origin-facing managed prefix list, the same in every region; its id differs by region
// (CloudFront Developer Guide, "Use the CloudFront managed prefix list", read 2026-11).
const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = 'com.amazonaws.global.cloudfront.origin-facing';
// Listener rule header values: at most 128 characters, and '*' and '?' are wildcards, so the secret has neither (no punctuation).
const ORIGIN_SECRET_LENGTH = 64;

/**
 * A containerised web service on Fargate behind an internet-facing Application Load Balancer, with what seed 002's
 * post-mortem found missing (C17, C18, C21): HTTPS only (a certificate from props, a TLS 1.2+ policy; port 80 only
 * redirects), the ALB dropping invalid header fields with the strictest desync mitigation, deletion protection in durable
 * stages and access logs; the tasks in private subnets with a deployment circuit breaker that rolls back, a health-check
 * grace period and a container health check; separate task and execution roles; KMS-encrypted logs with retention;
 * ECS Exec off unless asked; Container Insights (enhanced) on the cluster; auto scaling on CPU and requests per target;
 * a regional `FintechWebAcl`; and alarms on the target and load balancer 5XX rates, p99 target response time, unhealthy
 * targets and running tasks below desired, routed to the stack's `AlertTopic`.
 *
 * Access logs go to a private, TLS-only `SecureBucket` encrypted with S3 managed keys (SSE-S3): ELB log delivery
 * supports only SSE-S3, not SSE-KMS (ELB User Guide for Application Load Balancers, bucket requirements of access and
 * health check logs, read 2026-11; aws-cdk issue 21947), and aws-cdk-lib refuses a bucket with a KMS key. The log delivery bucket policy is the
 * one aws-cdk-lib's `logAccessLogs` writes: the `logdelivery.elasticloadbalancing.amazonaws.com` principal in regions
 * opened since August 2022, the region's ELB account in older ones; so the stack needs a concrete region.
 */
export class FargateWebService extends Construct {
  /** The header CloudFront sends to prove a request came through it, when `cloudFrontOnly` is on. */
  public static readonly ORIGIN_VERIFY_HEADER = 'X-Origin-Verify';

  /** The ECS cluster (Container Insights enhanced). */
  public readonly cluster: ecs.Cluster;
  /** The internet-facing load balancer. */
  public readonly loadBalancer: elbv2.ApplicationLoadBalancer;
  /** The HTTPS listener. */
  public readonly httpsListener: elbv2.ApplicationListener;
  /** The port 80 listener, which only redirects to HTTPS; absent with `cloudFrontOnly`. */
  public readonly httpRedirectListener?: elbv2.ApplicationListener;
  /** The target group of the tasks. */
  public readonly targetGroup: elbv2.ApplicationTargetGroup;
  /** The Fargate service. */
  public readonly service: ecs.FargateService;
  /** The task definition. */
  public readonly taskDefinition: ecs.FargateTaskDefinition;
  /** The web container. */
  public readonly container: ecs.ContainerDefinition;
  /** The role the application code runs with: grant it what the application calls. */
  public readonly taskRole: iam.Role;
  /** The role ECS uses to start tasks: pull the image, write logs, read the named secrets. */
  public readonly executionRole: iam.Role;
  /** The container log group, KMS-encrypted. */
  public readonly logGroup: logs.LogGroup;
  /** The key of the logs and the origin-verify secret. */
  public readonly dataKey: DataKey;
  /** The bucket of the load balancer's access logs (SSE-S3, see the class docs). */
  public readonly accessLogsBucket: SecureBucket;
  /** The regional web ACL associated with the load balancer. */
  public readonly webAcl: FintechWebAcl;
  /** Security group of the load balancer. */
  public readonly loadBalancerSecurityGroup: ec2.SecurityGroup;
  /** Security group of the tasks: the load balancer on the container port, nothing else. */
  public readonly serviceSecurityGroup: ec2.SecurityGroup;
  /** The auto scaling of the task count. */
  public readonly scaling: ecs.ScalableTaskCount;
  /**
   * The secret CloudFront must send in `X-Origin-Verify`; only with `cloudFrontOnly`. The listener rule reads it through a
   * CloudFormation dynamic reference, so the template never holds it, though ELB shows it to whoever may call
   * DescribeRules. It has no rotation: CloudFormation resolves it only when it updates the rule (CloudFormation User Guide,
   * "Get a secret or secret value from Secrets Manager", read 2026-12), so a new value needs the rule and the distribution deployed again.
   */
  public readonly originVerifySecret?: secretsmanager.ISecret;
  /** The alarms: target 5XX rate, load balancer 5XX rate, p99 response time, unhealthy targets, tasks below desired; empty when monitoring is off. */
  public readonly alarms: cloudwatch.Alarm[];
  /** Tasks started with the service. */
  public readonly desiredCount: number;

  constructor(scope: Construct, id: string, props: FargateWebServiceProps) {
    super(scope, id);
    const at = `FargateWebService at ${this.node.path}`;
    const stage = FintechStage.settingsOf(this);
    const stack = Stack.of(this);

    if (!props.certificate) {
      throw new Error(`${at}: certificate is missing; the HTTPS listener needs one. Pass an ACM certificate of the stack's region, ` +
        'e.g. acm.Certificate.fromCertificateArn(this, \'Certificate\', arn) or a new acm.Certificate with DNS validation.');
    }
    const sslPolicy = props.sslPolicy ?? RECOMMENDED_ELB_SSL_POLICY;
    if (!Token.isUnresolved(sslPolicy) && isWeakElbPolicy(sslPolicy) !== false) {
      const problem = isWeakElbPolicy(sslPolicy) ? 'allows TLS 1.0 or 1.1' : 'is not a known TLS 1.2+ ELB security policy';
      throw new Error(`${at}: sslPolicy ${sslPolicy} ${problem}; use ${RECOMMENDED_ELB_SSL_POLICY} (drop sslPolicy) or another ` +
        'ELBSecurityPolicy-TLS13-1-2-* policy.');
    }
    if (Token.isUnresolved(stack.region)) {
      throw new Error(`${at}: the stack has no region, but the bucket policy of the load balancer's access logs depends on it; ` +
        'give the stack (or its FintechStage environment) a region.');
    }
    const containerPort = props.containerPort ?? DEFAULT_CONTAINER_PORT;
    if (!Token.isUnresolved(containerPort) && !(Number.isInteger(containerPort) && containerPort >= 1 && containerPort <= 65535)) {
      throw new Error(`${at}: containerPort ${containerPort} is not a TCP port from 1 to 65535; use the port the container listens on, e.g. ${DEFAULT_CONTAINER_PORT}.`);
    }
    const healthCheckPath = props.healthCheckPath ?? DEFAULT_HEALTH_CHECK_PATH;
    if (!Token.isUnresolved(healthCheckPath) && !healthCheckPath.startsWith('/')) {
      throw new Error(`${at}: healthCheckPath "${healthCheckPath}" must start with '/', e.g. '${DEFAULT_HEALTH_CHECK_PATH}'.`);
    }
    const cpu = props.cpu ?? DEFAULT_CPU;
    const memoryLimitMiB = props.memoryLimitMiB ?? DEFAULT_MEMORY_MIB;
    if (!isFargateTaskSize(cpu, memoryLimitMiB)) {
      const memories = fargateMemorySizes(cpu);
      const fix = memories.length > 0
        ? `with cpu ${cpu} use memoryLimitMiB from ${memories[0]} to ${memories[memories.length - 1]} in steps of ${memories[1] - memories[0]}`
        : `use cpu ${FARGATE_TASK_SIZES.map(s => s.cpu).join(', ')}`;
      throw new Error(`${at}: Fargate does not run a task of cpu ${cpu} and memoryLimitMiB ${memoryLimitMiB}; ${fix} (ECS Developer Guide, "Task size").`);
    }
    const { desiredCount, minCapacity, maxCapacity } = taskCounts(at, props, stage.durable);
    this.desiredCount = desiredCount;

    const taskSubnets = props.taskSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    const selected = props.vpc.selectSubnets(taskSubnets);
    const publicIds = new Set(props.vpc.publicSubnets.map(s => s.subnetId));
    if (selected.hasPublic || selected.subnets.some(s => publicIds.has(s.subnetId))) {
      throw new Error(`${at}: taskSubnets selects public subnets, where tasks would be reachable from the internet without the load balancer; ` +
        'drop taskSubnets (private subnets with egress) or select ec2.SubnetType.PRIVATE_WITH_EGRESS or PRIVATE_ISOLATED subnets.');
    }

    // An Application Load Balancer needs subnets in at least two zones (ELB User Guide, "Application Load Balancers", read 2026-11).
    // Zones of an environment-agnostic stack are tokens, one per zone index, so distinct tokens count as distinct zones.
    const publicZones = new Set(props.vpc.selectSubnets({ subnetType: ec2.SubnetType.PUBLIC }).availabilityZones);
    if (publicZones.size < 2) {
      throw new Error(`${at}: the VPC has public subnets in ${publicZones.size} availability zone${publicZones.size === 1 ? '' : 's'}, but a load balancer needs two; ` +
        'give the VPC at least two zones (FintechVpc maxAzs of 2 or more).');
    }

    const base = props.nameBase ?? stagePathBase(this);
    this.dataKey = props.dataKey ?? new DataKey(this, 'Key', { aliasBase: `${base}-service` });

    const logScope = new Construct(this, 'Logs');
    const { logGroup } = encryptedLogGroup(logScope, {
      dataKey: this.dataKey,
      aliasBase: `${base}-logs`,
      logGroupName: PhysicalName.of(this, base, { kind: NameKind.LOG_GROUP }),
      ...(props.logRetention ? { retention: props.logRetention } : {}),
    });
    this.logGroup = logGroup;

    // Roles: the application's, and the one ECS starts tasks with; neither gets a managed policy.
    this.taskRole = new iam.Role(this, 'TaskRole', {
      // Confused-deputy protection as the ECS Developer Guide, "Task IAM role", recommends (read 2026-11).
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com').withConditions({
        ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:ecs:${stack.region}:${stack.account}:*` },
        StringEquals: { 'aws:SourceAccount': stack.account },
      }),
      description: `Application role of ${this.node.path}`,
    });
    this.executionRole = new iam.Role(this, 'ExecutionRole', {
      // The trust policy the guide documents for execution roles, without conditions: it documents none that ECS supplies there.
      assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'),
      description: `Task execution role of ${this.node.path}: image pull, logs, the service's secrets`,
    });

    this.taskDefinition = new ecs.FargateTaskDefinition(this, 'TaskDefinition', {
      cpu,
      memoryLimitMiB,
      taskRole: this.taskRole,
      executionRole: this.executionRole,
      runtimePlatform: { operatingSystemFamily: ecs.OperatingSystemFamily.LINUX, cpuArchitecture: ecs.CpuArchitecture.X86_64 },
    });
    this.container = this.taskDefinition.addContainer('web', {
      image: props.image,
      essential: true,
      portMappings: [{ containerPort, protocol: ecs.Protocol.TCP }],
      logging: ecs.LogDrivers.awsLogs({ logGroup: this.logGroup, streamPrefix: 'web' }),
      healthCheck: props.containerHealthCheck ?? {
        command: ['CMD-SHELL', `wget -q -O /dev/null http://127.0.0.1:${containerPort}${healthCheckPath} || exit 1`],
        interval: Duration.seconds(30),
        timeout: Duration.seconds(5),
        retries: 3,
        startPeriod: Duration.seconds(60),
      },
      ...(props.environment ? { environment: props.environment } : {}),
      ...(props.secrets ? { secrets: props.secrets } : {}),
    });

    const enableExecuteCommand = props.enableExecuteCommand ?? false;
    this.cluster = new ecs.Cluster(this, 'Cluster', {
      vpc: props.vpc,
      containerInsightsV2: ecs.ContainerInsights.ENHANCED,
      // ECS Exec sessions are encrypted with the service's key and every command is logged to its encrypted log group
      // (an audit trail, and the task role may write only there instead of to every log group).
      ...(enableExecuteCommand ? {
        executeCommandConfiguration: {
          kmsKey: this.dataKey.key,
          logging: ecs.ExecuteCommandLogging.OVERRIDE,
          logConfiguration: { cloudWatchLogGroup: this.logGroup, cloudWatchEncryptionEnabled: true },
        },
      } : {}),
    });

    // Security groups: the internet (or CloudFront) to the load balancer, the load balancer to the tasks.
    const cloudFrontOnly = props.cloudFrontOnly ?? false;
    this.loadBalancerSecurityGroup = new ec2.SecurityGroup(this, 'LoadBalancerSecurityGroup', {
      vpc: props.vpc,
      description: cloudFrontOnly ? 'Load balancer: HTTPS from CloudFront only' : 'Load balancer: HTTPS, and HTTP to redirect, from the internet',
      allowAllOutbound: false,
    });
    this.serviceSecurityGroup = new ec2.SecurityGroup(this, 'ServiceSecurityGroup', {
      vpc: props.vpc,
      description: `Tasks of ${this.node.path}: the load balancer on port ${containerPort} only`,
      // Tasks call AWS APIs, the database and downstream services; what they may reach is decided by those resources' groups.
      allowAllOutbound: true,
    });
    if (cloudFrontOnly) {
      // One rule of the prefix list's weight (about 55 entries) fits the default 60 rules of a group; a second (port 80) would not.
      this.loadBalancerSecurityGroup.addIngressRule(ec2.Peer.prefixList(cloudFrontPrefixListId(this)), ec2.Port.tcp(HTTPS_PORT), 'HTTPS from CloudFront');
    } else {
      this.loadBalancerSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(HTTPS_PORT), 'HTTPS from the internet');
      this.loadBalancerSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(HTTP_PORT), 'HTTP from the internet, redirected to HTTPS');
    }
    this.loadBalancerSecurityGroup.addEgressRule(this.serviceSecurityGroup, ec2.Port.tcp(containerPort), 'To the tasks');
    this.serviceSecurityGroup.addIngressRule(this.loadBalancerSecurityGroup, ec2.Port.tcp(containerPort), 'From the load balancer');

    this.loadBalancer = new elbv2.ApplicationLoadBalancer(this, 'LoadBalancer', {
      vpc: props.vpc,
      internetFacing: true,
      vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      securityGroup: this.loadBalancerSecurityGroup,
      dropInvalidHeaderFields: true,
      desyncMitigationMode: elbv2.DesyncMitigationMode.STRICTEST,
      deletionProtection: stage.durable,
    });
    this.accessLogsBucket = new SecureBucket(this, 'AccessLogs', { encryption: BucketEncryptionMode.S3_MANAGED });
    this.loadBalancer.logAccessLogs(this.accessLogsBucket, 'alb');

    this.service = new ecs.FargateService(this, 'Service', {
      cluster: this.cluster,
      taskDefinition: this.taskDefinition,
      desiredCount,
      vpcSubnets: taskSubnets,
      securityGroups: [this.serviceSecurityGroup],
      assignPublicIp: false,
      circuitBreaker: { enable: true, rollback: true },
      healthCheckGracePeriod: props.healthCheckGracePeriod ?? DEFAULT_GRACE_PERIOD,
      enableExecuteCommand,
      // Keep full capacity during deployments: new tasks start before old ones stop.
      minHealthyPercent: 100,
      maxHealthyPercent: 200,
      propagateTags: ecs.PropagatedTagSource.SERVICE,
      platformVersion: ecs.FargatePlatformVersion.LATEST,
    });

    this.targetGroup = new elbv2.ApplicationTargetGroup(this, 'Targets', {
      vpc: props.vpc,
      port: containerPort,
      protocol: elbv2.ApplicationProtocol.HTTP,
      targetType: elbv2.TargetType.IP,
      targets: [this.service.loadBalancerTarget({ containerName: 'web', containerPort })],
      deregistrationDelay: DEREGISTRATION_DELAY,
      healthCheck: { path: healthCheckPath, healthyHttpCodes: '200', interval: Duration.seconds(15), healthyThresholdCount: 2, unhealthyThresholdCount: 3 },
    });

    this.httpsListener = this.loadBalancer.addListener('Https', {
      port: HTTPS_PORT,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromCertificateManager(props.certificate)],
      sslPolicy: sslPolicy as elbv2.SslPolicy,
      open: false,
      defaultAction: cloudFrontOnly
        ? elbv2.ListenerAction.fixedResponse(403, { contentType: 'text/plain', messageBody: 'Forbidden' })
        : elbv2.ListenerAction.forward([this.targetGroup]),
    });
    if (cloudFrontOnly) {
      const secret = new secretsmanager.Secret(this, 'OriginVerifySecret', {
        description: `Value CloudFront sends in ${FargateWebService.ORIGIN_VERIFY_HEADER} to ${this.node.path}`,
        encryptionKey: this.dataKey.key,
        generateSecretString: { passwordLength: ORIGIN_SECRET_LENGTH, excludePunctuation: true, includeSpace: false },
      });
      this.originVerifySecret = secret;
      this.httpsListener.addAction('FromCloudFront', {
        priority: 1,
        // A dynamic reference: CloudFormation reads the secret at deploy, the template never holds it.
        conditions: [elbv2.ListenerCondition.httpHeader(FargateWebService.ORIGIN_VERIFY_HEADER, [secret.secretValue.unsafeUnwrap()])],
        action: elbv2.ListenerAction.forward([this.targetGroup]),
      });
    } else {
      this.httpRedirectListener = this.loadBalancer.addListener('HttpRedirect', {
        port: HTTP_PORT,
        protocol: elbv2.ApplicationProtocol.HTTP,
        open: false,
        defaultAction: elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: String(HTTPS_PORT), permanent: true }),
      });
    }

    this.scaling = this.service.autoScaleTaskCount({ minCapacity, maxCapacity });
    const scaleInCooldown = props.scaleInCooldown ?? DEFAULT_SCALE_IN_COOLDOWN;
    const scaleOutCooldown = props.scaleOutCooldown ?? DEFAULT_SCALE_OUT_COOLDOWN;
    this.scaling.scaleOnCpuUtilization('CpuScaling', {
      targetUtilizationPercent: props.targetCpuUtilizationPercent ?? DEFAULT_TARGET_CPU_PERCENT,
      scaleInCooldown,
      scaleOutCooldown,
    });
    this.scaling.scaleOnRequestCount('RequestScaling', {
      requestsPerTarget: props.requestsPerTargetPerMinute ?? DEFAULT_REQUESTS_PER_TARGET,
      targetGroup: this.targetGroup,
      scaleInCooldown,
      scaleOutCooldown,
    });

    this.webAcl = new FintechWebAcl(this, 'WebAcl', {
      scope: WebAclScope.REGIONAL,
      description: `Web ACL of ${this.node.path}`,
      ...(props.requestsPerSecondPerIp !== undefined ? { requestsPerSecondPerIp: props.requestsPerSecondPerIp } : {}),
      ...(props.rateEvaluationWindow ? { rateEvaluationWindow: props.rateEvaluationWindow } : {}),
      ...(props.additionalManagedRuleGroups ? { additionalManagedRuleGroups: props.additionalManagedRuleGroups } : {}),
    });
    this.webAcl.associate('WebAclAssociation', this.loadBalancer.loadBalancerArn);

    const monitoring = props.monitoring ?? {};
    if (monitoring.enabled ?? true) {
      const { enabled: _enabled, ...thresholds } = monitoring;
      const watched = { loadBalancer: this.loadBalancer, targetGroup: this.targetGroup, service: this.service };
      const m = monitorWebService(this, watched, { owner: at, ...thresholds });
      this.alarms = [m.targetErrors.alarm, m.loadBalancerErrors.alarm, m.responseTime, m.unhealthyTargets, m.tasksBelowDesired];
    } else {
      this.alarms = [];
    }
  }
}

function taskCounts(at: string, props: FargateWebServiceProps, durable: boolean): { desiredCount: number; minCapacity: number; maxCapacity: number } {
  const desiredCount = props.desiredCount ?? (durable ? DURABLE_DESIRED_COUNT : EPHEMERAL_DESIRED_COUNT);
  const minCapacity = props.minCapacity ?? desiredCount;
  const maxCapacity = props.maxCapacity ?? Math.max(desiredCount, minCapacity) * MAX_CAPACITY_FACTOR;
  for (const [option, value] of [['desiredCount', desiredCount], ['minCapacity', minCapacity], ['maxCapacity', maxCapacity]] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`${at}: ${option} ${value} must be a whole number of at least 1; a web service with no task answers nothing.`);
    }
  }
  if (minCapacity > maxCapacity) {
    throw new Error(`${at}: minCapacity ${minCapacity} is above maxCapacity ${maxCapacity}; raise maxCapacity or lower minCapacity.`);
  }
  if (desiredCount < minCapacity || desiredCount > maxCapacity) {
    throw new Error(`${at}: desiredCount ${desiredCount} is outside minCapacity ${minCapacity} to maxCapacity ${maxCapacity}, so auto scaling would change it ` +
      'at once; set desiredCount within that range or widen it.');
  }
  return { desiredCount, minCapacity, maxCapacity };
}

/**
 * The id of CloudFront's origin-facing prefix list in the stack's region, read at deploy time by a custom resource
 * (DescribeManagedPrefixLists by name): its id differs by region, and a synth-time lookup would need credentials and
 * a context file.
 */
function cloudFrontPrefixListId(scope: Construct): string {
  const lookup = new cr.AwsCustomResource(scope, 'CloudFrontPrefixList', {
    onUpdate: {
      service: 'EC2',
      action: 'describeManagedPrefixLists',
      parameters: { Filters: [{ Name: 'prefix-list-name', Values: [CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST] }] },
      physicalResourceId: cr.PhysicalResourceId.of(CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST),
      outputPaths: ['PrefixLists.0.PrefixListId'],
    },
    // ec2:DescribeManagedPrefixLists has no resource-level permissions.
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
    installLatestAwsSdk: false,
  });
  return lookup.getResponseField('PrefixLists.0.PrefixListId');
}
