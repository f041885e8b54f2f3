import { App, Aws, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as amazonmq from 'aws-cdk-lib/aws-amazonmq';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as cassandra from 'aws-cdk-lib/aws-cassandra';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as events from 'aws-cdk-lib/aws-events';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as msk from 'aws-cdk-lib/aws-msk';
import * as neptunegraph from 'aws-cdk-lib/aws-neptunegraph';
import * as opensearchserverless from 'aws-cdk-lib/aws-opensearchserverless';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3tables from 'aws-cdk-lib/aws-s3tables';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as timestream from 'aws-cdk-lib/aws-timestream';
import { FintechChecksProps } from '../../../src/rules/fintech-checks';
import { PhysicalNameStage } from '../../../src/rules/naming/physical-name-stage';
import { NameKind, PhysicalName } from '../../../src/stage/physical-name';
import { stackIn } from '../../support/fintech-fixture';
import { lines, shop, testApp, validate, validateWithAndWithoutScope } from '../rule-harness';

const C16 = PhysicalNameStage.INFO.id;

function c16(app: App, props: FintechChecksProps = {}) {
  return validate(app, props).findings.filter(f => f.ruleId === C16 || f.ruleId === 'Fintech-RuleFailed');
}

describe('Fintech-C16-PhysicalNameWithoutStage', () => {
  test('passes PhysicalName names and generated names in a FintechStage', () => {
    const app = testApp();
    const stack = stackIn(app, 'dev');
    new sqs.Queue(stack, 'Queue', { queueName: PhysicalName.of(stack, 'settlements', { kind: NameKind.SQS_QUEUE, fifo: true }), fifo: true });
    new sns.Topic(stack, 'Topic', { topicName: PhysicalName.of(stack, 'alerts', { kind: NameKind.SNS_TOPIC }) });
    new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new logs.LogGroup(stack, 'Logs', { logGroupName: `/ledger/${PhysicalName.of(stack, 'api', { kind: NameKind.LOG_GROUP })}` });
    expect(c16(app)).toEqual([]);
  });

  test('fails fixed names of each L2 type, naming the property and the stage', () => {
    const app = testApp();
    const stack = stackIn(app, 'prod');
    new dynamodb.Table(stack, 'Table', { tableName: 'entries', partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new sqs.Queue(stack, 'Queue', { queueName: 'settlements' });
    new sns.Topic(stack, 'Topic', { topicName: 'alerts' });
    new lambda.Function(stack, 'Fn', { functionName: 'settle', runtime: lambda.Runtime.NODEJS_LATEST, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    new sfn.StateMachine(stack, 'Flow', { stateMachineName: 'settlement', definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Start')) });
    new logs.LogGroup(stack, 'Logs', { logGroupName: '/ledger/api' });
    new secretsmanager.Secret(stack, 'Secret', { secretName: 'ledger/db' });
    const findings = c16(app);
    expect(lines(findings)).toEqual([
      `${C16} prod/Workload/Flow/Resource`,
      `${C16} prod/Workload/Fn/Resource`,
      `${C16} prod/Workload/Logs/Resource`,
      `${C16} prod/Workload/Queue/Resource`,
      `${C16} prod/Workload/Secret/Resource`,
      `${C16} prod/Workload/Table/Resource`,
      `${C16} prod/Workload/Topic/Resource`,
    ]);
    expect(findings.find(f => f.logicalId.startsWith('Table'))).toMatchObject({
      severity: 'error',
      locations: ['Properties/TableName'],
      message: expect.stringMatching(/^AWS::DynamoDB::Table Table[0-9A-F]{8} has TableName "entries", which lacks the stage name "prod", /),
      fix: expect.stringContaining('PhysicalName.of'),
    });
  });

  test('judges every type whose names must be unique where it deploys: aliases, alarms, dashboards, parameters, rules, buses and archives, streams, clusters, databases', () => {
    const { app, stack } = shop();
    const named = (suffix: string) => {
      new kms.Alias(stack, `Alias${suffix}`, { aliasName: `alias/ledger${suffix}`, targetKey: new kms.Key(stack, `Key${suffix}`, { enableKeyRotation: true }) });
      new cloudwatch.Alarm(stack, `Alarm${suffix}`, { alarmName: `ledger-errors${suffix}`, metric: new cloudwatch.Metric({ namespace: 'Ledger', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1 });
      new cloudwatch.Dashboard(stack, `Dashboard${suffix}`, { dashboardName: `ledger${suffix}` });
      new ssm.StringParameter(stack, `Parameter${suffix}`, { parameterName: `/ledger${suffix}/endpoint`, stringValue: 'https://ledger.example.com' });
      const bus = new events.EventBus(stack, `Bus${suffix}`, { eventBusName: `ledger${suffix}` });
      // An archive is retained in durable stages: a fixed name collides with the one kept from a deleted stack as well.
      bus.archive(`Archive${suffix}`, { archiveName: `ledger-replay${suffix}`, eventPattern: { source: ['ledger'] } });
      new events.Rule(stack, `Rule${suffix}`, { ruleName: `ledger-hourly${suffix}`, schedule: events.Schedule.cron({ minute: '0' }) });
      new kinesis.CfnStream(stack, `Stream${suffix}`, { name: `ledger-postings${suffix}`, shardCount: 1 });
      new ecs.CfnCluster(stack, `Cluster${suffix}`, { clusterName: `ledger${suffix}` });
      new rds.CfnDBCluster(stack, `Database${suffix}`, { engine: 'aurora-postgresql', dbClusterIdentifier: `ledger${suffix}`, storageEncrypted: true });
      new batch.CfnJobQueue(stack, `JobQueue${suffix}`, { jobQueueName: `risk${suffix}`, priority: 1, computeEnvironmentOrder: [] });
      new batch.CfnComputeEnvironment(stack, `Compute${suffix}`, { type: 'MANAGED', computeEnvironmentName: `risk${suffix}` });
      // A job definition's name is not unique: a second one is a new revision of the first, so it is not judged.
      new batch.CfnJobDefinition(stack, `JobDefinition${suffix}`, { type: 'container', jobDefinitionName: `risk${suffix}` });
    };
    named('');
    named('-dev');
    const findings = c16(app, { stage: 'dev' });
    expect(lines(findings)).toEqual([
      `${C16} Shop/Alarm/Resource`, `${C16} Shop/Alias/Resource`, `${C16} Shop/Bus/Archive/Archive`, `${C16} Shop/Bus/Resource`, `${C16} Shop/Cluster`, `${C16} Shop/Compute`, `${C16} Shop/Dashboard/Resource`,
      `${C16} Shop/Database`, `${C16} Shop/JobQueue`, `${C16} Shop/Parameter/Resource`, `${C16} Shop/Rule/Resource`, `${C16} Shop/Stream`,
    ]);
    expect(findings.find(f => f.logicalId === 'Database')).toMatchObject({
      locations: ['Properties/DBClusterIdentifier'],
      message: 'AWS::RDS::DBCluster Database has DBClusterIdentifier "ledger", which lacks the stage name "dev", so it collides with the same resource of another stage.',
    });
    expect(PhysicalNameStage.INFO.description).toContain('AWS::KMS::Alias (AliasName)');
  });

  test('judges the names of streaming, messaging and newer data stores: delivery streams, pipes, brokers, Kafka, caches, keyspaces, search, time series, graphs', () => {
    const { app, stack } = shop();
    const named = (suffix: string) => {
      new firehose.CfnDeliveryStream(stack, `Delivery${suffix}`, { deliveryStreamName: `ledger-archive${suffix}` });
      new pipes.CfnPipe(stack, `Pipe${suffix}`, { name: `ledger-enrich${suffix}`, roleArn: 'arn:aws:iam::123456789012:role/pipe', source: 'arn:aws:sqs:eu-west-1:123456789012:in', target: 'arn:aws:sqs:eu-west-1:123456789012:out' });
      new amazonmq.CfnBroker(stack, `Broker${suffix}`, { brokerName: `card-switch${suffix}`, engineType: 'RABBITMQ', deploymentMode: 'SINGLE_INSTANCE', hostInstanceType: 'mq.m5.large', publiclyAccessible: false, users: [] });
      new msk.CfnCluster(stack, `Kafka${suffix}`, { clusterName: `ledger${suffix}`, kafkaVersion: '3.6.0', numberOfBrokerNodes: 2, brokerNodeGroupInfo: { clientSubnets: ['subnet-1', 'subnet-2'], instanceType: 'kafka.m7g.large' } });
      new elasticache.CfnServerlessCache(stack, `Quotes${suffix}`, { engine: 'valkey', serverlessCacheName: `quotes${suffix}` });
      new cassandra.CfnKeyspace(stack, `Keyspace${suffix}`, { keyspaceName: `positions${suffix.replace('-', '_')}` });
      new opensearchserverless.CfnCollection(stack, `Vectors${suffix}`, { name: `kb-vectors${suffix}` });
      new timestream.CfnDatabase(stack, `Ticks${suffix}`, { databaseName: `market${suffix}` });
      new neptunegraph.CfnGraph(stack, `Graph${suffix}`, { graphName: `payees${suffix}`, provisionedMemory: 16 });
      new s3tables.CfnTableBucket(stack, `Lake${suffix}`, { tableBucketName: `risk-lake${suffix}` });
    };
    named('');
    named('-dev');
    const findings = c16(app, { stage: 'dev' });
    expect(lines(findings)).toEqual(['Broker', 'Delivery', 'Graph', 'Kafka', 'Keyspace', 'Lake', 'Pipe', 'Quotes', 'Ticks', 'Vectors'].map(id => `${C16} Shop/${id}`));
    expect(findings.find(f => f.logicalId === 'Vectors')?.message).toBe(
      'AWS::OpenSearchServerless::Collection Vectors has Name "kb-vectors", which lacks the stage name "dev", so it collides with the same resource of another stage.');
  });

  test('judges L1 resources and escape hatches, and skips stacks outside a stage', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new sqs.CfnQueue(stack, 'Raw', { queueName: 'settlements' });
    new sqs.CfnQueue(stack, 'Staged', { queueName: 'ledger-settlements-dev' });
    const topic = new sns.Topic(stack, 'Topic');
    (topic.node.defaultChild as sns.CfnTopic).addPropertyOverride('TopicName', `alerts-${Aws.REGION}`);
    expect(lines(c16(app, { stage: 'dev' }))).toEqual([`${C16} Shop/Raw`, `${C16} Shop/Topic/Resource`]);
    expect(c16(app)).toEqual([]);
  });

  test('passes names holding their own stack\'s name, CDK\'s path-built names among them, with and without a scope; other names in that stack fail', () => {
    const app = testApp();
    const payments = new Stack(app, 'Payments');
    // A bus without a name gets one CDK builds from its path, which starts with the stack's id (here its name).
    new events.EventBus(payments, 'Bus');
    new sqs.Queue(payments, 'Settlements', { queueName: `${payments.stackName}-settlements` });
    new sqs.Queue(payments, 'Refunds', { queueName: 'refunds' });
    // The stack's name, not its id, is what CloudFormation keeps unique.
    const ledger = new Stack(app, 'Ledger', { stackName: 'ledger-eu' });
    new sns.Topic(ledger, 'Alerts', { topicName: 'ledger-eu-alerts' });
    new sns.Topic(ledger, 'Audit', { topicName: 'Ledger-audit' });
    for (const checks of validateWithAndWithoutScope(app, { stage: 'dev' })) {
      expect(lines(checks.findings.filter(f => f.ruleId === C16))).toEqual([`${C16} Ledger/Audit/Resource`, `${C16} Payments/Refunds/Resource`]);
    }
  });

  test('passes names holding another stack\'s name in its account, with that stack\'s region when it deploys elsewhere: an EdgeFunction\'s parameter', () => {
    const app = testApp();
    const account = '123456789012';
    const web = new Stack(app, 'Web', { env: { account, region: 'eu-west-1' } });
    // CDK writes /cdk/EdgeFunctionArn/eu-west-1/Web/Viewer in a us-east-1 support stack: the region and name of the stack that uses it.
    new cloudfront.experimental.EdgeFunction(web, 'Viewer', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    });
    new Stack(app, 'Api', { env: { account, region: 'us-east-1' } });
    const edge = new Stack(app, 'Edge', { env: { account, region: 'us-east-1' } });
    new ssm.StringParameter(edge, 'SameRegion', { parameterName: '/shop/api/url', stringValue: 'x' });
    // Web deploys to eu-west-1: a stage with a "Web" stack in another region would share this name.
    new ssm.StringParameter(edge, 'RegionLeftOut', { parameterName: '/shop/Web/arn', stringValue: 'x' });
    const elsewhere = new Stack(app, 'Elsewhere', { env: { account: '210987654321', region: 'eu-west-1' } });
    new ssm.StringParameter(elsewhere, 'OtherAccount', { parameterName: '/eu-west-1/Web/arn', stringValue: 'x' });
    const [withScope, withoutScope] = validateWithAndWithoutScope(app, { stage: 'dev' });
    for (const checks of [withScope, withoutScope]) {
      expect(lines(checks.findings.filter(f => f.ruleId === C16))).toEqual([
        `${C16} Edge/RegionLeftOut/Resource`, `${C16} Elsewhere/OtherAccount/Resource`,
      ]);
    }
    const support = app.node.children.find(child => child.node.id.startsWith('edge-lambda-stack-')) as Stack;
    expect(Object.values(Template.fromStack(support).findResources('AWS::SSM::Parameter')).map(p => p.Properties.Name))
      .toEqual(['/cdk/EdgeFunctionArn/eu-west-1/Web/Viewer']);
  });

  test('treats names built from parameters or other intrinsics as unknown', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const stage = new CfnParameter(stack, 'Stage', { type: 'String' });
    new sqs.CfnQueue(stack, 'Param', { queueName: stage.valueAsString });
    new sns.CfnTopic(stack, 'Joined', { topicName: Fn.join('-', ['alerts', stage.valueAsString]) });
    new logs.CfnLogGroup(stack, 'StackNamed', { logGroupName: `/ledger/${Aws.STACK_NAME}` });
    expect(c16(app, { stage: 'dev' })).toEqual([]);
  });
});
