import { App, CfnParameter, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { XRayTracing } from '../../../src/rules/tracing/xray-tracing';
import { findingsOf, lines, schemaFile, shop } from '../rule-harness';

const FUNCTION = XRayTracing.FUNCTION_WITHOUT_TRACING.id;
const STAGE = XRayTracing.API_STAGE_WITHOUT_TRACING.id;
const STATE_MACHINE = XRayTracing.STATE_MACHINE_WITHOUT_TRACING.id;
const GRAPHQL = XRayTracing.GRAPHQL_API_WITHOUT_TRACING.id;

function c11(app: App) {
  return findingsOf(app, [FUNCTION, STAGE, STATE_MACHINE, GRAPHQL]);
}

function fn(stack: Stack, id: string, tracing?: lambda.Tracing) {
  return new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    ...(tracing ? { tracing } : {}),
  });
}

function api(stack: Stack, id: string, deployOptions?: apigateway.StageOptions) {
  const rest = new apigateway.RestApi(stack, id, deployOptions ? { deployOptions } : {});
  rest.root.addMethod('GET', new apigateway.MockIntegration());
  return rest;
}

function stateMachine(stack: Stack, id: string, tracingEnabled?: boolean) {
  return new sfn.StateMachine(stack, id, {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, `${id}Pass`)),
    ...(tracingEnabled !== undefined ? { tracingEnabled } : {}),
  });
}

const L1_CODE = { zipFile: 'exports.handler = async () => ({})' };
const L1_FUNCTION = { code: L1_CODE, role: 'arn:aws:iam::123456789012:role/ledger', runtime: 'nodejs22.x', handler: 'index.handler' };
const DEFINITION = '{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}';

describe('XRayTracing', () => {
  describe('Fintech-C11-FunctionWithoutTracing', () => {
    test('fails L2 functions without active tracing and passes traced ones', () => {
      const { app, stack } = shop();
      fn(stack, 'Plain');
      fn(stack, 'PassThrough', lambda.Tracing.PASS_THROUGH);
      fn(stack, 'Traced', lambda.Tracing.ACTIVE);
      const findings = c11(app);
      expect(lines(findings)).toEqual([`${FUNCTION} Shop/PassThrough/Resource`, `${FUNCTION} Shop/Plain/Resource`]);
      expect(findings.find(f => f.constructPath === 'Shop/Plain/Resource')).toMatchObject({
        severity: 'error',
        locations: ['Properties/TracingConfig/Mode'],
        message: expect.stringMatching(/^AWS::Lambda::Function Plain[0-9A-F]{8} has no TracingConfig, so X-Ray does not trace it/),
        fix: expect.stringContaining('TracedFunction'),
      });
      expect(findings.find(f => f.constructPath === 'Shop/PassThrough/Resource')!.message).toContain('has TracingConfig.Mode "PassThrough"');
    });

    test('judges L1 functions and escape hatches', () => {
      const { app, stack } = shop();
      new lambda.CfnFunction(stack, 'Bare', L1_FUNCTION);
      new lambda.CfnFunction(stack, 'Active', { ...L1_FUNCTION, tracingConfig: { mode: 'Active' } });
      const overridden = fn(stack, 'Overridden', lambda.Tracing.ACTIVE);
      (overridden.node.defaultChild as lambda.CfnFunction).addPropertyOverride('TracingConfig.Mode', 'PassThrough');
      const repaired = fn(stack, 'Repaired');
      (repaired.node.defaultChild as lambda.CfnFunction).addPropertyOverride('TracingConfig', { Mode: 'Active' });
      expect(lines(c11(app))).toEqual([`${FUNCTION} Shop/Bare`, `${FUNCTION} Shop/Overridden/Resource`]);
    });
  });

  test('leaves Lambda@Edge functions alone (X-Ray cannot trace them), an EdgeFunction or a raw function whose role trusts edgelambda', () => {
    const app = new App();
    const stack = new Stack(app, 'Edge', { env: { account: '123456789012', region: 'us-east-1' } });
    new cloudfront.experimental.EdgeFunction(stack, 'CheckToken', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    const edgeRole = new iam.CfnRole(stack, 'EdgeRole', {
      assumeRolePolicyDocument: {
        Statement: [
          { Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'edgelambda.amazonaws.com'] }, Action: 'sts:AssumeRole' },
        ],
      },
    });
    new lambda.CfnFunction(stack, 'RawEdge', { ...L1_FUNCTION, role: edgeRole.attrArn });
    fn(stack, 'Regional');
    expect(lines(c11(app))).toEqual([`${FUNCTION} Edge/Regional/Resource`]);
  });

  describe('Fintech-C11-ApiStageWithoutTracing', () => {
    test('fails the stage a RestApi creates without deployOptions.tracingEnabled and passes a traced one', () => {
      const { app, stack } = shop();
      api(stack, 'Plain');
      api(stack, 'Off', { tracingEnabled: false });
      api(stack, 'Traced', { tracingEnabled: true });
      const findings = c11(app);
      expect(lines(findings)).toEqual([`${STAGE} Shop/Off/DeploymentStage.prod/Resource`, `${STAGE} Shop/Plain/DeploymentStage.prod/Resource`]);
      expect(findings.find(f => f.constructPath.startsWith('Shop/Plain'))).toMatchObject({
        locations: ['Properties/TracingEnabled'],
        message: expect.stringMatching(/^AWS::ApiGateway::Stage PlainDeploymentStageprod[0-9A-F]{8} has TracingEnabled unset/),
        fix: expect.stringContaining('ProtectedRestApi'),
      });
      expect(findings.find(f => f.constructPath.startsWith('Shop/Off'))!.message).toContain('has TracingEnabled false');
    });

    test('judges L1 stages, deployments that create their stage, and escape hatches', () => {
      const { app, stack } = shop();
      const rest = new apigateway.CfnRestApi(stack, 'Rest', { name: 'ledger' });
      new apigateway.CfnStage(stack, 'Stage', { restApiId: rest.ref, stageName: 'dev', deploymentId: 'abc' });
      new apigateway.CfnStage(stack, 'TracedStage', { restApiId: rest.ref, stageName: 'test', deploymentId: 'abc', tracingEnabled: true });
      new apigateway.CfnDeployment(stack, 'Creates', { restApiId: rest.ref, stageName: 'qa' });
      new apigateway.CfnDeployment(stack, 'CreatesTraced', { restApiId: rest.ref, stageName: 'uat', stageDescription: { tracingEnabled: true } });
      new apigateway.CfnDeployment(stack, 'DeploysOnly', { restApiId: rest.ref });
      const traced = api(stack, 'Traced', { tracingEnabled: true });
      (traced.deploymentStage.node.defaultChild as apigateway.CfnStage).addPropertyOverride('TracingEnabled', 'false');
      expect(lines(c11(app))).toEqual([`${STAGE} Shop/Creates`, `${STAGE} Shop/Stage`, `${STAGE} Shop/Traced/DeploymentStage.prod/Resource`]);
    });
  });

  describe('Fintech-C11-StateMachineWithoutTracing', () => {
    test('fails L2 state machines without tracingEnabled and passes traced ones', () => {
      const { app, stack } = shop();
      stateMachine(stack, 'Plain');
      stateMachine(stack, 'Traced', true);
      const findings = c11(app);
      expect(lines(findings)).toEqual([`${STATE_MACHINE} Shop/Plain/Resource`]);
      expect(findings[0]).toMatchObject({
        locations: ['Properties/TracingConfiguration/Enabled'],
        message: expect.stringMatching(/^AWS::StepFunctions::StateMachine Plain[0-9A-F]{8} has no TracingConfiguration/),
        fix: expect.stringContaining('tracingEnabled: true'),
      });
    });

    test('judges L1 state machines and escape hatches', () => {
      const { app, stack } = shop();
      const role = 'arn:aws:iam::123456789012:role/flow';
      new sfn.CfnStateMachine(stack, 'Bare', { roleArn: role, definitionString: DEFINITION });
      new sfn.CfnStateMachine(stack, 'Empty', { roleArn: role, definitionString: DEFINITION, tracingConfiguration: {} });
      new sfn.CfnStateMachine(stack, 'Traced', { roleArn: role, definitionString: DEFINITION, tracingConfiguration: { enabled: true } });
      const overridden = stateMachine(stack, 'Overridden', true);
      (overridden.node.defaultChild as sfn.CfnStateMachine).addPropertyOverride('TracingConfiguration.Enabled', false);
      expect(lines(c11(app))).toEqual([`${STATE_MACHINE} Shop/Bare`, `${STATE_MACHINE} Shop/Empty`, `${STATE_MACHINE} Shop/Overridden/Resource`]);
    });
  });

  describe('Fintech-C11-GraphqlApiWithoutTracing', () => {
    test('fails a GraphqlApi without xrayEnabled, L1 and merged APIs too, and passes a traced one', () => {
      const { app, stack } = shop();
      new appsync.GraphqlApi(stack, 'Plain', { name: 'plain', definition: appsync.Definition.fromFile(schemaFile()) });
      new appsync.GraphqlApi(stack, 'Traced', { name: 'traced', definition: appsync.Definition.fromFile(schemaFile()), xrayEnabled: true });
      new appsync.CfnGraphQLApi(stack, 'Merged', { name: 'merged', authenticationType: 'AWS_IAM', apiType: 'MERGED', mergedApiExecutionRoleArn: 'arn:aws:iam::123456789012:role/merge', xrayEnabled: false });
      // An Events API (WebSocket pub/sub) cannot trace.
      new appsync.EventApi(stack, 'Quotes', { apiName: 'quotes' });
      const findings = c11(app);
      expect(lines(findings)).toEqual([`${GRAPHQL} Shop/Merged`, `${GRAPHQL} Shop/Plain/Resource`]);
      expect(findings.find(f => f.logicalId === 'Merged')).toMatchObject({
        locations: ['Properties/XrayEnabled'],
        message: 'AWS::AppSync::GraphQLApi Merged has XrayEnabled false, so X-Ray does not trace it and requests through it leave gaps in their traces.',
        fix: expect.stringContaining('xrayEnabled: true'),
      });
    });
  });

  test('does not judge functions that only back custom resources (CDK providers run at deploy time), but judges a function next to them', () => {
    const { app, stack } = shop();
    new s3.Bucket(stack, 'Scratch', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    new lambda.Function(stack, 'Worker', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => 1') });
    expect(lines(findingsOf(app, [XRayTracing.FUNCTION_WITHOUT_TRACING.id]))).toEqual(['Fintech-C11-FunctionWithoutTracing Shop/Worker/Resource']);
  });

  test('treats intrinsic switches and properties as unknown', () => {
    const { app, stack } = shop();
    const mode = new CfnParameter(stack, 'TracingMode');
    new lambda.CfnFunction(stack, 'Mode', { ...L1_FUNCTION, tracingConfig: { mode: mode.valueAsString } });
    new lambda.CfnFunction(stack, 'Config', L1_FUNCTION).addPropertyOverride('TracingConfig', { 'Fn::If': ['Tracing', { Mode: 'Active' }, { Ref: 'AWS::NoValue' }] });
    const rest = new apigateway.CfnRestApi(stack, 'Rest', { name: 'ledger' });
    new apigateway.CfnStage(stack, 'Stage', { restApiId: rest.ref, deploymentId: 'abc' }).addPropertyOverride('TracingEnabled', { 'Fn::If': ['Tracing', true, false] });
    new apigateway.CfnDeployment(stack, 'Creates', { restApiId: rest.ref, stageName: 'qa' }).addPropertyOverride('StageDescription', { 'Fn::If': ['Tracing', {}, {}] });
    new sfn.CfnStateMachine(stack, 'Flow', { roleArn: 'arn:aws:iam::123456789012:role/flow', definitionString: DEFINITION }).addOverride('Properties', { 'Fn::If': ['Tracing', {}, {}] });
    expect(c11(app)).toEqual([]);
  });

  test('does not crash on odd but valid shapes', () => {
    const { app, stack } = shop();
    new lambda.CfnFunction(stack, 'Number', L1_FUNCTION).addPropertyOverride('TracingConfig.Mode', 7);
    new lambda.CfnFunction(stack, 'List', L1_FUNCTION).addPropertyOverride('TracingConfig', ['Active']);
    new sfn.CfnStateMachine(stack, 'Flow', { roleArn: 'arn:aws:iam::123456789012:role/flow', definitionString: DEFINITION, tracingConfiguration: { enabled: true } })
      .addPropertyOverride('TracingConfiguration.Enabled', 'TRUE');
    expect(c11(app)).toEqual([]);
  });
});
