import { CfnResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ShapeCase, shared } from '../rule-shapes';

function ledgerTable(scope: Construct, props: Partial<dynamodb.TableProps> = {}): dynamodb.Table {
  return new dynamodb.Table(scope, 'Ledger', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, ...props });
}

/**
 * A rule on a bus encrypted with the stage key, whose failed deliveries go to a queue on the same key; with `granted`
 * the key also lets EventBridge use it without the bus's encryption context, as the queue needs.
 */
function busRuleWithDeadLetterQueue(scope: Construct, granted: boolean): void {
  const key = rotatingKey(scope);
  if (granted) key.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const bus = new events.EventBus(scope, 'Payments', { kmsKey: key });
  const undelivered = new sqs.Queue(scope, 'Undelivered', { enforceSSL: true, encryptionMasterKey: key });
  const target = new sqs.Queue(scope, 'Settlements', { enforceSSL: true });
  new events.Rule(scope, 'Settle', { eventBus: bus, eventPattern: { source: ['payments'] }, targets: [new targets.SqsQueue(target, { deadLetterQueue: undelivered })] });
}

/** A Valkey replication group with TLS, keeping `snapshotRetentionLimit` days of automatic snapshots, its removal left to CloudFormation. */
function quoteCache(scope: Construct, snapshotRetentionLimit: number): void {
  new elasticache.CfnReplicationGroup(scope, 'Quotes', {
    replicationGroupDescription: 'Latest FX quotes', engine: 'valkey', cacheNodeType: 'cache.t4g.small', transitEncryptionEnabled: true, snapshotRetentionLimit,
  });
}

function rotatingKey(scope: Construct, id = 'Key'): kms.Key {
  return new kms.Key(scope, id, { enableKeyRotation: true });
}

/** A key CloudWatch Logs may use, with the actions its documentation lists. */
function logsKey(scope: Construct): kms.Key {
  const key = rotatingKey(scope);
  key.grant(new iam.ServicePrincipal(`logs.${Stack.of(scope).region}.amazonaws.com`), 'kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*');
  return key;
}

/** Rejected traffic of a VPC as flow logs in a bucket whose default encryption is `key`. */
function flowLogsInto(scope: Construct, key: kms.IKey): void {
  const bucket = new s3.Bucket(scope, 'FlowLogs', { encryptionKey: key, enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
  new ec2.CfnFlowLog(scope, 'Rejected', { resourceId: 'vpc-0a1b2c3d', resourceType: 'VPC', trafficType: 'REJECT', logDestinationType: 's3', logDestination: bucket.bucketArn });
}

/** A raw function that settles payments, traced, with its memory and timeout chosen. */
function settlementFunction(scope: Construct): lambda.CfnFunction {
  return new lambda.CfnFunction(scope, 'Settle', {
    runtime: 'nodejs22.x',
    handler: 'index.handler',
    code: { zipFile: 'exports.handler = async () => ({});' },
    memorySize: 512,
    timeout: 10,
    role: `arn:aws:iam::${Stack.of(scope).account}:role/settlement-function`,
    tracingConfig: { mode: 'Active' },
  });
}

/** A raw EventBridge rule sending settled payments to `target`. */
function settleRule(scope: Construct, target: lambda.CfnFunction): events.CfnRule {
  return new events.CfnRule(scope, 'Settled', { eventPattern: { source: ['payments'] }, targets: [{ id: 'Settle', arn: target.attrArn }] });
}

/** A raw queue and a raw EventBridge rule sending settled payments into it. */
function settledInto(scope: Construct): { queue: sqs.CfnQueue; rule: events.CfnRule } {
  const queue = new sqs.CfnQueue(scope, 'Settlements', { sqsManagedSseEnabled: true });
  const rule = new events.CfnRule(scope, 'SettledToQueue', { eventPattern: { source: ['payments'] }, targets: [{ id: 'Queue', arn: queue.attrArn }] });
  return { queue, rule };
}

/**
 * A raw topic whose own policy denies plaintext publishing (replacing SNS's default policy), and a raw rule publishing to
 * it; `allowRule` adds the statement letting EventBridge publish for that rule.
 */
function settledToTopic(scope: Construct, allowRule: boolean): void {
  const topic = new sns.CfnTopic(scope, 'Settled');
  const rule = new events.CfnRule(scope, 'SettledToTopic', { eventPattern: { source: ['payments'] }, targets: [{ id: 'Topic', arn: topic.ref }] });
  const statements: unknown[] = [{ Effect: 'Deny', Principal: '*', Action: 'sns:Publish', Resource: topic.ref, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }];
  if (allowRule) {
    statements.push({ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: topic.ref, Condition: { ArnEquals: { 'aws:SourceArn': rule.attrArn } } });
  }
  new sns.CfnTopicPolicy(scope, 'SettledPolicy', { topics: [topic.ref], policyDocument: { Statement: statements } });
}

function failuresAlarm(scope: Construct, topic: sns.ITopic): void {
  new cloudwatch.Alarm(scope, 'Failures', {
    metric: new cloudwatch.Metric({ namespace: 'Ledger', metricName: 'Failures', period: Duration.minutes(1) }),
    threshold: 1,
    evaluationPeriods: 1,
  }).addAlarmAction(new cwActions.SnsAction(topic));
}

/** A static site on a bucket encrypted with a rotating key, served by CloudFront through `origin`. */
function sitePortal(scope: Construct, origin: (site: s3.IBucket) => cloudfront.IOrigin): void {
  const site = new s3.Bucket(scope, 'Site', { enforceSSL: true, encryptionKey: rotatingKey(scope, 'SiteKey') });
  new cloudfront.Distribution(scope, 'Cdn', { defaultBehavior: { origin: origin(site) } });
}

/** A staff user pool with SMS MFA through an SMS role of the app's, assumed by `assumedBy`. */
function staffPool(scope: Construct, assumedBy: iam.IPrincipal): void {
  const smsRole = new iam.Role(scope, 'StaffSms', { assumedBy });
  smsRole.addToPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
  new cognito.UserPool(scope, 'Staff', { signInAliases: { phone: true }, mfa: cognito.Mfa.REQUIRED, mfaSecondFactor: { sms: true, otp: false }, smsRole });
}

function readerRole(scope: Construct, statement: iam.PolicyStatementProps, roleName?: string): void {
  new iam.Role(scope, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), roleName })
    .addToPolicy(new iam.PolicyStatement(statement));
}

const EXPORTS_ARN = 'arn:aws:s3:::ledger-exports-123456789012';
const ACCESS_POINT_ARN = 'arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-0123456789abcdef0';

/** The statement CDK writes for a function that mounts EFS through an access point, with the given condition. */
function efsMount(conditions: Record<string, unknown>): iam.PolicyStatementProps {
  return { actions: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'], resources: ['*'], conditions };
}

/** C01 to C06: tags, removal, buckets, encryption at rest, key access and cycles, IAM. */
/** An exports bucket of the case's stack, and the TLS-only policy the shared stack writes for `objects` of it. */
function exportsTlsPolicy(scope: Construct, objects: string): void {
  const bucket = new s3.Bucket(scope, 'Exports');
  const policy = new s3.BucketPolicy(shared(scope), 'ExportsTlsOnly', { bucket });
  policy.document.addStatements(new iam.PolicyStatement({
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:*'],
    resources: [bucket.bucketArn, bucket.arnForObjects(objects)],
    conditions: { Bool: { 'aws:SecureTransport': 'false' } },
  }));
}

export const CASES: ShapeCase[] = [
  {
    ruleId: 'Fintech-C01-RequiredTags',
    title: 'a raw CfnResource queue whose own Tags blank a required tag (the tagged stack\'s tags fill only keys it leaves out)',
    fail: scope => {
      new CfnResource(scope, 'Raw', { type: 'AWS::SQS::Queue', properties: { SqsManagedSseEnabled: true, Tags: [{ Key: 'Team', Value: '' }] } });
    },
    at: ['Raw'],
    pass: scope => { new CfnResource(scope, 'Raw', { type: 'AWS::SQS::Queue', properties: { SqsManagedSseEnabled: true } }); },
  },
  {
    ruleId: 'Fintech-C02-EphemeralRetainsData',
    title: 'a retained table in an ephemeral stage',
    fail: scope => { ledgerTable(scope, { removalPolicy: RemovalPolicy.RETAIN }); },
    at: ['Ledger'],
    pass: scope => { ledgerTable(scope, { removalPolicy: RemovalPolicy.DESTROY }); },
  },
  {
    ruleId: 'Fintech-C02-BucketNotEmptiedOnDelete',
    title: 'a bucket destroyed with its stack but never emptied',
    fail: scope => { new s3.Bucket(scope, 'Exports', { enforceSSL: true, removalPolicy: RemovalPolicy.DESTROY }); },
    at: ['Exports'],
    pass: scope => { new s3.Bucket(scope, 'Exports', { enforceSSL: true, removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true }); },
  },
  {
    ruleId: 'Fintech-C02-DurableDeletesData',
    title: 'a table deleted with its stack in a durable stage',
    durable: true,
    fail: scope => { ledgerTable(scope, { removalPolicy: RemovalPolicy.DESTROY, deletionProtection: true }); },
    at: ['Ledger'],
    pass: scope => { ledgerTable(scope, { removalPolicy: RemovalPolicy.RETAIN, deletionProtection: true }); },
  },
  {
    ruleId: 'Fintech-C02-DurableDeletesData',
    title: 'a Valkey replication group keeping seven days of snapshots but none when deleted, in a durable stage (one without snapshots is a cache)',
    durable: true,
    fail: scope => { quoteCache(scope, 7); },
    at: ['Quotes'],
    pass: scope => { quoteCache(scope, 0); },
  },
  {
    ruleId: 'Fintech-C02-DeletionProtectionOff',
    title: 'a retained table without deletion protection in a durable stage',
    durable: true,
    fail: scope => { ledgerTable(scope, { removalPolicy: RemovalPolicy.RETAIN }); },
    at: ['Ledger'],
    pass: scope => { ledgerTable(scope, { removalPolicy: RemovalPolicy.RETAIN, deletionProtection: true }); },
  },
  {
    ruleId: 'Fintech-C03-BucketEncryption',
    title: 'a raw bucket without an encryption configuration',
    fail: scope => { new s3.CfnBucket(scope, 'Raw'); },
    at: ['Raw'],
    pass: scope => {
      new s3.CfnBucket(scope, 'Raw', { bucketEncryption: { serverSideEncryptionConfiguration: [{ serverSideEncryptionByDefault: { sseAlgorithm: 'aws:kms' } }] } });
    },
  },
  {
    ruleId: 'Fintech-C03-BucketPublicAccessBlock',
    title: 'a bucket that blocks public ACLs but not public policies',
    fail: scope => { new s3.Bucket(scope, 'Exports', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ACLS_ONLY }); },
    at: ['Exports'],
    pass: scope => { new s3.Bucket(scope, 'Exports', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL }); },
  },
  {
    ruleId: 'Fintech-C03-BucketTlsOnly',
    title: 'a bucket without a TLS-only policy',
    fail: scope => { new s3.Bucket(scope, 'Exports'); },
    at: ['Exports'],
    pass: scope => { new s3.Bucket(scope, 'Exports', { enforceSSL: true }); },
  },
  {
    ruleId: 'Fintech-C03-BucketTlsOnly',
    title: 'a bucket whose TLS-only policy, written by the shared security stack, covers one prefix of its objects',
    fail: scope => { exportsTlsPolicy(scope, 'statements/*'); },
    at: ['Exports'],
    pass: scope => { exportsTlsPolicy(scope, '*'); },
  },
  {
    ruleId: 'Fintech-C03-BucketName',
    title: 'a bucket with a fixed global name',
    fail: scope => { new s3.Bucket(scope, 'Exports', { enforceSSL: true, bucketName: 'ledger-exports' }); },
    at: ['Exports'],
    pass: scope => { new s3.Bucket(scope, 'Exports', { enforceSSL: true }); },
  },
  {
    ruleId: 'Fintech-C04-UnencryptedStore',
    title: 'a topic without a KMS key',
    fail: scope => { new sns.Topic(scope, 'Payments', { enforceSSL: true }); },
    at: ['Payments'],
    pass: scope => { new sns.Topic(scope, 'Payments', { enforceSSL: true, masterKey: rotatingKey(scope) }); },
  },
  {
    ruleId: 'Fintech-C04-StoreWithoutCustomerKey',
    title: 'a queue encrypted with the SQS-owned key',
    fail: scope => { new sqs.Queue(scope, 'Payments', { enforceSSL: true, encryption: sqs.QueueEncryption.SQS_MANAGED }); },
    at: ['Payments'],
    pass: scope => { new sqs.Queue(scope, 'Payments', { enforceSSL: true, encryptionMasterKey: rotatingKey(scope) }); },
  },
  {
    ruleId: 'Fintech-C04-LogGroupWithoutCustomerKey',
    title: 'a log group encrypted with the service key only',
    fail: scope => { new logs.LogGroup(scope, 'Audit', { retention: logs.RetentionDays.ONE_YEAR }); },
    at: ['Audit'],
    pass: scope => {
      new logs.LogGroup(scope, 'Audit', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: logsKey(scope) });
    },
  },
  {
    ruleId: 'Fintech-C04-KeyRotation',
    title: 'a key that never rotates',
    fail: scope => { new kms.Key(scope, 'Key'); },
    at: ['Key'],
    pass: scope => { rotatingKey(scope); },
  },
  {
    ruleId: 'Fintech-C05-ProducerWithoutKeyAccess',
    title: 'an alarm publishing to a topic whose key does not allow CloudWatch',
    fail: scope => { failuresAlarm(scope, new sns.Topic(scope, 'Alerts', { enforceSSL: true, masterKey: rotatingKey(scope) })); },
    at: ['Alerts'],
    pass: scope => {
      const key = rotatingKey(scope);
      key.grant(new iam.ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
      failuresAlarm(scope, new sns.Topic(scope, 'Alerts', { enforceSSL: true, masterKey: key }));
    },
  },
  {
    ruleId: 'Fintech-C05-ProducerWithoutKeyAccess',
    title: 'a subscription into a queue of a shared stack whose key does not allow SNS',
    fail: scope => {
      const orders = new sqs.Queue(shared(scope), 'Orders', { enforceSSL: true, encryptionMasterKey: rotatingKey(shared(scope), 'OrdersKey') });
      new sns.Subscription(scope, 'ToOrders', { topic: new sns.Topic(scope, 'Payments', { enforceSSL: true }), endpoint: orders.queueArn, protocol: sns.SubscriptionProtocol.SQS });
    },
    at: ['Orders'],
    pass: scope => {
      const key = rotatingKey(shared(scope), 'OrdersKey');
      key.grant(new iam.ServicePrincipal('sns.amazonaws.com'), 'kms:GenerateDataKey*', 'kms:Decrypt');
      const orders = new sqs.Queue(shared(scope), 'Orders', { enforceSSL: true, encryptionMasterKey: key });
      new sns.Subscription(scope, 'ToOrders', { topic: new sns.Topic(scope, 'Payments', { enforceSSL: true }), endpoint: orders.queueArn, protocol: sns.SubscriptionProtocol.SQS });
    },
  },
  {
    ruleId: 'Fintech-C05-ProducerWithoutKeyAccess',
    title: 'a rule\'s dead-letter queue on an encrypted bus\'s key, whose statement for EventBridge is scoped to the bus',
    fail: scope => { busRuleWithDeadLetterQueue(scope, false); },
    at: ['Undelivered'],
    pass: scope => { busRuleWithDeadLetterQueue(scope, true); },
  },
  {
    ruleId: 'Fintech-C05-ProducerWithoutKeyAccess',
    title: 'a subscription into a queue whose key lets SNS in only for another topic (aws:SourceArn)',
    fail: scope => { subscriptionUnderPinnedKey(scope, 'Other'); },
    at: ['Orders'],
    pass: scope => { subscriptionUnderPinnedKey(scope, 'Payments'); },
  },
  {
    ruleId: 'Fintech-C05-ProducerWithoutKeyAccess',
    title: 'a role allowed sqs:SendMessage by hand on a queue of a shared stack, without the queue\'s key',
    fail: scope => {
      const orders = new sqs.Queue(shared(scope), 'Orders', { enforceSSL: true, encryptionMasterKey: rotatingKey(shared(scope), 'OrdersKey') });
      const intake = new iam.Role(scope, 'Intake', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
      intake.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [orders.queueArn] }));
    },
    at: ['Orders'],
    pass: scope => {
      const orders = new sqs.Queue(shared(scope), 'Orders', { enforceSSL: true, encryptionMasterKey: rotatingKey(shared(scope), 'OrdersKey') });
      orders.grantSendMessages(new iam.Role(scope, 'Intake', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') }));
    },
  },
  {
    ruleId: 'Fintech-C05-ProducerWithoutKeyAccess',
    title: 'a role allowed s3:PutObject by hand on the objects of a shared stack\'s bucket on a customer key, without the key',
    fail: scope => {
      const reports = new s3.Bucket(shared(scope), 'Reports', { enforceSSL: true, encryptionKey: rotatingKey(shared(scope), 'ReportsKey') });
      const writer = new iam.Role(scope, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      writer.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [reports.arnForObjects('daily/*')] }));
    },
    at: ['Reports'],
    pass: scope => {
      const reports = new s3.Bucket(shared(scope), 'Reports', { enforceSSL: true, encryptionKey: rotatingKey(shared(scope), 'ReportsKey') });
      reports.grantPut(new iam.Role(scope, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }), 'daily/*');
    },
  },
  {
    ruleId: 'Fintech-C05-ConsumerWithoutKeyAccess',
    title: 'a role allowed sqs:ReceiveMessage by hand on a queue of a shared stack, without kms:Decrypt on the queue\'s key',
    fail: scope => {
      const settlements = new sqs.Queue(shared(scope), 'Settlements', { enforceSSL: true, encryptionMasterKey: rotatingKey(shared(scope), 'SettlementsKey') });
      const settler = new iam.Role(scope, 'Settler', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      settler.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'], resources: [settlements.queueArn] }));
    },
    at: ['Settlements'],
    pass: scope => {
      const settlements = new sqs.Queue(shared(scope), 'Settlements', { enforceSSL: true, encryptionMasterKey: rotatingKey(shared(scope), 'SettlementsKey') });
      settlements.grantConsumeMessages(new iam.Role(scope, 'Settler', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }));
    },
  },
  {
    ruleId: 'Fintech-C05-ConsumerWithoutKeyAccess',
    title: 'a role allowed s3:GetObject by hand on the objects of a bucket on a customer key, without kms:Decrypt',
    fail: scope => {
      const statements = new s3.Bucket(scope, 'Statements', { enforceSSL: true, encryptionKey: rotatingKey(scope, 'StatementsKey') });
      const reader = new iam.Role(scope, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      reader.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [statements.arnForObjects('monthly/*')] }));
    },
    at: ['Statements'],
    pass: scope => {
      const statements = new s3.Bucket(scope, 'Statements', { enforceSSL: true, encryptionKey: rotatingKey(scope, 'StatementsKey') });
      statements.grantRead(new iam.Role(scope, 'Reader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }), 'monthly/*');
    },
  },
  {
    ruleId: 'Fintech-C05-ConsumerWithoutKeyAccess',
    title: 'a distribution serving a bucket on a customer key through an origin access identity, which does not support SSE-KMS',
    fail: scope => sitePortal(scope, site => origins.S3BucketOrigin.withOriginAccessIdentity(site)),
    at: ['Site'],
    pass: scope => sitePortal(scope, site => origins.S3BucketOrigin.withOriginAccessControl(site)),
  },
  {
    ruleId: 'Fintech-C05-ProducerWithoutKeyAccess',
    title: 'VPC flow logs written into a bucket whose default key does not let delivery.logs.amazonaws.com use it',
    fail: scope => flowLogsInto(scope, rotatingKey(scope)),
    at: ['FlowLogs'],
    pass: scope => {
      const key = rotatingKey(scope);
      key.grant(new iam.ServicePrincipal('delivery.logs.amazonaws.com'), 'kms:GenerateDataKey*', 'kms:Decrypt');
      flowLogsInto(scope, key);
    },
  },
  {
    ruleId: 'Fintech-C05-LogGroupKeyWithoutLogsAccess',
    title: 'a log group encrypted with a key CloudWatch Logs may not use',
    fail: scope => { new logs.LogGroup(scope, 'Audit', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: rotatingKey(scope) }); },
    at: ['Audit'],
    pass: scope => {
      new logs.LogGroup(scope, 'Audit', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: logsKey(scope) });
    },
  },
  {
    ruleId: 'Fintech-C05-LogGroupKeyWithoutLogsAccess',
    title: 'a log group on a key granted to CloudWatch Logs for encryption only (key.grantEncryptDecrypt is enough)',
    fail: scope => {
      const key = rotatingKey(scope);
      key.grantEncrypt(new iam.ServicePrincipal('logs.amazonaws.com'));
      new logs.LogGroup(scope, 'Audit', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: key });
    },
    at: ['Audit'],
    pass: scope => {
      const key = rotatingKey(scope);
      key.grantEncryptDecrypt(new iam.ServicePrincipal('logs.amazonaws.com'));
      new logs.LogGroup(scope, 'Audit', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: key });
    },
  },
  {
    ruleId: 'Fintech-C05-LogGroupKeyWithoutLogsAccess',
    title: 'a log group encrypted with a key of a shared stack that CloudWatch Logs may not use',
    fail: scope => { new logs.LogGroup(scope, 'Audit', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: rotatingKey(shared(scope), 'SharedKey') }); },
    at: ['Audit'],
    pass: scope => { new logs.LogGroup(scope, 'Audit', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: logsKey(shared(scope)) }); },
  },
  {
    ruleId: 'Fintech-C05-TrailKeyWithoutCloudTrailAccess',
    title: 'a trail encrypted with a key CloudTrail may not use (Trail adds no statement for it)',
    fail: scope => { new cloudtrail.Trail(scope, 'Audit', { encryptionKey: rotatingKey(scope) }); },
    at: ['Audit'],
    pass: scope => {
      const key = rotatingKey(scope);
      key.grant(new iam.ServicePrincipal('cloudtrail.amazonaws.com'), 'kms:GenerateDataKey*', 'kms:DescribeKey');
      new cloudtrail.Trail(scope, 'Audit', { encryptionKey: key });
    },
  },
  {
    ruleId: 'Fintech-C05-EventBusKeyWithoutEventsAccess',
    title: 'a hand-written event bus on a key EventBridge may not use (only EventBus and Archive add the statement)',
    fail: scope => { new events.CfnEventBus(scope, 'Payments', { name: 'payments-dev', kmsKeyIdentifier: rotatingKey(scope).keyArn }); },
    at: ['Payments'],
    pass: scope => { new events.EventBus(scope, 'Payments', { eventBusName: 'payments-dev', kmsKey: rotatingKey(scope) }); },
  },
  {
    ruleId: 'Fintech-C05-ProducerWithoutInvokePermission',
    title: 'a hand-written EventBridge rule targeting a function that no permission lets EventBridge invoke',
    fail: scope => { settleRule(scope, settlementFunction(scope)); },
    at: ['Settle'],
    pass: scope => {
      const settle = settlementFunction(scope);
      const rule = settleRule(scope, settle);
      new lambda.CfnPermission(scope, 'EventsInvokeSettle', { action: 'lambda:InvokeFunction', functionName: settle.ref, principal: 'events.amazonaws.com', sourceArn: rule.attrArn });
    },
  },
  {
    ruleId: 'Fintech-C05-ProducerWithoutQueuePolicy',
    title: 'a hand-written EventBridge rule targeting a queue whose policy does not let EventBridge send',
    fail: scope => { settledInto(scope); },
    at: ['Settlements'],
    pass: scope => {
      const { queue, rule } = settledInto(scope);
      new sqs.CfnQueuePolicy(scope, 'SettlementsPolicy', {
        queues: [queue.ref],
        policyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: queue.attrArn, Condition: { ArnEquals: { 'aws:SourceArn': rule.attrArn } } }] },
      });
    },
  },
  {
    ruleId: 'Fintech-C05-ProducerWithoutTopicPolicy',
    title: 'a hand-written EventBridge rule publishing to a TLS-only topic whose policy does not let EventBridge publish',
    fail: scope => { settledToTopic(scope, false); },
    at: ['Settled'],
    pass: scope => { settledToTopic(scope, true); },
  },
  {
    ruleId: 'Fintech-C05-DependencyCycle',
    title: 'a key policy granting a role by ARN while a managed policy of that role names the key',
    fail: scope => {
      const role = new iam.Role(scope, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      const key = rotatingKey(scope);
      key.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ArnPrincipal(role.roleArn)], actions: ['kms:Decrypt'], resources: ['*'] }));
      role.addManagedPolicy(new iam.ManagedPolicy(scope, 'Policy', { statements: [new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [key.keyArn] })] }));
    },
    at: ['Role'],
    includeRefuses: /Found a cycle between resources in the template: Role1ABCC5F0 depends on Policy23B91518 depends on Key961B73FD/,
    pass: scope => {
      const role = new iam.Role(scope, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      rotatingKey(scope).grantDecrypt(role);
    },
  },
  {
    ruleId: 'Fintech-C06-WildcardAction',
    title: 'a policy allowing s3:* on one bucket',
    fail: scope => readerRole(scope, { actions: ['s3:*'], resources: [`${EXPORTS_ARN}/*`] }),
    at: ['ReaderDefaultPolicy'],
    pass: scope => readerRole(scope, { actions: ['s3:GetObject'], resources: [`${EXPORTS_ARN}/*`] }),
  },
  {
    ruleId: 'Fintech-C06-WildcardResource',
    title: 'a policy allowing s3:GetObject on every resource',
    fail: scope => readerRole(scope, { actions: ['s3:GetObject'], resources: ['*'] }),
    at: ['ReaderDefaultPolicy'],
    pass: scope => readerRole(scope, { actions: ['s3:GetObject'], resources: [`${EXPORTS_ARN}/*`] }),
  },
  {
    ruleId: 'Fintech-C06-WildcardResource',
    title: 'an EFS mount on every resource whose condition admits any access point (pinned to one, it reaches one file system)',
    fail: scope => readerRole(scope, efsMount({ StringLike: { 'elasticfilesystem:AccessPointArn': `${ACCESS_POINT_ARN.replace(/fsap-.*/, '')}*` } })),
    at: ['ReaderDefaultPolicy'],
    pass: scope => readerRole(scope, efsMount({ StringEquals: { 'elasticfilesystem:AccessPointArn': ACCESS_POINT_ARN } })),
  },
  {
    ruleId: 'Fintech-C06-WildcardResource',
    title: 'a user pool\'s SMS role publishing on every resource, which a function may assume too (Cognito alone needs sns:Publish on "*")',
    fail: scope => staffPool(scope, new iam.CompositePrincipal(new iam.ServicePrincipal('cognito-idp.amazonaws.com'), new iam.ServicePrincipal('lambda.amazonaws.com'))),
    at: ['StaffSmsDefaultPolicy'],
    pass: scope => staffPool(scope, new iam.ServicePrincipal('cognito-idp.amazonaws.com')),
  },
  {
    ruleId: 'Fintech-C06-PublicResourcePolicy',
    title: 'a bucket policy letting anyone read objects',
    fail: scope => {
      const bucket = new s3.Bucket(scope, 'Exports', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
      bucket.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [bucket.arnForObjects('*')] }));
    },
    at: ['ExportsPolicy'],
    pass: scope => {
      const bucket = new s3.Bucket(scope, 'Exports', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
      bucket.addToResourcePolicy(new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject'],
        resources: [bucket.arnForObjects('*')],
        conditions: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      }));
    },
  },
  {
    ruleId: 'Fintech-C06-RoleNameWithoutStage',
    title: 'a role name without the stage name',
    props: { stage: 'dev' },
    fail: scope => readerRole(scope, { actions: ['s3:GetObject'], resources: [`${EXPORTS_ARN}/*`] }, 'ledger-reader'),
    at: ['Reader'],
    pass: scope => readerRole(scope, { actions: ['s3:GetObject'], resources: [`${EXPORTS_ARN}/*`] }, 'ledger-reader-dev'),
  },
];

/** A queue subscribed to topic Payments, on a key whose statement for SNS is pinned by aws:SourceArn to topic `pinnedTo`. */
function subscriptionUnderPinnedKey(scope: Construct, pinnedTo: 'Payments' | 'Other'): void {
  const topics = { Payments: new sns.Topic(scope, 'Payments', { enforceSSL: true }), Other: new sns.Topic(scope, 'Other', { enforceSSL: true }) };
  const key = rotatingKey(scope);
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
    actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
    resources: ['*'],
    conditions: { ArnEquals: { 'aws:SourceArn': topics[pinnedTo].topicArn } },
  }));
  const orders = new sqs.Queue(scope, 'Orders', { enforceSSL: true, encryptionMasterKey: key });
  new sns.Subscription(scope, 'ToOrders', { topic: topics.Payments, endpoint: orders.queueArn, protocol: sns.SubscriptionProtocol.SQS });
}
