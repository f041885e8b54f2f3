import { Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { FintechPlatformConfig } from '../../src/config/platform-config';
import { SecureGlobalTable, SecureGlobalTableProps } from '../../src/data/secure-global-table';
import { FintechStage } from '../../src/stage/fintech-stage';
import { ReplicaRegionStack } from '../../src/stage/replica-region-stack';
import { CONFIG, synthReport, testApp } from '../support/fintech-fixture';

const partitionKey = { name: 'tradeId', type: dynamodb.AttributeType.STRING };
const bySource: dynamodb.GlobalSecondaryIndexPropsV2 = {
  indexName: 'bySource',
  partitionKey: { name: 'sourceSystem', type: dynamodb.AttributeType.STRING },
  sortKey: { name: 'recordedAt', type: dynamodb.AttributeType.NUMBER },
};

/** CONFIG with replica regions: dev (ephemeral) in us-east-1 + us-west-2, prod (durable) + us-west-2 and eu-west-1. */
const MULTI: FintechPlatformConfig = {
  ...CONFIG,
  environments: [
    { name: 'dev', account: '123456789012', region: 'us-east-1', durable: false, replicaRegions: ['us-west-2'] },
    { name: 'prod', account: '123456789012', region: 'us-east-1', durable: true, replicaRegions: ['us-west-2', 'eu-west-1'] },
  ],
};

function stageOf(stageName: 'dev' | 'prod', app = testApp()): FintechStage {
  return new FintechStage(app, stageName, { config: MULTI, environment: MULTI.environments.find(e => e.name === stageName)! });
}

function tableIn(stageName: 'dev' | 'prod', props: Partial<SecureGlobalTableProps> = {}) {
  const stage = stageOf(stageName);
  const stack = new Stack(stage, 'Workload');
  const table = new SecureGlobalTable(stack, 'Trades', { partitionKey, nameBase: 'trades', ...props });
  return { stage, stack, table };
}

function globalTable(stack: Stack) {
  const tables = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable'));
  expect(tables).toHaveLength(1);
  return tables[0];
}

function replicaStack(stage: FintechStage, region: string): Stack {
  const stack = stage.node.tryFindChild(`Replicas-${region}`);
  expect(ReplicaRegionStack.isReplicaRegionStack(stack)).toBe(true);
  return stack as Stack;
}

describe('SecureGlobalTable in a durable stage with two replica regions', () => {
  test('one explicit name, a replica per region, each with its own region\'s key, point-in-time recovery, contributor insights and deletion protection', () => {
    const { stack, table } = tableIn('prod', { globalSecondaryIndexes: [bySource] });
    const resource = globalTable(stack);
    expect(resource.DeletionPolicy).toBe('Retain');
    expect(resource.UpdateReplacePolicy).toBe('Retain');
    expect(resource.Properties.TableName).toBe('ledger-trades-prod');
    expect(resource.Properties.BillingMode).toBe('PAY_PER_REQUEST');
    expect(resource.Properties.SSESpecification).toEqual({ SSEEnabled: true, SSEType: 'KMS' });
    const replicas: any[] = resource.Properties.Replicas;
    expect(replicas.map(r => [r.Region, r.SSESpecification.KMSMasterKeyId])).toEqual([
      ['us-west-2', 'arn:aws:kms:us-west-2:123456789012:alias/ledger-trades-table-prod'],
      ['eu-west-1', 'arn:aws:kms:eu-west-1:123456789012:alias/ledger-trades-table-prod'],
      ['us-east-1', stack.resolve(table.dataKey.key.keyArn)],
    ]);
    for (const replica of replicas) {
      expect(replica).toMatchObject({
        DeletionProtectionEnabled: true,
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        ContributorInsightsSpecification: { Enabled: true },
        GlobalSecondaryIndexes: [{ IndexName: 'bySource', ContributorInsightsSpecification: { Enabled: true } }],
      });
    }
    expect(table.replicaRegions).toEqual(['us-west-2', 'eu-west-1']);
  });

  test('the stage\'s tags reach every replica (a GlobalTable has no table-level Tags)', () => {
    const { stack } = tableIn('prod');
    for (const replica of globalTable(stack).Properties.Replicas) {
      expect(replica.Tags).toEqual(expect.arrayContaining([
        { Key: 'Environment', Value: 'prod' }, { Key: 'Team', Value: 'payments' }, { Key: 'CostCenter', Value: 'cc-1234' },
        { Key: 'Application', Value: 'ledger' }, { Key: 'DataClassification', Value: 'pci' },
      ]));
    }
  });

  test('each replica key is a retained, rotated DataKey in its region\'s stack, with the alias the table names', () => {
    const { stage, stack, table } = tableIn('prod');
    for (const region of ['us-west-2', 'eu-west-1']) {
      const replicas = replicaStack(stage, region);
      expect(replicas.region).toBe(region);
      expect(replicas.account).toBe('123456789012');
      expect(table.replicaDataKeys[region].aliasName).toBe('alias/ledger-trades-table-prod');
      expect(Stack.of(table.replicaDataKeys[region])).toBe(replicas);
      const template = Template.fromStack(replicas);
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', Properties: { EnableKeyRotation: true, Description: `Key of the ${region} replica of DynamoDB table ledger-trades-prod` } });
      template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ledger-trades-table-prod' });
      // The keys exist before the table that names them.
      expect(stack.dependencies).toContain(replicas);
    }
  });

  test('the aspect and the construct agree: deletion protection on in every replica, set once', () => {
    const { stack } = tableIn('prod');
    const replicas: any[] = globalTable(stack).Properties.Replicas;
    expect(replicas.map(r => r.DeletionProtectionEnabled)).toEqual([true, true, true]);
  });
});

describe('SecureGlobalTable in an ephemeral stage', () => {
  test('the table, its replicas and every key are destroyed with the stage', () => {
    const { stage, stack } = tableIn('dev');
    const resource = globalTable(stack);
    expect(resource.DeletionPolicy).toBe('Delete');
    expect(resource.Properties.Replicas.map((r: any) => [r.Region, r.DeletionProtectionEnabled])).toEqual([['us-west-2', false], ['us-east-1', false]]);
    Template.fromStack(stack).hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: { PendingWindowInDays: 7 } });
    const replicas = Template.fromStack(replicaStack(stage, 'us-west-2'));
    const keys = Object.values(replicas.findResources('AWS::KMS::Key'));
    expect(keys.map(k => [k.DeletionPolicy, k.Properties.PendingWindowInDays])).toEqual([['Delete', 7], ['Delete', 7]]);
    expect(stage.node.tryFindChild('Replicas-eu-west-1')).toBeUndefined();
  });

  test('one stack per stage and region, named after the stage, shared by the tables of every stack', () => {
    const stage = stageOf('dev');
    const orders = new SecureGlobalTable(new Stack(stage, 'Orders'), 'Table', { partitionKey });
    const settle = new SecureGlobalTable(new Stack(stage, 'Settle'), 'Table', { partitionKey });
    const replicas = replicaStack(stage, 'us-west-2');
    expect(replicas.stackName).toBe('dev-Replicas-us-west-2');
    expect(stage.node.children.filter(ReplicaRegionStack.isReplicaRegionStack)).toEqual([replicas]);
    expect([orders, settle].map(t => globalTable(Stack.of(t)).Properties.TableName)).toEqual(['ledger-orders-table-dev', 'ledger-settle-table-dev']);
    expect(Object.values(Template.fromStack(replicas).findResources('AWS::KMS::Alias')).map(a => a.Properties.AliasName).sort()).toEqual([
      'alias/ledger-orders-table-table-dev', 'alias/ledger-replicas-us-west-2-alerts-topic-dev', 'alias/ledger-settle-table-table-dev',
    ]);
  });
});

describe('SecureGlobalTable options', () => {
  test('no stream of its own without replicas; with stream: true, new and old images', () => {
    const app = testApp();
    const single = { ...CONFIG.environments[0], name: 'dev' };
    const stack = new Stack(new FintechStage(app, 'dev', { config: CONFIG, environment: single }), 'Workload');
    new SecureGlobalTable(stack, 'Plain', { partitionKey });
    new SecureGlobalTable(stack, 'Streamed', { partitionKey, stream: true });
    const tables = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable'));
    expect(tables.map(t => [t.Properties.TableName, t.Properties.StreamSpecification, t.Properties.Replicas.length])).toEqual([
      ['ledger-workload-plain-dev', undefined, 1],
      ['ledger-workload-streamed-dev', { StreamViewType: 'NEW_AND_OLD_IMAGES' }, 1],
    ]);
  });

  test('a table with replicas has the replication stream even without stream: true', () => {
    const { stack } = tableIn('dev');
    expect(globalTable(stack).Properties.StreamSpecification).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
  });

  test('sort key, time to live, contributor insights off', () => {
    const { stack } = tableIn('dev', { sortKey: { name: 'version', type: dynamodb.AttributeType.NUMBER }, timeToLiveAttribute: 'expiresAt', contributorInsights: false });
    const props = globalTable(stack).Properties;
    expect(props.KeySchema).toEqual([{ AttributeName: 'tradeId', KeyType: 'HASH' }, { AttributeName: 'version', KeyType: 'RANGE' }]);
    expect(props.TimeToLiveSpecification).toEqual({ AttributeName: 'expiresAt', Enabled: true });
    expect(props.Replicas.map((r: any) => r.ContributorInsightsSpecification)).toEqual([{ Enabled: false }, { Enabled: false }]);
  });

  test('replicaRegions overrides the stage\'s; [] makes a single-region table with no replica stack', () => {
    const { stage, stack, table } = tableIn('prod', { replicaRegions: [] });
    expect(globalTable(stack).Properties.Replicas.map((r: any) => r.Region)).toEqual(['us-east-1']);
    expect(stage.node.children.filter(ReplicaRegionStack.isReplicaRegionStack)).toEqual([]);
    expect(table.replicaRegions).toEqual([]);
    const other = tableIn('prod', { replicaRegions: ['ap-southeast-2'] });
    expect(globalTable(other.stack).Properties.Replicas.map((r: any) => r.Region)).toEqual(['ap-southeast-2', 'us-east-1']);
  });

  test('a given dataKey encrypts the home replica; the replica regions still get keys of their own', () => {
    const stage = stageOf('dev');
    const stack = new Stack(stage, 'Workload');
    const first = new SecureGlobalTable(stack, 'First', { partitionKey });
    const second = new SecureGlobalTable(stack, 'Second', { partitionKey, dataKey: first.dataKey });
    const replicas = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable')).map(t => t.Properties.Replicas);
    expect(replicas[1].find((r: any) => r.Region === 'us-east-1').SSESpecification.KMSMasterKeyId).toEqual(stack.resolve(first.dataKey.key.keyArn));
    expect(second.dataKey).toBe(first.dataKey);
    expect(replicas[1].find((r: any) => r.Region === 'us-west-2').SSESpecification.KMSMasterKeyId).toBe('arn:aws:kms:us-west-2:123456789012:alias/ledger-workload-second-table-dev');
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 2); // the first table's key and the alert topic's
  });
});

describe('SecureGlobalTable monitoring', () => {
  test('home region: throttles, system errors and replication latency to each replica region, routed to the stack\'s topic', () => {
    const { stack, table } = tableIn('prod');
    const template = Template.fromStack(stack);
    const topic = stack.resolve(AlertTopic.of(stack).topicArn);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: [topic], OKActions: [topic], TreatMissingData: 'notBreaching' }, 4);
    for (const region of ['us-west-2', 'eu-west-1']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/DynamoDB',
        MetricName: 'ReplicationLatency',
        Dimensions: Match.arrayEquals([{ Name: 'ReceivingRegion', Value: region }, { Name: 'TableName', Value: stack.resolve(table.tableName) }]),
        Statistic: 'Average',
        Period: 300,
        Threshold: SecureGlobalTable.DEFAULT_REPLICATION_LATENCY_THRESHOLD.toMilliseconds(),
        ComparisonOperator: 'GreaterThanThreshold',
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        AlarmDescription: Match.stringLikeRegexp(`^Writes to table ledger-trades-prod reach its replica in ${region} more than 1 minute late`),
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { Metrics: Match.arrayWith([Match.objectLike({ Expression: 'FILL(readThrottles, 0) + FILL(writeThrottles, 0)' })]) });
    expect(table.alarms).toHaveLength(2 + 3 * 2);
  });

  test('replica regions: throttles and system errors of the replica by table name, in that region\'s stack, to its own alert topic', () => {
    const { stage, table } = tableIn('prod');
    const replicas = replicaStack(stage, 'us-west-2');
    const template = Template.fromStack(replicas);
    const topic = replicas.resolve(AlertTopic.of(replicas).topicArn);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 2);
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: [topic], OKActions: [topic], TreatMissingData: 'notBreaching' }, 2);
    const tableName = [{ Name: 'TableName', Value: 'ledger-trades-prod' }];
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('^Replica in us-west-2 of table ledger-trades-prod throttles'),
      Threshold: 1,
      Metrics: Match.arrayWith([Match.objectLike({ Id: 'readThrottles', MetricStat: Match.objectLike({ Metric: { Namespace: 'AWS/DynamoDB', MetricName: 'ReadThrottleEvents', Dimensions: tableName } }) })]),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('^DynamoDB returns server errors \\(HTTP 500\\) for the replica in us-west-2'),
      Metrics: Match.arrayWith([Match.objectLike({ Id: 'putitem', MetricStat: Match.objectLike({ Metric: { Namespace: 'AWS/DynamoDB', MetricName: 'SystemErrors', Dimensions: [{ Name: 'Operation', Value: 'PutItem' }, ...tableName] } }) })]),
    });
    expect(table.alarms.filter(a => Stack.of(a) === replicas)).toHaveLength(2);
  });

  test('alertTopic routes the home alarms; replica alarms stay on their region\'s topic; the latency threshold can be set', () => {
    const stage = stageOf('dev');
    const stack = new Stack(stage, 'Workload');
    const pager = new sns.Topic(stack, 'Pager');
    new SecureGlobalTable(stack, 'Trades', { partitionKey, monitoring: { alertTopic: pager, replicationLatencyThreshold: Duration.seconds(20) } });
    const pagerRef = { Ref: stack.getLogicalId(pager.node.defaultChild as sns.CfnTopic) };
    const home = Template.fromStack(stack);
    home.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: [pagerRef], OKActions: [pagerRef] }, 3);
    home.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'ReplicationLatency', Threshold: 20000 });
    home.resourceCountIs('AWS::SNS::Topic', 1);
    const replicas = replicaStack(stage, 'us-west-2');
    const topic = replicas.resolve(AlertTopic.of(replicas).topicArn);
    Template.fromStack(replicas).resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { AlarmActions: [topic] }, 2);
  });

  test('can be turned off, in every region', () => {
    const { stage, stack, table } = tableIn('dev', { monitoring: { enabled: false } });
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    Template.fromStack(stack).resourceCountIs('AWS::SNS::Topic', 0);
    Template.fromStack(replicaStack(stage, 'us-west-2')).resourceCountIs('AWS::CloudWatch::Alarm', 0);
    Template.fromStack(replicaStack(stage, 'us-west-2')).resourceCountIs('AWS::SNS::Topic', 0);
    expect(table.alarms).toEqual([]);
  });
});

test('is an ITableV2: grants for a home-region role cover the table, its indexes and the home key', () => {
  const { stack, table } = tableIn('dev', { globalSecondaryIndexes: [bySource] });
  const asTable: dynamodb.ITableV2 = table;
  const role = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  asTable.grantReadWriteData(role);
  const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'))[0].Properties.PolicyDocument.Statement;
  const arn = stack.resolve(table.tableArn);
  expect(statements).toEqual(expect.arrayContaining([
    expect.objectContaining({ Action: expect.arrayContaining(['dynamodb:Query', 'dynamodb:PutItem']), Resource: [arn, { 'Fn::Join': ['', [arn, '/index/*']] }] }),
    expect.objectContaining({ Action: expect.arrayContaining(['kms:Decrypt', 'kms:Encrypt']), Resource: stack.resolve(table.dataKey.key.keyArn) }),
  ]));
});

describe('SecureGlobalTable outside a FintechStage', () => {
  test('no replicas unless given', () => {
    const app = testApp();
    app.node.setContext('fintech:stage', 'dev');
    const stack = new Stack(app, 'Loose', { env: { account: '123456789012', region: 'us-east-1' } });
    const table = new SecureGlobalTable(stack, 'Trades', { partitionKey, nameBase: 'trades', monitoring: { enabled: false } });
    expect(globalTable(stack).Properties.Replicas.map((r: any) => r.Region)).toEqual(['us-east-1']);
    expect(table.replicaRegions).toEqual([]);
    expect(app.node.children.filter(ReplicaRegionStack.isReplicaRegionStack)).toEqual([]);
  });

  test('given replicas: a replica stack beside the stack, with its stage context, destroyed like it', () => {
    const app = testApp();
    const stack = new Stack(app, 'Loose', { env: { account: '123456789012', region: 'us-east-1' } });
    stack.node.setContext('fintech:stage', 'dev');
    stack.node.setContext('fintech:durable', false);
    new SecureGlobalTable(stack, 'Trades', { partitionKey, nameBase: 'trades', replicaRegions: ['us-west-2'], monitoring: { enabled: false } });
    const resource = globalTable(stack);
    expect(resource.DeletionPolicy).toBe('Delete');
    expect(resource.Properties.Replicas.map((r: any) => [r.Region, r.DeletionProtectionEnabled, r.SSESpecification.KMSMasterKeyId])).toEqual([
      ['us-west-2', false, 'arn:aws:kms:us-west-2:123456789012:alias/trades-table-dev'],
      ['us-east-1', false, stack.resolve((stack.node.findChild('TradesKey') as any).key.keyArn)],
    ]);
    const replicas = app.node.findChild('Replicas-us-west-2') as Stack;
    Template.fromStack(replicas).hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete', Properties: { PendingWindowInDays: 7 } });
    Template.fromStack(replicas).hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/trades-table-dev' });
  });

  const at = 'SecureGlobalTable at Loose/Trades';
  test.each([
    ['a stack without account', undefined, ['us-west-2'],
      `${at}: 1 invalid option:\n  - replicaRegions = ["us-west-2"]: stack Loose has no concrete account, and stacks in other regions need the account and home region to be known at synth. ` +
      'Fix: create the stack inside a FintechStage whose environment sets account and region, or give it env: { account: \'123456789012\', region: \'us-east-1\' }'],
    ['the home region', '123456789012', ['us-east-1'], 'replicaRegions[0] = "us-east-1": it is the stage\'s home region (region), which holds the primary copy already'],
    ['a duplicate', '123456789012', ['us-west-2', 'us-west-2'], 'replicaRegions[1] = "us-west-2": listed twice'],
    ['an unknown region', '123456789012', ['us-west-9'], 'replicaRegions[0] = "us-west-9": not an AWS region known to aws-cdk-lib. Fix: did you mean "us-west-1"?'],
    ['another partition', '123456789012', ['cn-north-1'], 'replicaRegions[0] = "cn-north-1": it is in partition aws-cn'],
  ])('refuses %s', (_what, account, replicaRegions, message) => {
    const app = testApp();
    const stack = new Stack(app, 'Loose', { env: { account, region: 'us-east-1' } });
    expect(() => new SecureGlobalTable(stack, 'Trades', { partitionKey, replicaRegions })).toThrow(message);
    expect(app.node.children.filter(ReplicaRegionStack.isReplicaRegionStack)).toEqual([]);
  });
});

describe('SecureGlobalTable bad indexes and thresholds', () => {
  const at = 'SecureGlobalTable at dev/Workload/Trades';
  const key = (name: string, type = dynamodb.AttributeType.STRING) => ({ name, type });
  test.each([
    ['two indexes with one name', { globalSecondaryIndexes: [bySource, { ...bySource }] }, 'globalSecondaryIndexes[1].indexName = "bySource": another index of the table has this name. Fix: give each index its own name'],
    ['an invalid index name', { globalSecondaryIndexes: [{ ...bySource, indexName: 'by source' }] }, 'globalSecondaryIndexes[0].indexName = "by source": index names are 3-255 letters'],
    ['an index key whose type clashes with the table key', { globalSecondaryIndexes: [{ indexName: 'byTrade', partitionKey: key('tradeId', dynamodb.AttributeType.NUMBER) }] },
      'globalSecondaryIndexes[0].partitionKey = {"name":"tradeId","type":"N"}: attribute "tradeId" is N here but S as the partition key'],
    ['two indexes typing one attribute differently', { globalSecondaryIndexes: [bySource, { indexName: 'byTime', partitionKey: key('recordedAt') }] },
      'globalSecondaryIndexes[1].partitionKey = {"name":"recordedAt","type":"S"}: attribute "recordedAt" is S here but N as a key of index bySource'],
    ['21 indexes', { globalSecondaryIndexes: Array.from({ length: 21 }, (_, i) => ({ indexName: `index${i}`, partitionKey: key(`a${i}`) })) }, 'globalSecondaryIndexes = ["index0",'],
    ['a zero latency threshold', { monitoring: { replicationLatencyThreshold: Duration.seconds(0) } }, 'monitoring.replicationLatencyThreshold = "0 seconds": must be more than zero'],
  ])('refuses %s', (_what, props, message) => {
    const stack = new Stack(stageOf('dev'), 'Workload');
    expect(() => new SecureGlobalTable(stack, 'Trades', { partitionKey, ...props })).toThrow(`${at}: 1 invalid option:\n  - ${message}`);
  });

  test('accepts an index that reuses a table key with its type', () => {
    const { stack } = tableIn('dev', { globalSecondaryIndexes: [{ indexName: 'byTrade', partitionKey: key('sourceSystem'), sortKey: key('tradeId') }] });
    expect(globalTable(stack).Properties.GlobalSecondaryIndexes.map((i: any) => i.IndexName)).toEqual(['byTrade']);
  });
});

test('FintechChecks reports nothing on a SecureGlobalTable with an index and replicas, in durable and ephemeral stages, replica stacks included', () => {
  const app = testApp();
  for (const stageName of ['dev', 'prod'] as const) {
    const stage = stageOf(stageName, app);
    new SecureGlobalTable(new Stack(stage, 'Workload'), 'Trades', { partitionKey, nameBase: 'trades', globalSecondaryIndexes: [bySource], timeToLiveAttribute: 'expiresAt' });
  }
  const { violations } = synthReport(app);
  expect(violations.map(v => `${v.severity} ${v.ruleName} ${v.constructPath}: ${v.description}`)).toEqual([]);
  // The replica stacks were judged: they are part of the stage's assembly.
  expect(app.synth().stacksRecursively.map(s => s.stackName).sort()).toEqual([
    'dev-Replicas-us-west-2', 'dev-Workload', 'prod-Replicas-eu-west-1', 'prod-Replicas-us-west-2', 'prod-Workload',
  ]);
});

test('FintechChecks judges the replica stacks: an unencrypted queue put there is reported', () => {
  const app = testApp();
  const stage = stageOf('prod', app);
  const table = new SecureGlobalTable(new Stack(stage, 'Workload'), 'Trades', { partitionKey, nameBase: 'trades' });
  new sqs.CfnQueue(Stack.of(table.replicaDataKeys['us-west-2']), 'Plain', { sqsManagedSseEnabled: false });
  const { violations } = synthReport(app);
  expect(violations.map(v => `${v.severity} ${v.ruleName} ${v.constructPath}`)).toContain('error Fintech-C04-UnencryptedStore prod/Replicas-us-west-2/Plain');
});
