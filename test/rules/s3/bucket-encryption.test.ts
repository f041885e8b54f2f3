import { App } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketEncryption } from '../../../src/rules/s3/bucket-encryption';
import { findingsOf, lines, shop } from '../rule-harness';

const C03 = BucketEncryption.INFO.id;

function c03(app: App) {
  return findingsOf(app, [C03]);
}

describe('Fintech-C03-BucketEncryption', () => {
  test('fails an L2 bucket that leaves encryption to the account default, naming type, logical id and problem', () => {
    const { app, stack } = shop();
    new s3.Bucket(stack, 'Orders');
    const findings = c03(app);
    expect(lines(findings)).toEqual([`${C03} Shop/Orders/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/BucketEncryption'],
      message: expect.stringMatching(/^AWS::S3::Bucket Orders[0-9A-F]{8} has no BucketEncryption, so /),
      fix: expect.stringContaining('SecureBucket'),
    });
  });

  test('passes KMS and S3-managed encryption', () => {
    const { app, stack } = shop();
    new s3.Bucket(stack, 'Kms', { encryption: s3.BucketEncryption.KMS, encryptionKey: new kms.Key(stack, 'Key') });
    new s3.Bucket(stack, 'Managed', { encryption: s3.BucketEncryption.S3_MANAGED });
    expect(c03(app)).toEqual([]);
  });

  test('fails an L1 bucket without encryption and one whose configuration declares no algorithm', () => {
    const { app, stack } = shop();
    new s3.CfnBucket(stack, 'Raw');
    new s3.CfnBucket(stack, 'Empty', { bucketEncryption: { serverSideEncryptionConfiguration: [] } });
    new s3.CfnBucket(stack, 'Declared', { bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }] } });
    const findings = c03(app);
    expect(lines(findings)).toEqual([`${C03} Shop/Empty`, `${C03} Shop/Raw`]);
    expect(findings[0].message).toContain('AWS::S3::Bucket Empty has an empty ServerSideEncryptionConfiguration');
  });

  test('catches an escape hatch that removes the encryption', () => {
    const { app, stack } = shop();
    const bucket = new s3.Bucket(stack, 'Orders', { encryption: s3.BucketEncryption.S3_MANAGED });
    (bucket.node.defaultChild as s3.CfnBucket).addPropertyDeletionOverride('BucketEncryption');
    expect(lines(c03(app))).toEqual([`${C03} Shop/Orders/Resource`]);
  });

  test('treats intrinsic encryption as unknown', () => {
    const { app, stack } = shop();
    new s3.CfnBucket(stack, 'Conditional').addPropertyOverride('BucketEncryption', { 'Fn::If': ['Enc', { ServerSideEncryptionConfiguration: [] }, { Ref: 'AWS::NoValue' }] });
    new s3.CfnBucket(stack, 'ConditionalRule').addPropertyOverride('BucketEncryption.ServerSideEncryptionConfiguration', [{ 'Fn::If': ['Enc', {}, {}] }]);
    expect(c03(app)).toEqual([]);
  });
});
