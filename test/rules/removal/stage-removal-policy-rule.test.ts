import { App, CfnParameter, CfnResource, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as amazonmq from 'aws-cdk-lib/aws-amazonmq';
import * as agentcore from 'aws-cdk-lib/aws-bedrockagentcore';
import * as cassandra from 'aws-cdk-lib/aws-cassandra';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dax from 'aws-cdk-lib/aws-dax';
import * as docdbelastic from 'aws-cdk-lib/aws-docdbelastic';
import * as dsql from 'aws-cdk-lib/aws-dsql';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as events from 'aws-cdk-lib/aws-events';
import * as fsx from 'aws-cdk-lib/aws-fsx';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as memorydb from 'aws-cdk-lib/aws-memorydb';
import * as neptunegraph from 'aws-cdk-lib/aws-neptunegraph';
import * as opensearchserverless from 'aws-cdk-lib/aws-opensearchserverless';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as redshiftserverless from 'aws-cdk-lib/aws-redshiftserverless';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3tables from 'aws-cdk-lib/aws-s3tables';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as timestream from 'aws-cdk-lib/aws-timestream';
import * as cr from 'aws-cdk-lib/custom-resources';
import { FintechChecksProps } from '../../../src/rules/fintech-checks';
import { StageRemovalPolicyRule } from '../../../src/rules/removal/stage-removal-policy-rule';
import { stackIn } from '../../support/fintech-fixture';
import { lines, shop, testApp, validate } from '../rule-harness';

const EPHEMERAL = StageRemovalPolicyRule.EPHEMERAL_RETAINS_DATA.id;
const NOT_EMPTIED = StageRemovalPolicyRule.BUCKET_NOT_EMPTIED_ON_DELETE.id;
const DURABLE = StageRemovalPolicyRule.DURABLE_DELETES_DATA.id;
const PROTECTION = StageRemovalPolicyRule.DELETION_PROTECTION_OFF.id;

function c02(app: App, props: FintechChecksProps) {
  return validate(app, props).findings.filter(f => f.ruleId.startsWith('Fintech-C02-') || f.ruleId === 'Fintech-RuleFailed');
}

function cfnTable(stack: Stack, id: string) {
  return new dynamodb.CfnTable(stack, id, {
    keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
    attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }],
    billingMode: 'PAY_PER_REQUEST',
  });
}

describe('StageRemovalPolicyRule', () => {
  test('passes whatever FintechStage decided, in an ephemeral and a durable stage of one app', () => {
    const app = testApp();
    for (const stage of ['dev', 'prod'] as const) {
      const stack = stackIn(app, stage);
      new s3.Bucket(stack, 'Bucket');
      new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
      new rds.CfnDBInstance(stack, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', allocatedStorage: '20' });
    }
    expect(c02(app, {})).toEqual([]);
  });

  describe('Fintech-C02-EphemeralRetainsData', () => {
    test('the stores a flow log, a container\'s awslogs driver or a trail create when given none are the library\'s, warnings naming it; one the app passes stays the app\'s', () => {
      const { app, stack } = shop();
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1, subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      vpc.addFlowLog('FlowLog');
      // The app's own log group, retained: its removal policy is the app's to choose.
      vpc.addFlowLog('AuditFlowLog', { destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(stack, 'AuditFlows')) });
      new ecs.FargateTaskDefinition(stack, 'Api').addContainer('web', {
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/web:1.0.0'), logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web' }),
      });
      new cloudtrail.Trail(stack, 'Trail', { bucket: new s3.Bucket(stack, 'TrailLogs', { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true }) });
      const findings = c02(app, { stage: 'dev' });
      expect(findings.map(f => [f.ruleId, f.severity, f.constructPath])).toEqual([
        [EPHEMERAL, 'warning', 'Shop/Api/web/LogGroup/Resource'],
        [EPHEMERAL, 'error', 'Shop/AuditFlows/Resource'],
        [EPHEMERAL, 'warning', 'Shop/Vpc/FlowLog/LogGroup/Resource'],
      ]);
      expect(findings[0].message).toContain('CDK created this resource for Shop/Api/web (ecs.ContainerDefinition: the log group its awslogs driver creates when given none; ' +
        'pass your own to `LogDrivers.awsLogs({ logGroup, streamPrefix })`, to choose its removal policy (the library always retains it))');
      expect(findings[2].message).toContain('CDK created this resource for Shop/Vpc/FlowLog (ec2.FlowLog:');
    });

    test('the key a store creates for its customer-managed encryption, and a distribution\'s log bucket, are the library\'s; a key the app passes stays the app\'s', () => {
      const { app, stack } = shop();
      const destroyed = { removalPolicy: RemovalPolicy.DESTROY };
      new s3.Bucket(stack, 'Exports', { ...destroyed, autoDeleteObjects: true, encryption: s3.BucketEncryption.KMS });
      new sqs.Queue(stack, 'Payouts', { encryption: sqs.QueueEncryption.KMS });
      // The app's own key, retained: its removal policy is the app's to choose.
      new sqs.Queue(stack, 'Refunds', { encryptionMasterKey: new kms.Key(stack, 'RefundsKey') });
      new cloudfront.Distribution(stack, 'Portal', { defaultBehavior: { origin: new origins.HttpOrigin('portal.bank.example.com') }, enableLogging: true });
      const findings = c02(app, { stage: 'dev' });
      expect(findings.map(f => [f.ruleId, f.severity, f.constructPath])).toEqual([
        [EPHEMERAL, 'warning', 'Shop/Exports/Key/Resource'],
        [EPHEMERAL, 'warning', 'Shop/Payouts/Key/Resource'],
        [EPHEMERAL, 'warning', 'Shop/Portal/LoggingBucket/Resource'],
        [EPHEMERAL, 'error', 'Shop/RefundsKey/Resource'],
      ]);
      expect(findings[0].message).toContain('CDK created this resource for Shop/Exports (s3.Bucket: the KMS key it creates for its customer-managed encryption ' +
        'when `encryptionKey` names none; pass your own, to choose its removal policy (the library always retains it))');
      expect(findings[2].message).toContain('CDK created this resource for Shop/Portal (cloudfront.Distribution: the bucket it creates for its access logs');
    });

    test('the log group a custom-resources Provider\'s waiter state machine logs to, given no destination, is the library\'s', () => {
      const { app, stack } = shop();
      const fn = (id: string) => new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
      new cr.Provider(stack, 'Seed', { onEventHandler: fn('SeedEvent'), isCompleteHandler: fn('SeedDone'), disableWaiterStateMachineLogging: false });
      const findings = c02(app, { stage: 'dev' }).filter(f => f.constructPath.endsWith('waiter-state-machine/LogGroup/Resource'));
      expect(findings.map(f => [f.ruleId, f.severity])).toEqual([[EPHEMERAL, 'warning']]);
      expect(findings[0].message).toContain('CDK created this resource for Shop/Seed (custom-resources.Provider: the log group its waiter state machine logs to');
    });

    test('the log group CDK gives a function under useCdkManagedLogGroup gets a fix naming the function and the way to remove it; a log group of the app\'s own does not', () => {
      const { app, stack } = shop();
      stack.node.setContext('@aws-cdk/aws-lambda:useCdkManagedLogGroup', true);
      const code = lambda.Code.fromInline('exports.handler = async () => ({})');
      new lambda.Function(stack, 'Settle', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });
      const own = new lambda.Function(stack, 'Report', {
        runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code, logGroup: new logs.LogGroup(stack, 'ReportLogs', { removalPolicy: RemovalPolicy.DESTROY }),
      });
      new logs.LogGroup(stack, 'Audit', { logGroupName: `/aws/lambda/${own.functionName}` });
      const findings = c02(app, { stage: 'dev' });
      expect(lines(findings)).toEqual([`${EPHEMERAL} Shop/Audit/Resource`, `${EPHEMERAL} Shop/Settle/LogGroup/Resource`]);
      expect(findings.find(f => f.constructPath === 'Shop/Settle/LogGroup/Resource')!.fix).toBe(
        'This is the log group CDK creates for the function Shop/Settle (feature flag @aws-cdk/aws-lambda:useCdkManagedLogGroup), retained by default: ' +
        'in ephemeral stages call fn.logGroup.applyRemovalPolicy(RemovalPolicy.DESTROY), or pass the function a logGroup of your own with the ' +
        "stage's removal policy (FintechStage does it for every stateful resource).");
      expect(findings.find(f => f.constructPath === 'Shop/Audit/Resource')!.fix).toBe(StageRemovalPolicyRule.EPHEMERAL_RETAINS_DATA.fix);

      // The fix works: the same function with its log group's removal policy applied passes.
      const fixed = shop();
      fixed.stack.node.setContext('@aws-cdk/aws-lambda:useCdkManagedLogGroup', true);
      new lambda.Function(fixed.stack, 'Settle', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code }).logGroup.applyRemovalPolicy(RemovalPolicy.DESTROY);
      expect(c02(fixed.app, { stage: 'dev' })).toEqual([]);
    });

    test('fails retained L2 resources (the CDK default for buckets and tables) and passes destroyed ones', () => {
      const { app, stack } = shop();
      new s3.Bucket(stack, 'Kept');
      new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
      new s3.Bucket(stack, 'Gone', { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
      new sqs.Queue(stack, 'Queue');
      const findings = c02(app, { stage: 'dev' });
      expect(lines(findings)).toEqual([`${EPHEMERAL} Shop/Kept/Resource`, `${EPHEMERAL} Shop/Table/Resource`]);
      expect(findings[0]).toMatchObject({
        severity: 'error',
        locations: ['DeletionPolicy', 'UpdateReplacePolicy'],
        message: expect.stringMatching(/^AWS::S3::Bucket Kept[0-9A-F]{8} in ephemeral stage "dev" has DeletionPolicy Retain, UpdateReplacePolicy Retain, so it outlives its stack/),
        fix: expect.stringContaining('RemovalPolicy.DESTROY'),
      });
    });

    test('catches escape hatches on L1 resources: Retain, RetainExceptOnCreate, Snapshot', () => {
      const { app, stack } = shop();
      new sqs.CfnQueue(stack, 'Queue').addOverride('DeletionPolicy', 'RetainExceptOnCreate');
      new rds.CfnDBCluster(stack, 'Cluster', { engine: 'aurora-postgresql' }).addOverride('DeletionPolicy', 'Snapshot');
      const secret = new secretsmanager.CfnSecret(stack, 'Secret');
      secret.applyRemovalPolicy(RemovalPolicy.DESTROY);
      secret.addOverride('UpdateReplacePolicy', 'Retain');
      const findings = c02(app, { stage: 'dev' });
      expect(lines(findings)).toEqual([`${EPHEMERAL} Shop/Cluster`, `${EPHEMERAL} Shop/Queue`, `${EPHEMERAL} Shop/Secret`]);
      expect(findings.find(f => f.logicalId === 'Secret')?.locations).toEqual(['UpdateReplacePolicy']);
      expect(findings.find(f => f.logicalId === 'Queue')?.message).toContain('DeletionPolicy RetainExceptOnCreate');
    });

    test('does not judge what holds no data: a topic retained in dev, or deleted in prod, is no finding', () => {
      for (const stage of ['dev', 'prod']) {
        const { app, stack } = shop();
        new sns.CfnTopic(stack, 'Topic').applyRemovalPolicy(stage === 'dev' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY);
        expect(lines(c02(app, { stage }))).toEqual([]);
      }
    });

    test("knows CloudFormation's Snapshot default for RDS outside a cluster", () => {
      const { app, stack } = shop();
      new rds.CfnDBInstance(stack, 'Standalone', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', allocatedStorage: '20' })
        .addOverride('UpdateReplacePolicy', 'Delete');
      new rds.CfnDBInstance(stack, 'Member', { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: 'c' })
        .addOverride('UpdateReplacePolicy', 'Delete');
      const findings = c02(app, { stage: 'dev' });
      expect(lines(findings)).toEqual([`${EPHEMERAL} Shop/Standalone`]);
      expect(findings[0].message).toContain("DeletionPolicy unset (CloudFormation's default is Snapshot)");
    });

    test('fails deletion protection left on, which makes deleting the stack fail', () => {
      const { app, stack } = shop();
      const table = cfnTable(stack, 'Table');
      table.applyRemovalPolicy(RemovalPolicy.DESTROY);
      table.addPropertyOverride('DeletionProtectionEnabled', 'true');
      const findings = c02(app, { stage: 'dev' });
      expect(lines(findings)).toEqual([`${EPHEMERAL} Shop/Table`]);
      expect(findings[0].locations).toEqual(['Properties/DeletionProtectionEnabled']);
    });
  });

  describe('Fintech-C02-BucketNotEmptiedOnDelete', () => {
    test('warns about a deletable bucket nothing empties, and not about one with auto-delete', () => {
      const { app, stack } = shop();
      new s3.CfnBucket(stack, 'Raw').applyRemovalPolicy(RemovalPolicy.DESTROY);
      new s3.CfnBucket(stack, 'Unset');
      new s3.Bucket(stack, 'Emptied', { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
      const findings = c02(app, { stage: 'dev' });
      expect(lines(findings)).toEqual([`${NOT_EMPTIED} Shop/Raw`, `${NOT_EMPTIED} Shop/Unset`]);
      expect(findings.every(f => f.severity === 'warning')).toBe(true);
    });

    test('counts an auto-delete custom resource that names the bucket literally', () => {
      const { app, stack } = shop();
      new s3.CfnBucket(stack, 'Named', { bucketName: 'shop-named-dev' }).applyRemovalPolicy(RemovalPolicy.DESTROY);
      new s3.CfnBucket(stack, 'Other', { bucketName: 'shop-other-dev' }).applyRemovalPolicy(RemovalPolicy.DESTROY);
      new CfnResource(stack, 'Empties', { type: 'Custom::S3AutoDeleteObjects', properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:x', BucketName: 'shop-named-dev' } });
      expect(lines(c02(app, { stage: 'dev' }))).toEqual([`${NOT_EMPTIED} Shop/Other`]);
    });

    test('is silent when an auto-delete target is unknown', () => {
      const { app, stack } = shop();
      new s3.CfnBucket(stack, 'Raw').applyRemovalPolicy(RemovalPolicy.DESTROY);
      new CfnResource(stack, 'Empties', { type: 'Custom::S3AutoDeleteObjects', properties: { ServiceToken: 'x', BucketName: { 'Fn::ImportValue': 'SharedBucket' } } });
      expect(c02(app, { stage: 'dev' })).toEqual([]);
    });
  });

  describe('Fintech-C02-DurableDeletesData', () => {
    test('the master user secret an OpenSearch domain generates is the library\'s, a warning naming the domain; a secret of the app\'s stays the app\'s', () => {
      const { app, stack } = shop();
      new opensearch.Domain(stack, 'Search', {
        version: opensearch.EngineVersion.OPENSEARCH_2_11,
        removalPolicy: RemovalPolicy.RETAIN,
        fineGrainedAccessControl: { masterUserName: 'search_admin' },
        encryptionAtRest: { enabled: true },
        nodeToNodeEncryption: true,
        enforceHttps: true,
      });
      new secretsmanager.Secret(stack, 'Reports', { removalPolicy: RemovalPolicy.DESTROY });
      const findings = c02(app, { stage: 'prod' }).filter(f => f.ruleId === DURABLE);
      expect(findings.map(f => [f.severity, f.constructPath])).toEqual([['error', 'Shop/Reports/Resource'], ['warning', 'Shop/Search/MasterUser/Resource']]);
      expect(findings[1].message).toContain('CDK created this resource for Shop/Search (opensearchservice.Domain: the secret it generates for the fine-grained access control master user');
    });

    test('fails destroyed L2 resources and unset L1 policies in a durable stage, naming each policy', () => {
      const { app, stack } = shop();
      new s3.Bucket(stack, 'Gone', { removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
      new sqs.CfnQueue(stack, 'Queue');
      new s3.Bucket(stack, 'Kept');
      const findings = c02(app, { stage: 'prod' });
      expect(lines(findings)).toEqual([`${DURABLE} Shop/Gone/Resource`, `${DURABLE} Shop/Queue`]);
      expect(findings.find(f => f.logicalId === 'Queue')).toMatchObject({
        severity: 'error',
        durable: true,
        stageName: 'prod',
        locations: ['DeletionPolicy', 'UpdateReplacePolicy'],
        message: 'AWS::SQS::Queue Queue in durable stage "prod" has DeletionPolicy unset (CloudFormation\'s default is Delete), ' +
          'UpdateReplacePolicy unset (CloudFormation\'s default is Delete), so deleting the stack or replacing the resource deletes its data.',
      });
    });

    test("catches an escape hatch that undoes a retained resource's policy", () => {
      const { app, stack } = shop();
      const bucket = new s3.Bucket(stack, 'Ledger');
      (bucket.node.defaultChild as s3.CfnBucket).addOverride('DeletionPolicy', 'Delete');
      const findings = c02(app, { stage: 'prod' });
      expect(lines(findings)).toEqual([`${DURABLE} Shop/Ledger/Resource`]);
      expect(findings[0]).toMatchObject({ locations: ['DeletionPolicy'], message: expect.stringContaining('has DeletionPolicy Delete, so deleting the stack deletes its data') });
    });

    test('asks for SNAPSHOT on databases and accepts the RDS default DeletionPolicy', () => {
      const { app, stack } = shop();
      new rds.CfnDBInstance(stack, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro', allocatedStorage: '20', deletionProtection: true });
      const findings = c02(app, { stage: 'prod' });
      expect(lines(findings)).toEqual([`${DURABLE} Shop/Db`]);
      expect(findings[0]).toMatchObject({ locations: ['UpdateReplacePolicy'], fix: expect.stringContaining('RemovalPolicy.SNAPSHOT') });
    });

    test('leaves Aurora member instances to their cluster', () => {
      const { app, stack } = shop();
      const cluster = new rds.CfnDBCluster(stack, 'Cluster', { engine: 'aurora-postgresql', deletionProtection: true });
      cluster.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
      new rds.CfnDBInstance(stack, 'Writer', { engine: 'aurora-postgresql', dbInstanceClass: 'db.r6g.large', dbClusterIdentifier: cluster.ref })
        .applyRemovalPolicy(RemovalPolicy.DESTROY);
      expect(c02(app, { stage: 'prod' })).toEqual([]);
    });

    test('judges a replication group that keeps automatic snapshots, not one run as a cache (no snapshots)', () => {
      const { app, stack } = shop();
      const group = (id: string, snapshotRetentionLimit?: unknown) => new elasticache.CfnReplicationGroup(stack, id, {
        replicationGroupDescription: id,
        engine: 'valkey',
        cacheNodeType: 'cache.t4g.small',
        transitEncryptionEnabled: true,
        snapshotRetentionLimit: snapshotRetentionLimit as number | undefined,
      });
      group('Sessions', 7);
      group('Balances').addPropertyOverride('SnapshotRetentionLimit', '1');
      group('Limits', new CfnParameter(stack, 'SnapshotDays', { type: 'Number' }).valueAsNumber);
      group('Quotes');
      group('Rates', 0);
      group('Kept', 7).applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
      const findings = c02(app, { stage: 'prod' });
      expect(lines(findings)).toEqual([`${DURABLE} Shop/Balances`, `${DURABLE} Shop/Limits`, `${DURABLE} Shop/Sessions`]);
      expect(findings[0].fix).toContain('RemovalPolicy.SNAPSHOT');
      // A cache still may not outlive an ephemeral stage.
      const dev = shop();
      new elasticache.CfnReplicationGroup(dev.stack, 'Quotes', { replicationGroupDescription: 'quotes', cacheNodeType: 'cache.t4g.small' })
        .applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
      expect(lines(c02(dev.app, { stage: 'dev' }))).toEqual([`${EPHEMERAL} Shop/Quotes`]);
    });
    test('judges FSx file systems and volumes but not Lustre scratch file systems, which FSx designs for temporary data', () => {
      const { app, stack } = shop();
      const subnetIds = ['subnet-0a1b2c3d'];
      const fileSystem = (id: string, fileSystemType: string, more: Partial<fsx.CfnFileSystemProps> = {}) =>
        new fsx.CfnFileSystem(stack, id, { fileSystemType, subnetIds, storageCapacity: 1200, ...more });
      fileSystem('Statements', 'WINDOWS', { windowsConfiguration: { throughputCapacity: 32, deploymentType: 'SINGLE_AZ_2' } });
      fileSystem('Ledgers', 'OPENZFS', { openZfsConfiguration: { deploymentType: 'SINGLE_AZ_2', throughputCapacity: 160 } });
      fileSystem('Batches', 'LUSTRE', { lustreConfiguration: { deploymentType: 'PERSISTENT_2', perUnitStorageThroughput: 125 } });
      fileSystem('RiskGrid', 'LUSTRE', { lustreConfiguration: { deploymentType: 'SCRATCH_2' } });
      fileSystem('Replay', 'LUSTRE');
      fileSystem('Unknown', new CfnParameter(stack, 'FileSystemType').valueAsString);
      fileSystem('Kept', 'ONTAP', { ontapConfiguration: { deploymentType: 'MULTI_AZ_2' } }).applyRemovalPolicy(RemovalPolicy.RETAIN);
      new fsx.CfnVolume(stack, 'Archive', { name: 'archive', volumeType: 'ONTAP', ontapConfiguration: { storageVirtualMachineId: 'svm-0a1b2c3d', junctionPath: '/archive' } });
      // The L2 retains by default.
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
      new fsx.LustreFileSystem(stack, 'Models', {
        vpc,
        vpcSubnet: vpc.isolatedSubnets[0] ?? vpc.privateSubnets[0] ?? vpc.publicSubnets[0],
        storageCapacityGiB: 1200,
        lustreConfiguration: { deploymentType: fsx.LustreDeploymentType.PERSISTENT_2, perUnitStorageThroughput: 125 },
      });
      const findings = c02(app, { stage: 'prod' });
      expect(lines(findings)).toEqual([`${DURABLE} Shop/Archive`, `${DURABLE} Shop/Batches`, `${DURABLE} Shop/Ledgers`, `${DURABLE} Shop/Statements`]);
      expect(findings.find(f => f.logicalId === 'Batches')).toMatchObject({
        message: expect.stringContaining('AWS::FSx::FileSystem Batches in durable stage "prod" has DeletionPolicy unset'),
        fix: expect.stringContaining('RemovalPolicy.RETAIN'),
      });
      // A scratch file system still may not outlive an ephemeral stage, and neither may the L2's default.
      const dev = shop();
      new fsx.CfnFileSystem(dev.stack, 'RiskGrid', { fileSystemType: 'LUSTRE', subnetIds, storageCapacity: 1200 }).applyRemovalPolicy(RemovalPolicy.RETAIN);
      const devVpc = new ec2.Vpc(dev.stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
      new fsx.LustreFileSystem(dev.stack, 'Models', {
        vpc: devVpc,
        vpcSubnet: devVpc.publicSubnets[0],
        storageCapacityGiB: 1200,
        lustreConfiguration: { deploymentType: fsx.LustreDeploymentType.SCRATCH_2 },
      });
      expect(lines(c02(dev.app, { stage: 'dev' }))).toEqual([`${EPHEMERAL} Shop/Models/Resource`, `${EPHEMERAL} Shop/RiskGrid`]);
    });
  });

  describe('Fintech-C02-DeletionProtectionOff', () => {
    test('fails a durable table, database or user pool whose deletion protection is off or unset', () => {
      const { app, stack } = shop();
      new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
      const cluster = new rds.CfnDBCluster(stack, 'Cluster', { engine: 'aurora-postgresql', deletionProtection: true });
      cluster.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
      cluster.addPropertyOverride('DeletionProtection', false);
      new cognito.UserPool(stack, 'Users', { removalPolicy: RemovalPolicy.RETAIN, deletionProtection: false });
      const findings = c02(app, { stage: 'prod' });
      expect(lines(findings)).toEqual([`${PROTECTION} Shop/Cluster`, `${PROTECTION} Shop/Table/Resource`, `${PROTECTION} Shop/Users/Resource`]);
      expect(findings.map(f => f.message.split(', so')[0])).toEqual([
        'AWS::RDS::DBCluster Cluster in durable stage "prod" has DeletionProtection false',
        expect.stringMatching(/^AWS::DynamoDB::Table Table[0-9A-F]{8} in durable stage "prod" has DeletionProtectionEnabled unset$/),
        expect.stringMatching(/^AWS::Cognito::UserPool Users[0-9A-F]{8} in durable stage "prod" has DeletionProtection "INACTIVE"$/),
      ]);
      expect(findings[0].fix).toBe('Set DeletionProtection to true; FintechStage does this in durable stages.');
    });

    test('passes protection that is on, as a boolean, a string or an enum value', () => {
      const { app, stack } = shop();
      new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, deletionProtection: true });
      const table = cfnTable(stack, 'Raw');
      table.applyRemovalPolicy(RemovalPolicy.RETAIN);
      table.addPropertyOverride('DeletionProtectionEnabled', 'true');
      new cognito.UserPool(stack, 'Users', { removalPolicy: RemovalPolicy.RETAIN, deletionProtection: true });
      expect(c02(app, { stage: 'prod' })).toEqual([]);
    });

    test('checks each replica of a global table', () => {
      const { app, stack } = shop();
      const table = new dynamodb.CfnGlobalTable(stack, 'Global', {
        attributeDefinitions: [{ attributeName: 'id', attributeType: 'S' }],
        keySchema: [{ attributeName: 'id', keyType: 'HASH' }],
        billingMode: 'PAY_PER_REQUEST',
        replicas: [{ region: 'eu-west-1', deletionProtectionEnabled: true }, { region: 'eu-central-1' }],
      });
      table.applyRemovalPolicy(RemovalPolicy.RETAIN);
      const findings = c02(app, { stage: 'prod' });
      expect(lines(findings)).toEqual([`${PROTECTION} Shop/Global`]);
      expect(findings[0].locations).toEqual(['Properties/Replicas/1/DeletionProtectionEnabled']);
    });
  });

  test('treats intrinsic policies and protection as unknown instead of failing', () => {
    const { app, stack } = shop();
    const isProd = new CfnParameter(stack, 'Protect', { type: 'String' });
    const table = cfnTable(stack, 'Table');
    table.addOverride('DeletionPolicy', { 'Fn::If': ['IsProd', 'Retain', 'Delete'] });
    table.addOverride('UpdateReplacePolicy', { 'Fn::If': ['IsProd', 'Retain', 'Delete'] });
    table.addPropertyOverride('DeletionProtectionEnabled', { Ref: isProd.logicalId });
    const odd = new s3.CfnBucket(stack, 'Odd');
    odd.addOverride('DeletionPolicy', 42);
    odd.addOverride('UpdateReplacePolicy', ['Retain']);
    new rds.CfnDBInstance(stack, 'Db', { engine: 'postgres', dbInstanceClass: 'db.t4g.micro' }).addOverride('Properties', { 'Fn::If': ['IsProd', {}, {}] });
    for (const stage of ['dev', 'prod']) {
      expect(c02(app, { stage })).toEqual([]);
    }
  });

  test('ignores types that hold no data', () => {
    const { app, stack } = shop();
    new sns.CfnSubscription(stack, 'Subscription', { protocol: 'email', topicArn: 'arn:aws:sns:eu-west-1:123456789012:t', endpoint: 'a@b.c' });
    // A DAX cluster caches a table; a Keyspaces keyspace holds only its tables, which are judged themselves.
    new dax.CfnCluster(stack, 'Accelerator', { iamRoleArn: 'arn:aws:iam::123456789012:role/dax', nodeType: 'dax.r5.large', replicationFactor: 3, sseSpecification: { sseEnabled: true } });
    new cassandra.CfnKeyspace(stack, 'Ledger');
    expect(c02(app, { stage: 'prod' })).toEqual([]);
  });

  test('judges the databases of Redshift Serverless, MemoryDB and Amazon Keyspaces, and Amazon MQ brokers, in both kinds of stage', () => {
    const databases = (stack: Stack) => [
      new redshiftserverless.CfnNamespace(stack, 'Warehouse', { namespaceName: 'warehouse' }),
      new memorydb.CfnCluster(stack, 'Balances', { clusterName: 'balances', nodeType: 'db.r7g.large', aclName: 'open-access' }),
      new cassandra.CfnTable(stack, 'Positions', { keyspaceName: 'ledger', partitionKeyColumns: [{ columnName: 'id', columnType: 'text' }] }),
      new amazonmq.CfnBroker(stack, 'Switch', {
        brokerName: 'card-switch', engineType: 'ACTIVEMQ', deploymentMode: 'SINGLE_INSTANCE', hostInstanceType: 'mq.m5.large', publiclyAccessible: false, users: [],
      }),
    ];
    const prod = shop();
    databases(prod.stack);
    expect(lines(c02(prod.app, { stage: 'prod' }))).toEqual([`${DURABLE} Shop/Balances`, `${DURABLE} Shop/Positions`, `${DURABLE} Shop/Switch`, `${DURABLE} Shop/Warehouse`]);
    const kept = shop();
    for (const database of databases(kept.stack)) database.applyRemovalPolicy(RemovalPolicy.RETAIN);
    expect(c02(kept.app, { stage: 'prod' })).toEqual([]);
    expect(lines(c02(kept.app, { stage: 'dev' }))).toEqual([
      `${EPHEMERAL} Shop/Balances`, `${EPHEMERAL} Shop/Positions`, `${EPHEMERAL} Shop/Switch`, `${EPHEMERAL} Shop/Warehouse`,
    ]);
  });

  test('judges a CloudTrail Lake event data store, whose termination protection is on unless turned off', () => {
    const store = (stack: Stack, id: string, terminationProtectionEnabled?: boolean) =>
      new cloudtrail.CfnEventDataStore(stack, id, { retentionPeriod: 2557, terminationProtectionEnabled });
    const prod = shop();
    for (const [id, protection] of [['Unset', undefined], ['On', true], ['Off', false]] as const) store(prod.stack, id, protection).applyRemovalPolicy(RemovalPolicy.RETAIN);
    const durable = c02(prod.app, { stage: 'prod' });
    expect(lines(durable)).toEqual([`${PROTECTION} Shop/Off`]);
    const dev = shop();
    store(dev.stack, 'Unset');
    store(dev.stack, 'Off', false);
    const ephemeral = c02(dev.app, { stage: 'dev' });
    expect(lines(ephemeral)).toEqual([`${EPHEMERAL} Shop/Unset`]);
    expect(ephemeral[0].message).toContain('has TerminationProtectionEnabled unset (on by default), so it outlives its stack');
  });

  test('judges an Aurora DSQL cluster, and leaves its deletion protection unjudged while it is unset', () => {
    const cluster = (stack: Stack, id: string, deletionProtectionEnabled?: boolean) => new dsql.CfnCluster(stack, id, { deletionProtectionEnabled });
    const prod = shop();
    for (const [id, protection] of [['Unset', undefined], ['On', true], ['Off', false]] as const) cluster(prod.stack, id, protection).applyRemovalPolicy(RemovalPolicy.RETAIN);
    cluster(prod.stack, 'Deleted', true);
    const durable = c02(prod.app, { stage: 'prod' });
    expect(lines(durable)).toEqual([`${PROTECTION} Shop/Off`, `${DURABLE} Shop/Deleted`]);
    expect(durable[0].message).toBe('AWS::DSQL::Cluster Off in durable stage "prod" has DeletionProtectionEnabled false, so one API call or console click deletes it and its data.');
    const dev = shop();
    cluster(dev.stack, 'Unset');
    cluster(dev.stack, 'Off', false);
    cluster(dev.stack, 'On', true);
    cluster(dev.stack, 'Kept', false).applyRemovalPolicy(RemovalPolicy.RETAIN);
    expect(lines(c02(dev.app, { stage: 'dev' }))).toEqual([`${EPHEMERAL} Shop/Kept`, `${EPHEMERAL} Shop/On`]);
  });

  test('judges the newer data stores: DocumentDB elastic, Neptune Analytics, OpenSearch Serverless, Timestream, S3 tables and AgentCore memories', () => {
    const stores = (stack: Stack) => [
      new docdbelastic.CfnCluster(stack, 'Documents', { adminUserName: 'kyc', authType: 'SECRET_ARN', clusterName: 'kyc', shardCapacity: 2, shardCount: 2 }),
      new neptunegraph.CfnGraph(stack, 'Graph', { provisionedMemory: 16 }),
      new opensearchserverless.CfnCollection(stack, 'Vectors', { name: 'kb-vectors', type: 'VECTORSEARCH' }),
      new timestream.CfnTable(stack, 'Ticks', { databaseName: 'market' }),
      new timestream.CfnInfluxDBInstance(stack, 'Influx', { dbInstanceType: 'db.influx.medium', allocatedStorage: 20 }),
      new s3tables.CfnTable(stack, 'Positions', { tableBucketArn: 'arn:aws:s3tables:eu-west-1:123456789012:bucket/lake', namespace: 'risk', tableName: 'positions', openTableFormat: 'ICEBERG' }),
      new agentcore.CfnMemory(stack, 'Conversations', { name: 'conversations', eventExpiryDuration: 30 }),
    ];
    const ids = ['Conversations', 'Documents', 'Graph', 'Influx', 'Positions', 'Ticks', 'Vectors'];
    const prod = shop();
    stores(prod.stack);
    expect(lines(c02(prod.app, { stage: 'prod' }))).toEqual(ids.map(id => `${DURABLE} Shop/${id}`));
    const kept = shop();
    for (const store of stores(kept.stack)) store.applyRemovalPolicy(RemovalPolicy.RETAIN);
    // Neptune Analytics' deletion protection is unset: its default is not documented, so it is not judged.
    expect(c02(kept.app, { stage: 'prod' })).toEqual([]);
    expect(lines(c02(kept.app, { stage: 'dev' }))).toEqual(ids.map(id => `${EPHEMERAL} Shop/${id}`));
    const unprotected = shop();
    new neptunegraph.CfnGraph(unprotected.stack, 'Graph', { provisionedMemory: 16, deletionProtection: false }).applyRemovalPolicy(RemovalPolicy.RETAIN);
    expect(lines(c02(unprotected.app, { stage: 'prod' }))).toEqual([`${PROTECTION} Shop/Graph`]);
  });

  test('judges EventBridge archives, which keep their bus\'s events for replay, but not the bus', () => {
    const archived = (stack: Stack) => {
      const bus = new events.EventBus(stack, 'Trades');
      return [
        bus.archive('Replay', { eventPattern: { source: ['trading.booking'] } }),
        new events.Archive(stack, 'Audit', { sourceEventBus: bus, eventPattern: { account: ['123456789012'] } }),
      ];
    };
    const prod = shop();
    archived(prod.stack);
    expect(lines(c02(prod.app, { stage: 'prod' }))).toEqual([`${DURABLE} Shop/Audit/Archive`, `${DURABLE} Shop/Trades/Replay/Archive`]);
    const kept = shop();
    for (const archive of archived(kept.stack)) archive.applyRemovalPolicy(RemovalPolicy.RETAIN);
    expect(c02(kept.app, { stage: 'prod' })).toEqual([]);
    expect(lines(c02(kept.app, { stage: 'dev' }))).toEqual([`${EPHEMERAL} Shop/Audit/Archive`, `${EPHEMERAL} Shop/Trades/Replay/Archive`]);
  });

  test('a durable-stage finding cannot be acknowledged, and the report says why', () => {
    const app = testApp();
    const queue = new sqs.Queue(new Stack(app, 'Shop'), 'Queue');
    Validations.of(queue).acknowledge({ id: DURABLE, reason: 'we like living dangerously' });
    const prod = c02(app, { stage: 'prod' });
    expect(prod).toEqual([expect.objectContaining({
      ruleId: DURABLE,
      message: expect.stringContaining(`The acknowledgement ("we like living dangerously") does not apply: ${DURABLE} cannot be acknowledged in durable stage "prod".`),
    })]);
    expect(prod[0].acknowledgedReason).toBeUndefined();
  });
});
