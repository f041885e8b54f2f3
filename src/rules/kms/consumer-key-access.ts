import { TARGET_ACCESS, describeTargetRoles, rolesDeniedKey, targetKeyLocation, targetNamedKey, targetRoles } from './target-roles';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

/**
 * C05, the reading side: a role whose identity policies allow it to receive from an SQS queue (`sqs:ReceiveMessage`), get
 * records from a Kinesis stream (`kinesis:GetRecords`) or get the objects of a bucket (`s3:GetObject`) encrypted with a
 * customer key of the validated templates must be allowed `kms:Decrypt` on that key, by its own policies (on the key,
 * on `*`, or on an ARN the templates cannot resolve) or by the key policy naming it. The roles are found as
 * `ProducerKeyAccess` finds senders (`targetRoles`).
 * Not judged: AWS managed keys (every principal of the account may use them through the service), keys and key policies
 * the templates cannot read, roles with a managed policy the templates do not define (other than AWS managed policies
 * known to allow no KMS action), every role when a policy attaches to a role the templates cannot name, reads allowed on
 * `*` or on an ARN written out as text, and service principals (an SNS topic decrypts for its subscribers itself).
 */
export class ConsumerKeyAccess implements FintechRule {
  /** Metadata of `Fintech-C05-ConsumerWithoutKeyAccess`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C05-ConsumerWithoutKeyAccess',
    catalogId: 'C05',
    title: 'Roles that read from an encrypted queue, stream or bucket may decrypt with its key',
    description: 'A role whose identity policies allow sqs:ReceiveMessage on a queue, kinesis:GetRecords on a stream, or s3:GetObject on the objects of a bucket ' +
      'whose default encryption is a customer key, but which may not use kms:Decrypt on that key, cannot read anything it receives: ' +
      'every receive fails with a KMS access error, a Lambda event source mapping on the queue or stream stops processing while messages and records pile up until they expire, ' +
      'and nothing fails at deploy time. This is what a hand-written consumer policy (a raw CfnEventSourceMapping or pipe with its own role, a statement copied from a guide that predates the key) does; ' +
      'the grant methods (queue.grantConsumeMessages, stream.grantRead, bucket.grantRead) and the event sources built on them grant the key too. ' +
      'The role may be allowed by its own policies (on the key, on "*", or on an ARN the templates cannot resolve) or by the key policy naming it. ' +
      'Not judged: AWS managed keys (every principal of the account may use them through the service), keys and key policies the templates cannot read, ' +
      'roles with a managed policy the templates do not define (other than AWS managed policies known to allow no KMS action), every role when a policy attaches to a role the templates cannot name, ' +
      'reads allowed on "*" or on an ARN written out as text, and service principals.',
    fix: 'Grant the read with the construct\'s grant method (queue.grantConsumeMessages(role), stream.grantRead(role), bucket.grantRead(role)), which also grants the key, ' +
      'or grant the key to the role (key.grantDecrypt(role)).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'ConsumerKeyAccess';
  public readonly infos = [ConsumerKeyAccess.INFO];
  public readonly resourceTypes = Object.keys(TARGET_ACCESS.receive.actions);

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const roles = targetRoles(resource, 'receive');
    if (roles.length === 0) return [];
    const key = targetNamedKey(resource);
    // An AWS managed key lets every principal of the account use it through the service.
    if (key?.kind !== 'customer') return [];
    const { keyAction, actions } = TARGET_ACCESS.receive;
    const denied = rolesDeniedKey(key.key, roles, keyAction);
    if (denied.length === 0) return [];
    const receive = actions[resource.type];
    return [findingOn(resource, ConsumerKeyAccess.INFO.id,
      `${resource.type} ${resource.logicalId} is encrypted with ${key.key.type} ${key.key.logicalId}, but ${describeTargetRoles(resource, denied, receive)} ` +
      `may not use that key (${keyAction}), so every ${receive} by ${denied.length === 1 ? 'it' : 'them'} fails ` +
      `with ${resource.type === 'AWS::S3::Bucket' ? 'AccessDenied' : 'a KMS access error'} and nothing it reads is processed.`,
      [targetKeyLocation(resource)],
      ConsumerKeyAccess.INFO.fix)];
  }
}
