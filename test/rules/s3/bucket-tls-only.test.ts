import { App, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketTlsOnly } from '../../../src/rules/s3/bucket-tls-only';
import { findingsOf, lines, shop } from '../rule-harness';

const C03 = BucketTlsOnly.INFO.id;

function c03(app: App) {
  return findingsOf(app, [C03]);
}

const DENY_HTTP = {
  Effect: 'Deny',
  Principal: { AWS: '*' },
  Action: 's3:*',
  Resource: '*',
  Condition: { Bool: { 'aws:SecureTransport': 'false' } },
};

describe('Fintech-C03-BucketTlsOnly', () => {
  test('fails an L2 bucket without enforceSSL and passes one with it', () => {
    const { app, stack } = shop();
    new s3.Bucket(stack, 'Plain');
    new s3.Bucket(stack, 'Tls', { enforceSSL: true });
    const findings = c03(app);
    expect(lines(findings)).toEqual([`${C03} Shop/Plain/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/^AWS::S3::Bucket Plain[0-9A-F]{8} has no AWS::S3::BucketPolicy denying requests where aws:SecureTransport is false/),
      fix: expect.stringContaining('enforceSSL: true'),
    });
  });

  test('fails a bucket whose policy allows other things but does not deny plain HTTP', () => {
    const { app, stack } = shop();
    const bucket = new s3.Bucket(stack, 'Shared');
    bucket.addToResourcePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')], principals: [new iam.AccountRootPrincipal()] }));
    expect(lines(c03(app))).toEqual([`${C03} Shop/Shared/Resource`]);
  });

  test('finds L1 policies by Ref and by literal bucket name', () => {
    const { app, stack } = shop();
    const byRef = new s3.CfnBucket(stack, 'ByRef');
    new s3.CfnBucketPolicy(stack, 'ByRefPolicy', { bucket: byRef.ref, policyDocument: { Statement: [DENY_HTTP] } });
    new s3.CfnBucket(stack, 'ByName', { bucketName: 'ledger-archive-123456789012-dev' });
    new s3.CfnBucketPolicy(stack, 'ByNamePolicy', { bucket: 'ledger-archive-123456789012-dev', policyDocument: { Statement: DENY_HTTP } });
    new s3.CfnBucket(stack, 'Without');
    new s3.CfnBucketPolicy(stack, 'Elsewhere', { bucket: 'someone-elses-bucket', policyDocument: { Statement: [DENY_HTTP] } });
    expect(lines(c03(app))).toEqual([`${C03} Shop/Without`]);
  });

  test('requires a deny of all S3 actions to everyone: an Allow or a narrower deny does not count', () => {
    const { app, stack } = shop();
    const allow = new s3.CfnBucket(stack, 'Allow');
    new s3.CfnBucketPolicy(stack, 'AllowPolicy', { bucket: allow.ref, policyDocument: { Statement: [{ ...DENY_HTTP, Effect: 'Allow' }] } });
    const narrow = new s3.CfnBucket(stack, 'Narrow');
    new s3.CfnBucketPolicy(stack, 'NarrowPolicy', { bucket: narrow.ref, policyDocument: { Statement: [{ ...DENY_HTTP, Action: 's3:GetObject' }] } });
    expect(lines(c03(app))).toEqual([`${C03} Shop/Allow`, `${C03} Shop/Narrow`]);
  });

  test('requires the deny to cover the bucket and all its objects: a prefix does not count (raw Cfn*)', () => {
    const { app, stack } = shop();
    const whole = new s3.CfnBucket(stack, 'Whole');
    new s3.CfnBucketPolicy(stack, 'WholePolicy', { bucket: whole.ref, policyDocument: { Statement: [{ ...DENY_HTTP, Resource: [whole.attrArn, `${whole.attrArn}/*`] }] } });
    const prefix = new s3.CfnBucket(stack, 'Prefix');
    new s3.CfnBucketPolicy(stack, 'PrefixPolicy', { bucket: prefix.ref, policyDocument: { Statement: [{ ...DENY_HTTP, Resource: [prefix.attrArn, `${prefix.attrArn}/incoming/*`] }] } });
    const objectsOnly = new s3.CfnBucket(stack, 'ObjectsOnly');
    new s3.CfnBucketPolicy(stack, 'ObjectsOnlyPolicy', { bucket: objectsOnly.ref, policyDocument: { Statement: [{ ...DENY_HTTP, Resource: `${objectsOnly.attrArn}/*` }] } });
    const findings = c03(app);
    expect(lines(findings)).toEqual([`${C03} Shop/ObjectsOnly`, `${C03} Shop/Prefix`]);
    expect(findings[0].message).toContain('with a Resource that covers the resource ARN and every object below it (<ARN>/*)');
  });

  test('catches an escape hatch that rewrites the generated policy', () => {
    const { app, stack } = shop();
    const bucket = new s3.Bucket(stack, 'Orders', { enforceSSL: true });
    (bucket.policy!.node.defaultChild as s3.CfnBucketPolicy).addPropertyOverride('PolicyDocument.Statement', []);
    expect(lines(c03(app))).toEqual([`${C03} Shop/Orders/Resource`]);
  });

  test('treats intrinsic policies and policy targets as unknown', () => {
    const { app, stack } = shop();
    const conditional = new s3.CfnBucket(stack, 'Conditional');
    new s3.CfnBucketPolicy(stack, 'ConditionalPolicy', { bucket: conditional.ref, policyDocument: { 'Fn::If': ['C', { Statement: [] }, { Statement: [] }] } });
    const statement = new s3.CfnBucket(stack, 'ConditionalStatement');
    new s3.CfnBucketPolicy(stack, 'StatementPolicy', { bucket: statement.ref, policyDocument: { Statement: [{ 'Fn::If': ['C', DENY_HTTP, { Ref: 'AWS::NoValue' }] }] } });
    expect(c03(app)).toEqual([]);

    // An import no stack of the app exports is a bucket outside it: the app's own bucket is still judged.
    const imported = shop();
    new s3.CfnBucket(imported.stack, 'Own');
    new s3.CfnBucketPolicy(imported.stack, 'Imported', { bucket: Fn.importValue('BucketName'), policyDocument: { Statement: [DENY_HTTP] } });
    expect(lines(c03(imported.app))).toEqual([`${C03} Shop/Own`]);
  });

  test('finds the policy a security stack or a nested stack writes for another stack\'s bucket, and judges what it covers', () => {
    const build = (place: 'security stack' | 'nested stack', objects: string) => {
      const { app, stack } = shop();
      const archive = new s3.Bucket(stack, 'Archive');
      const scope = place === 'security stack' ? new Stack(app, 'Security') : new NestedStack(stack, 'Security');
      const policy = new s3.BucketPolicy(scope, 'ArchiveTlsOnly', { bucket: archive });
      policy.document.addStatements(new iam.PolicyStatement({
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:*'],
        resources: [archive.bucketArn, archive.arnForObjects(objects)],
        conditions: { Bool: { 'aws:SecureTransport': 'false' } },
      }));
      return lines(c03(app));
    };
    expect(build('security stack', '*')).toEqual([]);
    expect(build('nested stack', '*')).toEqual([]);
    expect(build('security stack', 'uploads/*')).toEqual([`${C03} Shop/Archive/Resource`]);
    expect(build('nested stack', 'uploads/*')).toEqual([`${C03} Shop/Archive/Resource`]);
  });
});
