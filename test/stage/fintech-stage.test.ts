import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { AspectPriority, Aspects, Stack, Stage, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { FintechChecks } from '../../src/rules/fintech-checks';
import { FintechStage, StageSettingsSource } from '../../src/stage/fintech-stage';
import { StageRemovalPolicy } from '../../src/stage/stage-removal-policy';
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
    const region: string = prod.region;
    expect(region).toBe('eu-west-1');
    expect(prod.application).toBe('ledger');
    expect([prod.team, prod.costCenter, prod.alarmEmail]).toEqual(['payments', 'cc-1234', 'oncall@example.com']);
    expect(prod.config).toBe(CONFIG);
    expect(prod.checks).toBeInstanceOf(FintechChecks);
    expect(prod.stageName).toBe('prod');
    expect(prod.tags.Environment).toBe('prod');
    expect(prod.requiredTagKeys).toEqual(['Environment', 'Team', 'CostCenter', 'Application']);
  });

  test('exposes the replica regions of its environment, none for a single-region stage', () => {
    const config = { ...CONFIG, environments: [CONFIG.environments[0], { ...CONFIG.environments[1], replicaRegions: ['eu-central-1', 'us-east-1'] }] };
    const [dev, prod] = FintechStage.fromConfig(testApp(), config);
    expect(dev.replicaRegions).toEqual([]);
    expect(prod.replicaRegions).toEqual(['eu-central-1', 'us-east-1']);
    expect(prod.environment.replicaRegions).toEqual(['eu-central-1', 'us-east-1']);
  });

  test('exposes the central monitoring bus ARN of the configured monitoring account, in its partition; none without one', () => {
    expect(FintechStage.fromConfig(testApp(), CONFIG)[1].centralMonitoringBusArn).toBeUndefined();
    const environments = [{ ...CONFIG.environments[0], account: '123456789012' }, CONFIG.environments[1]];
    const [dev, prod] = FintechStage.fromConfig(testApp(), { ...CONFIG, environments, monitoring: { account: '210987654321', region: 'us-east-2' } });
    expect(dev.centralMonitoringBusArn).toBe('arn:aws:events:us-east-2:210987654321:event-bus/ledger-central-monitoring');
    expect(prod.centralMonitoringBusArn).toBe(dev.centralMonitoringBusArn);
    const gov = FintechStage.fromConfig(testApp(), {
      ...CONFIG, environments: [{ name: 'gov', account: '123456789012', region: 'us-gov-west-1' }], monitoring: { account: '210987654321', region: 'us-gov-east-1' },
    });
    expect(gov[0].centralMonitoringBusArn).toBe('arn:aws-us-gov:events:us-gov-east-1:210987654321:event-bus/ledger-central-monitoring');
    expect(() => FintechStage.fromConfig(testApp(), { ...CONFIG, monitoring: { account: '210987654321', region: 'us-east-2' } }))
      .toThrow(/environments\[0\]\.account = undefined: the central monitoring bus accepts events only from the environments' accounts/);
  });

  test('a stage whose replica regions differ from the config is refused; invalid replica regions fail fromConfig', () => {
    const config = { ...CONFIG, environments: [CONFIG.environments[0], { ...CONFIG.environments[1], replicaRegions: ['eu-central-1'] }] };
    expect(() => new FintechStage(testApp(), 'prod', { config, environment: { ...CONFIG.environments[1], replicaRegions: ['us-east-1'] } }))
      .toThrow('  - environment.replicaRegions = ["us-east-1"]: config.environments declares ["eu-central-1"] for "prod".');
    expect(() => FintechStage.fromConfig(testApp(), { ...CONFIG, environments: [{ name: 'dev', region: 'eu-west-1', replicaRegions: ['eu-west-1'] }] }))
      .toThrow(/environments\[0\]\.replicaRegions\[0\] = "eu-west-1": it is the stage's home region.*\n  - environments\[0\]\.replicaRegions = \["eu-west-1"\]: a stage with replicas needs its account/);
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

  test('a stage whose environment differs from the config is refused, naming each difference', () => {
    const environment = { name: 'prod', account: '123456789012', region: 'us-east-1', durable: false };
    expect(() => new FintechStage(testApp(), 'prod', { config: CONFIG, environment }))
      .toThrow(/^FintechStage at prod: 2 invalid options:\n  - environment\.region = "us-east-1": config\.environments declares "eu-west-1" for "prod"\. .*\n  - environment\.durable = false: config\.environments declares true for "prod"\. Fix: pass the environment from config\.environments/);
  });

  test('an invalid environment is refused with every problem, before any construct is made', () => {
    const app = testApp();
    expect(() => new FintechStage(app, 'dev', { config: CONFIG, environment: { name: 'dev', account: '12', region: 'mars-1' } }))
      .toThrow(/^FintechStage at dev: 2 invalid options:\n  - environments\[0\]\.account = "12": .*\n  - environments\[0\]\.region = "mars-1"/);
    expect(app.node.children).toEqual([]);
  });

  test('keeps the stage name equal to the environment name, whatever the construct id', () => {
    const stage = new FintechStage(testApp(), 'Dev', { config: CONFIG, environment: CONFIG.environments[0] });
    expect([stage.stageName, stage.environmentName, stage.node.id]).toEqual(['dev', 'dev', 'Dev']);
  });

  test('writes a root stage to outdir; CDK refuses outdir for a stage inside an app', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'fintech-stage-'));
    const root = new FintechStage(undefined as unknown as Construct, 'dev', { config: CONFIG, environment: CONFIG.environments[0], outdir });
    expect(root.outdir).toBe(outdir);
    expect(() => new FintechStage(testApp(), 'dev', { config: CONFIG, environment: CONFIG.environments[0], outdir }))
      .toThrow(/"outdir" cannot be specified for nested stages/);
  });

  test('applies the removal policy aspect at mutating priority, with the stage durability', () => {
    const [dev, prod] = FintechStage.fromConfig(testApp(), CONFIG);
    for (const [stage, durable] of [[dev, false], [prod, true]] as const) {
      const applied = Aspects.of(stage).applied.filter(a => a.aspect instanceof StageRemovalPolicy);
      expect(applied.map(a => [(a.aspect as StageRemovalPolicy).durable, a.priority])).toEqual([[durable, AspectPriority.MUTATING]]);
    }
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

  test('the environment-agnostic warning reaches the cloud assembly on each stack of the stage, unless the stack has its own account', () => {
    const app = testApp();
    const [dev, prod] = FintechStage.fromConfig(app, CONFIG);
    const agnostic = new Stack(dev, 'Workload');
    const pinned = new Stack(dev, 'Pinned', { env: { account: '210987654321', region: 'eu-west-1' } });
    const inProd = new Stack(prod, 'Workload');
    Annotations.fromStack(agnostic).hasWarning('/dev/Workload', Match.stringLikeRegexp('^Environment "dev" has no account: its stacks synthesize environment-agnostic\\. Set account for "dev" in the environments of \\.projenrc\\.ts before deploying\\.'));
    Annotations.fromStack(pinned).hasNoWarning('*', Match.stringLikeRegexp('has no account'));
    Annotations.fromStack(inProd).hasNoWarning('*', Match.stringLikeRegexp('has no account'));
  });

  test('acknowledging the environment-agnostic warning on the stage silences it on its stacks', () => {
    const app = testApp();
    const [dev] = FintechStage.fromConfig(app, CONFIG);
    Validations.of(dev).acknowledge({ id: 'fintech:environment-agnostic', reason: 'dev is synthesized only, never deployed' });
    Annotations.fromStack(new Stack(dev, 'Workload')).hasNoWarning('*', Match.stringLikeRegexp('has no account'));
  });

  test('a durable stage without an account warns that it cannot be deployed', () => {
    const config = { ...CONFIG, environments: [{ name: 'staging', region: 'eu-west-1', durable: true }] };
    const [staging] = FintechStage.fromConfig(testApp(), config);
    const warnings = staging.node.metadata.filter(m => m.type === 'aws:cdk:warning').map(m => String(m.data));
    expect(warnings).toEqual([expect.stringMatching(/Set account for "staging" in the environments of \.projenrc\.ts before deploying \(a durable stage without an account is never deployed\)\. \[ack: annotation::fintech:environment-agnostic\]$/)]);
    expect(staging.account).toBeUndefined();
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
    // The raw buckets also fail the C03 rules; this test is about C02 judging each stage by its durability.
    expect(ruleNames(violations.filter(v => v.severity === 'error' && v.ruleName.startsWith('Fintech-C02-')))).toEqual([
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

    test('tells stages apart by marker, not by class', () => {
      const app = testApp();
      const [dev] = FintechStage.fromConfig(app, CONFIG);
      expect([FintechStage.isFintechStage(dev), FintechStage.isFintechStage(new Stage(app, 'plain')), FintechStage.isFintechStage(undefined), FintechStage.isFintechStage('dev')])
        .toEqual([true, false, false, false]);
      // A stage made by another copy of this library carries the same Symbol.for marker.
      const foreign = new Stage(app, 'foreign');
      Object.defineProperty(foreign, Symbol.for('fintech-infra-template.FintechStage'), { value: true });
      expect(FintechStage.isFintechStage(foreign)).toBe(true);
    });

    test('does not accept a plain Stage', () => {
      const app = testApp();
      const stack = new Stack(new Stage(app, 'plain'), 'S');
      expect(() => FintechStage.of(stack)).toThrow(/^plain\/S is not inside a FintechStage/);
    });
  });

  describe('settingsOf', () => {
    const warningsOf = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('fintech:durable-default'));

    test('inside a FintechStage: the stage, even when context names another', () => {
      const app = testApp();
      app.node.setContext('fintech:stage', 'qa');
      const stack = stackIn(app, 'prod');
      expect(FintechStage.settingsOf(new Construct(stack, 'X')))
        .toEqual({ stageName: 'prod', durable: true, application: 'ledger', alarmEmail: 'oncall@example.com', source: StageSettingsSource.FINTECH_STAGE });
      expect(stack.node.metadata.filter(m => m.type === 'fintech:stage-settings')).toEqual([]);
    });

    test('outside: the context stage, durable by name unless fintech:durable says otherwise, recorded on the stack, no warning', () => {
      const app = testApp();
      app.node.setContext('fintech:stage', 'staging');
      const stack = new Stack(app, 'Loose');
      expect(FintechStage.settingsOf(stack)).toEqual({ stageName: 'staging', durable: true, application: '', source: StageSettingsSource.CONTEXT });
      const dev = new Stack(app, 'Dev');
      dev.node.setContext('fintech:stage', 'dev');
      dev.node.setContext('fintech:durable', 'true');
      expect(FintechStage.settingsOf(new Construct(dev, 'X'))).toMatchObject({ stageName: 'dev', durable: true });
      expect(dev.node.metadata.filter(m => m.type === 'fintech:stage-settings').map(m => m.data)).toEqual([{ stageName: 'dev', durable: true }]);
      expect(warningsOf(dev)).toEqual([]);
    });

    test('outside, without context: the durable default, with one warning per stack however many constructs ask', () => {
      const app = testApp();
      const [first, second] = [new Stack(app, 'First'), new Stack(app, 'Second')];
      for (const id of ['A', 'B', 'C']) {
        expect(FintechStage.settingsOf(new Construct(first, id))).toEqual({ stageName: '', durable: true, application: '', source: StageSettingsSource.DURABLE_DEFAULT });
      }
      FintechStage.settingsOf(second);
      expect(warningsOf(first)).toHaveLength(1);
      expect(warningsOf(first)[0].entry.data).toMatch(/^First\/A and the other fintech-infra-template constructs of stack First are outside a FintechStage/);
      expect(warningsOf(second)).toHaveLength(1);
    });

    test('the durable-default warning can be acknowledged by its id once the constructs exist, on the stack or the whole app', () => {
      const app = testApp();
      const [one, two] = [new Stack(app, 'One'), new Stack(app, 'Two')];
      FintechStage.settingsOf(new Construct(one, 'X'));
      FintechStage.settingsOf(new Construct(two, 'X'));
      Validations.of(one).acknowledge({ id: 'fintech:durable-default', reason: 'legacy stack, durable on purpose' });
      expect([warningsOf(one), warningsOf(two)].map(w => w.length)).toEqual([0, 1]);
      Validations.of(app).acknowledge({ id: 'fintech:durable-default', reason: 'the whole app is durable' });
      expect(warningsOf(two)).toEqual([]);
    });

    test('rejects fintech:durable without fintech:stage, and values that are not booleans', () => {
      const app = testApp();
      app.node.setContext('fintech:durable', 'false');
      expect(() => FintechStage.settingsOf(new Stack(app, 'A')))
        .toThrow('A: context fintech:durable is set but fintech:stage is not; set both, e.g. -c fintech:stage=dev -c fintech:durable=false.');
      const other = testApp();
      other.node.setContext('fintech:stage', 'dev');
      other.node.setContext('fintech:durable', 'yes');
      expect(() => FintechStage.settingsOf(new Stack(other, 'B'))).toThrow('B: context fintech:durable is "yes"; use true or false.');
    });

    test('tryEnclosing is undefined where enclosing throws', () => {
      const app = testApp();
      expect(FintechStage.tryEnclosing(new Stack(app, 'Loose'))).toBeUndefined();
      expect(FintechStage.tryEnclosing(stackIn(app, 'dev'))?.environmentName).toBe('dev');
    });
  });
});
