import { App, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DistributionProtection } from '../../../src/rules/cloudfront/distribution-protection';
import { findingsOf, lines, shop } from '../rule-harness';

const WAF = DistributionProtection.WEB_ACL.id;
const LOGS = DistributionProtection.ACCESS_LOGS.id;
const WEB_ACL_ARN = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/1234abcd-12ab-34cd-56ef-1234567890ab';

function c19(app: App) {
  return findingsOf(app, [WAF, LOGS], { stage: 'prod' });
}

function portal(stack: Stack, id: string, props: Partial<cloudfront.DistributionProps> = {}) {
  const bucket = new s3.Bucket(stack, `${id}Bucket`);
  return new cloudfront.Distribution(stack, id, {
    defaultBehavior: {
      origin: origins.S3BucketOrigin.withOriginAccessControl(bucket),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    },
    ...props,
  });
}

describe('DistributionProtection', () => {
  test('passes a distribution with a web ACL and S3 access logs, and one logged through a v2 delivery source', () => {
    const { app, stack } = shop();
    const logBucket = new s3.Bucket(stack, 'EdgeLogs', { objectOwnership: s3.ObjectOwnership.OBJECT_WRITER });
    portal(stack, 'Portal', { webAclId: WEB_ACL_ARN, enableLogging: true, logBucket });
    const api = portal(stack, 'Api', { webAclId: WEB_ACL_ARN });
    new logs.CfnDeliverySource(stack, 'ApiAccessLogs', {
      name: 'api-edge',
      logType: 'ACCESS_LOGS',
      resourceArn: Stack.of(stack).formatArn({ service: 'cloudfront', region: '', resource: 'distribution', resourceName: api.distributionId }),
    });
    expect(c19(app)).toEqual([]);
  });

  test('fails the L2 defaults: no web ACL, no logs', () => {
    const { app, stack } = shop();
    portal(stack, 'Portal');
    const findings = c19(app);
    expect(lines(findings)).toEqual([`${LOGS} Shop/Portal/Resource`, `${WAF} Shop/Portal/Resource`]);
    expect(findings.find(f => f.ruleId === WAF)!.message).toMatch(/^AWS::CloudFront::Distribution Portal[0-9A-F]{8} has no WebACLId, so requests reach its origins unfiltered and unlimited\.$/);
    expect(findings.find(f => f.ruleId === LOGS)).toMatchObject({ severity: 'error', locations: ['Properties/DistributionConfig/Logging'] });
  });

  test('fails a raw distribution whose delivery source logs another distribution', () => {
    const { app, stack } = shop();
    new cloudfront.CfnDistribution(stack, 'Raw', {
      distributionConfig: {
        enabled: true,
        webAclId: WEB_ACL_ARN,
        origins: [{ id: 'api', domainName: 'origin.example.com', customOriginConfig: { originProtocolPolicy: 'https-only' } }],
        defaultCacheBehavior: { targetOriginId: 'api', viewerProtocolPolicy: 'https-only', cachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad' },
      },
    });
    new logs.CfnDeliverySource(stack, 'Elsewhere', { name: 'other', logType: 'ACCESS_LOGS', resourceArn: 'arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE' });
    expect(lines(c19(app))).toEqual([`${LOGS} Shop/Raw`]);
  });

  test('a delivery source naming its resource by a parameter may log any distribution of its template', () => {
    const { app, stack } = shop();
    portal(stack, 'Portal', { webAclId: WEB_ACL_ARN });
    const arn = new CfnParameter(stack, 'DistributionArn', { type: 'String', allowedPattern: '^arn:.*' });
    new logs.CfnDeliverySource(stack, 'Edge', { name: 'edge', logType: 'ACCESS_LOGS', resourceArn: Fn.join('', [arn.valueAsString]) });
    expect(c19(app)).toEqual([]);
  });
});
