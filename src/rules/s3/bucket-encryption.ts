import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/**
 * C03: every bucket declares its default encryption. S3 has applied SSE-S3 to new objects by default
 * since January 2023, so a bucket without BucketEncryption is not plaintext at rest; it is still
 * reported, because the catalog asks for each control explicitly: a declared configuration is what
 * reviews, drift detection and the integ test's GetBucketEncryption check see, and it makes the key
 * choice (SSE-S3 or a customer KMS key) a visible decision instead of whatever the account default is.
 */
export class BucketEncryption implements FintechRule {
  /** Metadata of `Fintech-C03-BucketEncryption`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C03-BucketEncryption',
    catalogId: 'C03',
    title: 'Every S3 bucket declares its default encryption',
    description: 'A bucket without a declared encryption configuration relies on the account default, which reviews and drift detection cannot see; fintech data at rest must be encrypted by a stated choice, a customer KMS key for sensitive data. ' +
      'Judged on AWS::S3::Bucket: a BucketEncryption with at least one rule naming an SSEAlgorithm passes. ' +
      'Not judged: which algorithm or key it declares (SSE-S3 passes), S3 table buckets (Fintech-C04-StoreWithoutCustomerKey judges them), ' +
      'directory buckets (AWS::S3Express::DirectoryBucket), and a configuration, rule or default given by an intrinsic.',
    fix: 'Use a SecureBucket, or set encryption: s3.BucketEncryption.KMS with an encryptionKey (S3_MANAGED at least) on the s3.Bucket.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'BucketEncryption';
  public readonly infos = [BucketEncryption.INFO];
  public readonly resourceTypes = ['AWS::S3::Bucket'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties) return [];
    const problem = encryptionProblem(properties.BucketEncryption);
    if (!problem) return [];
    return [findingOn(resource, BucketEncryption.INFO.id,
      `${resource.type} ${resource.logicalId} ${problem}, so its encryption at rest is the account default rather than a declared choice.`,
      ['Properties/BucketEncryption'])];
  }
}

/** What is wrong with a BucketEncryption value, or undefined when it is fine or unknown. */
function encryptionProblem(encryption: unknown): string | undefined {
  if (encryption === undefined) return 'has no BucketEncryption';
  if (!TemplateValue.isObject(encryption) || TemplateValue.isIntrinsic(encryption)) return undefined;
  const rules = encryption.ServerSideEncryptionConfiguration;
  if (rules === undefined) return 'has a BucketEncryption without ServerSideEncryptionConfiguration';
  if (!Array.isArray(rules)) return undefined;
  if (rules.length === 0) return 'has an empty ServerSideEncryptionConfiguration';
  const declared = rules.some(rule => {
    if (!TemplateValue.isObject(rule) || TemplateValue.isIntrinsic(rule)) return true;
    const byDefault = rule.ServerSideEncryptionByDefault;
    if (!TemplateValue.isObject(byDefault) || TemplateValue.isIntrinsic(byDefault)) return byDefault !== undefined;
    return byDefault.SSEAlgorithm !== undefined;
  });
  return declared ? undefined : 'has no ServerSideEncryptionByDefault SSEAlgorithm in its BucketEncryption';
}
