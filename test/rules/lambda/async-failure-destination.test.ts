import { App, Duration, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iot from 'aws-cdk-lib/aws-iot';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as logsDestinations from 'aws-cdk-lib/aws-logs-destinations';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sesActions from 'aws-cdk-lib/aws-ses-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { AsyncFailureDestination } from '../../../src/rules/lambda/async-failure-destination';
import { findingsOf, lines, shop, testApp } from '../rule-harness';

const C12 = AsyncFailureDestination.INFO.id;

function c12(app: App) {
  return findingsOf(app, [C12]);
}

function handler(stack: Stack, id: string, props: Partial<lambda.FunctionProps> = {}) {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), ...props });
}

const HOURLY = events.Schedule.rate(Duration.hours(1));

describe('Fintech-C12-AsyncFunctionWithoutFailureDestination', () => {
  test('fails L2 functions invoked by a rule, a subscription, a bucket or an alarm, and passes them with a destination or DLQ', () => {
    const { app, stack } = shop();
    const scheduled = handler(stack, 'Scheduled');
    new events.Rule(stack, 'Rule', { schedule: HOURLY, targets: [new targets.LambdaFunction(scheduled)] });
    const topic = new sns.Topic(stack, 'Topic');
    topic.addSubscription(new subscriptions.LambdaSubscription(handler(stack, 'Subscriber')));
    new s3.Bucket(stack, 'Uploads').addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(handler(stack, 'OnUpload')));
    const failures = new sqs.Queue(stack, 'Failures');
    const safe = handler(stack, 'Safe', { onFailure: new destinations.SqsDestination(failures) });
    new events.Rule(stack, 'SafeRule', { schedule: HOURLY, targets: [new targets.LambdaFunction(safe)] });
    topic.addSubscription(new subscriptions.LambdaSubscription(handler(stack, 'SafeSubscriber', { deadLetterQueue: failures })));
    handler(stack, 'Synchronous');
    const findings = c12(app);
    expect(lines(findings)).toEqual([`${C12} Shop/OnUpload/Resource`, `${C12} Shop/Scheduled/Resource`, `${C12} Shop/Subscriber/Resource`]);
    expect(findings.find(f => f.logicalId.startsWith('Scheduled'))).toMatchObject({
      severity: 'error',
      locations: ['Properties/DeadLetterConfig'],
      message: expect.stringMatching(/^AWS::Lambda::Function Scheduled[0-9A-F]{8} is invoked asynchronously \(by AWS::Events::Rule Rule[0-9A-F]{8}\) but has no on-failure destination/),
      fix: expect.stringContaining('onFailure'),
    });
    expect(findings.find(f => f.logicalId.startsWith('OnUpload'))?.message).toMatch(/by Custom::S3BucketNotifications UploadsNotifications[0-9A-F]{8}\)/);
  });

  test('fails functions a Scheduler schedule invokes, or a pipe invokes FIRE_AND_FORGET, without a destination; a synchronous pipe target passes', () => {
    const { app, stack } = shop();
    const failures = new sqs.Queue(stack, 'Failures');
    const daily = scheduler.ScheduleExpression.cron({ minute: '0', hour: '2' });
    new scheduler.Schedule(stack, 'Nightly', { schedule: daily, target: new schedulerTargets.LambdaInvoke(handler(stack, 'Settle'), { deadLetterQueue: failures }) });
    const safe = handler(stack, 'SafeSettle', { onFailure: new destinations.SqsDestination(failures) });
    new scheduler.Schedule(stack, 'SafeNightly', { schedule: daily, target: new schedulerTargets.LambdaInvoke(safe, { deadLetterQueue: failures }) });
    const source = new sqs.Queue(stack, 'Source');
    const pipe = (id: string, fn: lambda.Function, invocationType?: string) => new pipes.CfnPipe(stack, id, {
      roleArn: 'arn:aws:iam::123456789012:role/pipe',
      source: source.queueArn,
      target: fn.functionArn,
      targetParameters: invocationType ? { lambdaFunctionParameters: { invocationType } } : undefined,
    });
    pipe('FireAndForget', handler(stack, 'Enrich'), 'FIRE_AND_FORGET');
    pipe('RequestResponse', handler(stack, 'Score'), 'REQUEST_RESPONSE');
    pipe('Unset', handler(stack, 'Route'));
    const findings = c12(app);
    expect(lines(findings)).toEqual([`${C12} Shop/Enrich/Resource`, `${C12} Shop/Settle/Resource`]);
    expect(findings.find(f => f.constructPath === 'Shop/Settle/Resource')!.message).toMatch(/is invoked asynchronously \(by AWS::Scheduler::Schedule Nightly[0-9A-F]{8}\)/);
    expect(findings.find(f => f.constructPath === 'Shop/Enrich/Resource')!.message).toContain('(by AWS::Pipes::Pipe FireAndForget)');
  });

  test('fails functions a Step Functions task invokes with InvocationType Event; waiting and token tasks are synchronous', () => {
    const { app, stack } = shop();
    const task = (id: string, fn: lambda.IFunction, props: Partial<tasks.LambdaInvokeProps> = {}) =>
      new tasks.LambdaInvoke(stack, id, { lambdaFunction: fn, invocationType: tasks.LambdaInvocationType.EVENT, ...props });
    const notify = handler(stack, 'Notify');
    const audit = handler(stack, 'Audit', { onFailure: new destinations.SqsDestination(new sqs.Queue(stack, 'AuditFailures')) });
    const score = handler(stack, 'Score');
    const approve = handler(stack, 'Approve');
    new sfn.StateMachine(stack, 'Settle', {
      definitionBody: sfn.DefinitionBody.fromChainable(sfn.Chain.start(task('NotifyTask', notify))
        .next(task('AuditTask', audit))
        .next(task('ScoreTask', score, { invocationType: tasks.LambdaInvocationType.REQUEST_RESPONSE }))
        .next(task('ApproveTask', approve, { integrationPattern: sfn.IntegrationPattern.WAIT_FOR_TASK_TOKEN, payload: sfn.TaskInput.fromObject({ token: sfn.JsonPath.taskToken }) }))),
    });
    // A raw JSONata definition written as a sub, as an included template has it.
    const role = 'arn:aws:iam::123456789012:role/fn';
    new lambda.CfnFunction(stack, 'Ledger', { role, code: { zipFile: 'exports.handler = async () => ({})' }, runtime: 'nodejs22.x', handler: 'index.handler' });
    new sfn.CfnStateMachine(stack, 'Raw', {
      roleArn: 'arn:aws:iam::123456789012:role/sfn',
      definitionString: Fn.sub(JSON.stringify({
        QueryLanguage: 'JSONata',
        StartAt: 'Post',
        States: { Post: { Type: 'Task', Resource: 'arn:${AWS::Partition}:states:::lambda:invoke', Arguments: { FunctionName: '${Ledger.Arn}', InvocationType: 'Event' }, End: true } },
      })),
    });
    const findings = c12(app);
    expect(lines(findings)).toEqual([`${C12} Shop/Ledger`, `${C12} Shop/Notify/Resource`]);
    expect(findings.find(f => f.logicalId === 'Ledger')!.message).toContain('is invoked asynchronously (by AWS::StepFunctions::StateMachine Raw)');
  });

  test('fails functions an SES receipt rule invokes as an Event, an IoT rule or a log subscription filter invokes; RequestResponse receipt actions are synchronous', () => {
    const { app, stack } = shop();
    const mail = handler(stack, 'Mail');
    const screen = handler(stack, 'Screen');
    const telemetry = handler(stack, 'Telemetry');
    const errors = handler(stack, 'IotErrors', { onFailure: new destinations.SqsDestination(new sqs.Queue(stack, 'IotFailures')) });
    new ses.ReceiptRuleSet(stack, 'Inbound', {
      rules: [{
        recipients: ['disputes@example.com'],
        actions: [
          new sesActions.Lambda({ function: mail }),
          new sesActions.Lambda({ function: screen, invocationType: sesActions.LambdaInvocationType.REQUEST_RESPONSE }),
        ],
      }],
    });
    new iot.CfnTopicRule(stack, 'CardTelemetry', {
      topicRulePayload: {
        sql: 'SELECT * FROM \'terminals/+/telemetry\'',
        actions: [{ lambda: { functionArn: telemetry.functionArn } }],
        errorAction: { lambda: { functionArn: errors.functionArn } },
      },
    });
    // CloudWatch Logs hands log events to a subscribed function asynchronously.
    const audit = new logs.LogGroup(stack, 'Audit', { retention: logs.RetentionDays.ONE_YEAR });
    new logs.SubscriptionFilter(stack, 'ToSiem', { logGroup: audit, destination: new logsDestinations.LambdaDestination(handler(stack, 'Ship')), filterPattern: logs.FilterPattern.allEvents() });
    const findings = c12(app);
    expect(lines(findings)).toEqual([`${C12} Shop/Mail/Resource`, `${C12} Shop/Ship/Resource`, `${C12} Shop/Telemetry/Resource`]);
    expect(findings.find(f => f.logicalId.startsWith('Telemetry'))!.message).toContain('(by AWS::IoT::TopicRule CardTelemetry)');
  });

  test('fails functions a REST API integration invokes with X-Amz-Invocation-Type Event; proxy and synchronous integrations are not judged', () => {
    const { app, stack } = shop();
    const api = new apigateway.RestApi(stack, 'Webhooks');
    const integration = (fn: lambda.IFunction, headers: { [name: string]: string } = {}) => new apigateway.LambdaIntegration(fn, {
      proxy: false, requestParameters: headers, integrationResponses: [{ statusCode: '202' }],
    });
    const accepted = { methodResponses: [{ statusCode: '202' }] };
    api.root.addResource('async').addMethod('POST', integration(handler(stack, 'Accept'), { 'integration.request.header.X-Amz-Invocation-Type': '\'Event\'' }), accepted);
    const kept = handler(stack, 'Kept', { onFailure: new destinations.SqsDestination(new sqs.Queue(stack, 'KeptFailures')) });
    api.root.addResource('kept').addMethod('POST', integration(kept, { 'integration.request.header.x-amz-invocation-type': '\'Event\'' }), accepted);
    api.root.addResource('sync').addMethod('POST', integration(handler(stack, 'Answer')), accepted);
    api.root.addResource('mapped').addMethod('POST', integration(handler(stack, 'Mapped'), { 'integration.request.header.X-Amz-Invocation-Type': 'method.request.header.mode' }), accepted);
    api.root.addResource('proxy').addMethod('POST', new apigateway.LambdaIntegration(handler(stack, 'Proxied')));
    const findings = c12(app);
    expect(lines(findings)).toEqual([`${C12} Shop/Accept/Resource`]);
    expect(findings[0].message).toMatch(/is invoked asynchronously \(by AWS::ApiGateway::Method WebhooksasyncPOST[0-9A-F]{8}\)/);
  });

  test('fails a function whose invoke config has retries but no on-failure destination', () => {
    const { app, stack } = shop();
    handler(stack, 'Configured', { retryAttempts: 1 });
    handler(stack, 'OnSuccessOnly', { onSuccess: new destinations.SqsDestination(new sqs.Queue(stack, 'Done')) });
    const findings = c12(app);
    expect(lines(findings)).toEqual([`${C12} Shop/Configured/Resource`, `${C12} Shop/OnSuccessOnly/Resource`]);
    expect(findings[0].message).toMatch(/by AWS::Lambda::EventInvokeConfig ConfiguredEventInvokeConfig[0-9A-F]{8}\)/);
  });

  test('resolves L1 invocations through aliases, literal ARNs and literal names, and CloudWatch alarm actions', () => {
    const { app, stack } = shop();
    const role = 'arn:aws:iam::123456789012:role/fn';
    const code = { zipFile: 'exports.handler = async () => ({})' };
    const byAlias = new lambda.CfnFunction(stack, 'ByAlias', { role, code, runtime: 'nodejs22.x', handler: 'index.handler' });
    const alias = new lambda.CfnAlias(stack, 'Live', { functionName: byAlias.ref, functionVersion: '$LATEST', name: 'live' });
    new events.CfnRule(stack, 'Rule', { scheduleExpression: 'rate(1 hour)', targets: [{ id: 'a', arn: alias.ref }] });
    new lambda.CfnFunction(stack, 'ByName', { role, code, runtime: 'nodejs22.x', handler: 'index.handler', functionName: 'ledger-post' });
    new sns.CfnSubscription(stack, 'Sub', { topicArn: 'arn:aws:sns:eu-west-1:123456789012:t', protocol: 'lambda', endpoint: 'arn:aws:lambda:eu-west-1:123456789012:function:ledger-post' });
    const alarmed = new lambda.CfnFunction(stack, 'Alarmed', { role, code, runtime: 'nodejs22.x', handler: 'index.handler' });
    new cloudwatch.CfnAlarm(stack, 'Alarm', {
      comparisonOperator: 'GreaterThanThreshold',
      evaluationPeriods: 1,
      threshold: 1,
      metricName: 'Errors',
      namespace: 'AWS/Lambda',
      period: 60,
      statistic: 'Sum',
      alarmActions: [alarmed.attrArn],
    });
    const configured = new lambda.CfnFunction(stack, 'ConfiguredByName', { role, code, runtime: 'nodejs22.x', handler: 'index.handler', functionName: 'ledger-settle' });
    new lambda.CfnEventInvokeConfig(stack, 'InvokeConfig', {
      functionName: 'ledger-settle', qualifier: '$LATEST', destinationConfig: { onFailure: { destination: 'arn:aws:sqs:eu-west-1:123456789012:failures' } },
    });
    new events.CfnRule(stack, 'SettleRule', { scheduleExpression: 'rate(1 hour)', targets: [{ id: 'a', arn: configured.attrArn }] });
    expect(lines(c12(app))).toEqual([`${C12} Shop/Alarmed`, `${C12} Shop/ByAlias`, `${C12} Shop/ByName`]);
  });

  test('matches on-failure destinations to the qualifier invoked: $LATEST, an alias, a version', () => {
    const { app, stack } = shop();
    const failures = new sqs.Queue(stack, 'Failures');
    const onFailure = new destinations.SqsDestination(failures);
    const rule = (id: string, target: lambda.IFunction) => {
      new events.Rule(stack, id, { schedule: HOURLY, targets: [new targets.LambdaFunction(target)] });
    };
    // A destination on the function ($LATEST) leaves the events of a rule that targets an alias without one.
    const latestOnly = handler(stack, 'LatestOnly', { onFailure });
    rule('ToLatestOnlyAlias', new lambda.Alias(stack, 'LatestOnlyLive', { aliasName: 'live', version: latestOnly.currentVersion }));
    // A destination on an alias covers the rule on the alias, not a second rule on the function.
    const aliasOnly = handler(stack, 'AliasOnly');
    const aliasOnlyLive = new lambda.Alias(stack, 'AliasOnlyLive', { aliasName: 'live', version: aliasOnly.currentVersion, onFailure });
    rule('ToAliasOnlyAlias', aliasOnlyLive);
    rule('ToAliasOnlyFunction', aliasOnly);
    // Passing: destinations on the alias, on the version, or a dead-letter queue on the function.
    const onAlias = handler(stack, 'OnAlias');
    rule('ToOnAlias', new lambda.Alias(stack, 'OnAliasLive', { aliasName: 'live', version: onAlias.currentVersion, onFailure }));
    const onVersion = handler(stack, 'OnVersion');
    onVersion.currentVersion.configureAsyncInvoke({ onFailure });
    rule('ToOnVersion', onVersion.currentVersion);
    const withDlq = handler(stack, 'WithDlq', { deadLetterQueue: failures });
    rule('ToWithDlq', new lambda.Alias(stack, 'WithDlqLive', { aliasName: 'live', version: withDlq.currentVersion }));
    // L1: a literal qualifier names an alias by its name; one synth cannot read may name any.
    const role = 'arn:aws:iam::123456789012:role/fn';
    const code = { zipFile: 'exports.handler = async () => ({})' };
    const l1 = (id: string, qualifier: string) => {
      const fn = new lambda.CfnFunction(stack, id, { role, code, runtime: 'nodejs22.x', handler: 'index.handler' });
      const alias = new lambda.CfnAlias(stack, `${id}Live`, { functionName: fn.ref, functionVersion: '1', name: 'live' });
      new lambda.CfnEventInvokeConfig(stack, `${id}Config`, { functionName: fn.ref, qualifier, destinationConfig: { onFailure: { destination: failures.queueArn } } });
      new events.CfnRule(stack, `${id}Rule`, { scheduleExpression: 'rate(1 hour)', targets: [{ id: 'a', arn: alias.ref }] });
    };
    l1('NamedLive', 'live');
    l1('NamedBlue', 'blue');
    l1('NamedUnknown', Fn.importValue('Qualifier'));
    // A rule or a REST API integration that appends `:live` to the function's ARN invokes the alias: its destination covers them.
    const appended = new lambda.CfnFunction(stack, 'Appended', { role, code, runtime: 'nodejs22.x', handler: 'index.handler' });
    new lambda.CfnAlias(stack, 'AppendedLive', { functionName: appended.ref, functionVersion: '1', name: 'live' });
    new lambda.CfnEventInvokeConfig(stack, 'AppendedConfig', { functionName: appended.ref, qualifier: 'live', destinationConfig: { onFailure: { destination: failures.queueArn } } });
    new events.CfnRule(stack, 'AppendedRule', { scheduleExpression: 'rate(1 hour)', targets: [{ id: 'a', arn: Fn.sub('${Appended.Arn}:live') }] });
    const webhooks = new apigateway.CfnRestApi(stack, 'Webhooks', { name: 'webhooks' });
    new apigateway.CfnMethod(stack, 'AppendedPost', {
      restApiId: webhooks.ref,
      resourceId: webhooks.attrRootResourceId,
      httpMethod: 'POST',
      authorizationType: 'AWS_IAM',
      integration: {
        type: 'AWS',
        integrationHttpMethod: 'POST',
        requestParameters: { 'integration.request.header.X-Amz-Invocation-Type': '\'Event\'' },
        uri: Fn.sub('arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Appended.Arn}:live/invocations'),
      },
    });
    const findings = c12(app);
    expect(lines(findings)).toEqual([`${C12} Shop/AliasOnly/Resource`, `${C12} Shop/LatestOnly/Resource`, `${C12} Shop/NamedBlue`]);
    const message = (id: string) => findings.find(f => f.logicalId.startsWith(id))!.message;
    expect(message('LatestOnly')).toMatch(new RegExp('^AWS::Lambda::Function LatestOnly[0-9A-F]{8} is invoked asynchronously \\(by AWS::Events::Rule ToLatestOnlyAlias[0-9A-F]{8} ' +
      'through AWS::Lambda::Alias LatestOnlyLive[0-9A-F]{8}\\) but its on-failure destination is only on \\$LATEST \\(Lambda applies an invoke config to the qualifier ' +
      'it names alone\\) and it has no DeadLetterConfig, so an event that fails every retry is discarded\\.$'));
    expect(message('AliasOnly')).toMatch(/\(by AWS::Events::Rule ToAliasOnlyFunction[0-9A-F]{8} on \$LATEST\) but its on-failure destination is only on AWS::Lambda::Alias AliasOnlyLive/);
    expect(message('NamedBlue')).toContain('(by AWS::Events::Rule NamedBlueRule through AWS::Lambda::Alias NamedBlueLive) but its on-failure destination is only on qualifier blue');
  });

  test('catches an escape hatch that removes the on-failure destination', () => {
    const { app, stack } = shop();
    const fn = handler(stack, 'Fn', { onFailure: new destinations.SqsDestination(new sqs.Queue(stack, 'Failures')) });
    (fn.node.findChild('EventInvokeConfig').node.defaultChild as lambda.CfnEventInvokeConfig).addPropertyDeletionOverride('DestinationConfig.OnFailure');
    expect(lines(c12(app))).toEqual([`${C12} Shop/Fn/Resource`]);
  });

  test('reports nothing while an invoke config names an unresolvable function, or a dead-letter target is an intrinsic', () => {
    const { app, stack } = shop();
    handler(stack, 'Invoked', { retryAttempts: 0 });
    new lambda.CfnEventInvokeConfig(stack, 'Conditional', { functionName: Fn.conditionIf('C', 'a', 'b').toString(), qualifier: '$LATEST' });
    expect(c12(app)).toEqual([]);

    const dlq = shop();
    const fn = handler(dlq.stack, 'Fn');
    new events.Rule(dlq.stack, 'Rule', { schedule: HOURLY, targets: [new targets.LambdaFunction(fn)] });
    (fn.node.defaultChild as lambda.CfnFunction).addPropertyOverride('DeadLetterConfig', { TargetArn: Fn.importValue('SharedDlq') });
    expect(c12(dlq.app)).toEqual([]);
  });

  test('does not crash on odd but valid shapes', () => {
    const { app, stack } = shop();
    new events.CfnRule(stack, 'Rule', { scheduleExpression: 'rate(1 hour)' }).addPropertyOverride('Targets', [{ Id: 'a' }, 'odd', { Id: 'b', Arn: { 'Fn::GetAtt': 'Missing.Arn' } }]);
    new lambda.CfnEventInvokeConfig(stack, 'External', { functionName: 'someone-elses', qualifier: '$LATEST' });
    new s3.CfnBucket(stack, 'Bucket').addPropertyOverride('NotificationConfiguration', { LambdaConfigurations: 'odd' });
    new cloudwatch.CfnCompositeAlarm(stack, 'Composite', { alarmRule: 'ALARM(x)' }).addPropertyOverride('AlarmActions', { 'Fn::Split': [',', 'a,b'] });
    expect(c12(app)).toEqual([]);
  });

  test('follows nested stacks: a parent\'s rule targeting functions of a nested stack, a nested subscription to a function the parent passes in', () => {
    const { app, stack } = shop();
    const jobs = new NestedStack(stack, 'Jobs');
    const reconcile = handler(jobs, 'Reconcile');
    const settle = handler(jobs, 'Settle', { onFailure: new destinations.SqsDestination(new sqs.Queue(jobs, 'Failed')) });
    new events.Rule(stack, 'Nightly', { schedule: HOURLY, targets: [new targets.LambdaFunction(reconcile), new targets.LambdaFunction(settle)] });
    const notify = handler(stack, 'Notify');
    new sns.Subscription(jobs, 'NotifyOps', { topic: new sns.Topic(jobs, 'Done'), endpoint: notify.functionArn, protocol: sns.SubscriptionProtocol.LAMBDA });
    const findings = c12(app);
    expect(lines(findings)).toEqual([`${C12} Shop/Jobs/Reconcile/Resource`, `${C12} Shop/Notify/Resource`]);
    expect(findings.find(f => f.constructPath === 'Shop/Notify/Resource')!.message).toMatch(/\(by AWS::SNS::Subscription NotifyOps[0-9A-F]{8}\)/);
  });

  test('follows exports: a rule of one stack targeting functions another stack exports', () => {
    const app = testApp();
    const jobs = new Stack(app, 'Jobs');
    const reconcile = handler(jobs, 'Reconcile');
    const settle = handler(jobs, 'Settle', { onFailure: new destinations.SqsDestination(new sqs.Queue(jobs, 'Failed')) });
    const schedules = new Stack(app, 'Schedules');
    new events.CfnRule(schedules, 'Nightly', {
      scheduleExpression: 'rate(1 hour)',
      targets: [{ id: 'reconcile', arn: reconcile.functionArn }, { id: 'settle', arn: settle.functionArn }],
    });
    expect(lines(c12(app))).toEqual([`${C12} Jobs/Reconcile/Resource`]);
  });
});
