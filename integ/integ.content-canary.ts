import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { ContentCanary, ProtectedRestApi } from '../src';
import { integStage } from './integ-stage';

// A ContentCanary pointed at an API of the test itself (a mock integration answering {"status":"ok"}) passes its runs.
const app = new App();
const stage = integStage(app, 'canaries', 'oncall@example.com');
const stack = new Stack(stage, 'ContentCanary');
const api = new ProtectedRestApi(stack, 'HealthApi');
api.root.addResource('health').addMethod('GET', new apigateway.MockIntegration({
  requestTemplates: { 'application/json': '{"statusCode": 200}' },
  integrationResponses: [{ statusCode: '200', responseTemplates: { 'application/json': '{"status":"ok","checks":{"database":"up"}}' } }],
}), { methodResponses: [{ statusCode: '200' }] });

const canary = new ContentCanary(stack, 'Health', {
  url: api.urlForPath('/health'),
  expectedText: '"database":"up"',
  expectedJsonPath: '$.status',
  expectedJsonValue: 'ok',
  schedule: Duration.minutes(1),
});

const integ = new IntegTest(app, 'ContentCanaryInteg', { testCases: [stack], regions: [stage.environment.region] });

// The canary name is a literal string: a token would be a reference across the stage boundary.
integ.assertions
  .awsApiCall('Synthetics', 'describeCanariesLastRun', { Names: [canary.canaryName] })
  .expect(ExpectedResult.objectLike({
    CanariesLastRun: [Match.objectLike({ CanaryName: canary.canaryName, LastRun: Match.objectLike({ Status: Match.objectLike({ State: 'PASSED' }) }) })],
  }))
  // The first run starts about a minute after creation, once its function is ready.
  .waitForAssertions({ totalTimeout: Duration.minutes(10), interval: Duration.seconds(30) });

app.synth();
