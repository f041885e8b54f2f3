import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { hygienicAlarm } from '../alarms/hygienic-alarm';
import { monitorTable, tableSystemErrors, tableThrottles } from '../alarms/monitor-table';
import { ALARM_PERIOD, TABLE_SYSTEM_ERRORS, TABLE_THROTTLES } from '../alarms/monitoring-defaults';
import { ConfigProblem, formatProblems } from '../config/config-validation';
import { DataKey } from '../encryption/data-key';
import { FintechStage } from '../stage/fintech-stage';
import { followStage } from '../stage/follow-stage';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { ReplicaRegionStack, replicaRegionsProblems } from '../stage/replica-region-stack';
import { stagePathBase } from '../stage/stage-path-base';

// DynamoDB's limits on global secondary indexes (Developer Guide, "Quotas", checked 2026-12): 20 per table; names
// of 3-255 letters, digits and _ - .
const MAX_GLOBAL_SECONDARY_INDEXES = 20;
const INDEX_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** Properties of a `SecureGlobalTable`. */
export interface SecureGlobalTableProps {
  /** Partition key. */
  readonly partitionKey: dynamodb.Attribute;

  /**
   * Sort key.
   *
   * @default - no sort key
   */
  readonly sortKey?: dynamodb.Attribute;

  /**
   * Base of the table name, `<application>-<base>-<stage>`. A global table has one name in every region, so the name is
   * always explicit: resources in the replica regions refer to it by name, without a reference across regions.
   *
   * @default - the construct path below the stage, e.g. `workload-trades` for id `Trades` in stack `Workload`
   */
  readonly nameBase?: string;

  /**
   * Key that encrypts the table (and its stream) in the home region.
   *
   * @default - a new `DataKey` for this table
   */
  readonly dataKey?: DataKey;

  /**
   * Regions that hold a replica, besides the stack's region. Checked like `replicaRegions` in `.projenrc.ts`: known
   * regions of the home partition, each once, not the home region, with the stack's account known at synth.
   *
   * @default - the enclosing `FintechStage`'s `replicaRegions`; outside a stage, none
   */
  readonly replicaRegions?: string[];

  /**
   * Global secondary indexes, as `TableV2` takes them (on-demand, so no capacity). Each exists in every replica, with
   * contributor insights when the table has them.
   *
   * @default - none
   */
  readonly globalSecondaryIndexes?: dynamodb.GlobalSecondaryIndexPropsV2[];

  /**
   * Turn on a stream with new and old images for consumers of this table. A table with replicas has that stream
   * anyway, since DynamoDB replicates through it.
   *
   * @default false (a stream only where there are replicas)
   */
  readonly stream?: boolean;

  /**
   * Attribute holding an expiry time (epoch seconds) for items that should age out; expiries replicate.
   *
   * @default - no time to live
   */
  readonly timeToLiveAttribute?: string;

  /**
   * CloudWatch contributor insights (most accessed and most throttled keys) on the table, its indexes and every replica.
   *
   * @default true
   */
  readonly contributorInsights?: boolean;

  /**
   * The table's alarms (C09).
   *
   * @default - throttles and system errors in every region, replication latency to each replica region
   */
  readonly monitoring?: SecureGlobalTableMonitoring;
}

/** What a `SecureGlobalTable` alarms on. */
export interface SecureGlobalTableMonitoring {
  /**
   * Create the alarms. Turn off only where another alarm watches the table.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Topic that receives the alarm and OK notifications of the alarms in the home region. An alarm notifies topics of
   * its own region only, so the alarms in a replica region always go to the `AlertTopic` of that region's stack.
   *
   * @default - the stack's `AlertTopic`
   */
  readonly alertTopic?: sns.ITopic;

  /**
   * Average replication latency to a replica region, over 5 minutes, above which the alarm of that region fires.
   *
   * @default SecureGlobalTable.DEFAULT_REPLICATION_LATENCY_THRESHOLD (1 minute)
   */
  readonly replicationLatencyThreshold?: Duration;
}

/**
 * A DynamoDB global table (`TableV2`, version 2019.11.21, on-demand) with a replica in each of the stage's replica
 * regions, replicated by DynamoDB itself, not by a custom resource (C23). In every region: encrypted with a customer
 * key of that region (C04), point-in-time recovery, contributor insights, deletion protection in durable stages (C02),
 * the stage's tags (C01), and alarms on throttles and system errors; in the home region also an alarm on replication
 * latency to each replica region (C09), all routed like every library alarm (C08).
 *
 * Keys: one `DataKey` per region. The replica regions' keys live in the stage's `ReplicaRegionStack` of that region,
 * which deploys before the table's stack; the table names each by its alias ARN
 * (`arn:<partition>:kms:<region>:<account>:alias/<application>-<base>-table-<stage>`), which the replica's
 * `KMSMasterKeyId` accepts, so nothing refers across regions. Independent keys rather than one multi-region key:
 * a multi-region replica key (`AWS::KMS::ReplicaKey`) needs a stack in each region all the same, and it shares key
 * material, key id and rotation with its primary, so a key policy mistake or a scheduled deletion of the primary
 * reaches every region at once; independent keys keep each region's data and its blast radius separate, and need
 * nothing DataKey does not already do (rotation, stage alias, stage removal).
 *
 * Removal follows the stage: ephemeral stages destroy the table with its replicas and schedule the keys' deletion;
 * durable stages retain them, with deletion protection on in every replica. It is a `dynamodb.TableV2`, so it goes
 * wherever an `ITableV2` or `ITable` does; its grants cover the home-region key, for callers in the home region.
 * A replica's key is known in the home stack by its alias ARN only, and IAM does not match alias ARNs for key use, so
 * the KMS part of a grant on `replica(region)` does not take effect: give a caller in a replica region `kms:Decrypt`
 * (and `kms:GenerateDataKey` to write) on `arn:<partition>:kms:<region>:<account>:key/*` with the condition
 * `ForAnyValue:StringEquals` `kms:ResourceAliases` = `replicaDataKeys[region].aliasName`.
 */
export class SecureGlobalTable extends dynamodb.TableV2 {
  /**
   * Average replication latency that pages, per receiving region. DynamoDB replicates within about a second and the
   * latency "should be fairly constant" in normal operation (DynamoDB Developer Guide, "Monitoring global tables",
   * checked 2026-12): an average above a minute over five minutes is far outside that, and it is how stale reads in the
   * replica region are and how much a failover to it would miss.
   */
  public static readonly DEFAULT_REPLICATION_LATENCY_THRESHOLD = Duration.minutes(1);

  /** The key of the table in the home region. */
  public readonly dataKey: DataKey;
  /** The key of each replica region, by region. */
  public readonly replicaDataKeys: { [region: string]: DataKey };
  /** The regions that hold a replica, besides the home region. */
  public readonly replicaRegions: string[];
  /**
   * Its alarms: in the home region throttles and system errors, then for each replica region its replication latency
   * (in the home region), throttles and system errors (in that region's stack); empty when monitoring is off.
   */
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: SecureGlobalTableProps) {
    const at = `SecureGlobalTable at ${[scope.node.path, id].filter(Boolean).join('/')}`;
    const settings = FintechStage.settingsOf(scope);
    const home = Stack.of(scope);
    const replicaRegions = [...(props.replicaRegions ?? FintechStage.tryEnclosing(scope)?.replicaRegions ?? [])];
    const problems = [
      ...(replicaRegions.length > 0 ? replicaRegionsProblems(home, replicaRegions) : []),
      ...indexProblems(props),
    ];
    const latency = props.monitoring?.replicationLatencyThreshold ?? SecureGlobalTable.DEFAULT_REPLICATION_LATENCY_THRESHOLD;
    if (latency.toMilliseconds() <= 0) {
      problems.push({ option: 'monitoring.replicationLatencyThreshold', value: latency.toHumanString(), problem: 'must be more than zero', fix: `use the default ${SecureGlobalTable.DEFAULT_REPLICATION_LATENCY_THRESHOLD.toHumanString()} or a longer one` });
    }
    if (problems.length > 0) throw new Error(formatProblems(at, problems));

    const base = props.nameBase ?? stagePathBase(scope, id);
    const tableName = PhysicalName.of(scope, base, { kind: NameKind.DYNAMODB_TABLE });
    const dataKey = props.dataKey ?? new DataKey(scope, `${id}Key`, { aliasBase: `${base}-table` });

    // Keys first, in their regions' stacks, which deploy before this one.
    const replicaDataKeys: { [region: string]: DataKey } = {};
    const replicaKeyArns: { [region: string]: string } = {};
    const holders: { [region: string]: Construct } = {};
    for (const region of replicaRegions) {
      const replicaStack = ReplicaRegionStack.forRegion(scope, region);
      home.addDependency(replicaStack, `the key of table ${tableName} in ${region} must exist before its replica`);
      const holder = new Construct(replicaStack, stagePathBase(scope, id));
      const key = new DataKey(holder, 'Key', {
        aliasBase: `${base}-table`,
        description: `Key of the ${region} replica of DynamoDB table ${tableName}`,
      });
      replicaDataKeys[region] = key;
      replicaKeyArns[region] = `arn:${RegionInfo.get(region).partition}:kms:${region}:${home.account}:${key.aliasName}`;
      holders[region] = holder;
    }

    const contributorInsights = props.contributorInsights ?? true;
    super(scope, id, {
      tableName,
      partitionKey: props.partitionKey,
      ...(props.sortKey ? { sortKey: props.sortKey } : {}),
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(dataKey.key, replicaKeyArns),
      // Table-level settings apply to every replica, the home region's included.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      contributorInsightsSpecification: { enabled: contributorInsights },
      deletionProtection: settings.durable,
      replicas: replicaRegions.map(region => ({ region })),
      ...(props.globalSecondaryIndexes?.length ? { globalSecondaryIndexes: props.globalSecondaryIndexes } : {}),
      ...(props.stream ? { dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES } : {}),
      ...(props.timeToLiveAttribute ? { timeToLiveAttribute: props.timeToLiveAttribute } : {}),
    });
    followStage(this);
    this.dataKey = dataKey;
    this.replicaDataKeys = replicaDataKeys;
    this.replicaRegions = replicaRegions;

    const monitoring = props.monitoring ?? {};
    this.alarms = [];
    if (!(monitoring.enabled ?? true)) return;
    const owner = `SecureGlobalTable at ${this.node.path}`;
    const topic = monitoring.alertTopic ? { alertTopic: monitoring.alertTopic } : {};
    const { throttles, systemErrors } = monitorTable(this, this, { owner, ...topic });
    this.alarms.push(throttles, systemErrors);
    for (const region of replicaRegions) {
      this.alarms.push(hygienicAlarm(this, `ReplicationLatency${regionId(region)}Alarm`, {
        owner,
        metric: this.metric('ReplicationLatency', {
          dimensionsMap: { TableName: this.tableName, ReceivingRegion: region },
          statistic: cloudwatch.Stats.AVERAGE,
          period: ALARM_PERIOD,
        }),
        threshold: latency.toMilliseconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        description: `Writes to table ${tableName} reach its replica in ${region} more than ${latency.toHumanString()} late on average: ` +
          `reads in ${region} are stale and a failover there would miss recent writes. Check the AWS Health Dashboard for both regions and throttling of the replica.`,
        ...topic,
      }));
      // Alarms watch metrics of their own region only, so the replica's are made in its region's stack, by table name.
      const holder = holders[region];
      const replica = dynamodb.TableV2.fromTableName(holder, 'Table', tableName);
      this.alarms.push(
        hygienicAlarm(holder, 'ThrottlesAlarm', {
          owner,
          metric: tableThrottles(replica),
          threshold: TABLE_THROTTLES,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          description: `Replica in ${region} of table ${tableName} throttles reads or writes (replicated writes included): a hot partition key or a burst ` +
            'above the table\'s limits. Check the key distribution and the callers\' retries.',
        }),
        hygienicAlarm(holder, 'SystemErrorsAlarm', {
          owner,
          metric: tableSystemErrors(replica),
          threshold: TABLE_SYSTEM_ERRORS,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          description: `DynamoDB returns server errors (HTTP 500) for the replica in ${region} of table ${tableName}: requests there fail unless retried. Check the AWS Health Dashboard.`,
        }),
      );
    }
  }
}

// `us-west-2` -> `UsWest2`, for construct ids.
function regionId(region: string): string {
  return region.split('-').map(part => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

// Index names each once and valid, at most DynamoDB's count, and every key attribute with one type throughout.
function indexProblems(props: SecureGlobalTableProps): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const indexes = props.globalSecondaryIndexes ?? [];
  if (indexes.length > MAX_GLOBAL_SECONDARY_INDEXES) {
    problems.push({ option: 'globalSecondaryIndexes', value: indexes.map(i => i.indexName), problem: `${indexes.length} indexes, DynamoDB allows ${MAX_GLOBAL_SECONDARY_INDEXES} per table`, fix: 'merge indexes (an overloaded key serves several access patterns) or split the table' });
  }
  const types = new Map<string, { type: string; where: string }>();
  const keyOf = (attribute: dynamodb.Attribute | undefined, where: string, option: string) => {
    if (!attribute) return;
    const seen = types.get(attribute.name);
    if (!seen) {
      types.set(attribute.name, { type: attribute.type, where });
    } else if (seen.type !== attribute.type) {
      problems.push({ option, value: attribute, problem: `attribute "${attribute.name}" is ${attribute.type} here but ${seen.type} as ${seen.where}, and an attribute has one type in the whole table`, fix: `use ${seen.type} here or another attribute name` });
    }
  };
  keyOf(props.partitionKey, 'the partition key', 'partitionKey');
  keyOf(props.sortKey, 'the sort key', 'sortKey');
  const names = new Set<string>();
  indexes.forEach((index, i) => {
    const option = `globalSecondaryIndexes[${i}]`;
    if (typeof index.indexName !== 'string' || !INDEX_NAME.test(index.indexName)) {
      problems.push({ option: `${option}.indexName`, value: index.indexName, problem: 'index names are 3-255 letters, digits and _ - .', fix: 'rename it, e.g. "bySource"' });
    } else if (names.has(index.indexName)) {
      problems.push({ option: `${option}.indexName`, value: index.indexName, problem: 'another index of the table has this name', fix: 'give each index its own name' });
    }
    names.add(index.indexName);
    const where = `a key of index ${index.indexName}`;
    [index.partitionKey, ...(index.partitionKeys ?? [])].forEach(k => keyOf(k, where, `${option}.partitionKey`));
    [index.sortKey, ...(index.sortKeys ?? [])].forEach(k => keyOf(k, where, `${option}.sortKey`));
  });
  return problems;
}
