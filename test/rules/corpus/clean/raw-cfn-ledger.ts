import { App, CfnDeletionPolicy, Fn, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ENV, isDurable, tagWorkload } from '../careful-team';

/**
 * The platform team's L1 style: raw Cfn* resources with every property spelled out. A rule pages the on-call topic when
 * someone schedules the deletion of a KMS key, with the topic's and the dead-letter queue's policies and the key's policy
 * letting EventBridge deliver.
 */
export function build(app: App, stage: string, defects: { readonly alertsPolicyWithoutEventBridge?: boolean } = {}): void {
  const stack = new Stack(app, `RawLedger-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'raw-ledger');
  const policy = isDurable(stage) ? CfnDeletionPolicy.RETAIN : CfnDeletionPolicy.DELETE;
  const keep = <T extends { cfnOptions: { deletionPolicy?: CfnDeletionPolicy; updateReplacePolicy?: CfnDeletionPolicy } }>(resource: T): T => {
    resource.cfnOptions.deletionPolicy = policy;
    resource.cfnOptions.updateReplacePolicy = policy;
    return resource;
  };

  const key = keep(new kms.CfnKey(stack, 'Key', {
    enableKeyRotation: true,
    pendingWindowInDays: isDurable(stage) ? 30 : 7,
    keyPolicy: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: Fn.sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root') }, Action: 'kms:*', Resource: '*' },
        {
          Effect: 'Allow',
          Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          Resource: '*',
        },
      ],
    },
  }));

  const bucket = keep(new s3.CfnBucket(stack, 'Journal', {
    bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms', kmsMasterKeyId: key.attrArn }, bucketKeyEnabled: true }] },
    publicAccessBlockConfiguration: { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
    versioningConfiguration: { status: 'Enabled' },
  }));
  new s3.CfnBucketPolicy(stack, 'JournalPolicy', {
    bucket: bucket.ref,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: [bucket.attrArn, Fn.join('', [bucket.attrArn, '/*'])],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }],
    },
  });

  const dlq = keep(new sqs.CfnQueue(stack, 'EntriesDlq', { kmsMasterKeyId: key.ref, messageRetentionPeriod: 1209600 }));
  const queue = keep(new sqs.CfnQueue(stack, 'Entries', {
    kmsMasterKeyId: key.ref,
    redrivePolicy: { deadLetterTargetArn: dlq.attrArn, maxReceiveCount: 3 },
  }));
  const topic = new sns.CfnTopic(stack, 'Alerts', { kmsMasterKeyId: key.ref, subscription: [{ protocol: 'email', endpoint: 'oncall@example.com' }] });
  const keyDeletion = new events.CfnRule(stack, 'KeyDeletionScheduled', {
    description: 'Pages on-call when a KMS key of the account is scheduled for deletion.',
    eventPattern: { 'source': ['aws.kms'], 'detail-type': ['KMS CMK Deletion'] },
    targets: [{
      id: 'Alerts',
      arn: topic.ref,
      deadLetterConfig: { arn: dlq.attrArn },
      retryPolicy: { maximumRetryAttempts: 8, maximumEventAgeInSeconds: 3600 },
    }],
  });
  const fromKeyDeletion = { ArnEquals: { 'aws:SourceArn': keyDeletion.attrArn } };
  new sqs.CfnQueuePolicy(stack, 'EntriesPolicy', {
    queues: [queue.ref, dlq.ref],
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Deny', Principal: '*', Action: 'sqs:*', Resource: [queue.attrArn, dlq.attrArn], Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: dlq.attrArn, Condition: fromKeyDeletion },
      ],
    },
  });

  const table = keep(new dynamodb.CfnTable(stack, 'Balances', {
    keySchema: [{ attributeName: 'accountId', keyType: 'HASH' }],
    attributeDefinitions: [{ attributeName: 'accountId', attributeType: 'S' }],
    billingMode: 'PAY_PER_REQUEST',
    sseSpecification: { sseEnabled: true, sseType: 'KMS', kmsMasterKeyId: key.attrArn },
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtectionEnabled: isDurable(stage),
  }));

  new sns.CfnTopicPolicy(stack, 'AlertsPolicy', {
    topics: [topic.ref],
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: topic.ref, Condition: { Bool: { 'aws:SecureTransport': 'false' } } },
        ...defects.alertsPolicyWithoutEventBridge ? [] : [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: topic.ref, Condition: fromKeyDeletion }],
      ],
    },
  });
  new cloudwatch.CfnAlarm(stack, 'EntriesDlqAlarm', {
    alarmDescription: 'Journal entries failed three times: inspect and redrive them.',
    namespace: 'AWS/SQS',
    metricName: 'ApproximateNumberOfMessagesVisible',
    dimensions: [{ name: 'QueueName', value: dlq.attrQueueName }],
    statistic: 'Maximum',
    period: 60,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: 'GreaterThanOrEqualToThreshold',
    treatMissingData: 'notBreaching',
    alarmActions: [topic.ref],
  });
  void table;
}
