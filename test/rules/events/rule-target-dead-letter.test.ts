import { App, Duration, Fn } from 'aws-cdk-lib';
import * as codecommit from 'aws-cdk-lib/aws-codecommit';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as pipelineActions from 'aws-cdk-lib/aws-codepipeline-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { RuleTargetDeadLetter } from '../../../src/rules/events/rule-target-dead-letter';
import { findingsOf, lines, shop } from '../rule-harness';

const DLQ = RuleTargetDeadLetter.DEAD_LETTER.id;
const RETRY = RuleTargetDeadLetter.RETRY_POLICY.id;

function c12(app: App) {
  return findingsOf(app, [DLQ, RETRY]);
}

const HOURLY = events.Schedule.rate(Duration.hours(1));

describe('RuleTargetDeadLetter', () => {
  test('fails an L2 target without dead-letter queue and retry policy, and passes one with both', () => {
    const { app, stack } = shop();
    const queue = new sqs.Queue(stack, 'Queue');
    const dlq = new sqs.Queue(stack, 'Dlq');
    new events.Rule(stack, 'Bare', { schedule: HOURLY, targets: [new targets.SqsQueue(queue)] });
    new events.Rule(stack, 'Safe', { schedule: HOURLY, targets: [new targets.SqsQueue(queue, { deadLetterQueue: dlq, retryAttempts: 3, maxEventAge: Duration.hours(2) })] });
    const findings = c12(app);
    expect(lines(findings)).toEqual([`${DLQ} Shop/Bare/Resource`, `${RETRY} Shop/Bare/Resource`]);
    expect(findings.find(f => f.ruleId === DLQ)).toMatchObject({
      severity: 'error',
      locations: ['Properties/Targets/0/DeadLetterConfig'],
      message: expect.stringMatching(/^AWS::Events::Rule Bare[0-9A-F]{8} has target "Target0" without DeadLetterConfig, so an event EventBridge cannot deliver is dropped/),
      fix: expect.stringContaining('deadLetterQueue'),
    });
    expect(findings.find(f => f.ruleId === RETRY)).toMatchObject({
      locations: ['Properties/Targets/0/RetryPolicy'],
      message: expect.stringMatching(/^AWS::Events::Rule Bare[0-9A-F]{8} has target "Target0" without RetryPolicy, so a failing delivery is retried for up to 24 hours/),
      fix: expect.stringContaining('retryAttempts'),
    });
  });

  test('a dead-letter queue alone still misses the retry policy, and the other way round', () => {
    const { app, stack } = shop();
    const queue = new sqs.Queue(stack, 'Queue');
    new events.Rule(stack, 'DlqOnly', { schedule: HOURLY, targets: [new targets.SqsQueue(queue, { deadLetterQueue: new sqs.Queue(stack, 'Dlq') })] });
    new events.Rule(stack, 'RetryOnly', { schedule: HOURLY, targets: [new targets.SqsQueue(queue, { retryAttempts: 2 })] });
    expect(lines(c12(app))).toEqual([`${DLQ} Shop/RetryOnly/Resource`, `${RETRY} Shop/DlqOnly/Resource`]);
  });

  test('names every L1 target that lacks a setting in one finding per rule', () => {
    const { app, stack } = shop();
    new events.CfnRule(stack, 'Raw', {
      scheduleExpression: 'rate(1 hour)',
      targets: [
        { id: 'a', arn: 'arn:aws:sqs:eu-west-1:123456789012:a' },
        { id: 'b', arn: 'arn:aws:sqs:eu-west-1:123456789012:b', deadLetterConfig: { arn: 'arn:aws:sqs:eu-west-1:123456789012:dlq' }, retryPolicy: { maximumRetryAttempts: 3 } },
        { id: 'c', arn: 'arn:aws:sqs:eu-west-1:123456789012:c', deadLetterConfig: {}, retryPolicy: { maximumEventAgeInSeconds: 3600 } },
      ],
    });
    const findings = c12(app);
    expect(lines(findings)).toEqual([`${DLQ} Shop/Raw`, `${RETRY} Shop/Raw`]);
    expect(findings.find(f => f.ruleId === DLQ)).toMatchObject({
      message: expect.stringContaining('has targets "a", "c" without DeadLetterConfig'),
      locations: ['Properties/Targets/0/DeadLetterConfig', 'Properties/Targets/2/DeadLetterConfig'],
    });
    expect(findings.find(f => f.ruleId === RETRY)?.message).toContain('has target "a" without RetryPolicy');
  });

  test('catches an escape hatch that removes the dead-letter queue of a safe L2 target', () => {
    const { app, stack } = shop();
    const rule = new events.Rule(stack, 'Rule', {
      schedule: HOURLY,
      targets: [new targets.SqsQueue(new sqs.Queue(stack, 'Queue'), { deadLetterQueue: new sqs.Queue(stack, 'Dlq'), retryAttempts: 3 })],
    });
    (rule.node.defaultChild as events.CfnRule).addPropertyDeletionOverride('Targets.0.DeadLetterConfig');
    expect(lines(c12(app))).toEqual([`${DLQ} Shop/Rule/Resource`]);
  });

  test('an aws-ecs-patterns scheduled task, whose props set neither, is a warning naming it; the same task run from the app\'s rule is the app\'s', () => {
    const { app, stack } = shop();
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 }) });
    const subnetSelection = { subnetType: ec2.SubnetType.PUBLIC };
    const job = new ecsPatterns.ScheduledFargateTask(stack, 'Nightly', {
      cluster,
      schedule: HOURLY,
      subnetSelection,
      scheduledFargateTaskImageOptions: { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/recon:1.0.0'), memoryLimitMiB: 512 },
    });
    new events.Rule(stack, 'Own', { schedule: HOURLY, targets: [new targets.EcsTask({ cluster, taskDefinition: job.taskDefinition, subnetSelection })] });
    const findings = c12(app);
    expect(findings.map(f => [f.ruleId, f.severity, f.constructPath])).toEqual([
      [DLQ, 'warning', 'Shop/Nightly/ScheduledEventRule/Resource'],
      [DLQ, 'error', 'Shop/Own/Resource'],
      [RETRY, 'warning', 'Shop/Nightly/ScheduledEventRule/Resource'],
      [RETRY, 'error', 'Shop/Own/Resource'],
    ]);
    expect(findings[0].message).toContain('CDK created this resource for Shop/Nightly (ecs-patterns.ScheduledFargateTask: its schedule rule\'s target, which none of its props');
  });

  test('the rules CodePipeline source actions add to start their pipeline are warnings naming them; the app\'s own rule for the same pipeline is the app\'s', () => {
    const { app, stack } = shop();
    const releases = new s3.Bucket(stack, 'Releases', { versioned: true });
    const [release, image, code, shared] = ['Release', 'Image', 'Code', 'Shared'].map(name => new codepipeline.Artifact(name));
    const ledger = new codecommit.Repository(stack, 'Ledger', { repositoryName: 'ledger' });
    // A repository another team owns: the rule the action adds there is named after the pipeline, as in the app's own.
    const platform = codecommit.Repository.fromRepositoryName(stack, 'Platform', 'platform');
    const pipeline = new codepipeline.Pipeline(stack, 'Pipeline', {
      stages: [
        {
          stageName: 'Source',
          actions: [
            new pipelineActions.S3SourceAction({ actionName: 'Release', bucket: releases, bucketKey: 'app.zip', output: release, trigger: pipelineActions.S3Trigger.EVENTS }),
            new pipelineActions.EcrSourceAction({ actionName: 'Image', repository: ecr.Repository.fromRepositoryName(stack, 'Images', 'app'), output: image }),
            new pipelineActions.CodeCommitSourceAction({ actionName: 'Code', repository: ledger, output: code }),
            new pipelineActions.CodeCommitSourceAction({ actionName: 'Shared', repository: platform, branch: 'release', output: shared }),
          ],
        },
        { stageName: 'Approve', actions: [new pipelineActions.ManualApprovalAction({ actionName: 'Approve' })] },
      ],
    });
    new events.Rule(stack, 'Nightly', { schedule: HOURLY, targets: [new targets.CodePipeline(pipeline)] });
    ledger.onCommit('OnRelease', { branches: ['release'], target: new targets.CodePipeline(pipeline) });
    // The app's own rules on the imported repository stay the app's, one even with an id ending the same way.
    platform.onCommit('OnHotfix', { branches: ['hotfix'], target: new targets.CodePipeline(pipeline) });
    platform.onCommit('HotfixEventRule', { branches: ['hotfix'], target: new targets.CodePipeline(pipeline) });
    const findings = c12(app).filter(f => f.ruleId === DLQ);
    expect(findings.map(f => [f.severity, f.constructPath.replace(/Shop[A-Za-z0-9]*Pipeline[0-9A-F]{8}/, '<pipeline>')])).toEqual([
      ['error', 'Shop/Ledger/OnRelease/Resource'],
      ['warning', 'Shop/Ledger/<pipeline>EventRule/Resource'],
      ['error', 'Shop/Nightly/Resource'],
      ['warning', 'Shop/Pipeline/Source/Image/<pipeline>SourceEventRule/Resource'],
      ['error', 'Shop/Platform/HotfixEventRule/Resource'],
      ['error', 'Shop/Platform/OnHotfix/Resource'],
      ['warning', 'Shop/Platform/<pipeline>-release-EventRule/Resource'],
      ['warning', 'Shop/Releases/<pipeline>SourceEventRuleapp.zip/Resource'],
    ]);
    expect(findings[1].message).toContain('CDK created this resource for Shop/Ledger (codecommit.Repository: the rule a CodeCommitSourceAction (trigger EVENTS, its default) adds');
    expect(findings[3].message).toContain('CDK created this resource for Shop/Pipeline (codepipeline.Pipeline: the rule an EcrSourceAction adds');
    expect(findings[6].message).toContain('CDK created this resource for Shop/Pipeline (codepipeline.Pipeline: the rule a CodeCommitSourceAction (trigger EVENTS, ' +
      'its default) adds to the imported repository it reads');
    expect(findings[7].message).toContain('CDK created this resource for Shop/Releases (s3.Bucket: the rule an S3SourceAction with `trigger: S3Trigger.EVENTS`');
  });

  test('the rule a response-only LambdaDestination adds is a warning naming the function\'s invoke configuration; a destination function invoked directly has none', () => {
    const { app, stack } = shop();
    const code = lambda.Code.fromInline('exports.handler = async () => ({})');
    const fn = (id: string, props: Partial<lambda.FunctionProps> = {}) => new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code, ...props });
    fn('Settle', { onFailure: new destinations.LambdaDestination(fn('Compensate'), { responseOnly: true }) });
    fn('Refund', { onFailure: new destinations.LambdaDestination(fn('Reverse')) });
    const findings = c12(app);
    expect(findings.map(f => [f.ruleId, f.severity, f.constructPath])).toEqual([
      [DLQ, 'warning', 'Shop/Settle/EventInvokeConfig/Failure/Resource'],
      [RETRY, 'warning', 'Shop/Settle/EventInvokeConfig/Failure/Resource'],
    ]);
    expect(findings[0].message).toContain('CDK created this resource for Shop/Settle/EventInvokeConfig (lambda.EventInvokeConfig: the rule a LambdaDestination');
  });

  test('an event bus target, which takes no retry policy, needs only its dead-letter queue: another account\'s bus by ARN, a bus of the app, raw or L2', () => {
    const { app, stack } = shop();
    const dlq = new sqs.Queue(stack, 'Dlq');
    const central = events.EventBus.fromEventBusArn(stack, 'Central', 'arn:aws:events:eu-west-1:999999999999:event-bus/central');
    new events.Rule(stack, 'Forward', { schedule: HOURLY, targets: [new targets.EventBus(central, { deadLetterQueue: dlq })] });
    new events.Rule(stack, 'Local', { schedule: HOURLY, targets: [new targets.EventBus(new events.EventBus(stack, 'Payments'))] });
    new events.CfnRule(stack, 'Raw', { scheduleExpression: 'rate(1 hour)', targets: [{ id: 'bus', arn: 'arn:aws:events:eu-west-1:999999999999:event-bus/central' }] });
    expect(lines(c12(app))).toEqual([`${DLQ} Shop/Local/Resource`, `${DLQ} Shop/Raw`]);
  });

  test('reports nothing on intrinsic target lists and targets, and on rules without targets', () => {
    const { app, stack } = shop();
    new events.CfnRule(stack, 'IntrinsicList', { scheduleExpression: 'rate(1 hour)' }).addPropertyOverride('Targets', Fn.conditionIf('C', [], []));
    new events.CfnRule(stack, 'IntrinsicTarget', { scheduleExpression: 'rate(1 hour)' })
      .addPropertyOverride('Targets', [{ 'Fn::If': ['C', { Id: 'a', Arn: 'x' }, { Ref: 'AWS::NoValue' }] }]);
    new events.CfnRule(stack, 'NoTargets', { scheduleExpression: 'rate(1 hour)' });
    new events.CfnRule(stack, 'OddTargets', { scheduleExpression: 'rate(1 hour)' }).addPropertyOverride('Targets', 'not a list');
    expect(c12(app)).toEqual([]);
  });
});
