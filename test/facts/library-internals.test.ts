import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as rds from 'aws-cdk-lib/aws-rds';
import { IConstruct } from 'constructs';
import { LIBRARY_INTERNALS, LibraryInternal } from '../../src/facts/library-internals';
import { FintechChecks } from '../../src/rules/fintech-checks';
import { libraryClassOf } from '../../src/rules/library-constructs';
import { deliveryPipeline } from '../rules/pipeline-harness';
import { quietSynth, testApp } from '../rules/rule-harness';

/**
 * A CDK Pipelines app with assets and a second region, and a stack with a bastion host and databases that generate their
 * master secrets, synthesized: every internal the list knows exists in it, once.
 */
function libraryApp(): IConstruct {
  const app = testApp();
  deliveryPipeline(app, { drRegion: 'eu-central-1' });
  const stack = new Stack(app, 'Data', { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
  const vpcSubnets = { subnetType: ec2.SubnetType.PRIVATE_ISOLATED };
  new ec2.BastionHostLinux(stack, 'Bastion', { vpc });
  new rds.DatabaseCluster(stack, 'Aurora', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    writer: rds.ClusterInstance.serverlessV2('Writer'),
    vpc,
    vpcSubnets,
  });
  new rds.DatabaseInstance(stack, 'Postgres', { engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 }), vpc, vpcSubnets });
  new docdb.DatabaseCluster(stack, 'Documents', {
    masterUser: { username: 'kyc_admin' },
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
    vpc,
    vpcSubnets,
  });
  quietSynth(app);
  return app;
}

/** The constructs an entry names in the app: at its path below each library construct, or its support constructs. */
function constructsOf(app: IConstruct, internal: LibraryInternal): IConstruct[] {
  const all = app.node.findAll();
  const owners = all.filter(c => libraryClassOf(c) === internal.library);
  if (internal.support) {
    const { property, resource, className } = internal.support;
    return owners.flatMap(owner => Object.values((owner as any)[property] as Record<string, Record<string, IConstruct>>))
      .map(value => value[resource].node.scope!)
      .filter(scope => Object.getPrototypeOf(scope).constructor.name === className);
  }
  return owners.flatMap(owner => all.filter(c => c.node.path === `${owner.node.path}/${internal.path}`));
}

/** The actions the policies created below `scope` allow on Resource "*", sorted. */
function wildcardActionsBelow(scope: IConstruct): string[] {
  const stack = Stack.of(scope);
  const resources = Template.fromStack(stack).toJSON().Resources;
  const actions = new Set<string>();
  for (const policy of scope.node.findAll().filter((c): c is iam.CfnPolicy => c instanceof iam.CfnPolicy)) {
    for (const statement of resources[stack.getLogicalId(policy)].Properties.PolicyDocument.Statement) {
      if (statement.Resource === '*') for (const action of [statement.Action].flat()) actions.add(action);
    }
  }
  return [...actions].sort();
}

describe('LIBRARY_INTERNALS', () => {
  test('every entry names constructs the library creates, in the aws-cdk-lib this package builds with', () => {
    const app = libraryApp();
    for (const internal of LIBRARY_INTERNALS) {
      expect([internal.library, internal.path ?? internal.support!.className, constructsOf(app, internal).length]).toEqual([
        internal.library, internal.path ?? internal.support!.className, 1,
      ]);
    }
  });

  test('a role entry lists exactly the actions the library allows on "*" there, so a library that narrows them shows up', () => {
    const app = libraryApp();
    for (const internal of LIBRARY_INTERNALS.filter(i => i.wildcardActions)) {
      const [role] = constructsOf(app, internal);
      expect([internal.path, wildcardActionsBelow(role)]).toEqual([internal.path, [...internal.wildcardActions!].sort()]);
    }
  });

  test('each entry is at a path or a support construct, once, and says how the app can choose otherwise', () => {
    const keys = LIBRARY_INTERNALS.map(i => `${i.library} ${i.path ?? i.support?.className}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const internal of LIBRARY_INTERNALS) {
      expect((internal.path === undefined) !== (internal.support === undefined)).toBe(true);
      expect(internal.support && internal.wildcardActions).toBeFalsy();
      expect(internal.how.length).toBeGreaterThan(20);
    }
  });

  test('an entry limited to some rules names the prefix of rule ids the pack has', () => {
    const ids = FintechChecks.rules().map(rule => rule.id);
    const limited = LIBRARY_INTERNALS.filter(i => i.rules);
    expect(limited.map(i => `${i.library} ${i.path}`)).toEqual(expect.arrayContaining(['aws-cdk-lib.aws_docdb.DatabaseCluster Secret']));
    for (const prefix of limited.flatMap(i => i.rules!)) expect([prefix, ids.some(id => id.startsWith(prefix))]).toEqual([prefix, true]);
  });
});
