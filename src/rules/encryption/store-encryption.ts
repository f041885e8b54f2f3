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
};

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
 * C04: queues, topics, tables (global tables too), RDS instances and clusters and ECR repositories are
 * encrypted with a customer managed KMS key. Two ids: plaintext data (an SNS topic without a key, a queue
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
    fix: 'Use a SecureQueue or SecureTopic, or set encryption: QueueEncryption.KMS / masterKey with a customer KMS key (DataKey); for RDS set storageEncrypted with storageEncryptionKey.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  /** Metadata of `Fintech-C04-StoreWithoutCustomerKey`. */
  public static readonly WITHOUT_CUSTOMER_KEY: RuleInfo = {
    id: 'Fintech-C04-StoreWithoutCustomerKey',
    catalogId: 'C04',
    title: 'Queues, topics, tables, databases and image repositories use a customer managed KMS key',
    description: 'Service-owned and AWS managed keys cannot be granted to other services or accounts, rotated on your schedule or audited per use, so producers such as SNS or EventBridge cannot write to the store and reviews cannot prove who decrypted what.',
    fix: 'Use a SecureQueue, SecureTopic or SecureTable, or pass a customer KMS key (DataKey): encryptionMasterKey, masterKey, encryption: TableEncryption.CUSTOMER_MANAGED with encryptionKey, storageEncryptionKey (RDS), or encryption: RepositoryEncryption.KMS with encryptionKey (ECR).',
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
