import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { BucketEncryptionMode, SecureBucket } from '../../src/data/secure-bucket';
import { SecureQueue } from '../../src/data/secure-queue';
import { SecureTopic } from '../../src/data/secure-topic';
import { DataKey } from '../../src/encryption/data-key';
import { dataKeyOf } from '../../src/encryption/key-of';
import { stackIn, testApp } from '../support/fintech-fixture';

describe('dataKeyOf', () => {
  test('finds the DataKey of library constructs, whether they made it or were given it', () => {
    const stack = stackIn(testApp(), 'prod');
    const shared = new DataKey(stack, 'Shared', { aliasBase: 'shared' });
    const queue = new SecureQueue(stack, 'Orders');
    const topic = new SecureTopic(stack, 'Events', { dataKey: shared });
    const bucket = new SecureBucket(stack, 'Archive');
    expect(dataKeyOf(queue)).toBe(queue.dataKey);
    expect(dataKeyOf(queue)).toBeInstanceOf(DataKey);
    expect(dataKeyOf(topic)).toBe(shared);
    expect(dataKeyOf(bucket)).toBe(bucket.dataKey);
    expect(dataKeyOf(bucket)).toBeInstanceOf(DataKey);
  });

  test('is undefined for a library construct without a key, for plain L2s and imports, even with a KMS key', () => {
    const stack = stackIn(testApp(), 'prod');
    const key = new kms.Key(stack, 'Key');
    expect(dataKeyOf(new SecureBucket(stack, 'Logs', { encryption: BucketEncryptionMode.S3_MANAGED }))).toBeUndefined();
    expect(dataKeyOf(new sqs.Queue(stack, 'Plain', { encryptionMasterKey: key }))).toBeUndefined();
    expect(dataKeyOf(new sns.Topic(stack, 'PlainTopic', { masterKey: key }))).toBeUndefined();
    expect(dataKeyOf(sqs.Queue.fromQueueArn(stack, 'Imported', 'arn:aws:sqs:eu-west-1:123456789012:orders'))).toBeUndefined();
  });

  test('is undefined when a dataKey property holds something other than a DataKey', () => {
    const stack = stackIn(testApp(), 'prod');
    expect(dataKeyOf({ dataKey: new kms.Key(stack, 'Key') })).toBeUndefined();
    expect(dataKeyOf({ dataKey: { key: new kms.Key(stack, 'Other'), aliasName: 'alias/ledger-data-prod' } })).toBeUndefined();
    expect(dataKeyOf({ dataKey: undefined })).toBeUndefined();
    expect(dataKeyOf({})).toBeUndefined();
  });
});
