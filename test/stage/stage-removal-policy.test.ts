import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { STATEFUL_RESOURCE_TYPES } from '../../src/stage/stateful-resources';
import { stackIn, testApp } from '../support/fintech-fixture';

function workload(scope: Construct) {
  new s3.Bucket(scope, 'Bucket');
  new dynamodb.Table(scope, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  new kms.Key(scope, 'Key');
  new logs.LogGroup(scope, 'Logs');
  new sqs.Queue(scope, 'Queue');
  new ecr.Repository(scope, 'Images');
  new cognito.UserPool(scope, 'Users');
  new rds.CfnDBCluster(scope, 'Cluster', { engine: 'aurora-postgresql' });
  new dynamodb.CfnTable(scope, 'RawTable', { keySchema: [{ attributeName: 'id', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }], billingMode: 'PAY_PER_REQUEST' });
}

describe('StageRemovalPolicy', () => {
  describe('in an ephemeral stage', () => {
    const stack = stackIn(testApp(), 'dev');
    workload(stack);
    const template = Template.fromStack(stack);

    test('every stateful resource is deleted with the stack, L2 and L1 alike', () => {
      for (const type of ['AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::SQS::Queue', 'AWS::ECR::Repository', 'AWS::Cognito::UserPool', 'AWS::RDS::DBCluster']) {
        for (const [id, resource] of Object.entries(template.findResources(type))) {
          expect([id, resource.DeletionPolicy, resource.UpdateReplacePolicy]).toEqual([id, 'Delete', 'Delete']);
        }
      }
      expect(Object.keys(template.findResources('AWS::DynamoDB::Table'))).toHaveLength(2);
    });

    test('deletion protection is off and deletion does not wait', () => {
      template.allResourcesProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
      template.hasResourceProperties('AWS::RDS::DBCluster', { DeletionProtection: false });
      template.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'INACTIVE' });
      template.hasResourceProperties('AWS::KMS::Key', { PendingWindowInDays: 7 });
      template.hasResourceProperties('AWS::ECR::Repository', { EmptyOnDelete: true });
    });

    test('buckets are emptied before deletion, once', () => {
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
      template.hasResourceProperties('Custom::S3AutoDeleteObjects', { BucketName: { Ref: expectLogicalId(template, 'AWS::S3::Bucket') } });
    });

    test('a bucket that already auto-deletes is not wired twice', () => {
      const own = stackIn(testApp(), 'dev');
      new s3.Bucket(own, 'Bucket', { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
      Template.fromStack(own).resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    });

    test('a raw CfnBucket is emptied too', () => {
      const raw = stackIn(testApp(), 'dev');
      new s3.CfnBucket(raw, 'Raw');
      const t = Template.fromStack(raw);
      t.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
      t.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    });
  });

  describe('in a durable stage', () => {
    const stack = stackIn(testApp(), 'prod');
    workload(stack);
    const template = Template.fromStack(stack);

    test('data is retained, databases snapshotted', () => {
      for (const type of ['AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::KMS::Key', 'AWS::Logs::LogGroup', 'AWS::SQS::Queue', 'AWS::ECR::Repository', 'AWS::Cognito::UserPool']) {
        for (const resource of Object.values(template.findResources(type))) {
          expect([type, resource.DeletionPolicy, resource.UpdateReplacePolicy]).toEqual([type, 'Retain', 'Retain']);
        }
      }
      template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    });

    test('deletion protection is on and nothing is auto-deleted', () => {
      template.allResourcesProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
      template.hasResourceProperties('AWS::RDS::DBCluster', { DeletionProtection: true });
      template.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'ACTIVE' });
      template.hasResourceProperties('AWS::Logs::LogGroup', { DeletionProtectionEnabled: true });
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    });
  });

  test('an acknowledged C02 rule leaves the resource as the user set it', () => {
    const stack = stackIn(testApp(), 'dev');
    const kept = new sqs.Queue(stack, 'Kept', { removalPolicy: RemovalPolicy.RETAIN });
    Validations.of(kept).acknowledge({ id: 'Fintech-C02-EphemeralRetainsData', reason: 'replayed into the next preview' });
    new sqs.Queue(stack, 'Other');
    const queues = Template.fromStack(stack).findResources('AWS::SQS::Queue');
    expect(Object.entries(queues).map(([id, q]) => [id.replace(/[0-9A-F]{8}$/, ''), q.DeletionPolicy])).toEqual([['Kept', 'Retain'], ['Other', 'Delete']]);
  });

  test('covers every type the catalog names', () => {
    expect(Object.keys(STATEFUL_RESOURCE_TYPES)).toEqual(expect.arrayContaining([
      'AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::KMS::Key', 'AWS::Logs::LogGroup',
      'AWS::SQS::Queue', 'AWS::SNS::Topic', 'AWS::ECR::Repository', 'AWS::Cognito::UserPool', 'AWS::EFS::FileSystem', 'AWS::SecretsManager::Secret',
    ]));
  });
});

function expectLogicalId(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0];
}
