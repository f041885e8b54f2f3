import { followedResource, listOf } from './deliveries';
import { LibraryFunction } from '../../facts/library-internals';
import { libraryTargetFunction } from '../custom-resource-providers';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/**
 * C12: every target of an EventBridge rule has a dead-letter queue and an explicit retry policy. Without a
 * `DeadLetterConfig` an event that cannot be delivered (target deleted, throttled, permission or key policy wrong)
 * is dropped after the retries; without a `RetryPolicy` nobody decided how long delivery may lag (an event bus target
 * takes none). One finding per rule and id, naming every target that lacks the setting. An intrinsic `Targets` list or
 * target is unknown.
 */
export class RuleTargetDeadLetter implements FintechRule {
  /** Metadata of `Fintech-C12-RuleTargetWithoutDeadLetterQueue`. */
  public static readonly DEAD_LETTER: RuleInfo = {
    id: 'Fintech-C12-RuleTargetWithoutDeadLetterQueue',
    catalogId: 'C12',
    title: 'EventBridge rule targets have a dead-letter queue',
    description: 'EventBridge drops an event it cannot deliver to a target once its retries are spent, and says so only in a metric; ' +
      'a dead-letter queue keeps the event for investigation and replay. ' +
      'Reported as warnings naming the construct: the rule of an aws-ecs-patterns ScheduledFargateTask or ScheduledEc2Task, the rule a ' +
      'CodePipeline S3SourceAction (trigger EVENTS, in its bucket), CodeCommitSourceAction (trigger EVENTS, its default) or EcrSourceAction ' +
      'adds to start its pipeline, and the rule a ' +
      'LambdaDestination with responseOnly adds, whose props set neither; ' +
      'and, on the app\'s rule, an events-targets.AwsApi target, which has no props for either. ' +
      'Judged on every target of an AWS::Events::Rule, event bus targets included. ' +
      'Not judged: intrinsic Targets lists and targets, rules without targets, an intrinsic DeadLetterConfig (taken as set).',
    fix: 'Pass deadLetterQueue (an encrypted SecureQueue whose key allows events.amazonaws.com) in the target props, e.g. new targets.LambdaFunction(fn, { deadLetterQueue, retryAttempts: 3, maxEventAge }).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Metadata of `Fintech-C12-RuleTargetWithoutRetryPolicy`. */
  public static readonly RETRY_POLICY: RuleInfo = {
    id: 'Fintech-C12-RuleTargetWithoutRetryPolicy',
    catalogId: 'C12',
    title: 'EventBridge rule targets have an explicit retry policy',
    description: 'Without a RetryPolicy EventBridge retries a failing target for up to 24 hours and 185 attempts, so payment events can arrive a day late (or be dropped) without anyone having chosen that; an explicit maximum event age and retry count make the failure path deliberate. ' +
      'Not judged: a target that is an event bus (of this account or another), for which EventBridge does not take a retry policy (CDK\'s targets.EventBus has no retry props); its dead-letter queue is still required. ' +
      'Reported as warnings naming the construct: the rule of an aws-ecs-patterns ScheduledFargateTask or ScheduledEc2Task, the rule a CodePipeline S3SourceAction (trigger EVENTS, in its bucket), CodeCommitSourceAction (trigger EVENTS, its default) or EcrSourceAction adds to start its pipeline, and the rule a LambdaDestination with responseOnly adds, whose props set neither; ' +
      'and, on the app\'s rule, an events-targets.AwsApi target, which has no props for either.',
    fix: 'Pass retryAttempts and maxEventAge in the target props, e.g. new targets.SqsQueue(queue, { retryAttempts: 3, maxEventAge: Duration.hours(2), deadLetterQueue }).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'RuleTargetDeadLetter';
  public readonly infos = [RuleTargetDeadLetter.DEAD_LETTER, RuleTargetDeadLetter.RETRY_POLICY];
  public readonly resourceTypes = ['AWS::Events::Rule'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    type Target = { id: string; index: number; library?: LibraryFunction };
    const withoutDeadLetter: Target[] = [];
    const withoutRetry: Target[] = [];
    listOf(resource.properties?.Targets).forEach((value, index) => {
      const target = TemplateValue.literalObject(value);
      if (!target) return;
      const id = typeof target.Id === 'string' ? target.Id : `#${index}`;
      const fn = followedResource(resource.stack, target.Arn, 'AWS::Lambda::Function');
      const library = fn ? libraryTargetFunction(fn) : undefined;
      if (target.DeadLetterConfig === undefined || isEmptyObject(target.DeadLetterConfig)) withoutDeadLetter.push({ id, index, library });
      const retries = target.RetryPolicy !== undefined && !isEmptyObject(target.RetryPolicy);
      if (!retries && !isEventBus(resource, target.Arn)) withoutRetry.push({ id, index, library });
    });
    return [
      ...findingsFor(resource, RuleTargetDeadLetter.DEAD_LETTER.id, withoutDeadLetter, 'DeadLetterConfig',
        'so an event EventBridge cannot deliver is dropped once its retries are spent.'),
      ...findingsFor(resource, RuleTargetDeadLetter.RETRY_POLICY.id, withoutRetry, 'RetryPolicy',
        'so a failing delivery is retried for up to 24 hours and 185 attempts by default.'),
    ];
  }
}

// The fix for a target whose library class has no dead-letter or retry props.
const LIBRARY_TARGET_FIX = 'Its target class has no props for this: make the call from a function of your own behind ' +
  'targets.LambdaFunction(fn, { deadLetterQueue, retryAttempts: 3, maxEventAge }), or acknowledge the rule on the rule.';

/**
 * One finding for the app's targets that lack `property`, and one warning for those a library's target class made without a
 * prop for it (events-targets.AwsApi), naming that class.
 */
function findingsFor(resource: TemplateResource, ruleId: string, targets: ReadonlyArray<{ id: string; index: number; library?: LibraryFunction }>,
  property: string, consequence: string): RuleFinding[] {
  const names = (some: ReadonlyArray<{ id: string }>) => `${some.length === 1 ? 'target' : 'targets'} ${some.map(t => `"${t.id}"`).join(', ')}`;
  const locations = (some: ReadonlyArray<{ index: number }>) => some.map(t => `Properties/Targets/${t.index}/${property}`);
  const findings: RuleFinding[] = [];
  const own = targets.filter(t => !t.library);
  if (own.length > 0) {
    findings.push(findingOn(resource, ruleId, `${resource.type} ${resource.logicalId} has ${names(own)} without ${property}, ${consequence}`, locations(own)));
  }
  for (const library of new Set(targets.flatMap(t => t.library ? [t.library] : []))) {
    const theirs = targets.filter(t => t.library === library);
    findings.push({
      ...findingOn(resource, ruleId, `${resource.type} ${resource.logicalId} has ${names(theirs)} without ${property}, ${consequence} ` +
        `The library made ${theirs.length === 1 ? 'it' : 'them'} (${library.how}).`, locations(theirs), LIBRARY_TARGET_FIX),
      severity: RuleSeverity.WARNING,
    });
  }
  return findings;
}

/**
 * Whether a target's Arn is an event bus: a reference to an AWS::Events::EventBus, followed across stacks, or an ARN whose
 * literal part names one (`arn:aws:events:<region>:<account>:event-bus/<name>`, another account's central bus).
 */
function isEventBus(rule: TemplateResource, arn: unknown): boolean {
  if (followedResource(rule.stack, arn, 'AWS::Events::EventBus')) return true;
  return (TemplateValue.stringParts(arn) ?? []).some(part => typeof part === 'string' && part.includes(':event-bus/'));
}

function isEmptyObject(value: unknown): boolean {
  return TemplateValue.isObject(value) && Object.keys(value).length === 0;
}
