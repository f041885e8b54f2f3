import { App, Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { ENV, alertTopic, dataBucket, dataKey, deadLetterQueue, errorRateAlarm, firstMessageAlarm, handler, removalFor, tagWorkload, workflowFailureAlarm } from '../careful-team';

/**
 * Nightly card-scheme settlement files: when a file lands in the inbound bucket, EventBridge starts a workflow whose
 * distributed map reads the CSV from S3 and settles each line with a function (retries with backoff, a tolerated
 * failure rate, failed lines written to S3 by the map's result writer); the workflow's failure rate pages the team.
 * `retryEachLine: false` is the defect corpus's version: the per-line task without any retry.
 */
export function build(app: App, stage: string, { retryEachLine = true }: { retryEachLine?: boolean } = {}): void {
  const stack = new Stack(app, `SettlementFiles-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'settlement-files');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const bucket = (id: string) => dataBucket(stack, id, key, stage, {
    eventBridgeEnabled: id === 'Inbound',
    lifecycleRules: [{ noncurrentVersionExpiration: Duration.days(90) }],
  });
  const inbound = bucket('Inbound');
  const results = bucket('Results');

  const settle = handler(stack, 'SettleLine', stage, { timeout: Duration.seconds(20) });
  errorRateAlarm(stack, 'SettleLineErrors', settle, topic);
  const settleLine = new tasks.LambdaInvoke(stack, 'Settle', { lambdaFunction: settle, outputPath: '$.Payload', retryOnServiceExceptions: retryEachLine });
  if (retryEachLine) settleLine.addRetry({ errors: ['States.TaskFailed'], maxAttempts: 3, interval: Duration.seconds(2), backoffRate: 2, jitterStrategy: sfn.JitterType.FULL });
  const map = new sfn.DistributedMap(stack, 'EachLine', {
    itemReader: new sfn.S3CsvItemReader({ bucket: inbound, key: sfn.JsonPath.stringAt('$.detail.object.key'), csvHeaders: sfn.CsvHeaders.useFirstRow() }),
    resultWriterV2: new sfn.ResultWriterV2({ bucket: results, prefix: 'settlement-results' }),
    maxConcurrency: 50,
    toleratedFailurePercentage: 1,
    mapExecutionType: sfn.StateMachineType.EXPRESS,
  });
  map.itemProcessor(settleLine);
  map.addRetry({ errors: ['States.ItemReaderFailed'], maxAttempts: 2, interval: Duration.seconds(30), backoffRate: 2 });
  const failed = new sfn.Fail(stack, 'SettlementFailed', { error: 'SettlementFailed', cause: 'More than 1% of the lines failed' });
  map.addCatch(failed, { errors: ['States.ALL'] });

  const workflowLogs = new logs.LogGroup(stack, 'WorkflowLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  const workflow = new sfn.StateMachine(stack, 'Workflow', {
    definitionBody: sfn.DefinitionBody.fromChainable(map),
    tracingEnabled: true,
    timeout: Duration.hours(2),
    logs: { destination: workflowLogs, level: sfn.LogLevel.ERROR },
  });
  inbound.grantRead(workflow);
  results.grantReadWrite(workflow);

  // EventBridge writes events it could not deliver into the dead-letter queue with the queue's key.
  key.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const undelivered = deadLetterQueue(stack, 'UnstartedSettlements', key, stage);
  new events.Rule(stack, 'FileArrived', {
    description: 'Starts the settlement workflow for each file put in the inbound bucket',
    eventPattern: { source: ['aws.s3'], detailType: ['Object Created'], detail: { bucket: { name: [inbound.bucketName] }, object: { key: [{ suffix: '.csv' }] } } },
    targets: [new targets.SfnStateMachine(workflow, { deadLetterQueue: undelivered, retryAttempts: 4, maxEventAge: Duration.hours(6) })],
  });
  firstMessageAlarm(stack, 'UnstartedSettlementsAlarm', undelivered, topic);

  workflowFailureAlarm(stack, 'WorkflowFailures', workflow,
    'Settlement workflow failure rate above 0: open the failed execution and its results in S3, runbook https://wiki.example.com/runbooks/settlement', topic);
}
