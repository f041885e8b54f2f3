import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

const FLAGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'] as const;

/**
 * C03: every bucket blocks public access with all four flags. New buckets have blocked it by default
 * since April 2023, but a bucket that does not declare it can be opened by one policy or ACL change
 * (or by an account-level setting), so the template must state it.
 */
export class BucketPublicAccessBlock implements FintechRule {
  /** Metadata of `Fintech-C03-BucketPublicAccessBlock`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C03-BucketPublicAccessBlock',
    catalogId: 'C03',
    title: 'Every S3 bucket blocks all public access',
    description: 'A bucket without all four public access block flags can be made public by a bucket policy or an ACL, the most common way fintech data leaks from S3.',
    fix: 'Use a SecureBucket, or set blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL on the s3.Bucket.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'BucketPublicAccessBlock';
  public readonly infos = [BucketPublicAccessBlock.INFO];
  public readonly resourceTypes = ['AWS::S3::Bucket'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties) return [];
    const block = properties.PublicAccessBlockConfiguration;
    let problem: string;
    if (block === undefined) {
      problem = 'has no PublicAccessBlockConfiguration';
    } else if (!TemplateValue.isObject(block) || TemplateValue.isIntrinsic(block)) {
      return [];
    } else {
      // An intrinsic flag is unknown, so only flags that are literally off or absent are reported.
      const off = FLAGS.filter(flag => block[flag] === undefined || TemplateValue.booleanOf(block[flag]) === false);
      if (off.length === 0) return [];
      problem = `has ${off.map(flag => `${flag} ${block[flag] === undefined ? 'unset' : JSON.stringify(block[flag])}`).join(', ')} in its PublicAccessBlockConfiguration`;
    }
    return [findingOn(resource, BucketPublicAccessBlock.INFO.id,
      `${resource.type} ${resource.logicalId} ${problem}, so a bucket policy or ACL can make it public (all four flags must be true).`,
      ['Properties/PublicAccessBlockConfiguration'])];
  }
}
