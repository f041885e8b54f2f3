import { App, CfnParameter, CfnResource, Fn, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DistributionProtection } from '../../../src/rules/cloudfront/distribution-protection';
import { findingsOf, lines, shop, testApp } from '../rule-harness';

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

  // CloudFront accepts the delivery source of a distribution only in us-east-1: a stack of another region is logged from there.
  test('passes a distribution logged by a delivery source of a us-east-1 stack, through a cross-region reference', () => {
    const app = testApp();
    const web = new Stack(app, 'Web', { env: { account: '123456789012', region: 'eu-west-1' } });
    const logged = portal(web, 'Portal', { webAclId: WEB_ACL_ARN });
    const unlogged = portal(web, 'Admin', { webAclId: WEB_ACL_ARN });
    const edgeLogs = new Stack(app, 'EdgeLogs', { env: { account: '123456789012', region: 'us-east-1' }, crossRegionReferences: true });
    new logs.CfnDeliverySource(edgeLogs, 'PortalAccessLogs', { name: 'portal', logType: 'ACCESS_LOGS', resourceArn: logged.distributionArn });
    expect(unlogged.node.id).toBe('Admin');
    // The reader in EdgeLogs returns what the writer in Web exported: Portal, not Admin.
    expect(lines(c19(app))).toEqual([`${LOGS} Web/Admin/Resource`]);
  });

  test('passes a distribution logged by a delivery source of another stack of its region, through an export', () => {
    const app = testApp();
    const env = { account: '123456789012', region: 'us-east-1' };
    const web = new Stack(app, 'Web', { env });
    const distribution = portal(web, 'Portal', { webAclId: WEB_ACL_ARN });
    const edgeLogs = new Stack(app, 'EdgeLogs', { env });
    new logs.CfnDeliverySource(edgeLogs, 'PortalAccessLogs', { name: 'portal', logType: 'ACCESS_LOGS', resourceArn: distribution.distributionArn });
    const assembly = app.synth();
    expect(JSON.stringify(assembly.getStackByName('EdgeLogs').template.Resources.PortalAccessLogs.Properties.ResourceArn)).toContain('Fn::ImportValue');
    expect(c19(app)).toEqual([]);
  });

  test('a cross-region read whose writer is not in the app may log any distribution', () => {
    const app = testApp();
    const web = new Stack(app, 'Web', { env: { account: '123456789012', region: 'eu-west-1' } });
    portal(web, 'Portal', { webAclId: WEB_ACL_ARN });
    const edgeLogs = new Stack(app, 'EdgeLogs', { env: { account: '123456789012', region: 'us-east-1' } });
    const reader = new CfnResource(edgeLogs, 'ExportsReader', { type: 'Custom::CrossRegionExportReader', properties: { ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:reader' } });
    new logs.CfnDeliverySource(edgeLogs, 'PortalAccessLogs', {
      name: 'portal',
      logType: 'ACCESS_LOGS',
      resourceArn: Fn.join('', ['arn:aws:cloudfront::123456789012:distribution/', reader.getAtt('/cdk/exports/EdgeLogs/elsewhere').toString()]),
    });
    expect(c19(app)).toEqual([]);
  });

  test('a delivery source naming its resource by a parameter may log any distribution of its template', () => {
    const { app, stack } = shop();
    portal(stack, 'Portal', { webAclId: WEB_ACL_ARN });
    const arn = new CfnParameter(stack, 'DistributionArn', { type: 'String', allowedPattern: '^arn:.*' });
    new logs.CfnDeliverySource(stack, 'Edge', { name: 'edge', logType: 'ACCESS_LOGS', resourceArn: Fn.join('', [arn.valueAsString]) });
    expect(c19(app)).toEqual([]);
  });
});
