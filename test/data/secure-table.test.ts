import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { SecureTable } from '../../src/data/secure-table';
import { CONFIG, keyAliasesOfTwoStacks, stackIn, testApp } from '../support/fintech-fixture';

const partitionKey = { name: 'id', type: dynamodb.AttributeType.STRING };

describe('SecureTable', () => {
  test('customer-key encryption, point-in-time recovery, deletion protection in durable stages', () => {
    const stack = stackIn(testApp(), 'prod');
    const table = new SecureTable(stack, 'Entries', { partitionKey, nameBase: 'entries' });
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'ledger-entries-prod',
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: stack.resolve(table.dataKey.key.keyArn) },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      BillingMode: 'PAY_PER_REQUEST',
    });
  });

  test('no deletion protection in ephemeral stages', () => {
    const stack = stackIn(testApp(), 'dev');
    new SecureTable(stack, 'Entries', { partitionKey });
    Template.fromStack(stack).hasResourceProperties('AWS::DynamoDB::Table', { DeletionProtectionEnabled: false });
  });

  test('stream consumers bisect, report item failures and send what fails to an encrypted failure queue kept 14 days', () => {
    const stack = stackIn(testApp(), 'dev');
    const table = new SecureTable(stack, 'Entries', { partitionKey, stream: true });
    const fn = new lambda.Function(stack, 'Audit', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})') });
    table.addStreamConsumer(fn);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::DynamoDB::Table', { StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 3,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^EntriesStreamFailures'), 'Arn'] } } },
    });
    // No DLQ of its own: nothing receives from a failure queue, so nothing can fail to.
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::SQS::Queue', { KmsMasterKeyId: stack.resolve(table.dataKey.key.keyArn), MessageRetentionPeriod: 14 * 24 * 3600, RedrivePolicy: Match.absent() });
  });

  test('a stream consumer without a stream is refused', () => {
    const stack = stackIn(testApp(), 'dev');
    const table = new SecureTable(stack, 'Entries', { partitionKey });
    const fn = new lambda.Function(stack, 'Audit', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    expect(() => table.addStreamConsumer(fn)).toThrow('SecureTable at dev/Workload/Entries: addStreamConsumer needs a stream; set stream: true on the table.');
  });

  describe('monitoring (C09)', () => {
    const paged = { ...CONFIG, alarmEmail: 'oncall@example.com' };
    const OPERATIONS = ['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem', 'Query', 'Scan', 'BatchGetItem', 'BatchWriteItem', 'TransactGetItems', 'TransactWriteItems'];

    function tableMetric(id: string, metricName: string, dimensions: object[]) {
      return { Id: id, ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/DynamoDB', MetricName: metricName, Dimensions: dimensions }, Period: 300, Stat: 'Sum' } };
    }

    test('by default: throttle events and system errors of the table, to the alert topic', () => {
      const stack = stackIn(testApp(), 'prod', paged);
      const entries = new SecureTable(stack, 'Entries', { partitionKey });
      const tableName = [{ Name: 'TableName', Value: stack.resolve(entries.tableName) }];
      const topic = stack.resolve(AlertTopic.of(stack).topicArn);
      const routed = {
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        TreatMissingData: 'notBreaching',
        AlarmDescription: Match.stringLikeRegexp('^(Table|DynamoDB) .*Entries'),
        AlarmActions: [topic],
        OKActions: [topic],
      };
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ...routed,
        Metrics: [
          { Id: 'expr_1', Expression: 'FILL(readThrottles, 0) + FILL(writeThrottles, 0)', Label: 'Throttle events', ReturnData: true },
          tableMetric('readThrottles', 'ReadThrottleEvents', tableName),
          tableMetric('writeThrottles', 'WriteThrottleEvents', tableName),
        ],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ...routed,
        Metrics: [
          { Id: 'expr_1', Expression: OPERATIONS.map(o => `FILL(${o.toLowerCase()}, 0)`).join(' + '), Label: 'System errors', ReturnData: true },
          ...OPERATIONS.map(o => tableMetric(o.toLowerCase(), 'SystemErrors', [{ Name: 'Operation', Value: o }, ...tableName])),
        ],
      });
      expect(entries.alarms).toHaveLength(2);
    });

    test('the stream failure queue pages on its first message, on the table\'s alert topic', () => {
      const stack = stackIn(testApp(), 'dev', paged);
      const pager = new sns.Topic(stack, 'Pager');
      const table = new SecureTable(stack, 'Entries', { partitionKey, stream: true, monitoring: { alertTopic: pager } });
      table.addStreamConsumer(new lambda.Function(stack, 'Audit', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') }));
      const template = Template.fromStack(stack);
      const pagerRef = { Ref: stack.getLogicalId(pager.node.defaultChild as sns.CfnTopic) };
      template.resourceCountIs('AWS::CloudWatch::Alarm', 3);
      template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: [pagerRef], OKActions: [pagerRef] }, 3);
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Threshold: 0,
        EvaluationPeriods: 1,
        AlarmDescription: Match.stringLikeRegexp('^Stream records of dev/Workload/Entries that failed every retry'),
      });
      template.resourceCountIs('AWS::SNS::Topic', 1);
    });

    test('can be turned off, for the stream failure queue too', () => {
      const stack = stackIn(testApp(), 'dev');
      const table = new SecureTable(stack, 'Entries', { partitionKey, stream: true, monitoring: { enabled: false } });
      table.addStreamConsumer(new lambda.Function(stack, 'Audit', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') }));
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::CloudWatch::Alarm', 0);
      template.resourceCountIs('AWS::SNS::Topic', 0);
      expect(table.alarms).toEqual([]);
    });
  });

  test('is an ITable: the L2\'s grants work on it directly, its key included', () => {
    const stack = stackIn(testApp(), 'dev');
    const table: dynamodb.ITable = new SecureTable(stack, 'Entries', { partitionKey });
    const role = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    table.grantWriteData(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Action: Match.arrayWith(['dynamodb:PutItem']), Resource: Match.arrayWith([stack.resolve(table.tableArn)]) }),
          Match.objectLike({ Action: Match.arrayWith(['kms:Encrypt']), Resource: stack.resolve((table as SecureTable).dataKey.key.keyArn) }),
        ]),
      },
    });
  });

});

describe('SecureTable key alias', () => {
  test('is unique in the stage when stacks use the same construct id', () => {
    expect(keyAliasesOfTwoStacks(stack => new SecureTable(stack, 'Store', { partitionKey }))).toEqual([
      ['alias/ledger-ingest-store-table-prod', 'alias/ledger-ingest-alerts-topic-prod'],
      ['alias/ledger-settle-store-table-prod', 'alias/ledger-settle-alerts-topic-prod'],
    ]);
  });
});

const durableDefaultWarnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('fintech:durable-default'));

describe('SecureTable outside a FintechStage', () => {
  test('with an ephemeral context stage: destroyed, deletion protection off, named with the stage', () => {
    const app = testApp();
    app.node.setContext('fintech:stage', 'dev');
    const stack = new Stack(app, 'Loose');
    new SecureTable(stack, 'Orders', { partitionKey, nameBase: 'orders', monitoring: { enabled: false } });
    Template.fromStack(stack).hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: { TableName: 'orders-dev', DeletionProtectionEnabled: false },
    });
    expect(durableDefaultWarnings(stack)).toEqual([]);
  });

  test('without context: retained with deletion protection, and exactly one warning for the stack', () => {
    const stack = new Stack(testApp(), 'Loose');
    new SecureTable(stack, 'Orders', { partitionKey });
    new SecureTable(stack, 'Payments', { partitionKey });
    const tables = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::Table'));
    expect(tables.map(t => [t.DeletionPolicy, t.Properties.DeletionProtectionEnabled])).toEqual([['Retain', true], ['Retain', true]]);
    expect(durableDefaultWarnings(stack)).toHaveLength(1);
  });
});
