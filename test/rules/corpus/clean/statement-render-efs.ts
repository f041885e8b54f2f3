import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import { ENV, alertTopic, dataBucket, dataKey, errorRateAlarm, firstMessageAlarm, handler, isDurable, removalFor, tagWorkload, workQueue } from '../careful-team';

/**
 * Month-end statements rendered by a function that keeps its fonts, templates and intermediate files on EFS (encrypted
 * with the team's key, TLS-only mounts through an access point, backups in durable stages), fed by an SQS queue with a
 * DLQ; the rendered PDFs go to a KMS-encrypted bucket. The function runs in isolated subnets and reaches S3 and SQS
 * through endpoints.
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `StatementRender-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'statements');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'render', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    gatewayEndpoints: { S3: { service: ec2.GatewayVpcEndpointAwsService.S3 } },
  });
  for (const [name, service] of [['Sqs', ec2.InterfaceVpcEndpointAwsService.SQS], ['Kms', ec2.InterfaceVpcEndpointAwsService.KMS]] as const) {
    vpc.addInterfaceEndpoint(name, { service });
  }

  const fileSystem = new efs.FileSystem(stack, 'Workspace', {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    encrypted: true,
    kmsKey: key,
    enableAutomaticBackups: isDurable(stage),
    lifecyclePolicy: efs.LifecyclePolicy.AFTER_14_DAYS,
    performanceMode: efs.PerformanceMode.GENERAL_PURPOSE,
    throughputMode: efs.ThroughputMode.ELASTIC,
    allowAnonymousAccess: false,
    removalPolicy: removalFor(stage),
  });
  const accessPoint = fileSystem.addAccessPoint('Render', {
    path: '/render',
    createAcl: { ownerUid: '1001', ownerGid: '1001', permissions: '750' },
    posixUser: { uid: '1001', gid: '1001' },
  });

  const statements = dataBucket(stack, 'Statements', key, stage);

  const { queue, dlq } = workQueue(stack, 'RenderRequests', key, stage);
  const render = handler(stack, 'RenderStatement', stage, {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    filesystem: lambda.FileSystem.fromEfsAccessPoint(accessPoint, '/mnt/render'),
    memorySize: 2048,
    timeout: Duration.seconds(50),
    environment: { BUCKET_NAME: statements.bucketName, WORK_DIR: '/mnt/render' },
  });
  statements.grantPut(render);
  render.addEventSource(new sources.SqsEventSource(queue, { batchSize: 5, reportBatchItemFailures: true }));
  errorRateAlarm(stack, 'RenderStatementErrors', render, topic);
  firstMessageAlarm(stack, 'RenderRequestsDlqAlarm', dlq, topic);
}
