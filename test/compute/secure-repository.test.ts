import { App, Duration, Stack, Tags } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { SecureRepository } from '../../src/compute/secure-repository';
import { FintechPlatformConfig } from '../../src/config/platform-config';
import { DataKey } from '../../src/encryption/data-key';
import { FintechStage } from '../../src/stage/fintech-stage';
import { ReplicaRegionStack } from '../../src/stage/replica-region-stack';
import { CONFIG, plainApp, stackIn, synthReport, testApp } from '../support/fintech-fixture';

// prod replicates to two regions; dev has none.
const REPLICATED: FintechPlatformConfig = {
  ...CONFIG,
  environments: [CONFIG.environments[0], { ...CONFIG.environments[1], replicaRegions: ['eu-central-1', 'us-east-1'] }],
};

function stageOf(app: App, name: 'dev' | 'prod', config: FintechPlatformConfig = REPLICATED): FintechStage {
  return new FintechStage(app, name, { config, environment: config.environments.find(e => e.name === name)! });
}

function lifecyclePolicy(template: Template): unknown {
  const [repository] = Object.values(template.findResources('AWS::ECR::Repository'));
  return JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText);
}

describe('SecureRepository', () => {
  test('tags immutable, scan on push, images encrypted with its own customer key, named for the stage', () => {
    const stack = stackIn(testApp(), 'prod');
    const repository = new SecureRepository(stack, 'Images', { nameBase: 'images' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::ECR::Repository', {
      RepositoryName: 'ledger-images-prod',
      ImageTagMutability: 'IMMUTABLE',
      ImageScanningConfiguration: { ScanOnPush: true },
      EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: stack.resolve(repository.dataKey.key.keyArn) },
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ledger-images-repository-prod' });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    expect(repository.immutableTags).toBe(true);
  });

  test('uses a given DataKey and creates none of its own', () => {
    const stack = stackIn(testApp(), 'prod');
    const key = new DataKey(stack, 'Shared');
    new SecureRepository(stack, 'Images', { dataKey: key });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::ECR::Repository', { EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: stack.resolve(key.key.keyArn) } });
  });

  test('lifecycle: untagged images expire after 7 days, the last 200 tagged images are kept', () => {
    const stack = stackIn(testApp(), 'prod');
    new SecureRepository(stack, 'Images');
    expect(lifecyclePolicy(Template.fromStack(stack))).toEqual({
      rules: [
        { rulePriority: 1, description: 'Expire untagged images after 7 days', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countNumber: 7, countUnit: 'days' }, action: { type: 'expire' } },
        { rulePriority: 2, description: 'Keep the last 200 tagged images', selection: { tagStatus: 'tagged', tagPatternList: ['*'], countType: 'imageCountMoreThan', countNumber: 200 }, action: { type: 'expire' } },
      ],
    });
  });

  test('lifecycle numbers are options', () => {
    const stack = stackIn(testApp(), 'prod');
    new SecureRepository(stack, 'Images', { untaggedImageRetention: Duration.days(1), maxTaggedImages: 30 });
    const policy = lifecyclePolicy(Template.fromStack(stack)) as { rules: { selection: { countNumber: number } }[] };
    expect(policy.rules.map(r => r.selection.countNumber)).toEqual([1, 30]);
  });

  test('mutable tags only with a reason', () => {
    const stack = stackIn(testApp(), 'prod');
    const repository = new SecureRepository(stack, 'Images', { mutableTags: { reason: 'the vendor agent pulls :latest' } });
    Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', { ImageTagMutability: 'MUTABLE' });
    expect(repository.immutableTags).toBe(false);
  });

  describe('removal follows the stage', () => {
    test('ephemeral: deleted with its images', () => {
      const stack = stackIn(testApp(), 'dev');
      new SecureRepository(stack, 'Images');
      Template.fromStack(stack).hasResource('AWS::ECR::Repository', {
        DeletionPolicy: 'Delete',
        UpdateReplacePolicy: 'Delete',
        Properties: Match.objectLike({ EmptyOnDelete: true }),
      });
    });

    test('durable: retained, images kept', () => {
      const stack = stackIn(testApp(), 'prod');
      new SecureRepository(stack, 'Images');
      const [repository] = Object.values(Template.fromStack(stack).findResources('AWS::ECR::Repository'));
      expect(repository.DeletionPolicy).toBe('Retain');
      expect(repository.UpdateReplacePolicy).toBe('Retain');
      expect(repository.Properties.EmptyOnDelete).toBeUndefined();
    });

    test('outside a FintechStage, from the fintech:stage context', () => {
      const app = testApp();
      const stack = new Stack(app, 'Plain');
      stack.node.setContext('fintech:stage', 'dev');
      new SecureRepository(stack, 'Images', { nameBase: 'images' });
      const template = Template.fromStack(stack);
      template.hasResource('AWS::ECR::Repository', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ RepositoryName: 'images-dev', EmptyOnDelete: true }) });
      template.resourceCountIs('AWS::ECR::ReplicationConfiguration', 0);
    });
  });

  describe('replication to the replica regions', () => {
    test('to the stage\'s replica regions, one rule with a PREFIX_MATCH filter per repository, one configuration per stack', () => {
      const stack = new Stack(stageOf(testApp(), 'prod'), 'Workload');
      const images = new SecureRepository(stack, 'Images', { nameBase: 'images' });
      const workers = new SecureRepository(stack, 'Workers', { nameBase: 'workers' });
      expect(images.replicaRegions).toEqual(['eu-central-1', 'us-east-1']);
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::ECR::ReplicationConfiguration', 1);
      template.hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
        ReplicationConfiguration: {
          Rules: [{
            Destinations: [{ Region: 'eu-central-1', RegistryId: '123456789012' }, { Region: 'us-east-1', RegistryId: '123456789012' }],
            RepositoryFilters: [
              { Filter: stack.resolve(images.repositoryName), FilterType: 'PREFIX_MATCH' },
              { Filter: stack.resolve(workers.repositoryName), FilterType: 'PREFIX_MATCH' },
            ],
          }],
        },
      });
    });

    test('a rule per set of regions; a repository with replicaRegions [] is not replicated', () => {
      const stack = new Stack(stageOf(testApp(), 'prod'), 'Workload');
      const images = new SecureRepository(stack, 'Images');
      const local = new SecureRepository(stack, 'Local', { replicaRegions: [] });
      const europe = new SecureRepository(stack, 'Europe', { replicaRegions: ['eu-central-1'] });
      const rules = Object.values(Template.fromStack(stack).findResources('AWS::ECR::ReplicationConfiguration'))[0].Properties.ReplicationConfiguration.Rules;
      expect(rules).toEqual([
        { Destinations: [{ Region: 'eu-central-1', RegistryId: '123456789012' }, { Region: 'us-east-1', RegistryId: '123456789012' }], RepositoryFilters: [{ Filter: stack.resolve(images.repositoryName), FilterType: 'PREFIX_MATCH' }] },
        { Destinations: [{ Region: 'eu-central-1', RegistryId: '123456789012' }], RepositoryFilters: [{ Filter: stack.resolve(europe.repositoryName), FilterType: 'PREFIX_MATCH' }] },
      ]);
      expect(JSON.stringify(rules)).not.toContain(JSON.stringify(stack.resolve(local.repositoryName)));
    });

    test('none in a stage without replica regions, or with replication off', () => {
      const app = testApp();
      const dev = new Stack(stageOf(app, 'dev'), 'Workload');
      new SecureRepository(dev, 'Images');
      Template.fromStack(dev).resourceCountIs('AWS::ECR::ReplicationConfiguration', 0);
      const prod = new Stack(stageOf(app, 'prod'), 'Workload');
      new SecureRepository(prod, 'Images', { replicaRegions: [] });
      Template.fromStack(prod).resourceCountIs('AWS::ECR::ReplicationConfiguration', 0);
    });

    test('a stack of the stage in another region (a replica region\'s own) replicates nothing by default', () => {
      const stage = stageOf(testApp(), 'prod');
      const stack = new Stack(stage, 'Frankfurt', { env: { account: '123456789012', region: 'eu-central-1' } });
      const images = new SecureRepository(stack, 'Images');
      expect(images.replicaRegions).toEqual([]);
      Template.fromStack(stack).resourceCountIs('AWS::ECR::ReplicationConfiguration', 0);
      const inReplicaStack = new SecureRepository(ReplicaRegionStack.forRegion(new Stack(stage, 'Workload'), 'us-east-1'), 'Images');
      expect(inReplicaStack.replicaRegions).toEqual([]);
    });

    test('outside a stage, from replicaRegions', () => {
      const stack = new Stack(testApp(), 'Plain', { env: { account: '111122223333', region: 'us-east-1' } });
      new SecureRepository(stack, 'Images', { replicaRegions: ['us-west-2'] });
      Template.fromStack(stack).hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
        ReplicationConfiguration: { Rules: [Match.objectLike({ Destinations: [{ Region: 'us-west-2', RegistryId: '111122223333' }] })] },
      });
    });

    test('two stacks replicating from one account and region fail synth, naming each other; other regions or accounts do not', () => {
      const app = testApp();
      const stage = stageOf(app, 'prod');
      new SecureRepository(new Stack(stage, 'Ingest'), 'Images');
      new SecureRepository(new Stack(stage, 'Settle'), 'Images');
      new SecureRepository(new Stack(stage, 'Local'), 'Images', { replicaRegions: [] });
      new SecureRepository(new Stack(stage, 'Frankfurt', { env: { account: '123456789012', region: 'eu-central-1' } }), 'Images', { replicaRegions: ['eu-west-1'] });
      new SecureRepository(new Stack(app, 'OtherAccount', { env: { account: '999999999999', region: 'eu-west-1' } }), 'Images', { replicaRegions: ['us-east-1'] });
      expect(() => app.synth()).toThrow(/ECR replication of stack prod\/Ingest: stack prod\/Settle deploys to the same account and region and has a replication configuration too; a registry has one, so each deploy would replace the other's\. Keep the SecureRepositories that replicate in one stack per account and region, or pass replicaRegions: \[\] to those of the other stacks\./);
      const errors = (stack: string) => stage.node.findChild(stack).node.findChild('FintechEcrReplication').node.validate();
      expect(errors('Settle')).toEqual([expect.stringContaining('ECR replication of stack prod/Settle: stack prod/Ingest deploys')]);
      expect(errors('Frankfurt')).toEqual([]);
      expect(app.node.findChild('OtherAccount').node.findChild('FintechEcrReplication').node.validate()).toEqual([]);
    });

    test('two stacks of a stage without an account share its registry too', () => {
      const app = testApp();
      const stage = stageOf(app, 'dev');
      new SecureRepository(new Stack(stage, 'Ingest'), 'Images', { replicaRegions: ['us-east-1'], replicaRepositories: false });
      new SecureRepository(new Stack(stage, 'Settle'), 'Images', { replicaRegions: ['us-east-1'], replicaRepositories: false });
      expect(() => app.synth()).toThrow(/ECR replication of stack dev\/Ingest: stack dev\/Settle deploys to the same account and region/);
    });

    test('a replica repository in each replica region: the same name, KMS with a key of its region, immutable, the same lifecycle, deployed first', () => {
      const app = testApp();
      const stage = stageOf(app, 'prod');
      const stack = new Stack(stage, 'Workload');
      const images = new SecureRepository(stack, 'Images', { nameBase: 'images', maxTaggedImages: 50 });
      expect(Object.keys(images.replicas)).toEqual(['eu-central-1', 'us-east-1']);
      for (const region of ['eu-central-1', 'us-east-1']) {
        const replicaStack = ReplicaRegionStack.forRegion(stack, region);
        const replica = images.replicas[region];
        expect(Stack.of(replica)).toBe(replicaStack);
        expect(replicaStack.region).toBe(region);
        const template = Template.fromStack(replicaStack);
        template.hasResource('AWS::ECR::Repository', {
          DeletionPolicy: 'Retain',
          Properties: Match.objectLike({
            RepositoryName: 'ledger-images-prod',
            ImageTagMutability: 'IMMUTABLE',
            ImageScanningConfiguration: { ScanOnPush: true },
            EncryptionConfiguration: { EncryptionType: 'KMS', KmsKey: replicaStack.resolve(replica.dataKey.key.keyArn) },
          }),
        });
        template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ledger-images-repository-prod' });
        expect(JSON.stringify(lifecyclePolicy(template))).toContain('"countNumber":50');
        template.resourceCountIs('AWS::ECR::ReplicationConfiguration', 0);
        expect(stack.dependencies).toContain(replicaStack);
      }
    });

    test('a replicated repository without nameBase is named after its path; mutable tags carry over', () => {
      const stack = new Stack(stageOf(testApp(), 'prod'), 'Workload');
      const images = new SecureRepository(stack, 'Images', { mutableTags: { reason: 'the vendor agent pulls :latest' } });
      Template.fromStack(stack).hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'ledger-workload-images-prod', ImageTagMutability: 'MUTABLE' });
      Template.fromStack(Stack.of(images.replicas['us-east-1'])).hasResourceProperties('AWS::ECR::Repository', { RepositoryName: 'ledger-workload-images-prod', ImageTagMutability: 'MUTABLE' });
    });

    test('replicaRepositories false: no replica stacks, and a generated name', () => {
      const app = testApp();
      const stage = stageOf(app, 'prod');
      const stack = new Stack(stage, 'Workload');
      const images = new SecureRepository(stack, 'Images', { replicaRepositories: false });
      expect(images.replicas).toEqual({});
      expect(stage.node.children.map(c => c.node.id)).toEqual(['Workload']);
      const template = Template.fromStack(stack);
      expect(Object.values(template.findResources('AWS::ECR::Repository'))[0].Properties.RepositoryName).toBeUndefined();
      template.resourceCountIs('AWS::ECR::ReplicationConfiguration', 1);
    });

    test('an environment-agnostic stack replicates with replicaRepositories false', () => {
      const stack = new Stack(testApp(), 'Plain');
      new SecureRepository(stack, 'Images', { replicaRegions: ['us-west-2'], replicaRepositories: false });
      Template.fromStack(stack).hasResourceProperties('AWS::ECR::ReplicationConfiguration', {
        ReplicationConfiguration: { Rules: [Match.objectLike({ Destinations: [{ Region: 'us-west-2', RegistryId: { Ref: 'AWS::AccountId' } }] })] },
      });
    });
  });

  describe('the rule pack finds nothing', () => {
    test('in an ephemeral and a durable stage, with replication and replica repositories', () => {
      const app = testApp();
      for (const name of ['dev', 'prod'] as const) {
        const stack = new Stack(stageOf(app, name), 'Workload');
        new SecureRepository(stack, 'Images', { nameBase: 'images' });
        new SecureRepository(stack, 'Anonymous');
      }
      expect(app.node.findAll().filter(c => ReplicaRegionStack.isReplicaRegionStack(c)).map(c => c.node.path).sort()).toEqual(['prod/Replicas-eu-central-1', 'prod/Replicas-us-east-1']);
      const { violations } = synthReport(app);
      expect(violations.map(v => `${v.severity} ${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
    });

    test('outside a stage, in a tagged app with replication', () => {
      const { app } = plainApp();
      const stack = new Stack(app, 'Images', { env: { account: '111122223333', region: 'us-east-1' } });
      for (const [key, value] of Object.entries({ Environment: 'shared', Team: 'payments', CostCenter: 'cc-1234', Application: 'ledger' })) Tags.of(app).add(key, value);
      new SecureRepository(stack, 'Images', { replicaRegions: ['us-west-2'] });
      const { violations } = synthReport(app);
      expect(violations.map(v => `${v.severity} ${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
      Template.fromStack(stack).resourceCountIs('AWS::ECR::ReplicationConfiguration', 1);
    });
  });

  describe('bad input fails at synth with the path, the problem and the fix', () => {
    const inDev = () => stackIn(testApp(), 'dev');

    test('mutable tags without a reason', () => {
      expect(() => new SecureRepository(inDev(), 'Images', { mutableTags: { reason: ' ' } }))
        .toThrow('SecureRepository at dev/Workload/Images: mutableTags has no reason; say why images must be re-tagged in place');
    });

    test.each([0, 2.5, -1])('maxTaggedImages %p', count => {
      expect(() => new SecureRepository(inDev(), 'Images', { maxTaggedImages: count }))
        .toThrow(`SecureRepository at dev/Workload/Images: maxTaggedImages ${count} must be a whole number of at least 1`);
    });

    test.each([Duration.hours(12), Duration.hours(36), Duration.days(0)])('untaggedImageRetention %s', retention => {
      expect(() => new SecureRepository(inDev(), 'Images', { untaggedImageRetention: retention }))
        .toThrow(/^SecureRepository at dev\/Workload\/Images: untaggedImageRetention .* is not a whole number of days of at least 1 .*; use e\.g\. Duration\.days\(7\)\.$/);
    });

    test('an unknown replica region', () => {
      expect(() => new SecureRepository(inDev(), 'Images', { replicaRegions: ['eu-west-9'] }))
        .toThrow('SecureRepository at dev/Workload/Images: replicaRegions[0] "eu-west-9" is not an AWS region known to aws-cdk-lib; use a region name such as "us-west-2".');
    });

    test('the home region as a replica region', () => {
      expect(() => new SecureRepository(inDev(), 'Images', { replicaRegions: ['us-east-1', 'eu-west-1'] }))
        .toThrow('SecureRepository at dev/Workload/Images: replicaRegions[1] "eu-west-1" is the stack\'s own region');
    });

    test('a replica region twice', () => {
      expect(() => new SecureRepository(inDev(), 'Images', { replicaRegions: ['us-east-1', 'us-east-1'] }))
        .toThrow('SecureRepository at dev/Workload/Images: replicaRegions[1] "us-east-1" is listed twice; list each region once.');
    });

    test('a name ECR refuses', () => {
      expect(() => new SecureRepository(inDev(), 'Images', { nameBase: 'images--app' }))
        .toThrow('SecureRepository at dev/Workload/Images: repository name "ledger-images--app-dev" (from nameBase "images--app") has a doubled or trailing separator, which ECR refuses');
    });

    test('replica repositories in an environment-agnostic stack', () => {
      expect(() => new SecureRepository(inDev(), 'Images', { replicaRegions: ['us-east-1'] }))
        .toThrow('SecureRepository at dev/Workload/Images: replica repositories need the stack\'s account at synth (their stacks deploy to it in us-east-1), and the stack is environment-agnostic; give the stack env: { account, region } (or create it in a FintechStage with an account), or set replicaRepositories: false to let ECR create the replicas with AES256 encryption.');
    });

    test('more sets of replica regions than a replication configuration holds', () => {
      const stack = new Stack(testApp(), 'Plain', { env: { account: '111122223333', region: 'us-east-1' } });
      const regions = ['us-west-1', 'us-west-2', 'eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-southeast-1', 'ap-southeast-2'];
      regions.forEach((region, i) => new SecureRepository(stack, `Repo${i}`, { replicaRegions: [region] }));
      const configuration = stack.node.findChild('FintechEcrReplication');
      expect(configuration.node.validate()).toEqual([expect.stringMatching(/^ECR replication of stack Plain: the SecureRepositories replicate to 11 different sets of regions, but a registry's replication configuration holds at most 10 rules; give repositories the same replicaRegions/)]);
    });
  });
});
