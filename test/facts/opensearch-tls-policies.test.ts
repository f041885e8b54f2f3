import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { TLS12_OPENSEARCH_TLS_POLICIES, WEAK_OPENSEARCH_TLS_POLICIES, isWeakOpenSearchPolicy } from '../../src/facts/opensearch-tls-policies';

describe('OpenSearch TLS policies', () => {
  test('every policy aws-cdk-lib offers is judged, and only TLS_1_0 is weak', () => {
    for (const policy of Object.values(opensearch.TLSSecurityPolicy)) {
      expect([policy, isWeakOpenSearchPolicy(policy)]).toEqual([policy, policy === opensearch.TLSSecurityPolicy.TLS_1_0]);
    }
    expect(WEAK_OPENSEARCH_TLS_POLICIES.filter(p => TLS12_OPENSEARCH_TLS_POLICIES.includes(p))).toEqual([]);
  });

  test('an unknown name is not judged', () => {
    expect(isWeakOpenSearchPolicy('Policy-Min-TLS-1-3-2030-01')).toBeUndefined();
  });
});
