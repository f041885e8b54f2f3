import * as path from 'path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import { ENV, alertTopic, dataKey, errorRateAlarm, handler, isDurable, tagWorkload } from '../careful-team';

/** A hand-written CloudFormation template included with CfnInclude; new code reads its queue and alarms its DLQ. */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `FxRates-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'fx-rates');
  const legacy = new cfninc.CfnInclude(stack, 'Legacy', {
    templateFile: path.join(__dirname, 'templates', 'legacy-fx-rates.json'),
    parameters: { Stage: stage },
  });
  // The legacy template retains everything; dev stages must not.
  if (!isDurable(stage)) {
    for (const id of ['RatesKey', 'RatesDlq', 'Rates']) legacy.getResource(id).applyRemovalPolicy(RemovalPolicy.DESTROY);
  }
  const ratesKey = kms.Key.fromCfnKey(legacy.getResource('RatesKey') as kms.CfnKey);
  const rates = sqs.Queue.fromQueueAttributes(stack, 'Rates', {
    queueArn: (legacy.getResource('Rates') as sqs.CfnQueue).attrArn,
    keyArn: ratesKey.keyArn,
  });
  const dlq = legacy.getResource('RatesDlq') as sqs.CfnQueue;

  const key = dataKey(stack, 'AlertKey', stage);
  const topic = alertTopic(stack, key);
  const consumer = handler(stack, 'PublishRates', stage);
  consumer.addEventSource(new sources.SqsEventSource(rates, { reportBatchItemFailures: true }));
  errorRateAlarm(stack, 'PublishRatesErrors', consumer, topic);
  const dlqAlarm = new cloudwatch.Alarm(stack, 'RatesDlqAlarm', {
    metric: new cloudwatch.Metric({ namespace: 'AWS/SQS', metricName: 'ApproximateNumberOfMessagesVisible', dimensionsMap: { QueueName: dlq.attrQueueName }, statistic: 'Maximum' }),
    alarmDescription: 'FX rate messages failed three times: check the rates provider, then redrive.',
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  dlqAlarm.addAlarmAction(new actions.SnsAction(topic));
}
