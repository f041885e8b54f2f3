import { App, Duration, NestedStack, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV, alertTopic, dataKey, dataTable, errorRateAlarm, firstMessageAlarm, handler, isDurable, removalFor, tagWorkload, workQueue } from '../careful-team';

/** The subnets of the network that hold no route out: the workloads' functions and databases go there. */
export const APP_SUBNETS: ec2.SubnetSelection = { subnetGroupName: 'app' };
export const DATA_SUBNETS: ec2.SubnetSelection = { subnetGroupName: 'data' };

/**
 * The platform team's network stack: public and NAT-backed tiers for what calls partners, isolated app and data tiers,
 * and the endpoints every workload needs. Workload stacks add the endpoints only they need.
 */
export class SharedNetwork extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly endpointGroup: ec2.SecurityGroup;

  constructor(scope: Construct, id: string, stage: string, props: StackProps) {
    super(scope, id, props);
    tagWorkload(this, stage, 'network');
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 1,
      subnetConfiguration: [
        { name: 'edge', subnetType: ec2.SubnetType.PUBLIC },
        { name: 'egress', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      ],
      gatewayEndpoints: { DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } },
    });
    // One group for the shared interface endpoints that admits nothing by itself: each client opens 443 to it.
    this.endpointGroup = new ec2.SecurityGroup(this, 'EndpointGroup', { vpc: this.vpc, allowAllOutbound: false, description: 'Shared interface endpoints, opened by their clients' });
    for (const [name, service] of [['SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER], ['Kms', ec2.InterfaceVpcEndpointAwsService.KMS],
      ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS], ['XRay', ec2.InterfaceVpcEndpointAwsService.XRAY]] as const) {
      this.vpc.addInterfaceEndpoint(name, { service, subnets: APP_SUBNETS, securityGroups: [this.endpointGroup], open: false });
    }
  }
}

/** The ledger's Aurora cluster, in the shared network's data subnets. */
export class LedgerStore extends Stack {
  public readonly cluster: rds.DatabaseCluster;

  constructor(scope: Construct, id: string, stage: string, network: SharedNetwork, props: StackProps) {
    super(scope, id, props);
    tagWorkload(this, stage, 'ledger');
    const key = dataKey(this, 'Key', stage);
    const credentials = new secretsmanager.Secret(this, 'DbCredentials', {
      encryptionKey: key,
      generateSecretString: { secretStringTemplate: JSON.stringify({ username: 'ledger' }), generateStringKey: 'password', excludePunctuation: true },
      removalPolicy: removalFor(stage),
    });
    this.cluster = new rds.DatabaseCluster(this, 'Ledger', {
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
      credentials: rds.Credentials.fromSecret(credentials),
      writer: rds.ClusterInstance.serverlessV2('Writer'),
      serverlessV2MinCapacity: 0.5,
      serverlessV2MaxCapacity: 4,
      vpc: network.vpc,
      vpcSubnets: DATA_SUBNETS,
      storageEncrypted: true,
      storageEncryptionKey: key,
      iamAuthentication: true,
      deletionProtection: isDurable(stage),
      removalPolicy: isDurable(stage) ? undefined : removalFor(stage),
      backup: { retention: Duration.days(isDurable(stage) ? 30 : 1) },
      cloudwatchLogsExports: ['postgresql'],
      cloudwatchLogsRetention: logs.RetentionDays.ONE_YEAR,
    });
  }
}

/**
 * The payment workers, in the shared network's app subnets: one posts to the ledger and queues notifications (its stack
 * adds the SQS endpoint only it needs), a nested stack reconciles balances from a table through the network's DynamoDB
 * gateway endpoint.
 */
export class PaymentWorkers extends Stack {
  constructor(scope: Construct, id: string, stage: string, network: SharedNetwork, store: LedgerStore, props: StackProps) {
    super(scope, id, props);
    tagWorkload(this, stage, 'payments');
    const key = dataKey(this, 'Key', stage);
    const topic = alertTopic(this, key);
    const { queue: notifications, dlq } = workQueue(this, 'Notifications', key, stage);
    firstMessageAlarm(this, 'NotificationsDlqAlarm', dlq, topic);
    new ec2.InterfaceVpcEndpoint(this, 'SqsEndpoint', { vpc: network.vpc, service: ec2.InterfaceVpcEndpointAwsService.SQS, subnets: APP_SUBNETS });

    const poster = handler(this, 'PostPayment', stage, {
      vpc: network.vpc,
      vpcSubnets: APP_SUBNETS,
      environment: { CLUSTER_ENDPOINT: store.cluster.clusterEndpoint.hostname, DB_USER: 'poster', QUEUE_URL: notifications.queueUrl },
    });
    // IAM database authentication: the worker signs a token locally, no secret to read across stacks.
    store.cluster.grantConnect(poster, 'poster');
    notifications.grantSendMessages(poster);
    // Opened from the worker's side, so the ingress rule lives in this stack and the store does not depend on it.
    poster.connections.allowToDefaultPort(store.cluster);
    poster.connections.allowTo(network.endpointGroup, ec2.Port.tcp(443), 'HTTPS to the shared endpoints');
    errorRateAlarm(this, 'PostPaymentErrors', poster, topic);

    const reconciliation = new NestedStack(this, 'Reconciliation');
    const balances = dataTable(reconciliation, 'Balances', 'accountId', key, stage);
    const reconciler = handler(reconciliation, 'Reconcile', stage, { vpc: network.vpc, vpcSubnets: APP_SUBNETS, environment: { TABLE_NAME: balances.tableName } });
    balances.grantReadWriteData(reconciler);
    errorRateAlarm(reconciliation, 'ReconcileErrors', reconciler, topic);
  }
}

/** A network stack shared by two workload stacks (a database and functions in its isolated subnets, one nested stack). */
export function build(app: App, stage: string): void {
  const network = new SharedNetwork(app, `Network-${stage}`, stage, { env: ENV });
  const store = new LedgerStore(app, `LedgerStore-${stage}`, stage, network, { env: ENV });
  new PaymentWorkers(app, `PaymentWorkers-${stage}`, stage, network, store, { env: ENV });
}
