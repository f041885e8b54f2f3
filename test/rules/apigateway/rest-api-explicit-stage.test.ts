import { App, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import { RestApiExplicitStage } from '../../../src/rules/apigateway/rest-api-explicit-stage';
import { findingsOf, lines, shop } from '../rule-harness';

const C19 = RestApiExplicitStage.INFO.id;

function c19(app: App) {
  return findingsOf(app, [C19]);
}

describe('Fintech-C19-RestApiWithoutExplicitStage', () => {
  test('passes an L2 RestApi (it creates a Stage) and one without deployment, fails one deployed only through a Deployment stage name', () => {
    const { app, stack } = shop();
    new apigw.RestApi(stack, 'Staged').root.addMethod('GET');
    new apigw.RestApi(stack, 'Undeployed', { deploy: false }).root.addMethod('GET');
    const implicit = new apigw.RestApi(stack, 'Implicit', { deploy: false });
    implicit.root.addMethod('GET');
    const deployment = new apigw.Deployment(stack, 'Deployment', { api: implicit });
    (deployment.node.defaultChild as apigw.CfnDeployment).addPropertyOverride('StageName', 'dev');
    const findings = c19(app);
    expect(lines(findings)).toEqual([`${C19} Shop/Implicit/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/^AWS::ApiGateway::RestApi Implicit[0-9A-F]{8} has no AWS::ApiGateway::Stage in any stack of the app; it is served only by the stage AWS::ApiGateway::Deployment Deployment[0-9A-F]{8}/),
    });
  });

  test('judges L1 APIs, with stages referenced by Ref or Fn::GetAtt', () => {
    const { app, stack } = shop();
    const implicit = new apigw.CfnRestApi(stack, 'ImplicitApi', { name: 'implicit' });
    new apigw.CfnDeployment(stack, 'ImplicitDeployment', { restApiId: implicit.ref, stageName: 'dev' });
    const explicit = new apigw.CfnRestApi(stack, 'ExplicitApi', { name: 'explicit' });
    const deployment = new apigw.CfnDeployment(stack, 'ExplicitDeployment', { restApiId: explicit.ref, stageName: 'dev' });
    new apigw.CfnStage(stack, 'ExplicitStage', { restApiId: explicit.getAtt('RestApiId').toString(), deploymentId: deployment.ref, stageName: 'live' });
    expect(lines(c19(app))).toEqual([`${C19} Shop/ImplicitApi`]);
  });

  test('follows stages and deployments into other stacks: an export, a nested stack\'s parameter', () => {
    const { app, stack } = shop();
    const api = (id: string) => {
      const restApi = new apigw.CfnRestApi(stack, id, { name: id });
      new apigw.CfnDeployment(stack, `${id}Deployment`, { restApiId: restApi.ref, stageName: 'dev' });
      return restApi;
    };
    const other = new Stack(app, 'Edge');
    new apigw.CfnStage(other, 'ExportedStage', { restApiId: api('StagedByOtherStack').ref, deploymentId: 'abc123', stageName: 'live' });
    new apigw.CfnStage(new NestedStack(stack, 'Stages'), 'NestedStage', { restApiId: api('StagedByNestedStack').ref, deploymentId: 'abc123', stageName: 'live' });
    api('Unstaged');
    // An API of one stack that only another stack's deployment serves, through the stage its StageName creates.
    const remote = new apigw.CfnRestApi(stack, 'DeployedElsewhere', { name: 'remote' });
    new apigw.CfnDeployment(other, 'RemoteDeployment', { restApiId: remote.ref, stageName: 'dev' });
    const findings = c19(app);
    expect(lines(findings)).toEqual([`${C19} Shop/DeployedElsewhere`, `${C19} Shop/Unstaged`]);
    expect(findings.find(f => f.logicalId === 'DeployedElsewhere')!.message).toBe('AWS::ApiGateway::RestApi DeployedElsewhere has no AWS::ApiGateway::Stage ' +
      'in any stack of the app; it is served only by the stage AWS::ApiGateway::Deployment RemoteDeployment of Edge creates from its StageName.');
  });

  test('treats a stage of an API it cannot resolve as unknown', () => {
    const { app, stack } = shop();
    const implicit = new apigw.CfnRestApi(stack, 'ImplicitApi', { name: 'implicit' });
    new apigw.CfnDeployment(stack, 'ImplicitDeployment', { restApiId: implicit.ref, stageName: 'dev' });
    new apigw.CfnStage(stack, 'Stage', { restApiId: Fn.importValue('ApiId'), deploymentId: 'abc' });
    expect(c19(app)).toEqual([]);
  });

  test('does not crash on odd shapes', () => {
    const { app, stack } = shop();
    const api = new apigw.CfnRestApi(stack, 'Api', { name: 'api' });
    api.addPropertyOverride('Name', { 'Fn::If': ['C', 'a', 'b'] });
    new apigw.CfnDeployment(stack, 'NoApi', { restApiId: 'a1b2c3d4e5', stageName: 'dev' });
    const odd = new apigw.CfnDeployment(stack, 'Odd', { restApiId: api.ref });
    odd.addOverride('Properties', { 'Fn::If': ['C', {}, {}] });
    expect(c19(app)).toEqual([]);
  });
});
