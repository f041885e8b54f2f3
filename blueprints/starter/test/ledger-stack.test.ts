import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import config from '../src/fintech.config.json';
import { LedgerStack } from '../src/ledger-stack';
import { FintechPlatformConfig, FintechStage } from 'fintech-infra-template';

// The project's own team and tags, with one ephemeral and one durable stage whatever .projenrc.ts declares.
const testConfig: FintechPlatformConfig = {
  ...config,
  environments: [
    { name: 'dev', region: 'us-east-1', durable: false },
    { name: 'prod', region: 'us-east-1', durable: true },
  ],
};

function synthLedger() {
  const app = new App({
    context: {
      // Unit tests never bundle assets, and read the rule pack's report instead of failing the process.
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
  const stacks = FintechStage.fromConfig(app, testConfig).map(stage => new LedgerStack(stage, 'Ledger'));
  const assembly = app.synth();
  const reportFile = path.join(assembly.directory, 'policy-validation-report.json');
  // Every FintechStage registers the rule pack, so the report is always written.
  const report = JSON.parse(fs.readFileSync(reportFile, 'utf-8'));
  return { dev: Template.fromStack(stacks[0]), prod: Template.fromStack(stacks[1]), report };
}

const { dev, prod, report } = synthLedger();

test('every taggable resource carries the required tags', () => {
  const required = ['Environment', 'Team', 'CostCenter', 'Application'];
  for (const type of ['AWS::DynamoDB::Table', 'AWS::S3::Bucket', 'AWS::SQS::Queue', 'AWS::KMS::Key']) {
    for (const resource of Object.values(prod.findResources(type))) {
      const tags = (resource.Properties.Tags ?? []).map((tag: { Key: string }) => tag.Key);
      expect(tags).toEqual(expect.arrayContaining(required));
    }
  }
  prod.hasResourceProperties('AWS::DynamoDB::Table', {
    Tags: expectTag('Environment', 'prod'),
  });
});

test('dev is destroyable: data stores are deleted and buckets emptied with the stack', () => {
  dev.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  dev.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
  dev.hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Delete' });
  dev.resourceCountIs('Custom::S3AutoDeleteObjects', 1);
});

test('prod keeps its data: retained and protected from deletion', () => {
  prod.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  prod.hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: true });
  prod.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
  prod.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
  prod.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
});

test('physical names carry the stage, so stages deploy side by side', () => {
  dev.hasResourceProperties('AWS::DynamoDB::Table', { TableName: expectStringEndingWith('-dev') });
  prod.hasResourceProperties('AWS::DynamoDB::Table', { TableName: expectStringEndingWith('-prod') });
});

test('the FintechChecks rule pack has no finding at all in any stage, not even a warning', () => {
  const findings = report.pluginReports
    .flatMap((plugin: { violations: Array<{ ruleName: string; description: string }> }) => plugin.violations.map(v => `${v.ruleName}: ${v.description}`));
  expect(findings).toEqual([]);
});

test('the queue has its dead-letter queue, and every data store pages the alert topic', () => {
  prod.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }) });
  const [topic] = Object.keys(prod.findResources('AWS::SNS::Topic'));
  const alarms = Object.values(prod.findResources('AWS::CloudWatch::Alarm'));
  // Table throttles and system errors, queue: dead letters and oldest message.
  expect(alarms).toHaveLength(4);
  for (const alarm of alarms) expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topic }]);
});

function expectTag(key: string, value: string) {
  return Match.arrayWith([{ Key: key, Value: value }]);
}

function expectStringEndingWith(suffix: string) {
  return Match.stringLikeRegexp(`${suffix}$`);
}
