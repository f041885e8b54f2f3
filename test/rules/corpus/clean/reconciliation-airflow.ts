import { App, Aws, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as mwaa from 'aws-cdk-lib/aws-mwaa';
import { ENV, alertTopic, dataBucket, dataKey, tagWorkload } from '../careful-team';

/**
 * The nightly reconciliation runs as Airflow DAGs on Amazon MWAA (L1 only: aws-cdk-lib has no MWAA L2): a private
 * environment in the private subnets of its VPC, encrypted with the team's key, DAGs in a versioned bucket on that key,
 * every Airflow log type on. Its execution role is written from the MWAA User Guide's policy for an environment on a
 * customer key: the DAGs bucket, its own log groups and metrics, the Celery queues MWAA runs for it in an account of its
 * own (any account, the `airflow-celery-` queues), and the key through SQS and S3 only. A failed DAG run pages the team.
 *
 * Defect option: `everyKey` lets the role use every key on "*" without kms:ViaService, as a quick start might.
 */
export function build(app: App, stage: string, { everyKey = false }: { readonly everyKey?: boolean } = {}): void {
  const stack = new Stack(app, `Reconciliation-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'reconciliation');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  const dags = dataBucket(stack, 'Dags', key, stage);
  const name = `reconciliation-${stage}`;

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [{ name: 'edge', subnetType: ec2.SubnetType.PUBLIC }, { name: 'airflow', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
  });
  const workers = new ec2.SecurityGroup(stack, 'Workers', { vpc, description: 'MWAA web server, scheduler and workers' });
  // MWAA's components talk to each other inside the group.
  workers.addIngressRule(workers, ec2.Port.allTraffic(), 'MWAA components');

  const role = new iam.Role(stack, 'ExecutionRole', {
    assumedBy: new iam.CompositePrincipal(new iam.ServicePrincipal('airflow.amazonaws.com'), new iam.ServicePrincipal('airflow-env.amazonaws.com')),
  });
  const environmentArn = stack.formatArn({ service: 'airflow', resource: 'environment', resourceName: name });
  role.addToPolicy(new iam.PolicyStatement({ actions: ['airflow:PublishMetrics'], resources: [environmentArn] }));
  role.addToPolicy(new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['s3:ListAllMyBuckets'], resources: [dags.bucketArn, dags.arnForObjects('*')] }));
  role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'], resources: [dags.bucketArn, dags.arnForObjects('*')] }));
  role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetAccountPublicAccessBlock'], resources: ['*'] }));
  role.addToPolicy(new iam.PolicyStatement({
    actions: ['logs:CreateLogStream', 'logs:CreateLogGroup', 'logs:PutLogEvents', 'logs:GetLogEvents', 'logs:GetLogRecord', 'logs:GetLogGroupFields', 'logs:GetQueryResults'],
    resources: [`arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:airflow-${name}-*`],
  }));
  role.addToPolicy(new iam.PolicyStatement({ actions: ['logs:DescribeLogGroups'], resources: ['*'] }));
  role.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:PutMetricData'], resources: ['*'], conditions: { StringEquals: { 'cloudwatch:namespace': 'AWS/MWAA' } } }));
  role.addToPolicy(new iam.PolicyStatement({
    actions: ['sqs:ChangeMessageVisibility', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:ReceiveMessage', 'sqs:SendMessage'],
    resources: [`arn:${Aws.PARTITION}:sqs:${Aws.REGION}:*:airflow-celery-*`],
  }));
  role.addToPolicy(new iam.PolicyStatement({
    actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:Encrypt'],
    resources: [everyKey ? '*' : key.keyArn],
    conditions: everyKey ? undefined : { StringLike: { 'kms:ViaService': [`sqs.${Aws.REGION}.amazonaws.com`, `s3.${Aws.REGION}.amazonaws.com`] } },
  }));

  const logging = { enabled: true, logLevel: 'INFO' };
  new mwaa.CfnEnvironment(stack, 'Airflow', {
    name,
    airflowVersion: '2.10.3',
    environmentClass: 'mw1.small',
    executionRoleArn: role.roleArn,
    kmsKey: key.keyArn,
    sourceBucketArn: dags.bucketArn,
    dagS3Path: 'dags',
    webserverAccessMode: 'PRIVATE_ONLY',
    networkConfiguration: { subnetIds: vpc.privateSubnets.map(s => s.subnetId), securityGroupIds: [workers.securityGroupId] },
    loggingConfiguration: { dagProcessingLogs: logging, schedulerLogs: logging, taskLogs: logging, webserverLogs: logging, workerLogs: logging },
    maxWorkers: 4,
  });
  // MWAA uses the key as the environment: the key policy lets the account's roles use it, and logs encrypts Airflow's groups.
  key.addToResourcePolicy(new iam.PolicyStatement({
    principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
    actions: ['kms:Decrypt*', 'kms:Describe*', 'kms:GenerateDataKey*', 'kms:Encrypt*', 'kms:ReEncrypt*'],
    resources: ['*'],
    conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:*` } },
  }));

  new cloudwatch.Metric({
    namespace: 'AmazonMWAA',
    metricName: 'DAGDurationFailed',
    dimensionsMap: { Environment: name, DAG: 'nightly_reconciliation' },
    statistic: 'SampleCount',
    period: Duration.hours(1),
  }).createAlarm(stack, 'ReconciliationFailed', {
    alarmDescription: 'The nightly reconciliation DAG failed: books are not reconciled, rerun it, runbook https://wiki.example.com/runbooks/reconciliation',
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  }).addAlarmAction(new actions.SnsAction(topic));
}
