import { App, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { bucketOrigins } from '../../../src/rules/cloudfront/bucket-origins';
import { loadTogether, testApp } from '../rule-harness';

/** A resource of the app's templates, loaded together as one validation loads them, by stack and construct id. */
function load(app: App) {
  const { resourceOf } = loadTogether(app);
  return (stack: Stack, id: string) => resourceOf(stack.node.findChild(id));
}

describe('bucketOrigins', () => {
  test('finds the distributions reading a bucket as an S3 origin with an access control or identity, in another stack too', () => {
    const app = testApp();
    const data = new Stack(app, 'Data');
    const edge = new Stack(app, 'Edge');
    const site = new s3.Bucket(data, 'Site');
    const open = new s3.Bucket(data, 'Open');
    new cloudfront.Distribution(data, 'ByControl', { defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(site) } });
    new cloudfront.Distribution(data, 'ByIdentity', { defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessIdentity(site) } });
    // A raw distribution of another stack, its bucket's domain name imported; its second origin is named as text.
    new cloudfront.CfnDistribution(edge, 'Raw', {
      distributionConfig: {
        enabled: true,
        origins: [
          { id: 'site', domainName: site.bucketDomainName, originAccessControlId: 'E2QWRUHAPOMQZL', s3OriginConfig: { originAccessIdentity: '' } },
          { id: 'text', domainName: 'site.s3.eu-west-1.amazonaws.com', originAccessControlId: 'E2QWRUHAPOMQZL', s3OriginConfig: {} },
        ],
        defaultCacheBehavior: { targetOriginId: 'site', viewerProtocolPolicy: 'https-only', cachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
      },
    });
    // Neither signs its requests: one reads the bucket as anyone may, the other is a website endpoint (a custom origin).
    new cloudfront.Distribution(data, 'Unsigned', { defaultBehavior: { origin: origins.S3BucketOrigin.withBucketDefaults(open) } });
    new cloudfront.Distribution(data, 'Website', { defaultBehavior: { origin: new origins.S3StaticWebsiteOrigin(open) } });
    const resource = load(app);
    const found = bucketOrigins(resource(data, 'Site')).map(o => [o.distribution.logicalId, o.access]);
    expect(found.sort()).toEqual([
      [resource(data, 'ByControl').logicalId, 'originAccessControl'],
      [resource(data, 'ByIdentity').logicalId, 'originAccessIdentity'],
      ['Raw', 'originAccessControl'],
    ].sort());
    expect(bucketOrigins(resource(data, 'Open'))).toEqual([]);
  });

  test('leaves a distribution whose origin requests run a function at the edge, or whose behaviors it cannot read', () => {
    for (const association of [{ EventType: 'origin-request', LambdaFunctionARN: 'arn:aws:lambda:us-east-1:123456789012:function:sign:1' }, { 'Fn::If': ['Edge', {}, {}] }]) {
      const app = testApp();
      const stack = new Stack(app, 'Data');
      const site = new s3.Bucket(stack, 'Site');
      const cdn = new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessIdentity(site) } });
      (cdn.node.defaultChild as cloudfront.CfnDistribution).addPropertyOverride('DistributionConfig.DefaultCacheBehavior.LambdaFunctionAssociations', [association]);
      expect(bucketOrigins(load(app)(stack, 'Site'))).toEqual([]);
    }
  });
});
