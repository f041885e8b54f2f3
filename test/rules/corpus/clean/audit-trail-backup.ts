import { App, Duration, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ENV, alertTopic, dataBucket, dataKey, dataTable, isDurable, removalFor, tagWorkload } from '../careful-team';

/**
 * The account's audit and recovery baseline: a multi-region CloudTrail trail with log file validation into an
 * encrypted, versioned bucket that keeps seven years, also delivered to a log group; an AWS Backup vault on the team's key
 * with a daily plan for every resource tagged `Backup: daily` (the payments table among them).
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `AuditBaseline-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'audit');
  const key = dataKey(stack, 'Key', stage);
  alertTopic(stack, key);
  // CloudTrail writes log files and digests with this key.
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
    actions: ['kms:GenerateDataKey*', 'kms:DescribeKey'],
    resources: ['*'],
    conditions: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': `arn:aws:cloudtrail:*:${ENV.account}:trail/*` } },
  }));

  const trailBucket = dataBucket(stack, 'TrailLogs', key, stage, {
    lifecycleRules: [{
      transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(90) }],
      expiration: Duration.days(isDurable(stage) ? 2557 : 30),
    }],
  });
  const trailLogs = new logs.LogGroup(stack, 'TrailEvents', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: key, removalPolicy: removalFor(stage) });
  key.grantEncryptDecrypt(new iam.ServicePrincipal(`logs.${ENV.region}.amazonaws.com`));
  new cloudtrail.Trail(stack, 'Trail', {
    bucket: trailBucket,
    encryptionKey: key,
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    enableFileValidation: true,
    sendToCloudWatchLogs: true,
    cloudWatchLogGroup: trailLogs,
    managementEvents: cloudtrail.ReadWriteType.ALL,
  });

  const payments = dataTable(stack, 'Payments', 'paymentId', key, stage);
  Tags.of(payments).add('Backup', 'daily');
  const vault = new backup.BackupVault(stack, 'Vault', {
    encryptionKey: key,
    removalPolicy: isDurable(stage) ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    lockConfiguration: isDurable(stage) ? { minRetention: Duration.days(35) } : undefined,
  });
  const plan = new backup.BackupPlan(stack, 'DailyPlan', {
    backupVault: vault,
    backupPlanRules: [new backup.BackupPlanRule({
      ruleName: 'daily',
      scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
      deleteAfter: Duration.days(isDurable(stage) ? 35 : 7),
    })],
  });
  plan.addSelection('Tagged', { resources: [backup.BackupResource.fromTag('Backup', 'daily')] });
}
