import { Delivery, deliveriesInto, deliveringServices, deliverySource, resolveAcrossStacks } from '../events/deliveries';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';
import { actionPattern, elementValues, isEveryone, pinnedToOtherSources } from './policy-statements';

/** Where a resource-policy type names the resources it applies to: a list property (`Queues`, `Topics`) or a single one. */
export interface PolicyHolder {
  /** The policy's CloudFormation type, e.g. `AWS::SQS::QueuePolicy`. */
  readonly type: string;
  /** The property naming the target(s). */
  readonly property: string;
  /** Whether `property` is a list of targets. */
  readonly list: boolean;
}

/** The resource policies of one validation by the resources they apply to; `unknown` when one names what the templates cannot tell. */
export interface ResourcePolicyIndex {
  readonly byTarget: ReadonlyMap<TemplateResource, readonly TemplateResource[]>;
  readonly unknown: boolean;
}

/**
 * Indexes the policies of `holders` in every template by the resource of type `targetType` each applies to (followed across
 * stacks); a target the templates cannot tell makes the index unknown, one outside the templates is left out.
 */
export function indexResourcePolicies(
  templates: readonly StackTemplate[], targetType: string, holders: readonly PolicyHolder[],
): ResourcePolicyIndex {
  const byTarget = new Map<TemplateResource, TemplateResource[]>();
  let unknown = false;
  const add = (policy: TemplateResource, value: unknown) => {
    const named = resolveAcrossStacks(policy.stack, value).target;
    if (named.kind === 'unknown') unknown = true;
    else if (named.kind === 'resource' && named.resource.type === targetType) byTarget.set(named.resource, [...byTarget.get(named.resource) ?? [], policy]);
  };
  for (const stack of templates) {
    for (const holder of holders) {
      for (const policy of stack.resourcesOfType(holder.type)) {
        const value = policy.properties?.[holder.property];
        if (!holder.list) add(policy, value);
        else if (Array.isArray(value)) value.forEach(target => add(policy, target));
        else unknown = true;
      }
    }
  }
  return { byTarget, unknown };
}

/** What the resource policies of one type must allow the services that deliver into it. */
export interface ProducerPolicyCheck {
  /** The target's type, e.g. `AWS::SQS::Queue`. */
  readonly targetType: string;
  /** Where policies of the target's type name their targets. */
  readonly holders: readonly PolicyHolder[];
  /** The action the services need, e.g. `sqs:SendMessage`. */
  readonly action: string;
  /** The services judged, each with what happens when no policy lets it deliver. */
  readonly consequences: { readonly [service: string]: string };
  /**
   * Whether a target without any policy in the templates is judged: a queue without one admits only its account, while
   * a topic without one keeps SNS's default policy, which the templates cannot show.
   */
  readonly judgeWithoutPolicy: boolean;
}

/** The deliveries into a target that no policy lets in: the services, who delivers, and what happens. */
export interface DeniedProducers {
  readonly services: readonly string[];
  /** Each service with its producers, e.g. `events.amazonaws.com (AWS::Events::Rule Settled)`. */
  readonly described: string;
  /** What happens, per service, joined with `; `. */
  readonly consequences: string;
}

/**
 * The deliveries into `target`, from every template, by services of `check` that no resource policy lets in; undefined
 * when there are none, or when some policy names a target the templates cannot tell.
 */
export function deniedProducers(target: TemplateResource, check: ProducerPolicyCheck): DeniedProducers | undefined {
  const producers = deliveriesInto(target).filter(delivery => check.consequences[delivery.service] !== undefined);
  if (producers.length === 0) return undefined;
  const { peers } = target.stack;
  const index = peers.memo(`producer-policies:${check.targetType}`, () => indexResourcePolicies(peers.templates, check.targetType, check.holders));
  const policies = index.byTarget.get(target);
  if (index.unknown || (!policies && !check.judgeWithoutPolicy)) return undefined;
  const denied = producers.filter(delivery => !(policies ?? []).some(policy => policyAllowsDelivery(policy, target, delivery, check.action)));
  if (denied.length === 0) return undefined;
  const { services, described } = deliveringServices(denied);
  return { services, described, consequences: services.map(service => check.consequences[service]).join('; ') };
}

/**
 * Whether a resource policy may let the delivery's service perform `action` on `target` for the delivery's source: an
 * Allow statement for the service (or everyone) whose actions cover `action`, whose resources may be the target, and whose
 * `aws:SourceArn` does not name only other resources. A document, statement, principal, action or resource the templates
 * cannot read counts as allowing.
 */
export function policyAllowsDelivery(policy: TemplateResource, target: TemplateResource, delivery: Delivery, action: string): boolean {
  const document = TemplateValue.literalObject(policy.properties?.PolicyDocument);
  if (!document) return true;
  return elementValues(document.Statement).some(value => {
    const statement = TemplateValue.literalObject(value);
    if (!statement) return true;
    if (statement.Effect !== 'Allow') return typeof statement.Effect !== 'string';
    return coversService(statement.Principal, delivery.service) && coversAction(statement, action)
      && namesTarget(policy.stack, statement.Resource, target) && !pinnedToOthers(policy.stack, statement.Condition, delivery);
  });
}

/** Whether a principal may be the service: everyone, the service among `Service` principals, or what cannot be read. An account never is. */
function coversService(principal: unknown, service: string): boolean {
  if (isEveryone(principal)) return true;
  const literal = TemplateValue.literalObject(principal);
  if (!literal) return true;
  if (literal.Service === undefined) return false;
  const wanted = new RegExp(`^${service.replace(/\./g, '\\.')}\\.amazonaws\\.com(\\.cn)?$`, 'i');
  return elementValues(literal.Service).some(name => typeof name !== 'string' || wanted.test(name));
}

/** Whether the statement may allow `action`: a matching action, or actions that cannot be read. */
function coversAction(statement: { readonly [key: string]: unknown }, action: string): boolean {
  if (statement.NotAction !== undefined) return true;
  return elementValues(statement.Action).some(value => typeof value !== 'string' || actionPattern(value).test(action));
}

/** Whether the statement's resources may be the target: unset, `*`, the target, or a value the templates cannot tie to another resource. */
function namesTarget(stack: StackTemplate, resource: unknown, target: TemplateResource): boolean {
  if (resource === undefined) return true;
  return elementValues(resource).some(value => {
    if (value === '*') return true;
    const named = resolveAcrossStacks(stack, value).target;
    return named.kind !== 'resource' || named.resource === target;
  });
}

/** Whether the statement's `aws:SourceArn` names only other resources than the one the delivery is for. */
function pinnedToOthers(stack: StackTemplate, condition: unknown, delivery: Delivery): boolean {
  const source = deliverySource(delivery);
  return source !== undefined && pinnedToOtherSources(stack, condition, source);
}
