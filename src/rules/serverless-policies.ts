import { isDeepStrictEqual } from 'util';
import { TemplateValue } from './template-value';
import { SAM_MANAGED_POLICY_PATHS, SAM_POLICY_TEMPLATES } from '../facts/sam-transform-data';

/** The policies of a role the AWS SAM transform generates for a function or state machine, from the resource's `Policies`. */
export interface ServerlessRolePolicies {
  /** `ManagedPolicyArns` entries, in order, each once: ARNs, intrinsics, and managed policy names resolved to their ARN. */
  readonly managed: readonly unknown[];
  /** `Policies` entries (`{ PolicyName, PolicyDocument }`, or an `Fn::If` of them), from statements and policy templates. */
  readonly inline: readonly unknown[];
}

type PolicyKind = 'managed' | 'statement' | 'template' | 'unknown';

const MANAGED_ARN = 'arn:aws:iam::aws:policy/';

/**
 * What the AWS SAM transform makes of a serverless resource's `Policies` (one entry or a list), as it does at deploy
 * time:
 * - a string is a managed policy: an ARN as written, or the name of an AWS managed policy, written as its ARN with the
 *   path the transform knows (`service-role/` for instance) or none (for a name the transform does not bundle, it asks
 *   IAM at deploy time; a policy with a path is then not recognized, which only leaves the role's key access unjudged);
 * - another intrinsic is a managed policy ARN;
 * - an object with `Statement` is an inline policy named `<roleId>Policy<index>`;
 * - an object with one key naming a policy template (`SQSPollerPolicy: { QueueName: ... }`) is the template's statements
 *   with the parameters' values put in, also inline;
 * - an `Fn::If` takes the kind of its branches (`AWS::NoValue` taking either), and each branch is converted.
 *
 * `initial` are the managed policies the transform attaches first (the execution role's), which the resource's own are
 * not added twice to. Undefined when the transform rejects the policies (an unknown kind, a policy template without
 * the values of all its parameters, branches of two kinds): the role is then unknown.
 */
export function serverlessRolePolicies(policies: unknown, roleId: string, initial: readonly unknown[] = []): ServerlessRolePolicies | undefined {
  const managed: unknown[] = [...initial];
  const inline: unknown[] = [];
  const list = policies === undefined || policies === null ? [] : Array.isArray(policies) ? policies : [policies];
  for (const [index, policy] of list.entries()) {
    const kind = kindOf(policy);
    const named = (document: unknown) => ({ PolicyName: `${roleId}Policy${index}`, PolicyDocument: document });
    if (kind === 'statement') {
      inline.push(branches(policy, named));
    } else if (kind === 'template') {
      const document = branches(policy, templateDocument);
      if (document === undefined) return undefined;
      inline.push(branches(document, named));
    } else if (kind === 'managed') {
      const arn = typeof policy === 'string' ? managedPolicyArn(policy)
        : isIf(policy) ? branches(policy, branch => (typeof branch === 'string' ? managedPolicyArn(branch) : branch)) : policy;
      if (!managed.some(known => isDeepStrictEqual(known, arn))) managed.push(arn);
    } else {
      return undefined;
    }
  }
  return { managed, inline };
}

/** The ARN the transform writes for a managed policy given by name (or by ARN, kept). */
export function managedPolicyArn(name: string): string {
  if (name.startsWith('arn:')) return name;
  return `${MANAGED_ARN}${managedPolicyPaths().get(name) ?? ''}${name}`;
}

let paths: Map<string, string> | undefined;
function managedPolicyPaths(): Map<string, string> {
  if (!paths) {
    paths = new Map();
    for (const [path, names] of Object.entries(SAM_MANAGED_POLICY_PATHS)) for (const name of names.split(' ')) paths.set(name, path);
  }
  return paths;
}

/** The kind of a policy entry, as the transform tells it. */
function kindOf(policy: unknown): PolicyKind {
  if (typeof policy === 'string') return 'managed';
  if (TemplateValue.isObject(policy) && policy['Fn::If'] !== undefined) {
    // The transform rejects an Fn::If that is not [condition, value if true, value if false].
    if (!isIf(policy)) return 'unknown';
    const [, whenTrue, whenFalse] = policy['Fn::If'] as unknown[];
    const [a, b] = [kindOf(whenTrue), kindOf(whenFalse)];
    if (a === b) return a;
    if (TemplateValue.isNoValue(whenTrue)) return b;
    if (TemplateValue.isNoValue(whenFalse)) return a;
    return 'unknown';
  }
  if (TemplateValue.isIntrinsic(policy)) return 'managed';
  if (!TemplateValue.isObject(policy)) return 'unknown';
  if (policy.Statement !== undefined) return 'statement';
  const keys = Object.keys(policy);
  return keys.length === 1 && Object.prototype.hasOwnProperty.call(SAM_POLICY_TEMPLATES, keys[0]) ? 'template' : 'unknown';
}

/** A policy template's document with its parameters' values put in; undefined when a value is missing. */
function templateDocument(policy: unknown): unknown {
  const [name, values] = Object.entries(policy as { [key: string]: unknown })[0];
  const template = SAM_POLICY_TEMPLATES[name];
  if (!TemplateValue.isObject(values) || template.parameters.some(parameter => !(parameter in values))) return undefined;
  const put = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(put);
    if (!TemplateValue.isObject(node)) return node;
    const keys = Object.keys(node);
    if (keys.length === 1 && keys[0] === 'Ref' && typeof node.Ref === 'string' && template.parameters.includes(node.Ref)) return values[node.Ref];
    return Object.fromEntries(keys.map(key => [key, put(node[key])]));
  };
  return { Statement: put(JSON.parse(template.statements)) };
}

/**
 * `convert` applied to a policy, or to each branch of its `Fn::If` but `AWS::NoValue`; undefined when a conversion is
 * undefined.
 */
function branches(policy: unknown, convert: (branch: unknown) => unknown): any {
  if (!isIf(policy)) return convert(policy);
  const [condition, whenTrue, whenFalse] = policy['Fn::If'] as unknown[];
  const converted = [whenTrue, whenFalse].map(branch => (TemplateValue.isNoValue(branch) ? branch : convert(branch)));
  return converted.includes(undefined) ? undefined : { 'Fn::If': [condition, ...converted] };
}

function isIf(policy: unknown): policy is { readonly 'Fn::If': unknown } {
  return TemplateValue.isObject(policy) && Object.keys(policy).length === 1 && Array.isArray(policy['Fn::If']) && policy['Fn::If'].length === 3;
}
