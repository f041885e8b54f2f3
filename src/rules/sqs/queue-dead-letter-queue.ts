import { deliveriesOf, objectOf, resolveReference } from '../events/deliveries';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';

/** Queues of one template that are themselves where failed messages go. */
interface DeadLetterIndex {
  /** Logical ids of queues named as a dead-letter queue or on-failure destination. */
  readonly deadLetterQueues: ReadonlySet<string>;
  /** Some dead-letter target cannot be resolved, so any queue might be one: nothing is reported. */
  readonly unknownTargets: boolean;
}

// A queue that allows other queues to redrive into it declares itself a dead-letter queue (possibly of queues in other stacks).
const DECLARED_DEAD_LETTER_PERMISSIONS = new Set(['allowAll', 'byQueue']);

/**
 * C12: every SQS queue has a dead-letter queue (a `RedrivePolicy`), unless it is a dead-letter queue itself: of
 * another queue, of an SNS subscription or EventBridge target, a Lambda dead-letter queue or on-failure
 * destination, or declared one by a `RedriveAllowPolicy` that lets queues redrive into it.
 */
export class QueueDeadLetterQueue implements FintechRule {
  /** Metadata of `Fintech-C12-QueueWithoutDeadLetterQueue`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C12-QueueWithoutDeadLetterQueue',
    catalogId: 'C12',
    title: 'Every SQS queue has a dead-letter queue',
    description: 'Without a redrive policy a message that always fails is received again and again until its retention period silently deletes it, so a poison payment message blocks consumers and is then lost without a trace.',
    fix: 'Use a SecureQueue, or set deadLetterQueue: { queue, maxReceiveCount: 3 } on the sqs.Queue.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'QueueDeadLetterQueue';
  public readonly infos = [QueueDeadLetterQueue.INFO];
  public readonly resourceTypes = ['AWS::SQS::Queue'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties || properties.RedrivePolicy !== undefined) return [];
    const allow = redriveAllowPolicy(properties.RedriveAllowPolicy);
    if (allow === undefined || DECLARED_DEAD_LETTER_PERMISSIONS.has(String(allow.redrivePermission))) return [];
    const index = resource.stack.memo('QueueDeadLetterQueue.index', () => indexDeadLetterQueues(resource.stack));
    if (index.unknownTargets || index.deadLetterQueues.has(resource.logicalId)) return [];
    return [findingOn(resource, QueueDeadLetterQueue.INFO.id,
      `${resource.type} ${resource.logicalId} has no RedrivePolicy and is no other queue's dead-letter queue, so a message that keeps failing ` +
      'is received again and again until its retention period deletes it.',
      ['Properties/RedrivePolicy'])];
  }
}

/** The redrive allow policy as an object: `{}` when absent, undefined when it cannot be read (unknown). */
function redriveAllowPolicy(value: unknown): { readonly [key: string]: unknown } | undefined {
  if (value === undefined) return {};
  return objectOf(parsedJson(value));
}

/** SQS takes redrive policies as objects or as JSON strings. */
function parsedJson(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function indexDeadLetterQueues(stack: StackTemplate): DeadLetterIndex {
  const deadLetterQueues = new Set<string>();
  let unknownTargets = false;
  const note = (value: unknown) => {
    if (value === undefined) return;
    const target = resolveReference(stack, value);
    if (target.kind === 'resource') deadLetterQueues.add(target.resource.logicalId);
    else if (target.kind === 'unknown') unknownTargets = true;
  };
  for (const queue of stack.resourcesOfType('AWS::SQS::Queue')) {
    const redrive = queue.properties?.RedrivePolicy;
    if (redrive === undefined) continue;
    const policy = objectOf(parsedJson(redrive));
    if (policy) note(policy.deadLetterTargetArn);
    else unknownTargets = true;
  }
  // SNS subscription and EventBridge target dead-letter queues.
  for (const delivery of deliveriesOf(stack)) {
    if (delivery.deadLetter) note(delivery.value);
  }
  for (const fn of stack.resourcesOfType('AWS::Lambda::Function')) note(objectOf(fn.properties?.DeadLetterConfig)?.TargetArn);
  for (const type of ['AWS::Lambda::EventInvokeConfig', 'AWS::Lambda::EventSourceMapping']) {
    for (const config of stack.resourcesOfType(type)) {
      note(objectOf(objectOf(objectOf(config.properties?.DestinationConfig)?.OnFailure))?.Destination);
    }
  }
  return { deadLetterQueues, unknownTargets };
}
