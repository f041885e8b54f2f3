import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { StoreEncryption } from '../../../src/rules/encryption/store-encryption';
import { findingsOf, lines, testApp } from '../rule-harness';

const UNENCRYPTED = StoreEncryption.UNENCRYPTED.id;
const NO_CMK = StoreEncryption.WITHOUT_CUSTOMER_KEY.id;

function c04(app: App) {
  return findingsOf(app, [UNENCRYPTED, NO_CMK], { stage: 'prod' });
}

function shop() {
  const app = testApp();
  const stack = new Stack(app, 'Shop');
  return { app, stack, key: new kms.Key(stack, 'Key', { enableKeyRotation: true }) };
}

const KEY_SCHEMA = { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } };

describe('StoreEncryption', () => {
  test('passes queues, topics and tables encrypted with a customer key', () => {
    const { app, stack, key } = shop();
    new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key });
    new sns.Topic(stack, 'Topic', { masterKey: key });
    new dynamodb.Table(stack, 'Table', { ...KEY_SCHEMA, encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key });
    new sqs.CfnQueue(stack, 'RawQueue', { kmsMasterKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' });
    expect(c04(app)).toEqual([]);
  });

  describe('Fintech-C04-UnencryptedStore', () => {
    test('fails a topic without a key and a queue with SSE-SQS off, and cannot be acknowledged in prod', () => {
      const { app, stack } = shop();
      new sns.Topic(stack, 'Topic');
      new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.UNENCRYPTED });
      const findings = c04(app);
      expect(lines(findings)).toEqual([`${UNENCRYPTED} Shop/Queue/Resource`, `${UNENCRYPTED} Shop/Topic/Resource`]);
      expect(findings.map(f => f.message)).toEqual([
        expect.stringMatching(/^AWS::SQS::Queue Queue[0-9A-F]{8} has no KmsMasterKeyId and SqsManagedSseEnabled false, so its messages are stored in plaintext; /),
        expect.stringMatching(/^AWS::SNS::Topic Topic[0-9A-F]{8} has no KmsMasterKeyId, so SNS stores its messages unencrypted; /),
      ]);
      expect(findings[0]).toMatchObject({ severity: 'error', locations: ['Properties/KmsMasterKeyId'] });
      expect(StoreEncryption.UNENCRYPTED.acknowledgeableInDurableStages).toBe(false);
    });

    test('catches an escape hatch that removes the key of an encrypted L2 topic', () => {
      const { app, stack, key } = shop();
      const topic = new sns.Topic(stack, 'Topic', { masterKey: key });
      (topic.node.defaultChild as sns.CfnTopic).addPropertyDeletionOverride('KmsMasterKeyId');
      expect(lines(c04(app))).toEqual([`${UNENCRYPTED} Shop/Topic/Resource`]);
    });
  });

  describe('Fintech-C04-StoreWithoutCustomerKey', () => {
    test('fails SSE-SQS, AWS managed keys and DynamoDB default encryption', () => {
      const { app, stack } = shop();
      new sqs.Queue(stack, 'SqsManaged', { encryption: sqs.QueueEncryption.SQS_MANAGED });
      new sqs.CfnQueue(stack, 'Unset');
      new sqs.CfnQueue(stack, 'AwsManaged', { kmsMasterKeyId: 'alias/aws/sqs' });
      new sns.CfnTopic(stack, 'AwsManagedTopic', { kmsMasterKeyId: 'arn:aws:kms:eu-west-1:123456789012:alias/aws/sns' });
      new dynamodb.Table(stack, 'Owned', KEY_SCHEMA);
      new dynamodb.Table(stack, 'Managed', { ...KEY_SCHEMA, encryption: dynamodb.TableEncryption.AWS_MANAGED });
      const findings = c04(app);
      expect(lines(findings)).toEqual([
        `${NO_CMK} Shop/AwsManaged`,
        `${NO_CMK} Shop/AwsManagedTopic`,
        `${NO_CMK} Shop/Managed/Resource`,
        `${NO_CMK} Shop/Owned/Resource`,
        `${NO_CMK} Shop/SqsManaged/Resource`,
        `${NO_CMK} Shop/Unset`,
      ]);
      const byId = (id: string) => findings.find(f => f.logicalId.startsWith(id))!;
      expect(byId('AwsManaged').message).toBe('AWS::SQS::Queue AwsManaged has KmsMasterKeyId "alias/aws/sqs", an AWS managed key; it must use a customer managed KMS key.');
      expect(byId('Unset').message).toContain('SQS-owned key (SSE-SQS)');
      expect(byId('Owned').message).toMatch(/^AWS::DynamoDB::Table Owned[0-9A-F]{8} has no SSESpecification, so DynamoDB encrypts it with an AWS owned key/);
      expect(byId('Managed')).toMatchObject({ locations: ['Properties/SSESpecification'], message: expect.stringContaining('alias/aws/dynamodb') });
    });

    test('catches an escape hatch that swaps a table key for the AWS managed one', () => {
      const { app, stack, key } = shop();
      const table = new dynamodb.Table(stack, 'Table', { ...KEY_SCHEMA, encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED, encryptionKey: key });
      (table.node.defaultChild as dynamodb.CfnTable).addPropertyOverride('SSESpecification.KMSMasterKeyId', 'alias/aws/dynamodb');
      expect(c04(app)).toEqual([expect.objectContaining({ ruleId: NO_CMK, locations: ['Properties/SSESpecification/KMSMasterKeyId'] })]);
    });
  });

  test('treats intrinsic keys and settings as unknown', () => {
    const { app, stack } = shop();
    const keyArn = new CfnParameter(stack, 'KeyArn', { type: 'String' });
    new sqs.CfnQueue(stack, 'Queue', { kmsMasterKeyId: keyArn.valueAsString });
    new sns.CfnTopic(stack, 'Topic', { kmsMasterKeyId: keyArn.valueAsString });
    new dynamodb.CfnTable(stack, 'Table', {
      keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
      attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
    }).addPropertyOverride('SSESpecification', { 'Fn::If': ['C', { SSEEnabled: true }, { Ref: 'AWS::NoValue' }] });
    expect(c04(app)).toEqual([]);
  });
});
