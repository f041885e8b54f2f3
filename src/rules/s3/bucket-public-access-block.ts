import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

const FLAGS = ['BlockPublicAcls', 'BlockPublicPolicy', 'IgnorePublicAcls', 'RestrictPublicBuckets'] as const;

/**
 * C03: every bucket blocks public access with all four flags, declared in its template. S3 has turned
 * all four on for new buckets since April 2023, so a bucket without the configuration is not public when
 * created; it is still reported, because the catalog and Control Tower's CT.S3.PR.1 ask for the declared
 * setting: it is what reviews see, and what drift detection compares when someone turns a flag off
 * outside CloudFormation. A configuration that declares a flag off (or leaves one unset, which is off)
 * lets a bucket policy or ACL make the bucket public.
 */
export class BucketPublicAccessBlock implements FintechRule {
  /** Metadata of `Fintech-C03-BucketPublicAccessBlock`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C03-BucketPublicAccessBlock',
    catalogId: 'C03',
    title: 'Every S3 bucket blocks all public access',
    description: 'A bucket whose public access block leaves a flag off can be made public by a bucket policy or an ACL, the most common way fintech data leaks from S3. ' +
      'A bucket without the configuration gets all four flags from S3 when it is created (since April 2023), but nothing in the template says so: ' +
      'reviews cannot see it, drift detection does not report a flag turned off later, and Control Tower\'s CT.S3.PR.1 fails. ' +
      'Judged on AWS::S3::Bucket. Not judged: the account\'s public access block, access points, bucket policies and ACLs themselves ' +
      '(Fintech-C06-PublicResourcePolicy judges bucket policies), directory buckets (always private), and a configuration or flag given by an ' +
      'intrinsic.',
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
    if (block === undefined) {
      return [findingOn(resource, BucketPublicAccessBlock.INFO.id,
        `${resource.type} ${resource.logicalId} has no PublicAccessBlockConfiguration, so it blocks public access only by S3's default for new buckets, ` +
        'which the template does not declare and drift detection does not watch (all four flags must be declared true).',
        ['Properties/PublicAccessBlockConfiguration'])];
    }
    if (!TemplateValue.isObject(block) || TemplateValue.isIntrinsic(block)) return [];
    // An intrinsic flag is unknown, so only flags that are literally off or absent are reported.
    const off = FLAGS.filter(flag => block[flag] === undefined || TemplateValue.booleanOf(block[flag]) === false);
    if (off.length === 0) return [];
    const problem = `has ${off.map(flag => `${flag} ${block[flag] === undefined ? 'unset' : JSON.stringify(block[flag])}`).join(', ')} in its PublicAccessBlockConfiguration`;
    return [findingOn(resource, BucketPublicAccessBlock.INFO.id,
      `${resource.type} ${resource.logicalId} ${problem}, so a bucket policy or ACL can make it public (all four flags must be true).`,
      ['Properties/PublicAccessBlockConfiguration'])];
  }
}
