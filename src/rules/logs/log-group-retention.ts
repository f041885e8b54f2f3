import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

/**
 * C20: every log group sets RetentionInDays. CloudWatch Logs keeps log events of a group without
 * retention forever. An intrinsic retention is unknown; an intrinsic Properties block too.
 */
export class LogGroupRetention implements FintechRule {
  /** Metadata of `Fintech-C20-LogGroupWithoutRetention`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C20-LogGroupWithoutRetention',
    catalogId: 'C20',
    title: 'Log groups set a retention period',
    description: 'A log group without RetentionInDays keeps every event forever: storage cost grows without bound, and logs that may hold ' +
      'account or payment identifiers outlive the retention period the data policy promises. ' +
      'Judged on AWS::Logs::LogGroup resources. ' +
      'Not judged: how long the retention is (any RetentionInDays counts; Fintech-C20-AuditLogHistoryTooShort judges audit logs), intrinsic ' +
      'retention, log groups a service creates itself on first write (a function\'s default group is Fintech-C20-FunctionWithoutLogGroup).',
    fix: 'Set retention on the logs.LogGroup (its default is two years; do not use RetentionDays.INFINITE); TracedFunction creates its log group with retention.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'LogGroupRetention';
  public readonly infos = [LogGroupRetention.INFO];
  public readonly resourceTypes = ['AWS::Logs::LogGroup'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    if (!resource.properties || resource.properties.RetentionInDays !== undefined) return [];
    return [findingOn(resource, LogGroupRetention.INFO.id,
      `${resource.type} ${resource.logicalId} has no RetentionInDays, so CloudWatch Logs keeps its events forever.`,
      ['Properties/RetentionInDays'])];
  }
}
