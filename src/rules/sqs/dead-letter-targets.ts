import { StackReferences } from '../cloudwatch/stack-references';
import { resolveReference } from '../events/deliveries';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

const QUEUE = 'AWS::SQS::Queue';
// Pipes sources that hand records they could not deliver to a dead-letter queue.
const PIPE_SOURCES = ['DynamoDBStreamParameters', 'KinesisStreamParameters', 'ManagedStreamingKafkaParameters', 'SelfManagedKafkaParameters'];

/**
 * Where a resource names the queue that receives what it failed to process: property path, `*` for each list entry.
 * This is what makes a queue a dead-letter queue, whichever service fills it.
 */
export const DEAD_LETTER_TARGETS: ReadonlyArray<{ readonly type: string; readonly path: readonly string[] }> = [
  { type: QUEUE, path: ['RedrivePolicy', 'deadLetterTargetArn'] },
  { type: 'AWS::SNS::Subscription', path: ['RedrivePolicy', 'deadLetterTargetArn'] },
  { type: 'AWS::Lambda::Function', path: ['DeadLetterConfig', 'TargetArn'] },
  { type: 'AWS::Lambda::EventInvokeConfig', path: ['DestinationConfig', 'OnFailure', 'Destination'] },
  { type: 'AWS::Lambda::EventSourceMapping', path: ['DestinationConfig', 'OnFailure', 'Destination'] },
  { type: 'AWS::Events::Rule', path: ['Targets', '*', 'DeadLetterConfig', 'Arn'] },
  { type: 'AWS::Events::EventBus', path: ['DeadLetterConfig', 'Arn'] },
  { type: 'AWS::Scheduler::Schedule', path: ['Target', 'DeadLetterConfig', 'Arn'] },
  ...PIPE_SOURCES.map(source => ({ type: 'AWS::Pipes::Pipe', path: ['SourceParameters', source, 'DeadLetterConfig', 'Arn'] })),
];

/** The dead-letter queues of the templates of one validation. */
export interface DeadLetterQueues {
  /** Each queue that receives another resource's failures, with those resources (`<type> <logicalId>`). */
  readonly sources: ReadonlyMap<TemplateResource, readonly string[]>;
  /** Some failure target cannot be resolved, so any queue might be a dead-letter queue. */
  readonly unknownTargets: boolean;
}

/**
 * The queues other resources send their failures to, across every template given: SQS redrive, SNS subscription
 * redrive, Lambda dead-letter queues and on-failure destinations (asynchronous invocation and event source mappings),
 * EventBridge rule target, event bus and Scheduler schedule dead-letter queues, and Pipes source dead-letter queues. Targets are
 * followed through `Ref`, `Fn::GetAtt`, `Fn::ImportValue` (by export name), nested-stack outputs and parameters, and
 * literal ARNs, joins and subs that name a queue by its literal name. An import of a name no template exports names a
 * queue outside the app; any other value that cannot be read is unknown.
 */
export function deadLetterQueuesOf(stacks: readonly StackTemplate[], references: StackReferences): DeadLetterQueues {
  let found = INDEXED.get(stacks);
  if (!found) INDEXED.set(stacks, found = indexDeadLetterQueues(stacks, references));
  return found;
}

// One index per list of templates: the dead-letter and the alarm rules judge the same list.
const INDEXED = new WeakMap<readonly StackTemplate[], DeadLetterQueues>();

function indexDeadLetterQueues(stacks: readonly StackTemplate[], references: StackReferences): DeadLetterQueues {
  const queuesByName = new Map<string, TemplateResource[]>();
  for (const stack of stacks) {
    for (const queue of stack.resourcesOfType(QUEUE)) {
      const name = queue.properties?.QueueName;
      if (typeof name === 'string') queuesByName.set(name, [...queuesByName.get(name) ?? [], queue]);
    }
  }
  const sources = new Map<TemplateResource, string[]>();
  let unknownTargets = false;
  for (const stack of stacks) {
    for (const { type, path } of DEAD_LETTER_TARGETS) {
      for (const resource of stack.resourcesOfType(type)) {
        if (!resource.properties) {
          unknownTargets = true;
          continue;
        }
        const found = valuesAt(resource.properties, path);
        unknownTargets ||= found.unknown;
        for (const target of found.values) {
          const queues = queuesNamed(stack, target, references, queuesByName);
          if (queues === undefined) {
            unknownTargets = true;
            continue;
          }
          for (const queue of queues.filter(q => q.type === QUEUE && q !== resource)) {
            const list = sources.get(queue) ?? [];
            const source = `${resource.type} ${resource.logicalId}`;
            if (!list.includes(source)) sources.set(queue, [...list, source]);
          }
        }
      }
    }
  }
  return { sources, unknownTargets };
}

/** The queues a failure target names: `[]` for something outside the app or not a queue, undefined when unknown. */
function queuesNamed(stack: StackTemplate, value: unknown, references: StackReferences,
  queuesByName: ReadonlyMap<string, readonly TemplateResource[]>): readonly TemplateResource[] | undefined {
  const reference = references.resolve(stack, value);
  if (reference.kind === 'resource') return [reference.resource];
  if (reference.kind === 'literal') {
    const arn = reference.value.split(':');
    return arn.length === 6 && arn[0] === 'arn' && arn[2] === 'sqs' ? queuesByName.get(arn[5]) ?? [] : [];
  }
  // An import of a name no template exports is a queue of another app.
  if (TemplateValue.isObject(value) && Object.keys(value).length === 1 && typeof value['Fn::ImportValue'] === 'string') return [];
  const resolved = resolveReference(stack, value);
  if (resolved.kind === 'resource') return [resolved.resource];
  return resolved.kind === 'external' ? [] : undefined;
}

/** The values at a property path; `*` walks each entry of a list, and a JSON string (SQS RedrivePolicy) is parsed. */
function valuesAt(value: unknown, path: readonly string[]): { values: unknown[]; unknown: boolean } {
  if (path.length === 0) return { values: value === undefined ? [] : [value], unknown: false };
  if (typeof value === 'string') {
    const parsed = TemplateValue.parseJson(value);
    return parsed ? valuesAt(parsed.document, path) : { values: [], unknown: true };
  }
  if (value === undefined) return { values: [], unknown: false };
  if (!TemplateValue.isObject(value) && !Array.isArray(value)) return { values: [], unknown: false };
  if (TemplateValue.isIntrinsic(value)) return { values: [], unknown: true };
  const [head, ...rest] = path;
  if (head === '*') {
    if (!Array.isArray(value)) return { values: [], unknown: true };
    const found = value.map(entry => valuesAt(entry, rest));
    return { values: found.flatMap(f => f.values), unknown: found.some(f => f.unknown) };
  }
  return Array.isArray(value) ? { values: [], unknown: false } : valuesAt(value[head], rest);
}
