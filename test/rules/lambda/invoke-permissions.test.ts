import { App, Duration, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as logsDestinations from 'aws-cdk-lib/aws-logs-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sesActions from 'aws-cdk-lib/aws-ses-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { InvokePermissions } from '../../../src/rules/lambda/invoke-permissions';
import { findingsOf, lines, shop, testApp } from '../rule-harness';

const C05 = InvokePermissions.INFO.id;
const HOURLY = events.Schedule.rate(Duration.hours(1));

function c05(app: App) {
  return findingsOf(app, [C05]);
}

function handler(scope: Construct, id: string) {
  return new lambda.Function(scope, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
}

/** A raw rule of `scope` sending every payment event to `arn`. */
function rawRule(scope: Construct, id: string, arn: string) {
  return new events.CfnRule(scope, id, { eventPattern: { source: ['payments'] }, targets: [{ id: 'Target', arn }] });
}

function permit(scope: Construct, id: string, props: Partial<lambda.CfnPermissionProps> & { functionName: string }) {
  return new lambda.CfnPermission(scope, id, { action: 'lambda:InvokeFunction', principal: 'events.amazonaws.com', ...props });
}

describe('Fintech-C05-ProducerWithoutInvokePermission', () => {
  test('passes what CDK writes: targets.LambdaFunction, LambdaSubscription and LambdaDestination add their permissions, also to an alias', () => {
    const { app, stack } = shop();
    new events.Rule(stack, 'Hourly', { schedule: HOURLY, targets: [new targets.LambdaFunction(handler(stack, 'Scheduled'))] });
    new sns.Topic(stack, 'Payments').addSubscription(new subscriptions.LambdaSubscription(handler(stack, 'Subscriber')));
    new s3.Bucket(stack, 'Uploads').addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(handler(stack, 'OnUpload')));
    const live = new lambda.Alias(stack, 'Live', { aliasName: 'live', version: handler(stack, 'Versioned').currentVersion });
    new events.Rule(stack, 'ToAlias', { schedule: HOURLY, targets: [new targets.LambdaFunction(live)] });
    expect(c05(app)).toEqual([]);
  });

  test('fails a raw rule, subscription and bucket notification without a permission, naming each service and what it does without one', () => {
    const { app, stack } = shop();
    const settle = handler(stack, 'Settle');
    rawRule(stack, 'Settled', settle.functionArn);
    new sns.CfnSubscription(stack, 'Refunds', { protocol: 'lambda', endpoint: settle.functionArn, topicArn: new sns.Topic(stack, 'RefundTopic').topicArn });
    const onUpload = handler(stack, 'OnUpload');
    new s3.CfnBucket(stack, 'Uploads', { notificationConfiguration: { lambdaConfigurations: [{ event: 's3:ObjectCreated:*', function: onUpload.functionArn }] } });
    const findings = c05(app);
    expect(lines(findings)).toEqual([`${C05} Shop/OnUpload/Resource`, `${C05} Shop/Settle/Resource`]);
    expect(findings[0].message).toMatch(/^AWS::Lambda::Function OnUpload\w+ is invoked by s3\.amazonaws\.com \(AWS::S3::Bucket Uploads\), but no AWS::Lambda::Permission lets that service invoke it: S3 refuses the notification configuration, so the deploy fails\.$/);
    expect(findings[1]).toMatchObject({
      severity: 'error',
      message: expect.stringMatching(/is invoked by events\.amazonaws\.com \(AWS::Events::Rule Settled\), sns\.amazonaws\.com \(AWS::SNS::Subscription Refunds\), but no AWS::Lambda::Permission lets those services invoke it: EventBridge drops every event/),
      fix: expect.stringContaining('principal events.amazonaws.com or sns.amazonaws.com'),
    });
  });

  test('a permission counts for its principal, action, function (by reference, name, ARN, alias or version) and source only', () => {
    const { app, stack } = shop();
    const fns = ['ByRef', 'ByName', 'ByAlias', 'WrongPrincipal', 'WrongAction', 'OtherRule', 'Unpermitted', 'AnySource', 'UnknownSource', 'AnyPrincipal']
      .map(id => handler(stack, id));
    // Unpermitted has no permission of its own: P7, on ByRef for Unpermitted's rule, does not count for it.
    const [byRef, byName, byAlias, wrongPrincipal, wrongAction, otherRule, , anySource, unknownSource, anyPrincipal] = fns;
    const rules = Object.fromEntries(fns.map(fn => [fn.node.id, rawRule(stack, `${fn.node.id}Rule`, fn.functionArn)]));
    permit(stack, 'P1', { functionName: byRef.functionArn, sourceArn: rules.ByRef.attrArn });
    (byName.node.defaultChild as lambda.CfnFunction).functionName = 'settle-by-name';
    permit(stack, 'P2', { functionName: 'settle-by-name' });
    permit(stack, 'P3', { functionName: new lambda.Alias(stack, 'Live', { aliasName: 'live', version: byAlias.currentVersion }).functionArn });
    permit(stack, 'P4', { functionName: wrongPrincipal.functionArn, principal: 'sns.amazonaws.com' });
    permit(stack, 'P5', { functionName: wrongAction.functionArn, action: 'lambda:InvokeFunctionUrl' });
    permit(stack, 'P6', { functionName: otherRule.functionArn, sourceArn: rules.ByRef.attrArn });
    permit(stack, 'P7', { functionName: byRef.functionArn, sourceArn: rules.Unpermitted.attrArn });
    permit(stack, 'P8', { functionName: anySource.functionArn, sourceArn: 'arn:aws:events:eu-west-1:123456789012:rule/*' });
    permit(stack, 'P9', { functionName: unknownSource.functionArn, sourceArn: Fn.importValue('settlement-rule-arn') });
    // Built on a referenced rule's name, a SourceArn may name another rule: it counts.
    const joinedSource = handler(stack, 'JoinedSource');
    rawRule(stack, 'JoinedSourceRule', joinedSource.functionArn);
    permit(stack, 'P9b', { functionName: joinedSource.functionArn, sourceArn: Fn.join('', ['arn:aws:events:eu-west-1:123456789012:rule/', rules.ByRef.ref]) });
    permit(stack, 'P10', { functionName: anyPrincipal.functionArn, principal: '*', action: 'lambda:*' });
    expect(lines(c05(app))).toEqual(['OtherRule', 'Unpermitted', 'WrongAction', 'WrongPrincipal'].map(id => `${C05} Shop/${id}/Resource`));
  });

  test('follows functions and permissions across stacks: a nested stack\'s rule to its parent\'s function, a permission in another stack', () => {
    const app = testApp();
    const functions = new Stack(app, 'Functions');
    const settle = handler(functions, 'Settle');
    const refund = handler(functions, 'Refund');
    const routing = new Stack(app, 'Routing');
    const nested = new NestedStack(routing, 'Rules');
    rawRule(nested, 'Settled', settle.functionArn);
    const refunded = rawRule(routing, 'Refunded', refund.functionArn);
    permit(routing, 'AllowRefunded', { functionName: refund.functionArn, sourceArn: refunded.attrArn });
    expect(lines(c05(app))).toEqual([`${C05} Functions/Settle/Resource`]);
  });

  test('judges alarm actions: a raw alarm without a permission fails, LambdaAction passes (one permission per alarm with useUniquePermissionId)', () => {
    const { app, stack } = shop();
    const backlog = (id: string) => new cloudwatch.Alarm(stack, id, {
      metric: new cloudwatch.Metric({ namespace: 'Ledger', metricName: id, period: Duration.minutes(1) }), threshold: 1, evaluationPeriods: 1,
    });
    new cloudwatch.CfnAlarm(stack, 'Raw', {
      namespace: 'Ledger',
      metricName: 'Backlog',
      statistic: 'Maximum',
      period: 60,
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanThreshold',
      alarmActions: [handler(stack, 'RawRemediation').functionArn],
    });
    const remediation = handler(stack, 'Remediation');
    backlog('Postings').addAlarmAction(new actions.LambdaAction(remediation, { useUniquePermissionId: true }));
    backlog('Refunds').addAlarmAction(new actions.LambdaAction(remediation, { useUniquePermissionId: true }));
    backlog('Settlements').addAlarmAction(new actions.LambdaAction(handler(stack, 'Settlement')));
    const findings = c05(app);
    expect(lines(findings)).toEqual([`${C05} Shop/RawRemediation/Resource`]);
    expect(findings[0].message).toMatch(/invoked by lambda\.alarms\.cloudwatch\.amazonaws\.com \(AWS::CloudWatch::Alarm Raw\), but .*: the alarm's action fails/);
  });

  test('judges SES receipt rules, IoT topic rules and log subscription filters: CDK\'s actions and destination pass, raw ones without a permission fail', () => {
    const { app, stack } = shop();
    new ses.ReceiptRuleSet(stack, 'Inbound', { rules: [{ actions: [new sesActions.Lambda({ function: handler(stack, 'Triage') })] }] });
    const audit = new logs.LogGroup(stack, 'Audit');
    new logs.SubscriptionFilter(stack, 'ToShipper', {
      logGroup: audit, destination: new logsDestinations.LambdaDestination(handler(stack, 'Shipper')), filterPattern: logs.FilterPattern.allEvents(),
    });
    const telemetry = handler(stack, 'Telemetry');
    const rule = new iot.CfnTopicRule(stack, 'Health', { topicRulePayload: { sql: 'SELECT * FROM \'terminals/+/health\'', actions: [{ lambda: { functionArn: telemetry.functionArn } }] } });
    telemetry.addPermission('FromHealth', { principal: new iam.ServicePrincipal('iot.amazonaws.com'), sourceArn: rule.attrArn });
    // Raw: no permission at all, or one for the regional CloudWatch Logs principal (which counts).
    const rawMail = handler(stack, 'RawMail');
    new ses.CfnReceiptRule(stack, 'RawReceipt', { ruleSetName: 'inbound', rule: { enabled: true, actions: [{ lambdaAction: { functionArn: rawMail.functionArn } }] } });
    const rawIot = handler(stack, 'RawIot');
    new iot.CfnTopicRule(stack, 'RawRule', {
      topicRulePayload: { sql: 'SELECT * FROM \'terminals/+/faults\'', actions: [], errorAction: { lambda: { functionArn: rawIot.functionArn } } },
    });
    const rawShip = handler(stack, 'RawShip');
    new logs.CfnSubscriptionFilter(stack, 'RawFilter', { logGroupName: audit.logGroupName, filterPattern: '', destinationArn: rawShip.functionArn });
    const regional = handler(stack, 'Regional');
    new logs.CfnSubscriptionFilter(stack, 'RegionalFilter', { logGroupName: audit.logGroupName, filterPattern: '', destinationArn: regional.functionArn });
    permit(stack, 'RegionalPermission', { functionName: regional.functionName, principal: 'logs.eu-west-1.amazonaws.com', sourceArn: audit.logGroupArn });
    // A log group's stream destination is no function.
    new logs.CfnSubscriptionFilter(stack, 'ToStream', { logGroupName: audit.logGroupName, filterPattern: '', destinationArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/siem' });
    const findings = c05(app);
    expect(lines(findings)).toEqual([`${C05} Shop/RawIot/Resource`, `${C05} Shop/RawMail/Resource`, `${C05} Shop/RawShip/Resource`]);
    const message = (id: string) => findings.find(f => f.logicalId.startsWith(id))!.message;
    expect(message('RawIot')).toMatch(/is invoked by iot\.amazonaws\.com \(AWS::IoT::TopicRule RawRule\), but no AWS::Lambda::Permission lets that service invoke it: the topic rule's action fails/);
    expect(message('RawMail')).toContain('ses.amazonaws.com (AWS::SES::ReceiptRule RawReceipt)');
    expect(message('RawShip')).toContain('CloudWatch Logs refuses the subscription filter, so the deploy fails');
  });

  test('leaves alone functions of another account, and every function when a permission names a function it cannot tell', () => {
    for (const unknownPermission of [false, true]) {
      const { app, stack } = shop();
      rawRule(stack, 'External', 'arn:aws:lambda:eu-west-1:210987654321:function:partner-hook');
      const quiet = handler(stack, 'Quiet');
      rawRule(stack, 'QuietRule', quiet.functionArn);
      if (unknownPermission) permit(stack, 'Unknown', { functionName: Fn.conditionIf('Blue', 'settle-blue', 'settle-green').toString() });
      expect(lines(c05(app))).toEqual(unknownPermission ? [] : [`${C05} Shop/Quiet/Resource`]);
    }
  });

  test('never throws when a permission\'s properties are intrinsics or odd values', () => {
    for (const property of ['action', 'principal', 'functionName', 'sourceArn']) {
      for (const odd of [{ Ref: 'Param' }, { 'Fn::If': ['C', 'a', 'b'] }, 42, [], {}, null]) {
        const { app, stack } = shop();
        const settle = handler(stack, 'Settle');
        rawRule(stack, 'Settled', settle.functionArn);
        permit(stack, 'Odd', { functionName: settle.functionArn }).addPropertyOverride(property.charAt(0).toUpperCase() + property.slice(1), odd);
        expect(() => c05(app)).not.toThrow();
      }
    }
  });
});
