import { indexTlsOnlyPolicies } from '../iam/tls-only-policy';
import { FintechRule, RuleFinding, findingOn } from '../rule';
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
    description: 'SQS accepts plain HTTP requests unless the queue policy denies them, so messages (payment events, customer data) and their signed requests can cross the network unencrypted; PCI DSS requires encryption in transit.',
    fix: 'Use a SecureQueue, or set enforceSSL: true on the sqs.Queue.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'QueueTlsOnly';
  public readonly infos = [QueueTlsOnly.INFO];
  public readonly resourceTypes = ['AWS::SQS::Queue'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const index = resource.stack.memo('QueueTlsOnly.index', () =>
      indexTlsOnlyPolicies(resource.stack, 'AWS::SQS::QueuePolicy', 'Queues', actions => actions.some(a => a === '*' || a === 'sqs:*')));
    if (index.unknownTargets || index.settled.has(resource.logicalId)) return [];
    return [findingOn(resource, QueueTlsOnly.INFO.id,
      `${resource.type} ${resource.logicalId} has no AWS::SQS::QueuePolicy denying requests where aws:SecureTransport is false, so it accepts plain HTTP.`,
      [])];
  }
}
