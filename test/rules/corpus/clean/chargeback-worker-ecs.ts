import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as ecsPatterns from 'aws-cdk-lib/aws-ecs-patterns';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ENV, alertTopic, dataKey, dataTable, firstMessageAlarm, removalFor, tagWorkload, workQueue } from '../careful-team';

/**
 * Chargeback documents processed by a queue-driven Fargate worker (aws-ecs-patterns' QueueProcessingFargateService,
 * given the team's own encrypted queue with its DLQ), scaling on queue depth, in private subnets behind a NAT gateway
 * to reach the card schemes; Container Insights on, the container's health checked, its logs kept a year.
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `Chargebacks-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'chargebacks');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [{ name: 'edge', subnetType: ec2.SubnetType.PUBLIC }, { name: 'workers', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
  });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const { queue, dlq } = workQueue(stack, 'Chargebacks', key, stage);
  firstMessageAlarm(stack, 'ChargebacksDlqAlarm', dlq, topic);
  const cases = dataTable(stack, 'Cases', 'caseId', key, stage);

  const logGroup = new logs.LogGroup(stack, 'WorkerLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  const worker = new ecsPatterns.QueueProcessingFargateService(stack, 'Worker', {
    cluster,
    queue,
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/node:22-alpine'),
    cpu: 512,
    memoryLimitMiB: 1024,
    minScalingCapacity: 1,
    maxScalingCapacity: 6,
    taskSubnets: { subnetGroupName: 'workers' },
    environment: { TABLE_NAME: cases.tableName },
    logDriver: ecs.LogDrivers.awsLogs({ streamPrefix: 'worker', logGroup }),
    healthCheck: { command: ['CMD-SHELL', 'node /app/health.js || exit 1'], interval: Duration.seconds(30), retries: 3, startPeriod: Duration.seconds(20) },
    circuitBreaker: { rollback: true },
    enableExecuteCommand: false,
  });
  cases.grantReadWriteData(worker.taskDefinition.taskRole);

  const notify = (alarm: cloudwatch.Alarm) => alarm.addAlarmAction(new actions.SnsAction(topic));
  for (const [id, metric, threshold] of [
    ['WorkerCpu', worker.service.metricCpuUtilization({ period: Duration.minutes(1) }), 85],
    ['WorkerMemory', worker.service.metricMemoryUtilization({ period: Duration.minutes(1) }), 85],
  ] as const) {
    notify(metric.createAlarm(stack, id, {
      alarmDescription: `${id} above ${threshold}% for 5 minutes: check the worker's logs and queue depth, runbook https://wiki.example.com/runbooks/chargebacks`,
      threshold,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    }));
  }
}
