import { App, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sam from 'aws-cdk-lib/aws-sam';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { ENV, alertTopic, dataKey, deadLetterQueue, firstMessageAlarm, protectApiStage, rateAlarm, removalFor, tagWorkload, workQueue } from '../careful-team';

/** The mistakes the defect corpus makes in this app. */
export interface PayoutsDefects {
  readonly withoutFailureDestination?: boolean;
  readonly scheduleDlqBySam?: boolean;
  readonly implicitApi?: boolean;
  readonly pollerWithoutKey?: boolean;
}

/**
 * The payouts service a team moved from `sam deploy` into its CDK app without rewriting it: the function stays an
 * `AWS::Serverless::Function` (aws-cdk-lib's `sam.CfnFunction`), which the SAM transform expands at deploy time. It is
 * written as carefully as the team's L2 code: a current runtime, tracing, memory and timeout chosen, logs into a log group
 * kept three months, Powertools settings; its role is the transform's, built from SAM policy templates (`SQSPollerPolicy`,
 * `KMSDecryptPolicy`) and one statement, for exactly the queues and key it uses. It drains an encrypted payout queue (partial batch responses, bounded concurrency), runs a nightly
 * reconciliation from a schedule with retries and a dead-letter queue, and sends failed asynchronous invocations to an
 * on-failure queue. An error-rate alarm (metric math) and first-message alarms on the failure queues page the team.
 *
 * Partners request payouts through an `AWS::Serverless::Api` (`sam.CfnApi`) staged under the stage's name, traced, throttled,
 * with access logs and the team's web ACL on its stage; the transform writes its REST API, deployment and stage.
 *
 * Defect options: `implicitApi` drops the API's id from the function's Api event, as SAM's getting-started templates do,
 * so the transform serves the route from its implicit API, staged "Prod" whatever the stage, without throttling, logs,
 * tracing or web ACL; `withoutFailureDestination` leaves out the EventInvokeConfig, so a nightly run that keeps failing is
 * dropped after Lambda's retries; `scheduleDlqBySam` lets the transform create the schedule's dead-letter queue
 * (`Type: SQS`), which it cannot encrypt; `pollerWithoutKey` leaves out `KMSDecryptPolicy`, so the function may poll the
 * queue but not decrypt what it receives.
 */
export function build(app: App, stage: string, defects: PayoutsDefects = {}): void {
  const { withoutFailureDestination = false, scheduleDlqBySam = false, implicitApi = false, pollerWithoutKey = false } = defects;
  const stack = new Stack(app, `Payouts-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'payouts');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const { queue: payouts, dlq: payoutsDlq } = workQueue(stack, 'PayoutRequests', key, stage);
  const failedRuns = withoutFailureDestination ? undefined : deadLetterQueue(stack, 'FailedRuns', key, stage);
  const missedSchedules = scheduleDlqBySam ? undefined : deadLetterQueue(stack, 'MissedSchedules', key, stage);
  if (missedSchedules) {
    // EventBridge writes a schedule it could not deliver into the queue as itself, on the queue's key.
    key.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    missedSchedules.addToResourcePolicy(new iam.PolicyStatement({
      actions: ['sqs:SendMessage'],
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      resources: [missedSchedules.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: 'Payouts-*' }) } },
    }));
  }

  const accessLogs = new logs.LogGroup(stack, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  const api = new sam.CfnApi(stack, 'PayoutsApi', {
    stageName: stage,
    name: `payouts-${stage}`,
    tracingEnabled: true,
    endpointConfiguration: 'REGIONAL',
    methodSettings: [{ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 }],
    accessLogSetting: { destinationArn: accessLogs.logGroupArn, format: '$context.requestId $context.identity.sourceIp $context.status' },
  });
  // OpenApiVersion keeps SAM from deploying a second, bare stage named "Stage"; PropagateTags tags the REST API itself.
  api.addPropertyOverride('PropagateTags', true);
  api.addPropertyOverride('OpenApiVersion', '3.0.1');
  protectApiStage(stack, 'payouts', `arn:aws:apigateway:${ENV.region}::/restapis/${api.ref}/stages/${stage}`, 2000);
  // The stage is the transform's: the association waits for it by its logical id.
  (stack.node.findChild('WebAclAssociation') as wafv2.CfnWebACLAssociation).addOverride('DependsOn', [`${api.logicalId}${stage}Stage`]);

  const logGroup = new logs.LogGroup(stack, 'PayoutLogs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: removalFor(stage) });
  const payout = new sam.CfnFunction(stack, 'Payout', {
    runtime: 'nodejs22.x',
    handler: 'index.handler',
    codeUri: 's3://payouts-artifacts-123456789012/payout-1.4.2.zip',
    memorySize: 1024,
    timeout: 30,
    tracing: 'Active',
    environment: { variables: { POWERTOOLS_SERVICE_NAME: 'payouts', LOG_LEVEL: 'INFO', STAGE: stage } },
    // SAM's policy templates for the queue it drains and the key that queue is encrypted with; the transform grants the
    // on-failure queue itself, and the key's data keys for that queue come from one statement.
    policies: [
      { sqsPollerPolicy: { queueName: payouts.queueName } },
      ...(pollerWithoutKey ? [] : [{ kmsDecryptPolicy: { keyId: key.keyId } }]),
      ...(failedRuns ? [{ statement: [{ Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: key.keyArn }] }] : []),
    ],
  });
  payout.node.addDependency(logGroup);
  // aws-cdk-lib's SAM L1 predates these SAM properties: it drops an event's FunctionResponseTypes (aws/aws-cdk#29297, open),
  // ScalingConfig, DeadLetterConfig and RetryPolicy, and asks for OnSuccess beside OnFailure (aws/aws-cdk#16739, open).
  // The team writes them as SAM takes them; without the overrides the pack reports each dropped setting.
  payout.addPropertyOverride('LoggingConfig', { LogGroup: logGroup.logGroupName, LogFormat: 'JSON' });
  payout.addPropertyOverride('Events', {
    Requests: {
      Type: 'SQS',
      Properties: { Queue: payouts.queueArn, BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'], ScalingConfig: { MaximumConcurrency: 5 } },
    },
    Submit: { Type: 'Api', Properties: { ...(implicitApi ? {} : { RestApiId: api.ref }), Path: '/payouts', Method: 'post' } },
    Nightly: {
      Type: 'Schedule',
      Properties: {
        Schedule: 'cron(15 2 * * ? *)',
        Description: 'Nightly payout reconciliation',
        DeadLetterConfig: missedSchedules ? { Arn: missedSchedules.queueArn } : { Type: 'SQS' },
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
      },
    },
  });
  if (failedRuns) {
    payout.addPropertyOverride('EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      DestinationConfig: { OnFailure: { Type: 'SQS', Destination: failedRuns.queueArn } },
    });
  }

  const errors = new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Errors', dimensionsMap: { FunctionName: payout.ref }, statistic: 'Sum' });
  const invocations = new cloudwatch.Metric({ namespace: 'AWS/Lambda', metricName: 'Invocations', dimensionsMap: { FunctionName: payout.ref }, statistic: 'Sum' });
  rateAlarm(stack, 'PayoutErrors', errors, invocations, {
    description: 'Error rate of the payout function above 2%: payouts are delayed, check its logs, runbook https://wiki.example.com/runbooks/payouts',
    threshold: 2,
    topic,
  });
  firstMessageAlarm(stack, 'PayoutRequestsDlqAlarm', payoutsDlq, topic);
  if (failedRuns) firstMessageAlarm(stack, 'FailedRunsAlarm', failedRuns, topic);
  if (missedSchedules) firstMessageAlarm(stack, 'MissedSchedulesAlarm', missedSchedules, topic);
}
