import { App, CfnParameter } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketPublicAccessBlock } from '../../../src/rules/s3/bucket-public-access-block';
import { findingsOf, lines, shop } from '../rule-harness';

const C03 = BucketPublicAccessBlock.INFO.id;

function c03(app: App) {
  return findingsOf(app, [C03]);
}

describe('Fintech-C03-BucketPublicAccessBlock', () => {
  test('fails an L2 bucket without a public access block and passes BLOCK_ALL', () => {
    const { app, stack } = shop();
    new s3.Bucket(stack, 'Open');
    new s3.Bucket(stack, 'Closed', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    const findings = c03(app);
    expect(lines(findings)).toEqual([`${C03} Shop/Open/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/PublicAccessBlockConfiguration'],
      message: expect.stringMatching(/^AWS::S3::Bucket Open[0-9A-F]{8} has no PublicAccessBlockConfiguration, so /),
    });
    // S3 blocks public access on new buckets by default: the finding is about the missing declaration, not a public bucket.
    expect(findings[0].message).toContain('only by S3\'s default for new buckets, which the template does not declare and drift detection does not watch');
    expect(findings[0].message).not.toContain('can make it public');
  });

  test('names each flag of an L1 bucket that is off or unset', () => {
    const { app, stack } = shop();
    new s3.CfnBucket(stack, 'Partial', { publicAccessBlockConfiguration: { blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true } });
    new s3.CfnBucket(stack, 'Full', { publicAccessBlockConfiguration: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true } });
    const findings = c03(app);
    expect(lines(findings)).toEqual([`${C03} Shop/Partial`]);
    expect(findings[0].message).toContain('AWS::S3::Bucket Partial has BlockPublicPolicy false, RestrictPublicBuckets unset in its PublicAccessBlockConfiguration');
  });

  test('catches an escape hatch that turns one flag off', () => {
    const { app, stack } = shop();
    const bucket = new s3.Bucket(stack, 'Site', { blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
    (bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('PublicAccessBlockConfiguration.BlockPublicPolicy', 'false');
    expect(c03(app).map(f => f.message)).toEqual([expect.stringContaining('has BlockPublicPolicy "false" in its PublicAccessBlockConfiguration')]);
  });

  test('treats intrinsic flags and configurations as unknown', () => {
    const { app, stack } = shop();
    const flag = new CfnParameter(stack, 'Block', { type: 'String' });
    new s3.CfnBucket(stack, 'Param', {
      publicAccessBlockConfiguration: { blockPublicAcls: true, blockPublicPolicy: flag.valueAsString as unknown as boolean, ignorePublicAcls: true },
    }).addPropertyOverride('PublicAccessBlockConfiguration.RestrictPublicBuckets', { 'Fn::If': ['C', true, false] });
    new s3.CfnBucket(stack, 'Conditional').addPropertyOverride('PublicAccessBlockConfiguration', { 'Fn::If': ['C', {}, {}] });
    expect(c03(app)).toEqual([]);
  });
});
