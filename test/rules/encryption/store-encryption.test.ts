import { App, CfnParameter, Fn, Size, Stack } from 'aws-cdk-lib';
import * as amazonmq from 'aws-cdk-lib/aws-amazonmq';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as bedrock from 'aws-cdk-lib/aws-bedrock';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as cassandra from 'aws-cdk-lib/aws-cassandra';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as dax from 'aws-cdk-lib/aws-dax';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as docdbelastic from 'aws-cdk-lib/aws-docdbelastic';
import * as dsql from 'aws-cdk-lib/aws-dsql';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as events from 'aws-cdk-lib/aws-events';
import * as fsx from 'aws-cdk-lib/aws-fsx';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as memorydb from 'aws-cdk-lib/aws-memorydb';
import * as msk from 'aws-cdk-lib/aws-msk';
import * as neptune from 'aws-cdk-lib/aws-neptune';
import * as neptunegraph from 'aws-cdk-lib/aws-neptunegraph';
import * as opensearchserverless from 'aws-cdk-lib/aws-opensearchserverless';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as redshift from 'aws-cdk-lib/aws-redshift';
import * as redshiftserverless from 'aws-cdk-lib/aws-redshiftserverless';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3tables from 'aws-cdk-lib/aws-s3tables';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as timestream from 'aws-cdk-lib/aws-timestream';
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

  describe('databases, image repositories and global tables', () => {
    const CUSTOMER_KEY = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const GLOBAL_TABLE = {
      keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
      attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }],
      billingMode: 'PAY_PER_REQUEST',
    };

    test('pass with a customer key: RDS instance and cluster, ECR repository, global table replicas', () => {
      const { app, stack, key } = shop();
      new rds.CfnDBInstance(stack, 'Instance', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', allocatedStorage: '20', storageEncrypted: true, kmsKeyId: key.keyArn });
      new rds.CfnDBCluster(stack, 'Cluster', { engine: 'aurora-postgresql', storageEncrypted: true, kmsKeyId: CUSTOMER_KEY });
      // An Aurora instance takes its encryption from the cluster.
      new rds.CfnDBInstance(stack, 'ClusterMember', { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: 'ledger' });
      new ecr.Repository(stack, 'Images', { encryption: ecr.RepositoryEncryption.KMS, encryptionKey: key });
      new dynamodb.CfnGlobalTable(stack, 'Global', {
        ...GLOBAL_TABLE,
        sseSpecification: { sseEnabled: true, sseType: 'KMS' },
        replicas: [{ region: 'eu-west-1', sseSpecification: { kmsMasterKeyId: key.keyArn } }],
      });
      expect(c04(app)).toEqual([]);
    });

    test('RDS storage left unencrypted is plaintext, and cannot be acknowledged in prod', () => {
      const { app, stack } = shop();
      new rds.CfnDBInstance(stack, 'Instance', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', allocatedStorage: '20' });
      new rds.CfnDBCluster(stack, 'Cluster', { engine: 'aurora-postgresql', storageEncrypted: false });
      // Restored from a snapshot: the snapshot decides, the template cannot tell.
      new rds.CfnDBInstance(stack, 'Restored', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', dbSnapshotIdentifier: 'ledger-2026-11-01' });
      const findings = c04(app);
      expect(lines(findings)).toEqual([`${UNENCRYPTED} Shop/Cluster`, `${UNENCRYPTED} Shop/Instance`]);
      expect(findings.find(f => f.constructPath === 'Shop/Instance')).toMatchObject({
        locations: ['Properties/StorageEncrypted'],
        message: 'AWS::RDS::DBInstance Instance has StorageEncrypted unset, so its database storage, automated backups, read replicas and snapshots are stored in plaintext; it must use a customer managed KMS key.',
      });
    });

    test('AWS managed and service keys fail: RDS without KmsKeyId, ECR AES256 or KMS without a key, replicas without a key', () => {
      const { app, stack } = shop();
      new rds.CfnDBInstance(stack, 'Instance', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', allocatedStorage: '20', storageEncrypted: true });
      new rds.CfnDBCluster(stack, 'Serverless', { engine: 'aurora-mysql', engineMode: 'serverless' });
      new rds.CfnDBCluster(stack, 'ManagedAlias', { engine: 'aurora-postgresql', storageEncrypted: true, kmsKeyId: 'alias/aws/rds' });
      new ecr.Repository(stack, 'Default');
      new ecr.Repository(stack, 'AwsKey', { encryption: ecr.RepositoryEncryption.KMS });
      new dynamodb.CfnGlobalTable(stack, 'Owned', { ...GLOBAL_TABLE, replicas: [{ region: 'eu-west-1' }] });
      new dynamodb.CfnGlobalTable(stack, 'Replicas', {
        ...GLOBAL_TABLE,
        sseSpecification: { sseEnabled: true, sseType: 'KMS' },
        replicas: [{ region: 'eu-west-1', sseSpecification: { kmsMasterKeyId: CUSTOMER_KEY } }, { region: 'eu-central-1' }],
      });
      const findings = c04(app);
      expect(lines(findings)).toEqual([
        `${NO_CMK} Shop/AwsKey/Resource`, `${NO_CMK} Shop/Default/Resource`, `${NO_CMK} Shop/Instance`, `${NO_CMK} Shop/ManagedAlias`,
        `${NO_CMK} Shop/Owned`, `${NO_CMK} Shop/Replicas`, `${NO_CMK} Shop/Serverless`,
      ]);
      const at = (path: string) => findings.find(f => f.constructPath === path)!;
      expect(at('Shop/Default/Resource').message).toMatch(/has no EncryptionConfiguration, so ECR encrypts its images with S3-managed keys \(AES256\)/);
      expect(at('Shop/AwsKey/Resource').locations).toEqual(['Properties/EncryptionConfiguration/KmsKey']);
      expect(at('Shop/Replicas').message).toContain('replica 1 names no KMSMasterKeyId, so that replica uses the AWS managed key alias/aws/dynamodb');
      expect(at('Shop/ManagedAlias').locations).toEqual(['Properties/KmsKeyId']);
    });
  });

  describe('file systems, streams, search domains, caches and Kafka clusters', () => {
    const BROKERS = { clientSubnets: ['subnet-1', 'subnet-2'], instanceType: 'kafka.m7g.large' };
    const VERSION = opensearch.EngineVersion.OPENSEARCH_2_11;

    test('pass with a customer key, L2 and raw alike', () => {
      const { app, stack, key } = shop();
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
      new efs.FileSystem(stack, 'Files', { vpc, kmsKey: key });
      new kinesis.Stream(stack, 'Payments', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key });
      new opensearch.Domain(stack, 'Search', { version: VERSION, encryptionAtRest: { enabled: true, kmsKey: key }, nodeToNodeEncryption: true, enforceHttps: true });
      new elasticache.CfnReplicationGroup(stack, 'Sessions', { replicationGroupDescription: 'sessions', engine: 'valkey', atRestEncryptionEnabled: true, kmsKeyId: key.keyArn, transitEncryptionEnabled: true });
      new elasticache.CfnServerlessCache(stack, 'Quotes', { engine: 'valkey', serverlessCacheName: 'quotes', kmsKeyId: key.keyId });
      new msk.CfnCluster(stack, 'Kafka', { clusterName: 'ledger', kafkaVersion: '3.6.0', numberOfBrokerNodes: 2, brokerNodeGroupInfo: BROKERS, encryptionInfo: { encryptionAtRest: { dataVolumeKmsKeyId: key.keyArn } } });
      // MSK Serverless cannot take a customer key, so it is not judged.
      new msk.CfnServerlessCluster(stack, 'Events', { clusterName: 'events', clientAuthentication: { sasl: { iam: { enabled: true } } }, vpcConfigs: [{ subnetIds: ['subnet-1'] }] });
      expect(c04(app)).toEqual([]);
    });

    test('fail plaintext stores: an unencrypted file system, stream, search domain and replication group', () => {
      const { app, stack } = shop();
      new efs.CfnFileSystem(stack, 'Files');
      new kinesis.Stream(stack, 'Payments', { encryption: kinesis.StreamEncryption.UNENCRYPTED });
      new opensearch.Domain(stack, 'Search', { version: VERSION });
      new elasticache.CfnReplicationGroup(stack, 'Sessions', { replicationGroupDescription: 'sessions', engine: 'redis' });
      const findings = c04(app);
      expect(lines(findings)).toEqual([
        `${UNENCRYPTED} Shop/Files`,
        `${UNENCRYPTED} Shop/Payments/Resource`,
        `${UNENCRYPTED} Shop/Search/Resource`,
        `${UNENCRYPTED} Shop/Sessions`,
      ]);
      const at = (path: string) => findings.find(f => f.constructPath.startsWith(path))!;
      expect(at('Shop/Files').message).toBe('AWS::EFS::FileSystem Files has Encrypted unset, so its files are stored in plaintext (and EFS cannot encrypt an existing file system); it must use a customer managed KMS key.');
      expect(at('Shop/Payments').locations).toEqual(['Properties/StreamEncryption']);
      expect(at('Shop/Search').message).toContain('EncryptionAtRestOptions.Enabled false');
      expect(at('Shop/Sessions').locations).toEqual(['Properties/AtRestEncryptionEnabled']);
    });

    test('fail service and AWS managed keys: the default kinesis.Stream, EFS without a key, MSK and serverless caches without one', () => {
      const { app, stack } = shop();
      // The default L2 stream writes an Fn::If: no encryption where Kinesis SSE is unsupported, alias/aws/kinesis elsewhere.
      new kinesis.Stream(stack, 'Payments');
      new efs.CfnFileSystem(stack, 'Files', { encrypted: true });
      new opensearch.CfnDomain(stack, 'Search', { encryptionAtRestOptions: { enabled: true, kmsKeyId: 'alias/aws/es' } });
      new elasticache.CfnServerlessCache(stack, 'Quotes', { engine: 'valkey', serverlessCacheName: 'quotes' });
      new msk.CfnCluster(stack, 'Kafka', { clusterName: 'ledger', kafkaVersion: '3.6.0', numberOfBrokerNodes: 2, brokerNodeGroupInfo: BROKERS });
      const findings = c04(app);
      expect(lines(findings)).toEqual([
        `${NO_CMK} Shop/Files`,
        `${NO_CMK} Shop/Kafka`,
        `${NO_CMK} Shop/Payments/Resource`,
        `${NO_CMK} Shop/Quotes`,
        `${NO_CMK} Shop/Search`,
      ]);
      const at = (path: string) => findings.find(f => f.constructPath.startsWith(path))!;
      expect(at('Shop/Payments').message).toContain('has KeyId "alias/aws/kinesis", an AWS managed key');
      expect(at('Shop/Files').message).toContain('alias/aws/elasticfilesystem');
      expect(at('Shop/Kafka').message).toContain('alias/aws/kafka');
    });

    test('leave intrinsic settings, global datastore members and non-KMS conditions unknown', () => {
      const { app, stack } = shop();
      const encrypted = new CfnParameter(stack, 'Encrypted', { type: 'String', allowedValues: ['true', 'false'] });
      new efs.CfnFileSystem(stack, 'Files').addPropertyOverride('Encrypted', encrypted.valueAsString);
      new elasticache.CfnReplicationGroup(stack, 'Member', { replicationGroupDescription: 'member', globalReplicationGroupId: 'ldgr-global' });
      new kinesis.CfnStream(stack, 'Payments', { shardCount: 1 }).addPropertyOverride('StreamEncryption', { 'Fn::If': ['UseCmk', { EncryptionType: 'KMS', KeyId: { Ref: 'Encrypted' } }, { Ref: 'AWS::NoValue' }] });
      expect(c04(app)).toEqual([]);
    });
  });

  describe('document, graph, warehouse, in-memory and wide-column databases, global clusters, DAX and backup vaults', () => {
    const DAX_ROLE = 'arn:aws:iam::123456789012:role/dax';
    const MEMORYDB = { nodeType: 'db.r7g.large', aclName: 'open-access' };
    const REDSHIFT = { clusterType: 'multi-node', numberOfNodes: 2, nodeType: 'ra3.xlplus', dbName: 'ledger', masterUsername: 'admin', manageMasterPassword: true };
    const COLUMNS = { keyspaceName: 'ledger', partitionKeyColumns: [{ columnName: 'id', columnType: 'text' }] };

    test('pass with a customer key, L2 and raw alike, and a DAX cluster encrypted at rest', () => {
      const { app, stack, key } = shop();
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
      new docdb.DatabaseCluster(stack, 'Documents', { masterUser: { username: 'kyc', kmsKey: key }, instanceType: new ec2.InstanceType('r6g.large'), vpc, kmsKey: key });
      new neptune.CfnDBCluster(stack, 'Graph', { storageEncrypted: true, kmsKeyId: key.keyArn });
      new redshift.CfnCluster(stack, 'Warehouse', { ...REDSHIFT, kmsKeyId: key.keyArn });
      new redshiftserverless.CfnNamespace(stack, 'Analytics', { namespaceName: 'analytics', kmsKeyId: key.keyArn });
      new memorydb.CfnCluster(stack, 'Balances', { ...MEMORYDB, clusterName: 'balances', kmsKeyId: key.keyId });
      new cassandra.CfnTable(stack, 'Positions', { ...COLUMNS, encryptionSpecification: { encryptionType: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyIdentifier: key.keyArn } });
      new backup.BackupVault(stack, 'Vault', { encryptionKey: key });
      new dax.CfnCluster(stack, 'Accelerator', { iamRoleArn: DAX_ROLE, nodeType: 'dax.r5.large', replicationFactor: 3, sseSpecification: { sseEnabled: true } });
      const global = new rds.CfnGlobalCluster(stack, 'Global', { engine: 'aurora-postgresql', storageEncrypted: true });
      // A regional cluster that joins a global cluster inherits its encryption; only its key is its own.
      new rds.CfnDBCluster(stack, 'Secondary', { engine: 'aurora-postgresql', globalClusterIdentifier: global.ref, kmsKeyId: key.keyArn });
      expect(c04(app)).toEqual([]);
    });

    test('fail plaintext: DocumentDB and Neptune without storage encryption, DAX without SSE, Redshift asked not to encrypt, a global cluster', () => {
      const { app, stack } = shop();
      new docdb.CfnDBCluster(stack, 'Documents', { masterUsername: 'kyc', masterUserPassword: 'from-secret' });
      new neptune.CfnDBCluster(stack, 'Graph', { storageEncrypted: false });
      new dax.CfnCluster(stack, 'Accelerator', { iamRoleArn: DAX_ROLE, nodeType: 'dax.r5.large', replicationFactor: 3 });
      new redshift.CfnCluster(stack, 'Warehouse', { ...REDSHIFT, encrypted: false });
      new rds.CfnGlobalCluster(stack, 'Global', { engine: 'aurora-postgresql' });
      const findings = c04(app);
      expect(lines(findings)).toEqual([
        `${UNENCRYPTED} Shop/Accelerator`,
        `${UNENCRYPTED} Shop/Documents`,
        `${UNENCRYPTED} Shop/Global`,
        `${UNENCRYPTED} Shop/Graph`,
        `${UNENCRYPTED} Shop/Warehouse`,
      ]);
      const at = (path: string) => findings.find(f => f.constructPath === path)!;
      expect(at('Shop/Documents').message).toBe('AWS::DocDB::DBCluster Documents has StorageEncrypted unset, so its documents, backups and snapshots are stored in plaintext; it must use a customer managed KMS key.');
      expect(at('Shop/Graph').message).toContain('has StorageEncrypted false');
      expect(at('Shop/Accelerator').locations).toEqual(['Properties/SSESpecification']);
      expect(at('Shop/Warehouse').locations).toEqual(['Properties/Encrypted']);
      expect(at('Shop/Global').message).toContain('every regional cluster that joins it stores its data in plaintext');
      expect(findings.every(f => f.severity === 'error')).toBe(true);
    });

    test('fail service and AWS managed keys: the default docdb.DatabaseCluster, Redshift, Redshift Serverless, MemoryDB, Keyspaces and backup vault', () => {
      const { app, stack, key } = shop();
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
      new docdb.DatabaseCluster(stack, 'Documents', { masterUser: { username: 'kyc', kmsKey: key }, instanceType: new ec2.InstanceType('r6g.large'), vpc });
      new neptune.CfnDBCluster(stack, 'Graph', { storageEncrypted: true, kmsKeyId: 'alias/aws/rds' });
      new redshift.CfnCluster(stack, 'Warehouse', REDSHIFT);
      new redshiftserverless.CfnNamespace(stack, 'Analytics', { namespaceName: 'analytics' });
      new memorydb.CfnCluster(stack, 'Balances', { ...MEMORYDB, clusterName: 'balances' });
      new cassandra.CfnTable(stack, 'Positions', COLUMNS);
      new cassandra.CfnTable(stack, 'Trades', { ...COLUMNS, encryptionSpecification: { encryptionType: 'AWS_OWNED_KMS_KEY' } });
      new backup.BackupVault(stack, 'Vault');
      const findings = c04(app);
      expect(lines(findings)).toEqual([
        `${NO_CMK} Shop/Analytics`,
        `${NO_CMK} Shop/Balances`,
        `${NO_CMK} Shop/Documents/Resource`,
        `${NO_CMK} Shop/Graph`,
        `${NO_CMK} Shop/Positions`,
        `${NO_CMK} Shop/Trades`,
        `${NO_CMK} Shop/Vault/Resource`,
        `${NO_CMK} Shop/Warehouse`,
      ]);
      const at = (path: string) => findings.find(f => f.constructPath.startsWith(path))!;
      expect(at('Shop/Documents').message).toContain('has StorageEncrypted true without KmsKeyId, so it is encrypted with the AWS managed key alias/aws/rds');
      expect(at('Shop/Graph').message).toContain('has KmsKeyId "alias/aws/rds", an AWS managed key');
      expect(at('Shop/Warehouse').message).toContain('has no KmsKeyId, so Redshift encrypts its data blocks and snapshots with a key AWS owns');
      expect(at('Shop/Balances').locations).toEqual(['Properties/KmsKeyId']);
      expect(at('Shop/Positions').locations).toEqual(['Properties/EncryptionSpecification']);
      expect(at('Shop/Trades').locations).toEqual(['Properties/EncryptionSpecification/EncryptionType']);
      expect(at('Shop/Vault').message).toContain('alias/aws/backup');
    });

    test('Aurora DSQL clusters: a key AWS owns fails, a customer key passes', () => {
      const { app, stack, key } = shop();
      new dsql.CfnCluster(stack, 'Ledger');
      new dsql.CfnCluster(stack, 'Owned', { kmsEncryptionKey: 'AWS_OWNED_KMS_KEY' });
      new dsql.CfnCluster(stack, 'Managed', { kmsEncryptionKey: 'alias/aws/dsql' });
      new dsql.CfnCluster(stack, 'Customer', { kmsEncryptionKey: key.keyArn });
      const findings = c04(app);
      expect(lines(findings)).toEqual([`${NO_CMK} Shop/Ledger`, `${NO_CMK} Shop/Managed`, `${NO_CMK} Shop/Owned`]);
      const at = (path: string) => findings.find(f => f.constructPath === path)!;
      expect(at('Shop/Ledger').message).toBe('AWS::DSQL::Cluster Ledger has no KmsEncryptionKey, so Aurora DSQL encrypts its databases with a key AWS owns; it must use a customer managed KMS key.');
      expect(at('Shop/Owned').locations).toEqual(['Properties/KmsEncryptionKey']);
      expect(at('Shop/Owned').message).toContain('has KmsEncryptionKey AWS_OWNED_KMS_KEY');
    });

    test('DocumentDB elastic clusters, Neptune Analytics graphs, Timestream databases, S3 table buckets and AgentCore memories: a service key fails, a customer key passes', () => {
      const { app, stack, key } = shop();
      const elastic = { adminUserName: 'kyc', adminUserPassword: '{{resolve:secretsmanager:kyc-admin}}', authType: 'SECRET_ARN', clusterName: 'kyc', shardCapacity: 2, shardCount: 2 };
      new docdbelastic.CfnCluster(stack, 'Documents', elastic);
      new docdbelastic.CfnCluster(stack, 'OwnDocuments', { ...elastic, clusterName: 'kyc-own', kmsKeyId: key.keyArn });
      new neptunegraph.CfnGraph(stack, 'Graph', { provisionedMemory: 16 });
      new neptunegraph.CfnGraph(stack, 'OwnGraph', { provisionedMemory: 16, kmsKeyIdentifier: key.keyArn });
      new timestream.CfnDatabase(stack, 'Ticks');
      new timestream.CfnDatabase(stack, 'OwnTicks', { kmsKeyId: key.keyArn });
      new s3tables.CfnTableBucket(stack, 'Lake', { tableBucketName: 'lake' });
      new s3tables.CfnTableBucket(stack, 'SseLake', { tableBucketName: 'sse-lake', encryptionConfiguration: { sseAlgorithm: 'AES256' } });
      new s3tables.CfnTableBucket(stack, 'OwnLake', { tableBucketName: 'own-lake', encryptionConfiguration: { sseAlgorithm: 'aws:kms', kmsKeyArn: key.keyArn } });
      new agentcore.CfnMemory(stack, 'Conversations', { name: 'conversations', eventExpiryDuration: 30 });
      new agentcore.CfnMemory(stack, 'OwnConversations', { name: 'own_conversations', eventExpiryDuration: 30, encryptionKeyArn: key.keyArn });
      const findings = c04(app);
      expect(lines(findings)).toEqual([
        `${NO_CMK} Shop/Conversations`, `${NO_CMK} Shop/Documents`, `${NO_CMK} Shop/Graph`, `${NO_CMK} Shop/Lake`, `${NO_CMK} Shop/SseLake`, `${NO_CMK} Shop/Ticks`,
      ]);
      const at = (path: string) => findings.find(f => f.constructPath === path)!;
      expect(at('Shop/Ticks').message).toBe('AWS::Timestream::Database Ticks has no KmsKeyId, so Timestream encrypts its tables with the AWS managed key alias/aws/timestream; it must use a customer managed KMS key.');
      expect(at('Shop/Graph').locations).toEqual(['Properties/KmsKeyIdentifier']);
      expect(at('Shop/SseLake').locations).toEqual(['Properties/EncryptionConfiguration/SSEAlgorithm']);
    });

    test('Bedrock agents: with memory on, no CustomerEncryptionKeyArn fails and a customer key passes; without memory (or an intrinsic one) not judged', () => {
      const { app, stack, key } = shop();
      const agent = { agentName: 'advisor', foundationModel: 'anthropic.claude-3-5-sonnet-20240620-v1:0', instruction: 'Answer questions about the customer\'s own card payments.' };
      const memory = { enabledMemoryTypes: ['SESSION_SUMMARY'], storageDays: 90 };
      new bedrock.CfnAgent(stack, 'Advisor', { ...agent, memoryConfiguration: memory });
      new bedrock.CfnAgent(stack, 'OwnAdvisor', { ...agent, agentName: 'own-advisor', memoryConfiguration: memory, customerEncryptionKeyArn: key.keyArn });
      new bedrock.CfnAgent(stack, 'ManagedAdvisor', { ...agent, agentName: 'managed-advisor', memoryConfiguration: memory, customerEncryptionKeyArn: 'alias/aws/bedrock' });
      new bedrock.CfnAgent(stack, 'Forgetful', { ...agent, agentName: 'forgetful' });
      new bedrock.CfnAgent(stack, 'EmptyMemory', { ...agent, agentName: 'empty-memory', memoryConfiguration: { enabledMemoryTypes: [] } });
      const memoryTypes = new CfnParameter(stack, 'MemoryTypes', { type: 'CommaDelimitedList' });
      new bedrock.CfnAgent(stack, 'ParameterMemory', { ...agent, agentName: 'parameter-memory', memoryConfiguration: { enabledMemoryTypes: memoryTypes.valueAsList } });
      const findings = c04(app);
      expect(lines(findings)).toEqual([`${NO_CMK} Shop/Advisor`, `${NO_CMK} Shop/ManagedAdvisor`]);
      const at = (path: string) => findings.find(f => f.constructPath === path)!;
      expect(at('Shop/Advisor').message).toBe('AWS::Bedrock::Agent Advisor has no CustomerEncryptionKeyArn, so Bedrock encrypts the session summaries its memory keeps with a key AWS owns; it must use a customer managed KMS key.');
      expect(at('Shop/Advisor').locations).toEqual(['Properties/CustomerEncryptionKeyArn']);
      expect(at('Shop/ManagedAdvisor').message).toContain('an AWS managed key');
    });

    test('OpenSearch Serverless: a collection or encryption policy asking for a key AWS owns fails; a collection left to its policy is judged there', () => {
      const { app, stack, key } = shop();
      const encryption = (id: string, body: object) => new opensearchserverless.CfnSecurityPolicy(stack, id, { name: id.toLowerCase(), type: 'encryption', policy: JSON.stringify(body) });
      const rules = [{ ResourceType: 'collection', Resource: ['collection/kb-*'] }];
      encryption('Owned', { Rules: rules, AWSOwnedKey: true });
      encryption('Customer', { Rules: rules, AWSOwnedKey: false, KmsARN: key.keyArn });
      // Raw templates write the policy with Fn::Sub, naming the stage's collections; a flag from a parameter is unknown.
      const stage = new CfnParameter(stack, 'Stage', { type: 'String' });
      const subPolicy = (id: string, owned: string) => new opensearchserverless.CfnSecurityPolicy(stack, id, {
        name: id.toLowerCase(),
        type: 'encryption',
        policy: Fn.sub('{"Rules":[{"ResourceType":"collection","Resource":["collection/kb-${Stage}"]}],"AWSOwnedKey":' + owned + '}', { Stage: stage.valueAsString }),
      });
      subPolicy('SubOwned', 'true');
      subPolicy('SubUnknown', '${Flag}');
      new opensearchserverless.CfnSecurityPolicy(stack, 'Network', { name: 'network', type: 'network', policy: JSON.stringify([{ Rules: rules, AllowFromPublic: false }]) });
      new opensearchserverless.CfnCollection(stack, 'Vectors', { name: 'kb-vectors', type: 'VECTORSEARCH' });
      new opensearchserverless.CfnCollection(stack, 'Search', { name: 'kb-search', type: 'SEARCH', encryptionConfig: { awsOwnedKey: true } });
      new opensearchserverless.CfnCollection(stack, 'Logs', { name: 'kb-logs', type: 'TIMESERIES', encryptionConfig: { awsOwnedKey: false, kmsKeyArn: key.keyArn } });
      const findings = c04(app);
      expect(lines(findings)).toEqual([`${NO_CMK} Shop/Owned`, `${NO_CMK} Shop/Search`, `${NO_CMK} Shop/SubOwned`]);
      expect(findings[0].message).toContain('is an encryption policy with AWSOwnedKey true');
      expect(findings[1].locations).toEqual(['Properties/EncryptionConfig/AWSOwnedKey']);
    });

    test('leave inherited encryption and intrinsic settings unknown: restores, clones, global cluster members, HSM keys', () => {
      const { app, stack } = shop();
      const encrypted = new CfnParameter(stack, 'Encrypted', { type: 'String', allowedValues: ['true', 'false'] });
      new docdb.CfnDBCluster(stack, 'Restored', { snapshotIdentifier: 'arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:kyc-final' });
      new neptune.CfnDBCluster(stack, 'Clone', { sourceDbClusterIdentifier: 'graph-prod', restoreType: 'copy-on-write', useLatestRestorableTime: true });
      new rds.CfnDBCluster(stack, 'Secondary', { engine: 'aurora-postgresql', globalClusterIdentifier: 'ledger-global' });
      new rds.CfnDBCluster(stack, 'PointInTime', { engine: 'aurora-postgresql', sourceDbClusterIdentifier: 'ledger-prod', restoreType: 'copy-on-write' });
      new rds.CfnGlobalCluster(stack, 'Promoted', { sourceDbClusterIdentifier: 'arn:aws:rds:eu-west-1:123456789012:cluster:ledger-prod' });
      new redshift.CfnCluster(stack, 'FromSnapshot', { ...REDSHIFT, snapshotIdentifier: 'warehouse-final' });
      new redshift.CfnCluster(stack, 'Hsm', { ...REDSHIFT, encrypted: true, hsmConfigurationIdentifier: 'hsm-config', hsmClientCertificateIdentifier: 'hsm-cert' });
      new redshift.CfnCluster(stack, 'Chosen', { ...REDSHIFT, encrypted: encrypted.valueAsString as unknown as boolean, kmsKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/x' });
      new dax.CfnCluster(stack, 'Accelerator', { iamRoleArn: DAX_ROLE, nodeType: 'dax.r5.large', replicationFactor: 3 }).addPropertyOverride('SSESpecification.SSEEnabled', encrypted.valueAsString);
      new cassandra.CfnTable(stack, 'Positions', COLUMNS).addPropertyOverride('EncryptionSpecification', { 'Fn::If': ['UseCmk', { EncryptionType: 'CUSTOMER_MANAGED_KMS_KEY' }, { Ref: 'AWS::NoValue' }] });
      expect(c04(app)).toEqual([]);
    });
  });

  describe('Amazon MQ brokers', () => {
    const BROKER = { brokerName: 'card-switch', deploymentMode: 'SINGLE_INSTANCE', hostInstanceType: 'mq.m5.large', publiclyAccessible: false, users: [] };
    const activeMq = (stack: Stack, id: string, encryptionOptions?: amazonmq.CfnBroker.EncryptionOptionsProperty) =>
      new amazonmq.CfnBroker(stack, id, { ...BROKER, engineType: 'ACTIVEMQ', engineVersion: '5.18', encryptionOptions });

    test('pass an ActiveMQ broker on a customer key, and RabbitMQ brokers, which cannot take one', () => {
      const { app, stack, key } = shop();
      activeMq(stack, 'Switch', { useAwsOwnedKey: false, kmsKeyId: key.keyArn });
      new amazonmq.CfnBroker(stack, 'Rabbit', { ...BROKER, engineType: 'RABBITMQ', engineVersion: '3.13' });
      new amazonmq.CfnBroker(stack, 'RabbitOwned', { ...BROKER, engineType: 'RabbitMQ', engineVersion: '3.13', encryptionOptions: { useAwsOwnedKey: true } });
      expect(c04(app)).toEqual([]);
    });

    test('fail ActiveMQ brokers on an AWS owned key (the default) or the AWS managed alias/aws/mq; never as plaintext', () => {
      const { app, stack } = shop();
      activeMq(stack, 'AtDefaults');
      activeMq(stack, 'Owned', { useAwsOwnedKey: true });
      activeMq(stack, 'Managed', { useAwsOwnedKey: false });
      activeMq(stack, 'ManagedAlias', { useAwsOwnedKey: false, kmsKeyId: 'alias/aws/mq' });
      const findings = c04(app);
      expect(lines(findings)).toEqual([`${NO_CMK} Shop/AtDefaults`, `${NO_CMK} Shop/Managed`, `${NO_CMK} Shop/ManagedAlias`, `${NO_CMK} Shop/Owned`]);
      const at = (id: string) => findings.find(f => f.constructPath === `Shop/${id}`)!;
      expect(at('AtDefaults')).toMatchObject({
        locations: ['Properties/EncryptionOptions'],
        message: 'AWS::AmazonMQ::Broker AtDefaults is an ActiveMQ broker without EncryptionOptions, so Amazon MQ encrypts the messages it stores with a key AWS owns; it must use a customer managed KMS key.',
      });
      expect(at('Owned').locations).toEqual(['Properties/EncryptionOptions/UseAwsOwnedKey']);
      expect(at('Managed').message).toContain('has EncryptionOptions.UseAwsOwnedKey false and no KmsKeyId, so Amazon MQ encrypts the messages it stores with the AWS managed key alias/aws/mq');
      expect(at('ManagedAlias').message).toContain('has KmsKeyId "alias/aws/mq", an AWS managed key');
    });

    test('leave an intrinsic engine type or key choice unknown', () => {
      const { app, stack } = shop();
      const engine = new CfnParameter(stack, 'Engine', { allowedValues: ['ACTIVEMQ', 'RABBITMQ'] });
      const owned = new CfnParameter(stack, 'Owned', { type: 'String', allowedValues: ['true', 'false'] });
      new amazonmq.CfnBroker(stack, 'Chosen', { ...BROKER, engineType: engine.valueAsString, engineVersion: '5.18' });
      activeMq(stack, 'Either', { useAwsOwnedKey: owned.valueAsString as unknown as boolean });
      expect(c04(app)).toEqual([]);
    });
  });

  describe('EBS volumes and the disks of instances', () => {
    const AZ = 'eu-west-1a';
    const image = () => ec2.MachineImage.latestAmazonLinux2023();

    test('pass a volume on a customer key, L2 and raw; an instance and launch template asking for encrypted disks or leaving them unset', () => {
      const { app, stack, key } = shop();
      new ec2.Volume(stack, 'Ledger', { availabilityZone: AZ, size: Size.gibibytes(100), encrypted: true, encryptionKey: key });
      new ec2.CfnVolume(stack, 'Raw', { availabilityZone: AZ, size: 100, encrypted: true, kmsKeyId: key.keyArn });
      // Restored from a snapshot: the snapshot's encryption, which the template cannot show.
      new ec2.CfnVolume(stack, 'Restored', { availabilityZone: AZ, snapshotId: 'snap-0123456789abcdef0' });
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      new ec2.Instance(stack, 'Host', {
        vpc,
        instanceType: new ec2.InstanceType('t3.micro'),
        machineImage: image(),
        blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(30, { encrypted: true, kmsKey: key }) }],
      });
      new ec2.LaunchTemplate(stack, 'Template', { machineImage: image(), blockDevices: [{ deviceName: '/dev/xvdb', volume: ec2.BlockDeviceVolume.ebs(50) }] });
      expect(c04(app)).toEqual([]);
    });

    test('fail a volume left unencrypted (plaintext), one on the account\'s default key, and disks asking for plaintext', () => {
      const { app, stack } = shop();
      new ec2.Volume(stack, 'Unencrypted', { availabilityZone: AZ, size: Size.gibibytes(100) });
      new ec2.Volume(stack, 'DefaultKey', { availabilityZone: AZ, size: Size.gibibytes(100), encrypted: true });
      new ec2.CfnVolume(stack, 'ManagedAlias', { availabilityZone: AZ, size: 100, encrypted: true, kmsKeyId: 'alias/aws/ebs' });
      new ec2.LaunchTemplate(stack, 'Template', {
        machineImage: image(), blockDevices: [{ deviceName: '/dev/xvdb', volume: ec2.BlockDeviceVolume.ebs(50, { encrypted: false }) }],
      });
      new ec2.CfnInstance(stack, 'Raw', { imageId: 'ami-0123456789abcdef0', blockDeviceMappings: [{ deviceName: '/dev/sdf', ebs: { volumeSize: 20, encrypted: false } }] });
      const findings = c04(app);
      expect(lines(findings)).toEqual([
        `${NO_CMK} Shop/DefaultKey/Resource`, `${NO_CMK} Shop/ManagedAlias`, `${UNENCRYPTED} Shop/Raw`, `${UNENCRYPTED} Shop/Template/Resource`, `${UNENCRYPTED} Shop/Unencrypted/Resource`,
      ]);
      const at = (path: string) => findings.find(f => f.constructPath === path)!;
      expect(at('Shop/Unencrypted/Resource')).toMatchObject({
        severity: 'error',
        locations: ['Properties/Encrypted'],
        message: expect.stringMatching(/^AWS::EC2::Volume Unencrypted[0-9A-F]{8} has Encrypted unset, so its blocks and snapshots are stored in plaintext unless the account turned on EBS encryption by default/),
      });
      expect(at('Shop/DefaultKey/Resource').message).toContain('has Encrypted true without KmsKeyId, so it is encrypted with the account\'s default EBS key');
      expect(at('Shop/Template/Resource')).toMatchObject({
        locations: ['Properties/LaunchTemplateData/BlockDeviceMappings/0/Ebs/Encrypted'],
        message: expect.stringContaining('asks for EBS volume 0 (/dev/xvdb) with Encrypted false'),
      });
      expect(at('Shop/Raw').locations).toEqual(['Properties/BlockDeviceMappings/0/Ebs/Encrypted']);
    });

    test('leave intrinsic settings and snapshots unknown', () => {
      const { app, stack } = shop();
      const encrypted = new CfnParameter(stack, 'Encrypted', { type: 'String', allowedValues: ['true', 'false'] });
      new ec2.CfnVolume(stack, 'Chosen', { availabilityZone: AZ, size: 100, encrypted: encrypted.valueAsString as unknown as boolean });
      new ec2.CfnInstance(stack, 'FromSnapshot', { imageId: 'ami-0123456789abcdef0', blockDeviceMappings: [{ deviceName: '/dev/sdf', ebs: { snapshotId: 'snap-0123456789abcdef0', encrypted: false } }] });
      expect(c04(app)).toEqual([]);
    });
  });

  test('CloudTrail Lake event data stores pass on a customer key and fail on the key CloudTrail owns (no KmsKeyId) or an AWS managed alias', () => {
    const { app, stack, key } = shop();
    new cloudtrail.CfnEventDataStore(stack, 'Audit', { kmsKeyId: key.keyArn, retentionPeriod: 2557 });
    new cloudtrail.CfnEventDataStore(stack, 'Owned', { retentionPeriod: 2557 });
    new cloudtrail.CfnEventDataStore(stack, 'Managed', { kmsKeyId: 'alias/aws/cloudtrail', retentionPeriod: 2557 });
    const findings = c04(app);
    expect(lines(findings)).toEqual([`${NO_CMK} Shop/Managed`, `${NO_CMK} Shop/Owned`]);
    expect(findings.find(f => f.constructPath === 'Shop/Owned')).toMatchObject({
      locations: ['Properties/KmsKeyId'],
      message: 'AWS::CloudTrail::EventDataStore Owned has no KmsKeyId, so CloudTrail encrypts the events it stores with a key AWS owns; it must use a customer managed KMS key.',
    });
  });

  test('EventBridge archives pass on a customer key and fail without one (CDK writes KmsKeyIdentifier "" then), whether or not their bus has a key', () => {
    const { app, stack, key } = shop();
    const bus = new events.EventBus(stack, 'Trades', { kmsKey: key });
    new events.Archive(stack, 'Replay', { sourceEventBus: bus, eventPattern: { source: ['trading.booking'] }, kmsKey: key });
    // EventBus.archive() drops the kmsKey it is given (aws/aws-cdk#38298): the archive is on a key AWS owns.
    bus.archive('Dropped', { eventPattern: { source: ['trading.booking'] }, kmsKey: key });
    bus.archive('Plain', { eventPattern: { source: ['trading.booking'] } });
    new events.CfnArchive(stack, 'Raw', { sourceArn: bus.eventBusArn });
    new events.CfnArchive(stack, 'Chosen', { sourceArn: bus.eventBusArn, kmsKeyIdentifier: new CfnParameter(stack, 'ArchiveKey').valueAsString });
    const findings = c04(app);
    expect(lines(findings)).toEqual([`${NO_CMK} Shop/Raw`, `${NO_CMK} Shop/Trades/Dropped/Archive`, `${NO_CMK} Shop/Trades/Plain/Archive`]);
    expect(findings[2]).toMatchObject({
      locations: ['Properties/KmsKeyIdentifier'],
      message: expect.stringMatching(/^AWS::Events::Archive TradesPlainArchive[0-9A-F]{8} has no KmsKeyIdentifier, so EventBridge encrypts the events it keeps with a key AWS owns; it must use a customer managed KMS key\.$/),
    });
  });

  describe('FSx file systems', () => {
    const SUBNETS = ['subnet-0123456789abcdef0'];
    const windows = (stack: Stack, id: string, kmsKeyId?: string) => new fsx.CfnFileSystem(stack, id, {
      fileSystemType: 'WINDOWS',
      subnetIds: SUBNETS,
      storageCapacity: 100,
      kmsKeyId,
      windowsConfiguration: { throughputCapacity: 32, activeDirectoryId: 'd-0123456789' },
    });
    const lustre = (stack: Stack, id: string, deploymentType?: string, kmsKeyId?: string) => new fsx.CfnFileSystem(stack, id, {
      fileSystemType: 'LUSTRE',
      subnetIds: SUBNETS,
      storageCapacity: 1200,
      kmsKeyId,
      ...(deploymentType ? { lustreConfiguration: { deploymentType } } : {}),
    });

    test('Windows, ONTAP, OpenZFS and persistent Lustre file systems fail without KmsKeyId or on alias/aws/fsx, and pass on a customer key', () => {
      const { app, stack, key } = shop();
      windows(stack, 'Shares', key.keyArn);
      windows(stack, 'SharesDefault');
      windows(stack, 'SharesManaged', 'alias/aws/fsx');
      new fsx.CfnFileSystem(stack, 'Ontap', { fileSystemType: 'ONTAP', subnetIds: SUBNETS, storageCapacity: 1024, ontapConfiguration: { deploymentType: 'SINGLE_AZ_2' } });
      new fsx.CfnFileSystem(stack, 'Zfs', { fileSystemType: 'OPENZFS', subnetIds: SUBNETS, storageCapacity: 64, openZfsConfiguration: { deploymentType: 'SINGLE_AZ_2' } });
      lustre(stack, 'Persistent', 'PERSISTENT_2');
      lustre(stack, 'PersistentKeyed', 'PERSISTENT_1', key.keyArn);
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const l2 = (id: string, kmsKey?: kms.IKey) => new fsx.LustreFileSystem(stack, id, {
        vpc,
        vpcSubnet: vpc.isolatedSubnets[0],
        storageCapacityGiB: 1200,
        kmsKey,
        lustreConfiguration: { deploymentType: fsx.LustreDeploymentType.PERSISTENT_2, perUnitStorageThroughput: 125 },
      });
      l2('Scratchpad');
      l2('Keyed', key);
      const findings = c04(app);
      expect(lines(findings)).toEqual([
        `${NO_CMK} Shop/Ontap`, `${NO_CMK} Shop/Persistent`, `${NO_CMK} Shop/Scratchpad/Resource`, `${NO_CMK} Shop/SharesDefault`, `${NO_CMK} Shop/SharesManaged`, `${NO_CMK} Shop/Zfs`,
      ]);
      expect(findings.find(f => f.constructPath === 'Shop/SharesDefault')).toMatchObject({
        locations: ['Properties/KmsKeyId'],
        message: 'AWS::FSx::FileSystem SharesDefault has no KmsKeyId, so FSx encrypts its files and backups with the AWS managed key alias/aws/fsx; it must use a customer managed KMS key.',
      });
    });

    test('leave Lustre scratch file systems (FSx picks their key), restores from a backup and intrinsic settings alone', () => {
      const { app, stack } = shop();
      lustre(stack, 'Unset');
      lustre(stack, 'Scratch1', 'SCRATCH_1');
      lustre(stack, 'Scratch2', 'SCRATCH_2');
      new fsx.CfnFileSystem(stack, 'Restored', { fileSystemType: 'WINDOWS', subnetIds: SUBNETS, backupId: 'backup-0123456789abcdef0', windowsConfiguration: { throughputCapacity: 32 } });
      const kind = new CfnParameter(stack, 'Kind', { type: 'String', allowedValues: ['WINDOWS', 'LUSTRE'] });
      new fsx.CfnFileSystem(stack, 'Chosen', { fileSystemType: kind.valueAsString, subnetIds: SUBNETS, storageCapacity: 1200 });
      lustre(stack, 'ChosenDeployment', new CfnParameter(stack, 'Deployment', { type: 'String' }).valueAsString);
      expect(c04(app)).toEqual([]);
    });
  });

  test('a REST API stage with a cache fails while a caching method leaves CacheDataEncrypted off; stages without a cache cluster, or encrypted, pass', () => {
    const { app, stack } = shop();
    const api = (id: string, deployOptions: apigateway.StageOptions) => new apigateway.RestApi(stack, id, { deployOptions }).root.addMethod('GET');
    api('Plain', { cacheClusterEnabled: true, cachingEnabled: true });
    api('Encrypted', { cacheClusterEnabled: true, cachingEnabled: true, cacheDataEncrypted: true });
    // Caching asked of a method of a stage without a cache cluster caches nothing.
    new apigateway.CfnStage(stack, 'NoCluster', { restApiId: 'a1b2c3d4e5', stageName: 'raw', methodSettings: [{ httpMethod: '*', resourcePath: '/*', cachingEnabled: true }] });
    api('CacheOff', { cacheClusterEnabled: true });
    const perMethod = new apigateway.RestApi(stack, 'PerMethod', {
      deployOptions: { cacheClusterEnabled: true, methodOptions: { '/quotes/GET': { cachingEnabled: true, cacheDataEncrypted: false } } },
    });
    perMethod.root.addResource('quotes').addMethod('GET');
    const findings = c04(app);
    expect(lines(findings)).toEqual([`${UNENCRYPTED} Shop/PerMethod/DeploymentStage.prod/Resource`, `${UNENCRYPTED} Shop/Plain/DeploymentStage.prod/Resource`]);
    expect(findings[1]).toMatchObject({
      locations: ['Properties/MethodSettings/0/CacheDataEncrypted'],
      message: expect.stringMatching(/^AWS::ApiGateway::Stage PlainDeploymentStageprod[0-9A-F]{8} caches the responses of \* \/\* \(MethodSettings 0\) with CacheDataEncrypted unset, so its cache cluster stores them in plaintext/),
    });
    expect(findings[0].message).toContain('caches the responses of GET /~1quotes (MethodSettings 0) with CacheDataEncrypted false');
  });

  describe('Firehose streams', () => {
    const S3_DESTINATION = { bucketArn: 'arn:aws:s3:::ledger-archive', roleArn: 'arn:aws:iam::123456789012:role/firehose' };

    test('pass a Direct PUT stream on a customer key, and streams that read a Kinesis stream or an MSK cluster', () => {
      const { app, stack, key } = shop();
      const archive = new s3.Bucket(stack, 'Archive');
      new firehose.DeliveryStream(stack, 'Direct', { destination: new firehose.S3Bucket(archive), encryption: firehose.StreamEncryption.customerManagedKey(key) });
      const source = new kinesis.Stream(stack, 'Postings', { encryption: kinesis.StreamEncryption.KMS, encryptionKey: key });
      new firehose.DeliveryStream(stack, 'FromStream', { source: new firehose.KinesisStreamSource(source), destination: new firehose.S3Bucket(archive) });
      new firehose.CfnDeliveryStream(stack, 'FromKafka', {
        deliveryStreamType: 'MSKAsSource',
        mskSourceConfiguration: { mskClusterArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/ledger/x', topicName: 'postings', authenticationConfiguration: { connectivity: 'PRIVATE', roleArn: S3_DESTINATION.roleArn } },
        s3DestinationConfiguration: S3_DESTINATION,
      });
      expect(c04(app)).toEqual([]);
    });

    test('fail a Direct PUT stream without encryption, on Firehose\'s own key, or on an AWS managed key', () => {
      const { app, stack } = shop();
      new firehose.DeliveryStream(stack, 'Plain', { destination: new firehose.S3Bucket(new s3.Bucket(stack, 'Archive')) });
      new firehose.CfnDeliveryStream(stack, 'Owned', { s3DestinationConfiguration: S3_DESTINATION, deliveryStreamEncryptionConfigurationInput: { keyType: 'AWS_OWNED_CMK' } });
      new firehose.CfnDeliveryStream(stack, 'Managed', {
        deliveryStreamType: 'DirectPut', s3DestinationConfiguration: S3_DESTINATION, deliveryStreamEncryptionConfigurationInput: { keyType: 'CUSTOMER_MANAGED_CMK', keyArn: 'alias/aws/firehose' },
      });
      const findings = c04(app);
      expect(lines(findings)).toEqual([`${NO_CMK} Shop/Managed`, `${NO_CMK} Shop/Owned`, `${NO_CMK} Shop/Plain/Resource`]);
      const at = (path: string) => findings.find(f => f.constructPath.startsWith(path))!;
      expect(at('Shop/Plain').message).toContain('has no DeliveryStreamEncryptionConfigurationInput, so Firehose keeps the records waiting for delivery under keys it owns');
      expect(at('Shop/Owned').locations).toEqual(['Properties/DeliveryStreamEncryptionConfigurationInput/KeyType']);
      expect(at('Shop/Managed').message).toContain('has KeyARN "alias/aws/firehose", an AWS managed key');
    });
  });

  describe('secrets', () => {
    test('pass a secret on a customer key with its replicas on keys of their regions, and generated database secrets given the key', () => {
      const { app, stack, key } = shop();
      new secretsmanager.Secret(stack, 'PartnerApiKey', {
        encryptionKey: key,
        replicaRegions: [{ region: 'eu-central-1', encryptionKey: kms.Key.fromKeyArn(stack, 'FrankfurtKey', 'arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab') }],
      });
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
      new docdb.DatabaseCluster(stack, 'Documents', { masterUser: { username: 'kyc', kmsKey: key }, instanceType: new ec2.InstanceType('r6g.large'), vpc, kmsKey: key });
      new rds.DatabaseCluster(stack, 'Ledger', {
        engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
        credentials: rds.Credentials.fromGeneratedSecret('ledger', { encryptionKey: key }),
        writer: rds.ClusterInstance.serverlessV2('Writer'),
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        storageEncryptionKey: key,
      });
      expect(c04(app)).toEqual([]);
    });

    test('fail a secret on the AWS managed key, a replica without a key of its own, and a library-generated secret left on the default', () => {
      const { app, stack, key } = shop();
      new secretsmanager.Secret(stack, 'PartnerApiKey');
      new secretsmanager.CfnSecret(stack, 'Managed', { kmsKeyId: 'alias/aws/secretsmanager' });
      new secretsmanager.Secret(stack, 'Replicated', { encryptionKey: key, replicaRegions: [{ region: 'eu-central-1' }] });
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
      new docdb.DatabaseCluster(stack, 'Documents', { masterUser: { username: 'kyc' }, instanceType: new ec2.InstanceType('r6g.large'), vpc, kmsKey: key });
      const findings = c04(app);
      expect(lines(findings)).toEqual([`${NO_CMK} Shop/Documents/Secret/Resource`, `${NO_CMK} Shop/Managed`, `${NO_CMK} Shop/PartnerApiKey/Resource`, `${NO_CMK} Shop/Replicated/Resource`]);
      const at = (path: string) => findings.find(f => f.constructPath.startsWith(path))!;
      expect(at('Shop/PartnerApiKey').message).toContain('has no KmsKeyId, so Secrets Manager encrypts it with the AWS managed key alias/aws/secretsmanager');
      expect(at('Shop/Replicated')).toMatchObject({ locations: ['Properties/ReplicaRegions/0'], message: expect.stringContaining('replica 0 (eu-central-1) without KmsKeyId') });
      expect(at('Shop/Documents').fix).toContain('masterUser.kmsKey');
    });

    test('report the master user secret an OpenSearch domain generates, which no prop gives a key, as a warning naming the domain', () => {
      const { app, stack, key } = shop();
      new opensearch.Domain(stack, 'Search', {
        version: opensearch.EngineVersion.OPENSEARCH_2_11,
        fineGrainedAccessControl: { masterUserName: 'search_admin' },
        encryptionAtRest: { enabled: true, kmsKey: key },
        nodeToNodeEncryption: true,
        enforceHttps: true,
      });
      const findings = c04(app);
      expect(lines(findings)).toEqual([`${NO_CMK} Shop/Search/MasterUser/Resource`]);
      expect(findings[0]).toMatchObject({ severity: 'warning', message: expect.stringContaining('CDK created this resource for Shop/Search (opensearchservice.Domain') });
    });
  });
});
