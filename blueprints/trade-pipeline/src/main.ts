import { App } from 'aws-cdk-lib';
import config from './fintech.config.json';
import { TradePipelineStack } from './trade-pipeline-stack';
import { FintechStage } from 'fintech-infra-template';

// One FintechStage per environment of .projenrc.ts: tags, stage-aware removal policies and
// the FintechChecks rule pack come with the stage, so the stack only describes the workload.
// A stage with replicaRegions gets the trades table's replicas, and a stack per replica region for their keys and alarms.
const app = new App();
for (const stage of FintechStage.fromConfig(app, config)) {
  new TradePipelineStack(stage, 'TradePipeline');
}
app.synth();
