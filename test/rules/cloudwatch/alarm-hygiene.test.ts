import { App, CfnParameter, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { AlarmHygiene } from '../../../src/rules/cloudwatch/alarm-hygiene';
import { findingsOf, lines, shop, testApp } from '../rule-harness';

const DESCRIPTION = AlarmHygiene.WITHOUT_DESCRIPTION.id;
const MISSING_DATA = AlarmHygiene.WITHOUT_MISSING_DATA_POLICY.id;
const DATAPOINTS = AlarmHygiene.WITHOUT_DATAPOINTS_TO_ALARM.id;
const ACTIONS = AlarmHygiene.WITHOUT_ACTIONS.id;
const UNSUBSCRIBED = AlarmHygiene.TO_UNSUBSCRIBED_TOPIC.id;

function c08(app: App) {
  return findingsOf(app, new AlarmHygiene().infos.map(i => i.id));
}

const LATENCY = new cloudwatch.Metric({ namespace: 'Ledger', metricName: 'PostingLatency', statistic: 'p99', period: Duration.minutes(1) });

/** An alarm with every field C08 asks for, routed to `topic`. */
function goodAlarm(stack: Stack, id: string, topic: sns.ITopic): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(stack, id, {
    metric: LATENCY,
    threshold: 500,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: 'Ledger postings are slow: p99 above 500 ms in 3 of 5 minutes. Runbook: wiki/ledger-latency.',
  });
  alarm.addAlarmAction(new actions.SnsAction(topic));
  return alarm;
}

function subscribedTopic(stack: Stack, id: string): sns.Topic {
  const topic = new sns.Topic(stack, id);
  topic.addSubscription(new subscriptions.EmailSubscription('oncall@example.com'));
  return topic;
}

describe('AlarmHygiene', () => {
  test('fails a bare L2 alarm on each missing field and passes one that sets them all', () => {
    const { app, stack } = shop();
    new cloudwatch.Alarm(stack, 'Bare', { metric: LATENCY, threshold: 500, evaluationPeriods: 2 });
    goodAlarm(stack, 'Good', subscribedTopic(stack, 'Alerts'));
    const findings = c08(app);
    expect(lines(findings)).toEqual([
      `${ACTIONS} Shop/Bare/Resource`,
      `${DATAPOINTS} Shop/Bare/Resource`,
      `${DESCRIPTION} Shop/Bare/Resource`,
      `${MISSING_DATA} Shop/Bare/Resource`,
    ]);
    const byId = new Map(findings.map(f => [f.ruleId, f]));
    expect(byId.get(DESCRIPTION)).toMatchObject({
      severity: 'error',
      locations: ['Properties/AlarmDescription'],
      message: expect.stringMatching(/^AWS::CloudWatch::Alarm Bare[0-9A-F]{8} has no AlarmDescription/),
      fix: expect.stringContaining('ErrorRateAlarm'),
    });
    expect(byId.get(MISSING_DATA)).toMatchObject({ severity: 'error', message: expect.stringContaining('has no TreatMissingData') });
    expect(byId.get(DATAPOINTS)).toMatchObject({ severity: 'error', message: expect.stringContaining('has no DatapointsToAlarm') });
    expect(byId.get(ACTIONS)).toMatchObject({ severity: 'warning', message: expect.stringContaining('has no AlarmActions'), fix: expect.stringContaining('AlertTopic') });
  });

  test('judges L1 alarms: an empty description or action list counts as none', () => {
    const { app, stack } = shop();
    const topic = subscribedTopic(stack, 'Alerts');
    const metric = { metricName: 'Errors', namespace: 'Ledger', statistic: 'Average', period: 60, comparisonOperator: 'GreaterThanThreshold', threshold: 1, evaluationPeriods: 5 };
    new cloudwatch.CfnAlarm(stack, 'Empty', { ...metric, alarmDescription: '  ', alarmActions: [], treatMissingData: 'notBreaching', datapointsToAlarm: 3 });
    new cloudwatch.CfnAlarm(stack, 'Complete', { ...metric, alarmDescription: 'Ledger errors', alarmActions: [topic.topicArn], treatMissingData: 'ignore', datapointsToAlarm: 5 });
    expect(lines(c08(app))).toEqual([`${ACTIONS} Shop/Empty`, `${DESCRIPTION} Shop/Empty`]);
  });

  test('judges composite alarms on their description and actions only', () => {
    const { app, stack } = shop();
    const member = goodAlarm(stack, 'Member', subscribedTopic(stack, 'Alerts'));
    new cloudwatch.CompositeAlarm(stack, 'Bare', { alarmRule: cloudwatch.AlarmRule.fromAlarm(member, cloudwatch.AlarmState.ALARM) });
    const good = new cloudwatch.CompositeAlarm(stack, 'Good', {
      alarmRule: cloudwatch.AlarmRule.fromAlarm(member, cloudwatch.AlarmState.ALARM),
      alarmDescription: 'Ledger is degraded',
    });
    good.addAlarmAction(new actions.SnsAction(subscribedTopic(stack, 'Pager')));
    expect(lines(c08(app))).toEqual([`${ACTIONS} Shop/Bare/Resource`, `${DESCRIPTION} Shop/Bare/Resource`]);
  });

  test('asks for DatapointsToAlarm only where there is more than one evaluation period to choose from', () => {
    const { app, stack } = shop();
    const topic = subscribedTopic(stack, 'Alerts');
    const fields = { metric: LATENCY, threshold: 500, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, alarmDescription: 'Slow postings' };
    new cloudwatch.Alarm(stack, 'OnePeriod', { ...fields, evaluationPeriods: 1 }).addAlarmAction(new actions.SnsAction(topic));
    new cloudwatch.Alarm(stack, 'ThreePeriods', { ...fields, evaluationPeriods: 3 }).addAlarmAction(new actions.SnsAction(topic));
    const metric = { metricName: 'Errors', namespace: 'Ledger', statistic: 'Sum', period: 60, comparisonOperator: 'GreaterThanThreshold', threshold: 1 };
    const l1 = { ...metric, alarmDescription: 'Ledger errors', alarmActions: [topic.topicArn], treatMissingData: 'notBreaching' };
    new cloudwatch.CfnAlarm(stack, 'OneAsText', l1).addPropertyOverride('EvaluationPeriods', '1');
    new cloudwatch.CfnAlarm(stack, 'TwoAsText', l1).addPropertyOverride('EvaluationPeriods', '2');
    const periods = new CfnParameter(stack, 'Periods', { type: 'Number' });
    new cloudwatch.CfnAlarm(stack, 'Unknown', { ...l1, evaluationPeriods: periods.valueAsNumber });
    expect(lines(c08(app))).toEqual([`${DATAPOINTS} Shop/ThreePeriods/Resource`, `${DATAPOINTS} Shop/TwoAsText`]);
  });

  test('asks no actions of alarms a composite alarm names, in its own stack, another stack or by literal name', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const fields = { metric: LATENCY, threshold: 500, evaluationPeriods: 1, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, alarmDescription: 'Slow postings' };
    const child = new cloudwatch.Alarm(stack, 'Child', fields);
    const named = new cloudwatch.Alarm(stack, 'Named', { ...fields, alarmName: 'ledger-named' });
    const other = new Stack(app, 'Monitoring');
    const remote = new cloudwatch.Alarm(other, 'Remote', fields);
    new cloudwatch.Alarm(stack, 'Orphan', fields);
    const composite = new cloudwatch.CompositeAlarm(stack, 'Degraded', {
      alarmDescription: 'Ledger degraded',
      alarmRule: cloudwatch.AlarmRule.anyOf(child, remote, cloudwatch.AlarmRule.fromString('ALARM("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:ledger-named")')),
    });
    composite.addAlarmAction(new actions.SnsAction(subscribedTopic(stack, 'Alerts')));
    // A literal ARN with pseudo parameters in it, as hand-written rules name alarms.
    new cloudwatch.Alarm(stack, 'Pseudo', { ...fields, alarmName: 'ledger-pseudo' });
    new cloudwatch.CfnCompositeAlarm(stack, 'Raw', {
      alarmRule: Fn.join('', ['ALARM("arn:aws:cloudwatch:', Stack.of(stack).region, ':', Stack.of(stack).account, ':alarm:ledger-pseudo")']),
      alarmDescription: 'Ledger raw composite',
      alarmActions: ['arn:aws:sns:eu-west-1:123456789012:pager'],
    });
    void named;
    expect(lines(c08(app))).toEqual([`${ACTIONS} Shop/Orphan/Resource`]);

    // A rule that cannot be read may name any alarm: none is asked for actions.
    const unknown = shop();
    new cloudwatch.Alarm(unknown.stack, 'Child', fields);
    new cloudwatch.CfnCompositeAlarm(unknown.stack, 'Degraded', { alarmRule: Fn.conditionIf('C', 'ALARM(a)', 'ALARM(b)').toString(), alarmDescription: 'x', alarmActions: ['arn:aws:sns:eu-west-1:123456789012:pager'] });
    expect(lines(c08(unknown.app))).toEqual([]);
  });

  test('asks no actions of a composite\'s actions suppressor, by reference, name or ARN; an unreadable suppressor may be any alarm', () => {
    const { app, stack } = shop();
    const fields = { metric: LATENCY, threshold: 1, evaluationPeriods: 1, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, alarmDescription: 'Maintenance window' };
    const child = new cloudwatch.Alarm(stack, 'Child', { ...fields, alarmDescription: 'Slow postings', actionsEnabled: true });
    const maintenance = new cloudwatch.Alarm(stack, 'Maintenance', fields);
    new cloudwatch.Alarm(stack, 'ByName', { ...fields, alarmName: 'ledger-release-window' });
    new cloudwatch.Alarm(stack, 'ByArn', { ...fields, alarmName: 'ledger-dr-drill' });
    new cloudwatch.Alarm(stack, 'Orphan', fields);
    const pager = ['arn:aws:sns:eu-west-1:123456789012:pager'];
    new cloudwatch.CompositeAlarm(stack, 'Degraded', {
      alarmDescription: 'Ledger degraded', alarmRule: cloudwatch.AlarmRule.anyOf(child), actionsSuppressor: maintenance,
    }).addAlarmAction(new actions.SnsAction(subscribedTopic(stack, 'Alerts')));
    const rule = Fn.join('', ['ALARM(', child.alarmArn, ')']);
    new cloudwatch.CfnCompositeAlarm(stack, 'DuringRelease', { alarmRule: rule, alarmDescription: 'x', alarmActions: pager, actionsSuppressor: 'ledger-release-window' });
    new cloudwatch.CfnCompositeAlarm(stack, 'DuringDrill', {
      alarmRule: rule, alarmDescription: 'x', alarmActions: pager, actionsSuppressor: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:ledger-dr-drill',
    });
    expect(lines(c08(app))).toEqual([`${ACTIONS} Shop/Orphan/Resource`]);

    const unknown = shop();
    new cloudwatch.Alarm(unknown.stack, 'Lonely', fields);
    const suppressor = new CfnParameter(unknown.stack, 'Suppressor', { type: 'String' });
    new cloudwatch.CfnCompositeAlarm(unknown.stack, 'Degraded', { alarmRule: 'ALARM(x)', alarmDescription: 'x', alarmActions: pager, actionsSuppressor: suppressor.valueAsString });
    expect(lines(c08(unknown.app))).toEqual([]);
  });

  test('leaves scaling triggers alone (every action a scaling policy, by reference or ARN); an alarm that also pages is judged', () => {
    const { app, stack } = shop();
    const capacity = new appscaling.ScalableTarget(stack, 'Workers', {
      serviceNamespace: appscaling.ServiceNamespace.ECS, resourceId: 'service/cluster/workers', scalableDimension: 'ecs:service:DesiredCount', minCapacity: 1, maxCapacity: 6,
    });
    // What aws-ecs-patterns' queue workers write: step scaling on queue depth, its alarms without TreatMissingData.
    capacity.scaleOnMetric('QueueDepth', { metric: LATENCY, scalingSteps: [{ upper: 0, change: -1 }, { lower: 100, change: +1 }, { lower: 500, change: +3 }] });
    const policyArn = 'arn:aws:autoscaling:eu-west-1:123456789012:scalingPolicy:0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0:resource/ecs/service/cluster/workers:policyName/out';
    new cloudwatch.CfnAlarm(stack, 'ByArn', {
      namespace: 'Ledger', metricName: 'Backlog', statistic: 'Maximum', period: 60, threshold: 1, evaluationPeriods: 3, comparisonOperator: 'GreaterThanThreshold', alarmActions: [policyArn],
    });
    new cloudwatch.CfnAlarm(stack, 'ScalesAndPages', {
      namespace: 'Ledger',
      metricName: 'Backlog',
      statistic: 'Maximum',
      period: 60,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanThreshold',
      alarmDescription: 'Backlog',
      alarmActions: [policyArn, subscribedTopic(stack, 'Pager').topicArn],
    });
    expect(lines(c08(app))).toEqual([`${MISSING_DATA} Shop/ScalesAndPages`]);
  });

  test('catches escape hatches that remove a field or disable the actions', () => {
    const { app, stack } = shop();
    const topic = subscribedTopic(stack, 'Alerts');
    const cfn = goodAlarm(stack, 'Overridden', topic).node.defaultChild as cloudwatch.CfnAlarm;
    cfn.addPropertyDeletionOverride('AlarmDescription');
    cfn.addPropertyDeletionOverride('TreatMissingData');
    cfn.addOverride('Properties.DatapointsToAlarm', undefined);
    const disabled = goodAlarm(stack, 'Disabled', topic);
    (disabled.node.defaultChild as cloudwatch.CfnAlarm).addPropertyOverride('ActionsEnabled', 'false');
    const findings = c08(app);
    expect(lines(findings)).toEqual([
      `${ACTIONS} Shop/Disabled/Resource`,
      `${DATAPOINTS} Shop/Overridden/Resource`,
      `${DESCRIPTION} Shop/Overridden/Resource`,
      `${MISSING_DATA} Shop/Overridden/Resource`,
    ]);
    expect(findings.find(f => f.ruleId === ACTIONS)!.message).toContain('has ActionsEnabled false');
  });

  describe('Fintech-C08-AlarmToUnsubscribedTopic', () => {
    test('fails an alarm whose only topic has no subscription and passes one whose topic has one', () => {
      const { app, stack } = shop();
      goodAlarm(stack, 'Silent', new sns.Topic(stack, 'Nobody'));
      goodAlarm(stack, 'Heard', subscribedTopic(stack, 'Alerts'));
      const findings = c08(app);
      expect(lines(findings)).toEqual([`${UNSUBSCRIBED} Shop/Silent/Resource`]);
      expect(findings[0]).toMatchObject({
        severity: 'error',
        locations: ['Properties/AlarmActions'],
        message: expect.stringMatching(/^AWS::CloudWatch::Alarm Silent[0-9A-F]{8} sends its alarm actions only to AWS::SNS::Topic Nobody[0-9A-F]{8}, which nobody subscribes to/),
      });
    });

    test('counts inline subscriptions, Chatbot channels and subscriptions by literal ARN, on L1 topics', () => {
      const { app, stack } = shop();
      const inline = new sns.CfnTopic(stack, 'Inline', { subscription: [{ protocol: 'email', endpoint: 'oncall@example.com' }] });
      goodAlarm(stack, 'ToInline', sns.Topic.fromTopicArn(stack, 'InlineRef', inline.ref));
      const chat = new sns.Topic(stack, 'Chat');
      new chatbot.CfnSlackChannelConfiguration(stack, 'Slack', {
        configurationName: 'ledger', iamRoleArn: 'arn:aws:iam::123456789012:role/chatbot', slackChannelId: 'C1', slackWorkspaceId: 'T1', snsTopicArns: [chat.topicArn],
      });
      goodAlarm(stack, 'ToChat', chat);
      const named = new sns.CfnTopic(stack, 'Named', { topicName: 'ledger-alerts-dev' });
      new sns.CfnSubscription(stack, 'ByArn', { topicArn: 'arn:aws:sns:eu-west-1:123456789012:ledger-alerts-dev', protocol: 'email', endpoint: 'oncall@example.com' });
      goodAlarm(stack, 'ToNamed', sns.Topic.fromTopicArn(stack, 'NamedRef', named.attrTopicArn));
      const empty = new sns.CfnTopic(stack, 'EmptyInline', { subscription: [] });
      goodAlarm(stack, 'ToEmpty', sns.Topic.fromTopicArn(stack, 'EmptyRef', empty.ref));
      expect(lines(c08(app))).toEqual([`${UNSUBSCRIBED} Shop/ToEmpty/Resource`]);
    });

    test('resolves topics and subscriptions in other stacks through exports', () => {
      const app = testApp();
      const alerts = new Stack(app, 'Alerts');
      const subscribedElsewhere = new sns.Topic(alerts, 'Paged');
      const unsubscribed = new sns.Topic(alerts, 'Dropped');
      const operations = new Stack(app, 'Operations');
      new sns.Subscription(operations, 'Pager', { topic: subscribedElsewhere, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: 'oncall@example.com' });
      const workload = new Stack(app, 'Workload');
      goodAlarm(workload, 'Paged', subscribedElsewhere);
      goodAlarm(workload, 'Dropped', unsubscribed);
      const findings = c08(app);
      expect(lines(findings)).toEqual([`${UNSUBSCRIBED} Workload/Dropped/Resource`]);
      expect(findings[0].message).toContain('(in Alerts)');
    });

    test('reads literal topic ARNs: a named topic of the app is judged, any other topic is not', () => {
      const { app, stack } = shop();
      new sns.CfnTopic(stack, 'Named', { topicName: 'ledger-alerts-dev' });
      const toNamed = goodAlarm(stack, 'ToNamed', subscribedTopic(stack, 'Unused'));
      (toNamed.node.defaultChild as cloudwatch.CfnAlarm).addPropertyOverride('AlarmActions', ['arn:aws:sns:eu-west-1:123456789012:ledger-alerts-dev']);
      goodAlarm(stack, 'External', sns.Topic.fromTopicArn(stack, 'Theirs', 'arn:aws:sns:eu-west-1:123456789012:central-pager'));
      const mixed = goodAlarm(stack, 'Mixed', new sns.Topic(stack, 'Nobody'));
      mixed.addAlarmAction(new actions.SnsAction(sns.Topic.fromTopicArn(stack, 'Central', 'arn:aws:sns:eu-west-1:123456789012:central-pager')));
      expect(lines(c08(app))).toEqual([`${UNSUBSCRIBED} Shop/ToNamed/Resource`]);
    });

    test('reports nothing when a subscription or an action cannot be resolved', () => {
      const unknownSubscription = shop();
      const param = new CfnParameter(unknownSubscription.stack, 'AlertTopicArn');
      new sns.CfnSubscription(unknownSubscription.stack, 'Somewhere', { topicArn: param.valueAsString, protocol: 'email', endpoint: 'oncall@example.com' });
      goodAlarm(unknownSubscription.stack, 'Silent', new sns.Topic(unknownSubscription.stack, 'Nobody'));
      expect(c08(unknownSubscription.app)).toEqual([]);

      const unknownAction = shop();
      const alarm = goodAlarm(unknownAction.stack, 'Conditional', new sns.Topic(unknownAction.stack, 'Nobody'));
      (alarm.node.defaultChild as cloudwatch.CfnAlarm).addPropertyOverride('AlarmActions', [{ 'Fn::If': ['Paging', 'arn:aws:sns:eu-west-1:123456789012:pager', { Ref: 'AWS::NoValue' }] }]);
      const imported = goodAlarm(unknownAction.stack, 'Imported', new sns.Topic(unknownAction.stack, 'Other'));
      (imported.node.defaultChild as cloudwatch.CfnAlarm).addPropertyOverride('AlarmActions', [Fn.importValue('CentralPagerArn')]);
      expect(c08(unknownAction.app)).toEqual([]);
    });
  });

  test('treats intrinsic fields and properties as unknown', () => {
    const { app, stack } = shop();
    const topic = subscribedTopic(stack, 'Alerts');
    const fields = goodAlarm(stack, 'Fields', topic).node.defaultChild as cloudwatch.CfnAlarm;
    fields.addPropertyOverride('AlarmDescription', { 'Fn::Sub': 'Ledger errors in ${AWS::Region}' });
    fields.addPropertyOverride('AlarmActions', { 'Fn::If': ['Paging', [topic.topicArn], []] });
    fields.addPropertyOverride('ActionsEnabled', { 'Fn::If': ['Paging', true, false] });
    const whole = goodAlarm(stack, 'Whole', topic).node.defaultChild as cloudwatch.CfnAlarm;
    whole.addOverride('Properties', { 'Fn::If': ['Paging', {}, {}] });
    expect(c08(app)).toEqual([]);
  });

  test('does not crash on odd but valid shapes', () => {
    const { app, stack } = shop();
    const topic = subscribedTopic(stack, 'Alerts');
    const odd = goodAlarm(stack, 'Odd', topic).node.defaultChild as cloudwatch.CfnAlarm;
    odd.addPropertyOverride('AlarmActions', [42, null, { Ref: 'AWS::NoValue' }, topic.topicArn]);
    odd.addPropertyOverride('DatapointsToAlarm', '3');
    new sns.CfnSubscription(stack, 'Broken', { topicArn: topic.topicArn, protocol: 'email' }).addPropertyDeletionOverride('TopicArn');
    new chatbot.CfnSlackChannelConfiguration(stack, 'NoTopics', { configurationName: 'x', iamRoleArn: 'arn:aws:iam::1:role/x', slackChannelId: 'C', slackWorkspaceId: 'T' });
    expect(c08(app)).toEqual([]);
  });
});
