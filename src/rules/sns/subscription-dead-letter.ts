import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** Protocols whose endpoints are AWS resources the stack owns, where a lost delivery is a lost payment event. */
const JUDGED_PROTOCOLS = new Set(['sqs', 'lambda']);

/**
 * C12 for SNS: a subscription that delivers to an SQS queue or a Lambda function has a dead-letter queue
 * (`RedrivePolicy.deadLetterTargetArn`). Must not judge: email, SMS, HTTP(S), Firehose and application endpoints
 * (people and third parties, not the workload's own data path), subscriptions written inline in a topic's `Subscription`
 * list (CloudFormation cannot give those a redrive policy), and intrinsic protocols or policies (unknown). A warning: SNS
 * retries AWS endpoints for 23 days, so what a DLQ catches is a message the endpoint rejects (queue deleted, key or queue
 * policy wrong after deployment); the key and queue policies themselves are judged at synth by `Fintech-C05-*`.
 */
export class SubscriptionDeadLetter implements FintechRule {
  /** Metadata of `Fintech-C12-SubscriptionWithoutDeadLetterQueue`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C12-SubscriptionWithoutDeadLetterQueue',
    catalogId: 'C12',
    title: 'SNS subscriptions to queues and functions have a dead-letter queue',
    description: 'SNS retries a queue or function for 23 days, but discards a message at once when the endpoint rejects it (queue or key deleted or disabled, queue policy, key policy or function permission changed), so a payment notification is lost with only a metric to show for it; a redrive policy keeps it in a dead-letter queue. A warning, since SNS retries these endpoints for 23 days and Fintech-C05-* judges their key and queue policies. Not judged: email, SMS, HTTP(S), Firehose and application endpoints, subscriptions inline in a topic, intrinsic values.',
    fix: 'Pass deadLetterQueue to the SqsSubscription or LambdaSubscription (SecureTopic.subscribeQueue creates one unless given one), or set RedrivePolicy { deadLetterTargetArn } on the CfnSubscription; the DLQ policy must allow sns.amazonaws.com to send.',
    defaultSeverity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'SubscriptionDeadLetter';
  public readonly infos = [SubscriptionDeadLetter.INFO];
  public readonly resourceTypes = ['AWS::SNS::Subscription'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    const protocol = properties?.Protocol;
    if (!properties || typeof protocol !== 'string' || !JUDGED_PROTOCOLS.has(protocol.toLowerCase())) return [];
    const redrive = properties.RedrivePolicy;
    const literal = TemplateValue.isObject(redrive) && !TemplateValue.isIntrinsic(redrive);
    if (redrive !== undefined && !(literal && redrive.deadLetterTargetArn === undefined)) return [];
    return [findingOn(resource, SubscriptionDeadLetter.INFO.id,
      `${resource.type} ${resource.logicalId} delivers to ${protocol.toLowerCase() === 'sqs' ? 'an SQS queue' : 'a Lambda function'} without RedrivePolicy deadLetterTargetArn, so a message the endpoint rejects is discarded.`,
      ['Properties/RedrivePolicy'])];
  }
}
