import { CfnParameter } from 'aws-cdk-lib';
import * as elasticsearch from 'aws-cdk-lib/aws-elasticsearch';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { SearchDomainTls } from '../../../src/rules/opensearch/domain-tls';
import { findingsOf, lines, shop } from '../rule-harness';

const ID = SearchDomainTls.INFO.id;
const VERSION = opensearch.EngineVersion.OPENSEARCH_2_11;

describe('SearchDomainTls', () => {
  test('passes a domain written the careful way: customer key, node-to-node encryption, HTTPS only on TLS 1.2', () => {
    const { app, stack } = shop();
    new opensearch.Domain(stack, 'Search', {
      version: VERSION,
      encryptionAtRest: { enabled: true, kmsKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2_PFS,
    });
    new opensearch.CfnDomain(stack, 'Raw', { nodeToNodeEncryptionOptions: { enabled: true }, domainEndpointOptions: { enforceHttps: true } });
    expect(findingsOf(app, [ID], { stage: 'prod' })).toEqual([]);
  });

  test('fails the L2 defaults (no node-to-node encryption, HTTP allowed), naming both settings', () => {
    const { app, stack } = shop();
    new opensearch.Domain(stack, 'Search', { version: VERSION });
    const findings = findingsOf(app, [ID], { stage: 'prod' });
    expect(lines(findings)).toEqual([`${ID} Shop/Search/Resource`]);
    expect(findings[0].message).toMatch(/^AWS::OpenSearchService::Domain Search[0-9A-F]{8} has NodeToNodeEncryptionOptions.Enabled false \(nodes exchange data in plaintext\), DomainEndpointOptions.EnforceHTTPS false \(the endpoint accepts plain HTTP\)\.$/);
    expect(findings[0]).toMatchObject({ severity: 'error', locations: ['Properties/NodeToNodeEncryptionOptions/Enabled', 'Properties/DomainEndpointOptions/EnforceHTTPS'] });
  });

  test('fails a raw legacy Elasticsearch domain with nothing set, and a TLS 1.0 policy', () => {
    const { app, stack } = shop();
    new opensearch.CfnDomain(stack, 'Weak', { nodeToNodeEncryptionOptions: { enabled: true }, domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: 'Policy-Min-TLS-1-0-2019-07' } });
    new elasticsearch.CfnDomain(stack, 'Legacy', {});
    const findings = findingsOf(app, [ID], { stage: 'prod' });
    expect(lines(findings)).toEqual([`${ID} Shop/Legacy`, `${ID} Shop/Weak`]);
    expect(findings.find(f => f.logicalId === 'Weak')!.message).toBe('AWS::OpenSearchService::Domain Weak has DomainEndpointOptions.TLSSecurityPolicy "Policy-Min-TLS-1-0-2019-07" (accepts TLS 1.0 and 1.1).');
    expect(findings.find(f => f.logicalId === 'Legacy')!.message).toContain('NodeToNodeEncryptionOptions.Enabled unset');
  });

  test('leaves intrinsic settings and unknown policy names alone', () => {
    const { app, stack } = shop();
    const on = new CfnParameter(stack, 'On', { type: 'String', allowedValues: ['true', 'false'] });
    new opensearch.CfnDomain(stack, 'Search', {
      nodeToNodeEncryptionOptions: { enabled: on.valueAsString as unknown as boolean },
      domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: 'Policy-Min-TLS-1-3-2030-01' },
    });
    new opensearch.CfnDomain(stack, 'Conditional').addPropertyOverride('DomainEndpointOptions', { 'Fn::If': ['C', { EnforceHTTPS: true }, { Ref: 'AWS::NoValue' }] });
    const findings = findingsOf(app, [ID], { stage: 'prod' });
    // The conditional domain's node-to-node setting is literal (unset), its endpoint unknown.
    expect(findings.map(f => [f.logicalId, f.locations])).toEqual([['Conditional', ['Properties/NodeToNodeEncryptionOptions/Enabled']]]);
  });
});
