import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as appscaling from 'aws-cdk-lib/aws-applicationautoscaling';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { ShapeCase, shared } from '../rule-shapes';

/** A small traced function with inline code. */
/** A nightly EventBridge rule invoking `target`, with the retries and dead-letter queue a careful team gives its targets. */
function nightly(scope: Construct, target: lambda.IFunction): void {
  new events.Rule(scope, 'Nightly', { schedule: events.Schedule.cron({ hour: '2', minute: '0' }) }).addTarget(new targets.LambdaFunction(target, {
    deadLetterQueue: new sqs.Queue(scope, 'NightlyDlq'), retryAttempts: 3, maxEventAge: Duration.hours(2),
  }));
}

function handler(scope: Construct, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ batchItemFailures: [] });'),
    tracing: lambda.Tracing.ACTIVE,
    ...props,
  });
}

/** A raw function without tracing whose execution role the given services may assume. */
function rawFunction(scope: Construct, services: readonly string[]): void {
  const role = new iam.CfnRole(scope, 'RewriteRole', {
    assumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: services }, Action: 'sts:AssumeRole' }] },
  });
  new lambda.CfnFunction(scope, 'Rewrite', {
    role: role.attrArn,
    runtime: 'nodejs22.x',
    handler: 'index.handler',
    code: { zipFile: 'exports.handler = async (e) => e.Records[0].cf.request;' },
    memorySize: 128,
    timeout: 5,
  });
}

/** Step scaling of a queue worker on queue depth (CDK's alarms, without TreatMissingData); with `pages`, its upper alarm also pages. */
function scalingAlarm(scope: Construct, pages: boolean): void {
  const workers = new appscaling.ScalableTarget(scope, 'Workers', {
    serviceNamespace: appscaling.ServiceNamespace.ECS, resourceId: 'service/cluster/workers', scalableDimension: 'ecs:service:DesiredCount', minCapacity: 1, maxCapacity: 6,
  });
  const depth = new cloudwatch.Metric({ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensionsMap: { QueueName: 'chargebacks' }, period: Duration.minutes(1) });
  workers.scaleOnMetric('QueueDepth', { metric: depth, scalingSteps: [{ upper: 0, change: -1 }, { lower: 100, change: +1 }] });
  if (!pages) return;
  const upper = workers.node.findAll().find(c => c instanceof cloudwatch.Alarm && c.node.id === 'UpperAlarm') as cloudwatch.Alarm;
  upper.addAlarmAction(new actions.SnsAction(alertTopic(scope)));
}

/** The on-call topic, with an e-mail subscription. */
function alertTopic(scope: Construct): sns.Topic {
  const topic = new sns.Topic(scope, 'Alerts');
  topic.addSubscription(new subscriptions.EmailSubscription('oncall@example.com'));
  return topic;
}

/**
 * A one-period alarm on `metric` (threshold 1 unless `props` say otherwise, missing data not breaching), with a runbook
 * description, that pages the on-call topic of its stack unless `pages` is false (an alarm a composite alarm pages for).
 */
function alarmOn(scope: Construct, id: string, metric: cloudwatch.IMetric, alarmDescription: string,
  { pages = true, ...props }: Partial<cloudwatch.AlarmProps> & { readonly pages?: boolean } = {}): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric, threshold: 1, evaluationPeriods: 1, treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING, alarmDescription, ...props,
  });
  if (pages) alarm.addAlarmAction(new actions.SnsAction(alertTopic(scope)));
  return alarm;
}

/** An alarm on the order consumer's own failure metric that pages nobody itself (a composite alarm may page for it). */
function consumerErrors(scope: Construct): cloudwatch.Alarm {
  const failures = new cloudwatch.Metric({ namespace: 'Shop/Orders', metricName: 'ConsumerFailures', statistic: 'Sum', period: Duration.minutes(5) });
  return alarmOn(scope, 'ConsumerErrors', failures, 'The order consumer reports failures. Runbook: wiki/orders-consumer', { pages: false });
}

/** A raw alarm paging when no settlement file was processed in an hour, with the given settings added. */
function settlementLate(scope: Construct, props: Partial<cloudwatch.CfnAlarmProps> = {}): void {
  new cloudwatch.CfnAlarm(scope, 'SettlementLate', {
    alarmDescription: 'No settlement file was processed in the last hour. Runbook: wiki/settlement',
    namespace: 'Shop/Settlement',
    metricName: 'FilesProcessed',
    statistic: 'Sum',
    period: 3600,
    evaluationPeriods: 1,
    threshold: 1,
    comparisonOperator: 'LessThanThreshold',
    alarmActions: [alertTopic(scope).topicArn],
    ...props,
  });
}

/** A complete alarm on a queue's backlog, with the given settings changed. */
function backlogAlarm(scope: Construct, props: Partial<cloudwatch.AlarmProps> = {}): cloudwatch.Alarm {
  const queue = new sqs.Queue(scope, 'Orders', { deadLetterQueue: { queue: new sqs.Queue(scope, 'OrdersDlq'), maxReceiveCount: 3 } });
  return new cloudwatch.Alarm(scope, 'Backlog', {
    metric: queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(5) }),
    threshold: 600,
    evaluationPeriods: 3,
    datapointsToAlarm: 2,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    alarmDescription: 'Orders wait more than 10 minutes: the order consumer is down or too slow. Runbook: wiki/orders-backlog',
    ...props,
  });
}

/**
 * The ledger function reading a Kinesis stream of payments (in `streamScope`, scope's own stack by default) through the
 * mapping `LedgerPayments`, with the given settings; `failures` is a queue for the records it gives up on.
 */
function ledgerReadsPayments(
  scope: Construct, settings: (failures: sqs.Queue) => Partial<lambda.EventSourceMappingOptions>, streamScope: Construct = scope,
): void {
  const stream = new kinesis.Stream(streamScope, 'Payments');
  const fn = handler(scope, 'Ledger');
  stream.grantRead(fn);
  const failures = new sqs.Queue(scope, 'LedgerFailures');
  new lambda.EventSourceMapping(scope, 'LedgerPayments', {
    target: fn, eventSourceArn: stream.streamArn, startingPosition: lambda.StartingPosition.TRIM_HORIZON, ...settings(failures),
  });
}

/** A pipe `PaymentsToLedger` from a Kinesis stream to a queue, with the given stream settings; `failures` is a queue for the records it gives up on. */
function paymentsPipe(scope: Construct, settings: (failures: sqs.Queue) => pipes.CfnPipe.PipeSourceKinesisStreamParametersProperty): void {
  const stream = new kinesis.Stream(scope, 'Payments');
  const target = new sqs.Queue(scope, 'Ledger', { deadLetterQueue: { queue: new sqs.Queue(scope, 'LedgerDlq'), maxReceiveCount: 3 } });
  const failures = new sqs.Queue(scope, 'PipeFailures');
  const role = new iam.Role(scope, 'PipeRole', { assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com') });
  stream.grantRead(role);
  target.grantSendMessages(role);
  failures.grantSendMessages(role);
  new pipes.CfnPipe(scope, 'PaymentsToLedger', {
    roleArn: role.roleArn,
    source: stream.streamArn,
    sourceParameters: { kinesisStreamParameters: settings(failures) },
    target: target.queueArn,
  });
}

export const CASES: ShapeCase[] = [
  {
    ruleId: 'Fintech-C07-AlarmOnErrorCount',
    title: 'an alarm on the Sum of a function\'s Errors',
    fail: scope => {
      const fn = handler(scope, 'Payments');
      alarmOn(scope, 'PaymentErrors', fn.metricErrors({ period: Duration.minutes(5) }), 'The payments function fails. Runbook: wiki/payments-errors',
        { threshold: 5 });
    },
    at: ['PaymentErrors'],
    pass: scope => {
      const fn = handler(scope, 'Payments');
      const errorRate = new cloudwatch.MathExpression({
        expression: '100 * errors / MAX([invocations, 1])',
        usingMetrics: { errors: fn.metricErrors(), invocations: fn.metricInvocations() },
        period: Duration.minutes(5),
      });
      alarmOn(scope, 'PaymentErrors', errorRate, 'More than 1% of payments fail. Runbook: wiki/payments-errors');
    },
  },
  {
    ruleId: 'Fintech-C08-AlarmWithoutDescription',
    title: 'an alarm without a description',
    fail: scope => { backlogAlarm(scope, { alarmDescription: undefined }).addAlarmAction(new actions.SnsAction(alertTopic(scope))); },
    at: ['Backlog'],
    pass: scope => { backlogAlarm(scope).addAlarmAction(new actions.SnsAction(alertTopic(scope))); },
  },
  {
    ruleId: 'Fintech-C08-AlarmWithoutMissingDataPolicy',
    title: 'a raw alarm without TreatMissingData',
    fail: scope => { settlementLate(scope); },
    at: ['SettlementLate'],
    pass: scope => { settlementLate(scope, { treatMissingData: 'breaching' }); },
  },
  {
    ruleId: 'Fintech-C08-AlarmWithoutDatapointsToAlarm',
    title: 'an alarm over three periods without datapoints to alarm',
    fail: scope => { backlogAlarm(scope, { datapointsToAlarm: undefined }).addAlarmAction(new actions.SnsAction(alertTopic(scope))); },
    at: ['Backlog'],
    pass: scope => { backlogAlarm(scope).addAlarmAction(new actions.SnsAction(alertTopic(scope))); },
  },
  {
    ruleId: 'Fintech-C08-AlarmWithoutActions',
    title: 'an alarm without actions',
    fail: scope => { backlogAlarm(scope); },
    at: ['Backlog'],
    pass: scope => { backlogAlarm(scope).addAlarmAction(new actions.SnsAction(alertTopic(scope))); },
  },
  {
    ruleId: 'Fintech-C08-AlarmToUnsubscribedTopic',
    title: 'an alarm whose only action is a topic nobody subscribes to',
    fail: scope => { backlogAlarm(scope).addAlarmAction(new actions.SnsAction(new sns.Topic(scope, 'Alerts'))); },
    at: ['Backlog'],
    pass: scope => { backlogAlarm(scope).addAlarmAction(new actions.SnsAction(alertTopic(scope))); },
  },
  {
    ruleId: 'Fintech-C09-UnmonitoredResource',
    title: 'a function without any alarm',
    fail: scope => { handler(scope, 'Refunds'); },
    at: ['Refunds'],
    pass: scope => {
      const fn = handler(scope, 'Refunds');
      alarmOn(scope, 'RefundsThrottled', fn.metricThrottles({ period: Duration.minutes(5) }), 'Refunds are throttled. Runbook: wiki/refunds');
    },
  },
  {
    ruleId: 'Fintech-C09-UnmonitoredResource',
    title: 'a dead-letter queue without any alarm',
    fail: scope => {
      new sqs.Queue(scope, 'Orders', { deadLetterQueue: { queue: new sqs.Queue(scope, 'OrdersDlq'), maxReceiveCount: 3 } });
    },
    at: ['OrdersDlq'],
    pass: scope => {
      const dlq = new sqs.Queue(scope, 'OrdersDlq');
      new sqs.Queue(scope, 'Orders', { deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
      alarmOn(scope, 'OrdersDlqNotEmpty', dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }), 'Orders failed every retry. Runbook: wiki/orders-dlq',
        { comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD });
    },
  },
  {
    ruleId: 'Fintech-C10-DashboardMetricWithoutDimensions',
    title: 'a dashboard graph of Lambda Errors without dimensions',
    fail: scope => {
      handler(scope, 'Payments');
      new cloudwatch.Dashboard(scope, 'Overview', {
        widgets: [[new cloudwatch.GraphWidget({
          title: 'Payments errors',
          left: [new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Errors', statistic: 'Sum' })],
        })]],
      });
    },
    at: ['Overview'],
    pass: scope => {
      const fn = handler(scope, 'Payments');
      new cloudwatch.Dashboard(scope, 'Overview', {
        widgets: [[new cloudwatch.GraphWidget({ title: 'Payments errors', left: [fn.metricErrors()], right: [fn.metricInvocations()] })]],
      });
    },
  },
  {
    ruleId: 'Fintech-C11-FunctionWithoutTracing',
    title: 'a function without active tracing',
    fail: scope => { handler(scope, 'Payments', { tracing: undefined }); },
    at: ['Payments'],
    pass: scope => { handler(scope, 'Payments'); },
  },
  {
    ruleId: 'Fintech-C11-FunctionWithoutTracing',
    title: 'a raw function without tracing whose role trusts only Lambda (trusting edgelambda too, it is a Lambda@Edge function X-Ray cannot trace)',
    fail: scope => { rawFunction(scope, ['lambda.amazonaws.com']); },
    at: ['Rewrite'],
    pass: scope => { rawFunction(scope, ['lambda.amazonaws.com', 'edgelambda.amazonaws.com']); },
  },
  {
    ruleId: 'Fintech-C08-AlarmWithoutMissingDataPolicy',
    title: 'a step scaling alarm that also pages, without TreatMissingData (one whose only action is the scaling policy is not judged)',
    fail: scope => { scalingAlarm(scope, true); },
    at: ['WorkersQueueDepthUpperAlarm'],
    pass: scope => { scalingAlarm(scope, false); },
  },
  {
    ruleId: 'Fintech-C11-ApiStageWithoutTracing',
    title: 'a REST API whose stage does not trace',
    fail: scope => {
      const api = new apigateway.RestApi(scope, 'Api', { deployOptions: { stageName: 'live' } });
      api.root.addMethod('GET', new apigateway.MockIntegration());
    },
    at: ['ApiDeploymentStagelive'],
    pass: scope => {
      const api = new apigateway.RestApi(scope, 'Api', { deployOptions: { stageName: 'live', tracingEnabled: true } });
      api.root.addMethod('GET', new apigateway.MockIntegration());
    },
  },
  {
    ruleId: 'Fintech-C11-StateMachineWithoutTracing',
    title: 'a state machine without tracing',
    fail: scope => {
      new sfn.StateMachine(scope, 'Settlement', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(scope, 'Settle')) });
    },
    at: ['Settlement'],
    pass: scope => {
      new sfn.StateMachine(scope, 'Settlement', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(scope, 'Settle')), tracingEnabled: true });
    },
  },
  {
    ruleId: 'Fintech-C11-GraphqlApiWithoutTracing',
    title: 'a GraphQL API without tracing',
    fail: scope => { new appsync.CfnGraphQLApi(scope, 'Banking', { name: 'banking', authenticationType: 'AWS_IAM' }); },
    at: ['Banking'],
    pass: scope => { new appsync.CfnGraphQLApi(scope, 'Banking', { name: 'banking', authenticationType: 'AWS_IAM', xrayEnabled: true }); },
  },
  {
    ruleId: 'Fintech-C12-QueueWithoutDeadLetterQueue',
    title: 'a work queue without a dead-letter queue',
    fail: scope => { new sqs.Queue(scope, 'Orders', { enforceSSL: true }); },
    at: ['Orders'],
    pass: scope => {
      new sqs.Queue(scope, 'Orders', { enforceSSL: true, deadLetterQueue: { queue: new sqs.Queue(scope, 'OrdersDlq', { enforceSSL: true }), maxReceiveCount: 3 } });
    },
  },
  {
    ruleId: 'Fintech-C12-AsyncFunctionWithoutFailureDestination',
    title: 'a function invoked by an EventBridge rule without an on-failure destination',
    fail: scope => {
      const fn = handler(scope, 'Reconcile');
      nightly(scope, fn);
    },
    at: ['Reconcile'],
    pass: scope => {
      const fn = handler(scope, 'Reconcile', { onFailure: new destinations.SqsDestination(new sqs.Queue(scope, 'ReconcileFailures')) });
      nightly(scope, fn);
    },
  },
  {
    ruleId: 'Fintech-C12-RuleTargetWithoutDeadLetterQueue',
    title: 'an EventBridge rule target without a dead-letter queue',
    fail: scope => {
      const queue = new sqs.Queue(scope, 'Refunds');
      new events.Rule(scope, 'RefundRequested', { eventPattern: { source: ['shop.payments'], detailType: ['RefundRequested'] } })
        .addTarget(new targets.SqsQueue(queue, { retryAttempts: 3, maxEventAge: Duration.hours(2) }));
    },
    at: ['RefundRequested'],
    pass: scope => {
      const queue = new sqs.Queue(scope, 'Refunds');
      new events.Rule(scope, 'RefundRequested', { eventPattern: { source: ['shop.payments'], detailType: ['RefundRequested'] } })
        .addTarget(new targets.SqsQueue(queue, { retryAttempts: 3, maxEventAge: Duration.hours(2), deadLetterQueue: new sqs.Queue(scope, 'RefundRequestedDlq') }));
    },
  },
  {
    ruleId: 'Fintech-C12-RuleTargetWithoutRetryPolicy',
    title: 'a raw EventBridge rule target without a retry policy',
    fail: scope => {
      const queue = new sqs.Queue(scope, 'Refunds');
      const dlq = new sqs.Queue(scope, 'RefundRequestedDlq');
      new events.CfnRule(scope, 'RefundRequested', {
        eventPattern: { 'source': ['shop.payments'], 'detail-type': ['RefundRequested'] },
        targets: [{ id: 'Refunds', arn: queue.queueArn, deadLetterConfig: { arn: dlq.queueArn } }],
      });
    },
    at: ['RefundRequested'],
    pass: scope => {
      const queue = new sqs.Queue(scope, 'Refunds');
      const dlq = new sqs.Queue(scope, 'RefundRequestedDlq');
      new events.CfnRule(scope, 'RefundRequested', {
        eventPattern: { 'source': ['shop.payments'], 'detail-type': ['RefundRequested'] },
        targets: [{
          id: 'Refunds',
          arn: queue.queueArn,
          deadLetterConfig: { arn: dlq.queueArn },
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 7200 },
        }],
      });
    },
  },
  {
    ruleId: 'Fintech-C12-QueueBatchWithoutPartialFailures',
    title: 'an SQS event source mapping without batch item failures',
    fail: scope => {
      const queue = new sqs.Queue(scope, 'Orders');
      const fn = handler(scope, 'Fulfil');
      queue.grantConsumeMessages(fn);
      new lambda.EventSourceMapping(scope, 'FulfilOrders', { target: fn, eventSourceArn: queue.queueArn, batchSize: 10 });
    },
    at: ['FulfilOrders'],
    pass: scope => {
      const queue = new sqs.Queue(scope, 'Orders');
      const fn = handler(scope, 'Fulfil');
      queue.grantConsumeMessages(fn);
      new lambda.EventSourceMapping(scope, 'FulfilOrders', { target: fn, eventSourceArn: queue.queueArn, batchSize: 10, reportBatchItemFailures: true });
    },
  },
  {
    ruleId: 'Fintech-C12-SubscriptionWithoutDeadLetterQueue',
    title: 'an SNS subscription of a queue without a dead-letter queue',
    fail: scope => {
      const topic = new sns.Topic(scope, 'PaymentEvents');
      const queue = new sqs.Queue(scope, 'Ledger');
      new sns.Subscription(scope, 'LedgerFeed', { topic, protocol: sns.SubscriptionProtocol.SQS, endpoint: queue.queueArn });
    },
    at: ['LedgerFeed'],
    pass: scope => {
      const topic = new sns.Topic(scope, 'PaymentEvents');
      const queue = new sqs.Queue(scope, 'Ledger');
      new sns.Subscription(scope, 'LedgerFeed', {
        topic,
        protocol: sns.SubscriptionProtocol.SQS,
        endpoint: queue.queueArn,
        deadLetterQueue: new sqs.Queue(scope, 'LedgerFeedDlq'),
      });
    },
  },
  {
    ruleId: 'Fintech-C12-ScheduleWithoutDeadLetterQueue',
    title: 'a schedule whose Lambda target has no dead-letter queue',
    fail: scope => {
      new scheduler.Schedule(scope, 'DailyStatements', {
        schedule: scheduler.ScheduleExpression.cron({ hour: '6', minute: '0' }),
        target: new schedulerTargets.LambdaInvoke(handler(scope, 'Statements'), { retryAttempts: 3, maxEventAge: Duration.hours(1) }),
      });
    },
    at: ['DailyStatements'],
    pass: scope => {
      new scheduler.Schedule(scope, 'DailyStatements', {
        schedule: scheduler.ScheduleExpression.cron({ hour: '6', minute: '0' }),
        target: new schedulerTargets.LambdaInvoke(handler(scope, 'Statements'), {
          retryAttempts: 3,
          maxEventAge: Duration.hours(1),
          deadLetterQueue: new sqs.Queue(scope, 'DailyStatementsDlq'),
        }),
      });
    },
  },
  {
    ruleId: 'Fintech-C12-ScheduleWithoutRetryPolicy',
    title: 'a raw schedule without a retry policy',
    fail: scope => {
      const fn = handler(scope, 'Statements');
      const dlq = new sqs.Queue(scope, 'DailyStatementsDlq');
      const role = new iam.Role(scope, 'SchedulerRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
      fn.grantInvoke(role);
      dlq.grantSendMessages(role);
      new scheduler.CfnSchedule(scope, 'DailyStatements', {
        scheduleExpression: 'cron(0 6 * * ? *)',
        flexibleTimeWindow: { mode: 'OFF' },
        target: { arn: fn.functionArn, roleArn: role.roleArn, deadLetterConfig: { arn: dlq.queueArn } },
      });
    },
    at: ['DailyStatements'],
    pass: scope => {
      const fn = handler(scope, 'Statements');
      const dlq = new sqs.Queue(scope, 'DailyStatementsDlq');
      const role = new iam.Role(scope, 'SchedulerRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
      fn.grantInvoke(role);
      dlq.grantSendMessages(role);
      new scheduler.CfnSchedule(scope, 'DailyStatements', {
        scheduleExpression: 'cron(0 6 * * ? *)',
        flexibleTimeWindow: { mode: 'OFF' },
        target: {
          arn: fn.functionArn,
          roleArn: role.roleArn,
          deadLetterConfig: { arn: dlq.queueArn },
          retryPolicy: { maximumRetryAttempts: 3, maximumEventAgeInSeconds: 3600 },
        },
      });
    },
  },
  {
    ruleId: 'Fintech-C12-PipeWithoutDeadLetterQueue',
    title: 'a pipe from a Kinesis stream without a dead-letter queue',
    fail: scope => paymentsPipe(scope, () => ({ startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 3 })),
    at: ['PaymentsToLedger'],
    pass: scope => paymentsPipe(scope, failures => ({ startingPosition: 'TRIM_HORIZON', maximumRetryAttempts: 3, deadLetterConfig: { arn: failures.queueArn } })),
  },
  {
    ruleId: 'Fintech-C12-PipeUnboundedRetries',
    title: 'a pipe from a Kinesis stream that retries until the records expire',
    fail: scope => paymentsPipe(scope, failures => ({ startingPosition: 'TRIM_HORIZON', deadLetterConfig: { arn: failures.queueArn } })),
    at: ['PaymentsToLedger'],
    pass: scope => paymentsPipe(scope, failures => ({ startingPosition: 'TRIM_HORIZON', maximumRecordAgeInSeconds: 3600, deadLetterConfig: { arn: failures.queueArn } })),
  },
  {
    ruleId: 'Fintech-C12-StreamSourceWithoutOnFailure',
    title: 'a Kinesis event source mapping without an on-failure destination',
    fail: scope => ledgerReadsPayments(scope, () => ({ retryAttempts: 3, bisectBatchOnError: true })),
    at: ['LedgerPayments'],
    pass: scope => ledgerReadsPayments(scope, failures => ({ retryAttempts: 3, bisectBatchOnError: true, onFailure: new sources.SqsDlq(failures) })),
  },
  {
    ruleId: 'Fintech-C12-StreamSourceUnboundedRetries',
    title: 'a DynamoDB stream event source mapping that retries until the records expire',
    fail: scope => {
      const table = new dynamodb.Table(scope, 'Outbox', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_IMAGE });
      const fn = handler(scope, 'Publisher');
      table.grantStreamRead(fn);
      new lambda.EventSourceMapping(scope, 'PublishOutbox', {
        target: fn,
        eventSourceArn: table.tableStreamArn!,
        startingPosition: lambda.StartingPosition.LATEST,
        reportBatchItemFailures: true,
        onFailure: new sources.SqsDlq(new sqs.Queue(scope, 'PublisherFailures')),
      });
    },
    at: ['PublishOutbox'],
    pass: scope => {
      const table = new dynamodb.Table(scope, 'Outbox', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_IMAGE });
      const fn = handler(scope, 'Publisher');
      table.grantStreamRead(fn);
      new lambda.EventSourceMapping(scope, 'PublishOutbox', {
        target: fn,
        eventSourceArn: table.tableStreamArn!,
        startingPosition: lambda.StartingPosition.LATEST,
        reportBatchItemFailures: true,
        maxRecordAge: Duration.hours(6),
        onFailure: new sources.SqsDlq(new sqs.Queue(scope, 'PublisherFailures')),
      });
    },
  },
  {
    ruleId: 'Fintech-C12-StreamSourceWithoutBatchSplitting',
    title: 'a Kinesis event source mapping that does not isolate a failing record',
    fail: scope => ledgerReadsPayments(scope, failures => ({ retryAttempts: 3, onFailure: new sources.SqsDlq(failures) })),
    at: ['LedgerPayments'],
    pass: scope => ledgerReadsPayments(scope, failures => ({ retryAttempts: 3, bisectBatchOnError: true, onFailure: new sources.SqsDlq(failures) })),
  },
  {
    ruleId: 'Fintech-C08-AlarmWithoutActions',
    title: 'an alarm without actions that no composite alarm names',
    fail: scope => {
      const backlog = backlogAlarm(scope);
      consumerErrors(scope);
      new cloudwatch.CompositeAlarm(scope, 'OrdersDegraded', {
        alarmRule: cloudwatch.AlarmRule.fromAlarm(backlog, cloudwatch.AlarmState.ALARM),
        alarmDescription: 'Orders are delayed. Runbook: wiki/orders',
      }).addAlarmAction(new actions.SnsAction(alertTopic(scope)));
    },
    at: ['ConsumerErrors'],
    pass: scope => {
      const backlog = backlogAlarm(scope);
      const errors = consumerErrors(scope);
      new cloudwatch.CompositeAlarm(scope, 'OrdersDegraded', {
        alarmRule: cloudwatch.AlarmRule.anyOf(
          cloudwatch.AlarmRule.fromAlarm(backlog, cloudwatch.AlarmState.ALARM),
          cloudwatch.AlarmRule.fromAlarm(errors, cloudwatch.AlarmState.ALARM),
        ),
        alarmDescription: 'Orders are delayed or failing. Runbook: wiki/orders',
      }).addAlarmAction(new actions.SnsAction(alertTopic(scope)));
    },
  },
  {
    ruleId: 'Fintech-C08-AlarmToUnsubscribedTopic',
    title: 'an alarm to a topic whose only subscriber is in a shared stack',
    fail: scope => { backlogAlarm(scope).addAlarmAction(new actions.SnsAction(new sns.Topic(scope, 'Alerts'))); },
    at: ['Backlog'],
    pass: scope => {
      const topic = new sns.Topic(scope, 'Alerts');
      backlogAlarm(scope).addAlarmAction(new actions.SnsAction(topic));
      new sns.Subscription(shared(scope), 'OnCall', { topic, protocol: sns.SubscriptionProtocol.EMAIL, endpoint: 'oncall@example.com' });
    },
  },
  {
    ruleId: 'Fintech-C09-UnmonitoredResource',
    title: 'a function whose only alarm, in a shared stack, watches another function',
    fail: scope => {
      handler(scope, 'Refunds');
      const top = shared(scope);
      alarmOn(top, 'PaymentsThrottled', handler(top, 'Payments').metricThrottles({ period: Duration.minutes(5) }), 'Payments are throttled. Runbook: wiki/payments');
    },
    at: ['Refunds'],
    pass: scope => {
      const fn = handler(scope, 'Refunds');
      const top = shared(scope);
      alarmOn(top, 'RefundsThrottled', fn.metricThrottles({ period: Duration.minutes(5) }), 'Refunds are throttled. Runbook: wiki/refunds');
    },
  },
  {
    ruleId: 'Fintech-C12-QueueWithoutDeadLetterQueue',
    title: 'a queue that no subscription, function or queue uses as its dead-letter queue',
    fail: scope => {
      const topic = new sns.Topic(scope, 'PaymentEvents');
      const ledger = new sqs.Queue(scope, 'Ledger', { deadLetterQueue: { queue: new sqs.Queue(scope, 'LedgerDlq'), maxReceiveCount: 3 } });
      new sqs.Queue(scope, 'LedgerFeedDlq');
      new sns.Subscription(scope, 'LedgerFeed', { topic, protocol: sns.SubscriptionProtocol.SQS, endpoint: ledger.queueArn });
      handler(scope, 'Audit', { deadLetterQueue: new sqs.Queue(scope, 'AuditDlq') });
    },
    at: ['LedgerFeedDlq'],
    pass: scope => {
      const topic = new sns.Topic(scope, 'PaymentEvents');
      const ledger = new sqs.Queue(scope, 'Ledger', { deadLetterQueue: { queue: new sqs.Queue(scope, 'LedgerDlq'), maxReceiveCount: 3 } });
      const feedDlq = new sqs.Queue(scope, 'LedgerFeedDlq');
      new sns.Subscription(scope, 'LedgerFeed', { topic, protocol: sns.SubscriptionProtocol.SQS, endpoint: ledger.queueArn, deadLetterQueue: feedDlq });
      handler(scope, 'Audit', { deadLetterQueue: new sqs.Queue(scope, 'AuditDlq') });
    },
  },
  {
    ruleId: 'Fintech-C12-QueueWithoutDeadLetterQueue',
    title: 'a queue whose only consumer, in a shared stack, has no dead-letter queue behind it',
    // The consumer reads the queue across stacks (its mapping and role policy name the queue), never the other way round:
    // a rule of the shared stack targeting the queue would also need the queue's policy to name the rule, a circle
    // CloudFormation refuses between a stack and its nested stack (Fintech-C05-DependencyCycle reports it).
    fail: scope => {
      const queue = new sqs.Queue(scope, 'Failures');
      const drain = handler(shared(scope), 'Drain');
      new lambda.EventSourceMapping(shared(scope), 'DrainFailures', { target: drain, eventSourceArn: queue.queueArn, reportBatchItemFailures: true });
      queue.grantConsumeMessages(drain);
    },
    at: ['Failures'],
    pass: scope => {
      const queue = new sqs.Queue(scope, 'Failures');
      const work = new sqs.Queue(shared(scope), 'Work', { deadLetterQueue: { queue, maxReceiveCount: 3 } });
      const drain = handler(shared(scope), 'Drain');
      new lambda.EventSourceMapping(shared(scope), 'DrainWork', { target: drain, eventSourceArn: work.queueArn, reportBatchItemFailures: true });
      work.grantConsumeMessages(drain);
    },
  },
  {
    ruleId: 'Fintech-C12-AsyncFunctionWithoutFailureDestination',
    title: 'a function subscribed to a topic without a dead-letter queue',
    fail: scope => {
      const fn = handler(scope, 'Notify');
      new sns.Subscription(scope, 'NotifyFeed', {
        topic: new sns.Topic(scope, 'PaymentEvents'), protocol: sns.SubscriptionProtocol.LAMBDA, endpoint: fn.functionArn, deadLetterQueue: new sqs.Queue(scope, 'NotifyFeedDlq'),
      });
      fn.addPermission('FromPaymentEvents', { principal: new iam.ServicePrincipal('sns.amazonaws.com') });
    },
    at: ['Notify'],
    pass: scope => {
      const fn = handler(scope, 'Notify', { deadLetterQueue: new sqs.Queue(scope, 'NotifyDlq') });
      new sns.Subscription(scope, 'NotifyFeed', {
        topic: new sns.Topic(scope, 'PaymentEvents'), protocol: sns.SubscriptionProtocol.LAMBDA, endpoint: fn.functionArn, deadLetterQueue: new sqs.Queue(scope, 'NotifyFeedDlq'),
      });
      fn.addPermission('FromPaymentEvents', { principal: new iam.ServicePrincipal('sns.amazonaws.com') });
    },
  },
  {
    ruleId: 'Fintech-C12-AsyncFunctionWithoutFailureDestination',
    title: 'a function alias targeted by a rule without an on-failure destination',
    fail: scope => {
      const alias = handler(scope, 'Reconcile').addAlias('live');
      nightly(scope, alias);
    },
    at: ['Reconcile'],
    pass: scope => {
      const alias = handler(scope, 'Reconcile').addAlias('live', { onFailure: new destinations.SqsDestination(new sqs.Queue(scope, 'ReconcileFailures')) });
      nightly(scope, alias);
    },
  },
  {
    ruleId: 'Fintech-C12-AsyncFunctionWithoutFailureDestination',
    title: 'a rule on a function alias while the on-failure destination is on the function itself ($LATEST)',
    fail: scope => {
      const fn = handler(scope, 'Reconcile', { onFailure: new destinations.SqsDestination(new sqs.Queue(scope, 'ReconcileFailures')) });
      nightly(scope, fn.addAlias('live'));
    },
    at: ['Reconcile'],
    pass: scope => {
      const fn = handler(scope, 'Reconcile', { onFailure: new destinations.SqsDestination(new sqs.Queue(scope, 'ReconcileFailures')) });
      nightly(scope, fn);
    },
  },
  {
    ruleId: 'Fintech-C12-AsyncFunctionWithoutFailureDestination',
    title: 'a Step Functions task that invokes a function with InvocationType Event, the function without an on-failure destination',
    fail: scope => {
      const fn = handler(scope, 'Notify');
      new sfn.StateMachine(scope, 'Settle', {
        definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(scope, 'NotifyTask', { lambdaFunction: fn, invocationType: tasks.LambdaInvocationType.EVENT })),
      });
    },
    at: ['Notify'],
    pass: scope => {
      const fn = handler(scope, 'Notify', { onFailure: new destinations.SqsDestination(new sqs.Queue(scope, 'NotifyFailures')) });
      new sfn.StateMachine(scope, 'Settle', {
        definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(scope, 'NotifyTask', { lambdaFunction: fn, invocationType: tasks.LambdaInvocationType.EVENT })),
      });
    },
  },
  {
    ruleId: 'Fintech-C11-ApiStageWithoutTracing',
    title: 'a raw deployment that creates its stage without tracing',
    fail: scope => {
      const api = new apigateway.CfnRestApi(scope, 'LegacyApi', { name: 'legacy' });
      const method = new apigateway.CfnMethod(scope, 'LegacyGet', {
        restApiId: api.ref, resourceId: api.attrRootResourceId, httpMethod: 'GET', authorizationType: 'NONE', integration: { type: 'MOCK' },
      });
      new apigateway.CfnDeployment(scope, 'LegacyDeployment', { restApiId: api.ref, stageName: 'live', stageDescription: { metricsEnabled: true } })
        .addDependency(method);
    },
    at: ['LegacyDeployment'],
    pass: scope => {
      const api = new apigateway.CfnRestApi(scope, 'LegacyApi', { name: 'legacy' });
      const method = new apigateway.CfnMethod(scope, 'LegacyGet', {
        restApiId: api.ref, resourceId: api.attrRootResourceId, httpMethod: 'GET', authorizationType: 'NONE', integration: { type: 'MOCK' },
      });
      new apigateway.CfnDeployment(scope, 'LegacyDeployment', { restApiId: api.ref, stageName: 'live', stageDescription: { metricsEnabled: true, tracingEnabled: true } })
        .addDependency(method);
    },
  },
  {
    ruleId: 'Fintech-C10-DashboardMetricWithoutDimensions',
    title: 'a raw dashboard whose second metric repeats the namespace but drops the dimensions',
    fail: scope => {
      new cloudwatch.CfnDashboard(scope, 'Queues', {
        dashboardBody: JSON.stringify({
          widgets: [{
            type: 'metric',
            properties: {
              title: 'Orders backlog',
              region: 'eu-west-1',
              metrics: [['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', 'orders'], ['.', 'ApproximateAgeOfOldestMessage']],
            },
          }],
        }),
      });
    },
    at: ['Queues'],
    pass: scope => {
      new cloudwatch.CfnDashboard(scope, 'Queues', {
        dashboardBody: JSON.stringify({
          widgets: [{
            type: 'metric',
            properties: {
              title: 'Orders backlog',
              region: 'eu-west-1',
              metrics: [['AWS/SQS', 'ApproximateNumberOfMessagesVisible', 'QueueName', 'orders'], ['.', 'ApproximateAgeOfOldestMessage', '.', '.']],
            },
          }],
        }),
      });
    },
  },
  // The next three keep a resource (queue, stream, rule) in a stack shared with their code, as apps with several stacks often do.
  {
    ruleId: 'Fintech-C12-QueueBatchWithoutPartialFailures',
    title: 'an SQS event source mapping without batch item failures on a queue of a shared stack',
    fail: scope => {
      const queue = new sqs.Queue(shared(scope), 'Orders');
      const fn = handler(scope, 'Fulfil');
      queue.grantConsumeMessages(fn);
      new lambda.EventSourceMapping(scope, 'FulfilOrders', { target: fn, eventSourceArn: queue.queueArn, batchSize: 10 });
    },
    at: ['FulfilOrders'],
    pass: scope => {
      const queue = new sqs.Queue(shared(scope), 'Orders');
      const fn = handler(scope, 'Fulfil');
      queue.grantConsumeMessages(fn);
      new lambda.EventSourceMapping(scope, 'FulfilOrders', { target: fn, eventSourceArn: queue.queueArn, batchSize: 10, reportBatchItemFailures: true });
    },
  },
  {
    ruleId: 'Fintech-C12-StreamSourceWithoutOnFailure',
    title: 'a Kinesis event source mapping without an on-failure destination on a stream of a shared stack',
    fail: scope => ledgerReadsPayments(scope, () => ({ retryAttempts: 3, bisectBatchOnError: true }), shared(scope)),
    at: ['LedgerPayments'],
    pass: scope => ledgerReadsPayments(scope,
      failures => ({ retryAttempts: 3, bisectBatchOnError: true, onFailure: new sources.SqsDlq(failures) }), shared(scope)),
  },
  {
    ruleId: 'Fintech-C12-AsyncFunctionWithoutFailureDestination',
    title: 'a function invoked by a rule of a shared stack without an on-failure destination',
    fail: scope => {
      const fn = handler(scope, 'Reconcile');
      const top = shared(scope);
      new events.Rule(top, 'Nightly', { schedule: events.Schedule.cron({ hour: '2', minute: '0' }) }).addTarget(new targets.LambdaFunction(fn, {
        deadLetterQueue: new sqs.Queue(top, 'NightlyDlq'), retryAttempts: 3, maxEventAge: Duration.hours(2),
      }));
    },
    at: ['Reconcile'],
    pass: scope => {
      const fn = handler(scope, 'Reconcile', { onFailure: new destinations.SqsDestination(new sqs.Queue(scope, 'ReconcileFailures')) });
      const top = shared(scope);
      new events.Rule(top, 'Nightly', { schedule: events.Schedule.cron({ hour: '2', minute: '0' }) }).addTarget(new targets.LambdaFunction(fn, {
        deadLetterQueue: new sqs.Queue(top, 'NightlyDlq'), retryAttempts: 3, maxEventAge: Duration.hours(2),
      }));
    },
  },
];
