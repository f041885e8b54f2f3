import { ENCRYPTION_CONTEXT, REWRITTEN_KEY_POLICY_NOT_JUDGED, globalService, keyPolicyAllows, namedKey } from './key-policy';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

// What EventBridge needs on the customer key of an event bus or archive. The EventBridge user guide ("Authorizing
// EventBridge to use a customer managed key" and "Encrypting EventBridge archives", checked 2026-12) lists
// kms:DescribeKey, kms:GenerateDataKey and kms:Decrypt (and kms:ReEncrypt* for archives). Only the two that encrypt and
// decrypt the events are judged; both guides scope them by the bus's encryption context, which counts here.
const NEEDED_ACTIONS = ['kms:GenerateDataKey', 'kms:Decrypt'];
const EVENTS = globalService('events');
const WHAT: { readonly [type: string]: string | undefined } = {
  'AWS::Events::EventBus': 'the events put on the bus',
  'AWS::Events::Archive': 'the events sent to the archive',
};

/**
 * C05: an EventBridge event bus or archive encrypted with a customer key of the templates (`KmsKeyIdentifier`) works only
 * when that key's policy lets EventBridge (`events.amazonaws.com`) generate data keys and decrypt them. Otherwise
 * EventBridge cannot encrypt the custom events put on the bus: it hands them to the bus's dead-letter queue, when there
 * is one, instead of any rule. `EventBus` and `Archive` add such statements for the key they are given; a raw
 * `CfnEventBus` or `CfnArchive`, or an included template, does not. Keys the templates do not define, AWS owned keys
 * (no `KmsKeyIdentifier`, or `""`) and key policies that cannot be read are not judged.
 */
export class EventBusKeyAccess implements FintechRule {
  /** Metadata of `Fintech-C05-EventBusKeyWithoutEventsAccess`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C05-EventBusKeyWithoutEventsAccess',
    catalogId: 'C05',
    title: 'EventBridge may use the key of an encrypted event bus or archive',
    description: 'An event bus encrypted with a customer KMS key whose policy does not allow the EventBridge service principal kms:GenerateDataKey and kms:Decrypt cannot encrypt the custom events put on it: ' +
      'EventBridge treats it as an error that needs user action and sends those events to the bus\'s dead-letter queue, when it has one, instead of to any rule, so payment events never reach their consumers. ' +
      'An archive on such a key cannot store the events it archives, so there is nothing to replay. ' +
      'events.EventBus and events.Archive add the statements for the key they are given; a raw CfnEventBus or CfnArchive, and an included template, do not. ' +
      'Judged: kms:GenerateDataKey and kms:Decrypt for events.amazonaws.com on a customer key of the templates; a statement scoped by the bus\'s encryption context (kms:EncryptionContext:aws:events:event-bus:arn, as the user guide and CDK write it) counts, one requiring another service\'s context does not, ' +
      'and for a bus one whose aws:SourceArn names only other resources of the templates does not either. ' +
      'Not judged: kms:DescribeKey and kms:ReEncrypt*, which the user guide also lists; keys and key policies the templates cannot read; the AWS owned key EventBridge uses without KmsKeyIdentifier. ' + REWRITTEN_KEY_POLICY_NOT_JUDGED,
    fix: 'Use SecureEventBus (its key allows EventBridge for the bus and its archives), or add a key policy statement allowing events.amazonaws.com kms:GenerateDataKey and kms:Decrypt with the condition StringEquals kms:EncryptionContext:aws:events:event-bus:arn <bus ARN>, as the EventBridge user guide shows.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'EventBusKeyAccess';
  public readonly infos = [EventBusKeyAccess.INFO];
  public readonly resourceTypes = Object.keys(WHAT);

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const keyId = resource.properties?.KmsKeyIdentifier;
    if (keyId === undefined || keyId === '') return [];
    const key = namedKey(resource.stack, keyId);
    // A bus's statements may be pinned to it by aws:SourceArn; an archive's source is not judged (the guide pins it by context).
    const source = resource.type === 'AWS::Events::EventBus' ? resource : undefined;
    if (key.kind !== 'customer' || keyPolicyAllows(key.key, EVENTS, NEEDED_ACTIONS, ENCRYPTION_CONTEXT.eventBus, source) !== false) return [];
    return [findingOn(resource, EventBusKeyAccess.INFO.id,
      `${resource.type} ${resource.logicalId} is encrypted with ${key.key.type} ${key.key.logicalId}, whose key policy does not allow ` +
      `events.amazonaws.com kms:GenerateDataKey and kms:Decrypt, so EventBridge cannot encrypt ${WHAT[resource.type]}.`,
      ['Properties/KmsKeyIdentifier'])];
  }
}
