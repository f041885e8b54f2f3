import { RuleFinding, findingOn } from '../rule';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';
import { isEveryone, literalStrings } from './policy-statements';

/**
 * Whether a resource policy denies requests made without TLS: a `Deny` to everyone, of actions `coversActions`
 * accepts, when `aws:SecureTransport` is false. Undefined when the document, or one of its statements, cannot be read.
 */
function deniesInsecureTransport(document: unknown, coversActions: (actions: string[]) => boolean): boolean | undefined {
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
interface TlsOnlyIndex {
  /** Resources whose policy denies requests without TLS, or whose policy cannot be read (unknown, not reported). */
  readonly settled: ReadonlySet<string>;
  /** A policy names its resources by something that may be a resource of this template: every one of them is unknown. */
  readonly unknownTargets: boolean;
}

/**
 * Indexes the policies of one type by the logical ids they name in `targetsProperty` (one value or a list):
 * `Bucket` of `AWS::S3::BucketPolicy`, `Queues` of `AWS::SQS::QueuePolicy`, `Topics` of `AWS::SNS::TopicPolicy`.
 * A `Ref` names a resource; a literal string names the one `literalTarget` finds (e.g. a bucket by its name), or a
 * resource outside the template; anything else makes every resource of the type unknown.
 */
function indexTlsOnlyPolicies(
  stack: StackTemplate, policyType: string, targetsProperty: string, coversActions: (actions: string[]) => boolean,
  literalTarget: (literal: string) => string | undefined = () => undefined,
): TlsOnlyIndex {
  const settled = new Set<string>();
  let unknownTargets = false;
  for (const policy of stack.resourcesOfType(policyType)) {
    const value = policy.properties?.[targetsProperty];
    const ids: string[] = [];
    for (const target of Array.isArray(value) ? value : [value]) {
      const id = TemplateValue.refTarget(target) ?? (typeof target === 'string' ? literalTarget(target) : undefined);
      if (id) ids.push(id);
      else if (typeof target !== 'string') unknownTargets = true;
    }
    if (deniesInsecureTransport(policy.properties?.PolicyDocument, coversActions) === false) continue;
    for (const id of ids) settled.add(id);
  }
  return { settled, unknownTargets };
}

/** A kind of resource policy that can deny requests without TLS, and how it names the resources it covers. */
export interface TlsOnlyPolicyKind {
  /** The policy resource type, e.g. `AWS::SQS::QueuePolicy`. */
  readonly policyType: string;
  /** Its property naming the covered resources: `Bucket`, `Queues`, `Topics`. */
  readonly targetsProperty: string;
  /** Whether a Deny of these actions (lower case) covers what must not go over plain HTTP. */
  readonly coversActions: (actions: string[]) => boolean;
  /** What the Deny must deny, as findings say it: "requests", "Publish". */
  readonly denied: string;
  /** For one template, the resource a literal target names (e.g. a bucket by its name). */
  readonly literalTargets?: (stack: StackTemplate) => (literal: string) => string | undefined;
}

/**
 * The finding of rule `ruleId` on `resource` when no policy of `kind` denies it requests without TLS. The policies
 * are indexed once per template; a policy whose targets cannot be read leaves every resource unreported.
 */
export function tlsOnlyFindings(resource: TemplateResource, ruleId: string, kind: TlsOnlyPolicyKind): RuleFinding[] {
  const index = resource.stack.memo(`${ruleId}.tlsOnlyIndex`, () =>
    indexTlsOnlyPolicies(resource.stack, kind.policyType, kind.targetsProperty, kind.coversActions, kind.literalTargets?.(resource.stack)));
  if (index.unknownTargets || index.settled.has(resource.logicalId)) return [];
  return [findingOn(resource, ruleId,
    `${resource.type} ${resource.logicalId} has no ${kind.policyType} denying ${kind.denied} where aws:SecureTransport is false, so it accepts plain HTTP.`,
    [])];
}
