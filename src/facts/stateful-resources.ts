/** A CloudFormation property that turns deletion protection on, with its on and off values. */
export interface DeletionProtectionProperty {
  /** Property name, as in the template (PascalCase). */
  readonly property: string;
  /** Value that turns protection on. */
  readonly on: unknown;
  /** Value that turns protection off. */
  readonly off: unknown;
  /**
   * What protection is when the property is unset: on (CloudTrail Lake's TerminationProtectionEnabled defaults to true),
   * off, or unknown when the service's default is not documented for CloudFormation (an unset value is then not judged;
   * `StageRemovalPolicy` sets it in every stage, so a FintechStage leaves nothing unknown).
   * @default 'off'
   */
  readonly whenUnset?: 'on' | 'off' | 'unknown';
}

/** Deletion protection that lives on each element of a list property, e.g. each replica of a global table. */
export interface ElementDeletionProtection extends DeletionProtectionProperty {
  /** The list property whose elements carry `property`. */
  readonly list: string;
}

/** How a stateful CloudFormation type is kept in durable stages and made destroyable in ephemeral ones. */
export interface StatefulResourceType {
  /** Deletion and update-replace policy in durable stages: keep the data, or keep a final snapshot of it. */
  readonly durablePolicy: 'Retain' | 'Snapshot';
  /** Top-level property that turns on deletion protection, if the type has one. */
  readonly deletionProtection?: DeletionProtectionProperty;
  /** Deletion protection set per element of a list property, if the type has it there instead. */
  readonly elementDeletionProtection?: ElementDeletionProtection;
  /** Properties set only in ephemeral stages so that deleting the stack succeeds, and soon. */
  readonly ephemeralProperties?: { readonly [property: string]: unknown };
  /**
   * When this property is set, the resource is a member of a cluster that holds its data (an Aurora
   * instance): the cluster carries the snapshot and deletion protection, and the member is always
   * deleted, since CloudFormation must delete the members before it can snapshot and delete the cluster.
   */
  readonly clusterMemberProperty?: string;
  /**
   * When set, says from the resource's `Properties` whether it holds only temporary data by its owners' choice or by
   * design (a cache, a scratch file system): true, false, or undefined when intrinsics hide it, each type deciding what
   * its unknowns mean. The durable-stage checks do not ask a resource to survive its stack unless the answer is false.
   * Ephemeral stages still judge it.
   */
  readonly temporaryWhen?: (properties: { readonly [name: string]: unknown }) => boolean | undefined;
}

/**
 * Whether an `AWS::ElastiCache::ReplicationGroup` is a cache by its owners' choice: it takes no automatic snapshots
 * (`SnapshotRetentionLimit` unset or 0), so a node failure already loses its contents. A Redis or Valkey group that keeps
 * snapshots can be a system of record. False when the days are an intrinsic: not known to be 0, so it is judged.
 */
export function isCacheWithoutSnapshots(properties: { readonly [name: string]: unknown }): boolean {
  const days = properties.SnapshotRetentionLimit;
  if (days === undefined) return true;
  const literal = typeof days === 'number' ? days : typeof days === 'string' && /^-?\d+$/.test(days.trim()) ? Number(days) : undefined;
  return literal === 0;
}

/**
 * Whether an `AWS::FSx::FileSystem` is a Lustre scratch file system (`DeploymentType` SCRATCH_1 or SCRATCH_2; SCRATCH_1
 * when unset, per the FSx API reference): FSx designs those for temporary storage and short-term processing, does not
 * replicate their data, loses it when a file server fails, and encrypts them with a key of its own. False for every other
 * file system type and for persistent Lustre; undefined when an intrinsic hides the type or the deployment type.
 */
export function isLustreScratch(properties: { readonly [name: string]: unknown }): boolean | undefined {
  const type = properties.FileSystemType;
  if (typeof type !== 'string') return undefined;
  if (type !== 'LUSTRE') return false;
  const config = properties.LustreConfiguration;
  if (config === undefined) return true;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) return undefined;
  const keys = Object.keys(config);
  // An intrinsic (Ref, Condition, Fn::If ...) is known only at deploy time.
  if (keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'))) return undefined;
  const deployment = (config as { readonly [name: string]: unknown }).DeploymentType ?? 'SCRATCH_1';
  return typeof deployment === 'string' ? deployment.startsWith('SCRATCH') : undefined;
}

/**
 * Every resource type whose deletion loses data, with what C02 requires of it. Types that hold no data are not here,
 * so neither the stage nor the rules judge their removal: an SNS topic keeps no messages (deleting it loses
 * subscriptions, which the stack recreates), nor do roles, alarms, functions or API definitions. Used by the
 * `StageRemovalPolicy` aspect and by the `Fintech-C02-*` rules, so both agree on one list.
 * Snapshot only where CloudFormation supports it (DeletionPolicy attribute reference; the same list
 * aws-cdk-lib 2.257 enforces); property names from the CloudFormation resource reference, checked 2026-11.
 * Not here: ElastiCache `CacheCluster`s (mostly Memcached, which persists nothing and takes no snapshot; a Redis
 * data store is a replication group), DAX clusters (a cache in front of DynamoDB), Kinesis Firehose streams (a buffer,
 * not a store), AWS Backup vaults (CloudFormation cannot delete one that holds recovery points, so no data is lost
 * with the stack), S3 table buckets and Timestream databases (neither can be deleted while it holds tables, which are here).
 */
export const STATEFUL_RESOURCE_TYPES: { readonly [type: string]: StatefulResourceType } = {
  'AWS::S3::Bucket': { durablePolicy: 'Retain' },
  'AWS::DynamoDB::Table': { durablePolicy: 'Retain', deletionProtection: { property: 'DeletionProtectionEnabled', on: true, off: false } },
  'AWS::DynamoDB::GlobalTable': { durablePolicy: 'Retain', elementDeletionProtection: { list: 'Replicas', property: 'DeletionProtectionEnabled', on: true, off: false } },
  'AWS::RDS::DBInstance': { durablePolicy: 'Snapshot', deletionProtection: { property: 'DeletionProtection', on: true, off: false }, clusterMemberProperty: 'DBClusterIdentifier' },
  'AWS::RDS::DBCluster': { durablePolicy: 'Snapshot', deletionProtection: { property: 'DeletionProtection', on: true, off: false } },
  'AWS::DocDB::DBCluster': { durablePolicy: 'Snapshot', deletionProtection: { property: 'DeletionProtection', on: true, off: false } },
  'AWS::Neptune::DBCluster': { durablePolicy: 'Snapshot', deletionProtection: { property: 'DeletionProtection', on: true, off: false } },
  'AWS::Redshift::Cluster': { durablePolicy: 'Snapshot' },
  // A namespace holds the databases of Redshift Serverless; deleting it drops them unless a final snapshot is named.
  'AWS::RedshiftServerless::Namespace': { durablePolicy: 'Retain' },
  // MemoryDB is a durable database (a multi-AZ transaction log), not a cache; CloudFormation cannot snapshot it on delete.
  'AWS::MemoryDB::Cluster': { durablePolicy: 'Retain' },
  // Aurora DSQL keeps its databases in the cluster; deleting it loses them. The DSQL API turns deletion protection on when the
  // request leaves it out, but CloudFormation does not document its default, so an unset value is not judged either way.
  'AWS::DSQL::Cluster': { durablePolicy: 'Retain', deletionProtection: { property: 'DeletionProtectionEnabled', on: true, off: false, whenUnset: 'unknown' } },
  // A DocumentDB elastic cluster keeps its shards' data; CloudFormation cannot snapshot it on delete.
  'AWS::DocDBElastic::Cluster': { durablePolicy: 'Retain' },
  // A Neptune Analytics graph holds its data in memory and snapshots; the service does not document its default protection for
  // CloudFormation, so an unset value is not judged either way.
  'AWS::NeptuneGraph::Graph': { durablePolicy: 'Retain', deletionProtection: { property: 'DeletionProtection', on: true, off: false, whenUnset: 'unknown' } },
  // An OpenSearch Serverless collection holds its indexes (search data, vectors of a knowledge base); deleting it loses them.
  'AWS::OpenSearchServerless::Collection': { durablePolicy: 'Retain' },
  // Time series: a Timestream for LiveAnalytics table holds the records (its database holds none of its own), and an
  // InfluxDB instance or cluster holds its buckets on its own storage.
  'AWS::Timestream::Table': { durablePolicy: 'Retain' },
  'AWS::Timestream::InfluxDBInstance': { durablePolicy: 'Retain' },
  'AWS::Timestream::InfluxDBCluster': { durablePolicy: 'Retain' },
  // An AgentCore memory keeps an agent's conversation events and the long-term records it extracts from them (a bank's
  // chatbot: what customers said about their accounts); deleting it loses them.
  'AWS::BedrockAgentCore::Memory': { durablePolicy: 'Retain' },
  // An S3 Tables (Iceberg) table holds its data files; its table bucket cannot be deleted while it holds tables.
  'AWS::S3Tables::Table': { durablePolicy: 'Retain' },
  // An Amazon Keyspaces (Cassandra) table; its keyspace holds no data of its own.
  'AWS::Cassandra::Table': { durablePolicy: 'Retain' },
  'AWS::EC2::Volume': { durablePolicy: 'Snapshot' },
  'AWS::EFS::FileSystem': { durablePolicy: 'Retain' },
  // Deleting an FSx file system deletes its data and its automatic backups; only Windows and OpenZFS keep a final backup by
  // default, Lustre does not (FSx API reference, DeleteFileSystem). CloudFormation cannot snapshot it, so it is retained
  // (aws-cdk-lib's fsx.LustreFileSystem retains by default, which ephemeral stages undo). cfn-lint lists it as stateful too.
  'AWS::FSx::FileSystem': { durablePolicy: 'Retain', temporaryWhen: isLustreScratch },
  // An ONTAP or OpenZFS volume holds the files of its file system; deleting it with the stack loses them.
  'AWS::FSx::Volume': { durablePolicy: 'Retain' },
  // The shortest waiting period KMS allows; a deleted key in a dev stage need not linger for 30 days.
  'AWS::KMS::Key': { durablePolicy: 'Retain', ephemeralProperties: { PendingWindowInDays: 7 } },
  // Retained with the stack in durable stages; deletion protection is not asked for (the catalog's C02 names databases and tables).
  'AWS::Logs::LogGroup': { durablePolicy: 'Retain' },
  'AWS::SQS::Queue': { durablePolicy: 'Retain' },
  // A message broker: ActiveMQ's persistent messages and RabbitMQ's durable queues live on the broker's storage.
  'AWS::AmazonMQ::Broker': { durablePolicy: 'Retain' },
  'AWS::Kinesis::Stream': { durablePolicy: 'Retain' },
  // A repository that still holds images cannot be deleted unless EmptyOnDelete is set.
  'AWS::ECR::Repository': { durablePolicy: 'Retain', ephemeralProperties: { EmptyOnDelete: true } },
  'AWS::Cognito::UserPool': { durablePolicy: 'Retain', deletionProtection: { property: 'DeletionProtection', on: 'ACTIVE', off: 'INACTIVE' } },
  'AWS::SecretsManager::Secret': { durablePolicy: 'Retain' },
  'AWS::OpenSearchService::Domain': { durablePolicy: 'Retain' },
  'AWS::Elasticsearch::Domain': { durablePolicy: 'Retain' },
  // Redis/Valkey replication groups can be a system of record; CloudFormation keeps a final snapshot on delete. One that
  // takes no automatic snapshots (SnapshotRetentionLimit defaults to 0) is a cache, which durable stages do not judge.
  'AWS::ElastiCache::ReplicationGroup': { durablePolicy: 'Snapshot', temporaryWhen: isCacheWithoutSnapshots },
  // Serverless caches do not support the Snapshot policy, so they are retained.
  'AWS::ElastiCache::ServerlessCache': { durablePolicy: 'Retain' },
  // Kafka topics live on the brokers' volumes (provisioned) or in the service (serverless).
  'AWS::MSK::Cluster': { durablePolicy: 'Retain' },
  'AWS::MSK::ServerlessCluster': { durablePolicy: 'Retain' },
  // An EventBridge archive keeps the events of its bus, for replay after a defect or an audit; deleting it loses them.
  'AWS::Events::Archive': { durablePolicy: 'Retain' },
  // A CloudTrail Lake event data store keeps the audit events it ingested; termination protection is on unless turned off.
  'AWS::CloudTrail::EventDataStore': {
    durablePolicy: 'Retain',
    deletionProtection: { property: 'TerminationProtectionEnabled', on: true, off: false, whenUnset: 'on' },
  },
};

/** Acknowledging any rule id with this prefix on a resource makes the stage leave its removal policy alone. */
export const REMOVAL_RULE_PREFIX = 'Fintech-C02-';

/** The rule id to acknowledge when a resource's removal policy is your own decision, not the stage's. */
export const STAGE_REMOVAL_POLICY_RULE_ID = 'Fintech-C02-StageRemovalPolicy';
