import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CLOUDFRONT_HOME_REGION, EdgeStack } from '../../src/api/edge-stack';
import { WebAclScope } from '../../src/network/fintech-web-acl';
import { FintechStage } from '../../src/stage/fintech-stage';
import { CONFIG, testApp } from '../support/fintech-fixture';

function prod() {
  const app = testApp();
  const stage = new FintechStage(app, 'prod', { config: CONFIG, environment: CONFIG.environments[1] });
  return { app, stage };
}

test('one edge stack per FintechStage and account, in us-east-1, named after the stage', () => {
  const { stage } = prod();
  const a = new Stack(stage, 'A');
  const b = new Stack(stage, 'B');
  const edge = EdgeStack.ofStage(a);
  expect(EdgeStack.ofStage(b)).toBe(edge);
  expect(edge.region).toBe(CLOUDFRONT_HOME_REGION);
  expect(edge.account).toBe('123456789012');
  expect(edge.stackName).toBe('prod-Edge');
  const other = new Stack(stage, 'Other', { env: { account: '210987654321', region: 'eu-west-1' } });
  expect(EdgeStack.ofStage(other).node.id).toBe('Edge-210987654321');
});

test('outside a FintechStage the app holds one FintechEdge stack', () => {
  const app = testApp();
  const stack = new Stack(app, 'Plain', { env: { region: 'eu-west-1' } });
  const edge = EdgeStack.ofStage(stack);
  expect(edge.node.path).toBe('FintechEdge');
  expect(EdgeStack.ofStage(new Stack(app, 'Second', { env: { region: 'eu-west-1' } }))).toBe(edge);
});

test('web ACLs are shared by options: the same options one ACL, other options another, in any order', () => {
  const { stage } = prod();
  const edge = EdgeStack.ofStage(new Stack(stage, 'A'));
  const custom = edge.webAcl({ requestsPerSecondPerIp: 20, rateEvaluationWindow: Duration.minutes(5) });
  const plain = edge.webAcl();
  expect(edge.webAcl({})).toBe(plain);
  expect(edge.webAcl({ requestsPerSecondPerIp: 20, rateEvaluationWindow: Duration.seconds(300) })).toBe(custom);
  expect(plain.node.id).toBe('WebAcl');
  expect(custom.node.id).toMatch(/^WebAcl[0-9a-f]{8}$/);
  expect(plain.scope).toBe(WebAclScope.CLOUDFRONT);
  expect(custom.rateLimitPerWindow).toBe(6000);
  Template.fromStack(edge).resourceCountIs('AWS::WAFv2::WebACL', 2);
});

test('a workload stack gets its own EdgeLogs stack beside it, in us-east-1, reading across regions', () => {
  const { stage } = prod();
  const stack = new Stack(stage, 'Web');
  const logs = EdgeStack.accessLogsOf(stack);
  expect(EdgeStack.accessLogsOf(stack)).toBe(logs);
  expect(logs.node.path).toBe('prod/Web-EdgeLogs');
  expect(logs.region).toBe(CLOUDFRONT_HOME_REGION);
  expect(logs).not.toBe(EdgeStack.ofStage(stack));
});
