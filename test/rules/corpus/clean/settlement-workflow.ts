import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { ENV, alertTopic, dataKey, errorRateAlarm, handler, removalFor, tagWorkload } from '../careful-team';

/** A Step Functions workflow calling Lambda through the optimized integration, with retries, a catch, tracing and logs. */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `SettlementWorkflow-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'settlement-workflow');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  const validate = handler(stack, 'ValidateBatch', stage);
  const book = handler(stack, 'BookBatch', stage, { timeout: Duration.minutes(2), memorySize: 1024 });

  const failed = new sfn.Fail(stack, 'SettlementFailed', { error: 'SettlementFailed', cause: 'A step failed after its retries' });
  const retry: sfn.RetryProps = { errors: ['States.ALL'], interval: Duration.seconds(2), backoffRate: 2, maxAttempts: 3 };
  const validateStep = new tasks.LambdaInvoke(stack, 'Validate', { lambdaFunction: validate, outputPath: '$.Payload', retryOnServiceExceptions: true });
  validateStep.addRetry(retry);
  validateStep.addCatch(failed);
  const bookStep = new tasks.LambdaInvoke(stack, 'Book', { lambdaFunction: book, outputPath: '$.Payload' });
  bookStep.addRetry(retry);
  bookStep.addCatch(failed);

  const logGroup = new logs.LogGroup(stack, 'WorkflowLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  const machine = new sfn.StateMachine(stack, 'Workflow', {
    definitionBody: sfn.DefinitionBody.fromChainable(validateStep.next(bookStep).next(new sfn.Succeed(stack, 'Settled'))),
    stateMachineType: sfn.StateMachineType.STANDARD,
    tracingEnabled: true,
    timeout: Duration.hours(1),
    logs: { destination: logGroup, level: sfn.LogLevel.ERROR, includeExecutionData: false },
  });

  errorRateAlarm(stack, 'ValidateErrors', validate, topic);
  errorRateAlarm(stack, 'BookErrors', book, topic);
  const failedRuns = new cloudwatch.Alarm(stack, 'WorkflowFailures', {
    metric: new cloudwatch.MathExpression({
      expression: 'IF(started > 0, 100 * (failed + timedOut) / started, 0)',
      usingMetrics: {
        failed: machine.metricFailed({ statistic: 'Sum' }),
        timedOut: machine.metricTimedOut({ statistic: 'Sum' }),
        started: machine.metricStarted({ statistic: 'Sum' }),
      },
      period: Duration.minutes(5),
    }),
    alarmDescription: 'Settlement runs fail or time out: runbook https://wiki.example.com/runbooks/settlement',
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  failedRuns.addAlarmAction(new actions.SnsAction(topic));
}
