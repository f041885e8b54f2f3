import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as fsx from 'aws-cdk-lib/aws-fsx';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ENV, alertTopic, dataBucket, dataKey, isDurable, removalFor, tagWorkload } from '../careful-team';

/**
 * The file shares of the branch network and the overnight risk grid. Branch staff open customer statements and signed
 * mandates on an FSx for Windows File Server share (Multi-AZ, joined to the bank's managed Active Directory, encrypted
 * with the team's key, 35 days of backups in durable stages, SMB reachable only from the VPC, file access audited into
 * a log group kept a year). The risk grid reads positions through an FSx for Lustre scratch file system linked to a
 * bucket: it is reloaded from the bucket every night, so the team deletes it with its stack in every stage. An alarm
 * pages the team before the share fills up.
 *
 * Defect option: `retainedShareDeleted` deletes the Windows share with its stack in every stage, the way the scratch
 * file system is, and so its files too.
 */
export function build(app: App, stage: string, { retainedShareDeleted = false }: { readonly retainedShareDeleted?: boolean } = {}): void {
  const stack = new Stack(app, `BranchFileShares-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'branch-file-shares');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'files', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
  });
  const subnets = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }).subnets;

  // SMB from the VPC only (the branches come in over the bank's Direct Connect into this VPC).
  const smb = new ec2.SecurityGroup(stack, 'SmbClients', { vpc, description: 'SMB to the branch share from the VPC', allowAllOutbound: false });
  smb.addIngressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(445), 'SMB from the VPC');
  smb.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.allTcp(), 'Active Directory and replies within the VPC');

  // FSx writes file access audit events only to log groups named /aws/fsx/...; FSx's service-linked role writes them.
  const auditLogs = new logs.LogGroup(stack, 'ShareAudit', {
    logGroupName: `/aws/fsx/branch-share-audit-${stage}`,
    retention: logs.RetentionDays.ONE_YEAR,
    encryptionKey: key,
    removalPolicy: removalFor(stage),
  });
  key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${ENV.region}.amazonaws.com`));

  const share = new fsx.CfnFileSystem(stack, 'BranchShare', {
    fileSystemType: 'WINDOWS',
    storageCapacity: 2048,
    storageType: 'SSD',
    subnetIds: subnets.map(s => s.subnetId),
    securityGroupIds: [smb.securityGroupId],
    kmsKeyId: key.keyArn,
    windowsConfiguration: {
      activeDirectoryId: 'd-9367a0b1c2',
      deploymentType: 'MULTI_AZ_1',
      preferredSubnetId: subnets[0].subnetId,
      throughputCapacity: 64,
      automaticBackupRetentionDays: isDurable(stage) ? 35 : 0,
      copyTagsToBackups: true,
      auditLogConfiguration: {
        fileAccessAuditLogLevel: 'SUCCESS_AND_FAILURE',
        fileShareAccessAuditLogLevel: 'SUCCESS_AND_FAILURE',
        auditLogDestination: auditLogs.logGroupArn,
      },
    },
  });
  share.applyRemovalPolicy(retainedShareDeleted ? RemovalPolicy.DESTROY : removalFor(stage));

  // The positions the risk grid reads; the scratch file system imports them lazily and is rebuilt every night.
  const positions = dataBucket(stack, 'Positions', key, stage);
  const grid = new fsx.LustreFileSystem(stack, 'RiskGrid', {
    vpc,
    vpcSubnet: subnets[0],
    storageCapacityGiB: 1200,
    lustreConfiguration: {
      deploymentType: fsx.LustreDeploymentType.SCRATCH_2,
      importPath: `s3://${positions.bucketName}/positions`,
    },
    removalPolicy: RemovalPolicy.DESTROY,
  });
  grid.connections.allowDefaultPortFrom(ec2.Peer.ipv4(vpc.vpcCidrBlock), 'Lustre clients of the risk grid');

  const free = new cloudwatch.Metric({
    namespace: 'AWS/FSx',
    metricName: 'FreeStorageCapacity',
    dimensionsMap: { FileSystemId: share.ref },
    statistic: cloudwatch.Stats.MINIMUM,
    period: Duration.minutes(5),
  });
  new cloudwatch.Alarm(stack, 'BranchShareAlmostFull', {
    metric: free,
    // Bytes: page with 200 GiB left of 2 TiB, a week of growth at month end.
    threshold: 200 * 1024 ** 3,
    comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
    evaluationPeriods: 3,
    datapointsToAlarm: 3,
    treatMissingData: cloudwatch.TreatMissingData.BREACHING,
    alarmDescription: 'The branch file share has less than 200 GiB free: raise its storage capacity before branches cannot save statements, ' +
      'runbook https://wiki.example.com/runbooks/branch-share',
  }).addAlarmAction(new actions.SnsAction(topic));
}
