import { App, Aspects, AspectPriority, CfnResource, Fn, IAspect, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dsql from 'aws-cdk-lib/aws-dsql';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as fsx from 'aws-cdk-lib/aws-fsx';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as msk from 'aws-cdk-lib/aws-msk';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct, IConstruct } from 'constructs';
import { STATEFUL_RESOURCE_TYPES } from '../../src/facts/stateful-resources';
import { StageRemovalPolicy } from '../../src/stage/stage-removal-policy';
import { CONFIG, stackIn, synthReport, testApp } from '../support/fintech-fixture';

const TABLE_KEY = { keySchema: [{ attributeName: 'id', keyType: 'HASH' }], attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }], billingMode: 'PAY_PER_REQUEST' };

/** One of each stateful resource the catalog names, as L2 constructs and as raw L1s. */
function workload(scope: Construct) {
  new s3.Bucket(scope, 'Bucket');
  new dynamodb.Table(scope, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
  new kms.Key(scope, 'Key');
  new logs.LogGroup(scope, 'Logs');
  new sqs.Queue(scope, 'Queue');
  new ecr.Repository(scope, 'Images');
  new cognito.UserPool(scope, 'Users');
  new rds.CfnDBCluster(scope, 'Cluster', { engine: 'aurora-postgresql' });
  new rds.CfnDBInstance(scope, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', allocatedStorage: '20' });
  new dynamodb.CfnTable(scope, 'RawTable', TABLE_KEY);
  new kms.CfnKey(scope, 'RawKey', { keyPolicy: {} });
  new logs.CfnLogGroup(scope, 'RawLogs');
  new sqs.CfnQueue(scope, 'RawQueue');
  new CfnResource(scope, 'GenericQueue', { type: 'AWS::SQS::Queue' });
}

/** DeletionPolicy and UpdateReplacePolicy of every resource of `type`, by logical id. */
function policies(template: Template, type: string): Array<[string, string, string]> {
  return Object.entries(template.findResources(type)).map(([id, r]) => [id, r.DeletionPolicy, r.UpdateReplacePolicy]);
}

/** How many resources of each stateful type `workload` creates. */
const WORKLOAD_COUNTS: Array<[string, number]> = [
  ['AWS::S3::Bucket', 1],
  ['AWS::DynamoDB::Table', 2],
  ['AWS::KMS::Key', 2],
  ['AWS::Logs::LogGroup', 2],
  ['AWS::SQS::Queue', 3],
  ['AWS::ECR::Repository', 1],
  ['AWS::Cognito::UserPool', 1],
  ['AWS::RDS::DBCluster', 1],
  ['AWS::RDS::DBInstance', 1],
];

describe('StageRemovalPolicy', () => {
  describe('in an ephemeral stage', () => {
    const stack = stackIn(testApp(), 'dev');
    workload(stack);
    const template = Template.fromStack(stack);

    test.each(WORKLOAD_COUNTS)('every %s (L2, raw L1 and generic CfnResource alike) is deleted with the stack and on replacement', (type, count) => {
      const found = policies(template, type);
      expect(found).toHaveLength(count);
      expect(found).toEqual(found.map(([id]) => [id, 'Delete', 'Delete']));
    });

    test('deletion protection is off wherever the type has it', () => {
      template.allResourcesProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
      template.hasResourceProperties('AWS::RDS::DBCluster', { DeletionProtection: false });
      template.hasResourceProperties('AWS::RDS::DBInstance', { DeletionProtection: false });
      template.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'INACTIVE' });
    });

    test('keys go after the shortest waiting period and repositories are emptied', () => {
      template.allResourcesProperties('AWS::KMS::Key', { PendingWindowInDays: 7 });
      template.hasResourceProperties('AWS::ECR::Repository', { EmptyOnDelete: true });
    });

    test('an s3.Bucket is emptied before deletion, through the L2 so it keeps one bucket policy', () => {
      const bucketId = Object.keys(template.findResources('AWS::S3::Bucket'))[0];
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
      template.hasResource('Custom::S3AutoDeleteObjects', { Properties: { BucketName: { Ref: bucketId } }, DeletionPolicy: 'Delete' });
      template.resourceCountIs('AWS::S3::BucketPolicy', 1);
      template.hasResourceProperties('AWS::S3::BucketPolicy', { Bucket: { Ref: bucketId } });
      template.hasResourceProperties('AWS::S3::Bucket', { Tags: Match.arrayWith([{ Key: 'aws-cdk:auto-delete-objects', Value: 'true' }]) });
    });
  });

  describe('in a durable stage', () => {
    const stack = stackIn(testApp(), 'prod');
    workload(stack);
    const template = Template.fromStack(stack);

    test.each(WORKLOAD_COUNTS.filter(([type]) => !type.startsWith('AWS::RDS::')))('every %s is retained, on deletion and on replacement', (type, count) => {
      const found = policies(template, type);
      expect(found).toHaveLength(count);
      expect(found).toEqual(found.map(([id]) => [id, 'Retain', 'Retain']));
    });

    test('databases keep a final snapshot', () => {
      template.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
      template.hasResource('AWS::RDS::DBInstance', { DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot' });
    });

    test('deletion protection is on wherever the type has it', () => {
      template.allResourcesProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
      // Log groups are retained, but the catalog asks for no deletion protection on them.
      template.allResourcesProperties('AWS::Logs::LogGroup', { DeletionProtectionEnabled: Match.absent() });
      template.hasResourceProperties('AWS::RDS::DBCluster', { DeletionProtection: true });
      template.hasResourceProperties('AWS::RDS::DBInstance', { DeletionProtection: true });
      template.hasResourceProperties('AWS::Cognito::UserPool', { DeletionProtection: 'ACTIVE' });
    });

    test('nothing is emptied or hurried', () => {
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
      expect(Object.values(template.findResources('AWS::KMS::Key')).map(k => k.Properties.PendingWindowInDays)).toEqual([undefined, undefined]);
      template.hasResourceProperties('AWS::ECR::Repository', { EmptyOnDelete: Match.absent() });
    });
  });

  describe('buckets', () => {
    test('a bucket that already auto-deletes is not wired twice', () => {
      const stack = stackIn(testApp(), 'dev');
      new s3.Bucket(stack, 'Bucket', { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
      Template.fromStack(stack).resourceCountIs('Custom::S3AutoDeleteObjects', 1);
    });

    test('a bucket whose DeletionPolicy an escape hatch keeps is not emptied', () => {
      const stack = stackIn(testApp(), 'dev');
      const bucket = new s3.Bucket(stack, 'Bucket');
      (bucket.node.defaultChild as s3.CfnBucket).addOverride('DeletionPolicy', 'Retain');
      const template = Template.fromStack(stack);
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
      template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
    });

    test('without Bucket.enableAutoDeleteObjects (another aws-cdk-lib), an s3.Bucket is emptied through the public mixin, with a warning', () => {
      const stack = stackIn(testApp(), 'dev');
      const bucket = new s3.Bucket(stack, 'Bucket');
      Object.defineProperty(bucket, 'enableAutoDeleteObjects', { value: undefined });
      const template = Template.fromStack(stack);
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
      template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
      Annotations.fromStack(stack).hasWarning('/dev/Workload/Bucket/Resource', Match.stringLikeRegexp('^This aws-cdk-lib has no Bucket\\.enableAutoDeleteObjects, so FintechStage emptied the bucket with s3\\.mixins\\.BucketAutoDeleteObjects'));
    });

    test('a raw CfnBucket is deleted and the stage warns that nothing empties it', () => {
      const stack = stackIn(testApp(), 'dev');
      new s3.CfnBucket(stack, 'Raw');
      const template = Template.fromStack(stack);
      template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
      Annotations.fromStack(stack).hasWarning('/dev/Workload/Raw', Match.stringLikeRegexp(
        '^Raw CfnBucket dev/Workload/Raw is deleted with ephemeral stage "dev", but nothing empties it first, so deleting the stack fails while it holds objects\\. Use an s3\\.Bucket.*autoDeleteObjects'));
    });

    test('an auto-deleting bucket in a durable stage stops synth, saying why and what to do', () => {
      const app = testApp();
      new s3.Bucket(stackIn(app, 'prod'), 'Scratch', { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
      expect(() => app.synth()).toThrow(/Bucket prod\/Workload\/Scratch\/Resource has autoDeleteObjects, so it would be emptied when removed from its stack, but stage "prod" is durable and retains it\. Drop autoDeleteObjects/);
    });
  });

  describe('works with CDK aspect ordering', () => {
    // The auto-delete mixin adds a tag aspect to the bucket while aspects run; CDK refuses a
    // lower-priority aspect on a node that a higher-priority one has already visited.
    class Recorder implements IAspect {
      public readonly seen: string[] = [];
      public visit(node: IConstruct) {
        if (CfnResource.isCfnResource(node)) this.seen.push(node.cfnResourceType);
      }
    }

    test.each([
      ['off', false],
      ['on', true],
    ])('with @aws-cdk/core:aspectPrioritiesMutating %s, and a later read-only aspect, synth succeeds', (_, mutating) => {
      const app = new App({ context: { ...testApp().node.getAllContext(), '@aws-cdk/core:aspectPrioritiesMutating': mutating } });
      const stack = stackIn(app, 'dev');
      new s3.Bucket(stack, 'Bucket');
      const recorder = new Recorder();
      Aspects.of(stack).add(recorder, { priority: AspectPriority.READONLY });
      const template = Template.fromStack(stack);
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
      template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
      template.hasResourceProperties('AWS::S3::Bucket', { Tags: Match.arrayWith([{ Key: 'aws-cdk:auto-delete-objects', Value: 'true' }, { Key: 'Environment', Value: 'dev' }]) });
      // Constructs the aspect added are visited too.
      expect(recorder.seen).toEqual(expect.arrayContaining(['AWS::S3::Bucket', 'Custom::S3AutoDeleteObjects', 'AWS::S3::BucketPolicy']));
    });
  });

  describe('Aurora', () => {
    test('member instances are always deleted and carry no protection; the cluster is snapshotted and protected', () => {
      const app = testApp();
      for (const stageName of ['dev', 'prod'] as const) {
        const stack = stackIn(app, stageName);
        const cluster = new rds.CfnDBCluster(stack, 'Cluster', { engine: 'aurora-postgresql' });
        new rds.CfnDBInstance(stack, 'Writer', { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: cluster.ref });
        new CfnResource(stack, 'Reader', { type: 'AWS::RDS::DBInstance', properties: { Engine: 'aurora-postgresql', DBInstanceClass: 'db.r6g.large', DBClusterIdentifier: cluster.ref } });
      }
      const [dev, prod] = ['dev', 'prod'].map(name => Template.fromStack(app.node.findChild(name).node.findChild('Workload') as Stack));
      for (const template of [dev, prod]) {
        expect(policies(template, 'AWS::RDS::DBInstance').map(([, d, u]) => [d, u])).toEqual([['Delete', 'Delete'], ['Delete', 'Delete']]);
        template.allResourcesProperties('AWS::RDS::DBInstance', { DeletionProtection: Match.absent() });
      }
      prod.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Snapshot', Properties: { DeletionProtection: true } });
      dev.hasResource('AWS::RDS::DBCluster', { DeletionPolicy: 'Delete', Properties: { DeletionProtection: false } });
    });
  });

  describe('DynamoDB global tables', () => {
    test('deletion protection is set on every replica', () => {
      const app = testApp();
      for (const stageName of ['dev', 'prod'] as const) {
        new dynamodb.TableV2(stackIn(app, stageName), 'Global', {
          partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
          replicas: [{ region: 'us-east-1' }],
        });
      }
      for (const [stageName, on, policy] of [['dev', false, 'Delete'], ['prod', true, 'Retain']] as const) {
        const template = Template.fromStack(app.node.findChild(stageName).node.findChild('Workload') as Stack);
        template.hasResource('AWS::DynamoDB::GlobalTable', {
          DeletionPolicy: policy,
          Properties: {
            Replicas: [
              Match.objectLike({ Region: 'us-east-1', DeletionProtectionEnabled: on }),
              Match.objectLike({ Region: 'eu-west-1', DeletionProtectionEnabled: on }),
            ],
          },
        });
      }
    });
  });

  test('a generic global table gets replica protection too; one whose replicas are unknown at synth gets a warning instead of a guess', () => {
    const stack = stackIn(testApp(), 'prod');
    new CfnResource(stack, 'Generic', { type: 'AWS::DynamoDB::GlobalTable', properties: { Replicas: [{ Region: 'eu-west-1' }] } });
    const replicas = Fn.conditionIf('TwoRegions', [{ Region: 'eu-west-1' }, { Region: 'us-east-1' }], [{ Region: 'eu-west-1' }]);
    new CfnResource(stack, 'Global', { type: 'AWS::DynamoDB::GlobalTable', properties: { Replicas: replicas } });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain', Properties: { Replicas: [{ Region: 'eu-west-1', DeletionProtectionEnabled: true }] } });
    template.hasResource('AWS::DynamoDB::GlobalTable', { DeletionPolicy: 'Retain', Properties: { Replicas: { 'Fn::If': Match.anyValue() } } });
    Annotations.fromStack(stack).hasWarning('/prod/Workload/Global', Match.stringLikeRegexp('^Could not read Replicas of prod/Workload/Global, so FintechStage did not turn DeletionProtectionEnabled on in each of them; set it yourself\\.'));
  });

  describe('acknowledgements', () => {
    test('Fintech-C02-StageRemovalPolicy on a construct leaves it and its children exactly as the user set them', () => {
      const stack = stackIn(testApp(), 'prod');
      const scratch = new dynamodb.Table(stack, 'Scratch', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, removalPolicy: RemovalPolicy.DESTROY });
      Validations.of(scratch).acknowledge({ id: StageRemovalPolicy.ACKNOWLEDGEMENT_ID, reason: 'rebuilt from the ledger every night' });
      new dynamodb.Table(stack, 'Kept', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
      const tables = Template.fromStack(stack).findResources('AWS::DynamoDB::Table');
      expect(Object.entries(tables).map(([id, t]) => [id.replace(/[0-9A-F]{8}$/, ''), t.DeletionPolicy, t.Properties.DeletionProtectionEnabled]))
        .toEqual([['Scratch', 'Delete', undefined], ['Kept', 'Retain', true]]);
    });

    test('an acknowledged Fintech-C02 rule counts as the user deciding, too', () => {
      const stack = stackIn(testApp(), 'dev');
      const kept = new sqs.Queue(stack, 'Kept', { removalPolicy: RemovalPolicy.RETAIN });
      Validations.of(kept).acknowledge({ id: 'Fintech-C02-EphemeralRetainsData', reason: 'replayed into the next preview' });
      new sqs.Queue(stack, 'Other');
      const queues = Template.fromStack(stack).findResources('AWS::SQS::Queue');
      expect(Object.entries(queues).map(([id, q]) => [id.replace(/[0-9A-F]{8}$/, ''), q.DeletionPolicy])).toEqual([['Kept', 'Retain'], ['Other', 'Delete']]);
    });

    test('acknowledging Fintech-C02-BucketNotEmptiedOnDelete only stops the emptying', () => {
      const stack = stackIn(testApp(), 'dev');
      const bucket = new s3.Bucket(stack, 'Evidence');
      Validations.of(bucket).acknowledge({ id: 'Fintech-C02-BucketNotEmptiedOnDelete', reason: 'emptied by the test harness first' });
      const template = Template.fromStack(stack);
      template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    });

    test('acknowledging an unrelated rule changes nothing', () => {
      const stack = stackIn(testApp(), 'dev');
      const queue = new sqs.Queue(stack, 'Queue', { removalPolicy: RemovalPolicy.RETAIN });
      Validations.of(queue).acknowledge({ id: 'Fintech-C01-RequiredTags', reason: 'not this one' });
      Template.fromStack(stack).hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Delete' });
    });
  });

  test('can be used on its own, outside a FintechStage', () => {
    const app = new App();
    const stack = new Stack(app, 'Plain');
    new sqs.Queue(stack, 'Queue');
    Aspects.of(stack).add(new StageRemovalPolicy({ durable: false }), { priority: AspectPriority.MUTATING });
    Template.fromStack(stack).hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Delete' });
    expect(new StageRemovalPolicy({ durable: true }).durable).toBe(true);
  });

  test('the list covers every type the catalog names, with snapshots only for databases', () => {
    expect(Object.keys(STATEFUL_RESOURCE_TYPES)).toEqual(expect.arrayContaining([
      'AWS::S3::Bucket', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable', 'AWS::RDS::DBInstance', 'AWS::RDS::DBCluster', 'AWS::KMS::Key',
      'AWS::Logs::LogGroup', 'AWS::SQS::Queue', 'AWS::ECR::Repository', 'AWS::Cognito::UserPool', 'AWS::EFS::FileSystem',
      'AWS::SecretsManager::Secret', 'AWS::MemoryDB::Cluster', 'AWS::RedshiftServerless::Namespace', 'AWS::Cassandra::Table', 'AWS::AmazonMQ::Broker',
    ]));
    // A topic keeps no messages: nothing is lost when it is deleted, so the stage leaves its removal alone.
    expect(Object.keys(STATEFUL_RESOURCE_TYPES)).not.toContain('AWS::SNS::Topic');
    const snapshotted = Object.entries(STATEFUL_RESOURCE_TYPES).filter(([, spec]) => spec.durablePolicy === 'Snapshot').map(([type]) => type);
    // The types CloudFormation can snapshot (DeletionPolicy attribute reference).
    const snapshottable = ['AWS::DocDB::DBCluster', 'AWS::EC2::Volume', 'AWS::ElastiCache::CacheCluster', 'AWS::ElastiCache::ReplicationGroup',
      'AWS::Neptune::DBCluster', 'AWS::RDS::DBCluster', 'AWS::RDS::DBInstance', 'AWS::Redshift::Cluster'];
    expect(snapshotted.filter(type => !snapshottable.includes(type))).toEqual([]);
    expect(snapshotted).toEqual(expect.arrayContaining(['AWS::RDS::DBInstance', 'AWS::RDS::DBCluster']));
  });

  test('an Aurora DSQL cluster is kept and protected in a durable stage, deleted and unprotected in an ephemeral one', () => {
    const prod = stackIn(testApp(), 'prod');
    const dev = stackIn(testApp(), 'dev');
    new dsql.CfnCluster(prod, 'Ledger');
    new dsql.CfnCluster(dev, 'Ledger', { deletionProtectionEnabled: true });
    Template.fromStack(prod).hasResource('AWS::DSQL::Cluster', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain', Properties: { DeletionProtectionEnabled: true } });
    Template.fromStack(dev).hasResource('AWS::DSQL::Cluster', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete', Properties: { DeletionProtectionEnabled: false } });
  });

  test('the fixture config keeps one ephemeral and one durable stage', () => {
    expect(CONFIG.environments.map(e => [e.name, e.durable])).toEqual([['dev', false], ['prod', true]]);
  });

  describe('data stores of fintech workloads beyond the first ones (file systems, streams, search, caches, Kafka, FSx)', () => {
    /** One of each, as the L2 where aws-cdk-lib has one and as a raw L1 otherwise. */
    function dataStores(scope: Construct) {
      const vpc = new ec2.Vpc(scope, 'Vpc', { maxAzs: 2, natGateways: 0 });
      new efs.FileSystem(scope, 'Files', { vpc });
      new kinesis.Stream(scope, 'Payments');
      new opensearch.Domain(scope, 'Search', { version: opensearch.EngineVersion.OPENSEARCH_2_11 });
      new elasticache.CfnReplicationGroup(scope, 'Sessions', { replicationGroupDescription: 'sessions', engine: 'valkey', cacheNodeType: 'cache.t4g.micro', numCacheClusters: 2 });
      new elasticache.CfnServerlessCache(scope, 'Quotes', { engine: 'valkey', serverlessCacheName: 'quotes' });
      new msk.CfnCluster(scope, 'Kafka', { clusterName: 'ledger', kafkaVersion: '3.6.0', numberOfBrokerNodes: 2, brokerNodeGroupInfo: { clientSubnets: ['subnet-1', 'subnet-2'], instanceType: 'kafka.m7g.large' } });
      new msk.CfnServerlessCluster(scope, 'Events', { clusterName: 'events', clientAuthentication: { sasl: { iam: { enabled: true } } }, vpcConfigs: [{ subnetIds: ['subnet-1', 'subnet-2'] }] });
      // fsx.LustreFileSystem retains by default; the stage decides.
      new fsx.LustreFileSystem(scope, 'Batches', {
        vpc,
        vpcSubnet: vpc.isolatedSubnets[0] ?? vpc.publicSubnets[0],
        storageCapacityGiB: 1200,
        lustreConfiguration: { deploymentType: fsx.LustreDeploymentType.PERSISTENT_2, perUnitStorageThroughput: 125 },
      });
      new fsx.CfnVolume(scope, 'Archive', { name: 'archive', volumeType: 'ONTAP', ontapConfiguration: { storageVirtualMachineId: 'svm-0a1b2c3d', junctionPath: '/archive' } });
    }
    const TYPES: Array<[string, string]> = [
      ['AWS::EFS::FileSystem', 'Retain'], ['AWS::Kinesis::Stream', 'Retain'], ['AWS::OpenSearchService::Domain', 'Retain'],
      ['AWS::ElastiCache::ReplicationGroup', 'Snapshot'], ['AWS::ElastiCache::ServerlessCache', 'Retain'],
      ['AWS::MSK::Cluster', 'Retain'], ['AWS::MSK::ServerlessCluster', 'Retain'], ['AWS::FSx::FileSystem', 'Retain'], ['AWS::FSx::Volume', 'Retain'],
    ];

    test('are retained (replication groups snapshotted) in a durable stage and deleted in an ephemeral one', () => {
      const prod = stackIn(testApp(), 'prod');
      const dev = stackIn(testApp(), 'dev');
      dataStores(prod);
      dataStores(dev);
      const durable = Template.fromStack(prod);
      const ephemeral = Template.fromStack(dev);
      for (const [type, kept] of TYPES) {
        expect(STATEFUL_RESOURCE_TYPES[type]?.durablePolicy).toBe(kept);
        expect(policies(durable, type).map(([, deletion, replace]) => [type, deletion, replace])).toEqual([[type, kept, kept]]);
        expect(policies(ephemeral, type).map(([, deletion, replace]) => [type, deletion, replace])).toEqual([[type, 'Delete', 'Delete']]);
      }
      // A replication group's snapshot is one CloudFormation supports: no "snapshot removal policy ignored" warning.
      Annotations.fromStack(prod).hasNoWarning('*', Match.stringLikeRegexp('SnapshotRemovalPolicyIgnored'));
    });

    test('what the stage applies passes the C02 rules in both kinds of stage, and a raw override that deletes data is caught', () => {
      const app = testApp();
      const prod = stackIn(app, 'prod');
      dataStores(stackIn(app, 'dev'));
      dataStores(prod);
      (prod.node.findChild('Kafka') as CfnResource).addOverride('DeletionPolicy', 'Delete');
      Validations.of(prod.node.findChild('Kafka')).acknowledge({ id: 'Fintech-C02-StageRemovalPolicy', reason: 'the test overrides it' });
      const c02 = synthReport(app).violations.filter(v => v.ruleName.startsWith('Fintech-C02-'));
      expect(c02.map(v => `${v.ruleName} ${v.constructPath}`)).toEqual(['Fintech-C02-DurableDeletesData prod/Workload/Kafka']);
    });
  });
});
