import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as docdb from 'aws-cdk-lib/aws-docdb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ENV, alertTopic, dataKey, isDurable, removalFor, tagWorkload } from '../careful-team';

/**
 * KYC documents in Amazon DocumentDB: a cluster on the team's key in isolated subnets (two instances, 35 days of backups,
 * deletion protection and a final snapshot in durable stages, audit and profiler logs), its generated master secret
 * rotated monthly and kept with the cluster's snapshot; operators reach it through a Session Manager bastion in the
 * private subnets (no SSH, IMDSv2, an encrypted root volume).
 *
 * Defect option: `clusterAtCdkDefaultSubnets` leaves the cluster's subnets to CDK's default, the private subnets that
 * route to the NAT gateway.
 */
export function build(app: App, stage: string, { clusterAtCdkDefaultSubnets = false }: { readonly clusterAtCdkDefaultSubnets?: boolean } = {}): void {
  const stack = new Stack(app, `KycDocuments-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'kyc-documents');
  const key = dataKey(stack, 'Key', stage);
  alertTopic(stack, key);
  const flowLogs = new logs.LogGroup(stack, 'FlowLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC },
      { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
    flowLogs: { all: { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) } },
  });
  const cluster = new docdb.DatabaseCluster(stack, 'Documents', {
    masterUser: { username: 'kyc_admin', kmsKey: key },
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.R6G, ec2.InstanceSize.LARGE),
    instances: isDurable(stage) ? 2 : 1,
    vpc,
    vpcSubnets: clusterAtCdkDefaultSubnets ? undefined : { subnetGroupName: 'data' },
    storageEncrypted: true,
    kmsKey: key,
    backup: { retention: Duration.days(isDurable(stage) ? 35 : 1) },
    deletionProtection: isDurable(stage),
    removalPolicy: isDurable(stage) ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY,
    exportAuditLogsToCloudWatch: true,
    exportProfilerLogsToCloudWatch: true,
    cloudWatchLogsRetention: logs.RetentionDays.ONE_YEAR,
  });
  // A restored snapshot keeps the master password: the secret that holds it stays with the snapshot (no prop says so).
  (cluster.node.findChild('Secret') as secretsmanager.Secret).applyRemovalPolicy(removalFor(stage));
  cluster.addRotationSingleUser(Duration.days(30));

  const bastion = new ec2.BastionHostLinux(stack, 'Bastion', {
    vpc,
    subnetSelection: { subnetGroupName: 'app' },
    requireImdsv2: true,
    blockDevices: [{ deviceName: '/dev/xvda', volume: ec2.BlockDeviceVolume.ebs(10, { encrypted: true }) }],
  });
  cluster.connections.allowDefaultPortFrom(bastion, 'operators through Session Manager');
}
