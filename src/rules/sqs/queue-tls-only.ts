import { tlsOnlyFindings } from '../iam/tls-only-policy';
import { FintechRule, RuleFinding } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';

/**
 * C18: every SQS queue has a queue policy that denies requests without TLS (`Deny` of `sqs:*` to everyone when
 * `aws:SecureTransport` is false). Queue policies are separate resources, indexed once per template.
 */
export class QueueTlsOnly implements FintechRule {
  /** Metadata of `Fintech-C18-QueueTlsOnly`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C18-QueueTlsOnly',
    catalogId: 'C18',
    title: 'Every SQS queue denies requests without TLS',
    description: 'SQS accepts plain HTTP requests unless the queue policy denies them, so messages (payment events, customer data) and their signed requests can cross the network unencrypted; PCI DSS requires encryption in transit. ' +
      'The Deny\'s Resource must name the queue\'s ARN (or a wildcard that matches it). A policy written in any stack of the stage counts (a security stack\'s policy for another stack\'s queue, through an export or a nested-stack parameter). Not judged: queues whose policy cannot be read.',
    fix: 'Use a SecureQueue, or set enforceSSL: true on the sqs.Queue.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'QueueTlsOnly';
  public readonly infos = [QueueTlsOnly.INFO];
  public readonly resourceTypes = ['AWS::SQS::Queue'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    return tlsOnlyFindings(resource, QueueTlsOnly.INFO.id, {
      policyType: 'AWS::SQS::QueuePolicy',
      targetsProperty: 'Queues',
      coversActions: actions => actions.some(a => a === '*' || a === 'sqs:*'),
      denied: 'requests',
      service: 'sqs',
      nameProperty: 'QueueName',
    });
  }
}
