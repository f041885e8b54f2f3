import { Aws, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FintechPlatformConfig } from '../../src/config/platform-config';
import { FintechStage } from '../../src/stage/fintech-stage';
import { ReplicaRegionStack, replicaRegionsProblems } from '../../src/stage/replica-region-stack';
import { CONFIG, testApp } from '../support/fintech-fixture';

const MULTI: FintechPlatformConfig = {
  ...CONFIG,
  environments: [
    { name: 'dev', account: '123456789012', region: 'us-east-1', durable: false, replicaRegions: ['us-west-2'] },
    { name: 'prod', account: '123456789012', region: 'us-east-1', durable: true, replicaRegions: ['us-west-2'] },
  ],
};

function stageOf(name: 'dev' | 'prod', app = testApp()): FintechStage {
  return new FintechStage(app, name, { config: MULTI, environment: MULTI.environments.find(e => e.name === name)! });
}

describe('ReplicaRegionStack.forRegion', () => {
  test('one stack per stage and region, in the stage\'s account, named after the stage, shared by its stacks', () => {
    const stage = stageOf('prod');
    const ingest = new Stack(stage, 'Ingest');
    const settle = new Stack(stage, 'Settle');
    const replicas = ReplicaRegionStack.forRegion(new Construct(ingest, 'Deep'), 'us-west-2');
    expect(ReplicaRegionStack.forRegion(settle, 'us-west-2')).toBe(replicas);
    expect(replicas.node.scope).toBe(stage);
    expect([replicas.account, replicas.region, replicas.homeRegion, replicas.stackName]).toEqual(['123456789012', 'us-west-2', 'us-east-1', 'prod-Replicas-us-west-2']);
    expect(ReplicaRegionStack.forRegion(ingest, 'eu-west-1')).not.toBe(replicas);
    expect(ReplicaRegionStack.isReplicaRegionStack(replicas)).toBe(true);
    expect(ReplicaRegionStack.isReplicaRegionStack(ingest)).toBe(false);
  });

  test('its resources carry the stage\'s tags and follow its removal policy', () => {
    const app = testApp();
    for (const name of ['dev', 'prod'] as const) {
      const replicas = ReplicaRegionStack.forRegion(new Stack(stageOf(name, app), 'Workload'), 'us-west-2');
      new sqs.Queue(replicas, 'Buffer');
    }
    const [dev, prod] = ['dev', 'prod'].map(name => Template.fromStack(app.node.findChild(name).node.findChild('Replicas-us-west-2') as Stack));
    dev.hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Delete', Properties: { Tags: [{ Key: 'Application', Value: 'ledger' }, { Key: 'CostCenter', Value: 'cc-1234' }, { Key: 'DataClassification', Value: 'pci' }, { Key: 'Environment', Value: 'dev' }, { Key: 'Team', Value: 'payments' }] } });
    prod.hasResource('AWS::SQS::Queue', { DeletionPolicy: 'Retain' });
  });

  test('outside a stage: beside the stack, with the stack\'s fintech context', () => {
    const app = testApp();
    const stack = new Stack(app, 'Loose', { env: { account: '123456789012', region: 'eu-west-1' } });
    stack.node.setContext('fintech:stage', 'qa');
    stack.node.setContext('fintech:application', 'ledger');
    const replicas = ReplicaRegionStack.forRegion(stack, 'eu-central-1');
    expect(replicas.node.scope).toBe(app);
    expect(replicas.node.tryGetContext('fintech:stage')).toBe('qa');
    expect(replicas.node.tryGetContext('fintech:application')).toBe('ledger');
    expect(replicas.node.tryGetContext('fintech:durable')).toBeUndefined();
  });

  test('a nested stage\'s stack: beside it in that stage', () => {
    const app = testApp();
    const inner = new Stage(app, 'Inner', { env: { account: '123456789012', region: 'eu-west-1' } });
    const replicas = ReplicaRegionStack.forRegion(new Stack(inner, 'Workload'), 'eu-west-2');
    expect(replicas.node.scope).toBe(inner);
  });

  test('refuses the home region, an unknown region, a stack without account, and a second home region', () => {
    const stage = stageOf('dev');
    const stack = new Stack(stage, 'Workload');
    expect(() => ReplicaRegionStack.forRegion(stack, 'us-east-1')).toThrow('ReplicaRegionStack.forRegion at dev/Workload: 1 invalid option:\n  - replicaRegions[0] = "us-east-1": it is the stage\'s home region');
    expect(() => ReplicaRegionStack.forRegion(stack, 'mars-1')).toThrow('replicaRegions[0] = "mars-1": not an AWS region known to aws-cdk-lib');
    const agnostic = new Stack(testApp(), 'Agnostic');
    expect(() => ReplicaRegionStack.forRegion(agnostic, 'us-west-2')).toThrow('replicaRegions = ["us-west-2"]: stack Agnostic has no concrete account');
    const elsewhere = new Stack(stage, 'Elsewhere', { env: { account: '123456789012', region: 'eu-west-1' } });
    ReplicaRegionStack.forRegion(stack, 'us-west-2');
    expect(() => ReplicaRegionStack.forRegion(elsewhere, 'us-west-2')).toThrow('ReplicaRegionStack.forRegion at dev/Elsewhere: dev/Replicas-us-west-2 holds the replicas in us-west-2 of stacks in us-east-1, not of dev/Elsewhere in eu-west-1');
  });

  test('refuses a construct of that id that is not a replica stack', () => {
    const stage = stageOf('dev');
    new Stack(stage, 'Replicas-us-west-2');
    expect(() => ReplicaRegionStack.forRegion(new Stack(stage, 'Workload'), 'us-west-2')).toThrow('dev already has a construct "Replicas-us-west-2" that is not a ReplicaRegionStack; rename that construct.');
  });
});

describe('replicaRegionsProblems', () => {
  const home = () => new Stack(testApp(), 'Home', { env: { account: '123456789012', region: 'us-east-1' } });
  test('none for distinct known regions of the partition', () => {
    expect(replicaRegionsProblems(home(), ['us-west-2', 'eu-west-1'])).toEqual([]);
  });
  test('the configuration\'s checks, one problem each, named by list index', () => {
    expect(replicaRegionsProblems(home(), ['us-east-1', 'eu-west-1', 'eu-west-1', 'cn-north-1']).map(p => p.option)).toEqual([
      'replicaRegions[0]', 'replicaRegions[2]', 'replicaRegions[3]',
    ]);
  });
  test('a token region cannot be checked', () => {
    expect(replicaRegionsProblems(home(), [Aws.REGION])[0]).toMatchObject({ option: 'replicaRegions[0]', problem: 'is a token, so the region cannot be checked or given a stack at synth' });
  });
});
