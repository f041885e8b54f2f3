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
    if (deniesInsecureTransport(properties!.PolicyDocument) !== false) settled.add(target);
  }
  return { settled, unknownTargets };
}

/** Whether a policy document denies plain HTTP; undefined when it cannot be read. */
function deniesInsecureTransport(document: unknown): boolean | undefined {
  if (!TemplateValue.isObject(document) || TemplateValue.isIntrinsic(document)) return undefined;
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  let unknown = false;
  for (const statement of statements) {
    if (!TemplateValue.isObject(statement) || TemplateValue.isIntrinsic(statement)) {
      unknown = true;
      continue;
    }
    if (statement.Effect === 'Deny' && coversEveryone(statement.Principal) && coversAllS3Actions(statement.Action) && requiresTls(statement.Condition)) return true;
  }
  return unknown ? undefined : false;
}

function coversEveryone(principal: unknown): boolean {
  return principal === '*' || (TemplateValue.isObject(principal) && (principal.AWS === '*' || (Array.isArray(principal.AWS) && principal.AWS.includes('*'))));
}

function coversAllS3Actions(action: unknown): boolean {
  const actions = Array.isArray(action) ? action : [action];
  return actions.some(a => a === '*' || (typeof a === 'string' && a.toLowerCase() === 's3:*'));
}

function requiresTls(condition: unknown): boolean {
  if (!TemplateValue.isObject(condition)) return false;
  return ['Bool', 'BoolIfExists'].some(operator => {
    const test = condition[operator];
    if (!TemplateValue.isObject(test)) return false;
    const key = Object.keys(test).find(k => k.toLowerCase() === 'aws:securetransport');
    const value = key ? test[key] : undefined;
    const values = Array.isArray(value) ? value : [value];
    return values.some(v => TemplateValue.booleanOf(v) === false);
  });
}
