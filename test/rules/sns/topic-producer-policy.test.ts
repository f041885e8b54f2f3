import { App, CfnResource, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { TopicProducerPolicy } from '../../../src/rules/sns/topic-producer-policy';
import { findingsOf, lines, shop, testApp } from '../rule-harness';

const C05 = TopicProducerPolicy.INFO.id;

function c05(app: App) {
  return findingsOf(app, [C05]);
}

function rawRule(scope: Construct, id: string, topicArn: string) {
  return new events.CfnRule(scope, id, { eventPattern: { source: ['payments'] }, targets: [{ id: 'Topic', arn: topicArn }] });
}

/** A topic with a topic policy of its own: TLS only, as careful teams write it. */
function tlsOnlyTopic(scope: Construct, id: string): sns.Topic {
  return new sns.Topic(scope, id, { enforceSSL: true });
}

describe('Fintech-C05-ProducerWithoutTopicPolicy', () => {
  test('passes what CDK writes: targets.SnsTopic and SnsDestination, on TLS-only topics', () => {
    const { app, stack } = shop();
    new events.Rule(stack, 'Hourly', { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.SnsTopic(tlsOnlyTopic(stack, 'Ticks'))] });
    new s3.Bucket(stack, 'Uploads').addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SnsDestination(tlsOnlyTopic(stack, 'Uploaded')));
    expect(c05(app)).toEqual([]);
  });

  test('fails a raw rule and a raw bucket notification publishing to a topic whose own policy does not let them, saying what each does without it', () => {
    const { app, stack } = shop();
    const settled = tlsOnlyTopic(stack, 'Settled');
    rawRule(stack, 'SettledRule', settled.topicArn);
    const uploaded = tlsOnlyTopic(stack, 'Uploaded');
    new s3.CfnBucket(stack, 'Uploads', { notificationConfiguration: { topicConfigurations: [{ event: 's3:ObjectCreated:*', topic: uploaded.topicArn }] } });
    const findings = c05(app);
    expect(lines(findings)).toEqual([`${C05} Shop/Settled/Resource`, `${C05} Shop/Uploaded/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/receives from events\.amazonaws\.com \(AWS::Events::Rule SettledRule\), but no statement of its topic policy lets that service publish to it: EventBridge drops every event/),
      fix: expect.stringContaining('events.amazonaws.com sns:Publish'),
    });
    expect(findings[1].message).toContain('S3 refuses the notification configuration, so the deploy fails');
  });

  test('does not judge a topic without a topic policy (SNS\'s default policy applies), nor CloudWatch alarm actions', () => {
    const { app, stack } = shop();
    rawRule(stack, 'Rule', new sns.Topic(stack, 'Default').topicArn);
    const alerts = tlsOnlyTopic(stack, 'Alerts');
    new cloudwatch.Alarm(stack, 'Alarm', { metric: new cloudwatch.Metric({ namespace: 'Payments', metricName: 'Failed' }), threshold: 1, evaluationPeriods: 1 })
      .addAlarmAction(new actions.SnsAction(alerts));
    expect(c05(app)).toEqual([]);
  });

  test('a statement counts for the service (or everyone), sns:Publish (or a wildcard), the topic (or "*") and a source that may be the rule', () => {
    const { app, stack } = shop();
    const other = rawRule(stack, 'Other', 'arn:aws:sns:eu-west-1:123456789012:elsewhere');
    const statement = (topic: sns.Topic, change: Record<string, unknown>) => ({
      Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: topic.topicArn, ...change,
    });
    const cases: Record<string, Record<string, unknown>> = {
      Plain: {},
      Everyone: { Principal: { AWS: '*' } },
      AllActions: { Action: 'sns:*' },
      AnyResource: { Resource: '*' },
      PinnedToRule: { Condition: { ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': ['PinnedToRuleRule', 'Arn'] } } } },
      Account: { Principal: { AWS: 'arn:aws:iam::123456789012:root' } },
      OtherService: { Principal: { Service: 'sqs.amazonaws.com' } },
      SubscribeOnly: { Action: 'sns:Subscribe' },
      OtherSource: { Condition: { ArnEquals: { 'aws:SourceArn': other.attrArn } } },
    };
    for (const [id, change] of Object.entries(cases)) {
      const topic = new sns.Topic(stack, id);
      rawRule(stack, `${id}Rule`, topic.topicArn);
      new sns.CfnTopicPolicy(stack, `${id}Policy`, { topics: [topic.topicArn], policyDocument: { Version: '2012-10-17', Statement: [statement(topic, change)] } });
    }
    const inline = new sns.Topic(stack, 'Inline');
    rawRule(stack, 'InlineRule', inline.topicArn);
    new CfnResource(stack, 'InlinePolicy', { type: 'AWS::SNS::TopicInlinePolicy', properties: { TopicArn: inline.topicArn, PolicyDocument: { Statement: [statement(inline, {})] } } });
    expect(lines(c05(app))).toEqual(['Account', 'OtherService', 'OtherSource', 'SubscribeOnly'].map(id => `${C05} Shop/${id}/Resource`));
  });

  test('follows topics and policies across stacks, and judges nothing when a policy names a topic the templates cannot tell', () => {
    const app = testApp();
    const data = new Stack(app, 'Data');
    const settled = tlsOnlyTopic(data, 'Settled');
    const refunded = tlsOnlyTopic(data, 'Refunded');
    const routing = new Stack(app, 'Routing');
    // The routing stack grants its rule on the data stack's topic with a policy of its own.
    rawRule(routing, 'SettledRule', settled.topicArn);
    new sns.CfnTopicPolicy(routing, 'SettledPolicy', {
      topics: [settled.topicArn],
      policyDocument: new iam.PolicyDocument({ statements: [new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('events.amazonaws.com')], actions: ['sns:Publish'], resources: [settled.topicArn] })] }),
    });
    rawRule(routing, 'RefundedRule', refunded.topicArn);
    expect(lines(c05(app))).toEqual([`${C05} Data/Refunded/Resource`]);

    const unknown = shop();
    rawRule(unknown.stack, 'Rule', tlsOnlyTopic(unknown.stack, 'Topic').topicArn);
    new sns.CfnTopicPolicy(unknown.stack, 'Policy', { topics: Fn.split(',', Fn.importValue('topic-arns')), policyDocument: { Statement: [] } });
    expect(c05(unknown.app)).toEqual([]);
  });
});
