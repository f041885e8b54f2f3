import { App, Fn, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import { DomainNameTls } from '../../../src/rules/apigateway/domain-name-tls';
import { findingsOf, lines, shop } from '../rule-harness';

const C18 = DomainNameTls.INFO.id;
const CERTIFICATE = 'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d';

function c18(app: App) {
  return findingsOf(app, [C18]);
}

function domain(stack: Stack, id: string, securityPolicy?: apigw.SecurityPolicy) {
  // Enhanced (TLS13) policies require an endpoint access mode.
  const endpointAccessMode = securityPolicy?.startsWith('SecurityPolicy_') ? apigw.EndpointAccessMode.STRICT : undefined;
  return new apigw.DomainName(stack, id, {
    domainName: `${id.toLowerCase()}.example.com`, securityPolicy, endpointAccessMode, certificate: acm.Certificate.fromCertificateArn(stack, `${id}Cert`, CERTIFICATE),
  });
}

describe('Fintech-C18-WeakApiTlsPolicy', () => {
  test('fails an L2 domain on TLS_1_0, passes TLS_1_2, an enhanced policy and the default', () => {
    const { app, stack } = shop();
    domain(stack, 'Legacy', apigw.SecurityPolicy.TLS_1_0);
    domain(stack, 'Modern', apigw.SecurityPolicy.TLS_1_2);
    domain(stack, 'Enhanced', apigw.SecurityPolicy.TLS13_1_3_2025_09);
    domain(stack, 'Default');
    const findings = c18(app);
    expect(lines(findings)).toEqual([`${C18} Shop/Legacy/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/SecurityPolicy'],
      message: expect.stringMatching(/^AWS::ApiGateway::DomainName Legacy[0-9A-F]{8} uses SecurityPolicy TLS_1_0, which allows TLS 1\.0 and 1\.1\.$/),
      fix: expect.stringContaining('SecurityPolicy.TLS_1_2'),
    });
  });

  test('judges L1 REST and HTTP API domain names', () => {
    const { app, stack } = shop();
    new apigw.CfnDomainName(stack, 'Rest', { domainName: 'rest.example.com', regionalCertificateArn: CERTIFICATE, securityPolicy: 'tls_1_0' });
    new apigwv2.CfnDomainName(stack, 'Http', { domainName: 'http.example.com', domainNameConfigurations: [{ certificateArn: CERTIFICATE, securityPolicy: 'TLS_1_0' }] });
    new apigwv2.CfnDomainName(stack, 'HttpModern', { domainName: 'http2.example.com', domainNameConfigurations: [{ certificateArn: CERTIFICATE, securityPolicy: 'TLS_1_2' }] });
    const findings = c18(app);
    expect(lines(findings)).toEqual([`${C18} Shop/Http`, `${C18} Shop/Rest`]);
    expect(findings.find(f => f.logicalId === 'Http')!.locations).toEqual(['Properties/DomainNameConfigurations/0/SecurityPolicy']);
  });

  test('judges a REST API\'s own endpoint and private domain names (DomainNameV2); an L2 RestApi writes no policy', () => {
    const { app, stack } = shop();
    const api = new apigw.RestApi(stack, 'Payments', { deploy: false });
    api.root.addMethod('GET', new apigw.MockIntegration());
    new apigw.CfnRestApi(stack, 'Legacy', { name: 'legacy', securityPolicy: 'TLS_1_0' });
    new apigw.CfnRestApi(stack, 'Enhanced', { name: 'enhanced', securityPolicy: 'SecurityPolicy_TLS13_1_3_2025_09', endpointAccessMode: 'STRICT' });
    new apigw.CfnDomainNameV2(stack, 'Private', { domainName: 'private.example.com', certificateArn: CERTIFICATE, securityPolicy: 'TLS_1_0' });
    new apigw.CfnDomainNameV2(stack, 'PrivateModern', { domainName: 'private2.example.com', certificateArn: CERTIFICATE, securityPolicy: 'TLS_1_2' });
    const findings = c18(app);
    expect(lines(findings)).toEqual([`${C18} Shop/Legacy`, `${C18} Shop/Private`]);
    expect(findings.find(f => f.logicalId === 'Legacy')!.message).toBe('AWS::ApiGateway::RestApi Legacy uses SecurityPolicy TLS_1_0, which allows TLS 1.0 and 1.1.');
  });

  test('catches an escape hatch that lowers the policy', () => {
    const { app, stack } = shop();
    const modern = domain(stack, 'Modern', apigw.SecurityPolicy.TLS_1_2);
    (modern.node.defaultChild as apigw.CfnDomainName).addPropertyOverride('SecurityPolicy', 'TLS_1_0');
    expect(lines(c18(app))).toEqual([`${C18} Shop/Modern/Resource`]);
  });

  test('treats intrinsic policies as unknown and does not crash on odd shapes', () => {
    const { app, stack } = shop();
    new apigw.CfnDomainName(stack, 'IfPolicy', { domainName: 'a.example.com', securityPolicy: Fn.importValue('Policy') });
    new apigwv2.CfnDomainName(stack, 'OddConfigurations', { domainName: 'b.example.com' }).addPropertyOverride('DomainNameConfigurations', [42, { 'Fn::If': ['C', {}, {}] }]);
    new apigw.CfnDomainName(stack, 'IfProperties', { domainName: 'c.example.com' }).addOverride('Properties', { 'Fn::If': ['C', {}, {}] });
    expect(c18(app)).toEqual([]);
  });
});
