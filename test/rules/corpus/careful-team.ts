import { Duration, RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct, IConstruct } from 'constructs';

// The small kit a careful bank team writes for itself with plain aws-cdk-lib: no construct of this library.

/** The stages a corpus app is judged in, and which of them keep their data. */
export const STAGES = ['dev', 'staging', 'prod'] as const;
export const DURABLE_STAGES = ['staging', 'prod'];

/** Whether a stage keeps its data. */
export function isDurable(stage: string): boolean {
  return DURABLE_STAGES.includes(stage);
}

/** Retain data in staging and prod, destroy it in dev. */
export function removalFor(stage: string): RemovalPolicy {
  return isDurable(stage) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
}

/** The four tags the bank's cost and ownership reviews require, on everything under `scope`. */
export function tagWorkload(scope: IConstruct, stage: string, application: string): void {
  Tags.of(scope).add('Environment', stage);
  Tags.of(scope).add('Team', 'payments');
  Tags.of(scope).add('CostCenter', 'cc-4711');
  Tags.of(scope).add('Application', application);
}

/** A customer managed key with rotation, kept in durable stages. */
export function dataKey(scope: Construct, id: string, stage: string): kms.Key {
  return new kms.Key(scope, id, {
    enableKeyRotation: true,
    removalPolicy: removalFor(stage),
    pendingWindow: isDurable(stage) ? Duration.days(30) : Duration.days(7),
    description: `${id} of the ${stage} stage`,
  });
}

/** An encrypted alert topic with the on-call address subscribed; CloudWatch may use its key. */
export function alertTopic(scope: Construct, key: kms.IKey): sns.Topic {
  key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const topic = new sns.Topic(scope, 'Alerts', { masterKey: key, enforceSSL: true });
  topic.addSubscription(new subscriptions.EmailSubscription('oncall@example.com'));
  return topic;
}

/**
 * An on-demand table encrypted with the stage's key, with point-in-time recovery, protected and kept in durable stages;
 * keyed by a string `partitionKey` (and `props.sortKey` etc.).
 */
export function dataTable(scope: Construct, id: string, partitionKey: string, key: kms.IKey, stage: string,
  props: Partial<dynamodb.TableProps> = {}): dynamodb.Table {
  return new dynamodb.Table(scope, id, {
    partitionKey: { name: partitionKey, type: dynamodb.AttributeType.STRING },
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
    encryptionKey: key,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: isDurable(stage),
    removalPolicy: removalFor(stage),
    ...props,
  });
}

/**
 * The team's smallest ledger in `scope`: the stage's key and alert topic, a table on that key, and a `Post` function that
 * writes it (the table's name in `environmentVariable`), paged on its error rate.
 */
export function postingLedger(scope: Construct, stage: string, { table: tableId, partitionKey, environmentVariable }: {
  readonly table: string; readonly partitionKey: string; readonly environmentVariable: string;
}): { key: kms.Key; topic: sns.Topic; table: dynamodb.Table; post: lambda.Function } {
  const key = dataKey(scope, 'Key', stage);
  const topic = alertTopic(scope, key);
  const table = dataTable(scope, tableId, partitionKey, key, stage);
  const post = handler(scope, 'Post', stage, { environment: { [environmentVariable]: table.tableName } });
  table.grantWriteData(post);
  errorRateAlarm(scope, 'PostErrors', post, topic);
  return { key, topic, table, post };
}

/**
 * A bucket encrypted with the stage's key (bucket keys on), private, TLS only and versioned; kept in durable stages,
 * emptied and deleted with the stack in dev.
 */
export function dataBucket(scope: Construct, id: string, key: kms.IKey, stage: string, props: Partial<s3.BucketProps> = {}): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    versioned: true,
    removalPolicy: removalFor(stage),
    autoDeleteObjects: !isDurable(stage),
    ...props,
  });
}

/**
 * A bucket for logs a service writes with ACLs and SSE-S3 (CloudFront standard logs): private, TLS only, objects kept
 * 400 days in durable stages and 30 in dev.
 */
export function serviceLogBucket(scope: Construct, id: string, stage: string): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.OBJECT_WRITER,
    enforceSSL: true,
    lifecycleRules: [{ expiration: Duration.days(isDurable(stage) ? 400 : 30) }],
    removalPolicy: removalFor(stage),
    autoDeleteObjects: !isDurable(stage),
  });
}

/**
 * The stage options of the team's REST APIs: named after the stage, traced, throttled at `rateLimit` requests per second
 * (bursts of twice that), JSON access logs in a log group kept a year.
 */
export function restStageOptions(scope: Construct, stage: string, rateLimit: number): apigateway.StageOptions {
  const accessLogs = new logs.LogGroup(scope, 'AccessLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  return {
    stageName: stage,
    tracingEnabled: true,
    throttlingRateLimit: rateLimit,
    throttlingBurstLimit: 2 * rateLimit,
    accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
    accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
  };
}

/** An on-demand Kinesis stream encrypted with the stage's key, keeping records 7 days in durable stages and 1 in dev. */
export function dataStream(scope: Construct, id: string, key: kms.IKey, stage: string): kinesis.Stream {
  return new kinesis.Stream(scope, id, {
    encryption: kinesis.StreamEncryption.KMS,
    encryptionKey: key,
    retentionPeriod: Duration.days(isDurable(stage) ? 7 : 1),
    streamMode: kinesis.StreamMode.ON_DEMAND,
    removalPolicy: removalFor(stage),
  });
}

/** A queue for failed work: encrypted, TLS only, kept 14 days, no DLQ of its own. */
export function deadLetterQueue(scope: Construct, id: string, key: kms.IKey, stage: string): sqs.Queue {
  return new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: key,
    enforceSSL: true,
    retentionPeriod: Duration.days(14),
    removalPolicy: removalFor(stage),
  });
}

/** A work queue with its dead-letter queue. */
export function workQueue(scope: Construct, id: string, key: kms.IKey, stage: string): { queue: sqs.Queue; dlq: sqs.Queue } {
  const dlq = deadLetterQueue(scope, `${id}Dlq`, key, stage);
  const queue = new sqs.Queue(scope, id, {
    encryption: sqs.QueueEncryption.KMS,
    encryptionMasterKey: key,
    enforceSSL: true,
    visibilityTimeout: Duration.seconds(60),
    deadLetterQueue: { queue: dlq, maxReceiveCount: 3 },
    removalPolicy: removalFor(stage),
  });
  return { queue, dlq };
}

/** A traced Node.js function with a chosen memory, timeout and a retained log group. */
export function handler(scope: Construct, id: string, stage: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: removalFor(stage) });
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ ok: true });'),
    memorySize: 512,
    timeout: Duration.seconds(10),
    tracing: lambda.Tracing.ACTIVE,
    logGroup,
    environment: { POWERTOOLS_SERVICE_NAME: id, LOG_LEVEL: 'INFO' },
    ...props,
  });
}

/** The fields every alarm of the team sets. */
function notify(alarm: cloudwatch.AlarmBase, topic: sns.ITopic | undefined): void {
  if (topic) alarm.addAlarmAction(new actions.SnsAction(topic));
}

/** `100 * errors / total` in percent over `period`, 0 without traffic. */
function percentOf(errors: cloudwatch.IMetric, total: cloudwatch.IMetric, period: Duration): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({ expression: 'IF(total > 0, 100 * errors / total, 0)', usingMetrics: { errors, total }, period });
}

/** Pages when `errors` are more than `threshold` percent of `total` in 3 of 5 minutes (0 without traffic). */
export function rateAlarm(scope: Construct, id: string, errors: cloudwatch.IMetric, total: cloudwatch.IMetric,
  { description, threshold, topic }: { readonly description: string; readonly threshold: number; readonly topic?: sns.ITopic }): cloudwatch.Alarm {
  const alarm = percentOf(errors, total, Duration.minutes(1)).createAlarm(scope, id, {
    alarmDescription: description,
    threshold,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  notify(alarm, topic);
  return alarm;
}

/** Error rate of a function in percent, guarded against zero traffic, 3 of 5 minutes. */
export function errorRateAlarm(scope: Construct, id: string, fn: lambda.IFunction, topic?: sns.ITopic): cloudwatch.Alarm {
  return rateAlarm(scope, id, fn.metricErrors({ statistic: 'Sum' }), fn.metricInvocations({ statistic: 'Sum' }), {
    description: `Error rate of ${fn.node.id} above 5%: check its logs, runbook https://wiki.example.com/runbooks/${fn.node.id}`,
    threshold: 5,
    topic,
  });
}

/** Pages on any failed execution of a state machine in five minutes (its failure rate above 0, 0 without executions). */
export function workflowFailureAlarm(
  scope: Construct, id: string, machine: sfn.IStateMachine, description: string, topic?: sns.ITopic,
): cloudwatch.Alarm {
  const failureRate = percentOf(machine.metricFailed({ statistic: 'Sum' }), machine.metricStarted({ statistic: 'Sum' }), Duration.minutes(5));
  const alarm = failureRate.createAlarm(scope, id, {
    alarmDescription: description,
    threshold: 0,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  notify(alarm, topic);
  return alarm;
}

/** Pages on the first message in a dead-letter queue. */
export function firstMessageAlarm(scope: Construct, id: string, dlq: sqs.IQueue, topic?: sns.ITopic): cloudwatch.Alarm {
  const alarm = dlq.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1), statistic: 'Maximum' }).createAlarm(scope, id, {
    alarmDescription: `Failed messages in ${dlq.node.id}: inspect and redrive them, runbook https://wiki.example.com/runbooks/dlq`,
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    datapointsToAlarm: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  notify(alarm, topic);
  return alarm;
}

/** The account and region of the team's workload (tables with customer keys need a region at synth). */
export const ENV = { account: '123456789012', region: 'eu-west-1' };

/**
 * The regional web ACL a careful team puts in front of every API stage: AWS's common managed rules and a per-address
 * rate limit (requests per 5 minutes), associated with the stage.
 */
export function protectApiStage(scope: Construct, metricName: string, stageArn: string, rateLimit: number): wafv2.CfnWebACL {
  const acl = new wafv2.CfnWebACL(scope, 'WebAcl', {
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true },
    rules: [
      {
        name: 'common',
        priority: 0,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
        visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'common', sampledRequestsEnabled: true },
      },
      {
        name: 'rate',
        priority: 1,
        action: { block: {} },
        statement: { rateBasedStatement: { limit: rateLimit, aggregateKeyType: 'IP' } },
        visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'rate', sampledRequestsEnabled: true },
      },
    ],
  });
  new wafv2.CfnWebACLAssociation(scope, 'WebAclAssociation', { resourceArn: stageArn, webAclArn: acl.attrArn });
  return acl;
}

/**
 * The card API's Fargate task definition (0.5 vCPU, 1 GiB) with its one container: port 8080, a health check on
 * /health, logging with `logging`.
 */
export function cardApiTask(scope: Construct, logging: ecs.LogDriver): ecs.FargateTaskDefinition {
  const taskDefinition = new ecs.FargateTaskDefinition(scope, 'Task', { cpu: 512, memoryLimitMiB: 1024 });
  taskDefinition.addContainer('card-api', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/card-api:1.4.2'),
    portMappings: [{ containerPort: 8080 }],
    logging,
    healthCheck: { command: ['CMD-SHELL', 'curl -fs http://localhost:8080/health || exit 1'], interval: Duration.seconds(15), startPeriod: Duration.seconds(30) },
  });
  return taskDefinition;
}
