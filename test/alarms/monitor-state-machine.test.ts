import { Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { monitorStateMachine } from '../../src/alarms/monitor-state-machine';
import { CONFIG, stackIn, testApp } from '../support/fintech-fixture';

describe('monitorStateMachine', () => {
  test('failure rate at 1% and any timed-out execution, on that state machine, to the alert topic', () => {
    const stack = stackIn(testApp(), 'prod', { ...CONFIG, alarmEmail: 'oncall@example.com' });
    const sm = new sfn.StateMachine(stack, 'Settle', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')) });
    monitorStateMachine(sm, sm);
    const arn = [{ Name: 'StateMachineArn', Value: stack.resolve(sm.stateMachineArn) }];
    const topic = stack.resolve(AlertTopic.of(stack).topicArn);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
      Metrics: Match.arrayWith([Match.objectLike({ Id: 'errors', MetricStat: Match.objectLike({ Metric: { Namespace: 'AWS/States', MetricName: 'ExecutionsFailed', Dimensions: arn } }) })]),
      AlarmDescription: 'More than 1% of executions of prod/Workload/Settle fail. Open a failed execution\'s event history to find the failing state.',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/States',
      MetricName: 'ExecutionsTimedOut',
      Dimensions: arn,
      Statistic: 'Sum',
      Period: 300,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      Threshold: 1,
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
    });
  });

  test('failureRatePercent and alertTopic are configurable', () => {
    const stack = stackIn(testApp(), 'dev');
    const pager = new sns.Topic(stack, 'Pager');
    const sm = new sfn.StateMachine(stack, 'Settle', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')) });
    monitorStateMachine(stack, sm, { failureRatePercent: 0.1, alertTopic: pager });
    const pagerRef = { Ref: stack.getLogicalId(pager.node.defaultChild as sns.CfnTopic) };
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Threshold: 0.1, AlarmDescription: Match.stringLikeRegexp('^More than 0.1% ') });
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: [pagerRef], OKActions: [pagerRef] }, 2);
  });

  test.each([0, 100.5])('refuses failureRatePercent %p', failureRatePercent => {
    const stack = stackIn(testApp(), 'dev');
    const sm = new sfn.StateMachine(stack, 'Settle', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')) });
    expect(() => monitorStateMachine(sm, sm, { failureRatePercent })).toThrow(
      `State machine monitoring at dev/Workload/Settle: monitoring.failureRatePercent ${failureRatePercent} is not a percentage above 0 and at most 100; ` +
      'use e.g. 1 for "page when more than 1% fail", or drop it for that default.');
  });
});
