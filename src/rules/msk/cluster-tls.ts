import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/**
 * C18: an MSK provisioned cluster accepts only TLS from clients (`EncryptionInfo.EncryptionInTransit.ClientBroker` TLS,
 * the default) and encrypts traffic between brokers (`InCluster` true, the default). Must not judge: MSK Serverless (TLS
 * only, always), intrinsic values, and how clients authenticate (IAM, SASL/SCRAM or mTLS: no catalog class asks).
 */
export class KafkaClusterTls implements FintechRule {
  /** Metadata of `Fintech-C18-KafkaWithoutTls`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C18-KafkaWithoutTls',
    catalogId: 'C18',
    title: 'MSK clusters accept only TLS and encrypt traffic between brokers',
    description: 'ClientBroker PLAINTEXT or TLS_PLAINTEXT lets producers and consumers send payment events unencrypted (and a client that falls back is never noticed); InCluster false replicates every record between brokers in plaintext, and cannot be changed without a new cluster. Not judged: MSK Serverless (TLS only, always), how clients authenticate, intrinsic settings.',
    fix: 'Leave EncryptionInfo.EncryptionInTransit unset, or set ClientBroker: "TLS" and InCluster: true on the CfnCluster.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'KafkaClusterTls';
  public readonly infos = [KafkaClusterTls.INFO];
  public readonly resourceTypes = ['AWS::MSK::Cluster'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const info = resource.properties?.EncryptionInfo;
    if (!TemplateValue.isObject(info) || TemplateValue.isIntrinsic(info)) return [];
    const transit = info.EncryptionInTransit;
    if (!TemplateValue.isObject(transit) || TemplateValue.isIntrinsic(transit)) return [];
    const problems: string[] = [];
    const locations: string[] = [];
    const location = 'Properties/EncryptionInfo/EncryptionInTransit';
    if (transit.ClientBroker === 'PLAINTEXT' || transit.ClientBroker === 'TLS_PLAINTEXT') {
      problems.push(`ClientBroker "${transit.ClientBroker}", so clients may produce and consume in plaintext`);
      locations.push(`${location}/ClientBroker`);
    }
    if (TemplateValue.booleanOf(transit.InCluster) === false) {
      problems.push('InCluster false, so brokers replicate records in plaintext');
      locations.push(`${location}/InCluster`);
    }
    if (problems.length === 0) return [];
    return [findingOn(resource, KafkaClusterTls.INFO.id, `${resource.type} ${resource.logicalId} has ${problems.join(', and ')}.`, locations)];
  }
}
