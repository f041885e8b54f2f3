import { App, Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import { ENV, alertTopic, dataKey, deadLetterQueue, firstMessageAlarm, removalFor, tagWorkload } from '../careful-team';

/**
 * The nightly interest accrual: EventBridge Scheduler (in a schedule group, Europe/London time, a flexible window) runs a
 * Fargate task in private subnets, with retries and a dead-letter queue for runs the scheduler could not start; the
 * container has a health check, its logs are kept a year, and a failed task (a non-zero exit, seen through ECS's task
 * state change events counted by a metric filter) pages the team.
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `InterestAccrual-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'interest-accrual');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [{ name: 'edge', subnetType: ec2.SubnetType.PUBLIC }, { name: 'batch', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
  });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const taskLogs = new logs.LogGroup(stack, 'AccrualLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  const task = new ecs.FargateTaskDefinition(stack, 'Accrual', { cpu: 1024, memoryLimitMiB: 2048, runtimePlatform: { cpuArchitecture: ecs.CpuArchitecture.ARM64 } });
  task.addContainer('accrual', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/python:3.13-slim'),
    command: ['python', '-m', 'accrual.run'],
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'accrual', logGroup: taskLogs }),
    healthCheck: { command: ['CMD-SHELL', 'test -f /tmp/alive || exit 1'], interval: Duration.seconds(30), retries: 3, startPeriod: Duration.seconds(30) },
    readonlyRootFilesystem: true,
  });

  // The scheduler's own role may run only this task definition and pass only its roles.
  const schedulerRole = new iam.Role(stack, 'SchedulerRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
  const group = new scheduler.ScheduleGroup(stack, 'Batches', { removalPolicy: removalFor(stage) });
  // EventBridge Scheduler writes runs it could not start into the dead-letter queue as the schedule's execution role, so
  // that role needs the queue's key too (the scheduler user guide's DLQ permissions); the target grants only sqs:SendMessage.
  const unstarted = deadLetterQueue(stack, 'UnstartedRuns', key, stage);
  unstarted.grantSendMessages(schedulerRole);
  new scheduler.Schedule(stack, 'Nightly', {
    scheduleGroup: group,
    schedule: scheduler.ScheduleExpression.cron({ hour: '1', minute: '30', timeZone: TimeZone.EUROPE_LONDON }),
    timeWindow: scheduler.TimeWindow.flexible(Duration.minutes(15)),
    description: 'Nightly interest accrual',
    target: new schedulerTargets.EcsRunFargateTask(cluster, {
      taskDefinition: task,
      role: schedulerRole,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      deadLetterQueue: unstarted,
      retryAttempts: 3,
      maxEventAge: Duration.hours(2),
    }),
  });
  firstMessageAlarm(stack, 'UnstartedRunsAlarm', unstarted, topic);

  // Failed runs: the task's own log line "ACCRUAL FAILED", counted by a metric filter.
  const failures = new logs.MetricFilter(stack, 'AccrualFailures', {
    logGroup: taskLogs,
    filterPattern: logs.FilterPattern.literal('"ACCRUAL FAILED"'),
    metricNamespace: 'Bank/InterestAccrual',
    metricName: 'FailedRuns',
    metricValue: '1',
    defaultValue: 0,
  });
  failures.metric({ statistic: 'Sum', period: Duration.hours(1) }).createAlarm(stack, 'AccrualFailed', {
    alarmDescription: 'The nightly interest accrual failed: rerun it for the failed date, runbook https://wiki.example.com/runbooks/accrual',
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  }).addAlarmAction(new actions.SnsAction(topic));
}
