import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

/**
 * C04, warning: log groups are encrypted with a customer KMS key. CloudWatch Logs always encrypts
 * log data with its own keys, so a missing KmsKeyId is not plaintext; it is a warning because logs of
 * payment flows often carry identifiers a review wants under a key the account controls.
 */
export class LogGroupEncryption implements FintechRule {
  /** Metadata of `Fintech-C04-LogGroupWithoutCustomerKey`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C04-LogGroupWithoutCustomerKey',
    catalogId: 'C04',
    title: 'Log groups use a customer managed KMS key',
    description: 'CloudWatch Logs encrypts every log group with service keys, but only a customer key lets the account restrict and audit who can read logs that may contain account or payment identifiers. ' +
      'Judged on AWS::Logs::LogGroup. Not judged: log groups a service creates on first write, which are in no template (a function\'s ' +
      '/aws/lambda/<name> without a log group of its own); which key KmsKeyId names, an intrinsic included (any key passes); whether the key\'s ' +
      'policy lets CloudWatch Logs use it (Fintech-C05-LogGroupKeyWithoutLogsAccess); Properties given by an intrinsic.',
    fix: 'Set encryptionKey on the logs.LogGroup to a customer KMS key whose policy allows the logs.<region>.amazonaws.com principal.',
    defaultSeverity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'LogGroupEncryption';
  public readonly infos = [LogGroupEncryption.INFO];
  public readonly resourceTypes = ['AWS::Logs::LogGroup'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    if (!resource.properties || resource.properties.KmsKeyId !== undefined) return [];
    return [findingOn(resource, LogGroupEncryption.INFO.id,
      `${resource.type} ${resource.logicalId} has no KmsKeyId, so its logs are encrypted only with CloudWatch Logs service keys.`,
      ['Properties/KmsKeyId'])];
  }
}
