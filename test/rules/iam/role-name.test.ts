import { App, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { FintechChecksProps } from '../../../src/rules/fintech-checks';
import { RoleName } from '../../../src/rules/iam/role-name';
import { NameKind, PhysicalName } from '../../../src/stage/physical-name';
import { stackIn } from '../../support/fintech-fixture';
import { lines, testApp, validate } from '../rule-harness';

const C06 = RoleName.INFO.id;
const LAMBDA = new iam.ServicePrincipal('lambda.amazonaws.com');
const TRUST = { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] };

function c06(app: App, props: FintechChecksProps = {}) {
  return validate(app, props).findings.filter(f => f.ruleId === C06 || f.ruleId === 'Fintech-RuleFailed');
}

describe('Fintech-C06-RoleNameWithoutStage', () => {
  test('warns on a fixed L2 role name and passes a PhysicalName or a generated one', () => {
    const app = testApp();
    const stack = stackIn(app, 'prod');
    new iam.Role(stack, 'Fixed', { assumedBy: LAMBDA, roleName: 'ledger-settlement' });
    new iam.Role(stack, 'Named', { assumedBy: LAMBDA, roleName: PhysicalName.of(stack, 'settlement', { kind: NameKind.IAM_ROLE }) });
    new iam.Role(stack, 'Generated', { assumedBy: LAMBDA });
    const findings = c06(app);
    expect(lines(findings)).toEqual([`${C06} prod/Workload/Fixed/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'warning',
      locations: ['Properties/RoleName'],
      message: expect.stringMatching(/^AWS::IAM::Role Fixed[0-9A-F]{8} has RoleName "ledger-settlement", which lacks the stage name "prod", /),
    });
  });

  test('judges L1 roles and escape hatches, and skips stacks outside a stage', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new iam.CfnRole(stack, 'Raw', { assumeRolePolicyDocument: TRUST, roleName: 'settlement' });
    const patched = new iam.Role(stack, 'Patched', { assumedBy: LAMBDA });
    (patched.node.defaultChild as iam.CfnRole).addPropertyOverride('RoleName', 'patched');
    expect(lines(c06(app, { stage: 'dev' }))).toEqual([`${C06} Shop/Patched/Resource`, `${C06} Shop/Raw`]);
    expect(c06(app)).toEqual([]);
  });

  test('the fixed name a replicating bucket gives the role it creates names the bucket and the flag that makes it unique', () => {
    const replicating = (flag: boolean) => {
      const app = testApp();
      if (flag) app.node.setContext('@aws-cdk/aws-s3:setUniqueReplicationRoleName', true);
      const stack = new Stack(app, 'Statements');
      const replica = new s3.Bucket(stack, 'Replica', { versioned: true });
      new s3.Bucket(stack, 'Source', { versioned: true, replicationRules: [{ destination: replica, priority: 1 }] });
      return c06(app, { stage: 'dev' });
    };
    const findings = replicating(false);
    expect(findings.map(f => [f.severity, f.constructPath])).toEqual([['warning', 'Statements/Source/ReplicationRole/Resource']]);
    expect(findings[0].message).toContain('CDK created this resource for Statements/Source (s3.Bucket: the name it gives the replication role');
    expect(replicating(true)).toEqual([]);
  });

  test('treats names built from intrinsics as unknown', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const stage = new CfnParameter(stack, 'Stage', { type: 'String' });
    new iam.CfnRole(stack, 'Param', { assumeRolePolicyDocument: TRUST, roleName: Fn.join('-', ['settlement', stage.valueAsString]) });
    expect(c06(app, { stage: 'dev' })).toEqual([]);
  });
});
