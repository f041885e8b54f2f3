import { ProducerPolicyCheck, deniedProducers } from '../iam/producer-policies';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

// The services that send into a queue as themselves, which only the queue's policy can allow (a queue without one
// allows only principals of its own account), and what happens when it does not.
const CHECK: ProducerPolicyCheck = {
  targetType: 'AWS::SQS::Queue',
  holders: [{ type: 'AWS::SQS::QueuePolicy', property: 'Queues', list: true }, { type: 'AWS::SQS::QueueInlinePolicy', property: 'Queue', list: false }],
  action: 'sqs:SendMessage',
  consequences: {
    s3: 'S3 refuses the notification configuration, so the deploy fails',
    events: 'EventBridge drops what it should deliver there (FailedInvocations, or a lost dead letter) and nothing fails at deploy time',
    sns: 'SNS cannot deliver there (NumberOfNotificationsFailed) and nothing fails at deploy time',
  },
  judgeWithoutPolicy: true,
};

/**
 * C05: a queue that SNS subscriptions (and their dead-letter queues), EventBridge targets (and their dead-letter queues)
 * or S3 notifications of the templates write into has a queue policy letting that service send (the statement CDK's
 * SqsSubscription, targets.SqsQueue, a target's deadLetterQueue and SqsDestination add). Policies are found in every
 * template (`AWS::SQS::QueuePolicy` by its `Queues`, `AWS::SQS::QueueInlinePolicy` by its `Queue`); a document,
 * statement, principal, action, resource or `aws:SourceArn` the templates cannot read counts as allowing.
 */
export class QueueProducerPolicy implements FintechRule {
  /** Metadata of `Fintech-C05-ProducerWithoutQueuePolicy`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C05-ProducerWithoutQueuePolicy',
    catalogId: 'C05',
    title: 'Services that send into a queue are allowed by its queue policy',
    description: 'SNS, EventBridge and S3 send into a queue as themselves, and a queue without a policy allowing them admits only principals of its own account: ' +
      'S3 refuses the notification configuration (the deploy fails), EventBridge and SNS drop every event, message and dead letter meant for it with only a failed-delivery metric to show. ' +
      'CDK\'s SqsSubscription, targets.SqsQueue, a rule target\'s or subscription\'s deadLetterQueue and SqsDestination write the statement; a hand-written template often does not. ' +
      'A statement counts when it allows the service (or everyone) sqs:SendMessage (or a wildcard over it) on the queue (or "*"), and its aws:SourceArn, if any, may be the subscription\'s topic, the rule or the bucket; ' +
      'a policy, statement, principal, action, resource or source the templates cannot read counts too. ' +
      'Not judged: queues of another account, conditional Deny statements, and every queue when some queue policy names a queue the templates cannot tell.',
    fix: 'Add a queue policy statement allowing <service>.amazonaws.com sqs:SendMessage on the queue with aws:SourceArn the topic, rule or bucket (queue.addToResourcePolicy; ' +
      'CDK\'s SqsSubscription, targets.SqsQueue and SqsDestination, and SecureQueue.allowProducer, do it; targets.CloudWatchLogGroup, KinesisStream, ' +
      'CodePipeline and RedshiftQuery take a deadLetterQueue but write no statement for it).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'QueueProducerPolicy';
  public readonly infos = [QueueProducerPolicy.INFO];
  public readonly resourceTypes = [CHECK.targetType];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const denied = deniedProducers(resource, CHECK);
    if (!denied) return [];
    const { services } = denied;
    return [findingOn(resource, QueueProducerPolicy.INFO.id,
      `${resource.type} ${resource.logicalId} receives from ${denied.described}, but no queue policy lets ${services.length === 1 ? 'that service' : 'those services'} send into it: ` +
      `${denied.consequences}.`,
      ['Properties'],
      `Allow ${services.map(service => `${service}.amazonaws.com`).join(' and ')} sqs:SendMessage on the queue in its policy, with aws:SourceArn the topic, rule or bucket ` +
      '(queue.addToResourcePolicy, or SecureQueue.allowProducer; CDK\'s SqsSubscription, targets.SqsQueue and SqsDestination add it, while targets.CloudWatchLogGroup, ' +
      'KinesisStream, CodePipeline and RedshiftQuery take a deadLetterQueue but add no statement for it).')];
  }
}
