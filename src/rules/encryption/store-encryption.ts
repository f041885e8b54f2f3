import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** How a store is encrypted, as far as the template says; undefined when unknown or a customer key. */
interface EncryptionGap {
  /** Plaintext at rest (`UNENCRYPTED`), or encrypted with a key the account does not control. */
  readonly unencrypted: boolean;
  /** What the template says, e.g. `has no KmsMasterKeyId and SqsManagedSseEnabled false`. */
  readonly problem: string;
  readonly location: string;
}

/** Reads one type's encryption settings. */
type EncryptionReader = (properties: { readonly [key: string]: unknown }) => EncryptionGap | undefined;

// AWS managed keys (alias/aws/<service>) cannot be granted to other services or accounts, nor rotated or audited by us.
const AWS_MANAGED_ALIAS = /^(arn:[^:]+:kms:[^:]*:[^:]*:)?alias\/aws\//;

const READERS: { readonly [type: string]: EncryptionReader | undefined } = {
  'AWS::SQS::Queue': properties => {
    const key = properties.KmsMasterKeyId;
    if (key !== undefined) return awsManaged(key, 'KmsMasterKeyId');
    const managed = TemplateValue.booleanOf(properties.SqsManagedSseEnabled);
    if (managed === false) return { unencrypted: true, problem: 'has no KmsMasterKeyId and SqsManagedSseEnabled false, so its messages are stored in plaintext', location: 'Properties/KmsMasterKeyId' };
    // SQS turns SSE-SQS on for new queues by default, so unset means SQS-owned keys.
    return { unencrypted: false, problem: 'has no KmsMasterKeyId, so SQS encrypts it with an SQS-owned key (SSE-SQS)', location: 'Properties/KmsMasterKeyId' };
  },
  'AWS::SNS::Topic': properties => {
    const key = properties.KmsMasterKeyId;
    if (key !== undefined) return awsManaged(key, 'KmsMasterKeyId');
    return { unencrypted: true, problem: 'has no KmsMasterKeyId, so SNS stores its messages unencrypted', location: 'Properties/KmsMasterKeyId' };
  },
  'AWS::DynamoDB::Table': properties => {
    const sse = dynamoSse(properties, 'it');
    if (sse.kind !== 'enabled') return sse.gap;
    if (sse.spec.KMSMasterKeyId === undefined) {
      return { unencrypted: false, problem: 'has SSEEnabled true without KMSMasterKeyId, so DynamoDB encrypts it with the AWS managed key alias/aws/dynamodb', location: SSE_LOCATION };
    }
    return awsManaged(sse.spec.KMSMasterKeyId, 'SSESpecification/KMSMasterKeyId');
  },
  'AWS::DynamoDB::GlobalTable': properties => {
    const sse = dynamoSse(properties, 'its replicas');
    if (sse.kind !== 'enabled') return sse.gap;
    // With SSE on, each replica names its key; one without falls back to the AWS managed alias/aws/dynamodb.
    if (!Array.isArray(properties.Replicas)) return undefined;
    for (const [i, replica] of properties.Replicas.entries()) {
      if (!TemplateValue.isObject(replica) || TemplateValue.isIntrinsic(replica)) return undefined;
      const replicaSse = replica.SSESpecification;
      const keyId = TemplateValue.isObject(replicaSse) && !TemplateValue.isIntrinsic(replicaSse) ? replicaSse.KMSMasterKeyId : undefined;
      if (replicaSse !== undefined && keyId === undefined && TemplateValue.isIntrinsic(replicaSse)) return undefined;
      if (keyId === undefined) {
        return { unencrypted: false, problem: `has SSEEnabled true but replica ${i} names no KMSMasterKeyId, so that replica uses the AWS managed key alias/aws/dynamodb`, location: `Properties/Replicas/${i}/SSESpecification` };
      }
      const managed = awsManaged(keyId, `Replicas/${i}/SSESpecification/KMSMasterKeyId`);
      if (managed) return managed;
    }
    return undefined;
  },
  'AWS::RDS::DBInstance': properties => {
    // An instance of an Aurora cluster is encrypted (or not) by its cluster.
    if (properties.DBClusterIdentifier !== undefined) return undefined;
    return rdsStorage(properties, 'its database storage, automated backups, read replicas and snapshots are');
  },
  'AWS::RDS::DBCluster': properties => {
    // Aurora Serverless v1 clusters are always encrypted; with no key named, with the AWS managed key.
    if (properties.EngineMode === 'serverless' && properties.StorageEncrypted === undefined) {
      return properties.KmsKeyId === undefined
        ? { unencrypted: false, problem: 'is a serverless cluster without KmsKeyId, so it is encrypted with the AWS managed key alias/aws/rds', location: 'Properties/KmsKeyId' }
        : awsManaged(properties.KmsKeyId, 'KmsKeyId');
    }
    return rdsStorage(properties, 'its cluster volume, backups and snapshots are');
  },
  'AWS::ECR::Repository': properties => {
    const config = properties.EncryptionConfiguration;
    const location = 'Properties/EncryptionConfiguration';
    if (config === undefined) return { unencrypted: false, problem: 'has no EncryptionConfiguration, so ECR encrypts its images with S3-managed keys (AES256)', location };
    if (!TemplateValue.isObject(config) || TemplateValue.isIntrinsic(config)) return undefined;
    const type = config.EncryptionType;
    if (type === 'AES256') return { unencrypted: false, problem: 'has EncryptionType AES256, so ECR encrypts its images with S3-managed keys', location: `${location}/EncryptionType` };
    if (typeof type !== 'string' || !/^KMS/.test(type)) return undefined;
    if (config.KmsKey === undefined) return { unencrypted: false, problem: `has EncryptionType ${type} without KmsKey, so ECR uses the AWS managed key alias/aws/ecr`, location: `${location}/KmsKey` };
    return awsManaged(config.KmsKey, 'EncryptionConfiguration/KmsKey');
  },
  'AWS::EFS::FileSystem': properties => {
    const encrypted = properties.Encrypted === undefined ? false : TemplateValue.booleanOf(properties.Encrypted);
    if (encrypted === undefined) return undefined;
    if (!encrypted) return { unencrypted: true, problem: `has Encrypted ${properties.Encrypted === undefined ? 'unset' : 'false'}, so its files are stored in plaintext (and EFS cannot encrypt an existing file system)`, location: 'Properties/Encrypted' };
    if (properties.KmsKeyId === undefined) return { unencrypted: false, problem: 'has Encrypted true without KmsKeyId, so it is encrypted with the AWS managed key alias/aws/elasticfilesystem', location: 'Properties/KmsKeyId' };
    return awsManaged(properties.KmsKeyId, 'KmsKeyId');
  },
  'AWS::Kinesis::Stream': properties => kinesisEncryption(properties.StreamEncryption),
  'AWS::OpenSearchService::Domain': properties => searchDomainEncryption(properties),
  'AWS::Elasticsearch::Domain': properties => searchDomainEncryption(properties),
  'AWS::ElastiCache::ReplicationGroup': properties => {
    // A member of a global datastore, or a group built around an existing cluster, takes its encryption from there.
    if (properties.GlobalReplicationGroupId !== undefined || properties.PrimaryClusterId !== undefined) return undefined;
    const encrypted = properties.AtRestEncryptionEnabled === undefined ? false : TemplateValue.booleanOf(properties.AtRestEncryptionEnabled);
    if (encrypted === undefined) return undefined;
    if (!encrypted) return { unencrypted: true, problem: `has AtRestEncryptionEnabled ${properties.AtRestEncryptionEnabled === undefined ? 'unset' : 'false'}, so its disks and backups are stored in plaintext (and it cannot be turned on without replacing the group)`, location: 'Properties/AtRestEncryptionEnabled' };
    if (properties.KmsKeyId === undefined) return { unencrypted: false, problem: 'has AtRestEncryptionEnabled true without KmsKeyId, so ElastiCache encrypts it with its default service key', location: 'Properties/KmsKeyId' };
    return awsManaged(properties.KmsKeyId, 'KmsKeyId');
  },
  // Serverless caches are always encrypted; without KmsKeyId, with a key ElastiCache owns.
  'AWS::ElastiCache::ServerlessCache': properties => (properties.KmsKeyId === undefined
    ? { unencrypted: false, problem: 'has no KmsKeyId, so ElastiCache encrypts it with its default service key', location: 'Properties/KmsKeyId' }
    : awsManaged(properties.KmsKeyId, 'KmsKeyId')),
  // MSK always encrypts broker volumes at rest; without DataVolumeKMSKeyId, with the AWS managed key alias/aws/kafka.
  'AWS::MSK::Cluster': properties => {
    const info = properties.EncryptionInfo;
    if (info !== undefined && (!TemplateValue.isObject(info) || TemplateValue.isIntrinsic(info))) return undefined;
    const atRest = info?.EncryptionAtRest;
    if (atRest !== undefined && (!TemplateValue.isObject(atRest) || TemplateValue.isIntrinsic(atRest))) return undefined;
    const key = atRest?.DataVolumeKMSKeyId;
    if (key === undefined) return { unencrypted: false, problem: 'has no EncryptionInfo.EncryptionAtRest.DataVolumeKMSKeyId, so MSK encrypts its broker volumes with the AWS managed key alias/aws/kafka', location: 'Properties/EncryptionInfo/EncryptionAtRest' };
    return awsManaged(key, 'EncryptionInfo/EncryptionAtRest/DataVolumeKMSKeyId');
  },
};

/**
 * A Kinesis stream's StreamEncryption: none is plaintext. The `Fn::If` aws-cdk-lib writes for the default `kinesis.Stream`
 * (no encryption in regions without Kinesis SSE, the AWS managed key elsewhere) is judged by its encrypting branch.
 */
function kinesisEncryption(spec: unknown): EncryptionGap | undefined {
  const location = 'Properties/StreamEncryption';
  if (spec === undefined) return { unencrypted: true, problem: 'has no StreamEncryption, so its records are stored in plaintext', location };
  if (!TemplateValue.isObject(spec)) return undefined;
  const branches = spec['Fn::If'];
  if (Array.isArray(branches) && branches.length === 3) {
    const encrypting = branches.slice(1).filter(branch => !(TemplateValue.isObject(branch) && branch.Ref === 'AWS::NoValue'));
    const gaps = encrypting.map(branch => kinesisEncryption(branch));
    return encrypting.length > 0 && gaps.every(gap => gap && !gap.unencrypted) ? gaps[0] : undefined;
  }
  if (TemplateValue.isIntrinsic(spec)) return undefined;
  if (spec.EncryptionType !== 'KMS') return undefined;
  return awsManaged(spec.KeyId, 'StreamEncryption/KeyId');
}

/** An OpenSearch (or Elasticsearch) domain: EncryptionAtRestOptions.Enabled off is plaintext; on without KmsKeyId is alias/aws/es. */
function searchDomainEncryption(properties: { readonly [key: string]: unknown }): EncryptionGap | undefined {
  const options = properties.EncryptionAtRestOptions;
  const location = 'Properties/EncryptionAtRestOptions';
  if (options !== undefined && (!TemplateValue.isObject(options) || TemplateValue.isIntrinsic(options))) return undefined;
  const enabled = options?.Enabled === undefined ? false : TemplateValue.booleanOf(options.Enabled);
  if (enabled === undefined) return undefined;
  if (!enabled) return { unencrypted: true, problem: `has EncryptionAtRestOptions.Enabled ${options?.Enabled === undefined ? 'unset' : 'false'}, so its indices, logs and automated snapshots are stored in plaintext`, location };
  if (options?.KmsKeyId === undefined) return { unencrypted: false, problem: 'has EncryptionAtRestOptions.Enabled true without KmsKeyId, so it is encrypted with the AWS managed key alias/aws/es', location: `${location}/KmsKeyId` };
  return awsManaged(options.KmsKeyId, 'EncryptionAtRestOptions/KmsKeyId');
}

const SSE_LOCATION = 'Properties/SSESpecification';

/** A DynamoDB table's SSESpecification: SSE on (its spec), or the gap (AWS owned key) or unknown when not. */
function dynamoSse(properties: { readonly [key: string]: unknown }, what: string):
  { readonly kind: 'enabled'; readonly spec: { readonly [key: string]: unknown } } | { readonly kind: 'other'; readonly gap: EncryptionGap | undefined } {
  const spec = properties.SSESpecification;
  if (spec === undefined) return { kind: 'other', gap: { unencrypted: false, problem: `has no SSESpecification, so DynamoDB encrypts ${what} with an AWS owned key`, location: SSE_LOCATION } };
  if (!TemplateValue.isObject(spec) || TemplateValue.isIntrinsic(spec)) return { kind: 'other', gap: undefined };
  const enabled = TemplateValue.booleanOf(spec.SSEEnabled);
  if (enabled === undefined && spec.SSEEnabled !== undefined) return { kind: 'other', gap: undefined };
  if (enabled) return { kind: 'enabled', spec };
  const setting = spec.SSEEnabled === undefined ? 'unset' : JSON.stringify(spec.SSEEnabled);
  return { kind: 'other', gap: { unencrypted: false, problem: `has SSEEnabled ${setting}, so DynamoDB encrypts ${what} with an AWS owned key`, location: SSE_LOCATION } };
}

/** RDS storage: StorageEncrypted off (the default) is plaintext; on without KmsKeyId is the AWS managed key. */
function rdsStorage(properties: { readonly [key: string]: unknown }, what: string): EncryptionGap | undefined {
  const encrypted = properties.StorageEncrypted === undefined ? false : TemplateValue.booleanOf(properties.StorageEncrypted);
  if (encrypted === undefined) return undefined;
  if (!encrypted) {
    // A restore from a snapshot inherits the snapshot's encryption; the template cannot tell.
    if (['DBSnapshotIdentifier', 'SnapshotIdentifier', 'SourceDBInstanceIdentifier'].some(restore => properties[restore] !== undefined)) return undefined;
    return { unencrypted: true, problem: `has StorageEncrypted ${properties.StorageEncrypted === undefined ? 'unset' : 'false'}, so ${what} stored in plaintext`, location: 'Properties/StorageEncrypted' };
  }
  if (properties.KmsKeyId === undefined) return { unencrypted: false, problem: 'has StorageEncrypted true without KmsKeyId, so it is encrypted with the AWS managed key alias/aws/rds', location: 'Properties/KmsKeyId' };
  return awsManaged(properties.KmsKeyId, 'KmsKeyId');
}

/**
 * C04: queues, topics, tables (global tables too), RDS instances and clusters, ECR repositories, EFS file systems,
 * Kinesis streams, OpenSearch (and Elasticsearch) domains, ElastiCache replication groups and serverless caches and MSK
 * provisioned clusters are encrypted with a customer managed KMS key. Not judged: MSK Serverless (always encrypted
 * with a key MSK owns; no customer key can be chosen) and ElastiCache cache clusters (Memcached persists nothing). Two ids: plaintext data (an SNS topic without a key, a queue
 * with SSE-SQS turned off, RDS storage without StorageEncrypted), which cannot be acknowledged in durable
 * stages, and data encrypted with a key the account does not own (SSE-SQS, DynamoDB's AWS owned key, ECR's
 * AES256, `alias/aws/...` managed keys), which cannot be granted to producers (C05), rotated on our
 * schedule or shown in CloudTrail per use.
 */
export class StoreEncryption implements FintechRule {
  /** Metadata of `Fintech-C04-UnencryptedStore`. */
  public static readonly UNENCRYPTED: RuleInfo = {
    id: 'Fintech-C04-UnencryptedStore',
    catalogId: 'C04',
    title: 'Queues, topics, tables and databases are encrypted at rest',
    description: 'An SNS topic without a KMS key, an SQS queue with server-side encryption turned off, or an RDS database without storage encryption stores payment data in plaintext, which PCI DSS forbids for cardholder data; RDS encryption cannot be turned on later without a copy and restore.',
    fix: 'Use a SecureQueue or SecureTopic, or set encryption: QueueEncryption.KMS / masterKey with a customer KMS key (DataKey); for RDS set storageEncrypted with storageEncryptionKey; for EFS encrypted with kmsKey, for Kinesis encryption: StreamEncryption.KMS with encryptionKey, for OpenSearch encryptionAtRest { enabled, kmsKey }, for ElastiCache replication groups AtRestEncryptionEnabled with KmsKeyId.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  /** Metadata of `Fintech-C04-StoreWithoutCustomerKey`. */
  public static readonly WITHOUT_CUSTOMER_KEY: RuleInfo = {
    id: 'Fintech-C04-StoreWithoutCustomerKey',
    catalogId: 'C04',
    title: 'Queues, topics, tables, databases and image repositories use a customer managed KMS key',
    description: 'Service-owned and AWS managed keys cannot be granted to other services or accounts, rotated on your schedule or audited per use, so producers such as SNS or EventBridge cannot write to the store and reviews cannot prove who decrypted what. Judged on SQS, SNS, DynamoDB, RDS, ECR, EFS, Kinesis, OpenSearch, ElastiCache replication groups and serverless caches, and MSK clusters. Not judged: MSK Serverless (no customer key can be chosen), ElastiCache cache clusters, intrinsic keys (taken as customer keys).',
    fix: 'Use a SecureQueue, SecureTopic or SecureTable, or pass a customer KMS key (DataKey): encryptionMasterKey, masterKey, encryption: TableEncryption.CUSTOMER_MANAGED with encryptionKey, storageEncryptionKey (RDS), or encryption: RepositoryEncryption.KMS with encryptionKey (ECR), kmsKey (EFS), encryptionKey (Kinesis), encryptionAtRest.kmsKey (OpenSearch), KmsKeyId (ElastiCache), EncryptionInfo.EncryptionAtRest.DataVolumeKMSKeyId (MSK).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'StoreEncryption';
  public readonly infos = [StoreEncryption.UNENCRYPTED, StoreEncryption.WITHOUT_CUSTOMER_KEY];
  public readonly resourceTypes = Object.keys(READERS);

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const read = READERS[resource.type];
    const gap = read && resource.properties ? read(resource.properties) : undefined;
    if (!gap) return [];
    const info = gap.unencrypted ? StoreEncryption.UNENCRYPTED : StoreEncryption.WITHOUT_CUSTOMER_KEY;
    return [findingOn(resource, info.id, `${resource.type} ${resource.logicalId} ${gap.problem}; it must use a customer managed KMS key.`, [gap.location])];
  }
}

/** A literal AWS managed key alias is a gap; any other key (a literal key id or ARN, an intrinsic) is taken as a customer key. */
function awsManaged(key: unknown, property: string): EncryptionGap | undefined {
  if (typeof key !== 'string' || !AWS_MANAGED_ALIAS.test(key)) return undefined;
  return { unencrypted: false, problem: `has ${property.split('/').pop()} "${key}", an AWS managed key`, location: `Properties/${property}` };
}
