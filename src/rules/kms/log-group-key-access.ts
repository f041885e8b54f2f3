import { ENCRYPTION_CONTEXT, REWRITTEN_KEY_POLICY_NOT_JUDGED, ServiceMatcher, keyPolicyAllows, namedKey } from './key-policy';
import { templateName } from '../naming/template-name';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

// What CloudWatch Logs needs on a log group's key. The CloudWatch Logs user guide ("Encrypt log data in CloudWatch Logs
// using AWS KMS", checked 2026-11) shows a statement allowing kms:Encrypt*, Decrypt*, ReEncrypt*, GenerateDataKey* and
// Describe*; kms:Describe* is not asked for, since the statement key.grantEncryptDecrypt writes (Encrypt, Decrypt,
// ReEncrypt*, GenerateDataKey*, no DescribeKey) is how many deployed CDK apps let CloudWatch Logs use their keys (among
// them AWS's Secure Environment Accelerator, and aws-cdk's own Step Functions encryption integ test, checked 2026-12).
const NEEDED_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncryptFrom', 'kms:GenerateDataKey'];
const LOGS_PRINCIPAL = /^logs(\.[a-z0-9-]+)?\.amazonaws\.com(\.cn)?$/i;

/**
 * The CloudWatch Logs service principal, `logs.<region>.amazonaws.com`: a literal, or the join of literals and
 * `AWS::Region` that CDK writes for a stack without an explicit region (read as a name is, by `templateName`).
 */
const logsPrincipal: ServiceMatcher = value => {
  const name = templateName(value);
  return name ? LOGS_PRINCIPAL.test(name.text.replace(/\$\{AWS::Region\}/g, 'region')) : undefined;
};

/**
 * C05: a log group encrypted with a customer key of this template can only be created when that key's policy
 * lets CloudWatch Logs (`logs.<region>.amazonaws.com`) use it; otherwise CloudFormation fails the log group
 * ("not allowed to be used with Arn ...") and rolls the whole stack back, and a function whose log group it is
 * never logs. CloudWatch Logs cannot use AWS managed keys at all. Keys the template does not define and key
 * policies that cannot be read are not judged.
 */
export class LogGroupKeyAccess implements FintechRule {
  /** Metadata of `Fintech-C05-LogGroupKeyWithoutLogsAccess`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C05-LogGroupKeyWithoutLogsAccess',
    catalogId: 'C05',
    title: 'CloudWatch Logs may use the key of an encrypted log group',
    description: 'A log group encrypted with a KMS key whose policy does not allow the CloudWatch Logs service principal cannot be created: the deploy fails and rolls back, in production too. AWS managed keys cannot be used for log groups. ' +
      'Judged: kms:Encrypt, kms:Decrypt, kms:ReEncrypt* and kms:GenerateDataKey* for logs.amazonaws.com or logs.<region>.amazonaws.com (what key.grantEncryptDecrypt allows passes); kms:Describe*, which the user guide\'s example adds, is not asked for. ' + REWRITTEN_KEY_POLICY_NOT_JUDGED,
    fix: 'Use EncryptedLogGroup (or DataKey.allowService(KeyConsumer.LOGS)), or add a key policy statement allowing logs.<region>.amazonaws.com kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey* and kms:Describe*, as the CloudWatch Logs user guide shows.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'LogGroupKeyAccess';
  public readonly infos = [LogGroupKeyAccess.INFO];
  public readonly resourceTypes = ['AWS::Logs::LogGroup'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const keyId = resource.properties?.KmsKeyId;
    if (keyId === undefined) return [];
    const key = namedKey(resource.stack, keyId);
    if (key.kind === 'awsManaged') {
      return [findingOn(resource, LogGroupKeyAccess.INFO.id,
        `${resource.type} ${resource.logicalId} is encrypted with the AWS managed key "${key.alias}", which CloudWatch Logs cannot use, so the log group cannot be created.`,
        ['Properties/KmsKeyId'],
        'Encrypt it with a customer key (DataKey, as EncryptedLogGroup does) whose key policy allows logs.<region>.amazonaws.com.')];
    }
    if (key.kind !== 'customer' || keyPolicyAllows(key.key, logsPrincipal, NEEDED_ACTIONS, ENCRYPTION_CONTEXT.logGroup) !== false) return [];
    return [findingOn(resource, LogGroupKeyAccess.INFO.id,
      `${resource.type} ${resource.logicalId} is encrypted with ${key.key.type} ${key.key.logicalId}, whose key policy does not allow ` +
      'logs.<region>.amazonaws.com kms:Encrypt, kms:Decrypt, kms:ReEncrypt* and kms:GenerateDataKey*, so the deploy fails creating the log group.',
      ['Properties/KmsKeyId'],
      'Allow logs.<region>.amazonaws.com those actions in the key policy: DataKey.allowService(KeyConsumer.LOGS) does it, and EncryptedLogGroup calls it.')];
  }
}
