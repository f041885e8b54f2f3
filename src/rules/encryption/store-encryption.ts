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
    const sse = properties.SSESpecification;
    const location = 'Properties/SSESpecification';
    if (sse === undefined) return { unencrypted: false, problem: 'has no SSESpecification, so DynamoDB encrypts it with an AWS owned key', location };
    if (!TemplateValue.isObject(sse) || TemplateValue.isIntrinsic(sse)) return undefined;
    const enabled = TemplateValue.booleanOf(sse.SSEEnabled);
    if (enabled === undefined && sse.SSEEnabled !== undefined) return undefined;
    if (!enabled) return { unencrypted: false, problem: `has SSEEnabled ${sse.SSEEnabled === undefined ? 'unset' : JSON.stringify(sse.SSEEnabled)}, so DynamoDB encrypts it with an AWS owned key`, location };
    if (sse.KMSMasterKeyId === undefined) return { unencrypted: false, problem: 'has SSEEnabled true without KMSMasterKeyId, so DynamoDB encrypts it with the AWS managed key alias/aws/dynamodb', location };
    return awsManaged(sse.KMSMasterKeyId, 'SSESpecification/KMSMasterKeyId');
  },
};

/**
 * C04: queues, topics and tables are encrypted with a customer managed KMS key. Two ids: plaintext
 * data (an SNS topic without a key, a queue with SSE-SQS turned off), which cannot be acknowledged in
 * durable stages, and data encrypted with a key the account does not own (SSE-SQS, DynamoDB's AWS
 * owned key, `alias/aws/...` managed keys), which cannot be granted to producers (C05), rotated on our
 * schedule or shown in CloudTrail per use.
 */
export class StoreEncryption implements FintechRule {
  /** Metadata of `Fintech-C04-UnencryptedStore`. */
  public static readonly UNENCRYPTED: RuleInfo = {
    id: 'Fintech-C04-UnencryptedStore',
    catalogId: 'C04',
    title: 'Queues, topics and tables are encrypted at rest',
    description: 'An SNS topic without a KMS key, or an SQS queue with server-side encryption turned off, stores payment messages in plaintext, which PCI DSS forbids for cardholder data.',
    fix: 'Use a SecureQueue or SecureTopic, or set encryption: QueueEncryption.KMS / masterKey with a customer KMS key (DataKey).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  /** Metadata of `Fintech-C04-StoreWithoutCustomerKey`. */
  public static readonly WITHOUT_CUSTOMER_KEY: RuleInfo = {
    id: 'Fintech-C04-StoreWithoutCustomerKey',
    catalogId: 'C04',
    title: 'Queues, topics and tables use a customer managed KMS key',
    description: 'Service-owned and AWS managed keys cannot be granted to other services or accounts, rotated on your schedule or audited per use, so producers such as SNS or EventBridge cannot write to the store and reviews cannot prove who decrypted what.',
    fix: 'Use a SecureQueue, SecureTopic or SecureTable, or pass a customer KMS key (DataKey): encryptionMasterKey, masterKey, or encryption: TableEncryption.CUSTOMER_MANAGED with encryptionKey.',
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
