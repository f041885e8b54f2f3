import { Fn, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { DataKey, KeyConsumer } from '../encryption/data-key';
import { ENDPOINT_SERVICES, EndpointService } from '../facts/vpc-endpoint-services';
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
   * Whether the VPC has a path to the internet. `true`: public subnets with an internet gateway, private subnets
   * with egress through NAT gateways, and isolated subnets. `false`: isolated subnets only, with no internet gateway,
   * no NAT gateway and no route out of the VPC: AWS services are reached through `endpoints` alone, and
   * `natGateways`, `publicSubnetCidrMask` and `privateSubnetCidrMask` must not be given.
   *
   * @default true
   */
  readonly internetAccess?: boolean;

  /**
   * NAT gateways for the private subnets' outbound traffic. Not allowed with `internetAccess: false`.
   *
   * @default - 1 in ephemeral stages, one per availability zone in durable stages; none with `internetAccess: false`
   */
  readonly natGateways?: number;

  /**
   * Prefix length of each public subnet (load balancers, NAT gateways). Not allowed with `internetAccess: false`.
   *
   * @default 24
   */
  readonly publicSubnetCidrMask?: number;

  /**
   * Prefix length of each private subnet with egress (functions, containers, interface endpoints). Not allowed with
   * `internetAccess: false`.
   *
   * @default 20
   */
  readonly privateSubnetCidrMask?: number;

  /**
   * Prefix length of each isolated subnet (databases; with `internetAccess: false` also functions, containers and
   * interface endpoints).
   *
   * @default 24, or 20 with `internetAccess: false`
   */
  readonly isolatedSubnetCidrMask?: number;

  /**
   * The VPC endpoints, by the last part of their service name `com.amazonaws.<region>.<name>`: `s3` and `dynamodb`
   * are gateway endpoints (free, routed from every private and isolated route table); the others (`sqs`, `sns`,
   * `kms`, `logs`, `xray`, `secretsmanager`, `sts`, `ssm`, `events`, `states`, `lambda`, `monitoring`,
   * `kinesis-streams`, `kinesis-firehose`, `execute-api`, `ecr.api`, `ecr.dkr`, `rds-data`, `rds`, `athena`, `textract`,
   * `comprehend`, `polly`, `verifiedpermissions`, `appconfigdata`, `sagemaker.runtime`, `sagemaker.featurestore-runtime`,
   * `bedrock-runtime`, `bedrock-agent-runtime`, `payment-cryptography.dataplane`) are interface endpoints with private DNS,
   * billed per availability zone and hour. Each name once.
   *
   * @default ['s3', 'dynamodb', 'sqs', 'sns', 'logs', 'sts', 'kms', 'secretsmanager']
   */
  readonly endpoints?: string[];

  /**
   * Add the ECR API and ECR Docker interface endpoints, so container tasks pull images from ECR without the NAT
   * gateway (and, with `internetAccess: false`, at all): the image layers come from S3 through the S3 gateway
   * endpoint, which `endpoints` must then include, and whose policy then admits ECR's layer bucket (as it always
   * does with internet access). Do not list `ecr.api` or `ecr.dkr` in `endpoints` as well.
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
// Without internet access the isolated tier also holds the functions, tasks and endpoints: as many addresses as the private tier.
const DEFAULT_ISOLATED_ONLY_MASK = DEFAULT_PRIVATE_MASK;
// PCI DSS v4.0 requirement 10.5.1: keep audit log history, network flows included, for at least 12 months.
const DEFAULT_FLOW_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;
// VPC and subnet prefix lengths AWS accepts (Amazon VPC User Guide, "VPC CIDR blocks", checked 2026-11).
const MIN_PREFIX = 16;
const MAX_PREFIX = 28;
// What the private subnets' workloads call most: objects and tables through the free gateway endpoints; queues,
// topics, logs, credentials, keys and secrets through interface endpoints, off the NAT gateway.
const DEFAULT_ENDPOINTS = ['s3', 'dynamodb', 'sqs', 'sns', 'logs', 'sts', 'kms', 'secretsmanager'];
// What a task needs to pull an image from ECR privately (ECS Developer Guide, "Amazon ECS interface VPC endpoints", read 2026-11).
const CONTAINER_IMAGE_ENDPOINTS = ['ecr.api', 'ecr.dkr'];
// Construct ids of the gateway endpoints, kept from before endpoints were chosen by name so deployed VPCs keep them.
const GATEWAY_ENDPOINT_IDS: Record<string, string> = { s3: 'S3Endpoint', dynamodb: 'DynamoDbEndpoint' };
const HTTPS = 443;
// Marks FintechVpc instances; Symbol.for so a copy of the library in another node_modules recognises them too.
const FINTECH_VPC = Symbol.for('fintech-infra-template.FintechVpc');

/**
 * A VPC wired so AWS traffic stays private (C17). By default public, private-with-egress and isolated subnets in every
 * zone, with NAT gateways that follow the stage: one in ephemeral stages (cost), one per zone in durable ones (a
 * zone failure cuts no egress). With `internetAccess: false`, isolated subnets only: no internet gateway, no NAT
 * gateway, no route out of the VPC.
 *
 * The `endpoints` (by name) carry the AWS traffic: S3 and DynamoDB gateway endpoints on the route tables of every
 * private and isolated subnet, with policies that admit only the account's buckets and the region's tables of the
 * account (plus the AWS-owned buckets CloudFormation custom resources and ECR image pulls need); S3 traffic takes the
 * gateway endpoint even where a NAT gateway exists, so another account's bucket needs a statement of its own
 * (`vpc.gatewayEndpoints.s3.addToPolicy(...)`); interface
 * endpoints with private DNS in the private subnets (the isolated ones without internet access), behind one
 * security group that admits HTTPS from the VPC only. Flow logs of all traffic go to a KMS-encrypted log group; the
 * default security group is stripped of its rules. Use it wherever an `ec2.IVpc` is expected.
 */
export class FintechVpc extends ec2.Vpc {
  /**
   * Whether `x` is a `FintechVpc`, also when it was created by another copy of this library.
   */
  public static isFintechVpc(x: any): x is FintechVpc {
    return typeof x === 'object' && x !== null && FINTECH_VPC in x;
  }

  /** Whether the VPC has a path to the internet (public subnets, internet gateway, NAT gateways). */
  public readonly internetAccess: boolean;
  /** The security group of every interface endpoint: TCP 443 from the VPC CIDR, nothing else. */
  public readonly endpointSecurityGroup: ec2.SecurityGroup;
  /** Every endpoint the VPC has, gateway and interface, by name, e.g. `s3`, `sqs`, `ecr.api`. */
  public readonly endpointNames: string[];
  /** Interface endpoints by name, e.g. `sqs`, `logs`, `secretsmanager`. */
  public readonly interfaceEndpoints: { [name: string]: ec2.InterfaceVpcEndpoint };
  /** Gateway endpoints by name: `s3` and `dynamodb` when the VPC has them. */
  public readonly gatewayEndpoints: { [name: string]: ec2.GatewayVpcEndpoint };
  /** The flow log of all traffic. */
  public readonly flowLog: ec2.FlowLog;
  /** The log group that receives the flow log. */
  public readonly flowLogGroup: logs.LogGroup;
  /** The VPC's Name tag, `<application>-<base>-<stage>`. */
  public readonly vpcNameTag: string;
  /** NAT gateways the VPC has. */
  public readonly natGatewayCount: number;
  private readonly at: string;
  private readonly prefixListIds: { [name: string]: string } = {};

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
    const internetAccess = props.internetAccess ?? true;
    let natGateways = 0;
    let tiers: Array<{ name: string; subnetType: ec2.SubnetType; option: string; mask: number }>;
    if (internetAccess) {
      natGateways = props.natGateways ?? (stage.durable ? azCount : 1);
      if (!Number.isInteger(natGateways) || natGateways < 1 || natGateways > azCount) {
        throw new Error(`${at}: natGateways ${natGateways} must be a whole number from 1 to ${azCount} (one per availability zone at most); ` +
          'private subnets need at least one for their outbound traffic. Drop natGateways to follow the stage, or set internetAccess: false for a VPC without NAT gateways.');
      }
      tiers = [
        { name: 'Public', subnetType: ec2.SubnetType.PUBLIC, option: 'publicSubnetCidrMask', mask: props.publicSubnetCidrMask ?? DEFAULT_PUBLIC_MASK },
        { name: 'Private', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, option: 'privateSubnetCidrMask', mask: props.privateSubnetCidrMask ?? DEFAULT_PRIVATE_MASK },
        { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, option: 'isolatedSubnetCidrMask', mask: props.isolatedSubnetCidrMask ?? DEFAULT_ISOLATED_MASK },
      ];
    } else {
      const internetOptions: Array<[string, unknown, string]> = [
        ['natGateways', props.natGateways, 'NAT gateways'],
        ['publicSubnetCidrMask', props.publicSubnetCidrMask, 'public subnets'],
        ['privateSubnetCidrMask', props.privateSubnetCidrMask, 'private subnets with egress'],
      ];
      for (const [option, value, what] of internetOptions) {
        if (value !== undefined) {
          throw new Error(`${at}: ${option} ${value} is given with internetAccess: false, but a VPC without internet access has no ${what}; ` +
            `drop ${option}, or drop internetAccess: false for a VPC with a path to the internet.`);
        }
      }
      tiers = [
        { name: 'Isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, option: 'isolatedSubnetCidrMask', mask: props.isolatedSubnetCidrMask ?? DEFAULT_ISOLATED_ONLY_MASK },
      ];
    }
    checkSubnetsFit(at, cidr, block, tiers, azCount);
    const containerImageEndpoints = props.containerImageEndpoints ?? false;
    const endpoints = checkEndpoints(at, props.endpoints ?? DEFAULT_ENDPOINTS, containerImageEndpoints);

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
    Object.defineProperty(this, FINTECH_VPC, { value: true });
    followStage(this);
    this.at = at;
    this.internetAccess = internetAccess;
    this.vpcNameTag = vpcNameTag;
    this.natGatewayCount = natGateways;
    if (stage.durable && this.availabilityZones.length < MIN_DURABLE_AZS) {
      throw new Error(`${at}: region ${Stack.of(this).region} gives only ${this.availabilityZones.length} availability zone in ${durableStage}; ` +
        `a durable VPC needs at least ${MIN_DURABLE_AZS}: deploy the stage to a region with more zones.`);
    }

    const routedTiers = internetAccess
      ? [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }, { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }]
      : [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }];
    this.gatewayEndpoints = {};
    for (const service of endpoints.filter(e => e.type === 'Gateway')) {
      const endpoint = this.addGatewayEndpoint(GATEWAY_ENDPOINT_IDS[service.name], {
        service: new ec2.GatewayVpcEndpointAwsService(service.name),
        subnets: routedTiers,
      });
      const statements = gatewayEndpointStatements(this, service.name, internetAccess || containerImageEndpoints);
      for (const statement of statements) endpoint.addToPolicy(statement);
      this.gatewayEndpoints[service.name] = endpoint;
    }

    this.endpointSecurityGroup = new ec2.SecurityGroup(this, 'EndpointSecurityGroup', {
      vpc: this,
      description: 'Interface endpoints: HTTPS from inside the VPC only',
      // Endpoints only answer; they never open connections, so no outbound rule is needed.
      allowAllOutbound: false,
    });
    this.endpointSecurityGroup.addIngressRule(ec2.Peer.ipv4(cidr), ec2.Port.tcp(HTTPS), 'HTTPS from inside the VPC');
    this.interfaceEndpoints = {};
    for (const service of endpoints.filter(e => e.type === 'Interface')) {
      this.interfaceEndpoints[service.name] = this.addInterfaceEndpoint(`Endpoint-${service.name}`, {
        service: new ec2.InterfaceVpcEndpointAwsService(service.name),
        subnets: { subnetType: internetAccess ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED },
        securityGroups: [this.endpointSecurityGroup],
        privateDnsEnabled: true,
        // The shared group above already admits 443 from the VPC; `open` would add the same rule once per endpoint.
        open: false,
      });
    }
    this.endpointNames = endpoints.map(e => e.name);

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

  /** Whether the VPC has the endpoint of that name (`s3`, `sqs`, `ecr.api`, ...), gateway or interface. */
  public hasEndpoint(name: string): boolean {
    return this.endpointNames.includes(name);
  }

  /**
   * The id of the AWS-managed prefix list of a gateway endpoint's service (`s3` or `dynamodb`) in the stack's region,
   * for security group rules such as 443 egress to S3. Read at deploy time by one lookup custom resource per name
   * (DescribePrefixLists by `com.amazonaws.<region>.<name>`), created on the first call: the id differs by region, and
   * a synth-time lookup would need credentials and a context file.
   *
   * @param name `s3` or `dynamodb`, a gateway endpoint the VPC has
   */
  public gatewayEndpointPrefixListId(name: string): string {
    if (!this.gatewayEndpoints[name]) {
      const gateways = Object.keys(this.gatewayEndpoints);
      throw new Error(`${this.at}: gatewayEndpointPrefixListId('${name}') names no gateway endpoint of this VPC ` +
        `(it has ${gateways.length ? gateways.map(g => `'${g}'`).join(' and ') : 'none'}); ` +
        `add '${name}' to endpoints if it is a gateway service (s3 or dynamodb), or call it with one the VPC has.`);
    }
    if (!this.prefixListIds[name]) {
      const prefixListName = `com.amazonaws.${Stack.of(this).region}.${name}`;
      const lookup = new cr.AwsCustomResource(this, `${GATEWAY_ENDPOINT_IDS[name].replace(/Endpoint$/, '')}PrefixList`, {
        onUpdate: {
          service: 'EC2',
          action: 'describePrefixLists',
          parameters: { Filters: [{ Name: 'prefix-list-name', Values: [prefixListName] }] },
          physicalResourceId: cr.PhysicalResourceId.of(prefixListName),
          outputPaths: ['PrefixLists.0.PrefixListId'],
        },
        // ec2:DescribePrefixLists has no resource-level permissions.
        policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
        installLatestAwsSdk: false,
      });
      this.prefixListIds[name] = lookup.getResponseField('PrefixLists.0.PrefixListId');
    }
    return this.prefixListIds[name];
  }
}

/**
 * The statements of a gateway endpoint's policy: what may pass through it, whoever calls. S3: the account's own
 * buckets (`aws:ResourceAccount`), the AWS-owned buckets CloudFormation takes custom-resource responses and
 * wait-condition signals in, and when the VPC's workloads can pull ECR images the ECR layer bucket. DynamoDB: the
 * account's tables in the region, and the account-level calls that name no table.
 */
function gatewayEndpointStatements(scope: Construct, name: string, ecrImagePulls: boolean): iam.PolicyStatement[] {
  const { account, region, partition } = Stack.of(scope);
  if (name === 's3') {
    // AWS CloudFormation User Guide, "Setting up VPC endpoints for CloudFormation"
    // (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/cfn-vpce-bucketnames.html, read 2026-12): custom
    // resources answer with a PUT to a pre-signed URL in cloudformation-custom-resource-response-<region without dashes>,
    // wait conditions in cloudformation-waitcondition-<region>; both buckets belong to AWS, not to the account.
    const regionWithoutDashes = Token.isUnresolved(region) ? Fn.join('', Fn.split('-', region)) : region.replace(/-/g, '');
    const statements = [
      new iam.PolicyStatement({
        sid: 'AccountBuckets',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:ResourceAccount': account } },
      }),
      new iam.PolicyStatement({
        sid: 'AccountLevelCalls',
        principals: [new iam.AnyPrincipal()],
        // ListBuckets names no bucket (resource `*`), so aws:ResourceAccount has nothing to match; it lists the caller's own.
        actions: ['s3:ListAllMyBuckets'],
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'CloudFormationResponses',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [
          `arn:${partition}:s3:::cloudformation-custom-resource-response-${regionWithoutDashes}/*`,
          `arn:${partition}:s3:::cloudformation-waitcondition-${region}/*`,
        ],
      }),
    ];
    // With internet access a task reaches ECR's API through the NAT gateway, but its layer downloads still take the
    // S3 gateway endpoint's more specific route; without it, only through the ECR endpoints of containerImageEndpoints.
    if (ecrImagePulls) {
      // Amazon ECR User Guide, "Amazon ECR interface VPC endpoints", section "Minimum Amazon S3 bucket permissions for
      // Amazon ECR" (https://docs.aws.amazon.com/AmazonECR/latest/userguide/vpc-endpoints.html, read 2026-12): image
      // layers are downloaded from the AWS-owned bucket prod-<region>-starport-layer-bucket.
      statements.push(new iam.PolicyStatement({
        sid: 'EcrImageLayers',
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [`arn:${partition}:s3:::prod-${region}-starport-layer-bucket/*`],
      }));
    }
    return statements;
  }
  return [
    new iam.PolicyStatement({
      sid: 'AccountTables',
      principals: [new iam.AnyPrincipal()],
      actions: ['dynamodb:*'],
      // Also covers the tables' indexes, streams and exports, whose ARNs extend the table's.
      resources: [`arn:${partition}:dynamodb:${region}:${account}:table/*`],
    }),
    new iam.PolicyStatement({
      sid: 'AccountLevelCalls',
      principals: [new iam.AnyPrincipal()],
      // These name no table (resource `*` in the Service Authorization Reference) and answer only for the caller's account.
      actions: [
        'dynamodb:ListTables', 'dynamodb:ListBackups', 'dynamodb:ListExports', 'dynamodb:ListImports', 'dynamodb:ListGlobalTables',
        'dynamodb:ListContributorInsights', 'dynamodb:DescribeLimits', 'dynamodb:DescribeEndpoints',
      ],
      resources: ['*'],
    }),
  ];
}

// The endpoints by name, in the order given, after the container image ones are added; typos and repeats fail.
function checkEndpoints(at: string, names: readonly string[], containerImageEndpoints: boolean): EndpointService[] {
  const seen = new Set<string>();
  const result: EndpointService[] = [];
  for (const name of names) {
    const service = ENDPOINT_SERVICES.find(s => s.name === name);
    if (!service) {
      throw new Error(`${at}: endpoints names "${name}", which is no endpoint FintechVpc knows; did you mean "${closestName(name)}"? ` +
        `Known: ${ENDPOINT_SERVICES.map(s => s.name).join(', ')}.`);
    }
    if (containerImageEndpoints && CONTAINER_IMAGE_ENDPOINTS.includes(name)) {
      throw new Error(`${at}: endpoints names ${name}, but containerImageEndpoints adds it already; ` +
        'an endpoint with private DNS can exist once per VPC. Drop it from endpoints.');
    }
    if (seen.has(name)) {
      throw new Error(`${at}: endpoints names ${name} twice; an endpoint with private DNS can exist once per VPC. Name it once.`);
    }
    seen.add(name);
    result.push(service);
  }
  if (containerImageEndpoints) {
    if (!seen.has('s3')) {
      throw new Error(`${at}: containerImageEndpoints needs the s3 gateway endpoint, as image layers are downloaded from S3; add 's3' to endpoints.`);
    }
    result.push(...CONTAINER_IMAGE_ENDPOINTS.map(name => ENDPOINT_SERVICES.find(s => s.name === name)!));
  }
  return result;
}

// The known endpoint name with the smallest edit distance to `name`.
function closestName(name: string): string {
  let best = ENDPOINT_SERVICES[0].name;
  let bestDistance = Infinity;
  for (const service of ENDPOINT_SERVICES) {
    const distance = editDistance(name.toLowerCase(), service.name);
    if (distance < bestDistance) {
      best = service.name;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length];
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

function formatCidr(start: number, prefix: number): string {
  return `${[24, 16, 8, 0].map(shift => Math.floor(start / 2 ** shift) % 256).join('.')}/${prefix}`;
}
