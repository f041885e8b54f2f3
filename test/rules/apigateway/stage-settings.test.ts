import { App, Fn, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as logs from 'aws-cdk-lib/aws-logs';
import { StageSettings } from '../../../src/rules/apigateway/stage-settings';
import { stackIn } from '../../support/fintech-fixture';
import { findingsOf, lines, shop } from '../rule-harness';

const THROTTLING = StageSettings.WITHOUT_THROTTLING.id;
const LOGS = StageSettings.WITHOUT_ACCESS_LOGS.id;
const NAME = StageSettings.STAGE_NAME_HARD_CODED.id;

function c19(app: App) {
  return findingsOf(app, [THROTTLING, LOGS, NAME]);
}

function api(stack: Stack, id: string, deployOptions: apigw.StageOptions) {
  const rest = new apigw.RestApi(stack, id, { deployOptions, cloudWatchRole: false });
  rest.root.addMethod('GET');
  return rest;
}

function protectedOptions(stack: Stack, stageName = 'dev'): apigw.StageOptions {
  return {
    stageName,
    throttlingRateLimit: 50,
    throttlingBurstLimit: 100,
    accessLogDestination: new apigw.LogGroupLogDestination(new logs.LogGroup(stack, `${stageName}Logs`)),
  };
}

function cfnStage(stack: Stack, id: string, props: Partial<apigw.CfnStageProps> = {}) {
  return new apigw.CfnStage(stack, id, {
    restApiId: 'a1b2c3d4e5',
    stageName: 'dev',
    methodSettings: [{ resourcePath: '/*', httpMethod: '*', throttlingRateLimit: 50, throttlingBurstLimit: 100 }],
    accessLogSetting: { destinationArn: 'arn:aws:logs:eu-west-1:123456789012:log-group:api', format: '$context.requestId' },
    ...props,
  });
}

describe('C19 API Gateway stage settings', () => {
  test('fails an L2 RestApi stage without throttling and access logs, and passes a configured one', () => {
    const { app, stack } = shop();
    api(stack, 'Bare', { stageName: 'dev' });
    api(stack, 'Configured', protectedOptions(stack));
    const findings = c19(app);
    expect(lines(findings)).toEqual([`${LOGS} Shop/Bare/DeploymentStage.dev/Resource`, `${THROTTLING} Shop/Bare/DeploymentStage.dev/Resource`]);
    expect(findings.find(f => f.ruleId === THROTTLING)).toMatchObject({
      severity: 'error',
      locations: ['Properties/MethodSettings'],
      message: expect.stringMatching(/^AWS::ApiGateway::Stage BareDeploymentStagedev[0-9A-F]{8} has no MethodSettings entry for ResourcePath "\/\*" and HttpMethod "\*"/),
    });
    expect(findings.find(f => f.ruleId === LOGS)!.message).toContain('has no AccessLogSetting DestinationArn');
  });

  test('requires both limits on the default method settings: per-method throttling alone does not count', () => {
    const { app, stack } = shop();
    cfnStage(stack, 'RateOnly', { methodSettings: [{ resourcePath: '/*', httpMethod: '*', throttlingRateLimit: 50 }] });
    cfnStage(stack, 'OneMethod', { methodSettings: [{ resourcePath: '/~1payments', httpMethod: 'POST', throttlingRateLimit: 50, throttlingBurstLimit: 100 }] });
    cfnStage(stack, 'NoDestination', { accessLogSetting: { format: '$context.requestId' } });
    cfnStage(stack, 'Good');
    expect(lines(c19(app))).toEqual([`${LOGS} Shop/NoDestination`, `${THROTTLING} Shop/OneMethod`, `${THROTTLING} Shop/RateOnly`]);
  });

  test('fails a stage named prod or production inside a stage of another name, on stages and deployments', () => {
    const app = new App({ context: { '@aws-cdk/core:failSynthOnValidationErrors': false, 'aws:cdk:bundling-stacks': [] } });
    const dev = stackIn(app, 'dev');
    api(dev, 'Default', { ...protectedOptions(dev, 'prod') });
    cfnStage(dev, 'Production', { stageName: 'Production' });
    new apigw.CfnDeployment(dev, 'Implicit', { restApiId: 'a1b2c3d4e5', stageName: 'prod' });
    const prod = stackIn(app, 'prod');
    api(prod, 'Live', protectedOptions(prod, 'prod'));
    const findings = c19(app).filter(f => f.ruleId === NAME);
    expect(lines(findings)).toEqual([`${NAME} dev/Workload/Default/DeploymentStage.prod/Resource`, `${NAME} dev/Workload/Implicit`, `${NAME} dev/Workload/Production`]);
    expect(findings.find(f => f.constructPath === 'dev/Workload/Production')).toMatchObject({
      locations: ['Properties/StageName'], message: 'AWS::ApiGateway::Stage Production has StageName "Production" but is deployed in stage "dev".',
    });
  });

  test('does not judge stage names of stacks outside any stage', () => {
    const { app, stack } = shop();
    api(stack, 'Default', protectedOptions(stack, 'prod'));
    expect(c19(app)).toEqual([]);
  });

  test('catches escape hatches that drop throttling or logs', () => {
    const { app, stack } = shop();
    const rest = api(stack, 'Api', protectedOptions(stack));
    const stage = rest.deploymentStage.node.defaultChild as apigw.CfnStage;
    stage.addPropertyDeletionOverride('MethodSettings');
    stage.addPropertyDeletionOverride('AccessLogSetting');
    expect(lines(c19(app))).toEqual([`${LOGS} Shop/Api/DeploymentStage.dev/Resource`, `${THROTTLING} Shop/Api/DeploymentStage.dev/Resource`]);
  });

  test('treats intrinsic settings as unknown and does not crash on odd shapes', () => {
    const { app, stack } = shop();
    cfnStage(stack, 'IfSettings').addPropertyOverride('MethodSettings', { 'Fn::If': ['C', [], []] });
    cfnStage(stack, 'IfSetting').addPropertyOverride('MethodSettings', [{ 'Fn::If': ['C', {}, {}] }]);
    cfnStage(stack, 'IfPath').addPropertyOverride('MethodSettings.0.ResourcePath', { Ref: 'Path' });
    cfnStage(stack, 'IfLogs').addPropertyOverride('AccessLogSetting', { 'Fn::If': ['C', {}, {}] });
    cfnStage(stack, 'ImportedName', { stageName: Fn.importValue('StageName') });
    cfnStage(stack, 'OddSettings').addPropertyOverride('MethodSettings', 'all');
    cfnStage(stack, 'OddSetting').addPropertyOverride('MethodSettings', [42, { ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 1, ThrottlingBurstLimit: 1 }]);
    expect(c19(app)).toEqual([]);
  });
});
