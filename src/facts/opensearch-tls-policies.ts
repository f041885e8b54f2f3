// TLS security policies of OpenSearch Service (and legacy Elasticsearch Service) domain endpoints, used by the C18 rules.
// Source, read 2026-11: CloudFormation reference of AWS::OpenSearchService::Domain DomainEndpointOptions.TLSSecurityPolicy,
// OpenSearch Service developer guide "Data encryption in transit"; aws-cdk-lib 2.257 opensearchservice.TLSSecurityPolicy.

/** Domain endpoint policies that accept TLS 1.0 and 1.1. */
export const WEAK_OPENSEARCH_TLS_POLICIES: readonly string[] = ['Policy-Min-TLS-1-0-2019-07'];

/** Domain endpoint policies with TLS 1.2 as the lowest version. */
export const TLS12_OPENSEARCH_TLS_POLICIES: readonly string[] = [
  'Policy-Min-TLS-1-2-2019-07',
  'Policy-Min-TLS-1-2-PFS-2023-10',
];

/** Whether a domain endpoint policy allows TLS below 1.2; undefined for a name in neither list (unknown, not judged). */
export function isWeakOpenSearchPolicy(name: string): boolean | undefined {
  if (WEAK_OPENSEARCH_TLS_POLICIES.includes(name)) return true;
  if (TLS12_OPENSEARCH_TLS_POLICIES.includes(name)) return false;
  return undefined;
}
