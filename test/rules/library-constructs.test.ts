import { App, Stack } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { IConstruct } from 'constructs';
import { deliveryPipeline } from './pipeline-harness';
import { quietSynth, testApp } from './rule-harness';
import { createdForLibrary, isBelowPath, libraryClassOf, libraryInternalOf, libraryWildcardActions } from '../../src/rules/library-constructs';

// A removal rule: what the pipeline decides for its artifact bucket and key.
const REMOVAL = 'Fintech-C02-DurableDeletesData';

function built(post?: pipelines.Step[]): { app: App; stack: Stack; pipeline: pipelines.CodePipeline } {
  const app = testApp();
  const built_ = deliveryPipeline(app, { post });
  quietSynth(app);
  return { app, ...built_ };
}

/** The CfnElement at a construct path below the stack. */
function element(stack: Stack, below: string): IConstruct {
  const found = stack.node.findAll().find(c => c.node.path === `${stack.node.path}/${below}`);
  if (!found) throw new Error(`no construct at ${below}`);
  return found;
}

describe('libraryClassOf', () => {
  test('names the nearest library class, also of an app\'s subclass', () => {
    const { stack, pipeline } = built();
    expect(libraryClassOf(pipeline)).toBe('aws-cdk-lib.pipelines.CodePipeline');
    expect(libraryClassOf(stack)).toBe('aws-cdk-lib.Stack');
    class LedgerStack extends Stack {}
    expect(libraryClassOf(new LedgerStack(new App(), 'Ledger'))).toBe('aws-cdk-lib.Stack');
  });
});

describe('libraryInternalOf', () => {
  test('finds the resources a library creates whole, and the roles it writes statements into', () => {
    const { stack, pipeline } = built();
    const key = libraryInternalOf(element(stack, 'Pipeline/Pipeline/ArtifactsBucketEncryptionKey/Resource'), false, REMOVAL)!;
    expect(key.construct).toBe(pipeline.pipeline);
    expect(createdForLibrary(key)).toEqual({ constructs: ['Delivery/Pipeline/Pipeline'], how: expect.stringMatching(/^codepipeline\.Pipeline: its artifact bucket's key/) });
    expect(libraryInternalOf(element(stack, 'Pipeline/Pipeline/ArtifactsBucket/Resource'), false, REMOVAL)?.internal.path).toBe('ArtifactsBucket');
    const selfMutation = libraryInternalOf(element(stack, 'Pipeline/UpdatePipeline/SelfMutation/Role/DefaultPolicy/Resource'), true)!;
    expect(selfMutation.construct).toBe(pipeline);
    expect(selfMutation.internal.wildcardActions).toEqual(['cloudformation:DescribeStacks', 's3:ListBucket']);
    expect(libraryInternalOf(element(stack, 'Pipeline/Assets/FileRole/DefaultPolicy/Resource'), true)?.internal.path).toBe('Assets/FileRole');
  });

  test('asks for one kind at a time: a role is not a resource created whole, nor a bucket a role', () => {
    const { stack } = built();
    expect(libraryInternalOf(element(stack, 'Pipeline/UpdatePipeline/SelfMutation/Role/DefaultPolicy/Resource'), false)).toBeUndefined();
    expect(libraryInternalOf(element(stack, 'Pipeline/Pipeline/ArtifactsBucket/Resource'), true, REMOVAL)).toBeUndefined();
  });

  test('leaves the rest of the library construct to the app: the pipeline itself, its synth role, a step the app adds', () => {
    const smoke = new pipelines.CodeBuildStep('Smoke', {
      commands: ['npm run smoke'],
      rolePolicyStatements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })],
    });
    const { stack } = built([smoke]);
    for (const below of ['Pipeline/Pipeline/Resource', 'Pipeline/Pipeline/ArtifactsBucketEncryptionKeyAlias/Resource', 'Pipeline/Pipeline/Build/Synth/CdkBuildProject/Role/DefaultPolicy/Resource']) {
      const owner = libraryInternalOf(element(stack, below), false, REMOVAL) ?? libraryInternalOf(element(stack, below), true);
      expect([below, owner?.internal.path]).toEqual([below, undefined]);
    }
    const smokePolicy = stack.node.findAll().find(c => /Smoke.*\/Role\/DefaultPolicy\/Resource$/.test(c.node.path))!;
    expect(libraryInternalOf(smokePolicy, true)).toBeUndefined();
  });

  test('finds what a pipeline creates in a support stack for another region, and names the pipeline', () => {
    const app = testApp();
    const { pipeline } = deliveryPipeline(app, { drRegion: 'eu-central-1' });
    quietSynth(app);
    const support = app.node.findAll().filter(c => c.node.path.startsWith('cross-region-stack-') && c.node.id === 'Resource');
    expect(support.map(c => c.node.path.replace(/^[^/]*\//, '')).sort()).toEqual([
      'Default/CrossRegionCodePipelineReplicationBucket/Policy/Resource',
      'Default/CrossRegionCodePipelineReplicationBucket/Resource',
      'Default/CrossRegionCodePipelineReplicationBucketEncryptionAlias/Resource',
      'Default/CrossRegionCodePipelineReplicationBucketEncryptionKey/Resource',
    ]);
    for (const supportElement of support) {
      const owner = libraryInternalOf(supportElement, false);
      expect([owner?.construct === pipeline.pipeline, owner?.internal.support?.className]).toEqual([true, 'CrossRegionSupportConstruct']);
    }
    expect(libraryInternalOf(support[0], true)?.internal).toBeUndefined();
    const role = libraryInternalOf(element(Stack.of(pipeline), 'Pipeline/Pipeline/Role/DefaultPolicy/Resource'), true);
    expect([role?.construct === pipeline.pipeline, role?.internal.wildcardActions]).toEqual([true, expect.arrayContaining(['kms:Decrypt'])]);
  });

  test('a replication bucket the app brings for another region stays the app\'s', () => {
    const app = testApp();
    const dr = new Stack(app, 'DrArtifacts', { env: { account: '123456789012', region: 'eu-central-1' } });
    const bucket = new s3.Bucket(dr, 'Replication', { bucketName: 'ledger-dr-artifacts-123456789012' });
    const stack = new Stack(app, 'Delivery', { env: { account: '123456789012', region: 'eu-west-1' } });
    const pipeline = new codepipeline.Pipeline(stack, 'Pipeline', { crossRegionReplicationBuckets: { 'eu-central-1': bucket } });
    expect(Object.keys(pipeline.crossRegionSupport)).toEqual(['eu-central-1']);
    expect(libraryInternalOf(bucket.node.defaultChild, false, REMOVAL)?.internal).toBeUndefined();
  });

  test('an internal limited to some rules is the library\'s for those rules only', () => {
    const app = testApp();
    const stack = new Stack(app, 'Kyc', { env: { account: '123456789012', region: 'eu-west-1' } });
    const cluster = new docdb.DatabaseCluster(stack, 'Documents', {
      masterUser: { username: 'kyc_admin' },
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
      vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 }),
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    });
    quietSynth(app);
    const secret = element(stack, 'Documents/Secret/Resource');
    const owner = libraryInternalOf(secret, false, REMOVAL);
    expect([owner?.construct === cluster, owner?.internal.path]).toEqual([true, 'Secret']);
    expect(libraryInternalOf(secret, false, 'Fintech-C16-PhysicalNameWithoutStage')).toBeUndefined();
    expect(libraryInternalOf(secret, false)).toBeUndefined();
    expect(libraryInternalOf(element(stack, 'Documents/Resource'), false, REMOVAL)).toBeUndefined();
  });

  test('an internal another library construct writes is found only where that construct holds it, and names the holder', () => {
    const app = testApp();
    const stack = new Stack(app, 'Ledger', { env: { account: '123456789012', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
    const group = (id: string) => new autoscaling.AutoScalingGroup(stack, id, {
      vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, instanceType: new ec2.InstanceType('m7g.large'), machineImage: ecs.EcsOptimizedImage.amazonLinux2023(ecs.AmiHardwareType.ARM),
    });
    const provider = new ecs.AsgCapacityProvider(stack, 'Capacity', { autoScalingGroup: group('Instances') });
    cluster.addAsgCapacityProvider(provider);
    cluster.addCapacity('Default', { instanceType: new ec2.InstanceType('m7g.large'), vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
    group('Loose').addToRolePolicy(new iam.PolicyStatement({ actions: ['logs:PutLogEvents'], resources: ['*'] }));
    quietSynth(app);
    const ownerOf = (path: string) => libraryInternalOf(element(stack, `${path}/InstanceRole/DefaultPolicy/Resource`), true)?.construct;
    expect(ownerOf('Instances')).toBe(provider);
    expect(ownerOf('Cluster/Default')).toBe(cluster);
    expect(ownerOf('Loose')).toBeUndefined();
  });

  test('the actions tasks write into a state machine\'s role are the library\'s where the app has such a task', () => {
    const app = testApp();
    const stack = new Stack(app, 'Reporting');
    const machine = new sfn.StateMachine(stack, 'Main', {
      definitionBody: sfn.DefinitionBody.fromChainable(new tasks.AthenaGetQueryExecution(stack, 'Status', { queryExecutionId: sfn.JsonPath.stringAt('$.id') })),
    });
    quietSynth(app);
    const owner = libraryInternalOf(element(stack, 'Main/Role/DefaultPolicy/Resource'), true)!;
    expect(owner.construct).toBe(machine);
    // AthenaGetQueryExecution's action only: the app has no other task that writes statements on "*".
    expect([...libraryWildcardActions(owner.internal, machine)]).toEqual(['athena:getqueryexecution']);
  });

  test('the same ids outside a library construct are the app\'s', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('codebuild.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: ['*'] }));
    quietSynth(app);
    expect(libraryInternalOf(element(stack, 'Role/DefaultPolicy/Resource'), true)).toBeUndefined();
    expect(libraryInternalOf(undefined, true)).toBeUndefined();
  });

  test('an internal whose path has a "*" matches any characters within that one id, and only there', () => {
    const app = testApp();
    const stack = new Stack(app, 'Flags');
    const application = new appconfig.Application(stack, 'Payments');
    const errors = new cloudwatch.Alarm(stack, 'Errors', { metric: new cloudwatch.Metric({ namespace: 'Payments', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1 });
    const environment = new appconfig.Environment(stack, 'Prod', { application, monitors: [appconfig.Monitor.fromCloudWatchAlarm(errors)] });
    quietSynth(app);
    const role = environment.node.children.find(c => c instanceof iam.Role)!;
    expect(role.node.id).toMatch(/^Role[0-9A-F]{5}$/);
    expect(libraryInternalOf(element(stack, `Prod/${role.node.id}/Resource`), true)?.construct).toBe(environment);
    expect(isBelowPath('Role46BA1/Resource/', 'Role*')).toBe(true);
    expect(isBelowPath('Roles/Role46BA1/', 'Role*')).toBe(true);
    expect(isBelowPath('Other/Role46BA1/', 'Role*')).toBe(false);
    expect(isBelowPath('ArtifactsBucket/Resource/', 'ArtifactsBucket')).toBe(true);
    expect(isBelowPath('ArtifactsBucketKey/Resource/', 'ArtifactsBucket')).toBe(false);
  });
});
