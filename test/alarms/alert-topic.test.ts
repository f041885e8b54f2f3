import { Duration, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { CONFIG, stackIn, synthReport, testApp, twoStacksIn } from '../support/fintech-fixture';

function keyStatements(template: Template): any[] {
  const [key] = Object.values(template.findResources('AWS::KMS::Key'));
  return key.Properties.KeyPolicy.Statement;
}

describe('AlertTopic', () => {
  test('one encrypted topic per stack, named for the stage, with the project email subscribed', () => {
    const stack = stackIn(testApp(), 'prod', { ...CONFIG, alarmEmail: 'oncall@example.com' });
    const topic = AlertTopic.of(stack);
    expect(AlertTopic.of(stack)).toBe(topic);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'ledger-workload-alerts-prod', KmsMasterKeyId: stack.resolve(topic.dataKey.key.keyArn) });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  test('the stacks of one stage get topics and key aliases of their own', () => {
    const stacks = twoStacksIn(testApp(), 'prod');
    for (const stack of stacks) AlertTopic.of(stack);
    const names = stacks.map(stack => {
      const template = Template.fromStack(stack);
      return [template.findResources('AWS::SNS::Topic'), template.findResources('AWS::KMS::Alias')]
        .flatMap(resources => Object.values(resources).map(r => r.Properties.TopicName ?? r.Properties.AliasName));
    });
    expect(names).toEqual([
      ['ledger-ingest-alerts-prod', 'alias/ledger-ingest-alerts-topic-prod'],
      ['ledger-settle-alerts-prod', 'alias/ledger-settle-alerts-topic-prod'],
    ]);
  });

  test('without alarmEmail there is no subscription', () => {
    const { alarmEmail: _, ...withoutEmail } = CONFIG;
    const stack = stackIn(testApp(), 'dev', withoutEmail);
    AlertTopic.of(stack);
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Subscription', 0);
  });

  test('its key lets CloudWatch alarms and EventBridge rules of this account publish (C05)', () => {
    const stack = stackIn(testApp(), 'prod');
    AlertTopic.of(stack);
    const statements = keyStatements(Template.fromStack(stack));
    const cloudwatchGrant = statements.find(s => s.Principal?.Service === 'cloudwatch.amazonaws.com');
    expect(cloudwatchGrant.Action).toEqual(['kms:Decrypt', 'kms:GenerateDataKey*']);
    expect(cloudwatchGrant.Condition.StringEquals).toEqual({ 'aws:SourceAccount': '123456789012' });
    expect(statements.some(s => s.Principal?.Service === 'events.amazonaws.com')).toBe(true);
  });

  test('an alarm routed to it passes the rule pack', () => {
    const app = testApp();
    const stack = stackIn(app, 'prod', { ...CONFIG, alarmEmail: 'oncall@example.com' });
    const alarm = new cloudwatch.Alarm(stack, 'Errors', {
      metric: new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Errors', period: Duration.minutes(1) }),
      threshold: 1,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: 'errors',
    });
    alarm.addAlarmAction(new actions.SnsAction(AlertTopic.of(stack)));
    expect(synthReport(app).violations.filter(v => v.severity === 'error')).toEqual([]);
  });
});

const durableDefaultWarnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('fintech:durable-default'));

describe('AlertTopic outside a FintechStage', () => {
  test('with context: named for the context stage and application, the context email subscribed, destroyed in an ephemeral stage', () => {
    const app = testApp();
    app.node.setContext('fintech:stage', 'dev');
    app.node.setContext('fintech:application', 'ledger');
    app.node.setContext('fintech:alarm-email', 'oncall@example.com');
    const stack = new Stack(app, 'Payments');
    const topic = AlertTopic.of(stack);
    expect(topic.email).toBe('oncall@example.com');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'ledger-payments-alerts-dev' });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: { PendingWindowInDays: 7 } });
    expect(durableDefaultWarnings(stack)).toEqual([]);
  });

  test('without context: the durable default, its key retained, one warning for the stack', () => {
    const stack = new Stack(testApp(), 'Payments');
    AlertTopic.of(stack);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'payments-alerts' });
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain' });
    expect(durableDefaultWarnings(stack)).toHaveLength(1);
  });
});
