import { App } from 'aws-cdk-lib';
import config from './fintech.config.json';
import { FraudDetectionApiStack } from './fraud-detection-api-stack';
import { FintechStage } from 'fintech-infra-template';

// One FintechStage per environment of .projenrc.ts: tags, stage-aware removal policies and
// the FintechChecks rule pack come with the stage, so the stack only describes the workload.
const app = new App();
for (const stage of FintechStage.fromConfig(app, config)) {
  new FraudDetectionApiStack(stage, 'FraudDetectionApi');
}
app.synth();
