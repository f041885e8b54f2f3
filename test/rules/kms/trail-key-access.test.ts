import { App, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DataKey, KeyConsumer } from '../../../src/encryption/data-key';
import { TrailKeyAccess } from '../../../src/rules/kms/trail-key-access';
import { findingsOf, lines, shop } from '../rule-harness';
import { keyWith, staged } from './key-harness';

const C05 = TrailKeyAccess.INFO.id;
const CLOUDTRAIL = { Service: 'cloudtrail.amazonaws.com' };
const TRAILS_OF_ACCOUNT = 'arn:aws:cloudtrail:*:123456789012:trail/*';

function c05(app: App) {
  return findingsOf(app, [C05]);
}


/** A raw trail writing to a bucket of its own, encrypted with `kmsKeyId` when given. */
function trail(scope: Construct, id: string, kmsKeyId?: string) {
  return new cloudtrail.CfnTrail(scope, id, {
    isLogging: true, s3BucketName: new s3.CfnBucket(scope, `${id}Bucket`).ref, kmsKeyId, trailName: `${id.toLowerCase()}-dev`,
  });
}

describe('Fintech-C05-TrailKeyWithoutCloudTrailAccess', () => {
  test('fails an L2 trail on a key that does not allow CloudTrail (Trail adds no statement), and passes a DataKey allowed with allowService', () => {
    const { app, stack } = staged();
    new cloudtrail.Trail(stack, 'Audit', { encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
    const dataKey = new DataKey(stack, 'AuditKey', { aliasBase: 'audit' });
    dataKey.allowService(KeyConsumer.CLOUDTRAIL);
    new cloudtrail.Trail(stack, 'Allowed', { encryptionKey: dataKey.key });
    const findings = c05(app);
    expect(lines(findings)).toEqual([`${C05} dev/Workload/Audit/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/KMSKeyId'],
      message: expect.stringMatching(/^AWS::CloudTrail::Trail Audit[0-9A-F]{8} is encrypted with AWS::KMS::Key Key[0-9A-F]{8}, whose key policy does not allow cloudtrail\.amazonaws\.com kms:GenerateDataKey\*, so the deploy fails creating the trail\.$/),
      fix: expect.stringContaining('DataKey.allowService(KeyConsumer.CLOUDTRAIL)'),
    });
  });

  test('judges a CloudTrail Lake event data store on a key of the templates the same way, whatever encryption context a statement names', () => {
    const { app, stack } = staged();
    const store = (id: string, key: kms.CfnKey) => new cloudtrail.CfnEventDataStore(stack, id, { kmsKeyId: key.attrArn, retentionPeriod: 2557 });
    store('Denied', keyWith(stack, 'OtherServiceKey', { Effect: 'Allow', Principal: { Service: 'logs.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*' }));
    store('Allowed', keyWith(stack, 'LakeKey', { Effect: 'Allow', Principal: CLOUDTRAIL, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*' }));
    store('Scoped', keyWith(stack, 'ScopedKey', {
      Effect: 'Allow',
      Principal: CLOUDTRAIL,
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:eventdatastore': 'arn:aws:cloudtrail:*:123456789012:eventdatastore/*' } },
    }));
    new cloudtrail.CfnEventDataStore(stack, 'OwnedKey', { retentionPeriod: 2557 });
    const findings = c05(app);
    expect(lines(findings)).toEqual([`${C05} dev/Workload/Denied`]);
    expect(findings[0]).toMatchObject({
      locations: ['Properties/KmsKeyId'],
      message: 'AWS::CloudTrail::EventDataStore Denied is encrypted with AWS::KMS::Key OtherServiceKey, whose key policy does not allow cloudtrail.amazonaws.com kms:GenerateDataKey*, so the deploy fails creating the event data store.',
      fix: expect.stringContaining('key policy for event data stores'),
    });
  });

  test('passes the user guide\'s statements: scoped by the trail\'s encryption context, by an aws:SourceArn built from its name, or by a wildcard', () => {
    const { app, stack } = staged();
    const context = keyWith(stack, 'Context', {
      Effect: 'Allow',
      Principal: CLOUDTRAIL,
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': TRAILS_OF_ACCOUNT } },
    });
    const sourceArn = keyWith(stack, 'SourceArn', {
      Effect: 'Allow',
      Principal: CLOUDTRAIL,
      Action: ['kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceArn': Fn.sub('arn:${AWS::Partition}:cloudtrail:${AWS::Region}:${AWS::AccountId}:trail/bysourcearn-dev') } },
    });
    const anyService = keyWith(stack, 'AnyService', { Effect: 'Allow', Principal: { Service: ['logs.amazonaws.com', 'cloudtrail.amazonaws.com'] }, Action: 'kms:*', Resource: '*' });
    trail(stack, 'ByContext', context.attrArn);
    trail(stack, 'BySourceArn', sourceArn.attrArn);
    trail(stack, 'ByAnyService', anyService.attrArn);
    expect(c05(app)).toEqual([]);
  });

  test('fails a key that allows CloudTrail only to describe it, only another service, only another encryption context, or only another trail of the templates', () => {
    const { app, stack } = staged();
    const describeOnly = keyWith(stack, 'DescribeOnly', { Effect: 'Allow', Principal: CLOUDTRAIL, Action: 'kms:DescribeKey', Resource: '*' });
    const logsOnly = keyWith(stack, 'LogsOnly', { Effect: 'Allow', Principal: { Service: 'logs.amazonaws.com' }, Action: 'kms:GenerateDataKey*', Resource: '*' });
    // Copied from a log group's statement: CloudTrail's requests never carry the CloudWatch Logs context.
    const logsContext = keyWith(stack, 'LogsContext', {
      Effect: 'Allow',
      Principal: CLOUDTRAIL,
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': 'arn:aws:logs:eu-west-1:123456789012:log-group:*' } },
    });
    const organisation = trail(stack, 'Organisation');
    const otherTrail = keyWith(stack, 'OtherTrail', {
      Effect: 'Allow',
      Principal: CLOUDTRAIL,
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceArn': organisation.attrArn } },
    });
    const denied = keyWith(stack, 'Denied',
      { Effect: 'Allow', Principal: CLOUDTRAIL, Action: 'kms:GenerateDataKey*', Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: 'kms:GenerateDataKey*', Resource: '*' });
    const bare = new kms.CfnKey(stack, 'Bare', { enableKeyRotation: true });
    for (const key of [describeOnly, logsOnly, logsContext, otherTrail, denied, bare]) trail(stack, `By${key.node.id}`, key.attrArn);
    // The trail a statement names by its ARN passes.
    const named = trail(stack, 'Named');
    named.kmsKeyId = keyWith(stack, 'NamedKey', {
      Effect: 'Allow',
      Principal: CLOUDTRAIL,
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:SourceArn': `arn:aws:cloudtrail:eu-west-1:123456789012:trail/${named.trailName}` } },
    }).attrArn;
    expect(lines(c05(app))).toEqual(['Bare', 'Denied', 'DescribeOnly', 'LogsContext', 'LogsOnly', 'OtherTrail'].map(id => `${C05} dev/Workload/By${id}`));
  });

  test('keys the templates do not define, AWS managed keys, policies they cannot read and trails without a key are not judged', () => {
    const { app, stack } = staged();
    trail(stack, 'Imported', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    trail(stack, 'Managed', 'alias/aws/cloudtrail');
    trail(stack, 'Unreadable', new kms.CfnKey(stack, 'UnreadableKey', { enableKeyRotation: true, keyPolicy: Fn.importValue('shared-key-policy') }).attrArn);
    trail(stack, 'IntrinsicPrincipal', keyWith(stack, 'IntrinsicKey', { Effect: 'Allow', Principal: { Service: Fn.importValue('trail-principal') }, Action: 'kms:*', Resource: '*' }).attrArn);
    trail(stack, 'Unencrypted');
    new cloudtrail.Trail(stack, 'ImportedL2', { encryptionKey: kms.Key.fromKeyArn(stack, 'ImportedKey', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab') });
    expect(c05(app)).toEqual([]);
  });

  test('judges a trail of a nested stack on a key its parent passes in, and one on a key another stack exports', () => {
    const { app, stack } = shop();
    const closed = keyWith(stack, 'Closed');
    const open = keyWith(stack, 'Open', { Effect: 'Allow', Principal: CLOUDTRAIL, Action: 'kms:GenerateDataKey*', Resource: '*' });
    const audit = new NestedStack(stack, 'Audit');
    trail(audit, 'Closed', closed.attrArn);
    trail(audit, 'Open', open.attrArn);
    const other = new Stack(app, 'Baseline');
    trail(other, 'Exported', closed.attrArn);
    expect(lines(c05(app))).toEqual([`${C05} Baseline/Exported`, `${C05} Shop/Audit/Closed`]);
  });
});
