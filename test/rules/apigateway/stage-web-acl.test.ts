import { App, CfnParameter, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { StageWebAcl } from '../../../src/rules/apigateway/stage-web-acl';
import { findingsOf, lines, schemaFile, shop } from '../rule-harness';

const C19 = StageWebAcl.INFO.id;

function c19(app: App) {
  return findingsOf(app, [C19]);
}

function api(stack: Construct, id: string, stageName = 'dev') {
  const rest = new apigw.RestApi(stack, id, { deployOptions: { stageName } });
  rest.root.addMethod('GET');
  return rest;
}

function webAcl(stack: Construct, id = 'Acl') {
  return new wafv2.CfnWebACL(stack, id, {
    defaultAction: { allow: {} },
    scope: 'REGIONAL',
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: id, sampledRequestsEnabled: true },
  });
}

function associate(stack: Construct, id: string, resourceArn: string) {
  return new wafv2.CfnWebACLAssociation(stack, id, { resourceArn, webAclArn: webAcl(stack, `${id}Acl`).attrArn });
}

describe('Fintech-C19-StageWithoutWebAcl', () => {
  test('fails an L2 RestApi stage without a web ACL and passes one associated by stageArn', () => {
    const { app, stack } = shop();
    api(stack, 'Open');
    const guarded = api(stack, 'Guarded');
    associate(stack, 'Waf', guarded.deploymentStage.stageArn);
    const findings = c19(app);
    expect(lines(findings)).toEqual([`${C19} Shop/Open/DeploymentStage.dev/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/^AWS::ApiGateway::Stage OpenDeploymentStagedev[0-9A-F]{8} of AWS::ApiGateway::RestApi Open[0-9A-F]{8} is not associated with a WAFv2 web ACL/),
      fix: expect.stringContaining('ProtectedRestApi'),
    });
  });

  test('matches L1 associations by literal stage name, Fn::Sub and Fn::Join with any delimiter', () => {
    const { app, stack } = shop();
    const byName = new apigw.CfnRestApi(stack, 'ByName', { name: 'by-name' });
    new apigw.CfnStage(stack, 'ByNameStage', { restApiId: byName.ref, stageName: 'live', deploymentId: 'abc' });
    associate(stack, 'NameWaf', Fn.join('', ['arn:', stack.partition, ':apigateway:', stack.region, '::/restapis/', byName.ref, '/stages/live']));
    const bySub = new apigw.CfnRestApi(stack, 'BySub', { name: 'by-sub' });
    new apigw.CfnStage(stack, 'BySubStage', { restApiId: bySub.ref, stageName: 'live', deploymentId: 'abc' });
    associate(stack, 'SubWaf', Fn.sub('arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${BySub}/stages/live'));
    const byDelimiter = new apigw.CfnRestApi(stack, 'ByDelimiter', { name: 'by-delimiter' });
    const delimited = new apigw.CfnStage(stack, 'ByDelimiterStage', { restApiId: byDelimiter.ref, stageName: 'live', deploymentId: 'abc' });
    associate(stack, 'DelimiterWaf', Fn.join('/', [Fn.join(':', ['arn', stack.partition, 'apigateway', stack.region, '']), 'restapis', byDelimiter.ref, 'stages', delimited.ref]));
    const other = new apigw.CfnRestApi(stack, 'Other', { name: 'other' });
    new apigw.CfnStage(stack, 'OtherStage', { restApiId: other.ref, stageName: 'other', deploymentId: 'abc' });
    // Same stage name, other API: does not count for Other.
    associate(stack, 'WrongApi', Fn.join('', ['arn:aws:apigateway:eu-west-1::/restapis/', byName.ref, '/stages/other']));
    expect(lines(c19(app))).toEqual([`${C19} Shop/OtherStage`]);
  });

  test('ignores associations of other services and of APIs outside the template', () => {
    const { app, stack } = shop();
    api(stack, 'Open');
    associate(stack, 'Alb', 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/shop/50dc6c495c0c9188');
    associate(stack, 'External', 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/dev');
    associate(stack, 'AlbByRef', new elbv2.CfnLoadBalancer(stack, 'Lb', { type: 'application' }).ref);
    expect(lines(c19(app))).toEqual([`${C19} Shop/Open/DeploymentStage.dev/Resource`]);
  });

  test('catches an escape hatch that points the association elsewhere', () => {
    const { app, stack } = shop();
    const rest = api(stack, 'Api');
    const waf = associate(stack, 'Waf', rest.deploymentStage.stageArn);
    waf.addPropertyOverride('ResourceArn', 'arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/stages/dev');
    expect(lines(c19(app))).toEqual([`${C19} Shop/Api/DeploymentStage.dev/Resource`]);
  });

  test('treats associations it cannot read as unknown and reports nothing', () => {
    for (const arn of [
      (stack: Stack) => new CfnParameter(stack, 'StageArn').valueAsString,
      (stack: Stack) => Fn.join('', ['arn:aws:apigateway:eu-west-1::/restapis/', new CfnParameter(stack, 'ApiId').valueAsString, '/stages/dev']),
      (_stack: Stack) => Fn.sub('arn:aws:apigateway:eu-west-1::/restapis/${Api.RootResourceId}/stages/dev'),
    ]) {
      const { app, stack } = shop();
      api(stack, 'Open');
      associate(stack, 'Waf', arn(stack));
      expect(c19(app)).toEqual([]);
    }
  });

  test('does not crash on odd association shapes', () => {
    const { app, stack } = shop();
    api(stack, 'Open');
    const odd = associate(stack, 'Odd', 'x');
    odd.addPropertyOverride('ResourceArn', { 'Fn::Join': ['', 'not-a-list'] });
    const { app: app2, stack: stack2 } = shop();
    const rest = new apigw.CfnRestApi(stack2, 'Api', { name: 'api' });
    new apigw.CfnStage(stack2, 'Stage', { restApiId: rest.ref, deploymentId: 'abc' });
    associate(stack2, 'Waf', Fn.join('', ['arn:aws:apigateway:eu-west-1::/restapis/', rest.ref, '/stages/']));
    expect(c19(app)).toEqual([]);
    expect(lines(c19(app2))).toEqual([`${C19} Shop/Stage`]);
  });

  test('finds the association a security stack, a nested stack or a parent stack makes for another stack\'s API', () => {
    const build = (place: (app: App, stack: Stack) => void) => {
      const { app, stack } = shop();
      place(app, stack);
      return lines(c19(app));
    };
    expect(build((app, stack) => associate(new Stack(app, 'Edge'), 'Waf', api(stack, 'Payments').deploymentStage.stageArn))).toEqual([]);
    expect(build((_app, stack) => associate(new NestedStack(stack, 'Edge'), 'Waf', api(stack, 'Payments').deploymentStage.stageArn))).toEqual([]);
    expect(build((_app, stack) => associate(stack, 'Waf', api(new NestedStack(stack, 'Payments'), 'Payments').deploymentStage.stageArn))).toEqual([]);
    // Through the API's id and a literal stage name, as a hand-written Fn::Sub does.
    expect(build((app, stack) => {
      const payments = api(stack, 'Payments', 'live');
      associate(new Stack(app, 'Edge'), 'Waf', Fn.sub('arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Id}/stages/live', { Id: payments.restApiId }));
    })).toEqual([]);
    // The security stack associates another API: this one is still reported.
    expect(build((app, stack) => {
      api(stack, 'Payments');
      associate(new Stack(app, 'Edge'), 'Waf', api(new Stack(app, 'Other'), 'Other').deploymentStage.stageArn);
    })).toEqual([`${C19} Shop/Payments/DeploymentStage.dev/Resource`]);
  });

  test('reports a stage when the only association imports a value no stack of the app exports: an API outside the app', () => {
    const { app, stack } = shop();
    api(stack, 'Open');
    associate(stack, 'Waf', Fn.importValue('ApiStageArn'));
    expect(lines(c19(app))).toEqual([`${C19} Shop/Open/DeploymentStage.dev/Resource`]);
  });
});

describe('Fintech-C19-GraphqlApiWithoutWebAcl', () => {
  const GRAPHQL = StageWebAcl.GRAPHQL_API.id;
  const graphql = (scope: Construct, id: string, props: Partial<appsync.CfnGraphQLApiProps> = {}) =>
    new appsync.CfnGraphQLApi(scope, id, { name: id, authenticationType: 'AMAZON_COGNITO_USER_POOLS', ...props });
  const c19Graphql = (app: App) => findingsOf(app, [GRAPHQL, C19]);

  test('fails a public GraphQL API without a web ACL, passes one associated by its ARN or id, and leaves private APIs alone', () => {
    const { app, stack } = shop();
    graphql(stack, 'Open');
    associate(stack, 'ByArn', graphql(stack, 'Guarded').attrArn);
    associate(stack, 'ById', Fn.sub('arn:${AWS::Partition}:appsync:${AWS::Region}:${AWS::AccountId}:apis/${Id}', { Id: graphql(stack, 'BySub').attrApiId }));
    graphql(stack, 'Private', { visibility: 'PRIVATE' });
    // A stage association does not cover an API, nor an API association a stage: only the REST stage is reported besides Open.
    associate(stack, 'Elsewhere', 'arn:aws:appsync:eu-west-1:123456789012:apis/abcdefghijklmnopqrstuvwxyz');
    const findings = c19Graphql(app);
    expect(lines(findings)).toEqual([`${GRAPHQL} Shop/Open`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      message: 'AWS::AppSync::GraphQLApi Open is not associated with a WAFv2 web ACL (no AWS::WAFv2::WebACLAssociation names it), so queries reach its resolvers unfiltered and unlimited per client.',
      fix: expect.stringContaining('api.arn'),
    });
    expect(StageWebAcl.GRAPHQL_API.acknowledgeableInDurableStages).toBe(true);
  });

  test('finds the association of an L2 GraphqlApi made by a security stack', () => {
    const { app, stack } = shop();
    const banking = new appsync.GraphqlApi(stack, 'Banking', { name: 'banking', definition: appsync.Definition.fromFile(schemaFile()) });
    associate(new Stack(app, 'Edge'), 'Waf', banking.arn);
    expect(c19Graphql(app)).toEqual([]);
  });

  test('treats associations that may name any GraphQL API as unknown, and does not mix them up with stages', () => {
    for (const arn of [
      (stack: Stack) => new CfnParameter(stack, 'ApiArn').valueAsString,
      (stack: Stack) => Fn.sub('arn:aws:appsync:eu-west-1:123456789012:apis/${Id}', { Id: new CfnParameter(stack, 'ApiId').valueAsString }),
    ]) {
      const { app, stack } = shop();
      graphql(stack, 'Open');
      associate(stack, 'Waf', arn(stack));
      expect(findingsOf(app, [GRAPHQL])).toEqual([]);
    }
    // A stage ARN built from a parameter may name any stage, not any GraphQL API.
    const { app, stack } = shop();
    graphql(stack, 'Open');
    associate(stack, 'Waf', Fn.join('', ['arn:aws:apigateway:eu-west-1::/restapis/', new CfnParameter(stack, 'RestApiId').valueAsString, '/stages/dev']));
    expect(lines(findingsOf(app, [GRAPHQL]))).toEqual([`${GRAPHQL} Shop/Open`]);
  });
});
