import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { CentralMonitoringBus, ChangeEventService, ServiceChangeEvents } from '../../src/observability/service-change-events';
import { CONFIG, stackIn, synthReport, testApp, twoStacksIn } from '../support/fintech-fixture';

const CENTRAL_BUS = 'arn:aws:events:eu-west-1:210987654321:event-bus/ledger-monitoring-ops';

function rulesOf(template: Template): any[] {
  return Object.values(template.findResources('AWS::Events::Rule')).map(r => r.Properties);
}

function ruleFor(template: Template, source: string): any {
  return rulesOf(template).find(r => r.EventPattern.source[0] === source);
}

describe('ServiceChangeEvents', () => {
  test('one rule per service on the default bus, for successful CloudTrail calls that change configuration', () => {
    const stack = stackIn(testApp(), 'prod');
    new ServiceChangeEvents(stack, 'Changes');
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Events::Rule', 5);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventBusName: Match.absent(),
      EventPattern: {
        'source': ['aws.dynamodb'],
        'detail-type': ['AWS API Call via CloudTrail'],
        'detail': {
          eventSource: ['dynamodb.amazonaws.com'],
          eventName: Match.arrayWith(['CreateTable', 'UpdateTable', 'DeleteTable', 'UpdateTimeToLive', 'UpdateContinuousBackups']),
          errorCode: [{ exists: false }],
        },
      },
    });
    expect(ruleFor(template, 'aws.sqs').EventPattern.detail.eventName).toEqual(['CreateQueue', 'DeleteQueue', 'SetQueueAttributes', 'PurgeQueue', 'AddPermission', 'RemovePermission']);
    expect(ruleFor(template, 'aws.apigateway').EventPattern.detail).toEqual(expect.objectContaining({ eventSource: ['apigateway.amazonaws.com'] }));
    expect(ruleFor(template, 'aws.apigateway').EventPattern.detail.eventName).toEqual(expect.arrayContaining(['CreateDeployment', 'UpdateStage', 'UpdateIntegration']));
  });

  test('Lambda event names match by prefix, since CloudTrail adds an API version to them', () => {
    const stack = stackIn(testApp(), 'prod');
    new ServiceChangeEvents(stack, 'Changes', { services: [ChangeEventService.LAMBDA], alarmStateChanges: false });
    const lambdaRule = ruleFor(Template.fromStack(stack), 'aws.lambda');
    expect(lambdaRule.EventPattern.detail.eventSource).toEqual(['lambda.amazonaws.com']);
    expect(lambdaRule.EventPattern.detail.eventName).toEqual(expect.arrayContaining([{ prefix: 'UpdateFunctionConfiguration' }, { prefix: 'UpdateFunctionCode' }, { prefix: 'PutFunctionConcurrency' }]));
    expect(lambdaRule.EventPattern.detail.eventName.every((m: any) => typeof m.prefix === 'string')).toBe(true);
    Template.fromStack(stack).resourceCountIs('AWS::Events::Rule', 1);
  });

  test('alarm state changes are a rule of their own and can be left out', () => {
    const stack = stackIn(testApp(), 'prod');
    new ServiceChangeEvents(stack, 'Changes', { services: [ChangeEventService.SQS] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::Rule', { EventPattern: { 'source': ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'] } });

    const without = stackIn(testApp(), 'prod');
    new ServiceChangeEvents(without, 'Changes', { services: [ChangeEventService.SQS], alarmStateChanges: false });
    expect(ruleFor(Template.fromStack(without), 'aws.cloudwatch')).toBeUndefined();
  });

  test('every rule notifies the alert topic with a one-line message, retries, then falls back to an encrypted DLQ', () => {
    const stack = stackIn(testApp(), 'prod');
    const changes = new ServiceChangeEvents(stack, 'Changes');
    const template = Template.fromStack(stack);
    const topicArn = stack.resolve(AlertTopic.of(stack).topicArn);
    const dlqArn = stack.resolve(changes.deadLetterQueue.queueArn);
    for (const rule of rulesOf(template)) {
      expect(rule.Targets).toHaveLength(1);
      expect(rule.Targets[0]).toEqual(expect.objectContaining({
        Arn: topicArn,
        DeadLetterConfig: { Arn: dlqArn },
        RetryPolicy: { MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 7200 },
      }));
    }
    expect(ruleFor(template, 'aws.sqs').Targets[0].InputTransformer).toEqual({
      InputPathsMap: { 'detail-eventName': '$.detail.eventName', 'detail-userIdentity-arn': '$.detail.userIdentity.arn', 'account': '$.account', 'region': '$.region', 'time': '$.time', 'detail-eventID': '$.detail.eventID' },
      InputTemplate: '"Sqs configuration change: <detail-eventName> by <detail-userIdentity-arn> in <account>/<region> at <time> (CloudTrail event <detail-eventID>)"',
    });
    expect(ruleFor(template, 'aws.cloudwatch').Targets[0].InputTransformer.InputTemplate)
      .toBe('"Alarm <detail-alarmName> is <detail-state-value> (was <detail-previousState-value>) in <account>/<region> at <time>"');
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: stack.resolve(changes.deadLetterQueue.dataKey.key.keyArn), MessageRetentionPeriod: 1209600 });
  });

  test('the DLQ key and queue policy let EventBridge deliver from exactly these rules', () => {
    const stack = stackIn(testApp(), 'prod');
    const changes = new ServiceChangeEvents(stack, 'Changes', { services: [ChangeEventService.SQS], alarmStateChanges: false });
    const template = Template.fromStack(stack);
    const ruleArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':events:eu-west-1:123456789012:rule/ledger-workload-changes-sqs-prod']] };
    template.hasResourceProperties('AWS::Events::Rule', { Name: 'ledger-workload-changes-sqs-prod' });
    const keys = template.findResources('AWS::KMS::Key');
    const dlqKey = keys[stack.getLogicalId(changes.deadLetterQueue.dataKey.key.node.defaultChild as any)];
    expect(dlqKey.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': ruleArn } },
    }));
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': stack.resolve(changes.rules[0].ruleArn) } } })]) },
    });
  });

  test('an alarm on undelivered events, with description, missing-data policy and actions to the alert topic', () => {
    const stack = stackIn(testApp(), 'prod');
    new ServiceChangeEvents(stack, 'Changes');
    const topicArn = stack.resolve(AlertTopic.of(stack).topicArn);
    // The one alarm: SecureQueue's own consumer alarms are off, since this queue has no consumer.
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 1);
    Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'ledger-workload-changes-undelivered-prod',
      AlarmDescription: Match.stringLikeRegexp('could not be delivered'),
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Period: 60,
      Statistic: 'Maximum',
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 1,
      DatapointsToAlarm: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topicArn],
      OKActions: [topicArn],
    });
  });

  test('retries and event age are configurable', () => {
    const stack = stackIn(testApp(), 'prod');
    new ServiceChangeEvents(stack, 'Changes', { services: [ChangeEventService.SQS], alarmStateChanges: false, retryAttempts: 3, maxEventAge: Duration.minutes(30) });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
      Targets: [Match.objectLike({ RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 1800 } })],
    });
  });

  test('with centralBusArn every rule also forwards to the central bus through a role that may put events on exactly that bus', () => {
    const stack = stackIn(testApp(), 'prod');
    const changes = new ServiceChangeEvents(stack, 'Changes', { centralBusArn: CENTRAL_BUS });
    const template = Template.fromStack(stack);
    const roleArn = stack.resolve(changes.centralBusRole!.roleArn);
    const dlqArn = stack.resolve(changes.deadLetterQueue.queueArn);
    for (const rule of rulesOf(template)) {
      expect(rule.Targets).toHaveLength(2);
      expect(rule.Targets[1]).toEqual(expect.objectContaining({
        Arn: CENTRAL_BUS,
        RoleArn: roleArn,
        DeadLetterConfig: { Arn: dlqArn },
        RetryPolicy: { MaximumRetryAttempts: 20, MaximumEventAgeInSeconds: 7200 },
      }));
      expect(rule.Targets[1].InputTransformer).toBeUndefined();
    }
    template.hasResourceProperties('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'events.amazonaws.com' } })] } });
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [stack.resolve(changes.centralBusRole!.roleName)],
      PolicyDocument: { Statement: [{ Effect: 'Allow', Action: 'events:PutEvents', Resource: CENTRAL_BUS }] },
    });
  });

  test.each(['dev', 'prod'] as const)('passes the rule pack in %s, central bus included', stageName => {
    const app = testApp();
    new ServiceChangeEvents(stackIn(app, stageName, { ...CONFIG, alarmEmail: 'oncall@example.com' }), 'Changes', { centralBusArn: CENTRAL_BUS });
    expect(synthReport(app).violations.filter(v => v.severity === 'error')).toEqual([]);
  });

  test('refuses a centralBusArn that is not an event bus ARN', () => {
    expect(() => new ServiceChangeEvents(stackIn(testApp(), 'prod'), 'Changes', { centralBusArn: 'arn:aws:sns:eu-west-1:210987654321:ops' }))
      .toThrow('ServiceChangeEvents at prod/Workload/Changes: centralBusArn "arn:aws:sns:eu-west-1:210987654321:ops" is not an event bus ARN; pass arn:aws:events:<region>:<account>:event-bus/<name> of the central account\'s bus.');
  });

  test('refuses to report nothing', () => {
    expect(() => new ServiceChangeEvents(stackIn(testApp(), 'prod'), 'Changes', { services: [], alarmStateChanges: false }))
      .toThrow('ServiceChangeEvents at prod/Workload/Changes: services is empty and alarmStateChanges is false, so there is nothing to report; drop services to watch all four, or remove the construct.');
  });

  test.each([-1, 186, 1.5])('refuses retryAttempts %p', retryAttempts => {
    expect(() => new ServiceChangeEvents(stackIn(testApp(), 'prod'), 'Changes', { retryAttempts }))
      .toThrow(`ServiceChangeEvents at prod/Workload/Changes: retryAttempts ${retryAttempts} is not what EventBridge allows; use a whole number from 0 to 185, or drop it for the default 20.`);
  });

  test.each([Duration.seconds(30), Duration.hours(25)])('refuses maxEventAge %p', maxEventAge => {
    expect(() => new ServiceChangeEvents(stackIn(testApp(), 'prod'), 'Changes', { maxEventAge }))
      .toThrow(`ServiceChangeEvents at prod/Workload/Changes: maxEventAge ${maxEventAge.toHumanString()} is not what EventBridge allows; use 1 minute to 24 hours, or drop it for the default 2 hours.`);
  });
});

describe('CentralMonitoringBus', () => {
  test('a bus named for the stage whose policy lets each source account put events, and nothing else', () => {
    const stack = stackIn(testApp(), 'prod');
    const central = new CentralMonitoringBus(stack, 'Central', { sourceAccounts: ['111111111111', '222222222222', '111111111111'] });
    central.allowSourceAccount('222222222222');
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'ledger-monitoring-prod' });
    template.resourceCountIs('AWS::Events::EventBusPolicy', 2);
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: stack.resolve(central.eventBus.eventBusName),
      StatementId: 'cdk-AllowPutEventsFrom111111111111',
      Statement: {
        Sid: 'cdk-AllowPutEventsFrom111111111111',
        Effect: 'Allow',
        Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] } },
        Action: 'events:PutEvents',
        Resource: stack.resolve(central.eventBusArn),
      },
    });
  });

  test('eventBusName names the bus as given; with nameBase too it is refused', () => {
    const stack = stackIn(testApp(), 'prod');
    new CentralMonitoringBus(stack, 'Central', { sourceAccounts: ['111111111111'], eventBusName: 'ledger-central-monitoring' });
    Template.fromStack(stack).hasResourceProperties('AWS::Events::EventBus', { Name: 'ledger-central-monitoring' });
    expect(() => new CentralMonitoringBus(stack, 'Both', { sourceAccounts: ['111111111111'], eventBusName: 'ledger-central-monitoring', nameBase: 'monitoring' }))
      .toThrow('CentralMonitoringBus at prod/Workload/Both: both eventBusName and nameBase are set, but only one names the bus; drop nameBase to keep the name "ledger-central-monitoring".');
  });

  test('its own account needs no bus policy', () => {
    const stack = stackIn(testApp(), 'prod');
    new CentralMonitoringBus(stack, 'Central', { sourceAccounts: ['123456789012'] });
    Template.fromStack(stack).resourceCountIs('AWS::Events::EventBusPolicy', 0);
  });

  test('refuses an empty list of source accounts', () => {
    expect(() => new CentralMonitoringBus(stackIn(testApp(), 'prod'), 'Central', { sourceAccounts: [] }))
      .toThrow('CentralMonitoringBus at prod/Workload/Central: sourceAccounts is empty, so no account may put events on the bus; list the account ids of the stages that forward to it.');
  });

  test('refuses a source account that is not an account id', () => {
    expect(() => new CentralMonitoringBus(stackIn(testApp(), 'prod'), 'Central', { sourceAccounts: ['ledger-prod'] }))
      .toThrow('CentralMonitoringBus at prod/Workload/Central: source account "ledger-prod" is not a 12-digit account id; pass the id of the account whose ServiceChangeEvents forward here.');
  });

  test('a source stage pointed at it passes the rule pack on both sides', () => {
    const app = testApp();
    const config = { ...CONFIG, alarmEmail: 'oncall@example.com' };
    new CentralMonitoringBus(stackIn(app, 'prod', config), 'Central', { sourceAccounts: ['111111111111'] });
    new ServiceChangeEvents(stackIn(app, 'dev', config), 'Changes', { centralBusArn: CENTRAL_BUS });
    expect(synthReport(app).violations.filter(v => v.severity === 'error')).toEqual([]);
  });
});

describe('ServiceChangeEvents names', () => {
  test('rule and alarm names are unique in the stage when stacks use the same construct id', () => {
    const stacks = twoStacksIn(testApp(), 'prod');
    for (const stack of stacks) new ServiceChangeEvents(stack, 'Changes');
    const names = stacks.map(stack => {
      const template = Template.fromStack(stack);
      return [
        ...Object.values(template.findResources('AWS::Events::Rule')).map(r => r.Properties.Name),
        ...Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(r => r.Properties.AlarmName),
      ];
    });
    expect(names[0]).toContain('ledger-ingest-changes-undelivered-prod');
    expect(names[1]).toContain('ledger-settle-changes-undelivered-prod');
    expect(names[0].filter(name => names[1].includes(name))).toEqual([]);
  });
});
