import { deadLetterQueuesOf } from './dead-letter-targets';
import { StackReferences } from '../cloudwatch/stack-references';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate } from '../stack-template';
import { TemplateValue } from '../template-value';

const QUEUE = 'AWS::SQS::Queue';

// A queue that allows other queues to redrive into it declares itself a dead-letter queue (possibly of queues in other stacks).
const DECLARED_DEAD_LETTER_PERMISSIONS = new Set(['allowAll', 'byQueue']);

/**
 * C12: every SQS queue has a dead-letter queue (a `RedrivePolicy`), unless it is a dead-letter queue itself: the
 * redrive target of another queue or an SNS subscription, a Lambda dead-letter queue or on-failure destination
 * (asynchronous invocation or event source mapping), the dead-letter queue of an EventBridge rule target or event
 * bus, a Scheduler schedule or a Pipes source, in any template of the app (cross-stack exports and nested stacks followed), or
 * declared one by a `RedriveAllowPolicy` that lets queues redrive into it. Must not judge: a queue some failure
 * target might name but that cannot be resolved (then no queue is judged).
 */
export class QueueDeadLetterQueue implements FintechRule {
  /** Metadata of `Fintech-C12-QueueWithoutDeadLetterQueue`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C12-QueueWithoutDeadLetterQueue',
    catalogId: 'C12',
    title: 'Every SQS queue has a dead-letter queue',
    description: 'Without a redrive policy a message that always fails is received again and again until its retention period silently deletes ' +
      'it, so a poison payment message blocks consumers and is then lost without a trace. ' +
      'A dead-letter queue needs none of its own: a queue is one when anything sends its failures there (another queue\'s redrive policy, an SNS ' +
      'subscription\'s redrive policy, a Lambda dead-letter queue or on-failure destination, an EventBridge rule target, event bus, Scheduler ' +
      'schedule or Pipes source dead-letter queue, in any stack of the app), or when its RedriveAllowPolicy lets queues redrive into it. ' +
      'Not judged: what a RedrivePolicy names (any RedrivePolicy counts), a RedriveAllowPolicy that cannot be read, and every queue of the app ' +
      'while some dead-letter target is a value synth cannot resolve (it might name any queue).',
    fix: 'Use a SecureQueue, or set deadLetterQueue: { queue, maxReceiveCount: 3 } on the sqs.Queue.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'QueueDeadLetterQueue';
  public readonly infos = [QueueDeadLetterQueue.INFO];

  public checkApp(stacks: readonly StackTemplate[]): RuleFinding[] {
    const deadLetterQueues = deadLetterQueuesOf(stacks, StackReferences.of(stacks));
    if (deadLetterQueues.unknownTargets) return [];
    const findings: RuleFinding[] = [];
    for (const stack of stacks) {
      for (const resource of stack.resourcesOfType(QUEUE)) {
        const properties = resource.properties;
        if (!properties || properties.RedrivePolicy !== undefined || deadLetterQueues.sources.has(resource)) continue;
        const allow = redriveAllowPolicy(properties.RedriveAllowPolicy);
        if (allow === undefined || DECLARED_DEAD_LETTER_PERMISSIONS.has(String(allow.redrivePermission))) continue;
        findings.push(findingOn(resource, QueueDeadLetterQueue.INFO.id,
          `${resource.type} ${resource.logicalId} has no RedrivePolicy and receives no other resource's failures (no queue, subscription, function, ` +
          'rule target, schedule or pipe names it as its dead-letter queue), so a message that keeps failing is received again and again until its retention period deletes it.',
          ['Properties/RedrivePolicy']));
      }
    }
    return findings;
  }
}

/** The redrive allow policy as an object: `{}` when absent, undefined when it cannot be read (unknown). */
function redriveAllowPolicy(value: unknown): { readonly [key: string]: unknown } | undefined {
  if (value === undefined) return {};
  return TemplateValue.literalObject(parsedJson(value));
}

/** SQS takes redrive policies as objects or as JSON strings. */
function parsedJson(value: unknown): unknown {
  return typeof value === 'string' ? TemplateValue.parseJson(value)?.document : value;
}
