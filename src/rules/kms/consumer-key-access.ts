import { REWRITTEN_KEY_POLICY_NOT_JUDGED, globalService, keyPolicyAllows } from './key-policy';
import { TARGET_ACCESS, deniedRolesFindings, targetKeyLocation, targetNamedKey, targetRoles } from './target-roles';
import { BucketOrigin, bucketOrigins } from '../cloudfront/bucket-origins';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

/**
 * C05, the reading side: a role whose identity policies allow it to receive from an SQS queue (`sqs:ReceiveMessage`), get
 * records from a Kinesis stream (`kinesis:GetRecords`) or get the objects of a bucket (`s3:GetObject`) encrypted with a
 * customer key of the validated templates must be allowed `kms:Decrypt` on that key, by its own policies (on the key,
 * on `*`, or on an ARN the templates cannot resolve) or by the key policy naming it. The roles are found as
 * `ProducerKeyAccess` finds senders (`targetRoles`). A CloudFront distribution reading such a bucket as an S3 origin
 * (`bucketOrigins`) must do so through an origin access control that the key policy allows kms:Decrypt (for it, by
 * `aws:SourceArn`, or for any distribution); an origin access identity does not support SSE-KMS at all.
 * Not judged: AWS managed keys (every principal of the account may use them through the service), keys and key policies
 * the templates cannot read, roles with a managed policy the templates do not define (other than AWS managed policies
 * known to allow no KMS action), every role when a policy attaches to a role the templates cannot name, reads allowed on
 * `*` or on an ARN written out as text, and service principals (an SNS topic decrypts for its subscribers itself).
 */
export class ConsumerKeyAccess implements FintechRule {
  /** Metadata of `Fintech-C05-ConsumerWithoutKeyAccess`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C05-ConsumerWithoutKeyAccess',
    catalogId: 'C05',
    title: 'Roles and CloudFront distributions that read from an encrypted queue, stream or bucket may decrypt with its key',
    description: 'A role whose identity policies allow sqs:ReceiveMessage on a queue, kinesis:GetRecords on a stream, or s3:GetObject on the objects of a bucket ' +
      'whose default encryption is a customer key, but which may not use kms:Decrypt on that key, cannot read anything it receives: ' +
      'every receive fails with a KMS access error, a Lambda event source mapping on the queue or stream stops processing while messages and records pile up until they expire, ' +
      'and nothing fails at deploy time. This is what a hand-written consumer policy (a raw CfnEventSourceMapping or pipe with its own role, a statement copied from a guide that predates the key) does; ' +
      'the grant methods (queue.grantConsumeMessages, stream.grantRead, bucket.grantRead) and the event sources built on them grant the key too. ' +
      'The role may be allowed by its own policies (on the key, on "*", or on an ARN the templates cannot resolve) or by the key policy naming it. ' +
      'A CloudFront distribution that serves such a bucket as an S3 origin answers 403 for every object unless it reads through an origin access control whose ' +
      'service, cloudfront.amazonaws.com, the key policy allows kms:Decrypt (for any distribution, or by an aws:SourceArn the templates cannot tell from this one); ' +
      'an origin access identity (the deprecated origins.S3Origin uses one) does not support SSE-KMS at all (a distribution with an origin-request function at the edge, which may sign its own requests, is not judged). ' +
      'Not judged: AWS managed keys (every principal of the account may use them through the service), keys and key policies the templates cannot read, ' +
      'roles with a managed policy the templates do not define (other than AWS managed policies known to allow no KMS action), every role when a policy attaches to a role the templates cannot name, ' +
      'reads allowed on "*" or on an ARN written out as text, and service principals. ' + REWRITTEN_KEY_POLICY_NOT_JUDGED,
    fix: 'Grant the read with the construct\'s grant method (queue.grantConsumeMessages(role), stream.grantRead(role), bucket.grantRead(role)), which also grants the key, ' +
      'or grant the key to the role (key.grantDecrypt(role)); serve a bucket through origins.S3BucketOrigin.withOriginAccessControl(bucket), which allows CloudFront in the key policy.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'ConsumerKeyAccess';
  public readonly infos = [ConsumerKeyAccess.INFO];
  public readonly resourceTypes = Object.keys(TARGET_ACCESS.receive.actions);

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const roles = targetRoles(resource, 'receive');
    const origins = resource.type === 'AWS::S3::Bucket' ? bucketOrigins(resource) : [];
    if (roles.length === 0 && origins.length === 0) return [];
    const key = targetNamedKey(resource);
    // An AWS managed key lets every principal of the account use it through the service.
    if (key?.kind !== 'customer') return [];
    return [
      ...deniedRolesFindings(resource, key.key, roles, 'receive', ConsumerKeyAccess.INFO.id, ConsumerKeyAccess.INFO.fix),
      ...originFindings(resource, key.key, origins),
    ];
  }
}

// What CloudFront needs on the key of a bucket it reads through an origin access control (CloudFront Developer Guide,
// "Restricting access to an Amazon S3 origin", SSE-KMS, checked 2026-12).
const CLOUDFRONT_NEEDS = ['kms:Decrypt'];
const CLOUDFRONT = globalService('cloudfront');

/** Distributions that read the bucket with an origin access identity, or with an access control the key policy does not let decrypt. */
function originFindings(resource: TemplateResource, key: TemplateResource, origins: readonly BucketOrigin[]): RuleFinding[] {
  const findings: RuleFinding[] = [];
  const names = (list: readonly BucketOrigin[]) => [...new Set(list.map(o => `${o.distribution.type} ${o.distribution.logicalId}` +
    `${o.distribution.stack === resource.stack ? '' : ` (in ${o.distribution.stack.path})`}`))].join(', ');
  const identities = origins.filter(o => o.access === 'originAccessIdentity');
  if (identities.length > 0) {
    findings.push(findingOn(resource, ConsumerKeyAccess.INFO.id,
      `${resource.type} ${resource.logicalId} is encrypted with ${key.type} ${key.logicalId}, but ${names(identities)} ` +
      'reads it through an origin access identity, which the CloudFront Developer Guide says does not support SSE-KMS: CloudFront answers 403 for every object.',
      [targetKeyLocation(resource)],
      'Serve the bucket through an origin access control (origins.S3BucketOrigin.withOriginAccessControl(bucket), which also allows ' +
      'cloudfront.amazonaws.com kms:Decrypt in the key policy of a key of the app), instead of an origin access identity or the deprecated origins.S3Origin.'));
  }
  const denied = origins.filter(o => o.access === 'originAccessControl' && keyPolicyAllows(key, CLOUDFRONT, CLOUDFRONT_NEEDS, undefined, o.distribution) === false);
  if (denied.length > 0) {
    findings.push(findingOn(resource, ConsumerKeyAccess.INFO.id,
      `${resource.type} ${resource.logicalId} is encrypted with ${key.type} ${key.logicalId}, whose key policy does not allow cloudfront.amazonaws.com ` +
      `kms:Decrypt for ${names(denied)}, which reads it through an origin access control, so CloudFront answers 403 for every object.`,
      [targetKeyLocation(resource)],
      'Allow cloudfront.amazonaws.com kms:Decrypt in the key policy, with aws:SourceArn naming the distribution if you scope it ' +
      '(origins.S3BucketOrigin.withOriginAccessControl(bucket) does it for a key of the app).'));
  }
  return findings;
}
