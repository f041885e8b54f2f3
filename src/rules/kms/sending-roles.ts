import { KMS_FREE_MANAGED_POLICIES } from '../../facts/kms-free-managed-policies';
import { followedId, followedResource, listOf, resolveAcrossStacks } from '../events/deliveries';
import { PolicyStatement, actionPattern, elementValues, literalStrings, policyStatements } from '../iam/policy-statements';
import { StackTemplate, TemplatePeers, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** A role of the templates whose identity policies allow it to send into a queue, publish to a topic or put records into a stream. */
export interface SendingRole {
  /** The role. */
  readonly role: TemplateResource;
  /** The policy (or the role itself, for an inline policy) with the statement that allows the send. */
  readonly policy: TemplateResource;
  /** Every literal statement of the role's identity policies, each with the resource it is written in. */
  readonly statements: readonly RoleStatement[];
}

/** One statement of a role's identity policies. */
export interface RoleStatement extends PolicyStatement {
  /** The policy resource (or role) the statement is written in; its stack resolves the statement's references. */
  readonly policy: TemplateResource;
}

/** The action that sends into each target type (for a bucket: puts an object into it). */
export const SEND_ACTIONS: Readonly<Record<string, string>> = {
  'AWS::SQS::Queue': 'sqs:SendMessage',
  'AWS::SNS::Topic': 'sns:Publish',
  'AWS::Kinesis::Stream': 'kinesis:PutRecord',
  'AWS::S3::Bucket': 's3:PutObject',
};

const KMS_FREE = new Set(KMS_FREE_MANAGED_POLICIES.map(name => name.toLowerCase()));

/**
 * The roles that may send into `target` (an SQS queue, SNS topic or Kinesis stream) by their identity policies, over every
 * template validated with it: an Allow of `sqs:SendMessage` / `sns:Publish` / `kinesis:PutRecord` naming the target (by
 * Ref or GetAtt, across stacks).
 * Left out, because their other grants cannot be read: roles with a managed policy outside `KMS_FREE_MANAGED_POLICIES`
 * that the templates do not define, and every role when some policy of the templates attaches to a role they cannot
 * name (an imported role name), which may be one of them.
 */
export function sendingRoles(target: TemplateResource): readonly SendingRole[] {
  return rolesByTarget(target.stack.peers).get(target) ?? [];
}

function rolesByTarget(peers: TemplatePeers): ReadonlyMap<TemplateResource, readonly SendingRole[]> {
  return peers.memo('sending-roles', () => {
    // Each policy's statements are read once, however many roles it is attached to.
    const statementsOf = new Map<TemplateResource, readonly PolicyStatement[]>();
    const read = (policy: TemplateResource) => {
      let statements = statementsOf.get(policy);
      if (!statements) statementsOf.set(policy, statements = policyStatements(policy));
      return statements;
    };
    // Most apps send into nothing by hand-written or granted policies: then no role needs its attachments resolved.
    const sends = peers.templates.some(stack => SENDING_POLICY_TYPES.some(type =>
      stack.resourcesOfType(type).some(policy => read(policy).some(statement => sendTargets(statement, policy).length > 0))));
    if (!sends) return new Map();
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
            if (!role) return new Map();
            attach(role, policy);
          }
        }
      }
    }
    const bySends = new Map<TemplateResource, SendingRole[]>();
    for (const [role, policies] of policiesOf) {
      if (opaque.has(role)) continue;
      let all: readonly RoleStatement[] | undefined;
      for (const policy of policies) {
        for (const statement of read(policy)) {
          for (const target of sendTargets(statement, policy)) {
            let list = bySends.get(target);
            if (!list) bySends.set(target, list = []);
            all ??= policies.flatMap(attached => read(attached).map(s => ({ ...s, policy: attached })));
            if (!list.some(entry => entry.role === role)) list.push({ role, policy, statements: all });
          }
        }
      }
    }
    return bySends;
  });
}

/** The queues, topics, streams and buckets an Allow statement lets its principal send or put objects into. */
function sendTargets({ statement: body }: PolicyStatement, policy: TemplateResource): TemplateResource[] {
  if (body.Effect !== 'Allow' || body.NotAction !== undefined || body.NotResource !== undefined) return [];
  // Only `*` and the sending services' patterns can name a send; most statements have none.
  const actions = literalStrings(body.Action).filter(action => action.startsWith('*') || SENDING_SERVICE.test(action));
  if (actions.length === 0) return [];
  const sends = SEND_TYPES.filter(([, send]) => actions.some(action => actionPattern(action).test(send)));
  if (sends.length === 0) return [];
  const targets: TemplateResource[] = [];
  for (const value of elementValues(body.Resource)) {
    if (typeof value === 'string') continue;
    const id = followedId(policy.stack, value);
    // A bucket's own ARN names no object: a put is allowed on its objects' ARNs only.
    const target = id.kind === 'resource' ? (id.resource.type === 'AWS::S3::Bucket' ? undefined : id.resource) : objectsBucketAcrossStacks(policy.stack, value);
    if (target && sends.some(([type]) => type === target.type)) targets.push(target);
  }
  return targets;
}

/**
 * The bucket whose objects an ARN joined from a reference names: the bucket's `Arn` followed by `/<key pattern>`, or its
 * name (Ref) inside `arn:<partition>:s3:::<name>/<key pattern>`, as grants and Step Functions tasks write them. A bucket
 * ARN alone names no object, and an ARN written out as text is not resolved.
 */
function objectsBucketAcrossStacks(stack: StackTemplate, value: unknown): TemplateResource | undefined {
  // The whole ARN may come from another stack (a nested stack's parameter, an import).
  const whole = resolveAcrossStacks(stack, value);
  const parts = TemplateValue.stringParts(whole.value, whole.stack);
  if (!parts) return undefined;
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

const SEND_TYPES = Object.entries(SEND_ACTIONS);
const SENDING_SERVICE = new RegExp(`^(${[...new Set(Object.values(SEND_ACTIONS).map(a => a.split(':')[0]))].join('|')}):`, 'i');
const SENDING_POLICY_TYPES = ['AWS::IAM::Role', 'AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy'];

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
  return statements.some(({ statement, policy }) => {
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
