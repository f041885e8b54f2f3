import { ENCRYPTION_CONTEXT, REWRITTEN_KEY_POLICY_NOT_JUDGED, NamedKey, globalService, keyPolicyAllows } from './key-policy';
import { TargetRole, deniedRolesFindings, targetKey, targetKeyLocation, targetNamedKey, targetRoles } from './target-roles';
import { Delivery, deliveriesInto, deliveringServices, deliverySource } from '../events/deliveries';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

// What a service needs on the target's key to write into an encrypted queue or topic (SQS and SNS developer guides, "key management", checked 2026-11).
const NEEDED_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];
// What a logs service needs to write an object under a bucket's default key: the data key. The VPC, WAF and ELB guides'
// statements for delivery.logs.amazonaws.com list more (kms:Decrypt for multipart uploads among them); only this one is asked for.
const BUCKET_ACTIONS = ['kms:GenerateDataKey'];

/**
 * C05: an SQS queue or SNS topic encrypted with a customer key of the validated templates (by reference, export, nested-stack
 * parameter, or an alias name a stack of the same account and region declares; `namedKey`) lets every AWS service that
 * delivers into it (SNS subscriptions, EventBridge rule targets and dead-letter queues, CloudWatch alarm actions,
 * S3 notifications, in its template or in another stack's of the validation) use that key: its key policy allows `<service>.amazonaws.com` kms:GenerateDataKey* and
 * kms:Decrypt. A bucket whose default encryption is such a key lets the logs services that write into it (flow logs,
 * WAF and Network Load Balancer logs by `delivery.logs`, server access logs by `logging.s3`, a trail without a key of
 * its own) kms:GenerateDataKey*. A target on an AWS managed key (`alias/aws/sqs`, `alias/aws/sns`) can never allow a service. Keys
 * the templates do not define (imported ARNs, intrinsics) and key policies that cannot be read are unknown. A statement
 * whose condition requires another service's encryption context (an event bus's, on a key the queue shares) does not count,
 * nor one whose `aws:SourceArn` names only other resources of the templates than the delivery's source (`deliverySource`).
 * Roles that send by their own identity policies (`targetRoles`, into Kinesis streams and bucket objects too: an API Gateway integration's role, a schedule's
 * execution role writing its dead-letter queue, a function's role) must be allowed kms:GenerateDataKey on a customer key:
 * by their policies (on the key, on `*`, or on an ARN the templates cannot resolve) or by the key policy naming them.
 */
export class ProducerKeyAccess implements FintechRule {
  /** Metadata of `Fintech-C05-ProducerWithoutKeyAccess`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C05-ProducerWithoutKeyAccess',
    catalogId: 'C05',
    title: 'Services and roles that deliver into an encrypted queue, topic, stream or bucket may use its key',
    description: 'SNS, EventBridge, CloudWatch and S3 deliver into an encrypted queue or topic with the target\'s KMS key; when the key policy does not allow the service, every delivery fails silently (no error at deploy time, only a failed-delivery metric) and payment events or alarms never arrive. ' +
      'Likewise VPC flow logs, WAF logging configurations and Network Load Balancer access logs (delivery.logs.amazonaws.com), S3 server access logs (logging.s3.amazonaws.com) and a trail without a key of its own (cloudtrail.amazonaws.com) write their files into a bucket under its default customer key: without kms:GenerateDataKey* for that service no log file arrives, and CDK\'s FlowLogDestination.toS3 grants the bucket but not its key (serverAccessLogsBucket grants both). ' +
      'A statement that requires another encryption context (kms:EncryptionContext:aws:events:event-bus:arn, as CDK writes for an encrypted event bus) does not count: the queue\'s or topic\'s encryption never carries it. ' +
      'Nor does one whose aws:SourceArn names only other resources of the templates (another topic, rule, alarm or bucket than the one delivering); a value the templates cannot resolve, or a wildcard, counts. ' +
      'Roles whose identity policies allow sqs:SendMessage or sns:Publish into it (or kinesis:PutRecord into an encrypted Kinesis stream, or s3:PutObject on the objects of a bucket whose default encryption is a customer key: S3 asks KMS for the data key with the writer\'s credentials) (an API Gateway integration role, a schedule\'s execution role, which writes the schedule\'s dead-letter queue, a function\'s role, which writes its deadLetterQueue, a state machine\'s role publishing from an SnsPublish task, or whose Athena task writes query results) ' +
      'must be allowed kms:GenerateDataKey on a customer key, by their own policies (on the key, on "*", or on an ARN the templates cannot resolve) or by the key policy naming them; ' +
      'a hand-written sqs:SendMessage statement without it fails every send with KMS.AccessDeniedException. ' +
      'Not judged: AWS managed keys (every principal of the account may use them through the service), Application Load Balancer access logs, which the ELB guide says support only S3-managed encryption (CDK refuses a bucket with a KMS key for them), Network Firewall and vended CloudWatch Logs deliveries, roles with a managed policy the templates do not define ' +
      '(other than AWS managed policies known to allow no KMS action), and every role when a policy attaches to a role the templates cannot name. ' + REWRITTEN_KEY_POLICY_NOT_JUDGED,
    fix: 'Use SecureTopic.subscribeQueue, SecureQueue.allowProducer or SecureTopic.allowPublisher (DataKey.allowService), or add a key policy statement allowing <service>.amazonaws.com kms:GenerateDataKey* and kms:Decrypt.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'ProducerKeyAccess';
  public readonly infos = [ProducerKeyAccess.INFO];
  public readonly resourceTypes = ['AWS::SQS::Queue', 'AWS::SNS::Topic', 'AWS::Kinesis::Stream', 'AWS::S3::Bucket'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    if (targetKey(resource) === undefined) return [];
    // Services write into a stream with a role (EventBridge targets, CloudWatch Logs subscriptions): only roles are judged
    // there. Into a bucket, roles write with their own credentials, and logs services (flow logs, WAF, load balancer
    // access logs, a trail without a key of its own) as themselves.
    const producers = resource.type === 'AWS::Kinesis::Stream' ? [] : deliveriesInto(resource);
    const roles = targetRoles(resource, 'send');
    if (producers.length === 0 && roles.length === 0) return [];
    const key = targetNamedKey(resource);
    if (!key || key.kind === 'unknown') return [];
    const findings = producers.length > 0 ? serviceFindings(resource, producers, key) : [];
    // An AWS managed key lets every principal of the account use it through the service.
    if (key.kind === 'customer') findings.push(...roleFindings(resource, key.key, roles));
    return findings;
  }
}

function serviceFindings(resource: TemplateResource, producers: readonly Delivery[], key: Exclude<NamedKey, { kind: 'unknown' }>): RuleFinding[] {
  const bucket = resource.type === 'AWS::S3::Bucket';
  // Whether logs services may write under the AWS managed aws/s3 key is not judged.
  if (bucket && key.kind === 'awsManaged') return [];
  const context = bucket ? ENCRYPTION_CONTEXT.bucket : resource.type === 'AWS::SQS::Queue' ? ENCRYPTION_CONTEXT.queue : ENCRYPTION_CONTEXT.topic;
  const needed = bucket ? BUCKET_ACTIONS : NEEDED_ACTIONS;
  const actions = bucket ? 'kms:GenerateDataKey*' : 'kms:GenerateDataKey* and kms:Decrypt';
  // A delivery fails when the key policy does not allow its service for its source (a statement pinned to another topic, rule, alarm or bucket does not count).
  const failing = key.kind === 'awsManaged' ? producers
    : producers.filter(p => keyPolicyAllows(key.key, globalService(p.service), needed, context, deliverySource(p)) === false);
  if (failing.length === 0) return [];
  const { services: missing, described: who } = deliveringServices(failing);
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
    `${actions}, so their deliveries fail.`,
    [targetKeyLocation(resource)],
    bucket
      ? `Allow ${principals} ${actions} in the key policy, scoped by aws:SourceAccount as the service's guide shows (not by a trail's encryption context: ` +
        'S3\'s default encryption passes only aws:s3:arn), give a trail a key of its own (DataKey.allowService(KeyConsumer.CLOUDTRAIL)), or keep service logs in a bucket with S3-managed encryption.'
      : `Allow ${principals} ${actions} in the key policy, with aws:SourceArn naming each source if you scope it: ` +
        'SecureTopic.subscribeQueue, SecureQueue.allowProducer, SecureTopic.allowPublisher or DataKey.allowService do it.')];
}

/** Roles whose policies allow sending into the target but neither they nor the key policy allow them the target's key. */
function roleFindings(resource: TemplateResource, key: TemplateResource, roles: readonly TargetRole[]): RuleFinding[] {
  return deniedRolesFindings(resource, key, roles, 'send', ProducerKeyAccess.INFO.id,
    'Grant the send with the construct\'s grant method (queue.grantSendMessages(role), topic.grantPublish(role), stream.grantWrite(role), ' +
    'bucket.grantPut(role)), which also grants the key, or grant the key to the role (key.grantEncryptDecrypt(role)).');
}
