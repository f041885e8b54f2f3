import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ENV, alertTopic, dataKey, errorRateAlarm, handler, isDurable, removalFor, tagWorkload } from '../careful-team';

/**
 * A general-ledger PostgreSQL instance (Multi-AZ in durable stages, the team's key, IAM authentication, a final snapshot)
 * behind an RDS Proxy that requires TLS and IAM; its master secret is rotated by AWS's hosted rotation function (a
 * Serverless Application Repository app, so the template carries the SAM transform). Posting functions reach the proxy
 * from isolated subnets.
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `GeneralLedger-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'general-ledger');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  vpc.addInterfaceEndpoint('SecretsManager', { service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER, subnets: { subnetGroupName: 'app' } });

  const master = new secretsmanager.Secret(stack, 'MasterCredentials', {
    encryptionKey: key,
    generateSecretString: { secretStringTemplate: JSON.stringify({ username: 'ledger_admin' }), generateStringKey: 'password', excludePunctuation: true },
    removalPolicy: removalFor(stage),
  });
  const database = new rds.DatabaseInstance(stack, 'Ledger', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 }),
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MEDIUM),
    vpc,
    vpcSubnets: { subnetGroupName: 'data' },
    credentials: rds.Credentials.fromSecret(master),
    multiAz: isDurable(stage),
    storageEncrypted: true,
    storageEncryptionKey: key,
    iamAuthentication: true,
    deletionProtection: isDurable(stage),
    removalPolicy: isDurable(stage) ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
    backupRetention: Duration.days(isDurable(stage) ? 30 : 1),
    cloudwatchLogsExports: ['postgresql'],
    cloudwatchLogsRetention: logs.RetentionDays.ONE_YEAR,
    autoMinorVersionUpgrade: true,
  });
  master.addRotationSchedule('Rotation', {
    hostedRotation: secretsmanager.HostedRotation.postgreSqlSingleUser({ vpc, vpcSubnets: { subnetGroupName: 'app' } }),
    automaticallyAfter: Duration.days(30),
  });
  database.connections.allowDefaultPortFrom(ec2.Peer.ipv4(vpc.vpcCidrBlock), 'Hosted rotation from the app subnets');

  const proxy = database.addProxy('Proxy', {
    secrets: [master],
    vpc,
    vpcSubnets: { subnetGroupName: 'app' },
    requireTLS: true,
    iamAuth: true,
    debugLogging: false,
  });

  const post = handler(stack, 'PostJournal', stage, {
    vpc,
    vpcSubnets: { subnetGroupName: 'app' },
    environment: { PROXY_ENDPOINT: proxy.endpoint, DB_USER: 'poster' },
  });
  proxy.grantConnect(post, 'poster');
  post.connections.allowTo(proxy, ec2.Port.tcp(5432), 'Postgres through the proxy');
  errorRateAlarm(stack, 'PostJournalErrors', post, topic);
}
