import { Duration, RemovalPolicy, SecretValue, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DatabaseCapacity, monitorDatabase } from '../alarms/monitor-database';
import { DatabaseMonitoringOptions } from '../alarms/monitor-options';
import { DataKey } from '../encryption/data-key';
import { encryptedLogGroup } from '../encryption/encrypted-log-group';
import {
  AURORA_BACKUP_RETENTION_DAYS, AURORA_INSTANCE_MEMORY_GIB, AURORA_MAX_READERS, AURORA_PORTS, AURORA_POSTGRES_ENGINE_VERSION,
  AURORA_SERVERLESS_V2_CAPACITY, SECRET_ROTATION_DAYS, auroraPostgresLogGroupName,
  auroraProvisionedMaxConnections, auroraServerlessMaxConnections,
} from '../facts/aurora-postgres';
import { NAME_LIMITS } from '../facts/name-limits';
import { FintechStage } from '../stage/fintech-stage';
import { followStage } from '../stage/follow-stage';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { stagePathBase } from '../stage/stage-path-base';

/** Properties of a `SecureDatabase`. */
export interface SecureDatabaseProps {
  /** The VPC whose isolated subnets hold the cluster, e.g. a `FintechVpc`. */
  readonly vpc: ec2.IVpc;

  /**
   * Subnets of the cluster. Every subnet the selection resolves to must be isolated (no route to an internet or NAT gateway).
   *
   * @default - the VPC's PRIVATE_ISOLATED subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;

  /**
   * Key that encrypts the storage, the master secret, Performance Insights and the PostgreSQL log group.
   *
   * @default - a new `DataKey` for this database
   */
  readonly dataKey?: DataKey;

  /**
   * Base of the cluster identifier, `<application>-<base>-<stage>`, at most 63 characters in all.
   *
   * @default - the construct path below the stage, e.g. `workload-ledger`
   */
  readonly nameBase?: string;

  /**
   * Name of a database created in the cluster.
   *
   * @default - none; connect to `postgres` and create it yourself
   */
  readonly defaultDatabaseName?: string;

  /**
   * Name of the master user, whose password RDS generates, keeps in Secrets Manager and rotates.
   *
   * @default 'postgres'
   */
  readonly masterUsername?: string;

  /**
   * Instance type of a provisioned cluster. Without it the instances are Aurora Serverless v2.
   *
   * @default - Serverless v2 instances
   */
  readonly instanceType?: ec2.InstanceType;

  /**
   * Lowest capacity of each Serverless v2 instance, in ACU (0 to 256, steps of 0.5; 0 pauses an idle instance).
   * Only without `instanceType`.
   *
   * @default 0.5
   */
  readonly serverlessV2MinCapacity?: number;

  /**
   * Highest capacity of each Serverless v2 instance, in ACU (1 to 256, steps of 0.5). Only without `instanceType`.
   *
   * @default 16
   */
  readonly serverlessV2MaxCapacity?: number;

  /**
   * Readers (Aurora Replicas) besides the writer, placed across zones, the failover targets.
   *
   * @default - 1 in durable stages (failover in about 30 seconds instead of rebuilding a writer), 0 in ephemeral ones
   */
  readonly readers?: number;

  /**
   * Days between rotations of the master password, 1 to 1000, in whole days.
   *
   * @default Duration.days(30)
   */
  readonly secretRotation?: Duration;

  /**
   * How long automated backups are kept, 1 to 35 days.
   *
   * @default - Duration.days(35) in durable stages, Duration.days(7) in ephemeral ones
   */
  readonly backupRetention?: Duration;

  /**
   * Port the cluster listens on, 1150 to 65535.
   *
   * @default 5432
   */
  readonly port?: number;

  /**
   * How long the PostgreSQL log is kept in CloudWatch Logs.
   *
   * @default - a week in ephemeral stages, a year in durable ones
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * The cluster's alarms (C09): CPU, freeable memory, connections near max_connections, Serverless v2 capacity near its
   * maximum, and reader lag when there are readers.
   *
   * @default - every alarm that applies, routed to the stack's `AlertTopic`
   */
  readonly monitoring?: SecureDatabaseMonitoring;
}

/** What a `SecureDatabase` alarms on. */
export interface SecureDatabaseMonitoring extends DatabaseMonitoringOptions {
  /**
   * Create the alarms. Turn off only where another alarm watches the cluster.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Memory of one instance in GiB, for the memory and connection alarms of a provisioned instance type that
   * `AURORA_INSTANCE_MEMORY_GIB` does not list.
   *
   * @default - from the instance type (r5, r6g, r6i, r7g, r7i, r8g, t3, t4g) or the Serverless v2 maximum
   */
  readonly instanceMemoryGiB?: number;
}

// 0.5 ACU is the smallest capacity that never pauses: a paused instance makes the first payment after a quiet hour wait ~15 s.
const DEFAULT_MIN_ACU = 0.5;
// 16 ACU (about 32 GiB) absorbs a burst of 32 times the floor while bounding what a runaway query can cost.
const DEFAULT_MAX_ACU = 16;
// Managed rotation by RDS; 30 days keeps the password younger than PCI DSS's 90-day limit with room for a failed rotation.
const DEFAULT_ROTATION = Duration.days(30);
// Durable stages keep the longest window Aurora allows for point-in-time recovery; ephemeral ones a week, enough to debug.
const DURABLE_BACKUP_RETENTION = Duration.days(AURORA_BACKUP_RETENTION_DAYS.max);
const EPHEMERAL_BACKUP_RETENTION = Duration.days(7);
const DEFAULT_USERNAME = 'postgres';
const WORLD = new Set(['0.0.0.0/0', '::/0']);

/**
 * An Aurora PostgreSQL cluster that is private and encrypted by default (C04, C17): its instances sit in the VPC's isolated
 * subnets only, are never publicly accessible, and take connections only through a security group of their own that
 * admits nothing until `allowFrom` (one rule per peer) and only over TLS (`rds.force_ssl`). Storage, Performance Insights,
 * the master secret and the PostgreSQL log group (exported, with retention) are encrypted with one `DataKey`, created next
 * to the cluster as `<id>Key`. IAM database authentication is on: `grantConnect` gives a role `rds-db:connect` as one
 * database user.
 *
 * The master password is managed by RDS (`ManageMasterUserPassword`): RDS generates it, stores it in a Secrets Manager
 * secret encrypted with the key, and rotates it itself on the `secretRotation` schedule. That is the choice with the
 * fewest moving parts: no rotation Lambda to run in the isolated subnets (which would need the Secrets Manager endpoint,
 * a security group rule into the database and its own logs and alarms), and the secret belongs to the cluster, so it
 * is deleted with it and never left behind by an ephemeral stage. Read it through `masterSecret`.
 *
 * Stage aware (C02): durable stages keep 35 days of backups, turn on deletion protection and keep a final snapshot
 * (`RemovalPolicy.SNAPSHOT`) and a reader; ephemeral stages keep 7 days and destroy the cluster with the stack. Outside a
 * `FintechStage` it follows `FintechStage.settingsOf` (durable by default). Alarms (C09) go to the stack's `AlertTopic`
 * (C08). Serverless v2 by default; set `instanceType` for provisioned instances. It is an `rds.DatabaseCluster`, so it
 * goes wherever an `IDatabaseCluster` does, with the L2's metrics and connections.
 */
export class SecureDatabase extends rds.DatabaseCluster {
  /** The key of the storage, the master secret, Performance Insights and the log group. */
  public readonly dataKey: DataKey;
  /** The master user's secret, created, encrypted and rotated by RDS. */
  public readonly masterSecret: secretsmanager.ISecret;
  /** The schedule on which RDS rotates the master password. */
  public readonly masterSecretRotation: secretsmanager.CfnRotationSchedule;
  /** The security group of the cluster: no ingress but what `allowFrom` adds. */
  public readonly securityGroup: ec2.SecurityGroup;
  /** The log group RDS exports the PostgreSQL log to. */
  public readonly logGroup: logs.LogGroup;
  /** The cluster identifier, `<application>-<base>-<stage>`, a plain string. */
  public readonly clusterName: string;
  /** Its alarms: CPU, freeable memory, connections, then ACU utilisation and replica lag where they apply; empty when monitoring is off. */
  public readonly alarms: cloudwatch.Alarm[];

  private readonly at: string;
  private readonly listenerPort: number;

  constructor(scope: Construct, id: string, props: SecureDatabaseProps) {
    const at = `SecureDatabase at ${[scope.node.path, id].filter(Boolean).join('/')}`;
    const stage = FintechStage.settingsOf(scope);
    const shape = validate(at, props, stage.durable);
    const vpcSubnets = props.vpcSubnets ?? { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
    checkIsolated(at, props.vpc, vpcSubnets);

    const nameBase = props.nameBase ?? stagePathBase(scope, id);
    const clusterName = clusterIdentifier(at, scope, nameBase);
    // Storage, secret, insights and logs are props of the cluster, so the key, log group and security group come first, next to it.
    const dataKey = props.dataKey ?? new DataKey(scope, `${id}Key`, { aliasBase: `${nameBase}-database` });
    const { logGroup } = encryptedLogGroup(new Construct(scope, `${id}Logs`), {
      dataKey,
      aliasBase: `${nameBase}-database-logs`,
      logGroupName: auroraPostgresLogGroupName(clusterName),
      ...(props.logRetention ? { retention: props.logRetention } : {}),
    });
    const securityGroup = new ec2.SecurityGroup(scope, `${id}SecurityGroup`, {
      vpc: props.vpc,
      description: `Aurora PostgreSQL ${clusterName}: ingress only from what allowFrom adds`,
      // Aurora opens no connections of its own.
      allowAllOutbound: false,
    });

    const instanceProps = { publiclyAccessible: false };
    const writer = shape.serverless
      ? rds.ClusterInstance.serverlessV2('Writer', instanceProps)
      : rds.ClusterInstance.provisioned('Writer', { ...instanceProps, instanceType: props.instanceType });
    const readers = Array.from({ length: shape.readers }, (_, i) => shape.serverless
      // A reader in promotion tier 0 or 1 scales with the writer, so a failover lands on an instance as large.
      ? rds.ClusterInstance.serverlessV2(`Reader${i + 1}`, { ...instanceProps, scaleWithWriter: true })
      : rds.ClusterInstance.provisioned(`Reader${i + 1}`, { ...instanceProps, instanceType: props.instanceType }));

    super(scope, id, {
      engine: rds.DatabaseClusterEngine.auroraPostgres({
        version: rds.AuroraPostgresEngineVersion.of(AURORA_POSTGRES_ENGINE_VERSION.full, AURORA_POSTGRES_ENGINE_VERSION.major),
      }),
      clusterIdentifier: clusterName,
      // The placeholder never reaches the template: the password property is replaced by ManageMasterUserPassword below.
      credentials: rds.Credentials.fromPassword(props.masterUsername ?? DEFAULT_USERNAME, SecretValue.unsafePlainText('managed-by-rds')),
      ...(props.defaultDatabaseName ? { defaultDatabaseName: props.defaultDatabaseName } : {}),
      writer,
      readers,
      ...(shape.serverless ? { serverlessV2MinCapacity: shape.minAcu, serverlessV2MaxCapacity: shape.maxAcu } : {}),
      vpc: props.vpc,
      vpcSubnets,
      securityGroups: [securityGroup],
      port: shape.port,
      storageEncrypted: true,
      storageEncryptionKey: dataKey.key,
      iamAuthentication: true,
      enablePerformanceInsights: true,
      performanceInsightEncryptionKey: dataKey.key,
      cloudwatchLogsExports: ['postgresql'],
      // TLS for every connection (C17): PostgreSQL refuses clients that do not negotiate it.
      parameters: { 'rds.force_ssl': '1' },
      backup: { retention: shape.backupRetention },
      deletionProtection: stage.durable,
      removalPolicy: stage.durable ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
      deleteAutomatedBackups: !stage.durable,
      copyTagsToSnapshot: true,
    });
    followStage(this);
    this.at = at;
    this.listenerPort = shape.port;
    this.dataKey = dataKey;
    this.securityGroup = securityGroup;
    this.logGroup = logGroup;
    this.clusterName = clusterName;

    const cluster = this.node.defaultChild as rds.CfnDBCluster;
    cluster.masterUserPassword = undefined;
    cluster.manageMasterUserPassword = true;
    cluster.masterUserSecret = { kmsKeyId: dataKey.key.keyArn };
    // RDS would create the log group itself, unencrypted and kept for ever, if the cluster exported before it existed.
    cluster.node.addDependency(logGroup);
    this.masterSecret = secretsmanager.Secret.fromSecretAttributes(this, 'MasterSecret', {
      secretCompleteArn: cluster.attrMasterUserSecretSecretArn,
      encryptionKey: dataKey.key,
    });
    this.masterSecretRotation = new secretsmanager.CfnRotationSchedule(this, 'MasterSecretRotation', {
      secretId: cluster.attrMasterUserSecretSecretArn,
      // Managed rotation: no rotation Lambda, RDS rotates on this schedule.
      rotationRules: { scheduleExpression: `rate(${shape.rotationDays} days)` },
      rotateImmediatelyOnUpdate: false,
    });

    const monitoring = props.monitoring ?? {};
    if (monitoring.enabled ?? true) {
      const { enabled: _enabled, instanceMemoryGiB: _memory, ...thresholds } = monitoring;
      const alarms = monitorDatabase(this, this, capacityOf(at, props, shape), { owner: at, ...thresholds });
      this.alarms = [alarms.cpu, alarms.freeableMemory, alarms.connections, alarms.acuUtilization, alarms.replicaLag]
        .filter((alarm): alarm is cloudwatch.Alarm => alarm !== undefined);
    } else {
      this.alarms = [];
    }
  }

  /**
   * Admits `peer` on the database port: one ingress rule on the cluster's security group (and, for a peer with security
   * groups that restrict egress, the matching egress rule on them). Throws for a peer open to the world.
   */
  public allowFrom(peer: ec2.IConnectable, description?: string): void {
    const cidr = (peer as Partial<ec2.IPeer>).uniqueId;
    if ((peer as Partial<ec2.IPeer>).canInlineRule !== undefined && typeof cidr === 'string' && WORLD.has(cidr)) {
      throw new Error(`${this.at}: allowFrom(${cidr}) would open the database port to the whole internet; ` +
        'pass the security group, function or service that connects (allowFrom(service)), or a VPC-internal CIDR.');
    }
    // The literal port, not the cluster's Endpoint.Port attribute, so the rule reads plainly and CIDR rules stay inline.
    this.connections.allowFrom(peer, ec2.Port.tcp(this.listenerPort), description ?? `PostgreSQL clients of ${this.clusterName}`);
  }

  /**
   * Lets `grantee` connect as database user `dbUser` with IAM authentication (`rds-db:connect` on that user of this
   * cluster only). The user must exist in PostgreSQL with `GRANT rds_iam TO <dbUser>`.
   */
  public grantConnect(grantee: iam.IGrantable, dbUser: string): iam.Grant {
    if (typeof dbUser !== 'string' || (!Token.isUnresolved(dbUser) && !/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(dbUser))) {
      throw new Error(`${this.at}: grantConnect dbUser "${dbUser}" is not a PostgreSQL user name; ` +
        'use letters, digits, _ and $, starting with a letter or _, at most 63 characters, e.g. "app".');
    }
    return super.grantConnect(grantee, dbUser);
  }

  /** Lets `grantee` read the master secret (and decrypt it with the key). Prefer `grantConnect` for applications. */
  public grantMasterSecretRead(grantee: iam.IGrantable): iam.Grant {
    return this.masterSecret.grantRead(grantee);
  }
}

/** The resolved shape of the cluster; internal. */
interface DatabaseShape {
  readonly serverless: boolean;
  readonly minAcu: number;
  readonly maxAcu: number;
  readonly readers: number;
  readonly port: number;
  readonly rotationDays: number;
  readonly backupRetention: Duration;
}

function validate(at: string, props: SecureDatabaseProps, durable: boolean): DatabaseShape {
  const serverless = props.instanceType === undefined;
  if (!serverless && (props.serverlessV2MinCapacity !== undefined || props.serverlessV2MaxCapacity !== undefined)) {
    throw new Error(`${at}: serverlessV2MinCapacity and serverlessV2MaxCapacity apply to Serverless v2 instances only, but instanceType makes the cluster provisioned; drop one or the other.`);
  }
  const { minAcu: lowest, maxAcu: highest, step, lowestMaximumAcu } = AURORA_SERVERLESS_V2_CAPACITY;
  const minAcu = props.serverlessV2MinCapacity ?? DEFAULT_MIN_ACU;
  const maxAcu = props.serverlessV2MaxCapacity ?? DEFAULT_MAX_ACU;
  const onStep = (acu: number) => Number.isInteger(acu / step);
  if (!(minAcu >= lowest && minAcu <= highest && onStep(minAcu))) {
    throw new Error(`${at}: serverlessV2MinCapacity ${minAcu} is outside Aurora's range; use ${lowest} to ${highest} ACU in steps of ${step}, e.g. ${DEFAULT_MIN_ACU}.`);
  }
  if (!(maxAcu >= lowestMaximumAcu && maxAcu <= highest && onStep(maxAcu))) {
    throw new Error(`${at}: serverlessV2MaxCapacity ${maxAcu} is outside Aurora's range; use ${lowestMaximumAcu} to ${highest} ACU in steps of ${step}, e.g. ${DEFAULT_MAX_ACU}.`);
  }
  if (minAcu > maxAcu) {
    throw new Error(`${at}: serverlessV2MinCapacity ${minAcu} is above serverlessV2MaxCapacity ${maxAcu}; lower the minimum or raise the maximum.`);
  }
  const readers = props.readers ?? (durable ? 1 : 0);
  if (!(Number.isInteger(readers) && readers >= 0 && readers <= AURORA_MAX_READERS)) {
    throw new Error(`${at}: readers ${readers} must be a whole number from 0 to ${AURORA_MAX_READERS}; use 1 for a failover target.`);
  }
  const port = props.port ?? AURORA_PORTS.postgresDefault;
  if (!Token.isUnresolved(port) && !(Number.isInteger(port) && port >= AURORA_PORTS.min && port <= AURORA_PORTS.max)) {
    throw new Error(`${at}: port ${port} is not one Aurora accepts; use a whole number from ${AURORA_PORTS.min} to ${AURORA_PORTS.max}, or drop it for ${AURORA_PORTS.postgresDefault}.`);
  }
  const rotation = props.secretRotation ?? DEFAULT_ROTATION;
  const rotationDays = rotation.isUnresolved() ? NaN : rotation.toHours({ integral: false }) / 24;
  if (!(Number.isInteger(rotationDays) && rotationDays >= SECRET_ROTATION_DAYS.min && rotationDays <= SECRET_ROTATION_DAYS.max)) {
    throw new Error(`${at}: secretRotation ${rotation.isUnresolved() ? '(a token)' : rotation.toHumanString()} must be whole days from ` +
      `${SECRET_ROTATION_DAYS.min} to ${SECRET_ROTATION_DAYS.max}; use e.g. Duration.days(30), or drop it for that default.`);
  }
  const backupRetention = props.backupRetention ?? (durable ? DURABLE_BACKUP_RETENTION : EPHEMERAL_BACKUP_RETENTION);
  const backupDays = backupRetention.isUnresolved() ? NaN : backupRetention.toHours({ integral: false }) / 24;
  if (!(Number.isInteger(backupDays) && backupDays >= AURORA_BACKUP_RETENTION_DAYS.min && backupDays <= AURORA_BACKUP_RETENTION_DAYS.max)) {
    throw new Error(`${at}: backupRetention ${backupRetention.isUnresolved() ? '(a token)' : backupRetention.toHumanString()} must be whole days from ` +
      `${AURORA_BACKUP_RETENTION_DAYS.min} to ${AURORA_BACKUP_RETENTION_DAYS.max}; drop it for the stage's default.`);
  }
  return { serverless, minAcu, maxAcu, readers, port, rotationDays, backupRetention };
}

// The cluster must have no subnet that routes to the internet: the selection may not reach public or egress subnets.
function checkIsolated(at: string, vpc: ec2.IVpc, selection: ec2.SubnetSelection): void {
  let selected: ec2.ISubnet[];
  try {
    selected = vpc.selectSubnets(selection).subnets;
  } catch (error) {
    throw new Error(`${at}: vpcSubnets select no subnets of ${vpc.node.path} (${(error as Error).message}); ` +
      'give the VPC isolated subnets (a FintechVpc has them) and select { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }.');
  }
  const publicIds = new Set(vpc.publicSubnets.map(s => s.subnetId));
  const egressIds = new Set(vpc.privateSubnets.map(s => s.subnetId));
  const isolatedIds = new Set(vpc.isolatedSubnets.map(s => s.subnetId));
  const routed = selected.filter(s => publicIds.has(s.subnetId) || egressIds.has(s.subnetId) || !isolatedIds.has(s.subnetId));
  if (selected.length === 0 || routed.length > 0) {
    const kinds = [...new Set(routed.map(s => publicIds.has(s.subnetId) ? 'public' : egressIds.has(s.subnetId) ? 'private with egress' : 'not isolated'))];
    throw new Error(`${at}: vpcSubnets select ${selected.length === 0 ? 'no subnets' : `${kinds.join(' and ')} subnets (${routed.map(s => s.node.path).join(', ')})`}, ` +
      'which route to the internet: a database there is one security group mistake away from it (C17). ' +
      'Drop vpcSubnets, or select { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }.');
  }
}

function clusterIdentifier(at: string, scope: Construct, base: string): string {
  const name = PhysicalName.of(scope, base, { kind: NameKind.GENERIC });
  const limit = NAME_LIMITS.rdsIdentifier;
  if (name.length > limit.maxLength || !limit.pattern.test(name)) {
    throw new Error(`${at}: cluster identifier "${name}" is not one RDS accepts (at most ${limit.maxLength} letters, digits and hyphens, ` +
      'starting with a letter, no two hyphens in a row); set a shorter nameBase that starts with a letter, e.g. "ledger".');
  }
  return name;
}

function capacityOf(at: string, props: SecureDatabaseProps, shape: DatabaseShape): DatabaseCapacity {
  const given = props.monitoring?.instanceMemoryGiB;
  if (given !== undefined && !(given > 0)) {
    throw new Error(`${at}: monitoring.instanceMemoryGiB ${given} must be above 0; give the instance class's memory, e.g. 16 for r6g.large.`);
  }
  if (shape.serverless) {
    const memoryGiB = given ?? shape.maxAcu * AURORA_SERVERLESS_V2_CAPACITY.memoryGiBPerAcu;
    return { memoryGiB, maxConnections: auroraServerlessMaxConnections(shape.minAcu, shape.maxAcu), serverless: true, readers: shape.readers > 0 };
  }
  const instanceClass = props.instanceType!.toString();
  const memoryGiB = given ?? AURORA_INSTANCE_MEMORY_GIB[instanceClass];
  if (memoryGiB === undefined) {
    throw new Error(`${at}: the memory of instance type ${instanceClass} is not known here, so the memory and connection alarms have no threshold; ` +
      'set monitoring.instanceMemoryGiB to its memory in GiB (Aurora User Guide, "Hardware specifications for DB instance classes").');
  }
  return { memoryGiB, maxConnections: auroraProvisionedMaxConnections(memoryGiB), serverless: false, readers: shape.readers > 0 };
}
