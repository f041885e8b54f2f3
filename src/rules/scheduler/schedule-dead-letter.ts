import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

// Scheduler's limits, which are also its defaults for a limit left unset (Scheduler API reference, RetryPolicy, checked 2026-12).
const MAX_ATTEMPTS = 185;
const MAX_EVENT_AGE_SECONDS = 86_400;

/**
 * C12 for EventBridge Scheduler: a schedule's target has a dead-letter queue (`Target.DeadLetterConfig.Arn`) and an
 * explicit retry policy (`Target.RetryPolicy`). Without them an invocation Scheduler cannot deliver is retried for up to
 * 24 hours and 185 attempts, then dropped. Must not judge: an intrinsic `Target` (unknown), what the target does with a
 * delivered event (the target's own failure handling is judged on the target), and schedule groups.
 */
export class ScheduleDeadLetter implements FintechRule {
  /** Metadata of `Fintech-C12-ScheduleWithoutDeadLetterQueue`. */
  public static readonly DEAD_LETTER: RuleInfo = {
    id: 'Fintech-C12-ScheduleWithoutDeadLetterQueue',
    catalogId: 'C12',
    title: 'EventBridge Scheduler targets have a dead-letter queue',
    description: 'Scheduler drops an invocation it cannot deliver (target deleted or throttled, role or key policy wrong) once its retries are spent, so a daily settlement or statement run silently does not happen; a dead-letter queue keeps it for investigation and replay. Not judged: intrinsic targets, and what the target does with a delivered event (judged on the target).',
    fix: 'Pass deadLetterQueue in the target props, e.g. new targets.LambdaInvoke(fn, { role, deadLetterQueue, retryAttempts: 3, maxEventAge: Duration.hours(1) }); ' +
      'the schedule writes it as its execution role, so for an encrypted queue grant that role the queue with queue.grantSendMessages(role).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Metadata of `Fintech-C12-ScheduleWithoutRetryPolicy`. */
  public static readonly RETRY_POLICY: RuleInfo = {
    id: 'Fintech-C12-ScheduleWithoutRetryPolicy',
    catalogId: 'C12',
    title: 'EventBridge Scheduler targets have an explicit retry policy',
    description: 'Without a RetryPolicy Scheduler retries a failing target for up to 24 hours and 185 attempts, so a scheduled payment job can ' +
      'run a day late without anyone having chosen that. ' +
      'Judged on the Target of every AWS::Scheduler::Schedule: no RetryPolicy, an empty one, or one at both of Scheduler\'s maxima ' +
      '(185 attempts and 24 hours, which aws-scheduler-targets writes when neither retryAttempts nor maxEventAge is set) fails. ' +
      'Not judged: a RetryPolicy that lowers either limit (any lower value counts as chosen), intrinsic limits, intrinsic targets, schedule groups.',
    fix: 'Pass retryAttempts and maxEventAge in the target props (Target.RetryPolicy MaximumRetryAttempts and MaximumEventAgeInSeconds on a CfnSchedule).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'ScheduleDeadLetter';
  public readonly infos = [ScheduleDeadLetter.DEAD_LETTER, ScheduleDeadLetter.RETRY_POLICY];
  public readonly resourceTypes = ['AWS::Scheduler::Schedule'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const target = resource.properties?.Target;
    if (!TemplateValue.isObject(target) || TemplateValue.isIntrinsic(target)) return [];
    const findings: RuleFinding[] = [];
    const deadLetter = target.DeadLetterConfig;
    if (deadLetter === undefined || (TemplateValue.isObject(deadLetter) && !TemplateValue.isIntrinsic(deadLetter) && deadLetter.Arn === undefined)) {
      findings.push(findingOn(resource, ScheduleDeadLetter.DEAD_LETTER.id,
        `${resource.type} ${resource.logicalId} has a Target without DeadLetterConfig Arn, so an invocation Scheduler cannot deliver is dropped once its retries are spent.`,
        ['Properties/Target/DeadLetterConfig']));
    }
    const retry = target.RetryPolicy;
    if (retry === undefined || (TemplateValue.isObject(retry) && Object.keys(retry).length === 0)) {
      findings.push(findingOn(resource, ScheduleDeadLetter.RETRY_POLICY.id,
        `${resource.type} ${resource.logicalId} has a Target without RetryPolicy, so a failing invocation is retried for up to 24 hours and 185 attempts by default.`,
        ['Properties/Target/RetryPolicy']));
    } else if (atSchedulerMaxima(retry)) {
      findings.push(findingOn(resource, ScheduleDeadLetter.RETRY_POLICY.id,
        `${resource.type} ${resource.logicalId} has a Target whose RetryPolicy is Scheduler's maximum (${MAX_ATTEMPTS} attempts over 24 hours), ` +
        'what aws-scheduler-targets writes when neither retryAttempts nor maxEventAge is set, so a failing invocation can run a day late.',
        ['Properties/Target/RetryPolicy']));
    }
    return findings;
  }
}


/** Whether a literal RetryPolicy keeps both limits at Scheduler's maxima (an unset limit is at its maximum); intrinsics are unknown: no. */
function atSchedulerMaxima(retry: unknown): boolean {
  if (!TemplateValue.isObject(retry) || TemplateValue.isIntrinsic(retry)) return false;
  const attempts = retry.MaximumRetryAttempts === undefined ? MAX_ATTEMPTS : TemplateValue.integerOf(retry.MaximumRetryAttempts);
  const age = retry.MaximumEventAgeInSeconds === undefined ? MAX_EVENT_AGE_SECONDS : TemplateValue.integerOf(retry.MaximumEventAgeInSeconds);
  return attempts === MAX_ATTEMPTS && age === MAX_EVENT_AGE_SECONDS;
}
