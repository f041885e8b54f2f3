import { NamedKey, keyPolicyForRole, namedKey } from './key-policy';
import { KMS_FREE_MANAGED_POLICIES } from '../../facts/kms-free-managed-policies';
import { FollowedValue, followedId, followedResource, listOf, resolveAcrossStacks } from '../events/deliveries';
import { PolicyStatement, actionPattern, elementValues, literalStrings, policyStatements } from '../iam/policy-statements';
import { RuleFinding, findingOn } from '../rule';
import { StackTemplate, TemplatePeers, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** What a role does with a target: sends into it (puts objects into a bucket), or receives from it (gets its objects). */
export type TargetAccess = 'send' | 'receive';

/**
 * A role of the templates whose identity policies allow it to send into a queue, publish to a topic, put records into a
 * stream or objects into a bucket, or to receive from a queue, get records from a stream or objects from a bucket.
 */
export interface TargetRole {
  /** The role. */
  readonly role: TemplateResource;
  /** The policy (or the role itself, for an inline policy) with the statement that allows the access. */
  readonly policy: TemplateResource;
  /** Every literal statement of the role's identity policies, each with the resource it is written in. */
  readonly statements: readonly RoleStatement[];
}

/** One statement of a role's identity policies. */
export interface RoleStatement extends PolicyStatement {
  /** The policy resource (or role) the statement is written in; its stack resolves the statement's references. */
  readonly policy: TemplateResource;
}

/** One access of `TARGET_ACCESS`. */
export interface TargetAccessSpec {
  /** The action of the access, per target type. */
  readonly actions: Readonly<Record<string, string>>;
  /** The KMS action the access needs on the target's customer key. */
  readonly keyAction: string;
  /** How the access fails without it, on a queue, topic or stream (a bucket answers AccessDenied). */
  readonly failure: string;
}

/**
 * The action of each access to each target type, and the KMS action it needs on the target's customer key: a send
 * asks KMS for a data key, a receive decrypts (SQS, Kinesis and S3 developer guides, "key management" / SSE-KMS).
 */
export const TARGET_ACCESS: Readonly<Record<TargetAccess, TargetAccessSpec>> = {
  send: {
    actions: { 'AWS::SQS::Queue': 'sqs:SendMessage', 'AWS::SNS::Topic': 'sns:Publish', 'AWS::Kinesis::Stream': 'kinesis:PutRecord', 'AWS::S3::Bucket': 's3:PutObject' },
    keyAction: 'kms:GenerateDataKey',
    failure: 'KMS.AccessDeniedException',
  },
  // An SNS topic has no receiver: it decrypts for its subscriptions itself.
  receive: {
    actions: { 'AWS::SQS::Queue': 'sqs:ReceiveMessage', 'AWS::Kinesis::Stream': 'kinesis:GetRecords', 'AWS::S3::Bucket': 's3:GetObject' },
    keyAction: 'kms:Decrypt',
    failure: 'a KMS access error',
  },
};

const KMS_FREE = new Set(KMS_FREE_MANAGED_POLICIES.map(name => name.toLowerCase()));

/**
 * The roles that may send into `target` (an SQS queue, SNS topic, Kinesis stream or a bucket's objects, encrypted with a
 * KMS key: `targetKey`), or receive from it, by their identity policies, over every template validated with it: an Allow of the access's action
 * (`TARGET_ACCESS`, or a pattern covering it) naming the target (by Ref or GetAtt, across stacks; a bucket by an ARN of
 * its objects; a queue, topic or stream by an ARN joined from its name, as SAM policy templates write it).
 * Left out, because their other grants cannot be read: roles with a managed policy outside `KMS_FREE_MANAGED_POLICIES`
 * that the templates do not define, and every role when some policy of the templates attaches to a role they cannot
 * name (an imported role name), which may be one of them.
 */
export function targetRoles(target: TemplateResource, access: TargetAccess): readonly TargetRole[] {
  return rolesByTarget(target.stack.peers)[access].get(target) ?? [];
}

type RolesByTarget = ReadonlyMap<TemplateResource, readonly TargetRole[]>;

function rolesByTarget(peers: TemplatePeers): Readonly<Record<TargetAccess, RolesByTarget>> {
  return peers.memo('target-roles', () => {
    const none = { send: new Map(), receive: new Map() };
    // Each policy's statements, and the targets each statement reaches, are read once, however many roles it is attached to.
    const statementsOf = new Map<TemplateResource, readonly PolicyStatement[]>();
    const read = (policy: TemplateResource) => {
      let statements = statementsOf.get(policy);
      if (!statements) statementsOf.set(policy, statements = policyStatements(policy));
      return statements;
    };
    // Only targets on a KMS key are asked about: where no target of a type is, statements allowing its access need no resolving.
    const keyed = new Set<TemplateResource>();
    for (const stack of peers.templates) {
      for (const type of TARGET_TYPES) for (const target of stack.resourcesOfType(type)) if (targetKey(target) !== undefined) keyed.add(target);
    }
    if (keyed.size === 0) return none;
    const entries = ACCESS_ENTRIES.filter(entry => [...keyed].some(target => target.type === entry.type));
    const reachedBy = new Map<PolicyStatement, readonly TargetReach[]>();
    const reached = (statement: PolicyStatement, policy: TemplateResource) => {
      let reach = reachedBy.get(statement);
      if (!reach) reachedBy.set(statement, reach = reachedTargets(statement, policy, entries).filter(({ target }) => keyed.has(target)));
      return reach;
    };
    // Most apps send into and receive from nothing by hand-written or granted policies: then no role needs its attachments resolved.
    const any = peers.templates.some(stack => ROLE_POLICY_TYPES.some(type =>
      stack.resourcesOfType(type).some(policy => read(policy).some(statement => reached(statement, policy).length > 0))));
    if (!any) return none;
    // The policies attached to each role (its own inline policies first), and the roles whose other grants cannot be read.
    const policiesOf = new Map<TemplateResource, TemplateResource[]>();
    const opaque = new Set<TemplateResource>();
    const attach = (role: TemplateResource, policy: TemplateResource) => {
      const list = policiesOf.get(role);
      if (!list) policiesOf.set(role, [policy]); else list.push(policy);
    };
    for (const stack of peers.templates) {
      for (const role of stack.resourcesOfType('AWS::IAM::Role')) {
        attach(role, role);
        for (const arn of listOf(role.properties?.ManagedPolicyArns)) {
          const managed = followedResource(stack, arn, 'AWS::IAM::ManagedPolicy');
          if (managed) attach(role, managed);
          else if (!isKmsFree(stack, arn)) opaque.add(role);
        }
      }
      for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
        for (const policy of stack.resourcesOfType(type)) {
          for (const name of listOf(policy.properties?.Roles)) {
            const role = followedResource(stack, name, 'AWS::IAM::Role');
            // A policy on a role the templates cannot name may be on any of them: nothing is judged.
            if (!role) return none;
            attach(role, policy);
          }
        }
      }
    }
    const byAccess = { send: new Map<TemplateResource, TargetRole[]>(), receive: new Map<TemplateResource, TargetRole[]>() };
    for (const [role, policies] of policiesOf) {
      if (opaque.has(role)) continue;
      // A role's statements are gathered when a rule first asks for them: only where the key policy leaves the role to the account's IAM policies.
      let all: readonly RoleStatement[] | undefined;
      const statementsOfRole = () => all ??= policies.flatMap(attached => read(attached).map(s => ({ ...s, policy: attached })));
      for (const policy of policies) {
        for (const statement of read(policy)) {
          for (const { access, target } of reached(statement, policy)) {
            const byTarget = byAccess[access];
            let list = byTarget.get(target);
            if (!list) byTarget.set(target, list = []);
            if (!list.some(entry => entry.role === role)) list.push({ role, policy, get statements() { return statementsOfRole(); } });
          }
        }
      }
    }
    return byAccess;
  });
}

/** A target an Allow statement lets its principal access, and how. */
interface TargetReach {
  readonly access: TargetAccess;
  readonly target: TemplateResource;
}

/** The queues, topics, streams and buckets an Allow statement lets its principal send into or receive from (put or get objects). */
function reachedTargets({ statement: body }: PolicyStatement, policy: TemplateResource, entries: readonly AccessEntry[]): TargetReach[] {
  if (body.Effect !== 'Allow' || body.NotAction !== undefined || body.NotResource !== undefined) return [];
  // Only `*` and the target services' patterns can name an access; most statements have none.
  const actions = literalStrings(body.Action).filter(action => action.startsWith('*') || TARGET_SERVICE.test(action));
  if (actions.length === 0) return [];
  const allowed = entries.filter(entry => actions.some(action => actionPattern(action).test(entry.action)));
  if (allowed.length === 0) return [];
  const reach: TargetReach[] = [];
  for (const value of elementValues(body.Resource)) {
    if (typeof value === 'string') continue;
    const id = followedId(policy.stack, value);
    // A bucket's own ARN names no object: a put or get is allowed on its objects' ARNs only.
    const target = id.kind === 'resource' ? (id.resource.type === 'AWS::S3::Bucket' ? undefined : id.resource)
      : joinedArnTarget(policy.stack, value);
    if (!target) continue;
    for (const { access, type } of allowed) if (type === target.type) reach.push({ access, target });
  }
  return reach;
}

/**
 * The target an ARN joined from references names (`objectsBucket`, `arnFromName`). The whole ARN may come from another
 * stack (a nested stack's parameter, an import): it is followed there first.
 */
function joinedArnTarget(stack: StackTemplate, value: unknown): TemplateResource | undefined {
  const whole = resolveAcrossStacks(stack, value);
  const parts = TemplateValue.stringParts(whole.value, whole.stack);
  return parts && (objectsBucket(whole, parts) ?? arnFromName(whole, parts));
}

/**
 * The bucket whose objects an ARN joined from a reference names: the bucket's `Arn` followed by `/<key pattern>`, or its
 * name (Ref) inside `arn:<partition>:s3:::<name>/<key pattern>`, as grants and Step Functions tasks write them. A bucket
 * ARN alone names no object, and an ARN written out as text is not resolved.
 */
function objectsBucket(whole: FollowedValue, parts: readonly unknown[]): TemplateResource | undefined {
  for (let i = 0; i < parts.length - 1; i++) {
    const next = parts[i + 1];
    if (typeof parts[i] === 'string' || typeof next !== 'string' || !next.startsWith('/')) continue;
    const named = resolveAcrossStacks(whole.stack, parts[i]);
    const bucket = named.target.kind === 'resource' && named.target.resource.type === 'AWS::S3::Bucket' ? named.target.resource : undefined;
    const before = parts[i - 1];
    const byArn = TemplateValue.getAtt(named.value)?.attribute === 'Arn';
    const byName = TemplateValue.refTarget(named.value) !== undefined && typeof before === 'string' && before.endsWith(':s3:::');
    if (bucket && (byArn || byName)) return bucket;
  }
  return undefined;
}

/**
 * How the ARN of a queue, topic or stream is joined from its name: the service, the text between the account and the
 * name, and the reference that gives the name.
 */
interface ArnFromName {
  readonly type: string;
  readonly service: string;
  readonly resource: string;
  readonly name: (value: unknown) => string | undefined;
}
const ARNS_FROM_NAMES: readonly ArnFromName[] = [
  { type: 'AWS::SQS::Queue', service: 'sqs', resource: '', name: value => attributeTarget(value, 'QueueName') },
  { type: 'AWS::SNS::Topic', service: 'sns', resource: '', name: value => attributeTarget(value, 'TopicName') },
  { type: 'AWS::Kinesis::Stream', service: 'kinesis', resource: 'stream/', name: value => TemplateValue.refTarget(value) },
];

/**
 * The queue, topic or stream an ARN joined from its name names, in the same account and region: `arn:<partition>:sqs:`
 * `${AWS::Region}:${AWS::AccountId}:` and the queue's `QueueName` attribute (a topic's `TopicName`; a stream's Ref after
 * `:stream/`), as the AWS SAM policy templates (SQSPollerPolicy, SNSPublishMessagePolicy, KinesisStreamReadPolicy) and
 * hand-written `Fn::Sub` ARNs write them. The region and account are the pseudo parameters, or the stack's own when its
 * environment is literal; an ARN naming another account or region, or one the templates cannot tell, is not resolved.
 */
function arnFromName(whole: FollowedValue, parts: readonly unknown[]): TemplateResource | undefined {
  const last = parts[parts.length - 1];
  if (parts.length < 2 || typeof last === 'string') return undefined;
  const before = parts.slice(0, -1).map(part => {
    if (typeof part === 'string') return part;
    const pseudo = TemplateValue.refTarget(part);
    return pseudo === 'AWS::Partition' ? 'aws' : pseudo === 'AWS::Region' || pseudo === 'AWS::AccountId' ? `{${pseudo}}` : undefined;
  });
  if (before.includes(undefined)) return undefined;
  const named = resolveAcrossStacks(whole.stack, last);
  if (named.target.kind !== 'resource') return undefined;
  const resource = named.target.resource;
  const form = ARNS_FROM_NAMES.find(arn => arn.type === resource.type);
  if (!form || form.name(named.value) !== resource.logicalId) return undefined;
  // The stack whose region and account the ARN was written in: the one where the literal text was resolved.
  const own = (pseudo: string) => {
    const literal = whole.stack.pseudoParameter(pseudo);
    return literal === undefined ? `\\{${pseudo}\\}` : `(?:\\{${pseudo}\\}|${escaped(literal)})`;
  };
  return new RegExp(`^arn:[a-z-]+:${form.service}:${own('AWS::Region')}:${own('AWS::AccountId')}:${form.resource}$`).test(before.join('')) ? resource : undefined;
}

function escaped(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function attributeTarget(value: unknown, attribute: string): string | undefined {
  const att = TemplateValue.getAtt(value);
  return att?.attribute === attribute ? att.logicalId : undefined;
}

/** One access of `TARGET_ACCESS`: its action on a target type. */
interface AccessEntry {
  readonly access: TargetAccess;
  readonly type: string;
  readonly action: string;
}

const ACCESS_ENTRIES: readonly AccessEntry[] = (Object.keys(TARGET_ACCESS) as TargetAccess[]).flatMap(access =>
  Object.entries(TARGET_ACCESS[access].actions).map(([type, action]) => ({ access, type, action })));
const TARGET_TYPES = [...new Set(ACCESS_ENTRIES.map(entry => entry.type))];
const TARGET_SERVICE = new RegExp(`^(${[...new Set(ACCESS_ENTRIES.map(entry => entry.action.split(':')[0]))].join('|')}):`, 'i');
const ROLE_POLICY_TYPES = ['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'];

/** Whether a managed policy ARN names an AWS managed policy known to allow no KMS action. */
function isKmsFree(stack: StackTemplate, arn: unknown): boolean {
  const text = joinedText(stack, arn);
  const name = text && /:iam::aws:policy\/(.+)$/.exec(text)?.[1];
  return name !== undefined && name !== '' && KMS_FREE.has(name.toLowerCase());
}

/** A value joining literals and pseudo parameters as text (CDK's `arn:${AWS::Partition}:iam::aws:policy/...`). */
function joinedText(stack: StackTemplate, value: unknown): string | undefined {
  const parts = TemplateValue.stringParts(value, stack);
  if (parts === undefined) return undefined;
  const texts = parts.map(part => (typeof part === 'string' ? part : TemplateValue.refTarget(part) === 'AWS::Partition' ? 'aws' : undefined));
  return texts.every(text => text !== undefined) ? texts.join('') : undefined;
}

/**
 * Whether the role's identity policies allow `action` on the key: an Allow naming the action (or a pattern covering it)
 * on `*`, on the key (by Ref or GetAtt, across stacks), or on something the templates cannot resolve (an ARN written
 * out, an alias), which may be the key.
 */
export function roleMayUseKey(statements: readonly RoleStatement[], key: TemplateResource, action: string): boolean {
  return kmsStatementsOf(statements).some(({ statement, policy }) => {
    if (statement.Effect !== 'Allow' || statement.NotAction !== undefined) return false;
    if (!literalStrings(statement.Action).some(pattern => actionPattern(pattern).test(action))) return false;
    if (statement.NotResource !== undefined) return true;
    return elementValues(statement.Resource).some(value => {
      if (value === '*') return true;
      const id = followedId(policy.stack, value);
      return id.kind !== 'resource' || id.resource === key;
    });
  });
}

/** The Allow statements of a role that may name a KMS action (`kms:`, or a pattern starting with a wildcard), read once per role. */
function kmsStatementsOf(statements: readonly RoleStatement[]): readonly RoleStatement[] {
  let kms = KMS_STATEMENTS.get(statements);
  if (!kms) {
    KMS_STATEMENTS.set(statements, kms = statements.filter(({ statement }) => statement.Effect === 'Allow' && statement.NotAction === undefined &&
      literalStrings(statement.Action).some(action => action.startsWith('*') || /^kms:/i.test(action))));
  }
  return kms;
}

const KMS_STATEMENTS = new WeakMap<readonly RoleStatement[], readonly RoleStatement[]>();

/**
 * The roles of `roles` that may not use `key` for `action`: the key policy neither names them nor delegates to the account's
 * IAM policies, or it delegates and their own policies do not allow the action on the key (`roleMayUseKey`). A key policy
 * that cannot be read leaves every role unjudged.
 */
export function rolesDeniedKey(key: TemplateResource, roles: readonly TargetRole[], action: string): TargetRole[] {
  return roles.filter(targetRole => {
    let byKey = DENIALS.get(targetRole.role);
    if (!byKey) DENIALS.set(targetRole.role, byKey = new Map());
    let byAction = byKey.get(key);
    if (!byAction) byKey.set(key, byAction = new Map());
    let denied = byAction.get(action);
    if (denied === undefined) byAction.set(action, denied = deniedKey(key, targetRole, action));
    return denied;
  });
}

// Verdicts by role, key and action: a role that reads and writes several targets on one key is judged once.
const DENIALS = new WeakMap<TemplateResource, Map<TemplateResource, Map<string, boolean>>>();

function deniedKey(key: TemplateResource, { role, statements }: TargetRole, action: string): boolean {
  const byKeyPolicy = keyPolicyForRole(key, role, action);
  if (byKeyPolicy === undefined || byKeyPolicy === 'direct') return false;
  return byKeyPolicy === 'none' || !roleMayUseKey(statements, key, action);
}

/**
 * The finding of `ruleId` on a target encrypted with the customer key `key`, naming the roles of `roles` that may not use
 * the key for their access (`rolesDeniedKey`), each with the policy that allows the access; none when every role may.
 */
export function deniedRolesFindings(
  target: TemplateResource, key: TemplateResource, roles: readonly TargetRole[], access: TargetAccess, ruleId: string, fix: string,
): RuleFinding[] {
  const { keyAction, actions, failure } = TARGET_ACCESS[access];
  const denied = rolesDeniedKey(key, roles, keyAction);
  if (denied.length === 0) return [];
  const action = actions[target.type];
  const who = denied.map(({ role, policy }) => `${role.type} ${role.logicalId}${role.stack === target.stack ? '' : ` (in ${role.stack.path})`}` +
    ` (${policy === role ? 'its inline policy' : `${policy.type} ${policy.logicalId}`} allows ${action})`).join(', ');
  return [findingOn(target, ruleId,
    `${target.type} ${target.logicalId} is encrypted with ${key.type} ${key.logicalId}, but ${who} may not use that key (${keyAction}), ` +
    `so every ${action} by ${denied.length === 1 ? 'it' : 'them'} fails with ${target.type === 'AWS::S3::Bucket' ? 'AccessDenied' : failure}.`,
    [targetKeyLocation(target)],
    fix)];
}

/**
 * The key a target is encrypted with, as its template names it: a queue's or topic's `KmsMasterKeyId`, a stream's KMS
 * key, or the key a bucket's default encryption puts new objects under; undefined when it has none.
 */
export function targetKey(resource: TemplateResource): unknown {
  return KEY_OF[resource.type]?.(resource);
}

/**
 * The key a target is encrypted with (`targetKey`), found as `namedKey` finds it, once per target for every rule that asks;
 * undefined when the target has none.
 */
export function targetNamedKey(resource: TemplateResource): NamedKey | undefined {
  if (!NAMED_KEYS.has(resource)) {
    const keyId = targetKey(resource);
    NAMED_KEYS.set(resource, keyId === undefined ? undefined : namedKey(resource.stack, keyId));
  }
  return NAMED_KEYS.get(resource);
}

const NAMED_KEYS = new WeakMap<TemplateResource, NamedKey | undefined>();

/** Where a target's template names its key, for a finding's location. */
export function targetKeyLocation(resource: TemplateResource): string {
  return KEY_LOCATION[resource.type] ?? 'Properties/KmsMasterKeyId';
}

/** The key of a stream encrypted with KMS (`StreamEncryption` written out; CDK's `Fn::If` is only for AWS managed keys). */
function kmsStreamKey(resource: TemplateResource): unknown {
  const encryption = resource.properties?.StreamEncryption;
  return TemplateValue.isObject(encryption) && !TemplateValue.isIntrinsic(encryption) && encryption.EncryptionType === 'KMS' ? encryption.KeyId : undefined;
}

/**
 * The key a bucket's default encryption puts new objects under: the KMS key of a rule with SSE-KMS (or DSSE-KMS). A rule
 * without a key uses the AWS managed `aws/s3`, which every principal of the account may use through S3.
 */
function bucketDefaultKey(resource: TemplateResource): unknown {
  const encryption = resource.properties?.BucketEncryption;
  const configuration = TemplateValue.isObject(encryption) ? encryption.ServerSideEncryptionConfiguration : undefined;
  const rules = Array.isArray(configuration) ? configuration : [];
  for (const rule of rules) {
    const byDefault = TemplateValue.isObject(rule) ? rule.ServerSideEncryptionByDefault : undefined;
    if (!TemplateValue.isObject(byDefault) || TemplateValue.isIntrinsic(byDefault)) continue;
    if ((byDefault.SSEAlgorithm === 'aws:kms' || byDefault.SSEAlgorithm === 'aws:kms:dsse') && byDefault.KMSMasterKeyID !== undefined) return byDefault.KMSMasterKeyID;
  }
  return undefined;
}

/** Where each target type names its key. */
const KEY_OF: Readonly<Record<string, (resource: TemplateResource) => unknown>> = {
  'AWS::SQS::Queue': resource => resource.properties?.KmsMasterKeyId,
  'AWS::SNS::Topic': resource => resource.properties?.KmsMasterKeyId,
  'AWS::Kinesis::Stream': kmsStreamKey,
  'AWS::S3::Bucket': bucketDefaultKey,
};

const KEY_LOCATION: Readonly<Record<string, string>> = {
  'AWS::Kinesis::Stream': 'Properties/StreamEncryption/KeyId',
  'AWS::S3::Bucket': 'Properties/BucketEncryption',
};
