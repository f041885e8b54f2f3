import { listOf, objectOf, resolveAcrossStacks } from '../events/deliveries';
import { actionPattern } from '../iam/policy-statements';
import { StackTemplate, TemplateResource, resourceNamed } from '../stack-template';
import { TemplateValue } from '../template-value';

const AWS_MANAGED_ALIAS = /^(arn:[^:]+:kms:[^:]*:[^:]*:)?alias\/aws\//;

/** The KMS key a property names, as far as the template says. */
export type NamedKey =
  | { readonly kind: 'customer'; readonly key: TemplateResource }
  | { readonly kind: 'awsManaged'; readonly alias: string }
  | { readonly kind: 'unknown' };

/**
 * The key a `KmsMasterKeyId` or `KmsKeyId` names: a key of this template (by Ref, GetAtt, alias resource or alias
 * name) or of another stack of the validation (a parent passing it to a nested stack's parameter, an export, an alias
 * name another stack of the same account and region declares), an AWS managed alias, or unknown (ARNs imported from
 * elsewhere, intrinsics the templates cannot resolve).
 */
export function namedKey(stack: StackTemplate, value: unknown): NamedKey {
  const text = literalText(stack, value);
  if (text !== undefined && AWS_MANAGED_ALIAS.test(text)) return { kind: 'awsManaged', alias: text.replace(/^arn:[^:]+:kms:[^:]*:[^:]*:/, '') };
  const aliasName = text !== undefined ? /^(?:arn:[^:]+:kms:[^:]*:[^:]*:)?(alias\/.+)$/.exec(text)?.[1] : undefined;
  const named = aliasName ? resourceNamed(stack, 'AWS::KMS::Alias', 'AliasName', aliasName) : undefined;
  const reference = named ? { kind: 'resource' as const, resource: named } : resolveAcrossStacks(stack, value).target;
  if (reference.kind !== 'resource') return { kind: 'unknown' };
  let resource = reference.resource;
  if (resource.type === 'AWS::KMS::Alias') {
    const { target } = resolveAcrossStacks(resource.stack, resource.properties?.TargetKeyId);
    if (target.kind !== 'resource') return { kind: 'unknown' };
    resource = target.resource;
  }
  return resource.type === 'AWS::KMS::Key' ? { kind: 'customer', key: resource } : { kind: 'unknown' };
}

/**
 * A value as text when it is a literal or joins literals and pseudo parameters (each as `*`), as CDK writes an alias
 * ARN (`arn:${AWS::Partition}:kms:<region>:<account>:alias/<name>`); undefined for anything else.
 */
function literalText(stack: StackTemplate, value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const parts = TemplateValue.stringParts(value, stack);
  if (parts === undefined) return undefined;
  let text = '';
  for (const part of parts) {
    if (typeof part === 'string') text += part;
    else if (TemplateValue.refTarget(part)?.startsWith('AWS::')) text += '*';
    else return undefined;
  }
  return text;
}

/** Whether one `Service` principal value is the service wanted; undefined when it cannot be read. */
export type ServiceMatcher = (service: unknown) => boolean | undefined;

// One matcher per service name, so verdicts on a key policy are shared by everything that asks about that service.
const GLOBAL_SERVICES = new Map<string, ServiceMatcher>();

/** Matches `<service>.amazonaws.com` (and the China partition's `.cn`). */
export function globalService(service: string): ServiceMatcher {
  let matcher = GLOBAL_SERVICES.get(service);
  if (!matcher) {
    const wanted = new RegExp(`^${service}\\.amazonaws\\.com(\\.cn)?$`, 'i');
    GLOBAL_SERVICES.set(service, matcher = name => (typeof name === 'string' ? wanted.test(name) : undefined));
  }
  return matcher;
}

// Verdicts by key, service and actions: the queues, topics and log groups of one key ask its policy the same question.
const VERDICTS = new WeakMap<TemplateResource, Map<ServiceMatcher, Map<readonly string[], boolean | undefined>>>();

/**
 * Whether the key policy allows the service every needed action; undefined when a statement that might matter
 * cannot be read. Without a KeyPolicy, KMS's default policy allows only the account, not services. An unconditional
 * Deny of a needed action to the service takes it away; a conditional Deny is not judged (it may not apply).
 */
export function keyPolicyAllows(key: TemplateResource, service: ServiceMatcher, neededActions: readonly string[]): boolean | undefined {
  let byService = VERDICTS.get(key);
  if (!byService) VERDICTS.set(key, byService = new Map());
  let byActions = byService.get(service);
  if (!byActions) byService.set(service, byActions = new Map());
  if (!byActions.has(neededActions)) byActions.set(neededActions, judgeKeyPolicy(key, service, neededActions));
  return byActions.get(neededActions);
}

function judgeKeyPolicy(key: TemplateResource, service: ServiceMatcher, neededActions: readonly string[]): boolean | undefined {
  if (!key.properties) return undefined;
  const policy = key.properties.KeyPolicy;
  if (policy === undefined) return false;
  const document = objectOf(policy);
  if (!document) return undefined;
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const allowed = new Set<string>();
  const denied = new Set<string>();
  let unknown = false;
  for (const value of statements) {
    const statement = objectOf(value);
    if (!statement) {
      unknown = true;
      continue;
    }
    if (statement.Effect === 'Deny') {
      if (statement.Condition !== undefined) continue;
      const covers = coversService(statement.Principal, service);
      const actions = statement.NotAction !== undefined || statement.NotPrincipal !== undefined ? undefined : actionsOf(statement.Action);
      if (covers === undefined || (covers && !actions)) unknown = true;
      else if (covers) for (const needed of neededActions) if (actions!.some(pattern => actionPattern(pattern).test(needed))) denied.add(needed);
      continue;
    }
    if (statement.Effect !== 'Allow') {
      if (typeof statement.Effect !== 'string') unknown = true;
      continue;
    }
    const covers = coversService(statement.Principal, service);
    const actions = statement.NotAction !== undefined ? undefined : actionsOf(statement.Action);
    if (covers === undefined || (covers && !actions) || statement.NotPrincipal !== undefined) {
      unknown = true;
      continue;
    }
    if (!covers) continue;
    for (const needed of neededActions) {
      if (actions!.some(pattern => actionPattern(pattern).test(needed))) allowed.add(needed);
    }
  }
  if (neededActions.some(action => denied.has(action))) return false;
  if (neededActions.every(action => allowed.has(action))) return true;
  return unknown ? undefined : false;
}

/** Whether a principal includes the service; `*` (anyone) does. An `AWS` account principal never does. */
function coversService(principal: unknown, service: ServiceMatcher): boolean | undefined {
  if (principal === '*') return true;
  const literal = objectOf(principal);
  if (!literal) return undefined;
  const aws = literal.AWS;
  if (aws === '*' || (Array.isArray(aws) && aws.includes('*'))) return true;
  const names = literal.Service === undefined ? [] : Array.isArray(literal.Service) ? literal.Service : [literal.Service];
  const verdicts = names.map(service);
  if (verdicts.includes(true)) return true;
  return verdicts.every(v => v === false) ? false : undefined;
}

/** The action patterns of a statement, or undefined when they cannot be read. */
function actionsOf(action: unknown): readonly string[] | undefined {
  const actions = listOf(Array.isArray(action) ? action : [action]);
  return actions.every(a => typeof a === 'string') ? actions as string[] : undefined;
}
