import { ProducerPolicyCheck, deniedProducers } from '../iam/producer-policies';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

// The services that publish to a topic as themselves and what happens when its policy does not let them. CloudWatch alarm
// actions are left out: whether a topic policy must name cloudwatch.amazonaws.com could not be pinned down. A topic without
// a topic policy keeps SNS's default policy, which the templates cannot show: not judged.
const CHECK: ProducerPolicyCheck = {
  targetType: 'AWS::SNS::Topic',
  holders: [{ type: 'AWS::SNS::TopicPolicy', property: 'Topics', list: true }, { type: 'AWS::SNS::TopicInlinePolicy', property: 'TopicArn', list: false }],
  action: 'sns:Publish',
  consequences: {
    s3: 'S3 refuses the notification configuration, so the deploy fails',
    events: 'EventBridge drops every event meant for it (FailedInvocations) and nothing fails at deploy time',
  },
  judgeWithoutPolicy: false,
};

/**
 * C05: a topic that EventBridge rules or S3 notifications of the templates publish to, and that has a topic policy of its
 * own, lets that service `sns:Publish` in it (the statement CDK's targets.SnsTopic and SnsDestination add). A topic policy
 * replaces SNS's default policy, so a topic whose policy was written for something else (a TLS-only deny, a partner
 * account) no longer admits the services the app wires to it. Must not judge: topics without a topic policy in the
 * templates (SNS's default policy applies, which the templates cannot show), CloudWatch alarm actions, topics of
 * another account, and every topic while some topic policy names a topic the templates cannot tell.
 */
export class TopicProducerPolicy implements FintechRule {
  /** Metadata of `Fintech-C05-ProducerWithoutTopicPolicy`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C05-ProducerWithoutTopicPolicy',
    catalogId: 'C05',
    title: 'Services that publish to a topic are allowed by its topic policy',
    description: 'EventBridge and S3 publish to a topic as themselves. A topic policy replaces SNS\'s default policy, so a topic whose policy was written for something else (a TLS-only deny, a partner account) admits neither: ' +
      'S3 refuses the notification configuration (the deploy fails) and EventBridge drops every event meant for the topic with only a failed-invocation metric to show. ' +
      'CDK\'s targets.SnsTopic and SnsDestination write the statement; a hand-written template often does not. ' +
      'A statement counts when it allows the service (or everyone) sns:Publish (or a wildcard over it) on the topic (or "*"), and its aws:SourceArn, if any, may be the rule or the bucket; ' +
      'a policy, statement, principal, action, resource or source the templates cannot read counts too. ' +
      'Not judged: topics without a topic policy in the templates (SNS\'s default policy applies), CloudWatch alarm actions, topics of another account, ' +
      'and every topic when some topic policy names a topic the templates cannot tell.',
    fix: 'Allow <service>.amazonaws.com sns:Publish on the topic in its policy, with aws:SourceArn the rule or bucket (topic.grantPublish(new iam.ServicePrincipal(...)) ' +
      'or topic.addToResourcePolicy; CDK\'s targets.SnsTopic and SnsDestination do it).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'TopicProducerPolicy';
  public readonly infos = [TopicProducerPolicy.INFO];
  public readonly resourceTypes = [CHECK.targetType];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const denied = deniedProducers(resource, CHECK);
    if (!denied) return [];
    const { services } = denied;
    return [findingOn(resource, TopicProducerPolicy.INFO.id,
      `${resource.type} ${resource.logicalId} receives from ${denied.described}, but no statement of its topic policy lets ${services.length === 1 ? 'that service' : 'those services'} ` +
      `publish to it: ${denied.consequences}.`,
      ['Properties'],
      `Allow ${services.map(service => `${service}.amazonaws.com`).join(' and ')} sns:Publish on the topic in its policy, with aws:SourceArn the rule or bucket ` +
      '(topic.grantPublish(new iam.ServicePrincipal(...)) or topic.addToResourcePolicy; CDK\'s targets.SnsTopic and SnsDestination add it).')];
  }
}
