import * as path from 'path';
import { Aspects, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ProtectedRestApi } from '../../src/api/protected-rest-api';
import { TracedFunction } from '../../src/compute/traced-function';
import { FailureQueue } from '../../src/data/failure-queue';
import { SecureBucket } from '../../src/data/secure-bucket';
import { SecureQueue } from '../../src/data/secure-queue';
import { SecureTable } from '../../src/data/secure-table';
import { SecureTopic } from '../../src/data/secure-topic';
import { FintechVpc } from '../../src/network/fintech-vpc';
import { ContentCanary } from '../../src/observability/content-canary';
import { ContributorInsights } from '../../src/observability/contributor-insights';
import { SavedQueries } from '../../src/observability/saved-queries';
import { ServiceChangeEvents } from '../../src/observability/service-change-events';
import { ServiceDashboard } from '../../src/observability/service-dashboard';
import { TraceSamplingRule } from '../../src/observability/trace-sampling-rule';
import { FintechChecks } from '../../src/rules/fintech-checks';
import { StageSettingsSource } from '../../src/stage/fintech-stage';
import { followStage } from '../../src/stage/follow-stage';
import { InvokeFunctionTask } from '../../src/workflow/invoke-function-task';
import { SecureEventRule } from '../../src/workflow/secure-event-rule';
import { TracedStateMachine } from '../../src/workflow/traced-state-machine';
import { synthWithPlugin } from '../rules/rule-harness';
import { stackIn, testApp } from '../support/fintech-fixture';

/** A queue the library "owns" (follows the stage) beside one it does not, in `stack`. */
function twoQueues(stack: Stack): Template {
  followStage(new sqs.Queue(stack, 'Followed'));
  new sqs.Queue(stack, 'Sibling');
  return Template.fromStack(stack);
}

const policiesOf = (template: Template) => Object.fromEntries(
  Object.entries(template.findResources('AWS::SQS::Queue')).map(([id, r]) => [id.replace(/[0-9A-F]{8}$/, ''), r.DeletionPolicy]));

describe('followStage', () => {
  test('outside a FintechStage, without context: the durable default on the construct only, not on its siblings', () => {
    const template = twoQueues(new Stack(testApp(), 'Loose'));
    expect(policiesOf(template)).toEqual({ Followed: 'Retain', Sibling: 'Delete' });
  });

  test('outside a FintechStage, with an ephemeral context stage: destroyed', () => {
    const app = testApp();
    app.node.setContext('fintech:stage', 'dev');
    const stack = new Stack(app, 'Loose');
    followStage(new sqs.Queue(stack, 'Followed'));
    // Sibling resources keep what their code set, here RETAIN.
    new sqs.Queue(stack, 'Sibling', { removalPolicy: RemovalPolicy.RETAIN });
    expect(policiesOf(Template.fromStack(stack))).toEqual({ Followed: 'Delete', Sibling: 'Retain' });
  });

  test('inside a FintechStage: the stage settings, and the stage aspect alone decides', () => {
    const stack = stackIn(testApp(), 'dev');
    const settings = followStage(new Construct(stack, 'X'));
    expect(settings).toMatchObject({ stageName: 'dev', durable: false, source: StageSettingsSource.FINTECH_STAGE });
    expect(policiesOf(twoQueues(stack))).toEqual({ Followed: 'Delete', Sibling: 'Delete' });
  });

  test('adds one aspect however often a construct asks', () => {
    const stack = new Stack(testApp(), 'Loose');
    const queue = new sqs.Queue(stack, 'Q');
    followStage(queue);
    followStage(queue);
    expect(Aspects.of(queue).all).toHaveLength(1);
  });
});

describe('the library outside a FintechStage', () => {
  test('every construct synthesizes under the durable default, with one warning for the stack and no removal finding', () => {
    const app = testApp();
    const stack = new Stack(app, 'Legacy');
    new SecureBucket(stack, 'Archive');
    const queue = new SecureQueue(stack, 'Jobs');
    new SecureTopic(stack, 'Events').subscribeQueue(queue);
    new SecureTable(stack, 'Ledger', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new FailureQueue(stack, 'Failures', { description: 'Failed nightly runs: fix the cause, then run them again' });
    const fn = new TracedFunction(stack, 'Ingest', { entry: path.join(__dirname, '..', 'compute', 'fixtures', 'echo.ts') });
    new TracedStateMachine(stack, 'Flow', { definitionBody: sfn.DefinitionBody.fromChainable(new InvokeFunctionTask(stack, 'Invoke', { lambdaFunction: fn })) });
    new SecureEventRule(stack, 'Nightly', { schedule: events.Schedule.rate(Duration.days(1)) }).addTarget(new targets.LambdaFunction(fn));
    new ProtectedRestApi(stack, 'Api', { stageName: 'v1' }).root.addMethod('GET', new apigateway.LambdaIntegration(fn));
    new FintechVpc(stack, 'Network');
    new ServiceDashboard(stack, 'Dashboard');
    new TraceSamplingRule(stack, 'Sampling');
    new ServiceChangeEvents(stack, 'Changes');
    new SavedQueries(stack, 'Queries', { logGroups: [fn.logGroup] });
    new ContributorInsights(stack, 'Insights', { functionLogGroups: [fn.logGroup] });
    new ContentCanary(stack, 'Canary', { url: 'https://example.com/health', expectedText: 'ok' });

    const checks = new FintechChecks();
    synthWithPlugin(app, checks);
    expect(Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('fintech:durable-default'))).toHaveLength(1);
    expect(checks.findings.filter(f => f.ruleId.startsWith('Fintech-C02')).map(f => `${f.ruleId} ${f.constructPath}`)).toEqual([]);
    expect(checks.lastReport?.metadata?.stages).toBe('(app) (durable)');
  });
});
