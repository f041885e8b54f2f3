import { App, Duration, Stack } from 'aws-cdk-lib';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as pipelineActions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as notifications from 'aws-cdk-lib/aws-codestarnotifications';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ENV, alertTopic, cardApiTask, dataBucket, dataKey, isDurable, rateAlarm, removalFor, tagWorkload } from '../careful-team';

/** A mistake the defect corpus makes in this app. */
export interface ContainerReleaseDefects {
  /** The deploy action runs with a role of the team's that may also start any task, for migrations before the rollout. */
  readonly migrationsFromDeployRole?: boolean;
}

/**
 * The card API's release train in one stack, with the CodePipeline constructs rather than CDK Pipelines: a versioned
 * release bucket as the source, integration tests in a CodeBuild project inside the service's VPC, the ECS deploy action
 * rolling the Fargate service (whose logs FireLens ships to the SIEM's delivery stream; ECS Exec, logged, in dev only), and feature flags in AppConfig
 * that roll back when the API's 5xx rate alarms. Every role the pipeline, the project, the log router and the environment
 * need is the one the library creates.
 */
export function build(app: App, stage: string, defects: ContainerReleaseDefects = {}): void {
  const stack = new Stack(app, `CardRelease-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'card-release');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
  });
  for (const [id, service] of [
    ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR], ['EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
    ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS], ['AppConfig', ec2.InterfaceVpcEndpointAwsService.APPCONFIGDATA],
  ] as const) vpc.addInterfaceEndpoint(id, { service });

  // ECS Exec in dev only, every session logged to the encrypted bucket and a log group kept a year.
  const cluster = new ecs.Cluster(stack, 'Cluster', {
    vpc,
    containerInsightsV2: ecs.ContainerInsights.ENHANCED,
    executeCommandConfiguration: {
      kmsKey: key,
      logging: ecs.ExecuteCommandLogging.OVERRIDE,
      logConfiguration: {
        s3Bucket: dataBucket(stack, 'SessionLogs', key, stage),
        s3EncryptionEnabled: true,
        cloudWatchLogGroup: new logs.LogGroup(stack, 'Sessions', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) }),
      },
    },
  });
  // Application logs go to the SIEM team's delivery stream through FireLens; the task definition adds the log router.
  const taskDefinition = cardApiTask(stack, ecs.LogDrivers.firelens({ options: { Name: 'firehose', region: ENV.region, delivery_stream: `card-api-logs-${stage}` } }));
  const service = new ecs.FargateService(stack, 'Service', {
    cluster,
    taskDefinition,
    desiredCount: 2,
    circuitBreaker: { enable: true, rollback: true },
    minHealthyPercent: 100,
    enableExecuteCommand: !isDurable(stage),
  });
  // The API publishes its request and 5xx counts (embedded metric format) per service.
  const apiMetric = (metricName: string) => new cloudwatch.Metric({
    namespace: 'CardApi', metricName, statistic: 'Sum', dimensionsMap: { ClusterName: cluster.clusterName, ServiceName: service.serviceName },
  });
  const errorRate = rateAlarm(stack, 'ServiceErrorRate', apiMetric('Http5xx'), apiMetric('Requests'),
    { description: 'Card API 5xx above 2% in 3 of 5 minutes: runbook https://wiki.example.com/runbooks/card-api', threshold: 2, topic });

  // Feature flags, rolled back by AppConfig when the error rate alarms during a rollout.
  const flags = new appconfig.Application(stack, 'CardFlags', { description: 'Feature flags of the card API' });
  new appconfig.Environment(stack, 'FlagEnvironment', {
    application: flags, environmentName: stage, monitors: [appconfig.Monitor.fromCloudWatchAlarm(errorRate)],
  });

  // The release train: the image definitions file arrives in the release bucket, tests run in the VPC, the service rolls.
  const releases = dataBucket(stack, 'Releases', key, stage);
  const integrationTests = new codebuild.PipelineProject(stack, 'IntegrationTests', {
    vpc,
    subnetSelection: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    encryptionKey: key,
    timeout: Duration.minutes(20),
    environment: { buildImage: codebuild.LinuxBuildImage.STANDARD_7_0, computeType: codebuild.ComputeType.SMALL },
    logging: { cloudWatch: { logGroup: new logs.LogGroup(stack, 'IntegrationTestLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) }) } },
    buildSpec: codebuild.BuildSpec.fromObject({ version: '0.2', phases: { build: { commands: ['npm ci', 'npm run test:integration'] } } }),
  });
  const release = new codepipeline.Artifact('Release');
  const pipeline = new codepipeline.Pipeline(stack, 'Pipeline', {
    pipelineType: codepipeline.PipelineType.V2,
    crossAccountKeys: true,
    enableKeyRotation: true,
    restartExecutionOnUpdate: false,
  });
  pipeline.addStage({
    stageName: 'Source',
    actions: [new pipelineActions.S3SourceAction({ actionName: 'Release', bucket: releases, bucketKey: 'card-api/release.zip', output: release, trigger: pipelineActions.S3Trigger.NONE })],
  });
  pipeline.addStage({ stageName: 'Test', actions: [new pipelineActions.CodeBuildAction({ actionName: 'Integration', project: integrationTests, input: release })] });
  let role: iam.Role | undefined;
  if (defects.migrationsFromDeployRole) {
    role = new iam.Role(stack, 'DeployRole', { assumedBy: new iam.AccountRootPrincipal() });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ecs:RunTask'], resources: ['*'] }));
  }
  pipeline.addStage({
    stageName: 'Deploy',
    actions: [new pipelineActions.EcsDeployAction({ actionName: 'Roll', service, input: release, deploymentTimeout: Duration.minutes(30), role })],
  });
  key.grant(new iam.ServicePrincipal('codestar-notifications.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  pipeline.notifyOn('Failures', topic, {
    events: [codepipeline.PipelineNotificationEvents.PIPELINE_EXECUTION_FAILED],
    detailType: notifications.DetailType.BASIC,
  });
}
