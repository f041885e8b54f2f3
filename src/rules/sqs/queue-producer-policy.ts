import { Delivery, deliveriesInto, deliveringServices, deliverySource, objectOf, resolveAcrossStacks } from '../events/deliveries';
import { actionPattern, elementValues, isEveryone, pinnedToOtherSources } from '../iam/policy-statements';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';

const QUEUE = 'AWS::SQS::Queue';
// The services that send into a queue as themselves, which only the queue's policy can allow (a queue without one
// allows only principals of its own account), and what happens when it does not.
const SENDERS: { readonly [service: string]: string } = {
  s3: 'S3 refuses the notification configuration, so the deploy fails',
  events: 'EventBridge drops what it should deliver there (FailedInvocations, or a lost dead letter) and nothing fails at deploy time',
  sns: 'SNS cannot deliver there (NumberOfNotificationsFailed) and nothing fails at deploy time',
};

/** The queue policies of one validation by the queues they name; `unknown` when one names what the templates cannot tell. */
interface QueuePolicyIndex {
  readonly byQueue: ReadonlyMap<TemplateResource, readonly TemplateResource[]>;
  readonly unknown: boolean;
}

/**
 * C05: a queue that SNS subscriptions (and their dead-letter queues), EventBridge targets (and their dead-letter queues)
 * or S3 notifications of the templates write into has a queue policy letting that service send (the statement CDK's
 * SqsSubscription, targets.SqsQueue, a target's deadLetterQueue and SqsDestination add). Policies are found in every
 * template (`AWS::SQS::QueuePolicy` by its `Queues`, `AWS::SQS::QueueInlinePolicy` by its `Queue`); a document,
 * statement, principal, action, resource or `aws:SourceArn` the templates cannot read counts as allowing.
 */
export class QueueProducerPolicy implements FintechRule {
  /** Metadata of `Fintech-C05-ProducerWithoutQueuePolicy`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C05-ProducerWithoutQueuePolicy',
    catalogId: 'C05',
    title: 'Services that send into a queue are allowed by its queue policy',
    description: 'SNS, EventBridge and S3 send into a queue as themselves, and a queue without a policy allowing them admits only principals of its own account: ' +
      'S3 refuses the notification configuration (the deploy fails), EventBridge and SNS drop every event, message and dead letter meant for it with only a failed-delivery metric to show. ' +
      'CDK\'s SqsSubscription, targets.SqsQueue, a rule target\'s or subscription\'s deadLetterQueue and SqsDestination write the statement; a hand-written template often does not. ' +
      'A statement counts when it allows the service (or everyone) sqs:SendMessage (or a wildcard over it) on the queue (or "*"), and its aws:SourceArn, if any, may be the subscription\'s topic, the rule or the bucket; ' +
      'a policy, statement, principal, action, resource or source the templates cannot read counts too. ' +
      'Not judged: queues of another account, conditional Deny statements, and every queue when some queue policy names a queue the templates cannot tell.',
    fix: 'Add a queue policy statement allowing <service>.amazonaws.com sqs:SendMessage on the queue with aws:SourceArn the topic, rule or bucket (queue.addToResourcePolicy; ' +
      'CDK\'s SqsSubscription, targets.SqsQueue and SqsDestination, and SecureQueue.allowProducer, do it; targets.CloudWatchLogGroup, KinesisStream, ' +
      'CodePipeline and RedshiftQuery take a deadLetterQueue but write no statement for it).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'QueueProducerPolicy';
  public readonly infos = [QueueProducerPolicy.INFO];
  public readonly resourceTypes = [QUEUE];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const senders = deliveriesInto(resource).filter(delivery => SENDERS[delivery.service] !== undefined);
    if (senders.length === 0) return [];
    const { peers } = resource.stack;
    const index = peers.memo('QueueProducerPolicy.index', () => indexQueuePolicies(peers.templates));
    if (index.unknown) return [];
    const policies = index.byQueue.get(resource) ?? [];
    const denied = senders.filter(delivery => !policies.some(policy => policyAllows(policy, resource, delivery)));
    if (denied.length === 0) return [];
    const { services, described: who } = deliveringServices(denied);
    return [findingOn(resource, QueueProducerPolicy.INFO.id,
      `${resource.type} ${resource.logicalId} receives from ${who}, but no queue policy lets ${services.length === 1 ? 'that service' : 'those services'} send into it: ` +
      `${services.map(service => SENDERS[service]).join('; ')}.`,
      ['Properties'],
      `Allow ${services.map(service => `${service}.amazonaws.com`).join(' and ')} sqs:SendMessage on the queue in its policy, with aws:SourceArn the topic, rule or bucket ` +
      '(queue.addToResourcePolicy, or SecureQueue.allowProducer; CDK\'s SqsSubscription, targets.SqsQueue and SqsDestination add it, while targets.CloudWatchLogGroup, ' +
      'KinesisStream, CodePipeline and RedshiftQuery take a deadLetterQueue but add no statement for it).')];
  }
}

function indexQueuePolicies(templates: readonly StackTemplate[]): QueuePolicyIndex {
  const byQueue = new Map<TemplateResource, TemplateResource[]>();
  let unknown = false;
  const add = (policy: TemplateResource, value: unknown) => {
    const named = resolveAcrossStacks(policy.stack, value).target;
    if (named.kind === 'unknown') unknown = true;
    else if (named.kind === 'resource' && named.resource.type === QUEUE) byQueue.set(named.resource, [...byQueue.get(named.resource) ?? [], policy]);
  };
  for (const stack of templates) {
    for (const policy of stack.resourcesOfType('AWS::SQS::QueuePolicy')) {
      const queues = policy.properties?.Queues;
      if (!Array.isArray(queues)) unknown = true;
      else queues.forEach(queue => add(policy, queue));
    }
    for (const policy of stack.resourcesOfType('AWS::SQS::QueueInlinePolicy')) add(policy, policy.properties?.Queue);
  }
  return { byQueue, unknown };
}

/** Whether a queue policy may let the delivery's service send into `queue` for the delivery's source. */
function policyAllows(policy: TemplateResource, queue: TemplateResource, delivery: Delivery): boolean {
  const document = objectOf(policy.properties?.PolicyDocument);
  if (!document) return true;
  return elementValues(document.Statement).some(value => {
    const statement = objectOf(value);
    if (!statement) return true;
    if (statement.Effect !== 'Allow') return typeof statement.Effect !== 'string';
    return coversService(statement.Principal, delivery.service) && coversSend(statement) && namesQueue(policy.stack, statement.Resource, queue)
      && !pinnedToOthers(policy.stack, statement.Condition, delivery);
  });
}

/** Whether a principal may be the service: everyone, the service among `Service` principals, or what cannot be read. An account never is. */
function coversService(principal: unknown, service: string): boolean {
  if (isEveryone(principal)) return true;
  const literal = objectOf(principal);
  if (!literal) return true;
  if (literal.Service === undefined) return false;
  const wanted = new RegExp(`^${service}\\.amazonaws\\.com(\\.cn)?$`, 'i');
  return elementValues(literal.Service).some(name => typeof name !== 'string' || wanted.test(name));
}

/** Whether the statement may allow sqs:SendMessage: a matching action, or actions that cannot be read. */

function coversSend(statement: { readonly [key: string]: unknown }): boolean {
  if (statement.NotAction !== undefined) return true;
  const actions = elementValues(statement.Action);
  return actions.some(action => typeof action !== 'string' || actionPattern(action).test('sqs:SendMessage'));
}

/** Whether the statement's resources may be the queue: `*`, the queue, or a value the templates cannot tie to another resource. */
function namesQueue(stack: StackTemplate, resource: unknown, queue: TemplateResource): boolean {
  if (resource === undefined) return true;
  return elementValues(resource).some(value => {
    if (value === '*') return true;
    const named = resolveAcrossStacks(stack, value).target;
    return named.kind !== 'resource' || named.resource === queue;
  });
}

/** Whether the statement's `aws:SourceArn` names only other resources than the one the delivery is for. */
function pinnedToOthers(stack: StackTemplate, condition: unknown, delivery: Delivery): boolean {
  const source = deliverySource(delivery);
  return source !== undefined && pinnedToOtherSources(stack, condition, source);
}
