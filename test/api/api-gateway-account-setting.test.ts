import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { Construct } from 'constructs';
import { ApiGatewayAccountSetting } from '../../src/api/api-gateway-account-setting';
import { stackIn, testApp, twoStacksIn } from '../support/fintech-fixture';
import { api } from '../support/rest-api-fixture';

/** How many `AWS::ApiGateway::Account` resources all stacks of `stage` hold together. */
function accountSettingsIn(stage: Stage): number {
  return stage.node.findAll()
    .filter((c): c is Stack => Stack.isStack(c))
    .reduce((sum, stack) => sum + Object.keys(Template.fromStack(stack).findResources('AWS::ApiGateway::Account')).length, 0);
}

/** Stack names `stack` depends on (known once the app was synthesized). */
function dependencyNames(stack: Stack): string[] {
  return stack.dependencies.map(d => d.stackName).sort();
}

describe('ApiGatewayAccountSetting as ProtectedRestApi uses it: one setting per stage and region, not one per API', () => {
  const PUSH_TO_LOGS = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs']] };

  function settingStackOf(stage: Stage): Stack {
    return stage.node.findChild('ApiGatewayAccount') as Stack;
  }

  test('two APIs in one stack: no account setting in the stack, exactly one in the stage\'s ApiGatewayAccount stack', () => {
    const stack = stackIn(testApp(), 'dev');
    api(stack, {}, 'PaymentsApi');
    api(stack, {}, 'RefundsApi');
    Template.fromStack(stack).resourceCountIs('AWS::ApiGateway::Account', 0);
    Template.fromStack(stack).resourceCountIs('AWS::IAM::Role', 0);
    const setting = Template.fromStack(settingStackOf(Stage.of(stack)!));
    setting.resourceCountIs('AWS::ApiGateway::Account', 1);
    expect(accountSettingsIn(Stage.of(stack)!)).toBe(1);
  });

  test('two stacks of one stage with an API each share one setting, and both stacks depend on its stack', () => {
    const [ingest, settle] = twoStacksIn(testApp(), 'prod');
    api(ingest);
    api(settle);
    const stage = Stage.of(ingest)!;
    expect(accountSettingsIn(stage)).toBe(1);
    // Construct dependencies become stack dependencies when the app is prepared for synth.
    expect(settingStackOf(stage).stackName).toBe('prod-ApiGatewayAccount');
    expect(dependencyNames(ingest)).toEqual(['prod-ApiGatewayAccount']);
    expect(dependencyNames(settle)).toEqual(['prod-ApiGatewayAccount']);
  });

  test('the role has only the managed policy API Gateway needs, and only API Gateway may assume it', () => {
    const stack = stackIn(testApp(), 'dev');
    api(stack);
    const setting = Template.fromStack(settingStackOf(Stage.of(stack)!));
    setting.resourceCountIs('AWS::IAM::Role', 1);
    setting.resourceCountIs('AWS::IAM::Policy', 0);
    const [role] = Object.values(setting.findResources('AWS::IAM::Role'));
    expect(role.Properties.ManagedPolicyArns).toEqual([PUSH_TO_LOGS]);
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'apigateway.amazonaws.com' } },
    ]);
    const [roleId] = Object.keys(setting.findResources('AWS::IAM::Role'));
    setting.hasResourceProperties('AWS::ApiGateway::Account', { CloudWatchRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } });
  });

  test('the role and setting follow the stage: destroyed with an ephemeral stage, retained in a durable one', () => {
    const app = testApp();
    const dev = stackIn(app, 'dev');
    const prod = stackIn(app, 'prod');
    api(dev);
    api(prod);
    const devSetting = Template.fromStack(settingStackOf(Stage.of(dev)!));
    devSetting.hasResource('AWS::IAM::Role', { DeletionPolicy: 'Delete', UpdateReplacePolicy: 'Delete' });
    devSetting.hasResource('AWS::ApiGateway::Account', { DeletionPolicy: 'Delete' });
    const prodSetting = Template.fromStack(settingStackOf(Stage.of(prod)!));
    prodSetting.hasResource('AWS::IAM::Role', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    prodSetting.hasResource('AWS::ApiGateway::Account', { DeletionPolicy: 'Retain' });
    // The stage's tags reach the role like any other resource (C01).
    prodSetting.hasResourceProperties('AWS::IAM::Role', { Tags: Match.arrayWith([{ Key: 'Environment', Value: 'prod' }]) });
  });

  test('a stack of the stage in another region gets that region\'s own setting', () => {
    const [ingest] = twoStacksIn(testApp(), 'prod');
    const stage = Stage.of(ingest)!;
    const elsewhere = new Stack(stage, 'Replica', { env: { account: '123456789012', region: 'us-east-1' } });
    api(ingest);
    api(elsewhere);
    expect(accountSettingsIn(stage)).toBe(2);
    const regional = stage.node.findChild('ApiGatewayAccount-123456789012-us-east-1') as Stack;
    expect(regional.region).toBe('us-east-1');
    expect(dependencyNames(elsewhere)).toEqual(['prod-ApiGatewayAccount-123456789012-us-east-1']);
    expect(dependencyNames(ingest)).toEqual(['prod-ApiGatewayAccount']);
  });

  test('outside a FintechStage: one setting per stack, retained, with one warning', () => {
    const stack = new Stack(new App(), 'Plain');
    api(stack, { stageName: 'v1', monitoring: { enabled: false } }, 'PaymentsApi');
    api(stack, { stageName: 'v1', monitoring: { enabled: false } }, 'RefundsApi');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::ApiGateway::Account', 1);
    template.hasResource('AWS::IAM::Role', { DeletionPolicy: 'Retain' });
    const setting = ApiGatewayAccountSetting.of(stack);
    expect(setting.ownedByStage).toBe(false);
    // In one template the dependency is a DependsOn of each API stage on the setting.
    const accountId = stack.resolve(setting.cfnAccount.logicalId);
    expect(Object.values(template.findResources('AWS::ApiGateway::Stage')).map(stage => stage.DependsOn)).toEqual([
      expect.arrayContaining([accountId]), expect.arrayContaining([accountId]),
    ]);
    const warnings = Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('not inside a FintechStage'));
    expect(warnings.map(w => w.id)).toEqual(['/Plain/ApiGatewayAccountSetting']);
  });
});

describe('ApiGatewayAccountSetting', () => {
  const PER_STACK_ACK = 'fintech:api-gateway-account-per-stack';

  test('of() gives one setting to every construct of a stage\'s stacks in its region, owned by the stage, without a warning', () => {
    const [ingest, settle] = twoStacksIn(testApp(), 'prod');
    const setting = ApiGatewayAccountSetting.of(ingest);
    expect(ApiGatewayAccountSetting.of(new Construct(ingest, 'Payments'))).toBe(setting);
    expect(ApiGatewayAccountSetting.of(settle)).toBe(setting);
    expect(setting.ownedByStage).toBe(true);
    expect(setting.node.path).toBe('prod/ApiGatewayAccount/ApiGatewayAccountSetting');
    expect(setting.node.metadata.filter(entry => entry.type === 'aws:cdk:warning')).toEqual([]);
  });

  test('its stack says what it holds, and asking for the setting alone ties no workload stack to it', () => {
    const stack = stackIn(testApp(), 'prod');
    const setting = ApiGatewayAccountSetting.of(stack);
    const home = Stack.of(setting);
    expect(home.templateOptions.description).toBe('API Gateway account setting (CloudWatch Logs role) of stage prod, shared by every API of the stage');
    expect(home.account).toBe('123456789012');
    expect(home.region).toBe('eu-west-1');
    const template = Template.fromStack(home);
    template.hasResourceProperties('AWS::IAM::Role', {
      Description: 'API Gateway writes access and execution logs of every API in this account and region with this role',
    });
    template.hasResourceProperties('AWS::ApiGateway::Account', { CloudWatchRoleArn: home.resolve(setting.role.roleArn) });
    expect(stack.dependencies).toEqual([]);
  });

  test('a stage without an account names the stack of another region by the region alone', () => {
    const stack = stackIn(testApp(), 'dev');
    const elsewhere = new Stack(Stage.of(stack)!, 'Replica', { env: { region: 'us-east-2' } });
    const setting = ApiGatewayAccountSetting.of(elsewhere);
    expect(setting.node.path).toBe('dev/ApiGatewayAccount-us-east-2/ApiGatewayAccountSetting');
    expect(Stack.of(setting).region).toBe('us-east-2');
    expect(ApiGatewayAccountSetting.of(stack)).not.toBe(setting);
  });

  test('outside a FintechStage each stack has its own, retained, and the warning says why and how to avoid it', () => {
    const app = new App();
    const first = new Stack(app, 'First');
    const second = new Stack(app, 'Second');
    const setting = ApiGatewayAccountSetting.of(first);
    expect(ApiGatewayAccountSetting.of(first)).toBe(setting);
    expect(ApiGatewayAccountSetting.of(second)).not.toBe(setting);
    expect(setting.node.path).toBe('First/ApiGatewayAccountSetting');
    expect(setting.node.metadata.filter(entry => entry.type === 'aws:cdk:warning')).toHaveLength(1);
    Template.fromStack(first).hasResource('AWS::ApiGateway::Account', { DeletionPolicy: 'Retain' });
    const [warning] = Annotations.fromStack(first).findWarning('/First/ApiGatewayAccountSetting', Match.anyValue());
    expect(warning.entry.data).toContain('First/ApiGatewayAccountSetting: this stack sets the account\'s API Gateway CloudWatch role itself');
    expect(warning.entry.data).toContain('Create the stack inside a FintechStage (one setting per stage and region), or pass cloudWatchRole: false');
    expect(warning.entry.data).toContain(PER_STACK_ACK);
  });

  test('the per-stack warning can be acknowledged on the stack, with a reason', () => {
    const stack = new Stack(new App(), 'Plain');
    ApiGatewayAccountSetting.of(stack);
    Validations.of(stack).acknowledge({ id: PER_STACK_ACK, reason: 'the only API stack of this account' });
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('not inside a FintechStage'))).toEqual([]);
  });
});
