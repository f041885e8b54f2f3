import { followedResource, resolveAcrossStacks } from '../events/deliveries';
import { IDENTITY_POLICY_TYPES, actionPattern, elementValues, literalStrings, pinnedToOtherSources, policyStatements } from '../iam/policy-statements';
import { templateName } from '../naming/template-name';
import { StackTemplate, TemplateResource, resourceNamed } from '../stack-template';
import { templateReferences } from '../template/template-references';
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

/**
 * Matches `<service>.amazonaws.com` (and the China partition's `.cn`). A principal built from literals and pseudo parameters
 * (`logs.${AWS::Region}.amazonaws.com`, as a stack without an explicit region writes it) is another service when its literal
 * parts cannot spell this one, whatever the parameters hold; otherwise it is unknown.
 */
export function globalService(service: string): ServiceMatcher {
  let matcher = GLOBAL_SERVICES.get(service);
  if (!matcher) {
    const wanted = new RegExp(`^${service.replace(/\./g, '\\.')}\\.amazonaws\\.com(\\.cn)?$`, 'i');
    const spellings = [`${service}.amazonaws.com`, `${service}.amazonaws.com.cn`];
    GLOBAL_SERVICES.set(service, matcher = name => {
      if (typeof name === 'string') return wanted.test(name);
      const text = templateName(name)?.text;
      if (text === undefined) return undefined;
      const pattern = new RegExp(`^${text.split(/\$\{[^}]*\}/).map(part => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
      return spellings.some(spelling => pattern.test(spelling)) ? undefined : false;
    });
  }
  return matcher;
}

/**
 * The encryption context each service passes to KMS when it encrypts with a customer key (SQS, SNS, CloudWatch Logs,
 * CloudTrail, S3 and EventBridge guides, checked 2026-12): a key policy statement whose condition requires another context key never applies
 * to that service's use of the key.
 */
export const ENCRYPTION_CONTEXT = {
  queue: 'aws:sqs:arn',
  topic: 'aws:sns:topicArn',
  logGroup: 'aws:logs:arn',
  trail: 'aws:cloudtrail:arn',
  bucket: 'aws:s3:arn',
  eventBus: 'aws:events:event-bus:arn',
} as const;

const CONTEXT_CONDITION = 'kms:encryptioncontext:';

// Verdicts by key, service, actions, encryption context and source: the queues, topics and log groups of one key ask its policy the same question.
type BySource = Map<TemplateResource | undefined, boolean | undefined>;
const VERDICTS = new WeakMap<TemplateResource, Map<ServiceMatcher, Map<readonly string[], Map<string, BySource>>>>();

/**
 * Whether the key policy allows the service every needed action; undefined when a statement that might matter
 * cannot be read. Without a KeyPolicy, KMS's default policy allows only the account, not services. An unconditional
 * Deny of a needed action to the service takes it away; a conditional Deny is not judged (it may not apply). With
 * `encryptionContext` (the context key the encrypting service passes, `ENCRYPTION_CONTEXT`), an Allow whose condition
 * requires a different `kms:EncryptionContext:<key>` does not count: the request never carries that key (an event
 * bus's statement, scoped to the bus's context, does not let EventBridge write into a queue on the same key). With
 * `source` (the resource the service acts for: a subscription's topic, a rule, an alarm, a bucket), an Allow whose
 * `aws:SourceArn` condition names only other resources of the templates does not count either; a value the templates
 * cannot resolve, or one with a wildcard, may be the source and counts.
 */
export function keyPolicyAllows(
  key: TemplateResource, service: ServiceMatcher, neededActions: readonly string[], encryptionContext?: string, source?: TemplateResource,
): boolean | undefined {
  let byService = VERDICTS.get(key);
  if (!byService) VERDICTS.set(key, byService = new Map());
  let byActions = byService.get(service);
  if (!byActions) byService.set(service, byActions = new Map());
  let byContext = byActions.get(neededActions);
  if (!byContext) byActions.set(neededActions, byContext = new Map());
  const context = encryptionContext ?? '';
  let bySource = byContext.get(context);
  if (!bySource) byContext.set(context, bySource = new Map());
  if (!bySource.has(source)) bySource.set(source, judgeKeyPolicy(key, service, neededActions, encryptionContext, source));
  return bySource.get(source);
}

/**
 * Whether a condition requires an encryption context key other than `context`: an operator that needs its key present
 * (not `...IfExists`, not `ForAllValues:`, not `Null`) on `kms:EncryptionContext:<other key>`.
 */
function requiresOtherContext(condition: unknown, context: string): boolean {
  const operators = TemplateValue.literalObject(condition);
  if (!operators) return false;
  return Object.entries(operators).some(([operator, keys]) => {
    const lower = operator.toLowerCase();
    if (lower.endsWith('ifexists') || lower.startsWith('forallvalues:') || lower === 'null') return false;
    const names = TemplateValue.literalObject(keys);
    return names !== undefined && Object.keys(names).some(name => {
      const key = name.toLowerCase();
      return key.startsWith(CONTEXT_CONDITION) && key.slice(CONTEXT_CONDITION.length) !== context.toLowerCase();
    });
  });
}

function judgeKeyPolicy(
  key: TemplateResource, service: ServiceMatcher, neededActions: readonly string[],
  encryptionContext: string | undefined, source: TemplateResource | undefined,
): boolean | undefined {
  if (!key.properties || policyRewrittenAtDeploy(key)) return undefined;
  const policy = key.properties.KeyPolicy;
  if (policy === undefined) return false;
  const document = TemplateValue.literalObject(policy);
  if (!document) return undefined;
  const statements = elementValues(document.Statement);
  const allowed = new Set<string>();
  const denied = new Set<string>();
  let unknown = false;
  for (const value of statements) {
    const statement = TemplateValue.literalObject(value);
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
    if (!covers || (encryptionContext !== undefined && requiresOtherContext(statement.Condition, encryptionContext))) continue;
    if (source && pinnedToOtherSources(key.stack, statement.Condition, source)) continue;
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
  const literal = TemplateValue.literalObject(principal);
  if (!literal) return undefined;
  const aws = literal.AWS;
  if (aws === '*' || (Array.isArray(aws) && aws.includes('*'))) return true;
  const names = literal.Service === undefined ? [] : elementValues(literal.Service);
  const verdicts = names.map(service);
  if (verdicts.includes(true)) return true;
  return verdicts.every(v => v === false) ? false : undefined;
}

/** The action patterns of a statement, or undefined when they cannot be read. */
function actionsOf(action: unknown): readonly string[] | undefined {
  const actions = elementValues(action);
  return actions.every(a => typeof a === 'string') ? actions as string[] : undefined;
}

/**
 * How a key's policy lets a role use it: `direct` when a statement allows the role itself (by its ARN, across stacks)
 * the action; `account` when it delegates to the account's IAM policies (the account root, as CDK's default key policy
 * does, or no KeyPolicy, whose default does the same); `none` when neither; undefined when the policy cannot be read.
 */
export function keyPolicyForRole(key: TemplateResource, role: TemplateResource, action: string): RoleAccess {
  let byRole = ROLE_VERDICTS.get(key);
  if (!byRole) ROLE_VERDICTS.set(key, byRole = new Map());
  let byAction = byRole.get(role);
  if (!byAction) byRole.set(role, byAction = new Map());
  if (!byAction.has(action)) byAction.set(action, judgeForRole(key, role, action));
  return byAction.get(action);
}

type RoleAccess = 'direct' | 'account' | 'none' | undefined;

// Verdicts by key, role and action: a role reading or writing several targets on one key asks its policy the same question.
const ROLE_VERDICTS = new WeakMap<TemplateResource, Map<TemplateResource, Map<string, RoleAccess>>>();

function judgeForRole(key: TemplateResource, role: TemplateResource, action: string): RoleAccess {
  if (!key.properties || policyRewrittenAtDeploy(key)) return undefined;
  const policy = key.properties.KeyPolicy;
  if (policy === undefined) return 'account';
  const document = TemplateValue.literalObject(policy);
  if (!document) return undefined;
  let account = false;
  for (const value of elementValues(document.Statement)) {
    const statement = TemplateValue.literalObject(value);
    if (!statement) return undefined;
    if (statement.Effect !== 'Allow' || statement.NotAction !== undefined || statement.NotPrincipal !== undefined) continue;
    if (!literalStrings(statement.Action).some(pattern => actionPattern(pattern).test(action))) continue;
    if (statement.Principal === '*') return 'direct';
    const aws = TemplateValue.literalObject(statement.Principal)?.AWS;
    for (const entry of aws === undefined ? [] : elementValues(aws)) {
      if (entry === '*') return 'direct';
      if (isAccountPrincipal(key.stack, entry)) account = true;
      else if (followedResource(key.stack, entry, 'AWS::IAM::Role') === role) return 'direct';
    }
  }
  return account ? 'account' : 'none';
}

/** Whether an `AWS` principal is a whole account: its id, or its root ARN (CDK joins `arn:`, the partition and `:iam::<id>:root`). */
function isAccountPrincipal(stack: StackTemplate, principal: unknown): boolean {
  if (typeof principal === 'string') return /^\d{12}$|:root$/.test(principal);
  const last = TemplateValue.stringParts(principal, stack)?.at(-1);
  return typeof last === 'string' && last.endsWith(':root');
}

const CUSTOM_RESOURCE = /^(Custom::|AWS::CloudFormation::CustomResource$)/;

/** What the rules that read key policies say of keys `policyRewrittenAtDeploy` finds. */
export const REWRITTEN_KEY_POLICY_NOT_JUDGED = 'Not judged: a key whose policy a custom resource of its template may rewrite at deploy time ' +
  '(the custom resource names the key and a policy of the template allows kms:PutKeyPolicy on it, as aws-solutions-constructs\' key policy updater does).';

/**
 * Whether a custom resource may rewrite the key's policy at deploy time: a custom resource of the key's template names
 * the key in its properties, and an identity policy of that template allows `kms:PutKeyPolicy` on the key (its ARN, or
 * "*"). aws-solutions-constructs' CloudFront-to-S3 pattern does this to let a distribution decrypt a bucket's objects.
 * The policy the template shows is then not the one the key ends with, so whom it allows is not judged.
 */
export function policyRewrittenAtDeploy(key: TemplateResource): boolean {
  return key.stack.memo('KeyPolicy.rewritten-at-deploy', () => rewrittenKeys(key.stack)).has(key.logicalId);
}

function rewrittenKeys(stack: StackTemplate): ReadonlySet<string> {
  const named = new Set<string>();
  for (const element of templateReferences(stack).elements) {
    if (element.section !== 'Resources' || !element.type || !CUSTOM_RESOURCE.test(element.type)) continue;
    for (const reference of element.references) {
      if (reference.location.startsWith('Properties/') && stack.resource(reference.target)?.type === 'AWS::KMS::Key') named.add(reference.target);
    }
  }
  const rewritten = new Set<string>();
  if (named.size === 0) return rewritten;
  const putKeyPolicy = 'kms:PutKeyPolicy';
  for (const type of IDENTITY_POLICY_TYPES) {
    for (const policy of stack.resourcesOfType(type)) {
      for (const { statement } of policyStatements(policy)) {
        if (statement.Effect !== 'Allow' || !literalStrings(statement.Action).some(pattern => actionPattern(pattern).test(putKeyPolicy))) continue;
        for (const resource of elementValues(statement.Resource)) {
          if (resource === '*') named.forEach(id => rewritten.add(id));
          const target = TemplateValue.referencedId(resource);
          if (target !== undefined && named.has(target)) rewritten.add(target);
        }
      }
    }
  }
  return rewritten;
}
