import { Stack, Stage } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FintechStage } from '../../src/stage/fintech-stage';
import { CONFIG, ruleNames, stackIn, synthReport, testApp } from '../support/fintech-fixture';

describe('FintechStage', () => {
  test('tags every taggable resource with the required and extra tags', () => {
    const app = testApp();
    const stack = stackIn(app, 'prod');
    new s3.Bucket(stack, 'Archive');
    new dynamodb.Table(stack, 'Entries', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    const template = Template.fromStack(stack);
    const tags = Match.arrayWith([
      { Key: 'Application', Value: 'ledger' },
      { Key: 'CostCenter', Value: 'cc-1234' },
      { Key: 'DataClassification', Value: 'pci' },
      { Key: 'Environment', Value: 'prod' },
      { Key: 'Team', Value: 'payments' },
    ]);
    template.hasResourceProperties('AWS::S3::Bucket', { Tags: tags });
    template.hasResourceProperties('AWS::DynamoDB::Table', { Tags: tags });
  });

  test('exposes the environment and derives the stage environment from it', () => {
    const app = testApp();
    const [dev, prod] = FintechStage.fromConfig(app, CONFIG);
    expect(dev.environment).toEqual({ name: 'dev', region: 'eu-west-1', durable: false });
    expect(prod.durable).toBe(true);
    expect(prod.account).toBe('123456789012');
    expect(prod.region).toBe('eu-west-1');
    expect(prod.stageName).toBe('prod');
    expect(prod.tags.Environment).toBe('prod');
    expect(prod.requiredTagKeys).toEqual(['Environment', 'Team', 'CostCenter', 'Application']);
  });

  test('fromConfig creates one stage per environment, in order', () => {
    const app = testApp();
    const stages = FintechStage.fromConfig(app, { ...CONFIG, environments: [...CONFIG.environments, { name: 'sandbox', region: 'us-east-2' }] });
    expect(stages.map(s => s.node.id)).toEqual(['dev', 'prod', 'sandbox']);
    expect(stages.every(s => Stage.isStage(s) && FintechStage.isFintechStage(s))).toBe(true);
  });

  test('fromConfig reports every invalid option at once', () => {
    const app = testApp();
    expect(() => FintechStage.fromConfig(app, { ...CONFIG, team: '', environments: [{ name: 'Prod', account: '42', region: 'eu-west-1' }] }))
      .toThrow(/^FintechStage\.fromConfig at \(app\): 3 invalid options:\n  - team = ""/);
  });

  test('a stage whose environment is not in the config is refused', () => {
    expect(() => new FintechStage(testApp(), 'qa', { config: CONFIG, environment: { name: 'qa', region: 'eu-west-1' } }))
      .toThrow('FintechStage at qa: 1 invalid option:\n  - environment.name = "qa": not one of config.environments. Fix: add it to the environments in .projenrc.ts or use one of: dev, prod');
  });

  test('a stage without an account warns that it is environment-agnostic', () => {
    const app = testApp();
    const [dev, prod] = FintechStage.fromConfig(app, CONFIG);
    new Stack(dev, 'Workload');
    new Stack(prod, 'Workload');
    const devWarnings = dev.node.metadata.filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data));
    expect(devWarnings).toEqual([expect.stringMatching(/^Environment "dev" has no account: its stacks synthesize environment-agnostic\. Set account for "dev"/)]);
    expect(prod.node.metadata.filter(m => m.type === 'aws:cdk:warning')).toEqual([]);
  });

  test('registers the rule pack, judging each stage by its own durability', () => {
    const app = testApp();
    for (const stageName of ['dev', 'prod'] as const) {
      const bucket = new s3.CfnBucket(stackIn(app, stageName), 'Raw');
      // Escape hatches the aspect does not undo: the rule pack judges what is synthesized.
      bucket.addOverride('DeletionPolicy', stageName === 'dev' ? 'Retain' : 'Delete');
      bucket.addOverride('UpdateReplacePolicy', stageName === 'dev' ? 'Retain' : 'Delete');
    }
    const { violations } = synthReport(app);
    expect(ruleNames(violations.filter(v => v.severity === 'error'))).toEqual([
      'Fintech-C02-DurableDeletesData prod/Workload/Raw',
      'Fintech-C02-EphemeralRetainsData dev/Workload/Raw',
    ]);
    expect(violations.every(v => v.plugin === 'FintechChecks')).toBe(true);
  });

  describe('of', () => {
    test('finds the enclosing stage from any depth', () => {
      const app = testApp();
      const stack = stackIn(app, 'dev');
      const bucket = new s3.Bucket(stack, 'Archive');
      expect(FintechStage.of(bucket.node.defaultChild!).environmentName).toBe('dev');
      expect(FintechStage.enclosing(stack)).toBe(FintechStage.of(bucket));
    });

    test('names the construct path and the fix when there is no stage', () => {
      const app = testApp();
      const stack = new Stack(app, 'Loose');
      expect(() => FintechStage.of(stack)).toThrow(/^Loose is not inside a FintechStage.*FintechStage\.fromConfig\(app, config\)/);
    });

    test('does not accept a plain Stage', () => {
      const app = testApp();
      const stack = new Stack(new Stage(app, 'plain'), 'S');
      expect(() => FintechStage.of(stack)).toThrow(/^plain\/S is not inside a FintechStage/);
    });
  });
});
