import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as actions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as pipelines from 'aws-cdk-lib/pipelines';

/** What `deliveryPipeline` adds besides CDK Pipelines' defaults. */
export interface DeliveryPipelineOptions {
  /** Steps run after the deployed stage. */
  readonly post?: pipelines.Step[];
  /** Whether the artifact bucket gets a customer managed key. */
  readonly crossAccountKeys?: boolean;
  /** Also deploy the stage to this other region (the pipeline adds a cross-region support stack for it). */
  readonly drRegion?: string;
  /** Check the stage for broadened permissions before deploying it (`ConfirmPermissionsBroadening`). */
  readonly confirmBroadening?: boolean;
}

/**
 * A CDK Pipelines app as its docs write it: a `Delivery` stack with a CodeConnections source and a synth step, deploying
 * one stage with a function from a file asset and one from a container image asset (so the pipeline publishes both).
 */
export function deliveryPipeline(app: App, options: DeliveryPipelineOptions = {}): { stack: Stack; pipeline: pipelines.CodePipeline } {
  const env = { account: '123456789012', region: 'eu-west-1' };
  const stack = new Stack(app, 'Delivery', { env });
  const crossAccountKeys = options.crossAccountKeys ?? true;
  const pipeline = new pipelines.CodePipeline(stack, 'Pipeline', {
    pipelineType: codepipeline.PipelineType.V2,
    crossAccountKeys,
    enableKeyRotation: crossAccountKeys,
    synth: new pipelines.ShellStep('Synth', {
      input: pipelines.CodePipelineSource.connection('bank/ledger', 'main', { connectionArn: `arn:aws:codeconnections:${env.region}:${env.account}:connection/ledger` }),
      commands: ['npm ci', 'npx cdk synth'],
    }),
  });
  const ledger = (id: string, region: string) => {
    const stage = new Stage(app, id, { env: { ...env, region } });
    const api = new Stack(stage, 'Api');
    const image = path.join(__dirname, 'fixtures', 'pipeline-image');
    new lambda.Function(api, 'Post', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromAsset(image) });
    new lambda.DockerImageFunction(api, 'Render', { code: lambda.DockerImageCode.fromImageAsset(image) });
    return stage;
  };
  const home = ledger('Ledger', env.region);
  const pre = options.confirmBroadening ? [new pipelines.ConfirmPermissionsBroadening('CheckPermissions', { stage: home })] : undefined;
  pipeline.addStage(home, { pre, post: options.post });
  if (options.drRegion) pipeline.addStage(ledger('LedgerDr', options.drRegion));
  return { stack, pipeline };
}

/** What `containerRollout` builds besides its defaults. */
export interface ContainerRolloutOptions {
  /** The role both deploy actions run with; by default the pipeline creates one per action. */
  readonly role?: iam.IRole;
  /** Also roll out by CodeDeploy blue/green (`CodeDeployEcsDeployAction`), to a deployment group of another stack. */
  readonly blueGreen?: boolean;
}

/**
 * A pipeline (`codepipeline.Pipeline`, in `stack`) that rolls a container image out to a Fargate service: an S3 source
 * and the ECS deploy action, and optionally CodeDeploy's blue/green action, as the CodePipeline examples write them.
 */
export function containerRollout(stack: Stack, options: ContainerRolloutOptions = {}): codepipeline.Pipeline {
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Ledger');
  taskDefinition.addContainer('ledger', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/ledger:1.0.0') });
  const service = new ecs.FargateService(stack, 'LedgerService', { cluster, taskDefinition, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
  const source = new codepipeline.Artifact('Image');
  const bucket = new s3.Bucket(stack, 'Releases', { versioned: true, enforceSSL: true });
  const pipeline = new codepipeline.Pipeline(stack, 'Rollout', { pipelineType: codepipeline.PipelineType.V2 });
  pipeline.addStage({ stageName: 'Source', actions: [new actions.S3SourceAction({ actionName: 'Release', bucket, bucketKey: 'ledger.zip', output: source })] });
  const deploy: codepipeline.IAction[] = [new actions.EcsDeployAction({ actionName: 'Ecs', service, input: source, role: options.role })];
  if (options.blueGreen) {
    const deploymentGroup = codedeploy.EcsDeploymentGroup.fromEcsDeploymentGroupAttributes(stack, 'BlueGreen', {
      application: codedeploy.EcsApplication.fromEcsApplicationName(stack, 'LedgerApplication', 'ledger'),
      deploymentGroupName: 'ledger-blue-green',
    });
    deploy.push(new actions.CodeDeployEcsDeployAction({
      actionName: 'BlueGreen', deploymentGroup, appSpecTemplateInput: source, taskDefinitionTemplateInput: source, role: options.role, runOrder: 2,
    }));
  }
  pipeline.addStage({ stageName: 'Deploy', actions: deploy });
  return pipeline;
}
