import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import {
  ENV, alertTopic, dataKey, deadLetterQueue, firstMessageAlarm, protectApiStage, removalFor, restStageOptions, tagWorkload, workflowFailureAlarm,
} from '../careful-team';

/**
 * Every payment event on the team's bus is archived to a log group kept seven years (an EventBridge CloudWatch Logs
 * target, whose resource policy CDK writes through a custom resource), and a partner status lookup is an Express state
 * machine behind a REST API (StepFunctionsRestApi) with a web ACL; both rule targets keep what they cannot deliver (the
 * archive's dead letters through a queue policy statement of the team's own, which that CDK target does not write).
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `PaymentEvents-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'payment-events');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  // EventBridge writes undelivered events into the encrypted dead-letter queue with the queue's key.
  key.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const bus = new events.EventBus(stack, 'Payments');
  const undelivered = deadLetterQueue(stack, 'Undelivered', key, stage);
  firstMessageAlarm(stack, 'UndeliveredAlarm', undelivered, topic);
  const retry = { deadLetterQueue: undelivered, retryAttempts: 8, maxEventAge: Duration.hours(6) };

  const archive = new logs.LogGroup(stack, 'Archive', { retention: logs.RetentionDays.SEVEN_YEARS, removalPolicy: removalFor(stage) });
  const archiveAll = new events.Rule(stack, 'ArchiveAll', { eventBus: bus, eventPattern: { source: ['payments'] }, targets: [new targets.CloudWatchLogGroup(archive, retry)] });
  // targets.CloudWatchLogGroup takes the dead-letter queue but, unlike the state machine target, adds no queue policy for it.
  undelivered.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('events.amazonaws.com')],
    actions: ['sqs:SendMessage'],
    resources: [undelivered.queueArn],
    conditions: { ArnEquals: { 'aws:SourceArn': archiveAll.ruleArn } },
  }));

  const lookup = new sfn.StateMachine(stack, 'StatusLookup', {
    stateMachineType: sfn.StateMachineType.EXPRESS,
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Found', { parameters: { 'status.$': '$.status' } })),
    tracingEnabled: true,
    logs: {
      destination: new logs.LogGroup(stack, 'StatusLookupLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) }),
      level: sfn.LogLevel.ALL,
    },
  });
  workflowFailureAlarm(stack, 'StatusLookupFailed', lookup, 'Status lookups fail: runbook https://wiki.example.com/runbooks/status-lookup', topic);
  const api = new apigateway.StepFunctionsRestApi(stack, 'StatusApi', { stateMachine: lookup, deployOptions: restStageOptions(stack, stage, 50), cloudWatchRole: false });
  protectApiStage(stack, 'status-api', api.deploymentStage.stageArn, 2000);
  new events.Rule(stack, 'Refresh', {
    eventBus: bus,
    eventPattern: { source: ['payments'], detailType: ['StatusChanged'] },
    targets: [new targets.SfnStateMachine(lookup, retry)],
  });
}
