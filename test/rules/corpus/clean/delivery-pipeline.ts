import { App, Duration, Stack, Stage, StageProps } from 'aws-cdk-lib';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as notifications from 'aws-cdk-lib/aws-codestarnotifications';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { Construct } from 'constructs';
import { ENV, alertTopic, dataKey, postingLedger, tagWorkload } from '../careful-team';

/** The disaster-recovery region the ledger also runs in. */
const DR_ENV = { account: ENV.account, region: 'eu-central-1' };

/** The ledger workload one pipeline stage deploys: a table and the function that posts to it. */
class LedgerStage extends Stage {
  constructor(scope: Construct, id: string, stage: string, props: StageProps) {
    super(scope, id, props);
    const stack = new Stack(this, 'Ledger');
    tagWorkload(stack, stage, 'ledger');
    postingLedger(stack, stage, { table: 'Entries', partitionKey: 'entryId', environmentVariable: 'TABLE' });
  }
}

/**
 * The ledger's delivery pipeline with CDK Pipelines, as its guide writes it: a V2 pipeline with a CodeConnections
 * source and customer managed artifact keys, a wave deploying the ledger to its home and disaster-recovery regions after a
 * manual approval, a security check that holds any change broadening permissions in the home region for a person to
 * approve, a smoke test whose role may call only the health route, and failed executions notified to the
 * on-call topic. The pipeline's own artifact store and its self-mutation and asset publishing roles are CDK Pipelines'
 * defaults.
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `LedgerDelivery-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'ledger-delivery');
  const pipeline = new pipelines.CodePipeline(stack, 'Pipeline', {
    pipelineType: codepipeline.PipelineType.V2,
    crossAccountKeys: true,
    enableKeyRotation: true,
    synth: new pipelines.ShellStep('Synth', {
      input: pipelines.CodePipelineSource.connection('bank/ledger', 'main', {
        connectionArn: `arn:aws:codeconnections:${ENV.region}:${ENV.account}:connection/ledger-${stage}`,
      }),
      commands: ['npm ci', 'npx projen build', 'npx cdk synth'],
    }),
    codeBuildDefaults: { timeout: Duration.minutes(30), buildEnvironment: { computeType: codebuild.ComputeType.SMALL } },
  });
  const wave = pipeline.addWave('Ledger', { pre: [new pipelines.ManualApprovalStep('Approve', { comment: `Deploy the ledger to ${stage}` })] });
  const home = new LedgerStage(app, `Ledger-${stage}`, stage, { env: ENV });
  wave.addStage(home, {
    // A change that broadens permissions waits for a person; any other is approved by CDK's function.
    pre: [new pipelines.ConfirmPermissionsBroadening('CheckPermissions', { stage: home })],
    post: [new pipelines.CodeBuildStep('Smoke', {
      commands: ['npm run smoke'],
      rolePolicyStatements: [new iam.PolicyStatement({
        actions: ['execute-api:Invoke'],
        resources: [`arn:aws:execute-api:${ENV.region}:${ENV.account}:ledger-${stage}/${stage}/GET/health`],
      })],
    })],
  });
  wave.addStage(new LedgerStage(app, `LedgerDr-${stage}`, stage, { env: DR_ENV }));

  pipeline.buildPipeline();
  const key = dataKey(stack, 'Key', stage);
  key.grant(new iam.ServicePrincipal('codestar-notifications.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  pipeline.pipeline.notifyOn('Failures', alertTopic(stack, key), {
    events: [codepipeline.PipelineNotificationEvents.PIPELINE_EXECUTION_FAILED],
    detailType: notifications.DetailType.BASIC,
  });
}
