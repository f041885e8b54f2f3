import { Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DataKey, KeyConsumer } from '../encryption/data-key';
import { FintechStage } from '../stage/fintech-stage';
import { followStage } from '../stage/follow-stage';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { kebabId } from '../stage/stage-path-base';

/** Properties of a `FintechVpc`. */
export interface FintechVpcProps {
  /**
   * IPv4 block of the VPC, from /16 to /28. Choose one that overlaps no network it will ever be
   * connected to (peered VPCs, transit gateway, on-premises): list those in `reservedCidrs`.
   *
   * @default '10.0.0.0/16'
   */
  readonly cidr?: string;

  /**
   * Networks the VPC must not overlap, e.g. peered VPCs and on-premises ranges.
   *
   * @default - none
   */
  readonly reservedCidrs?: string[];

  /**
   * Availability zones to spread the subnets over. Durable stages need at least 2. An
   * environment-agnostic stack (no account) gets 2 whatever this says.
   *
   * @default 3
   */
  readonly maxAzs?: number;

  /**
   * NAT gateways for the private subnets' outbound traffic.
   *
   * @default - 1 in ephemeral stages, one per availability zone in durable stages
   */
  readonly natGateways?: number;

  /**
   * Prefix length of each public subnet (load balancers, NAT gateways).
   *
   * @default 24
   */
  readonly publicSubnetCidrMask?: number;

  /**
   * Prefix length of each private subnet with egress (functions, containers, interface endpoints).
   *
   * @default 20
   */
  readonly privateSubnetCidrMask?: number;

  /**
   * Prefix length of each isolated subnet (databases).
   *
   * @default 24
   */
  readonly isolatedSubnetCidrMask?: number;

  /**
   * Interface endpoints to add to SQS, SNS, CloudWatch Logs, STS, KMS and Secrets Manager,
   * which every FintechVpc has. Each service once.
   *
   * @default - none
   */
  readonly additionalInterfaceEndpoints?: ec2.InterfaceVpcEndpointAwsService[];

  /**
   * Add the ECR API and ECR Docker interface endpoints, so container tasks in the private subnets pull images
   * from ECR without the NAT gateway: the image layers come from S3 through the S3 gateway endpoint, and the
   * secrets and logs the tasks need already have endpoints. Do not list `ECR` or `ECR_DOCKER` in
   * `additionalInterfaceEndpoints` as well.
   *
   * @default false
   */
  readonly containerImageEndpoints?: boolean;

  /**
   * How long flow logs are kept.
   *
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly flowLogRetention?: logs.RetentionDays;

  /**
   * Key that encrypts the flow log group.
   *
   * @default - a new `DataKey`
   */
  readonly dataKey?: DataKey;

  /**
   * Base of the physical names: the VPC's Name tag `<application>-<base>-<stage>` and the flow
   * log group `<application>-<base>-flow-logs-<stage>`.
   *
   * @default - the construct id in kebab case, e.g. `network` for `Network`
   */
  readonly nameBase?: string;
}

// A /16 gives room for every tier in three zones and is the largest block a VPC takes.
const DEFAULT_CIDR = '10.0.0.0/16';
// Three zones keep two thirds of the capacity when one fails; two is the minimum for a durable stage.
const DEFAULT_MAX_AZS = 3;
const MIN_DURABLE_AZS = 2;
// 251 usable addresses per zone: load balancers and NAT gateways need few.
const DEFAULT_PUBLIC_MASK = 24;
// 4,091 usable addresses per zone: every Lambda function, task and interface endpoint takes one or more ENIs.
const DEFAULT_PRIVATE_MASK = 20;
// 251 usable addresses per zone: databases and caches.
const DEFAULT_ISOLATED_MASK = 24;
// PCI DSS v4.0 requirement 10.5.1: keep audit log history, network flows included, for at least 12 months.
const DEFAULT_FLOW_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;
// VPC and subnet prefix lengths AWS accepts (Amazon VPC User Guide, "VPC CIDR blocks", checked 2026-11).
const MIN_PREFIX = 16;
const MAX_PREFIX = 28;
// What the private subnets' workloads call most: queues, topics, logs, credentials, keys and secrets stay off the NAT gateway.
const BASE_INTERFACE_ENDPOINTS = [
  ec2.InterfaceVpcEndpointAwsService.SQS,
  ec2.InterfaceVpcEndpointAwsService.SNS,
  ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
  ec2.InterfaceVpcEndpointAwsService.STS,
  ec2.InterfaceVpcEndpointAwsService.KMS,
  ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
];
// What a task needs to pull an image from ECR privately (ECS Developer Guide, "Amazon ECS interface VPC endpoints", read 2026-11).
const CONTAINER_IMAGE_ENDPOINTS = [
  ec2.InterfaceVpcEndpointAwsService.ECR,
  ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER,
];
const HTTPS = 443;

/**
 * A VPC with public, private-with-egress and isolated subnets in every zone, wired so AWS traffic
 * stays private (C17): S3 and DynamoDB gateway endpoints on the route tables of the private and
 * isolated subnets; interface endpoints (SQS, SNS, Logs, STS, KMS, Secrets Manager, ECR with
 * `containerImageEndpoints`, and more on request) with private DNS in the private subnets, behind one
 * security group that admits HTTPS from the VPC only; flow logs of all traffic to a KMS-encrypted log group. NAT gateways follow the
 * stage: one in ephemeral stages (cost), one per zone in durable ones (a zone failure cuts no egress).
 * The default security group is stripped of its rules. Use it wherever an `ec2.IVpc` is expected.
 */
export class FintechVpc extends ec2.Vpc {
  /** The security group of every interface endpoint: TCP 443 from the VPC CIDR, nothing else. */
  public readonly endpointSecurityGroup: ec2.SecurityGroup;
  /** Interface endpoints by service short name, e.g. `sqs`, `logs`, `secretsmanager`. */
  public readonly interfaceEndpoints: { [shortName: string]: ec2.InterfaceVpcEndpoint };
  /** The S3 gateway endpoint. */
  public readonly s3Endpoint: ec2.GatewayVpcEndpoint;
  /** The DynamoDB gateway endpoint. */
  public readonly dynamoDbEndpoint: ec2.GatewayVpcEndpoint;
  /** The flow log of all traffic. */
  public readonly flowLog: ec2.FlowLog;
  /** The log group that receives the flow log. */
  public readonly flowLogGroup: logs.LogGroup;
  /** The VPC's Name tag, `<application>-<base>-<stage>`. */
  public readonly vpcNameTag: string;
  /** NAT gateways the VPC has. */
  public readonly natGatewayCount: number;

  constructor(scope: Construct, id: string, props: FintechVpcProps = {}) {
    const at = `FintechVpc at ${[scope.node.path, id].filter(Boolean).join('/')}`;
    const stage = FintechStage.settingsOf(scope);
    const durableStage = stage.stageName ? `durable stage "${stage.stageName}"` : 'the durable default (no FintechStage, no fintech:stage context)';
    const cidr = props.cidr ?? DEFAULT_CIDR;
    const block = parseCidr(at, 'cidr', cidr, MIN_PREFIX, MAX_PREFIX);
    for (const reserved of props.reservedCidrs ?? []) {
      const other = parseCidr(at, 'reservedCidrs', reserved, 0, 32);
      if (overlaps(block, other)) {
        throw new Error(`${at}: cidr ${cidr} overlaps ${reserved} of reservedCidrs, so traffic to that network could never be routed; choose a cidr outside every reserved range.`);
      }
    }

    const maxAzs = props.maxAzs ?? DEFAULT_MAX_AZS;
    if (!Number.isInteger(maxAzs) || maxAzs < 1) {
      throw new Error(`${at}: maxAzs ${maxAzs} must be a whole number of at least 1; use the default ${DEFAULT_MAX_AZS}.`);
    }
    if (stage.durable && maxAzs < MIN_DURABLE_AZS) {
      throw new Error(`${at}: maxAzs ${maxAzs} in ${durableStage} leaves it down when one availability zone fails; use maxAzs of at least ${MIN_DURABLE_AZS}.`);
    }
    const azCount = Stack.of(scope).availabilityZones.slice(0, maxAzs).length;
    const natGateways = props.natGateways ?? (stage.durable ? azCount : 1);
    if (!Number.isInteger(natGateways) || natGateways < 1 || natGateways > azCount) {
      throw new Error(`${at}: natGateways ${natGateways} must be a whole number from 1 to ${azCount} (one per availability zone at most); ` +
        'private subnets need at least one for their outbound traffic. Drop natGateways to follow the stage.');
    }

    const tiers: Array<{ name: string; subnetType: ec2.SubnetType; option: string; mask: number }> = [
      { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, option: 'publicSubnetCidrMask', mask: props.publicSubnetCidrMask ?? DEFAULT_PUBLIC_MASK },
      { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, option: 'privateSubnetCidrMask', mask: props.privateSubnetCidrMask ?? DEFAULT_PRIVATE_MASK },
      { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, option: 'isolatedSubnetCidrMask', mask: props.isolatedSubnetCidrMask ?? DEFAULT_ISOLATED_MASK },
    ];
    checkSubnetsFit(at, cidr, block, tiers, azCount);
    const additional = checkAdditionalEndpoints(at, props.additionalInterfaceEndpoints ?? [], props.containerImageEndpoints ?? false);

    const nameBase = props.nameBase ?? kebabId(id, 'network');
    const vpcNameTag = PhysicalName.of(scope, nameBase);
    super(scope, id, {
      ipAddresses: ec2.IpAddresses.cidr(cidr),
      maxAzs,
      natGateways,
      vpcName: vpcNameTag,
      subnetConfiguration: tiers.map(tier => ({ name: tier.name, subnetType: tier.subnetType, cidrMask: tier.mask })),
      // CIS AWS Foundations 5.4: the default security group allows no traffic, so nothing lands in it by accident.
      restrictDefaultSecurityGroup: true,
    });
    followStage(this);
    this.vpcNameTag = vpcNameTag;
    this.natGatewayCount = natGateways;
    if (stage.durable && this.availabilityZones.length < MIN_DURABLE_AZS) {
      throw new Error(`${at}: region ${Stack.of(this).region} gives only ${this.availabilityZones.length} availability zone in ${durableStage}; ` +
        `a durable VPC needs at least ${MIN_DURABLE_AZS}: deploy the stage to a region with more zones.`);
    }

    const privateAndIsolated = [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }];
    this.s3Endpoint = this.addGatewayEndpoint('S3Endpoint', { service: ec2.GatewayVpcEndpointAwsService.S3, subnets: privateAndIsolated });
    this.dynamoDbEndpoint = this.addGatewayEndpoint('DynamoDbEndpoint', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB, subnets: privateAndIsolated });

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this,
      description: 'Interface endpoints: HTTPS from inside the VPC only',
      // Endpoints only answer; they never open connections, so no outbound rule is needed.
      allowAllOutbound: false,
    });
    this.endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(HTTPS), 'HTTPS from inside the VPC');
    this.interfaceEndpoints = {};
    for (const service of [...BASE_INTERFACE_ENDPOINTS, ...additional]) {
      this.interfaceEndpoints[service.shortName] = this.addInterfaceEndpoint(`Endpoint-${service.shortName}`, {
        service,
        subnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        securityGroups: [this.endpointSecurityGroup],
        privateDnsEnabled: true,
        // The shared group above already admits 443 from the VPC; `open` would add the same rule once per endpoint.
        open: false,
      });
    }

    const logGroupName = PhysicalName.of(this, `${nameBase}-flow-logs`, { kind: NameKind.LOG_GROUP });
    const key = props.dataKey ?? new DataKey(this, 'FlowLogKey', { aliasBase: `${nameBase}-flow-logs` });
    const stack = Stack.of(this);
    key.allowService(KeyConsumer.LOGS, { sourceArn: `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${logGroupName}` });
    this.flowLogGroup = new logs.LogGroup(this, 'FlowLogs', {
      logGroupName,
      encryptionKey: key.key,
      retention: props.flowLogRetention ?? DEFAULT_FLOW_LOG_RETENTION,
    });
    this.flowLog = this.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(this.flowLogGroup),
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
  }
}

interface Cidr {
  readonly start: number;
  readonly prefix: number;
  readonly size: number;
}

function parseCidr(at: string, option: string, cidr: string, minPrefix: number, maxPrefix: number): Cidr {
  const match = typeof cidr === 'string' && !Token.isUnresolved(cidr) ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr) : null;
  const octets = match ? match.slice(1, 5).map(Number) : [];
  const prefix = match ? Number(match[5]) : NaN;
  if (!match || octets.some(o => o > 255) || prefix < minPrefix || prefix > maxPrefix) {
    throw new Error(`${at}: ${option} "${cidr}" is not an IPv4 block from /${minPrefix} to /${maxPrefix}; write it like '10.0.0.0/16'.`);
  }
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const size = 2 ** (32 - prefix);
  const start = address - (address % size);
  if (start !== address) {
    throw new Error(`${at}: ${option} "${cidr}" has host bits set; use the network address ${formatCidr(start, prefix)}.`);
  }
  return { start, prefix, size };
}

function overlaps(a: Cidr, b: Cidr): boolean {
  return a.start < b.start + b.size && b.start < a.start + a.size;
}

// Mirrors how CDK allocates: tier by tier, zone by zone, each subnet aligned to its own size.
function checkSubnetsFit(at: string, cidr: string, block: Cidr, tiers: ReadonlyArray<{ option: string; mask: number }>, azCount: number): void {
  let next = 0;
  for (const tier of tiers) {
    if (!Number.isInteger(tier.mask) || tier.mask < Math.max(block.prefix, MIN_PREFIX) || tier.mask > MAX_PREFIX) {
      throw new Error(`${at}: ${tier.option} ${tier.mask} must be a whole number from ${Math.max(block.prefix, MIN_PREFIX)} (the VPC's own prefix) to ${MAX_PREFIX}.`);
    }
    const size = 2 ** (32 - tier.mask);
    for (let zone = 0; zone < azCount; zone++) next = Math.ceil(next / size) * size + size;
  }
  if (next > block.size) {
    const masks = tiers.map(t => `/${t.mask}`).join(', ');
    throw new Error(`${at}: ${azCount} availability zones of ${masks} subnets need ${next} addresses, but cidr ${cidr} has ${block.size}; ` +
      'use a larger cidr, longer subnet masks or fewer zones (maxAzs).');
  }
}

// The interface endpoints beyond the base ones: the container image ones when asked, then `additional`, each service once.
function checkAdditionalEndpoints(at: string, additional: readonly ec2.InterfaceVpcEndpointAwsService[],
  containerImageEndpoints: boolean): ec2.InterfaceVpcEndpointAwsService[] {
  const implied = containerImageEndpoints ? CONTAINER_IMAGE_ENDPOINTS : [];
  const seen = new Set([...BASE_INTERFACE_ENDPOINTS, ...implied].map(s => s.shortName));
  for (const service of additional) {
    if (seen.has(service.shortName)) {
      const why = BASE_INTERFACE_ENDPOINTS.some(s => s.shortName === service.shortName) ? 'every FintechVpc has it already'
        : implied.some(s => s.shortName === service.shortName) ? 'containerImageEndpoints adds it already' : 'it is listed twice';
      throw new Error(`${at}: additionalInterfaceEndpoints names ${service.shortName}, but ${why}; an endpoint with private DNS can exist once per VPC. Drop it from additionalInterfaceEndpoints.`);
    }
    seen.add(service.shortName);
  }
  return [...implied, ...additional];
}

function formatCidr(start: number, prefix: number): string {
  return `${[24, 16, 8, 0].map(shift => Math.floor(start / 2 ** shift) % 256).join('.')}/${prefix}`;
}
