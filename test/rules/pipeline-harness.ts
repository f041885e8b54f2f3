import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as pipelines from 'aws-cdk-lib/pipelines';

/** What `deliveryPipeline` adds besides CDK Pipelines' defaults. */
export interface DeliveryPipelineOptions {
  /** Steps run after the deployed stage. */
  readonly post?: pipelines.Step[];
  /** Whether the artifact bucket gets a customer managed key. */
  readonly crossAccountKeys?: boolean;
  /** Also deploy the stage to this other region (the pipeline adds a cross-region support stack for it). */
  readonly drRegion?: string;
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
  pipeline.addStage(ledger('Ledger', env.region), { post: options.post });
  if (options.drRegion) pipeline.addStage(ledger('LedgerDr', options.drRegion));
  return { stack, pipeline };
}
