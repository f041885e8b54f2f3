import * as cdk from 'aws-cdk-lib';
import { App, CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fsx from 'aws-cdk-lib/aws-fsx';
import { REMOVAL_RULE_PREFIX, STAGE_REMOVAL_POLICY_RULE_ID, STATEFUL_RESOURCE_TYPES, isCacheWithoutSnapshots, isLustreScratch } from '../../src/facts/stateful-resources';
import { StageRemovalPolicyRule } from '../../src/rules/removal/stage-removal-policy-rule';

const TYPES = Object.entries(STATEFUL_RESOURCE_TYPES);

/** A stack where CDK refuses a snapshot removal policy on types CloudFormation cannot snapshot. */
function strictStack(): Stack {
  return new Stack(new App({ context: { '@aws-cdk/core:validateSnapshotRemovalPolicy': true } }), 'Shop');
}

/** aws-cdk-lib's L1 class for a CloudFormation type (`AWS::DynamoDB::Table` -> aws-dynamodb CfnTable). */
function l1Class(type: string): new (scope: Stack, id: string, props: object) => CfnResource & { cfnPropertyNames: Record<string, string> } {
  const [, service, resource] = type.split('::');
  return (cdk as unknown as Record<string, Record<string, any>>)[`aws_${service.toLowerCase()}`][`Cfn${resource}`];
}

/** An L1 of the type with its required properties filled with placeholders, so its property names can be read. */
function l1Of(type: string, stack: Stack, extra: object = {}): CfnResource & { cfnPropertyNames: Record<string, string> } {
  const props: Record<string, unknown> = { ...extra };
  for (;;) {
    try {
      return new (l1Class(type))(stack, `R${stack.node.children.length}`, props);
    } catch (error) {
      const missing = /missing required property: (\w+)/.exec(String(error))?.[1];
      // A required property that must be a string (or a reference) rather than a list, e.g. an archive's sourceArn.
      const stringly = /Property (\w+) should be one of .*\bstring\b/.exec(String(error))?.[1];
      if (!missing && !stringly) throw error;
      if (missing) props[missing] = [];
      else props[stringly!] = 'placeholder';
    }
  }
}

function camel(property: string): string {
  return property.charAt(0).toLowerCase() + property.slice(1);
}

describe('STATEFUL_RESOURCE_TYPES', () => {
  test('names CloudFormation types aws-cdk-lib knows', () => {
    const stack = new Stack();
    for (const [type] of TYPES) expect(l1Of(type, stack).cfnResourceType).toBe(type);
  });

  test('snapshots exactly the types CloudFormation can snapshot, and retains the others', () => {
    for (const [type, spec] of TYPES) {
      const resource = new CfnResource(strictStack(), 'Resource', { type });
      const snapshot = () => resource.applyRemovalPolicy(RemovalPolicy.SNAPSHOT);
      if (spec.durablePolicy === 'Snapshot') expect(snapshot).not.toThrow();
      else expect(snapshot).toThrow(`${type} does not support snapshot removal policy`);
    }
  });

  test('every deletion protection property exists on its type, with distinct on and off values of one kind', () => {
    const stack = new Stack();
    const withProtection = TYPES.filter(([, spec]) => spec.deletionProtection);
    expect(withProtection.map(([type]) => type).sort()).toEqual([
      'AWS::CloudTrail::EventDataStore', 'AWS::Cognito::UserPool', 'AWS::DSQL::Cluster', 'AWS::DocDB::DBCluster', 'AWS::DynamoDB::Table',
      'AWS::Neptune::DBCluster', 'AWS::NeptuneGraph::Graph', 'AWS::RDS::DBCluster', 'AWS::RDS::DBInstance',
    ]);
    for (const [type, spec] of withProtection) {
      const { property, on, off } = spec.deletionProtection!;
      expect([type, l1Of(type, stack).cfnPropertyNames[camel(property)]]).toEqual([type, property]);
      expect(on).toBeDefined();
      expect(off).toBeDefined();
      expect(on).not.toEqual(off);
      expect(typeof on).toBe(typeof off);
    }
  });

  test('only CloudTrail Lake\'s termination protection is on when unset (its CloudFormation default is true), and only DSQL\'s and Neptune Analytics\' are unknown', () => {
    const unset = (state: string) => TYPES.filter(([, spec]) => spec.deletionProtection?.whenUnset === state).map(([type]) => type);
    expect(unset('on')).toEqual(['AWS::CloudTrail::EventDataStore']);
    expect(unset('unknown')).toEqual(['AWS::DSQL::Cluster', 'AWS::NeptuneGraph::Graph']);
  });

  test('Cognito\'s on and off values are the ones aws-cdk-lib writes for deletionProtection', () => {
    const spec = STATEFUL_RESOURCE_TYPES['AWS::Cognito::UserPool'].deletionProtection!;
    for (const [deletionProtection, value] of [[true, spec.on], [false, spec.off]] as const) {
      const stack = new Stack();
      new cognito.UserPool(stack, 'Customers', { deletionProtection });
      Template.fromStack(stack).hasResourceProperties('AWS::Cognito::UserPool', { [spec.property]: value });
    }
  });

  test('per-element deletion protection names a list property whose elements carry the property', () => {
    const withElements = TYPES.filter(([, spec]) => spec.elementDeletionProtection);
    expect(withElements.map(([type]) => type)).toEqual(['AWS::DynamoDB::GlobalTable']);
    for (const [type, spec] of withElements) {
      const { list, property, on, off } = spec.elementDeletionProtection!;
      expect(spec.deletionProtection).toBeUndefined();
      expect(on).not.toEqual(off);
      const stack = new Stack();
      const resource = l1Of(type, stack, { [camel(list)]: [{ region: 'eu-west-1', [camel(property)]: on }] });
      const rendered = stack.resolve((resource as unknown as { _toCloudFormation(): any })._toCloudFormation());
      expect(rendered.Resources[stack.resolve(resource.logicalId)].Properties[list]).toEqual([{ Region: 'eu-west-1', [property]: on }]);
    }
  });

  test('ephemeral and cluster-member properties exist on their types', () => {
    const stack = new Stack();
    for (const [type, spec] of TYPES) {
      const names = Object.values(l1Of(type, stack).cfnPropertyNames);
      for (const property of [...Object.keys(spec.ephemeralProperties ?? {}), ...(spec.clusterMemberProperty ? [spec.clusterMemberProperty] : [])]) {
        expect([type, names.includes(property)]).toEqual([type, true]);
      }
    }
  });

  test('ephemeral stages delete KMS keys after the shortest waiting period and empty ECR repositories', () => {
    expect(STATEFUL_RESOURCE_TYPES['AWS::KMS::Key'].ephemeralProperties).toEqual({ PendingWindowInDays: 7 });
    expect(STATEFUL_RESOURCE_TYPES['AWS::ECR::Repository'].ephemeralProperties).toEqual({ EmptyOnDelete: true });
  });

  test('only an Aurora-style instance is a cluster member, and its cluster is stateful too', () => {
    expect(TYPES.filter(([, spec]) => spec.clusterMemberProperty).map(([type, spec]) => [type, spec.clusterMemberProperty]))
      .toEqual([['AWS::RDS::DBInstance', 'DBClusterIdentifier']]);
    expect(STATEFUL_RESOURCE_TYPES['AWS::RDS::DBCluster'].durablePolicy).toBe('Snapshot');
  });
});

describe('isLustreScratch', () => {
  /** The properties fsx.LustreFileSystem synthesizes for a deployment type. */
  function lustre(deploymentType: fsx.LustreDeploymentType): { [name: string]: unknown } {
    const stack = new Stack();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const throughput = deploymentType.startsWith('SCRATCH') ? {} : { perUnitStorageThroughput: deploymentType === fsx.LustreDeploymentType.PERSISTENT_1 ? 50 : 125 };
    new fsx.LustreFileSystem(stack, 'Files', {
      vpc,
      vpcSubnet: vpc.publicSubnets[0],
      storageCapacityGiB: 1200,
      lustreConfiguration: { deploymentType, ...throughput },
    });
    return Object.values(Template.fromStack(stack).findResources('AWS::FSx::FileSystem'))[0].Properties;
  }

  test('tells every deployment type aws-cdk-lib offers by its name, as the L2 writes it', () => {
    for (const deploymentType of Object.values(fsx.LustreDeploymentType)) {
      expect([deploymentType, isLustreScratch(lustre(deploymentType))]).toEqual([deploymentType, deploymentType.startsWith('SCRATCH')]);
    }
  });

  test('takes SCRATCH_1 when the deployment type is unset, knows other file system types are not Lustre, and does not guess through intrinsics', () => {
    expect(isLustreScratch({ FileSystemType: 'LUSTRE' })).toBe(true);
    expect(isLustreScratch({ FileSystemType: 'LUSTRE', LustreConfiguration: { ImportPath: 's3://positions' } })).toBe(true);
    expect(isLustreScratch({ FileSystemType: 'WINDOWS', LustreConfiguration: {} })).toBe(false);
    expect(isLustreScratch({ FileSystemType: 'ONTAP' })).toBe(false);
    expect(isLustreScratch({ FileSystemType: { Ref: 'FileSystemType' } })).toBeUndefined();
    expect(isLustreScratch({ FileSystemType: 'LUSTRE', LustreConfiguration: { 'Fn::If': ['Prod', {}, {}] } })).toBeUndefined();
    expect(isLustreScratch({ FileSystemType: 'LUSTRE', LustreConfiguration: { DeploymentType: { Ref: 'Deployment' } } })).toBeUndefined();
    expect(isLustreScratch({ FileSystemType: 'LUSTRE', LustreConfiguration: ['SCRATCH_2'] })).toBeUndefined();
  });

  test('is what the FSx file system type asks before durable stages judge its removal; only replication groups ask another question', () => {
    const asking = TYPES.filter(([, spec]) => spec.temporaryWhen);
    expect(new Map(asking.map(([type, spec]) => [type, spec.temporaryWhen]))).toEqual(new Map<string, unknown>([
      ['AWS::FSx::FileSystem', isLustreScratch],
      ['AWS::ElastiCache::ReplicationGroup', isCacheWithoutSnapshots],
    ]));
  });
});

describe('isCacheWithoutSnapshots', () => {
  test('a replication group without automatic snapshots is a cache; with any, or with days only known at deploy time, it is not', () => {
    expect(isCacheWithoutSnapshots({})).toBe(true);
    expect(isCacheWithoutSnapshots({ SnapshotRetentionLimit: 0 })).toBe(true);
    expect(isCacheWithoutSnapshots({ SnapshotRetentionLimit: ' 0' })).toBe(true);
    expect(isCacheWithoutSnapshots({ SnapshotRetentionLimit: 7 })).toBe(false);
    expect(isCacheWithoutSnapshots({ SnapshotRetentionLimit: '1' })).toBe(false);
    expect(isCacheWithoutSnapshots({ SnapshotRetentionLimit: { Ref: 'SnapshotDays' } })).toBe(false);
  });
});

describe('removal rule ids', () => {
  test('the prefix that makes the stage leave a resource alone covers every C02 rule and the stage\'s own acknowledgement id', () => {
    const ids = new StageRemovalPolicyRule().infos.map(info => info.id);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of [...ids, STAGE_REMOVAL_POLICY_RULE_ID]) expect(id.startsWith(REMOVAL_RULE_PREFIX)).toBe(true);
    // The acknowledgement id names the stage's decision, not a finding the pack reports.
    expect(ids).not.toContain(STAGE_REMOVAL_POLICY_RULE_ID);
  });
});
