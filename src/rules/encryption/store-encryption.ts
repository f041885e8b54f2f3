import { isLustreScratch } from '../../facts/stateful-resources';
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
  // A global database: each regional cluster joins it and inherits its encryption (the keys are regional).
  'AWS::RDS::GlobalCluster': properties => {
    if (properties.SourceDBClusterIdentifier !== undefined) return undefined;
    const encrypted = properties.StorageEncrypted === undefined ? false : TemplateValue.booleanOf(properties.StorageEncrypted);
    if (encrypted !== false) return undefined;
    return { unencrypted: true, problem: `has StorageEncrypted ${properties.StorageEncrypted === undefined ? 'unset' : 'false'}, so every regional cluster that joins it stores its data in plaintext`, location: 'Properties/StorageEncrypted' };
  },
  // DocumentDB and Neptune clusters encrypt like RDS, with the same AWS managed key alias/aws/rds.
  'AWS::DocDB::DBCluster': properties => rdsStorage(properties, 'its documents, backups and snapshots are'),
  'AWS::Neptune::DBCluster': properties => rdsStorage(properties, 'its graph, backups and snapshots are'),
  // DAX encrypts at rest only with an AWS managed key (no customer key can be chosen), so only plaintext is judged.
  'AWS::DAX::Cluster': properties => {
    const spec = properties.SSESpecification;
    if (spec !== undefined && (!TemplateValue.isObject(spec) || TemplateValue.isIntrinsic(spec))) return undefined;
    const enabled = spec?.SSEEnabled === undefined ? false : TemplateValue.booleanOf(spec.SSEEnabled);
    if (enabled !== false) return undefined;
    return { unencrypted: true, problem: `has SSESpecification.SSEEnabled ${spec?.SSEEnabled === undefined ? 'unset' : 'false'}, so the items it caches are written to its nodes' disks in plaintext (and it cannot be turned on without replacing the cluster)`, location: SSE_LOCATION };
  },
  'AWS::Redshift::Cluster': properties => {
    // A restore keeps its snapshot's encryption unless a key is named; an HSM holds customer keys.
    if (properties.SnapshotIdentifier !== undefined && properties.KmsKeyId === undefined) return undefined;
    if (properties.HsmConfigurationIdentifier !== undefined) return undefined;
    const encrypted = properties.Encrypted === undefined ? true : TemplateValue.booleanOf(properties.Encrypted);
    if (encrypted === undefined) return undefined;
    if (!encrypted) return { unencrypted: true, problem: 'has Encrypted false, so it asks for its data blocks and snapshots to be stored in plaintext', location: 'Properties/Encrypted' };
    if (properties.KmsKeyId === undefined) return { unencrypted: false, problem: 'has no KmsKeyId, so Redshift encrypts its data blocks and snapshots with a key AWS owns', location: 'Properties/KmsKeyId' };
    return awsManaged(properties.KmsKeyId, 'KmsKeyId');
  },
  'AWS::RedshiftServerless::Namespace': properties => serviceKey(properties.KmsKeyId, 'KmsKeyId', 'Redshift Serverless encrypts its databases and snapshots with a key AWS owns'),
  // MemoryDB always encrypts its transaction log and snapshots at rest.
  'AWS::MemoryDB::Cluster': properties => serviceKey(properties.KmsKeyId, 'KmsKeyId', 'MemoryDB encrypts its transaction log and snapshots with its default service key'),
  // Aurora DSQL always encrypts its clusters; without a customer key (KmsEncryptionKey unset or AWS_OWNED_KMS_KEY), with a key AWS owns.
  'AWS::DSQL::Cluster': properties => properties.KmsEncryptionKey === 'AWS_OWNED_KMS_KEY'
    ? { unencrypted: false, problem: 'has KmsEncryptionKey AWS_OWNED_KMS_KEY, so Aurora DSQL encrypts its databases with a key AWS owns', location: 'Properties/KmsEncryptionKey' }
    : serviceKey(properties.KmsEncryptionKey, 'KmsEncryptionKey', 'Aurora DSQL encrypts its databases with a key AWS owns'),
  // A DocumentDB elastic cluster without a key of its own uses the default key KMS creates for the account.
  'AWS::DocDBElastic::Cluster': properties => serviceKey(properties.KmsKeyId, 'KmsKeyId',
    'DocumentDB encrypts the elastic cluster with the AWS managed key KMS creates for the account'),
  'AWS::NeptuneGraph::Graph': properties => serviceKey(properties.KmsKeyIdentifier, 'KmsKeyIdentifier', 'Neptune Analytics encrypts the graph with a key AWS owns'),
  'AWS::BedrockAgentCore::Memory': properties => serviceKey(properties.EncryptionKeyArn, 'EncryptionKeyArn',
    'AgentCore encrypts its conversation events and memory records with a key AWS owns'),
  // With memory on, a Bedrock agent keeps a summary of each customer's sessions for up to 365 days (StorageDays, 30 by
  // default) under CustomerEncryptionKeyArn, or else a key AWS owns. Without memory it keeps only in-flight session state.
  'AWS::Bedrock::Agent': properties => agentMemoryOn(properties.MemoryConfiguration)
    ? serviceKey(properties.CustomerEncryptionKeyArn, 'CustomerEncryptionKeyArn', 'Bedrock encrypts the session summaries its memory keeps with a key AWS owns')
    : undefined,
  // The tables of a Timestream for LiveAnalytics database take its key; without one, the AWS managed alias/aws/timestream.
  'AWS::Timestream::Database': properties => serviceKey(properties.KmsKeyId, 'KmsKeyId', 'Timestream encrypts its tables with the AWS managed key alias/aws/timestream'),
  // The tables of an S3 table bucket take its encryption unless they set their own; S3 Tables defaults to SSE-S3.
  'AWS::S3Tables::TableBucket': properties => typedEncryption(properties, {
    property: 'EncryptionConfiguration',
    typeField: 'SSEAlgorithm',
    serviceType: 'AES256',
    customerType: 'aws:kms',
    keyField: 'KMSKeyArn',
    byService: 'S3 Tables encrypts its tables with S3-managed keys (SSE-S3)',
  }),
  // An OpenSearch Serverless collection is encrypted as its EncryptionConfig says, or else as the encryption security policy
  // matching its name says (judged on the policy); only a key AWS owns, asked for in either place, is a gap.
  'AWS::OpenSearchServerless::Collection': properties => {
    const config = properties.EncryptionConfig;
    const awsOwned = TemplateValue.isObject(config) && !TemplateValue.isIntrinsic(config) ? TemplateValue.booleanOf(config.AWSOwnedKey) : undefined;
    if (awsOwned !== true) return undefined;
    return { unencrypted: false, problem: 'has EncryptionConfig.AWSOwnedKey true, so OpenSearch Serverless encrypts its indexes with a key AWS owns', location: 'Properties/EncryptionConfig/AWSOwnedKey' };
  },
  // The policy is JSON text, often an Fn::Sub naming the stage's collections; a flag from a parameter is not `true`: unknown.
  'AWS::OpenSearchServerless::SecurityPolicy': properties => {
    const policy = properties.Type === 'encryption' ? TemplateValue.parseJson(properties.Policy)?.document : undefined;
    if (!TemplateValue.isObject(policy) || policy.AWSOwnedKey !== true) return undefined;
    return { unencrypted: false, problem: 'is an encryption policy with AWSOwnedKey true, so OpenSearch Serverless encrypts the indexes of the collections it matches with a key AWS owns', location: 'Properties/Policy' };
  },
  // Amazon Keyspaces tables are always encrypted; without a customer key, with an AWS owned key.
  'AWS::Cassandra::Table': properties => typedEncryption(properties, {
    property: 'EncryptionSpecification',
    typeField: 'EncryptionType',
    serviceType: 'AWS_OWNED_KMS_KEY',
    customerType: 'CUSTOMER_MANAGED_KMS_KEY',
    keyField: 'KmsKeyIdentifier',
    byService: 'Amazon Keyspaces encrypts its rows with an AWS owned key',
  }),
  // Amazon MQ always encrypts messages at rest. Only ActiveMQ brokers can take a KMS key (EncryptionOptions does not apply
  // to RabbitMQ, which uses a key AWS owns): without options, or UseAwsOwnedKey true, an AWS owned key; false without a
  // KmsKeyId, the AWS managed alias/aws/mq.
  'AWS::AmazonMQ::Broker': properties => {
    if (typeof properties.EngineType !== 'string' || properties.EngineType.toUpperCase() !== 'ACTIVEMQ') return undefined;
    const options = properties.EncryptionOptions;
    const location = 'Properties/EncryptionOptions';
    const owned = 'so Amazon MQ encrypts the messages it stores with a key AWS owns';
    if (options === undefined) return { unencrypted: false, problem: `is an ActiveMQ broker without EncryptionOptions, ${owned}`, location };
    if (!TemplateValue.isObject(options) || TemplateValue.isIntrinsic(options)) return undefined;
    const awsOwned = TemplateValue.booleanOf(options.UseAwsOwnedKey);
    if (awsOwned === true) return { unencrypted: false, problem: `has EncryptionOptions.UseAwsOwnedKey true, ${owned}`, location: `${location}/UseAwsOwnedKey` };
    if (awsOwned === undefined) return undefined;
    if (options.KmsKeyId === undefined) {
      return { unencrypted: false, problem: 'has EncryptionOptions.UseAwsOwnedKey false and no KmsKeyId, so Amazon MQ encrypts the messages it stores with the AWS managed key alias/aws/mq', location: `${location}/KmsKeyId` };
    }
    return awsManaged(options.KmsKeyId, 'EncryptionOptions/KmsKeyId');
  },
  // A secret without a key of its own is encrypted with alias/aws/secretsmanager, in its home region and in each replica's.
  'AWS::SecretsManager::Secret': properties => {
    if (properties.KmsKeyId === undefined) {
      return { unencrypted: false, problem: 'has no KmsKeyId, so Secrets Manager encrypts it with the AWS managed key alias/aws/secretsmanager, which no other account or service can be granted', location: 'Properties/KmsKeyId' };
    }
    const managed = awsManaged(properties.KmsKeyId, 'KmsKeyId');
    if (managed || !Array.isArray(properties.ReplicaRegions)) return managed;
    for (const [i, replica] of properties.ReplicaRegions.entries()) {
      if (!TemplateValue.isObject(replica) || TemplateValue.isIntrinsic(replica)) continue;
      if (replica.KmsKeyId === undefined) {
        return { unencrypted: false, problem: `has replica ${i} (${String(replica.Region)}) without KmsKeyId, so that replica is encrypted with the AWS managed key alias/aws/secretsmanager`, location: `Properties/ReplicaRegions/${i}` };
      }
      const replicaManaged = awsManaged(replica.KmsKeyId, `ReplicaRegions/${i}/KmsKeyId`);
      if (replicaManaged) return replicaManaged;
    }
    return undefined;
  },
  // Records sent straight to a Firehose stream wait in its interim storage, under keys Firehose owns unless a customer key is
  // named. A stream reading a Kinesis stream, an MSK cluster or a database keeps nothing at rest of its own: not judged.
  'AWS::KinesisFirehose::DeliveryStream': properties => {
    const type = properties.DeliveryStreamType;
    if (type !== undefined && type !== 'DirectPut') return undefined;
    const config = properties.DeliveryStreamEncryptionConfigurationInput;
    const location = 'Properties/DeliveryStreamEncryptionConfigurationInput';
    const byFirehose = 'so Firehose keeps the records waiting for delivery under keys it owns';
    if (config === undefined) return { unencrypted: false, problem: `has no DeliveryStreamEncryptionConfigurationInput, ${byFirehose}`, location };
    if (!TemplateValue.isObject(config) || TemplateValue.isIntrinsic(config)) return undefined;
    if (config.KeyType === 'AWS_OWNED_CMK') return { unencrypted: false, problem: `has KeyType AWS_OWNED_CMK, ${byFirehose}`, location: `${location}/KeyType` };
    return config.KeyType === 'CUSTOMER_MANAGED_CMK' ? awsManaged(config.KeyARN, 'DeliveryStreamEncryptionConfigurationInput/KeyARN') : undefined;
  },
  // Recovery points of resources AWS Backup encrypts itself (EFS, DynamoDB with advanced backup, S3, ...) take the vault's key.
  'AWS::Backup::BackupVault': properties => serviceKey(properties.EncryptionKeyArn, 'EncryptionKeyArn',
    'AWS Backup encrypts the recovery points it encrypts itself with the AWS managed key alias/aws/backup'),
  // A REST API stage's cache keeps the responses of the methods that cache, in plaintext unless CacheDataEncrypted is on.
  'AWS::ApiGateway::Stage': properties => {
    if (TemplateValue.booleanOf(properties.CacheClusterEnabled) !== true || !Array.isArray(properties.MethodSettings)) return undefined;
    for (const [i, setting] of properties.MethodSettings.entries()) {
      if (!TemplateValue.isObject(setting) || TemplateValue.isIntrinsic(setting)) continue;
      if (TemplateValue.booleanOf(setting.CachingEnabled) !== true) continue;
      const encrypted = setting.CacheDataEncrypted === undefined ? false : TemplateValue.booleanOf(setting.CacheDataEncrypted);
      if (encrypted !== false) continue;
      const method = `${String(setting.HttpMethod ?? '*')} ${String(setting.ResourcePath ?? '/*')}`;
      return { unencrypted: true, problem: `caches the responses of ${method} (MethodSettings ${i}) with CacheDataEncrypted ${setting.CacheDataEncrypted === undefined ? 'unset' : 'false'}, so its cache cluster stores them in plaintext`, location: `Properties/MethodSettings/${i}/CacheDataEncrypted` };
    }
    return undefined;
  },
  // CloudTrail Lake keeps the audit events an event data store ingests for up to ten years.
  'AWS::CloudTrail::EventDataStore': properties => serviceKey(properties.KmsKeyId, 'KmsKeyId', 'CloudTrail encrypts the events it stores with a key AWS owns'),
  // An EventBridge archive keeps the events of its bus for replay, up to forever; without a key of its own, with a key AWS owns
  // (CDK's Archive writes KmsKeyIdentifier "" when given no kmsKey, which EventBridge takes as none).
  'AWS::Events::Archive': properties => serviceKey(properties.KmsKeyIdentifier === '' ? undefined : properties.KmsKeyIdentifier, 'KmsKeyIdentifier',
    'EventBridge encrypts the events it keeps with a key AWS owns'),
  // FSx always encrypts at rest; without KmsKeyId, with the FSx-managed key alias/aws/fsx. Lustre scratch file systems take
  // no key (FSx uses its own), and one restored from a backup takes its encryption from the backup.
  'AWS::FSx::FileSystem': properties => {
    if (properties.BackupId !== undefined || isLustreScratch(properties) !== false) return undefined;
    return serviceKey(properties.KmsKeyId, 'KmsKeyId', 'FSx encrypts its files and backups with the AWS managed key alias/aws/fsx');
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
  // An EBS volume is encrypted only when asked, or when its account turned on EBS encryption by default, which no template
  // shows; a volume restored from a snapshot keeps the snapshot's encryption unless it asks for it.
  'AWS::EC2::Volume': properties => {
    const encrypted = properties.Encrypted === undefined ? false : TemplateValue.booleanOf(properties.Encrypted);
    if (encrypted === undefined) return undefined;
    if (!encrypted) {
      if (properties.SnapshotId !== undefined) return undefined;
      return { unencrypted: true, problem: `has Encrypted ${properties.Encrypted === undefined ? 'unset' : 'false'}, so its blocks and snapshots are stored in plaintext unless the account turned on EBS encryption by default, which the template cannot show`, location: 'Properties/Encrypted' };
    }
    if (properties.KmsKeyId === undefined) return { unencrypted: false, problem: 'has Encrypted true without KmsKeyId, so it is encrypted with the account\'s default EBS key, the AWS managed alias/aws/ebs unless the account chose another', location: 'Properties/KmsKeyId' };
    return awsManaged(properties.KmsKeyId, 'KmsKeyId');
  },
  // The disks of instances: only a mapping that asks for plaintext is judged (one left unset may be the root volume, which
  // takes the image's encryption, or be encrypted by the account's default).
  'AWS::EC2::Instance': properties => blockDevicesInPlaintext(properties.BlockDeviceMappings, 'Properties/BlockDeviceMappings'),
  'AWS::EC2::LaunchTemplate': properties => {
    const data = properties.LaunchTemplateData;
    return TemplateValue.isObject(data) ? blockDevicesInPlaintext(data.BlockDeviceMappings, 'Properties/LaunchTemplateData/BlockDeviceMappings') : undefined;
  },
  'AWS::AutoScaling::LaunchConfiguration': properties => blockDevicesInPlaintext(properties.BlockDeviceMappings, 'Properties/BlockDeviceMappings'),
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

/** The first EBS mapping of an instance's disks that asks for a new volume in plaintext (`Ebs.Encrypted` false, no snapshot). */
function blockDevicesInPlaintext(mappings: unknown, location: string): EncryptionGap | undefined {
  if (!Array.isArray(mappings)) return undefined;
  for (const [i, mapping] of mappings.entries()) {
    if (!TemplateValue.isObject(mapping)) continue;
    const ebs = mapping.Ebs;
    if (!TemplateValue.isObject(ebs) || TemplateValue.isIntrinsic(ebs) || ebs.SnapshotId !== undefined) continue;
    if (TemplateValue.booleanOf(ebs.Encrypted) !== false) continue;
    const device = typeof mapping.DeviceName === 'string' ? ` (${mapping.DeviceName})` : '';
    return { unencrypted: true, problem: `asks for EBS volume ${i}${device} with Encrypted false, so its blocks are stored in plaintext unless the account turned on EBS encryption by default`, location: `${location}/${i}/Ebs/Encrypted` };
  }
  return undefined;
}

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
    const encrypting = branches.slice(1).filter(branch => !TemplateValue.isNoValue(branch));
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

// Properties through which storage takes its encryption from elsewhere: a snapshot, a source instance or cluster
// (a read replica, a point-in-time restore or a clone), or the global cluster it joins.
const INHERITED_STORAGE = ['DBSnapshotIdentifier', 'SnapshotIdentifier', 'SourceDBInstanceIdentifier', 'SourceDBClusterIdentifier', 'GlobalClusterIdentifier'];

/**
 * RDS, DocumentDB and Neptune storage: StorageEncrypted off (the default) is plaintext; on without KmsKeyId is the AWS
 * managed key alias/aws/rds, which all three use.
 */
function rdsStorage(properties: { readonly [key: string]: unknown }, what: string): EncryptionGap | undefined {
  const encrypted = properties.StorageEncrypted === undefined ? false : TemplateValue.booleanOf(properties.StorageEncrypted);
  if (encrypted === undefined) return undefined;
  if (!encrypted) {
    // Storage restored, replicated or joined to a global cluster inherits its source's encryption; the template cannot tell.
    if (INHERITED_STORAGE.some(source => properties[source] !== undefined)) return undefined;
    return { unencrypted: true, problem: `has StorageEncrypted ${properties.StorageEncrypted === undefined ? 'unset' : 'false'}, so ${what} stored in plaintext`, location: 'Properties/StorageEncrypted' };
  }
  if (properties.KmsKeyId === undefined) return { unencrypted: false, problem: 'has StorageEncrypted true without KmsKeyId, so it is encrypted with the AWS managed key alias/aws/rds', location: 'Properties/KmsKeyId' };
  return awsManaged(properties.KmsKeyId, 'KmsKeyId');
}

/**
 * C04: queues, topics, tables (global tables too), RDS instances, clusters and global clusters, DocumentDB and Neptune
 * clusters, Redshift clusters and Serverless namespaces, MemoryDB clusters, Aurora DSQL clusters, DocumentDB elastic clusters, Neptune
 * Analytics graphs, Timestream databases, S3 table buckets, AgentCore memories, OpenSearch Serverless collections and encryption policies (when they ask
 * for a key AWS owns), Amazon Keyspaces tables, backup vaults, secrets (and their replicas),
 * CloudTrail Lake event data stores, EventBridge archives, FSx file systems (all but Lustre scratch ones), Firehose
 * streams that take records directly (Direct PUT), ECR
 * repositories, EFS file systems, Kinesis streams, OpenSearch (and Elasticsearch) domains, ElastiCache replication groups
 * and serverless caches, MSK provisioned clusters and EBS volumes (`AWS::EC2::Volume`) are encrypted with a customer
 * managed KMS key; DAX clusters are encrypted at rest, and no instance, launch template or launch configuration asks for
 * an EBS disk with Encrypted false, and no REST API stage caches responses with CacheDataEncrypted off. Not judged: instance disks left at Encrypted unset or on the account's default key
 * (the root volume takes its image's encryption, and the account may encrypt every new volume by default), MSK Serverless (always encrypted with a key MSK owns; no customer key can be chosen), DAX's
 * key (always an AWS managed key), ElastiCache cache clusters (Memcached persists nothing), FSx for Lustre scratch file systems (FSx chooses their key), and storage that inherits its
 * encryption (a restore from a snapshot, a read replica or clone, a cluster joining a global cluster). Two ids: plaintext data (an SNS topic without a key, a queue
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
    description: 'An SNS topic without a KMS key, an SQS queue with server-side encryption turned off, or an RDS, DocumentDB or Neptune database without storage encryption stores payment data in plaintext, which PCI DSS forbids for cardholder data; database and DAX encryption cannot be turned on later without a copy and restore. ' +
      'An EBS volume without Encrypted (or an instance or launch template disk with Encrypted false) is plaintext unless the account encrypts new volumes by default, which the template cannot show. ' +
      'A REST API stage with a cache cluster stores the responses of every method that caches in plaintext unless its method setting has CacheDataEncrypted true. ' +
      'Judged on SNS topics, SQS queues, RDS instances, clusters and global clusters, DocumentDB, Neptune, DAX and Redshift clusters, EFS file ' +
      'systems, Kinesis streams, OpenSearch and Elasticsearch domains, ElastiCache replication groups, EBS volumes, the disks of instances, launch ' +
      'templates and launch configurations, and REST API stages. ' +
      'Not judged: stores always encrypted at rest, and queues left at SSE-SQS (their keys are Fintech-C04-StoreWithoutCustomerKey\'s); ' +
      'instance and launch template disks left at Encrypted unset (a root volume takes its image\'s encryption); storage that inherits its ' +
      'encryption, judged at its source (restored from a snapshot, a read replica or clone, a member of a global cluster or an ElastiCache ' +
      'global datastore); an RDS instance inside a cluster (Aurora), judged through its cluster; Redshift clusters on an HSM; settings given by ' +
      'an intrinsic.',
    fix: 'Use a SecureQueue or SecureTopic, or set encryption: QueueEncryption.KMS / masterKey with a customer KMS key (DataKey); for RDS set storageEncrypted with storageEncryptionKey (StorageEncrypted on a global cluster); for DocumentDB storageEncrypted with kmsKey, for Neptune StorageEncrypted with KmsKeyId; for EFS encrypted with kmsKey, for Kinesis encryption: StreamEncryption.KMS with encryptionKey, for OpenSearch encryptionAtRest { enabled, kmsKey }, for ElastiCache replication groups AtRestEncryptionEnabled with KmsKeyId, for DAX SSESpecification.SSEEnabled, for EBS volumes encrypted with encryptionKey (ec2.Volume) or BlockDeviceVolume.ebs(size, { encrypted: true, kmsKey }), for a REST API cache cacheDataEncrypted: true in deployOptions or methodOptions; leave Redshift\'s Encrypted at its default (true).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  /** Metadata of `Fintech-C04-StoreWithoutCustomerKey`. */
  public static readonly WITHOUT_CUSTOMER_KEY: RuleInfo = {
    id: 'Fintech-C04-StoreWithoutCustomerKey',
    catalogId: 'C04',
    title: 'Queues, topics, tables, databases and image repositories use a customer managed KMS key',
    description: 'Service-owned and AWS managed keys cannot be granted to other services or accounts, rotated on your schedule or audited per use, so producers such as SNS or EventBridge cannot write to the store and reviews cannot prove who decrypted what. Judged on SQS, SNS, DynamoDB, RDS, DocumentDB, Neptune, Redshift (clusters and Serverless namespaces), MemoryDB, Aurora DSQL, DocumentDB elastic clusters, Neptune Analytics graphs, Timestream for LiveAnalytics databases, S3 table buckets, AgentCore memories, Bedrock agents with memory on, OpenSearch Serverless (a collection or encryption policy that asks for AWSOwnedKey), Amazon Keyspaces, AWS Backup vaults, Secrets Manager secrets (and their replicas), CloudTrail Lake event data stores, EventBridge archives, Firehose streams that take records directly, ECR, EFS, FSx file systems (Windows, ONTAP, OpenZFS and persistent Lustre), EBS volumes (AWS::EC2::Volume), Kinesis, OpenSearch, ElastiCache replication groups and serverless caches, MSK clusters and Amazon MQ ActiveMQ brokers. Not judged: Bedrock agents without memory (they keep only in-flight session state), MSK Serverless, DAX, FSx for Lustre scratch file systems and Amazon MQ RabbitMQ brokers (no customer key can be chosen), FSx file systems restored from a backup (they take its encryption), EventBridge buses (a bus that schema discovery reads cannot take a customer key, and events from AWS services are encrypted with a key AWS owns whatever the bus names), the disks of instances and launch templates (only plaintext is judged there), ElastiCache cache clusters, Firehose streams reading a Kinesis stream, MSK cluster or database (they keep nothing at rest of their own), OpenSearch Serverless collections that leave their key to an encryption policy (the policy is judged), intrinsic keys (taken as customer keys).',
    fix: 'Use a SecureQueue, SecureTopic or SecureTable, or pass a customer KMS key (DataKey): encryptionMasterKey, masterKey, encryption: TableEncryption.CUSTOMER_MANAGED with encryptionKey, storageEncryptionKey (RDS), kmsKey (DocumentDB), or encryption: RepositoryEncryption.KMS with encryptionKey (ECR), kmsKey (EFS), encryptionKey (Kinesis, AWS Backup vaults, Secrets Manager; masterUser.kmsKey for DocumentDB\'s generated secret, Credentials.fromGeneratedSecret with encryptionKey for RDS), encryptionAtRest.kmsKey (OpenSearch), KmsKeyId (ElastiCache, Neptune, Redshift, Redshift Serverless, MemoryDB), KmsEncryptionKey (Aurora DSQL), KmsKeyId (DocumentDB elastic clusters, Timestream databases), KmsKeyIdentifier (Neptune Analytics), EncryptionKeyArn (AgentCore memories), CustomerEncryptionKeyArn (Bedrock agents), EncryptionConfiguration aws:kms with KMSKeyArn (S3 table buckets), KmsARN with AWSOwnedKey false in the encryption security policy (OpenSearch Serverless), EncryptionSpecification CUSTOMER_MANAGED_KMS_KEY with KmsKeyIdentifier (Amazon Keyspaces), encryption: StreamEncryption.customerManagedKey(key) (Firehose), EncryptionInfo.EncryptionAtRest.DataVolumeKMSKeyId (MSK), encryptionKey (ec2.Volume; KmsKeyId on CfnVolume), KmsKeyId (CloudTrail Lake event data stores), kmsKey on new events.Archive (EventBus.archive drops the kmsKey it is given, aws/aws-cdk#38298; SecureEventBus.archive encrypts with the bus\'s key), kmsKey (fsx.LustreFileSystem; KmsKeyId on CfnFileSystem).',
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

/** How a store names its encryption in one object property: a type field, and the key when the type is the customer's. */
interface TypedEncryption {
  readonly property: string;
  readonly typeField: string;
  /** The type that leaves the key to the service (or unset property). */
  readonly serviceType: string;
  readonly customerType: string;
  readonly keyField: string;
  /** What the service does without a customer key, e.g. `Amazon Keyspaces encrypts its rows with an AWS owned key`. */
  readonly byService: string;
}

/** An unset property or the service's own type is a gap; the customer type is judged on its key; intrinsics are unknown. */
function typedEncryption(properties: { readonly [key: string]: unknown }, spec: TypedEncryption): EncryptionGap | undefined {
  const config = properties[spec.property];
  const location = `Properties/${spec.property}`;
  if (config === undefined) return { unencrypted: false, problem: `has no ${spec.property}, so ${spec.byService}`, location };
  if (!TemplateValue.isObject(config) || TemplateValue.isIntrinsic(config)) return undefined;
  const type = config[spec.typeField];
  if (type === spec.serviceType) return { unencrypted: false, problem: `has ${spec.typeField} ${type}, so ${spec.byService}`, location: `${location}/${spec.typeField}` };
  return type === spec.customerType ? awsManaged(config[spec.keyField], `${spec.property}/${spec.keyField}`) : undefined;
}

/** Whether a Bedrock agent's MemoryConfiguration turns memory on: a literal, non-empty EnabledMemoryTypes (intrinsics are unknown: no). */
function agentMemoryOn(config: unknown): boolean {
  if (!TemplateValue.isObject(config) || TemplateValue.isIntrinsic(config)) return false;
  return Array.isArray(config.EnabledMemoryTypes) && config.EnabledMemoryTypes.length > 0;
}

/** A store always encrypted at rest: no key named is the service's own key (`byService` says what it does then). */
function serviceKey(key: unknown, property: string, byService: string): EncryptionGap | undefined {
  if (key === undefined) return { unencrypted: false, problem: `has no ${property}, so ${byService}`, location: `Properties/${property}` };
  return awsManaged(key, property);
}

/** A literal AWS managed key alias is a gap; any other key (a literal key id or ARN, an intrinsic) is taken as a customer key. */
function awsManaged(key: unknown, property: string): EncryptionGap | undefined {
  if (typeof key !== 'string' || !AWS_MANAGED_ALIAS.test(key)) return undefined;
  return { unencrypted: false, problem: `has ${property.split('/').pop()} "${key}", an AWS managed key`, location: `Properties/${property}` };
}
