import { isWeakOpenSearchPolicy } from '../../facts/opensearch-tls-policies';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** One literal object property of `properties`: the object, `{}` when absent, undefined when intrinsic or odd (unknown). */
function objectProperty(properties: { readonly [key: string]: unknown }, name: string): { readonly [key: string]: unknown } | undefined {
  const value = properties[name];
  if (value === undefined) return {};
  return TemplateValue.literalObject(value);
}

/**
 * C18: an OpenSearch Service (or legacy Elasticsearch Service) domain encrypts traffic between its nodes
 * (`NodeToNodeEncryptionOptions.Enabled`) and refuses plain HTTP on its endpoint (`DomainEndpointOptions.EnforceHTTPS`),
 * with a TLS 1.2 policy when one is named. Both settings default to off in CloudFormation. Must not judge: an intrinsic
 * setting (unknown), a TLS policy left unset (aws-cdk-lib writes TLS 1.2; the raw default is not judged) or a policy name
 * outside `src/facts/opensearch-tls-policies.ts`, and encryption at rest (judged by `Fintech-C04-*`).
 */
export class SearchDomainTls implements FintechRule {
  /** Metadata of `Fintech-C18-SearchDomainWithoutTls`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C18-SearchDomainWithoutTls',
    catalogId: 'C18',
    title: 'Search domains encrypt traffic between nodes and accept only HTTPS with TLS 1.2 or later',
    description: 'A domain without node-to-node encryption sends indexed documents (transactions, customer records) in plaintext inside the VPC, and one without EnforceHTTPS or with Policy-Min-TLS-1-0 accepts plaintext or TLS 1.0 clients. Node-to-node encryption cannot be turned off again, and on older engines cannot be turned on without a new domain. Not judged: a TLS policy left unset (aws-cdk-lib writes TLS 1.2), policy names it does not know, intrinsic settings; encryption at rest is Fintech-C04-*.',
    fix: 'Set nodeToNodeEncryption: true, enforceHttps: true and tlsSecurityPolicy: TLSSecurityPolicy.TLS_1_2 on the opensearch.Domain (NodeToNodeEncryptionOptions.Enabled, DomainEndpointOptions.EnforceHTTPS on a CfnDomain).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'SearchDomainTls';
  public readonly infos = [SearchDomainTls.INFO];
  public readonly resourceTypes = ['AWS::OpenSearchService::Domain', 'AWS::Elasticsearch::Domain'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties) return [];
    const problems: string[] = [];
    const locations: string[] = [];
    const nodeToNode = objectProperty(properties, 'NodeToNodeEncryptionOptions');
    const nodeToNodeOn = nodeToNode && (nodeToNode.Enabled === undefined ? false : TemplateValue.booleanOf(nodeToNode.Enabled));
    if (nodeToNodeOn === false) {
      problems.push(`NodeToNodeEncryptionOptions.Enabled ${nodeToNode?.Enabled === undefined ? 'unset' : 'false'} (nodes exchange data in plaintext)`);
      locations.push('Properties/NodeToNodeEncryptionOptions/Enabled');
    }
    const endpoint = objectProperty(properties, 'DomainEndpointOptions');
    const httpsOnly = endpoint && (endpoint.EnforceHTTPS === undefined ? false : TemplateValue.booleanOf(endpoint.EnforceHTTPS));
    if (httpsOnly === false) {
      problems.push(`DomainEndpointOptions.EnforceHTTPS ${endpoint?.EnforceHTTPS === undefined ? 'unset' : 'false'} (the endpoint accepts plain HTTP)`);
      locations.push('Properties/DomainEndpointOptions/EnforceHTTPS');
    }
    const policy = endpoint?.TLSSecurityPolicy;
    if (typeof policy === 'string' && isWeakOpenSearchPolicy(policy)) {
      problems.push(`DomainEndpointOptions.TLSSecurityPolicy "${policy}" (accepts TLS 1.0 and 1.1)`);
      locations.push('Properties/DomainEndpointOptions/TLSSecurityPolicy');
    }
    if (problems.length === 0) return [];
    return [findingOn(resource, SearchDomainTls.INFO.id, `${resource.type} ${resource.logicalId} has ${problems.join(', ')}.`, locations)];
  }
}
