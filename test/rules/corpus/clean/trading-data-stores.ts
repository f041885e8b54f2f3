import { App, Duration, Stack } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cassandra from 'aws-cdk-lib/aws-cassandra';
import * as dax from 'aws-cdk-lib/aws-dax';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as memorydb from 'aws-cdk-lib/aws-memorydb';
import * as redshiftserverless from 'aws-cdk-lib/aws-redshiftserverless';
import { ENV, alertTopic, dataKey, dataTable, isDurable, removalFor, tagWorkload } from '../careful-team';

/** The one mistake a defect app of the corpus makes; none in the clean app. */
export interface TradingDataStoresDefects {
  /** The DAX cluster keeps DAX's default: no encryption at rest. */
  readonly quotesCacheAtDefaults?: boolean;
  /** The DAX cluster keeps its default plaintext endpoint. */
  readonly quotesCacheWithoutTls?: boolean;
}

/**
 * The data stores of a trading desk, written with L1s where aws-cdk-lib has no L2: intraday balances in MemoryDB (TLS, the
 * team's key, daily snapshots), positions in Amazon Keyspaces (the team's key, point-in-time recovery), a DAX cluster
 * (encrypted at rest, TLS) in front of the quotes table, and a Redshift Serverless namespace for end-of-day reporting (the
 * team's key, admin password managed by Secrets Manager on that key, not publicly reachable). Every store lives in isolated
 * subnets, names carry the stage, durable stages keep everything and back the table up into a vault on the same key.
 */
export function build(app: App, stage: string, defects: TradingDataStoresDefects = {}): void {
  const stack = new Stack(app, `TradingDataStores-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'trading-data-stores');
  const key = dataKey(stack, 'Key', stage);
  alertTopic(stack, key);
  const flowLogs = new logs.LogGroup(stack, 'FlowLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) } },
  });
  const subnetIds = vpc.isolatedSubnets.map(subnet => subnet.subnetId);
  const clients = new ec2.SecurityGroup(stack, 'Clients', { vpc, description: 'trading services', allowAllOutbound: false });
  const stores = new ec2.SecurityGroup(stack, 'Stores', { vpc, description: 'trading data stores', allowAllOutbound: false });
  stores.addIngressRule(clients, ec2.Port.tcp(6379), 'MemoryDB from trading services');
  stores.addIngressRule(clients, ec2.Port.tcp(9111), 'DAX (TLS) from trading services');
  stores.addIngressRule(clients, ec2.Port.tcp(5439), 'Redshift from reporting services');

  const balanceSubnets = new memorydb.CfnSubnetGroup(stack, 'BalanceSubnets', { subnetGroupName: `trading-balances-${stage}`, subnetIds });
  const balances = new memorydb.CfnCluster(stack, 'Balances', {
    clusterName: `trading-balances-${stage}`,
    nodeType: 'db.r7g.large',
    engine: 'valkey',
    aclName: 'open-access',
    tlsEnabled: true,
    kmsKeyId: key.keyId,
    numShards: 1,
    numReplicasPerShard: isDurable(stage) ? 2 : 0,
    snapshotRetentionLimit: isDurable(stage) ? 7 : 0,
    subnetGroupName: balanceSubnets.ref,
    securityGroupIds: [stores.securityGroupId],
    autoMinorVersionUpgrade: true,
  });
  balances.applyRemovalPolicy(removalFor(stage));

  const positions = new cassandra.CfnTable(stack, 'Positions', {
    keyspaceName: new cassandra.CfnKeyspace(stack, 'Trading', { keyspaceName: `trading_${stage}` }).ref,
    tableName: 'positions',
    partitionKeyColumns: [{ columnName: 'account_id', columnType: 'text' }],
    clusteringKeyColumns: [{ column: { columnName: 'instrument', columnType: 'text' }, orderBy: 'ASC' }],
    regularColumns: [{ columnName: 'quantity', columnType: 'decimal' }],
    billingMode: { mode: 'ON_DEMAND' },
    encryptionSpecification: { encryptionType: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyIdentifier: key.keyArn },
    pointInTimeRecoveryEnabled: true,
  });
  positions.applyRemovalPolicy(removalFor(stage));

  const quotes = dataTable(stack, 'Quotes', 'instrument', key, stage);
  const daxRole = new iam.Role(stack, 'QuotesCacheRole', { assumedBy: new iam.ServicePrincipal('dax.amazonaws.com') });
  quotes.grantReadWriteData(daxRole);
  const daxSubnets = new dax.CfnSubnetGroup(stack, 'QuotesCacheSubnets', { subnetGroupName: `trading-quotes-${stage}`, subnetIds });
  new dax.CfnCluster(stack, 'QuotesCache', {
    clusterName: `quotes-${stage}`,
    iamRoleArn: daxRole.roleArn,
    nodeType: 'dax.r5.large',
    replicationFactor: isDurable(stage) ? 3 : 1,
    // DAX leaves encryption at rest off unless asked, and cannot turn it on for an existing cluster.
    sseSpecification: defects.quotesCacheAtDefaults ? undefined : { sseEnabled: true },
    clusterEndpointEncryptionType: defects.quotesCacheWithoutTls ? undefined : 'TLS',
    subnetGroupName: daxSubnets.ref,
    securityGroupIds: [stores.securityGroupId],
  });

  const reporting = new redshiftserverless.CfnNamespace(stack, 'Reporting', {
    namespaceName: `trading-reporting-${stage}`,
    dbName: 'reporting',
    adminUsername: 'reporting_admin',
    manageAdminPassword: true,
    adminPasswordSecretKmsKeyId: key.keyArn,
    kmsKeyId: key.keyArn,
    logExports: ['userlog', 'connectionlog'],
  });
  reporting.applyRemovalPolicy(removalFor(stage));
  new redshiftserverless.CfnWorkgroup(stack, 'ReportingCompute', {
    workgroupName: `trading-reporting-${stage}`,
    namespaceName: reporting.namespaceName,
    baseCapacity: 8,
    enhancedVpcRouting: true,
    publiclyAccessible: false,
    subnetIds,
    securityGroupIds: [stores.securityGroupId],
  }).addDependency(reporting);

  if (isDurable(stage)) {
    const vault = new backup.BackupVault(stack, 'Vault', { encryptionKey: key, removalPolicy: removalFor(stage) });
    const plan = new backup.BackupPlan(stack, 'DailyPlan', {
      backupVault: vault,
      backupPlanRules: [new backup.BackupPlanRule({
        ruleName: 'daily',
        scheduleExpression: events.Schedule.cron({ hour: '2', minute: '0' }),
        deleteAfter: Duration.days(35),
      })],
    });
    plan.addSelection('Quotes', { resources: [backup.BackupResource.fromDynamoDbTable(quotes)] });
  }
}
