import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, CfnElement, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { ApiGatewayAccountSetting, ProtectedRestApi } from '../src';
import { integStage } from './integ-stage';

// A deployed ProtectedRestApi answers through its stage, has the web ACL on that stage, and the stage traces and throttles.
const app = new App();
const stage = integStage(app, 'apis', 'platform-alerts@example.com');
const stack = new Stack(stage, 'ProtectedRestApi');
const api = new ProtectedRestApi(stack, 'PaymentsApi', { rateLimit: 20, burstLimit: 40 });
api.root.addResource('ping').addMethod('GET', new apigateway.MockIntegration({
  requestTemplates: { 'application/json': '{"statusCode": 200}' },
  integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"status":"ok"}' } }],
}), { methodResponses: [{ statusCode: '200' }] });

// The stage's one API Gateway account setting (the CloudWatch role access logs need) lives in a stack of its own, deployed
// first; listing it makes the runner destroy it too (the integ stage is ephemeral, so its role goes with it).
const accountStack = Stack.of(ApiGatewayAccountSetting.of(stack));
const integ = new IntegTest(app, 'ProtectedRestApiInteg', { testCases: [accountStack, stack], regions: [stage.environment.region] });
const region = stage.environment.region;

// The API id is a token of the stage's stack; the assertions find it by stack name and logical id, both plain strings.
const restApiLogicalId = stack.resolve((api.node.defaultChild as CfnElement).logicalId) as string;
const restApiId = integ.assertions
  .awsApiCall('CloudFormation', 'describeStackResource', { StackName: stack.stackName, LogicalResourceId: restApiLogicalId })
  .getAttString('StackResourceDetail.PhysicalResourceId');

integ.assertions
  .httpApiCall(`https://${restApiId}.execute-api.${region}.amazonaws.com/${api.stageName}/ping`)
  .expect(ExpectedResult.objectLike({ status: 200, body: { status: 'ok' } }))
  // A new API's hostname can take a few seconds to resolve.
  .waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(15) });

integ.assertions
  .awsApiCall('WAFV2', 'getWebACLForResource', { ResourceArn: `arn:aws:apigateway:${region}::/restapis/${restApiId}/stages/${api.stageName}` })
  .expect(ExpectedResult.objectLike({
    WebACL: Match.objectLike({
      Name: api.webAclName!,
      Rules: Match.arrayWith([Match.objectLike({ Name: 'RateLimitPerIp', Statement: { RateBasedStatement: Match.objectLike({ Limit: api.rateLimitPerWindow, AggregateKeyType: 'IP' }) } })]),
    }),
  }));

const getStage = integ.assertions.awsApiCall('APIGateway', 'getStage', { restApiId, stageName: api.stageName });
// API Gateway authorizes reads as apigateway:GET on the resource path, not as an action named after the SDK call.
getStage.provider.addToRolePolicy({ Effect: 'Allow', Action: ['apigateway:GET'], Resource: [`arn:aws:apigateway:${region}::/restapis/*`] });
getStage
  .expect(ExpectedResult.objectLike({
    stageName: 'integ',
    tracingEnabled: true,
    webAclArn: Match.stringLikeRegexp(`webacl/${api.webAclName}/`),
    accessLogSettings: Match.objectLike({ format: Match.stringLikeRegexp('wafResponseCode') }),
    methodSettings: { '*/*': Match.objectLike({ metricsEnabled: true, throttlingRateLimit: 20, throttlingBurstLimit: 40 }) },
  }));

app.synth();
