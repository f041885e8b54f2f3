import { StackTemplate } from '../stack-template';
import { TemplateValue } from '../template-value';
import { literalStrings } from './policy-statements';

/** Whether a policy principal is every AWS principal: `"*"`, or `{ AWS: "*" }` (alone or in a list). */
export function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  return TemplateValue.isObject(principal) && !TemplateValue.isIntrinsic(principal) && literalStrings(principal.AWS).includes('*');
}

/**
 * Whether a resource policy denies requests made without TLS: a `Deny` to everyone, of actions `coversActions`
 * accepts, when `aws:SecureTransport` is false. Undefined when the document, or one of its statements, cannot be read.
 */
export function deniesInsecureTransport(document: unknown, coversActions: (actions: string[]) => boolean): boolean | undefined {
  if (!TemplateValue.isObject(document) || TemplateValue.isIntrinsic(document)) return undefined;
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  let unknown = false;
  for (const statement of statements) {
    if (!TemplateValue.isObject(statement) || TemplateValue.isIntrinsic(statement)) {
      unknown = true;
      continue;
    }
    if (statement.Effect === 'Deny' && isEveryone(statement.Principal) && coversActions(literalStrings(statement.Action).map(a => a.toLowerCase()))
      && requiresTls(statement.Condition)) return true;
  }
  return unknown ? undefined : false;
}

function requiresTls(condition: unknown): boolean {
  if (!TemplateValue.isObject(condition)) return false;
  return ['Bool', 'BoolIfExists'].some(operator => {
    const test = condition[operator];
    if (!TemplateValue.isObject(test)) return false;
    const key = Object.keys(test).find(k => k.toLowerCase() === 'aws:securetransport');
    const value = key ? test[key] : undefined;
    const values = Array.isArray(value) ? value : [value];
    return values.some(v => TemplateValue.booleanOf(v) === false);
  });
}

/** What the resource policies of one template say about TLS for the resources they name. */
export interface TlsOnlyIndex {
  /** Resources whose policy denies requests without TLS, or whose policy cannot be read (unknown, not reported). */
  readonly settled: ReadonlySet<string>;
  /** A policy names its resources by something other than a Ref: every resource of the type is unknown. */
  readonly unknownTargets: boolean;
}

/**
 * Indexes the policies of one type (`AWS::SQS::QueuePolicy` with `Queues`, `AWS::SNS::TopicPolicy` with `Topics`)
 * by the logical ids they name with `Ref`.
 */
export function indexTlsOnlyPolicies(
  stack: StackTemplate, policyType: string, targetsProperty: string, coversActions: (actions: string[]) => boolean,
): TlsOnlyIndex {
  const settled = new Set<string>();
  let unknownTargets = false;
  for (const policy of stack.resourcesOfType(policyType)) {
    const targets = policy.properties?.[targetsProperty];
    const ids = Array.isArray(targets) ? targets.map(t => TemplateValue.refTarget(t)) : [undefined];
    // A literal URL or ARN names a resource outside this template; anything else might name one here.
    if (ids.some((id, i) => id === undefined && !(Array.isArray(targets) && typeof targets[i] === 'string'))) unknownTargets = true;
    if (deniesInsecureTransport(policy.properties?.PolicyDocument, coversActions) === false) continue;
    for (const id of ids) if (id) settled.add(id);
  }
  return { settled, unknownTargets };
}
