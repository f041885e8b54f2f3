import { CfnElement, Duration, Names, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as pipelineActions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as events from 'aws-cdk-lib/aws-events';
import * as targetsLib from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as servicediscovery from 'aws-cdk-lib/aws-servicediscovery';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import * as cr from 'aws-cdk-lib/custom-resources';
import { IConstruct } from 'constructs';
import { LIBRARY_EXECUTE_COMMAND, LIBRARY_FLUENT_BIT, LIBRARY_FUNCTIONS, LIBRARY_INTERNALS, LIBRARY_PIPELINE_ACTIONS, LIBRARY_SDK_CALLS, LibraryHolder, LibraryInternal } from '../../src/facts/library-internals';
import { RESOURCE_NAMING_CONDITION_KEYS, allowedOnEveryResource } from '../../src/facts/wildcard-resource-actions';
import { FintechChecks } from '../../src/rules/fintech-checks';
import { isBelowPath, libraryClassOf } from '../../src/rules/library-constructs';
import { kubernetesCluster } from '../rules/kubernetes-harness';
import { containerRollout, deliveryPipeline } from '../rules/pipeline-harness';
import { quietSynth, testApp } from '../rules/rule-harness';
import { fraudModelTasks } from '../rules/workflow-harness';

/**
 * A CDK Pipelines app with assets and a second region, and a stack with a bastion host and databases that generate their
 * master secrets, synthesized: every internal the list knows exists in it, once.
 */
function libraryApp(): IConstruct {
  const app = testApp();
  deliveryPipeline(app, { drRegion: 'eu-central-1', confirmBroadening: true });
  const stack = new Stack(app, 'Data', { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
  // Flow logs to CloudWatch Logs and to S3, a trail to both, a canary: each creates the store it was given none of.
  vpc.addFlowLog('FlowLog');
  vpc.addFlowLog('S3FlowLog', { destination: ec2.FlowLogDestination.toS3() });
  new cloudtrail.Trail(stack, 'Trail', { sendToCloudWatchLogs: true });
  // Stores encrypted with a customer-managed key they were given none of, each creating its own.
  new s3.Bucket(stack, 'Exports', { encryption: s3.BucketEncryption.KMS });
  new sqs.Queue(stack, 'Payouts', { encryption: sqs.QueueEncryption.KMS });
  new dynamodb.Table(stack, 'Ledger', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED });
  new kinesis.Stream(stack, 'Events', { encryption: kinesis.StreamEncryption.KMS });
  // A provider whose waiter state machine logs, to a log group it creates.
  const provided = (id: string) => new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
  new cr.Provider(stack, 'SeedProvider', { onEventHandler: provided('Seed'), isCompleteHandler: provided('SeedDone'), disableWaiterStateMachineLogging: false });
  new synthetics.Canary(stack, 'Probe', {
    runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_9_1,
    test: synthetics.Test.custom({ code: synthetics.Code.fromInline('exports.handler = async () => {};'), handler: 'index.handler' }),
  });
  const vpcSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  new ec2.BastionHostLinux(stack, 'Bastion', { vpc });
  new rds.DatabaseCluster(stack, 'Aurora', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    writer: rds.ClusterInstance.serverlessV2('Writer'),
    vpc,
    vpcSubnets,
  });
  new rds.DatabaseInstance(stack, 'Postgres', { engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 }), vpc, vpcSubnets });
  // EC2 capacity for an ECS cluster, and aws-ecs-patterns' scheduled tasks on it.
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const instances = new autoscaling.AutoScalingGroup(stack, 'Instances', {
    vpc, vpcSubnets, instanceType: new ec2.InstanceType('m7g.large'), machineImage: ecs.EcsOptimizedImage.amazonLinux2023(ecs.AmiHardwareType.ARM),
  });
  cluster.addAsgCapacityProvider(new ecs.AsgCapacityProvider(stack, 'Capacity', { autoScalingGroup: instances }));
  // Capacity the cluster creates itself, without managed draining: it adds its drain hook to the group.
  cluster.addCapacity('LegacyCapacity', { instanceType: new ec2.InstanceType('m7g.large'), machineImage: ecs.EcsOptimizedImage.amazonLinux2023(ecs.AmiHardwareType.ARM), vpcSubnets });
  const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/job:1.0.0');
  const schedule = events.Schedule.rate(Duration.days(1));
  new ecsPatterns.ScheduledFargateTask(stack, 'FargateJob', { cluster, schedule, subnetSelection: vpcSubnets, scheduledFargateTaskImageOptions: { image, memoryLimitMiB: 512 } });
  new ecsPatterns.ScheduledEc2Task(stack, 'Ec2Job', { cluster, schedule, subnetSelection: vpcSubnets, scheduledEc2TaskImageOptions: { image, memoryLimitMiB: 512 } });
  // A state machine whose tasks write statements on "*" into its role.
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Extract');
  taskDefinition.addContainer('extract', { image });
  const athena = (id: string) => ({ queryExecutionId: sfn.JsonPath.stringAt(`$.${id}`) });
  const steps = [
    new tasks.EcsRunTask(stack, 'RunExtract', {
      cluster,
      taskDefinition,
      subnets: vpcSubnets,
      launchTarget: new tasks.EcsFargateLaunchTarget(),
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    }),
    new tasks.AthenaStartQueryExecution(stack, 'StartQuery', { queryString: 'SELECT 1', resultConfiguration: { outputLocation: { bucketName: 'reports', objectKey: 'q' } } }),
    new tasks.AthenaGetQueryExecution(stack, 'GetQuery', athena('get')),
    new tasks.AthenaGetQueryResults(stack, 'GetResults', athena('results')),
    new tasks.AthenaStopQueryExecution(stack, 'StopQuery', athena('stop')),
    ...fraudModelTasks(stack, vpc),
    new tasks.EmrCreateCluster(stack, 'StartRiskCluster', { name: 'risk', instances: {}, releaseLabel: 'emr-7.5.0' }),
    new tasks.MediaConvertCreateJob(stack, 'RenderStatements', {
      createJobRequest: {
        Role: new iam.Role(stack, 'MediaConvertRole', { assumedBy: new iam.ServicePrincipal('mediaconvert.amazonaws.com') }).roleArn,
        Settings: { OutputGroups: [] },
      },
      integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    }),
  ];
  // An EMR on EKS job whose monitoring logs to the bucket and log group the task creates.
  new tasks.EmrContainersStartJobRun(stack, 'ScoreBatch', {
    virtualCluster: tasks.VirtualClusterInput.fromVirtualClusterId('vc-0123456789abcdef'),
    releaseLabel: tasks.ReleaseLabel.EMR_6_2_0,
    jobDriver: { sparkSubmitJobDriver: { entryPoint: sfn.TaskInput.fromText('local:///opt/jobs/score.py') } },
    monitoring: { logging: true },
  });
  // Services whose Service Connect proxy logs through awslogs, and a FireLens router that does, each to a log group it creates.
  const mesh = new servicediscovery.HttpNamespace(stack, 'Mesh', { name: 'payments.internal' });
  const proxyLogs = { namespace: mesh.namespaceArn, logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: 'proxy' }) };
  const apiTask = new ecs.FargateTaskDefinition(stack, 'ApiTask');
  apiTask.addContainer('api', { image, portMappings: [{ containerPort: 8080, name: 'api' }], logging: ecs.LogDrivers.firelens({}) });
  new ecs.FargateService(stack, 'Api', { cluster, taskDefinition: apiTask, vpcSubnets, serviceConnectConfiguration: { ...proxyLogs, services: [{ portMappingName: 'api' }] } });
  const ledgerTask = new ecs.Ec2TaskDefinition(stack, 'LedgerTask');
  ledgerTask.addContainer('ledger', { image, memoryLimitMiB: 512, portMappings: [{ containerPort: 8080, name: 'ledger' }] });
  new ecs.Ec2Service(stack, 'LedgerService', { cluster, taskDefinition: ledgerTask, serviceConnectConfiguration: { ...proxyLogs, services: [{ portMappingName: 'ledger' }] } });
  const definition = steps.slice(1).reduce((chain, step) => chain.next(step), sfn.Chain.start(steps[0]));
  new sfn.StateMachine(stack, 'Reporting', { definitionBody: sfn.DefinitionBody.fromChainable(definition) });
  new cognito.UserPool(stack, 'Customers', { signInAliases: { phone: true }, mfa: cognito.Mfa.REQUIRED, mfaSecondFactor: { sms: true, otp: false } });
  const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'bank.example.com' });
  new acm.DnsValidatedCertificate(stack, 'EdgeCertificate', { domainName: 'signin.bank.example.com', hostedZone: zone, region: 'us-east-1' });
  new opensearch.Domain(stack, 'Search', {
    version: opensearch.EngineVersion.OPENSEARCH_2_11,
    fineGrainedAccessControl: { masterUserName: 'search_admin' },
    logging: { slowSearchLogEnabled: true, slowIndexLogEnabled: true, appLogEnabled: true, auditLogEnabled: true },
    encryptionAtRest: { enabled: true },
    nodeToNodeEncryption: true,
    enforceHttps: true,
  });
  new docdb.DatabaseCluster(stack, 'Documents', {
    masterUser: { username: 'kyc_admin' },
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
    vpc,
    vpcSubnets,
  });
  // A static site published with a role of the app's, which the deployment writes its invalidation into.
  const site = new s3.Bucket(stack, 'Site');
  const distribution = new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(site) }, enableLogging: true });
  new cloudfront.CloudFrontWebDistribution(stack, 'LegacyCdn', {
    originConfigs: [{ customOriginSource: { domainName: 'portal.bank.example.com' }, behaviors: [{ isDefaultBehavior: true }] }],
    loggingConfig: {},
  });
  const publishRole = new iam.Role(stack, 'PublishRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  new s3deploy.BucketDeployment(stack, 'Publish', { sources: [s3deploy.Source.data('index.html', '<h1>Portal</h1>')], destinationBucket: site, distribution, role: publishRole });
  // Builds in the VPC: a migration project, and a project a pipeline action runs.
  const buildSpec = codebuild.BuildSpec.fromObject({ version: '0.2', phases: { build: { commands: ['npm run migrate'] } } });
  new codebuild.Project(stack, 'Migrate', { vpc, subnetSelection: vpcSubnets, buildSpec });
  new codebuild.PipelineProject(stack, 'IntegrationTests', { vpc, subnetSelection: vpcSubnets, buildSpec });
  // A release pipeline started by source events: an object written to a bucket of the app's and to an imported one, an image pushed.
  const sourced = ['Release', 'Legacy', 'Image', 'Code', 'Shared'].map(name => new codepipeline.Artifact(name));
  const releases = new s3.Bucket(stack, 'Releases', { versioned: true });
  const legacy = s3.Bucket.fromBucketName(stack, 'LegacyReleases', 'legacy-releases');
  new codepipeline.Pipeline(stack, 'Releasing', {
    // Its own bucket and role, so that the pipeline internals listed above stay CDK Pipelines' only.
    artifactBucket: new s3.Bucket(stack, 'ReleaseArtifacts'),
    role: new iam.Role(stack, 'ReleasingRole', { assumedBy: new iam.ServicePrincipal('codepipeline.amazonaws.com') }),
    stages: [
      {
        stageName: 'Source',
        actions: [
          new pipelineActions.S3SourceAction({ actionName: 'Release', bucket: releases, bucketKey: 'app.zip', output: sourced[0], trigger: pipelineActions.S3Trigger.EVENTS }),
          new pipelineActions.S3SourceAction({ actionName: 'Legacy', bucket: legacy, bucketKey: 'app.zip', output: sourced[1], trigger: pipelineActions.S3Trigger.EVENTS }),
          new pipelineActions.EcrSourceAction({ actionName: 'Image', repository: ecr.Repository.fromRepositoryName(stack, 'Images', 'app'), output: sourced[2] }),
          // A repository of the app's, started on a push with the action's default trigger.
          new pipelineActions.CodeCommitSourceAction({ actionName: 'Code', repository: new codecommit.Repository(stack, 'ReleaseCode', { repositoryName: 'release-code' }), branch: 'main', output: sourced[3] }),
          // A repository another team owns, imported.
          new pipelineActions.CodeCommitSourceAction({ actionName: 'Shared', repository: codecommit.Repository.fromRepositoryName(stack, 'SharedCode', 'shared-code'), output: sourced[4] }),
        ],
      },
      { stageName: 'Approve', actions: [new pipelineActions.ManualApprovalAction({ actionName: 'Approve' })] },
    ],
  });
  // A function whose results go to other functions, response only.
  const code = lambda.Code.fromInline('exports.handler = async () => ({})');
  const fn = (id: string, props: Partial<lambda.FunctionProps> = {}) => new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code, ...props });
  fn('Settle', {
    onSuccess: new destinations.LambdaDestination(fn('Book'), { responseOnly: true }),
    onFailure: new destinations.LambdaDestination(fn('Compensate'), { responseOnly: true }),
  });
  // Statements replicated to a vault in another region, whose key the replication role is granted.
  const vault = new Stack(app, 'Vault', { env: { account: '123456789012', region: 'eu-central-1' } });
  const vaultKey = new kms.Key(vault, 'Key');
  const replica = new s3.Bucket(vault, 'Replica', { bucketName: 'statements-replica-123456789012', versioned: true, encryptionKey: vaultKey });
  new s3.Bucket(new Stack(app, 'Statements', { env: { account: '123456789012', region: 'eu-west-1' }, crossRegionReferences: true }), 'Statements', {
    versioned: true, replicationRules: [{ destination: replica, priority: 1, kmsKey: vaultKey, sseKmsEncryptedObjects: true }],
  });
  // A global table of version 2017, replicated through CDK's replica provider.
  new dynamodb.Table(stack, 'Rates', { partitionKey: { name: 'pair', type: dynamodb.AttributeType.STRING }, replicationRegions: ['eu-central-1'] });
  // Feature flags rolled back on an alarm.
  const errors = new cloudwatch.Alarm(stack, 'FlagErrors', { metric: new cloudwatch.Metric({ namespace: 'Payments', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1 });
  new appconfig.Environment(stack, 'Flags', { application: new appconfig.Application(stack, 'Payments'), monitors: [appconfig.Monitor.fromCloudWatchAlarm(errors)] });
  // Kubernetes: a cluster with the AWS Load Balancer Controller, and (one cluster per stack) a Fargate-only cluster.
  const platformEnv = { account: '123456789012', region: 'eu-west-1' };
  // Of the IPv6 family: the node group of its default capacity writes the VPC CNI plugin's IPv6 statement into its node role.
  kubernetesCluster(new Stack(app, 'Platform', { env: platformEnv }), { albController: { version: eks.AlbControllerVersion.V2_8_2 }, ipFamily: eks.IpFamily.IP_V6 });
  kubernetesCluster(new Stack(app, 'Batch', { env: platformEnv }), { fargate: true });
  quietSynth(app);
  return app;
}

/** Whether `holder` holds `held` the way `how` says: in its property, or as its scope. */
function holds(holder: IConstruct, how: LibraryHolder, held: IConstruct): boolean {
  if (libraryClassOf(holder) !== how.library) return false;
  return how.property ? (holder as unknown as Record<string, unknown>)[how.property] === held : held.node.scope === holder;
}

/** The constructs an entry names in the app: at its path below each library construct, or its support constructs. */
function constructsOf(app: IConstruct, internal: LibraryInternal): IConstruct[] {
  const all = app.node.findAll();
  const owners = all.filter(c => libraryClassOf(c) === internal.library);
  if (internal.support) {
    const { property, resource, className } = internal.support;
    return owners.flatMap(owner => Object.values((owner as any)[property] as Record<string, Record<string, IConstruct>>))
      .map(value => value[resource].node.scope!)
      .filter(scope => Object.getPrototypeOf(scope).constructor.name === className);
  }
  const held = internal.heldBy
    ? owners.filter(owner => all.some(c => internal.heldBy!.some(h => holds(c, h, owner))))
    : owners;
  if (internal.namedAfter) {
    return held.flatMap(owner => {
      const [before, after] = internal.namedAfter!.split('{uniqueId}');
      return all.filter(c => c.node.id.startsWith(`${before}${Names.nodeUniqueId(owner.node)}`) && c.node.id.endsWith(after.replace('*', '')) &&
        libraryClassOf(c.node.scope!) === 'aws-cdk-lib.Resource');
    });
  }
  const depth = internal.path!.split('/').length;
  return held.flatMap(owner => all.filter(c => {
    const below = c.node.path.slice(owner.node.path.length + 1);
    return c.node.path.startsWith(`${owner.node.path}/`) && below.split('/').length === depth && isBelowPath(`${below}/`, internal.path!);
  }));
}


// "*", or every resource of one type in every account and region.
const EVERY_RESOURCE = /^(\*|arn:[a-z-]+:[a-z0-9-]+:\*:\*:[A-Za-z0-9-]+[/:]\*)$/;

/**
 * The statements the policies created below `scope` (inline ones too) allow on Resource "*" (or an ARN of every account), each as its actions, but for
 * actions that accept nothing else and statements pinned to one resource; and the service wildcards (`dynamodb:*`) of
 * statements on other resources.
 */
function wildcardStatementsBelow(scope: IConstruct): string[][] {
  const stack = Stack.of(scope);
  const resources = Template.fromStack(stack).toJSON().Resources;
  const statements: string[][] = [];
  // Attached policies below the role, and the role's own inline policies.
  const documents = scope.node.findAll().flatMap(c => {
    const properties = c instanceof iam.CfnPolicy || c instanceof iam.CfnRole || c instanceof iam.CfnManagedPolicy
      ? resources[stack.getLogicalId(c)].Properties : undefined;
    if (!properties) return [];
    return [properties.PolicyDocument, ...(properties.Policies ?? []).map((p: { PolicyDocument: unknown }) => p.PolicyDocument)].filter(Boolean);
  });
  for (const document of documents) {
    for (const statement of document.Statement) {
      const serviceWildcards = [statement.Action].flat().filter((action: string) => /^([a-z0-9-]+:)?\*$/.test(action));
      // A library may write the wildcard as a list (`["*"]`, from a Lazy.list), or an ARN of every account (`arn:aws:ec2:*:*:network-interface/*`).
      if (!EVERY_RESOURCE.test([statement.Resource].flat().join())) {
        if (serviceWildcards.length > 0) statements.push(serviceWildcards);
        continue;
      }
      if (RESOURCE_NAMING_CONDITION_KEYS.some(key => JSON.stringify(statement.Condition ?? {}).includes(`"${key}"`))) continue;
      const actions = [statement.Action].flat().filter((action: string) => !allowedOnEveryResource(action));
      if (actions.length > 0) statements.push(actions);
    }
  }
  return statements;
}

describe('LIBRARY_INTERNALS', () => {
  test('every entry names constructs the library creates, in the aws-cdk-lib this package builds with, one per library construct', () => {
    const app = libraryApp();
    for (const internal of LIBRARY_INTERNALS) {
      const found = constructsOf(app, internal);
      // Two containers of the app's, each with its awslogs log group, are two library constructs with one internal each.
      const owners = new Set(found.map(c => c.node.scope));
      const key = internal.path ?? internal.support?.className ?? internal.namedAfter;
      // An internal named after its library construct is in another construct: one per library construct all the same.
      const namedAfter = (c: IConstruct) => app.node.findAll().find(o => c.node.id.includes(Names.nodeUniqueId(o.node)));
      const libraryOwners = internal.namedAfter ? new Set(found.map(namedAfter)) : owners;
      expect([internal.library, key, found.length > 0, libraryOwners.size]).toEqual([internal.library, key, true, found.length]);
    }
  });

  test('a role entry lists exactly the actions the library allows on "*" there, so a library that narrows them shows up', () => {
    const app = libraryApp();
    const sorted = (statements: readonly (readonly string[])[]) => statements.map(actions => [...actions].sort().join(' ')).sort();
    for (const internal of LIBRARY_INTERNALS.filter(i => i.wildcardActions || i.wildcardStatements)) {
      const [role] = constructsOf(app, internal);
      const statements = wildcardStatementsBelow(role);
      if (internal.wildcardActions) {
        expect([internal.path, [...new Set(statements.flat())].sort()]).toEqual([internal.path, [...internal.wildcardActions].sort()]);
      } else {
        const listed = [...new Set(sorted(internal.wildcardStatements!.map(s => s.actions)))];
        expect([internal.path, [...new Set(sorted(statements))]]).toEqual([internal.path, listed]);
        const classes = new Set(app.node.findAll().map(libraryClassOf));
        for (const { writtenBy } of internal.wildcardStatements!) expect([writtenBy, classes.has(writtenBy)]).toEqual([writtenBy, true]);
      }
    }
  });

  test('each entry is at a path or a support construct, once, and says how the app can choose otherwise', () => {
    const keys = LIBRARY_INTERNALS.map(i => `${i.library} ${i.path ?? i.support?.className ?? i.namedAfter}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const internal of LIBRARY_INTERNALS) {
      expect([internal.path, internal.support, internal.namedAfter].filter(where => where !== undefined)).toHaveLength(1);
      expect(internal.namedAfter === undefined || /^[^{}]*\{uniqueId\}[^{}]*$/.test(internal.namedAfter)).toBe(true);
      expect(internal.support && internal.wildcardActions).toBeFalsy();
      expect(internal.how.length).toBeGreaterThan(20);
    }
  });

  test('an entry limited to some rules names the prefix of rule ids the pack has', () => {
    const ids = FintechChecks.rules().map(rule => rule.id);
    const limited = LIBRARY_INTERNALS.filter(i => i.rules);
    expect(limited.map(i => `${i.library} ${i.path}`)).toEqual(expect.arrayContaining(['aws-cdk-lib.aws_docdb.DatabaseCluster Secret']));
    for (const prefix of limited.flatMap(i => i.rules!)) expect([prefix, ids.some(id => id.startsWith(prefix))]).toEqual([prefix, true]);
  });
});

describe('LIBRARY_PIPELINE_ACTIONS', () => {
  test('each is an action class whose actions have its provider and allow exactly those actions on "*" in the role they run with', () => {
    const app = testApp();
    const stack = new Stack(app, 'Releases', { env: { account: '123456789012', region: 'eu-west-1' } });
    const pipeline = containerRollout(stack, { blueGreen: true });
    quietSynth(app);
    const deploy = pipeline.stages.find(stage => stage.stageName === 'Deploy')!;
    for (const entry of LIBRARY_PIPELINE_ACTIONS) {
      const actions = deploy.actions.filter(action => libraryClassOf(action as unknown as IConstruct) === entry.library);
      expect([entry.library, actions.length]).toEqual([entry.library, 1]);
      const { category, owner, provider, actionName } = actions[0].actionProperties;
      // The pipeline writes owner AWS for an action that names none.
      expect([entry.library, category, owner ?? 'AWS', provider]).toEqual([entry.library, 'Deploy', 'AWS', entry.provider]);
      const role = pipeline.node.findChild('Deploy').node.findChild(actionName).node.findChild('CodePipelineActionRole');
      expect([entry.library, [...new Set(wildcardStatementsBelow(role).flat())].sort()]).toEqual([entry.library, [...entry.wildcardActions].sort()]);
      expect(entry.how.length).toBeGreaterThan(20);
    }
  });
});

describe('LIBRARY_FLUENT_BIT', () => {
  test.each(Object.keys(LIBRARY_FLUENT_BIT.outputActions))('a task definition logging to %s through FireLens gets the router and the statements it lists', name => {
    const app = testApp();
    const stack = new Stack(app, 'Cards');
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    // log_retention_days makes the cloudwatch output also set retention.
    const options = { Name: name, region: 'eu-west-1', ...(name === 'cloudwatch' ? { log_retention_days: '30' } : {}) };
    task.addContainer('card-api', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/card-api:1.4.2'), logging: ecs.LogDrivers.firelens({ options }) });
    quietSynth(app);
    const template = Template.fromStack(stack).toJSON();
    const router = task.node.findChild(LIBRARY_FLUENT_BIT.routerId) as ecs.FirelensLogRouter;
    expect(router).toBeInstanceOf(ecs.FirelensLogRouter);
    const parameters = Object.values(template.Parameters as Record<string, { Default: string }>).map(p => p.Default);
    expect(parameters).toContainEqual(expect.stringMatching(new RegExp(`^${LIBRARY_FLUENT_BIT.imageParameter}`)));
    expect(router.node.tryFindChild('LogGroup')).toBeInstanceOf(logs.LogGroup);
    const actionsOf = (role: IConstruct) => [...new Set(wildcardStatementsBelow(role).flat())].sort();
    expect(actionsOf(task.obtainExecutionRole())).toEqual([...LIBRARY_FLUENT_BIT.executionRoleActions].sort());
    expect(actionsOf(task.taskRole)).toEqual([...LIBRARY_FLUENT_BIT.outputActions[name]].sort());
  });
});

describe('LIBRARY_EXECUTE_COMMAND', () => {
  test.each([false, true])('a service with ECS Exec logging to S3 writes the listed statements (reduceEc2FargateCloudWatchPermissions %s)', reduce => {
    const app = testApp();
    app.node.setContext('@aws-cdk/aws-ecs:reduceEc2FargateCloudWatchPermissions', reduce);
    const stack = new Stack(app, 'Cards', { env: { account: '123456789012', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
    const cluster = new ecs.Cluster(stack, 'Cluster', {
      vpc,
      executeCommandConfiguration: { logging: ecs.ExecuteCommandLogging.OVERRIDE, logConfiguration: { s3Bucket: new s3.Bucket(stack, 'SessionLogs') } },
    });
    const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
    taskDefinition.addContainer('card-api', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/card-api:1.4.2') });
    const service = new ecs.FargateService(stack, 'Service', { cluster, taskDefinition, enableExecuteCommand: true });
    quietSynth(app);
    expect(LIBRARY_EXECUTE_COMMAND.services).toContain(libraryClassOf(service));
    // The class that writes them: every listed service class extends it.
    for (const fqn of LIBRARY_EXECUTE_COMMAND.services) {
      const type = (ecs as unknown as Record<string, abstract new (...args: never[]) => unknown>)[fqn.split('.').pop()!];
      expect(type.prototype).toBeInstanceOf(ecs.BaseService);
    }
    expect(libraryClassOf(Object.create(ecs.BaseService.prototype))).toBe(LIBRARY_EXECUTE_COMMAND.library);
    const expected = [...LIBRARY_EXECUTE_COMMAND.s3Actions, ...reduce ? [] : LIBRARY_EXECUTE_COMMAND.logsActions];
    expect([...new Set(wildcardStatementsBelow(taskDefinition.taskRole).flat())].sort()).toEqual(expected.sort());
  });
});

describe('LIBRARY_FUNCTIONS', () => {
  test('each is a function the library adds under that id, once, named by a resource of its callers\' type', () => {
    const app = testApp();
    new ses.ReceiptRuleSet(new Stack(app, 'Mail'), 'Inbound', { dropSpam: true });
    deliveryPipeline(app, { confirmBroadening: true });
    new events.Rule(new Stack(app, 'Ops'), 'Nightly', {
      schedule: events.Schedule.cron({ minute: '0', hour: '2' }),
      targets: [new targetsLib.AwsApi({ service: 'ECS', action: 'updateService', parameters: { service: 'settlement', forceNewDeployment: true } })],
    });
    quietSynth(app);
    for (const library of LIBRARY_FUNCTIONS) {
      const found = app.node.findAll().filter(c => c.node.id === library.id);
      const fn = found[0]?.node.defaultChild as CfnElement | undefined;
      const stack = fn ? Stack.of(fn) : undefined;
      const resources = (stack ? Template.fromStack(stack).toJSON().Resources : {}) as Record<string, { Type: string; Properties?: unknown }>;
      const logicalId = fn ? stack!.getLogicalId(fn) : '';
      const callers = Object.values(resources).filter(r => r.Type === library.usedBy && JSON.stringify(r.Properties).includes(`"${logicalId}"`));
      expect([library.id, found.length, resources[logicalId]?.Type, logicalId.includes(library.id), callers.length])
        .toEqual([library.id, 1, 'AWS::Lambda::Function', true, 1]);
    }
  });
});

describe('LIBRARY_SDK_CALLS', () => {
  test('each is an AwsCustomResource subclass the library puts into the stack, its id naming the construct it serves', () => {
    const app = testApp();
    const stack = new Stack(app, 'Audit');
    const rule = new events.Rule(stack, 'ArchiveAll', {
      eventPattern: { source: ['payments'] },
      targets: [new targetsLib.CloudWatchLogGroup(new logs.LogGroup(stack, 'Archive'))],
    });
    quietSynth(app);
    for (const call of LIBRARY_SDK_CALLS) {
      const found = stack.node.findAll()
        .filter(c => Object.getPrototypeOf(c).constructor.name === call.className && c.node.id.startsWith(call.idPrefix));
      expect([call.className, found.map(c => c.node.id.slice(call.idPrefix.length))]).toEqual([call.className, [Names.nodeUniqueId(rule.node)]]);
      expect(libraryClassOf(rule)).toBe(call.serves);
      expect(libraryClassOf(found[0])).toBe('aws-cdk-lib.custom_resources.AwsCustomResource');
    }
  });
});
