import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { BucketEncryptionMode, SecureBucket } from '../../src/data/secure-bucket';
import { DataKey } from '../../src/encryption/data-key';
import { keyAliasesOfTwoStacks, stackIn, testApp } from '../support/fintech-fixture';

describe('SecureBucket', () => {
  test('defaults: KMS with bucket keys, public access blocked, TLS only, versioned, account in the name', () => {
    const stack = stackIn(testApp(), 'prod');
    const bucket = new SecureBucket(stack, 'Statements', { nameBase: 'statements' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'ledger-statements-123456789012-prod',
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: stack.resolve(bucket.dataKey!.key.keyArn) } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    const [policy] = Object.values(template.findResources('AWS::S3::BucketPolicy'));
    const denies = policy.Properties.PolicyDocument.Statement.filter((s: any) => s.Effect === 'Deny').map((s: any) => s.Condition);
    expect(denies).toEqual(expect.arrayContaining([{ Bool: { 'aws:SecureTransport': 'false' } }, { NumericLessThan: { 's3:TlsVersion': 1.2 } }]));
  });

  test('S3-managed encryption for data without a key policy of its own', () => {
    const stack = stackIn(testApp(), 'dev');
    const bucket = new SecureBucket(stack, 'Logs', { encryption: BucketEncryptionMode.S3_MANAGED });
    expect(bucket.dataKey).toBeUndefined();
    Template.fromStack(stack).hasResourceProperties('AWS::S3::Bucket', { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } });
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 0);
  });

  test('writes access logs to another bucket', () => {
    const stack = stackIn(testApp(), 'dev');
    const logs = new SecureBucket(stack, 'AccessLogs', { encryption: BucketEncryptionMode.S3_MANAGED });
    const data = new SecureBucket(stack, 'Data', { accessLogsBucket: logs });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::S3::Bucket', { LoggingConfiguration: { DestinationBucketName: stack.resolve(logs.bucketName), LogFilePrefix: 'Data/' } });
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: stack.resolve(logs.bucketName),
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'logging.s3.amazonaws.com' },
          Action: 's3:PutObject',
          Condition: { ArnLike: { 'aws:SourceArn': stack.resolve(data.bucketArn) }, StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        })]),
      },
    });
  });

  test('refuses a key with S3-managed encryption', () => {
    const stack = stackIn(testApp(), 'dev');
    expect(() => new SecureBucket(stack, 'B', { encryption: BucketEncryptionMode.S3_MANAGED, dataKey: new DataKey(stack, 'K') }))
      .toThrow('SecureBucket at dev/Workload/B: dataKey is set but encryption is s3-managed; drop dataKey or use BucketEncryptionMode.KMS.');
  });

  test('is an IBucket: the L2\'s grants work on it directly, its key included', () => {
    const stack = stackIn(testApp(), 'dev');
    const bucket: s3.IBucket = new SecureBucket(stack, 'Archive');
    const role = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    bucket.grantWrite(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['s3:PutObject']) }),
          Match.objectLike({ Action: Match.arrayWith(['kms:GenerateDataKey*']), Resource: stack.resolve((bucket as SecureBucket).dataKey!.key.keyArn) }),
        ]),
      },
    });
  });

});

describe('SecureBucket key alias', () => {
  test('is unique in the stage when stacks use the same construct id', () => {
    expect(keyAliasesOfTwoStacks(stack => new SecureBucket(stack, 'Store'))).toEqual([['alias/ledger-ingest-store-bucket-prod'], ['alias/ledger-settle-store-bucket-prod']]);
  });
});

const durableDefaultWarnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('fintech:durable-default'));

describe('SecureBucket outside a FintechStage', () => {
  test('with an ephemeral context stage: destroyed and emptied first', () => {
    const app = testApp();
    app.node.setContext('fintech:stage', 'dev');
    const stack = new Stack(app, 'Loose');
    new SecureBucket(stack, 'Archive');
    const template = Template.fromStack(stack);
    template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
  });

  test('without context: retained, never emptied, exactly one warning for the stack', () => {
    const stack = new Stack(testApp(), 'Loose');
    new SecureBucket(stack, 'Archive');
    new SecureBucket(stack, 'Reports');
    const template = Template.fromStack(stack);
    expect(Object.values(template.findResources('AWS::S3::Bucket')).map(b => b.DeletionPolicy)).toEqual(['Retain', 'Retain']);
    template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    expect(durableDefaultWarnings(stack)).toHaveLength(1);
  });
});
