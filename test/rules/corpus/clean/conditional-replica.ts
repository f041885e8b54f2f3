import { App, CfnCondition, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { ENV, alertTopic, dataKey, errorRateAlarm, firstMessageAlarm, handler, isDurable, removalFor, tagWorkload, workQueue } from '../careful-team';

/**
 * A template written for a pipeline that deploys one template to every stage: a parameter with allowed values, a
 * condition on it, and settings chosen by Fn::If (the stage's own value is also known at synth, as CDK apps pass it).
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `Balances-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'balances');
  const stageParameter = new CfnParameter(stack, 'Stage', { type: 'String', allowedValues: ['dev', 'staging', 'prod'], default: stage });
  const isProd = new CfnCondition(stack, 'IsProd', { expression: Fn.conditionEquals(stageParameter.valueAsString, 'prod') });
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  const table = new dynamodb.Table(stack, 'Balances', {
    partitionKey: { name: 'accountId', type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    deletionProtection: isDurable(stage),
    removalPolicy: removalFor(stage),
  });
  // Point-in-time recovery only where the pipeline says prod.
  (table.node.defaultChild as dynamodb.CfnTable).addPropertyOverride('PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled', Fn.conditionIf(isProd.logicalId, true, false));
  const { queue, dlq } = workQueue(stack, 'BalanceUpdates', key, stage);
  (queue.node.defaultChild as sqs.CfnQueue).addPropertyOverride('MessageRetentionPeriod', Fn.conditionIf(isProd.logicalId, 1209600, 345600));
  const apply = handler(stack, 'ApplyUpdate', stage, { environment: { TABLE_NAME: table.tableName, STAGE: stageParameter.valueAsString } });
  table.grantReadWriteData(apply);
  queue.grantConsumeMessages(apply);
  apply.addEventSourceMapping('FromUpdates', { eventSourceArn: queue.queueArn, reportBatchItemFailures: true, batchSize: 10 });
  errorRateAlarm(stack, 'ApplyUpdateErrors', apply, topic);
  firstMessageAlarm(stack, 'BalanceUpdatesDlqAlarm', dlq, topic);
}
