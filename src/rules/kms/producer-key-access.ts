import { Delivery, ProducingService, deliveriesOf, listOf, objectOf, resolveReference } from '../events/deliveries';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';

// What a service needs on the target's key to write into an encrypted queue or topic (SQS and SNS developer guides, "key management", checked 2026-11).
const NEEDED_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];
const AWS_MANAGED_ALIAS = /^(arn:[^:]+:kms:[^:]*:[^:]*:)?alias\/aws\//;

/** The key of a queue or topic as far as the template says. */
type TargetKey =
  | { readonly kind: 'customer'; readonly key: TemplateResource }
  | { readonly kind: 'awsManaged'; readonly alias: string }
  | { readonly kind: 'unknown' };

/**
 * C05: an SQS queue or SNS topic encrypted with a customer key of this template lets every AWS service that
 * delivers into it (SNS subscriptions, EventBridge rule targets and dead-letter queues, CloudWatch alarm actions,
 * S3 notifications) use that key: its key policy allows `<service>.amazonaws.com` kms:GenerateDataKey* and
 * kms:Decrypt. A target on an AWS managed key (`alias/aws/sqs`, `alias/aws/sns`) can never allow a service. Keys
 * the template does not define (imported ARNs, intrinsics) and key policies that cannot be read are unknown.
 */
export class ProducerKeyAccess implements FintechRule {
  /** Metadata of `Fintech-C05-ProducerWithoutKeyAccess`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C05-ProducerWithoutKeyAccess',
    catalogId: 'C05',
    title: 'Services that deliver into an encrypted queue or topic may use its key',
    description: 'SNS, EventBridge, CloudWatch and S3 deliver into an encrypted queue or topic with the target\'s KMS key; when the key policy does not allow the service, every delivery fails silently (no error at deploy time, only a failed-delivery metric) and payment events or alarms never arrive.',
    fix: 'Use SecureTopic.subscribeQueue, SecureQueue.allowProducer or SecureTopic.allowPublisher (DataKey.allowService), or add a key policy statement allowing <service>.amazonaws.com kms:GenerateDataKey* and kms:Decrypt.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'ProducerKeyAccess';
  public readonly infos = [ProducerKeyAccess.INFO];
  public readonly resourceTypes = ['AWS::SQS::Queue', 'AWS::SNS::Topic'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const producers = resource.stack.memo('ProducerKeyAccess.producers', () => producersByTarget(resource.stack)).get(resource.logicalId);
    const keyId = resource.properties?.KmsMasterKeyId;
    if (!producers || keyId === undefined) return [];
    const key = targetKey(resource.stack, keyId);
    if (key.kind === 'unknown') return [];
    const services = [...new Set(producers.map(p => p.service))];
    const missing = key.kind === 'awsManaged' ? services : services.filter(service => keyAllows(key.key, service) === false);
    if (missing.length === 0) return [];
    const who = missing.map(service => `${service}.amazonaws.com (${producers.filter(p => p.service === service).map(p => `${p.producer.type} ${p.producer.logicalId}`).join(', ')})`).join(', ');
    const principals = missing.map(service => `${service}.amazonaws.com`).join(', ');
    if (key.kind === 'awsManaged') {
      return [findingOn(resource, ProducerKeyAccess.INFO.id,
        `${resource.type} ${resource.logicalId} is encrypted with the AWS managed key "${key.alias}", which no service can be allowed to use, ` +
        `so deliveries by ${who} fail.`,
        ['Properties/KmsMasterKeyId'],
        `Encrypt it with a customer key (DataKey, as SecureQueue and SecureTopic do) whose key policy allows ${principals} kms:GenerateDataKey* and kms:Decrypt.`)];
    }
    return [findingOn(resource, ProducerKeyAccess.INFO.id,
      `${resource.type} ${resource.logicalId} is encrypted with ${key.key.type} ${key.key.logicalId}, whose key policy does not allow ${who} ` +
      'kms:GenerateDataKey* and kms:Decrypt, so their deliveries fail.',
      ['Properties/KmsMasterKeyId'],
      `Allow ${principals} kms:GenerateDataKey* and kms:Decrypt in the key policy: SecureTopic.subscribeQueue, SecureQueue.allowProducer, ` +
      'SecureTopic.allowPublisher or DataKey.allowService do it.')];
  }
}

function producersByTarget(stack: StackTemplate): ReadonlyMap<string, readonly Delivery[]> {
  const byTarget = new Map<string, Delivery[]>();
  for (const delivery of deliveriesOf(stack)) {
    if (delivery.target.kind !== 'resource') continue;
    const list = byTarget.get(delivery.target.resource.logicalId);
    if (list) list.push(delivery); else byTarget.set(delivery.target.resource.logicalId, [delivery]);
  }
  return byTarget;
}

/** The key a `KmsMasterKeyId` names: a key of this template (by Ref, GetAtt, alias resource or alias name), an AWS managed alias, or unknown. */
function targetKey(stack: StackTemplate, value: unknown): TargetKey {
  if (typeof value === 'string' && AWS_MANAGED_ALIAS.test(value)) return { kind: 'awsManaged', alias: value.replace(/^arn:[^:]+:kms:[^:]*:[^:]*:/, '') };
  const aliasName = typeof value === 'string' ? /^(?:arn:[^:]+:kms:[^:]*:[^:]*:)?(alias\/.+)$/.exec(value)?.[1] : undefined;
  const named = aliasName ? stack.resourcesOfType('AWS::KMS::Alias').find(alias => alias.properties?.AliasName === aliasName) : undefined;
  const reference = named ? { kind: 'resource' as const, resource: named } : resolveReference(stack, value);
  if (reference.kind !== 'resource') return { kind: 'unknown' };
  let resource = reference.resource;
  if (resource.type === 'AWS::KMS::Alias') {
    const target = resolveReference(stack, resource.properties?.TargetKeyId);
    if (target.kind !== 'resource') return { kind: 'unknown' };
    resource = target.resource;
  }
  return resource.type === 'AWS::KMS::Key' ? { kind: 'customer', key: resource } : { kind: 'unknown' };
}

/**
 * Whether the key policy allows the service both needed actions; undefined when a statement that might matter
 * cannot be read. Without a KeyPolicy, KMS's default policy allows only the account, not services.
 */
function keyAllows(key: TemplateResource, service: ProducingService): boolean | undefined {
  if (!key.properties) return undefined;
  const policy = key.properties.KeyPolicy;
  if (policy === undefined) return false;
  const document = objectOf(policy);
  if (!document) return undefined;
  const statements = Array.isArray(document.Statement) ? document.Statement : [document.Statement];
  const allowed = new Set<string>();
  let unknown = false;
  for (const value of statements) {
    const statement = objectOf(value);
    if (!statement) {
      unknown = true;
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
    for (const needed of NEEDED_ACTIONS) {
      if (actions!.some(pattern => matches(pattern, needed))) allowed.add(needed);
    }
  }
  if (NEEDED_ACTIONS.every(action => allowed.has(action))) return true;
  return unknown ? undefined : false;
}

/** Whether a principal includes the service; `*` (anyone) does. An `AWS` account principal never does. */
function coversService(principal: unknown, service: ProducingService): boolean | undefined {
  if (principal === '*') return true;
  const literal = objectOf(principal);
  if (!literal) return undefined;
  const aws = literal.AWS;
  if (aws === '*' || (Array.isArray(aws) && aws.includes('*'))) return true;
  const names = literal.Service === undefined ? [] : Array.isArray(literal.Service) ? literal.Service : [literal.Service];
  const wanted = new RegExp(`^${service}\\.amazonaws\\.com(\\.cn)?$`, 'i');
  if (names.some(name => typeof name === 'string' && wanted.test(name))) return true;
  return names.every(name => typeof name === 'string') ? false : undefined;
}

/** The action patterns of a statement, or undefined when they cannot be read. */
function actionsOf(action: unknown): readonly string[] | undefined {
  const actions = listOf(Array.isArray(action) ? action : [action]);
  return actions.every(a => typeof a === 'string') ? actions as string[] : undefined;
}

/** IAM action matching: case-insensitive, `*` and `?` wildcards. */
function matches(pattern: string, action: string): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(action);
}
