import { deniesInsecureTransport } from '../iam/tls-only-policy';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** What the bucket policies of one template say about TLS, by bucket logical id. */
interface TlsIndex {
  /** Buckets whose policy denies requests without TLS, or whose policy cannot be read (unknown, not reported). */
  readonly settled: ReadonlySet<string>;
  /** A policy names its bucket by something other than a Ref or a literal name: every bucket is unknown. */
  readonly unknownTargets: boolean;
}

/**
 * C03: every bucket has a bucket policy that denies requests over plain HTTP
 * (`Deny` of all S3 actions to everyone when `aws:SecureTransport` is false). Bucket policies are
 * separate resources, so they are indexed once per template.
 */
export class BucketTlsOnly implements FintechRule {
  /** Metadata of `Fintech-C03-BucketTlsOnly`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C03-BucketTlsOnly',
    catalogId: 'C03',
    title: 'Every S3 bucket denies requests without TLS',
    description: 'S3 accepts plain HTTP unless a bucket policy denies it, so credentials-signed requests and the data they carry can travel unencrypted; PCI DSS requires encryption in transit.',
    fix: 'Use a SecureBucket, or set enforceSSL: true on the s3.Bucket.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'BucketTlsOnly';
  public readonly infos = [BucketTlsOnly.INFO];
  public readonly resourceTypes = ['AWS::S3::Bucket'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const index = resource.stack.memo('BucketTlsOnly.index', () => indexPolicies(resource.stack));
    if (index.unknownTargets || index.settled.has(resource.logicalId)) return [];
    return [findingOn(resource, BucketTlsOnly.INFO.id,
      `${resource.type} ${resource.logicalId} has no AWS::S3::BucketPolicy denying requests where aws:SecureTransport is false, so it accepts plain HTTP.`,
      [])];
  }
}

function indexPolicies(stack: StackTemplate): TlsIndex {
  const bucketsByName = new Map<string, string>();
  for (const bucket of stack.resourcesOfType('AWS::S3::Bucket')) {
    const name = bucket.properties?.BucketName;
    if (typeof name === 'string') bucketsByName.set(name, bucket.logicalId);
  }
  const settled = new Set<string>();
  let unknownTargets = false;
  for (const policy of stack.resourcesOfType('AWS::S3::BucketPolicy')) {
    const properties = policy.properties;
    const target = properties ? TemplateValue.refTarget(properties.Bucket) ?? (typeof properties.Bucket === 'string' ? bucketsByName.get(properties.Bucket) : undefined) : undefined;
    if (target === undefined) {
      // A literal name of a bucket outside this template names no bucket here; anything else might.
      if (typeof properties?.Bucket !== 'string') unknownTargets = true;
      continue;
    }
    if (deniesInsecureTransport(properties!.PolicyDocument, coversAllS3Actions) !== false) settled.add(target);
  }
  return { settled, unknownTargets };
}

function coversAllS3Actions(actions: string[]): boolean {
  return actions.some(a => a === '*' || a === 's3:*');
}
