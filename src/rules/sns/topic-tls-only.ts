import { tlsOnlyFindings } from '../iam/tls-only-policy';
import { FintechRule, RuleFinding } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

/**
 * C18: every SNS topic has a topic policy that denies publishing without TLS (`Deny` of `sns:Publish`, `sns:*` or
 * `*` to everyone when `aws:SecureTransport` is false, as `enforceSSL` writes it). Topic policies are separate
 * resources, indexed once per template.
 */
export class TopicTlsOnly implements FintechRule {
  /** Metadata of `Fintech-C18-TopicTlsOnly`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C18-TopicTlsOnly',
    catalogId: 'C18',
    title: 'Every SNS topic denies publishing without TLS',
    description: 'SNS accepts Publish over plain HTTP unless the topic policy denies it, so notifications and their signed requests can cross the network unencrypted; PCI DSS requires encryption in transit. ' +
      'The Deny\'s Resource must name the topic\'s ARN (or a wildcard that matches it). A policy written in any stack of the stage counts (a security stack\'s policy for another stack\'s topic, through an export or a nested-stack parameter). Not judged: topics whose policy cannot be read.',
    fix: 'Use a SecureTopic (or an AlertTopic), or set enforceSSL: true on the sns.Topic.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'TopicTlsOnly';
  public readonly infos = [TopicTlsOnly.INFO];
  public readonly resourceTypes = ['AWS::SNS::Topic'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    return tlsOnlyFindings(resource, TopicTlsOnly.INFO.id, {
      policyType: 'AWS::SNS::TopicPolicy',
      targetsProperty: 'Topics',
      coversActions: actions => actions.some(a => a === '*' || a === 'sns:*' || a === 'sns:publish'),
      denied: 'Publish',
      service: 'sns',
      nameProperty: 'TopicName',
    });
  }
}
