import { ENCRYPTION_CONTEXT, globalService, keyPolicyAllows, namedKey } from './key-policy';
import { deliveriesInto } from '../events/deliveries';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

// What a service needs on the target's key to write into an encrypted queue or topic (SQS and SNS developer guides, "key management", checked 2026-11).
const NEEDED_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];

/**
 * C05: an SQS queue or SNS topic encrypted with a customer key of the validated templates (by reference, export, nested-stack
 * parameter, or an alias name a stack of the same account and region declares; `namedKey`) lets every AWS service that
 * delivers into it (SNS subscriptions, EventBridge rule targets and dead-letter queues, CloudWatch alarm actions,
 * S3 notifications, in its template or in another stack's of the validation) use that key: its key policy allows `<service>.amazonaws.com` kms:GenerateDataKey* and
 * kms:Decrypt. A target on an AWS managed key (`alias/aws/sqs`, `alias/aws/sns`) can never allow a service. Keys
 * the templates do not define (imported ARNs, intrinsics) and key policies that cannot be read are unknown. A statement
 * whose condition requires another service's encryption context (an event bus's, on a key the queue shares) does not count.
 */
export class ProducerKeyAccess implements FintechRule {
  /** Metadata of `Fintech-C05-ProducerWithoutKeyAccess`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C05-ProducerWithoutKeyAccess',
    catalogId: 'C05',
    title: 'Services that deliver into an encrypted queue or topic may use its key',
    description: 'SNS, EventBridge, CloudWatch and S3 deliver into an encrypted queue or topic with the target\'s KMS key; when the key policy does not allow the service, every delivery fails silently (no error at deploy time, only a failed-delivery metric) and payment events or alarms never arrive. ' +
      'A statement that requires another encryption context (kms:EncryptionContext:aws:events:event-bus:arn, as CDK writes for an encrypted event bus) does not count: the queue\'s or topic\'s encryption never carries it.',
    fix: 'Use SecureTopic.subscribeQueue, SecureQueue.allowProducer or SecureTopic.allowPublisher (DataKey.allowService), or add a key policy statement allowing <service>.amazonaws.com kms:GenerateDataKey* and kms:Decrypt.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'ProducerKeyAccess';
  public readonly infos = [ProducerKeyAccess.INFO];
  public readonly resourceTypes = ['AWS::SQS::Queue', 'AWS::SNS::Topic'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const producers = deliveriesInto(resource);
    const keyId = resource.properties?.KmsMasterKeyId;
    if (producers.length === 0 || keyId === undefined) return [];
    const key = namedKey(resource.stack, keyId);
    if (key.kind === 'unknown') return [];
    const services = [...new Set(producers.map(p => p.service))];
    const context = resource.type === 'AWS::SQS::Queue' ? ENCRYPTION_CONTEXT.queue : ENCRYPTION_CONTEXT.topic;
    const missing = key.kind === 'awsManaged' ? services : services.filter(service => keyPolicyAllows(key.key, globalService(service), NEEDED_ACTIONS, context) === false);
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
