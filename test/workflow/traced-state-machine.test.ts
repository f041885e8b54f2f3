import { CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { DataKey } from '../../src/encryption/data-key';
import { UnmonitoredResource } from '../../src/rules/cloudwatch/unmonitored-resource';
import { InvokeFunctionTask } from '../../src/workflow/invoke-function-task';
import { TracedStateMachine, TracedStateMachineProps } from '../../src/workflow/traced-state-machine';
import { CONFIG, stackIn, synthReport, testApp } from '../support/fintech-fixture';

function machine(stack: Stack, props: Partial<TracedStateMachineProps> = {}): TracedStateMachine {
  return new TracedStateMachine(stack, 'Settlement', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Start')), ...props });
}

describe('TracedStateMachine', () => {
  test('standard, traced, logging ALL with execution data to its own log group', () => {
    const stack = stackIn(testApp(), 'dev');
    const sm = machine(stack);
    Template.fromStack(stack).hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: {
        Level: 'ALL',
        IncludeExecutionData: true,
        Destinations: [{ CloudWatchLogsLogGroup: { LogGroupArn: stack.resolve(sm.logGroup.logGroupArn) } }],
      },
      StateMachineName: Match.absent(),
    });
  });

  test('the log group is encrypted with a key that allows CloudWatch Logs', () => {
    const stack = stackIn(testApp(), 'dev');
    const sm = machine(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: stack.resolve(sm.dataKey.key.keyArn) });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logs.eu-west-1.amazonaws.com' } })]) },
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ledger-workload-settlementlogs-dev' });
  });

  test('log retention and removal follow the stage', () => {
    const app = testApp();
    const dev = stackIn(app, 'dev');
    const prod = stackIn(app, 'prod');
    machine(dev);
    machine(prod);
    Template.fromStack(dev).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: { RetentionInDays: 7 } });
    Template.fromStack(prod).hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365, DeletionProtectionEnabled: Match.absent() } });
  });

  test('named by PhysicalName, with a vended-logs log group of the same name, when nameBase is given', () => {
    const stack = stackIn(testApp(), 'prod');
    machine(stack, { nameBase: 'settlement' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', { StateMachineName: 'ledger-settlement-prod' });
    template.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/vendedlogs/states/ledger-settlement-prod' });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ledger-settlement-workflow-prod' });
  });

  test('takes an express type, a log level, execution data, retention and a key', () => {
    const stack = stackIn(testApp(), 'dev');
    const key = new DataKey(stack, 'Shared', { aliasBase: 'workflows' });
    machine(stack, {
      stateMachineType: sfn.StateMachineType.EXPRESS,
      logLevel: sfn.LogLevel.ERROR,
      includeExecutionData: false,
      logRetention: logs.RetentionDays.ONE_MONTH,
      dataKey: key,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'EXPRESS',
      LoggingConfiguration: { Level: 'ERROR', IncludeExecutionData: false },
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30, KmsKeyId: stack.resolve(key.key.keyArn) });
    // The only other key is the stage alert topic's, which the state machine's alarms publish to.
    expect(Object.keys(template.findResources('AWS::KMS::Key')).filter(id => !id.startsWith('FintechAlerts'))).toEqual([stack.getLogicalId(key.key.node.defaultChild as CfnElement)]);
  });

  test('alarms on its failure rate and on any timed-out execution, routed to the alert topic', () => {
    const stack = stackIn(testApp(), 'prod');
    const sm = machine(stack);
    const template = Template.fromStack(stack);
    const topic = stack.resolve(AlertTopic.of(stack).topicArn);
    const routed = { TreatMissingData: 'notBreaching', AlarmActions: [topic], OKActions: [topic] };
    const arn = [{ Name: 'StateMachineArn', Value: stack.resolve(sm.stateMachineArn) }];
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...routed,
      Threshold: 1,
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(FILL(requests, 0) >= 10, 100 * FILL(errors, 0) / FILL(requests, 0), 0)' }),
        Match.objectLike({ Id: 'errors', MetricStat: Match.objectLike({ Metric: { Namespace: 'AWS/States', MetricName: 'ExecutionsFailed', Dimensions: arn } }) }),
        Match.objectLike({ Id: 'requests', MetricStat: Match.objectLike({ Metric: { Namespace: 'AWS/States', MetricName: 'ExecutionsStarted', Dimensions: arn } }) }),
      ]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      ...routed, Namespace: 'AWS/States', MetricName: 'ExecutionsTimedOut', Dimensions: arn, Threshold: 1, EvaluationPeriods: 1, DatapointsToAlarm: 1,
    });
    expect(sm.alarms.map(alarm => alarm.node.path)).toEqual(['prod/Workload/Settlement/FailureRate/Alarm', 'prod/Workload/Settlement/TimeoutsAlarm']);
  });

  test('monitoring options set the failure rate and the topic; enabled false drops the alarms', () => {
    const stack = stackIn(testApp(), 'dev');
    const pager = new sns.Topic(stack, 'Pager');
    const sm = machine(stack, { monitoring: { failureRatePercent: 0.1, alertTopic: pager } });
    const pagerRef = stack.resolve(pager.topicArn);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 0.1, Metrics: Match.anyValue(), AlarmActions: [pagerRef], OKActions: [pagerRef] });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ExecutionsTimedOut', AlarmActions: [pagerRef], OKActions: [pagerRef] });
    expect(sm.alarms).toHaveLength(2);

    const quiet = stackIn(testApp(), 'dev');
    expect(machine(quiet, { monitoring: { enabled: false } }).alarms).toEqual([]);
    Template.fromStack(quiet).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('refuses a failure rate that is not a percentage, naming the option', () => {
    expect(() => machine(stackIn(testApp(), 'dev'), { monitoring: { failureRatePercent: 0 } }))
      .toThrow('TracedStateMachine at dev/Workload/Settlement: monitoring.failureRatePercent 0 is not a percentage above 0 and at most 100; ' +
        'use e.g. 1 for "page when more than 1% fail", or drop it for that default.');
  });

  test('refuses logLevel OFF with the construct path and the fix', () => {
    expect(() => machine(stackIn(testApp(), 'dev'), { logLevel: sfn.LogLevel.OFF }))
      .toThrow('TracedStateMachine at dev/Workload/Settlement: logLevel is OFF, so failed executions could not be investigated; use sfn.LogLevel.ERROR for the least logging, or drop logLevel for ALL.');
  });

  test('with an InvokeFunctionTask, passes the rule pack in both kinds of stage', () => {
    const app = testApp();
    for (const stageName of ['dev', 'prod'] as const) {
      const stack = stackIn(app, stageName, { ...CONFIG, alarmEmail: 'oncall@example.com' });
      const fn = new lambda.Function(stack, 'Charge', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async e => e') });
      const task = new InvokeFunctionTask(stack, 'ChargeCard', { lambdaFunction: fn });
      new TracedStateMachine(stack, 'Settlement', { nameBase: 'settlement', definitionBody: sfn.DefinitionBody.fromChainable(task) });
    }
    const { violations } = synthReport(app);
    // The plain lambda.Function stands in for any function; only the state machine's findings matter here.
    const ours = violations.filter(v => !v.constructPath.includes('/Charge/'));
    expect(ours.filter(v => v.severity === 'error').map(v => `${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
    // Its failure-rate and timeout alarms name it, so it is not unmonitored (C09).
    expect(ours.filter(v => v.ruleName === UnmonitoredResource.INFO.id).map(v => v.constructPath)).toEqual([]);
  });
});
