import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV, alertTopic, dataKey, dataTable, deadLetterQueue, errorRateAlarm, firstMessageAlarm, handler, tagWorkload, workQueue } from '../careful-team';

/** Data: the ledger table, the key, the posting queue and a shared failure queue that other stacks send to. */
class LedgerData extends Stack {
  public readonly key: kms.Key;
  public readonly table: dynamodb.Table;
  public readonly postings: sqs.Queue;
  public readonly postingsDlq: sqs.Queue;
  public readonly failures: sqs.Queue;
  public readonly events: sns.Topic;

  constructor(scope: Construct, id: string, stage: string, props: StackProps) {
    super(scope, id, props);
    this.key = dataKey(this, 'LedgerKey', stage);
    this.table = dataTable(this, 'Ledger', 'accountId', this.key, stage, { sortKey: { name: 'postedAt', type: dynamodb.AttributeType.STRING } });
    ({ queue: this.postings, dlq: this.postingsDlq } = workQueue(this, 'Postings', this.key, stage));
    // Failures of the compute stack's asynchronous functions and subscriptions land here; SNS writes a subscription's
    // failed messages with the queue's key, so its key policy allows SNS.
    this.failures = deadLetterQueue(this, 'Failures', this.key, stage);
    this.key.grant(new iam.ServicePrincipal('sns.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    this.events = new sns.Topic(this, 'LedgerEvents', { masterKey: this.key, enforceSSL: true });
  }
}

/** Compute: the posting consumer and an asynchronous auditor subscribed to the ledger events. */
class LedgerCompute extends Stack {
  public readonly consumer: lambda.Function;
  public readonly auditor: lambda.Function;

  constructor(scope: Construct, id: string, stage: string, data: LedgerData, props: StackProps) {
    super(scope, id, props);
    this.consumer = handler(this, 'PostEntry', stage, { environment: { TABLE_NAME: data.table.tableName } });
    data.table.grantReadWriteData(this.consumer);
    this.consumer.addEventSource(new sources.SqsEventSource(data.postings, { batchSize: 10, reportBatchItemFailures: true }));

    this.auditor = handler(this, 'AuditEntry', stage, {
      onFailure: new destinations.SqsDestination(data.failures),
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
    });
    data.events.addSubscription(new subscriptions.LambdaSubscription(this.auditor, { deadLetterQueue: data.failures }));
  }
}

/** Monitoring: the alert topic and every alarm, on resources of the other two stacks. */
class LedgerMonitoring extends Stack {
  constructor(scope: Construct, id: string, stage: string, data: LedgerData, compute: LedgerCompute, props: StackProps) {
    super(scope, id, props);
    const key = dataKey(this, 'AlertKey', stage);
    const topic = alertTopic(this, key);
    errorRateAlarm(this, 'PostEntryErrors', compute.consumer, topic);
    errorRateAlarm(this, 'AuditEntryErrors', compute.auditor, topic);
    firstMessageAlarm(this, 'PostingsDlqAlarm', data.postingsDlq, topic);
    firstMessageAlarm(this, 'FailuresAlarm', data.failures, topic);
  }
}

/** Several stacks with cross-stack references: data, compute, monitoring. */
export function build(app: App, stage: string): void {
  const data = new LedgerData(app, `LedgerData-${stage}`, stage, { env: ENV });
  const compute = new LedgerCompute(app, `LedgerCompute-${stage}`, stage, data, { env: ENV });
  const monitoring = new LedgerMonitoring(app, `LedgerMonitoring-${stage}`, stage, data, compute, { env: ENV });
  for (const stack of [data, compute, monitoring]) tagWorkload(stack, stage, 'ledger');
}
