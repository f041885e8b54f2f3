import { ENCRYPTION_CONTEXT, REWRITTEN_KEY_POLICY_NOT_JUDGED, globalService, keyPolicyAllows, namedKey } from './key-policy';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

// What CloudTrail needs on a trail's key. The CloudTrail user guide ("Configure AWS KMS key policies for CloudTrail",
// checked 2026-12) lists three statements: encrypt (kms:GenerateDataKey* for cloudtrail.amazonaws.com), decrypt (for
// the users who read the logs) and describe (kms:DescribeKey). Only the first is judged: CreateTrail fails without it
// (aws/aws-cdk#3822 and #23391, "Insufficient permissions to access S3 bucket ... or KMS key"), and the guide's own
// examples scope it by the trail's encryption context or aws:SourceArn, which both count here.
const NEEDED_ACTIONS = ['kms:GenerateDataKey'];
const CLOUDTRAIL = globalService('cloudtrail');
// The property that names the key: trails and CloudTrail Lake event data stores spell it differently.
const KEY_PROPERTY: { readonly [type: string]: string | undefined } = {
  'AWS::CloudTrail::Trail': 'KMSKeyId',
  'AWS::CloudTrail::EventDataStore': 'KmsKeyId',
};

/**
 * C05: a trail or CloudTrail Lake event data store encrypted with a customer key of the templates can only be created when that key's policy lets
 * CloudTrail (`cloudtrail.amazonaws.com`) generate data keys; otherwise CloudFormation fails the trail ("Insufficient
 * permissions to access S3 bucket or KMS key") and rolls the stack back, and `cloudtrail.Trail` adds no such statement
 * for the key it is given. Keys the templates do not define, AWS managed keys and key policies that cannot be read are
 * not judged, nor the key of the trail's bucket.
 */
export class TrailKeyAccess implements FintechRule {
  /** Metadata of `Fintech-C05-TrailKeyWithoutCloudTrailAccess`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C05-TrailKeyWithoutCloudTrailAccess',
    catalogId: 'C05',
    title: 'CloudTrail may use the key of an encrypted trail or event data store',
    description: 'A trail encrypted with a KMS key whose policy does not allow the CloudTrail service principal kms:GenerateDataKey* cannot be created: CloudFormation fails it with "Insufficient permissions to access S3 bucket or KMS key" and rolls the stack back, so the audit trail PCI DSS asks for never starts. A CloudTrail Lake event data store on such a key fails the same way. ' +
      'cloudtrail.Trail adds no statement for the encryptionKey it is given. ' +
      'Judged: kms:GenerateDataKey* for cloudtrail.amazonaws.com on a customer key of the templates; a statement scoped by the trail\'s encryption context (kms:EncryptionContext:aws:cloudtrail:arn) or by an aws:SourceArn that may be this trail counts, one whose aws:SourceArn names only other trails of the templates does not. ' +
      'Not judged: kms:DescribeKey and the readers\' kms:Decrypt, which the user guide also lists; keys and key policies the templates cannot read; AWS managed keys; the default encryption key of the trail\'s bucket. ' + REWRITTEN_KEY_POLICY_NOT_JUDGED,
    fix: 'Use DataKey.allowService(KeyConsumer.CLOUDTRAIL), or add a key policy statement allowing cloudtrail.amazonaws.com kms:GenerateDataKey* with the condition StringLike kms:EncryptionContext:aws:cloudtrail:arn arn:aws:cloudtrail:*:<account>:trail/*, as the CloudTrail user guide shows.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'TrailKeyAccess';
  public readonly infos = [TrailKeyAccess.INFO];
  public readonly resourceTypes = Object.keys(KEY_PROPERTY);

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const property = KEY_PROPERTY[resource.type];
    const keyId = property ? resource.properties?.[property] : undefined;
    if (keyId === undefined) return [];
    const key = namedKey(resource.stack, keyId);
    const trail = resource.type === 'AWS::CloudTrail::Trail';
    // A trail's context names the trail; an event data store's is not judged, so any statement for CloudTrail counts for it.
    const context = trail ? ENCRYPTION_CONTEXT.trail : undefined;
    if (key.kind !== 'customer' || keyPolicyAllows(key.key, CLOUDTRAIL, NEEDED_ACTIONS, context, resource) !== false) return [];
    return [findingOn(resource, TrailKeyAccess.INFO.id,
      `${resource.type} ${resource.logicalId} is encrypted with ${key.key.type} ${key.key.logicalId}, whose key policy does not allow ` +
      `cloudtrail.amazonaws.com kms:GenerateDataKey*, so the deploy fails creating the ${trail ? 'trail' : 'event data store'}.`,
      [`Properties/${property}`],
      trail
        ? 'Allow cloudtrail.amazonaws.com kms:GenerateDataKey* in the key policy, scoped by the trail\'s encryption context: DataKey.allowService(KeyConsumer.CLOUDTRAIL) does it.'
        : 'Allow cloudtrail.amazonaws.com kms:GenerateDataKey* and kms:Decrypt in the key policy, as the CloudTrail guide\'s key policy for event data stores shows.')];
  }
}
