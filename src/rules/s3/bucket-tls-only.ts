import { tlsOnlyFindings } from '../iam/tls-only-policy';
import { FintechRule, RuleFinding } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';

/**
 * C03: every bucket has a bucket policy that denies requests over plain HTTP (`Deny` of all S3 actions to everyone
 * when `aws:SecureTransport` is false) on the whole bucket: the bucket ARN and all its objects, not a prefix.
 * Bucket policies are separate resources, possibly in another stack of the stage, so they are indexed once per validation.
 */
export class BucketTlsOnly implements FintechRule {
  /** Metadata of `Fintech-C03-BucketTlsOnly`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C03-BucketTlsOnly',
    catalogId: 'C03',
    title: 'Every S3 bucket denies requests without TLS',
    description: 'S3 accepts plain HTTP unless a bucket policy denies it, so credentials-signed requests and the data they carry can travel unencrypted; PCI DSS requires encryption in transit. ' +
      'The Deny must cover the whole bucket: its Resource must reach the bucket ARN and every object (<bucket ARN>/*), not a prefix such as <bucket ARN>/uploads/*. ' +
      'A policy written in any stack of the stage counts (a security stack\'s policy for another stack\'s bucket, through an export or a nested-stack parameter). Not judged: buckets whose policy cannot be read (an intrinsic document, statement or Resource).',
    fix: 'Use a SecureBucket, or set enforceSSL: true on the s3.Bucket.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'BucketTlsOnly';
  public readonly infos = [BucketTlsOnly.INFO];
  public readonly resourceTypes = ['AWS::S3::Bucket'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    return tlsOnlyFindings(resource, BucketTlsOnly.INFO.id, {
      policyType: 'AWS::S3::BucketPolicy',
      targetsProperty: 'Bucket',
      coversActions: actions => actions.some(a => a === '*' || a === 's3:*'),
      denied: 'requests',
      service: 's3',
      nameProperty: 'BucketName',
      objectsBelow: true,
      literalTargets: bucketsByName,
    });
  }
}

/** Bucket policies name their bucket by Ref or by its literal name: the buckets of one template by name. */
function bucketsByName(stack: StackTemplate): (name: string) => string | undefined {
  const byName = new Map<string, string>();
  for (const bucket of stack.resourcesOfType('AWS::S3::Bucket')) {
    const name = bucket.properties?.BucketName;
    if (typeof name === 'string') byName.set(name, bucket.logicalId);
  }
  return name => byName.get(name);
}
