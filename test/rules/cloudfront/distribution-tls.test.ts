import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DistributionTls } from '../../../src/rules/cloudfront/distribution-tls';
import { findingsOf, lines, shop } from '../rule-harness';

const HTTP = DistributionTls.ALLOWS_HTTP.id;
const WEAK = DistributionTls.WEAK_POLICY.id;
const CERT_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/1234abcd-12ab-34cd-56ef-1234567890ab';

function c18(app: App) {
  return findingsOf(app, [HTTP, WEAK], { stage: 'prod' });
}

function site(stack: Stack, id: string, props: Partial<cloudfront.DistributionProps> = {}, behavior: Partial<cloudfront.BehaviorOptions> = {}) {
  const bucket = new s3.Bucket(stack, `${id}Bucket`);
  return new cloudfront.Distribution(stack, id, {
    defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(bucket), ...behavior },
    ...props,
  });
}

describe('DistributionTls', () => {
  test('passes HTTPS-only behaviors on a custom domain with TLSv1.2_2021, and the default certificate', () => {
    const { app, stack } = shop();
    site(stack, 'Portal', {
      domainNames: ['pay.example.com'],
      certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN),
      minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
    }, { viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS });
    // aws-cdk-lib v2's default policy for a certificate is TLSv1.2_2021.
    site(stack, 'Statements', { domainNames: ['statements.example.com'], certificate: acm.Certificate.fromCertificateArn(stack, 'StatementsCert', CERT_ARN) },
      { viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY });
    // The *.cloudfront.net certificate: CloudFront fixes its policy, nothing to judge.
    site(stack, 'Assets', {}, { viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY });
    expect(c18(app)).toEqual([]);
  });

  describe('Fintech-C18-DistributionAllowsHttp', () => {
    test('fails the L2 default behavior and an added behavior that allow plain HTTP', () => {
      const { app, stack } = shop();
      const portal = site(stack, 'Portal');
      portal.addBehavior('/api/*', new origins.HttpOrigin('api.example.com'), { viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.ALLOW_ALL });
      const findings = c18(app);
      expect(lines(findings)).toEqual([`${HTTP} Shop/Portal/Resource`]);
      expect(findings[0].message).toMatch(/^AWS::CloudFront::Distribution Portal[0-9A-F]{8} has ViewerProtocolPolicy "allow-all" in DefaultCacheBehavior, CacheBehaviors\/0, so viewers can fetch its content over plain HTTP\.$/);
      expect(findings[0].locations).toEqual(['Properties/DistributionConfig/DefaultCacheBehavior/ViewerProtocolPolicy', 'Properties/DistributionConfig/CacheBehaviors/0/ViewerProtocolPolicy']);
    });

    test('fails a raw CfnDistribution', () => {
      const { app, stack } = shop();
      new cloudfront.CfnDistribution(stack, 'Raw', {
        distributionConfig: {
          enabled: true,
          origins: [{ id: 'api', domainName: 'api.example.com', customOriginConfig: { originProtocolPolicy: 'https-only' } }],
          defaultCacheBehavior: { targetOriginId: 'api', viewerProtocolPolicy: 'allow-all', cachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad' },
        },
      });
      expect(lines(c18(app))).toEqual([`${HTTP} Shop/Raw`]);
    });
  });

  describe('Fintech-C18-WeakDistributionTlsPolicy', () => {
    test('fails a custom domain on TLSv1.2_2019 and a raw one with no policy (CloudFront\'s default TLSv1)', () => {
      const { app, stack } = shop();
      site(stack, 'Portal', {
        domainNames: ['pay.example.com'],
        certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN),
        minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2019,
      }, { viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS });
      new cloudfront.CfnDistribution(stack, 'Raw', {
        distributionConfig: {
          enabled: true,
          aliases: ['api.example.com'],
          viewerCertificate: { acmCertificateArn: CERT_ARN, sslSupportMethod: 'sni-only' },
          origins: [{ id: 'api', domainName: 'origin.example.com', customOriginConfig: { originProtocolPolicy: 'https-only' } }],
          defaultCacheBehavior: { targetOriginId: 'api', viewerProtocolPolicy: 'https-only', cachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad' },
        },
      });
      const findings = c18(app);
      expect(lines(findings)).toEqual([`${WEAK} Shop/Portal/Resource`, `${WEAK} Shop/Raw`]);
      expect(findings.find(f => f.logicalId === 'Raw')!.message).toBe('AWS::CloudFront::Distribution Raw has no MinimumProtocolVersion (CloudFront\'s default is TLSv1) on its own certificate, below TLSv1.2_2021.');
      expect(findings.find(f => f.logicalId !== 'Raw')!.message).toContain('MinimumProtocolVersion "TLSv1.2_2019"');
    });
  });

  test('leaves intrinsic configurations and unknown policy names alone', () => {
    const { app, stack } = shop();
    const policy = new CfnParameter(stack, 'Viewer', { type: 'String', allowedValues: ['allow-all', 'https-only'] });
    site(stack, 'Portal', { domainNames: ['pay.example.com'], certificate: acm.Certificate.fromCertificateArn(stack, 'Cert', CERT_ARN) },
      { viewerProtocolPolicy: policy.valueAsString as cloudfront.ViewerProtocolPolicy });
    (stack.node.findChild('Portal').node.defaultChild as cloudfront.CfnDistribution).addPropertyOverride('DistributionConfig.ViewerCertificate.MinimumProtocolVersion', 'TLSv1.4_2030');
    expect(c18(app)).toEqual([]);
  });
});
