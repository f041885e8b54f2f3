import { App, Duration, Size, Stack, TimeZone } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { ENV, alertTopic, dataBucket, dataKey, deadLetterQueue, firstMessageAlarm, removalFor, tagWorkload, workflowFailureAlarm } from '../careful-team';

/**
 * The end-of-day market risk run: EventBridge Scheduler starts a Step Functions workflow after the trading day closes in
 * New York; it submits an AWS Batch job (a Fargate compute environment in private subnets, a job queue, an ECS job
 * definition with a job role, retries on infrastructure errors only, a timeout) and waits for it. The job reads positions
 * and writes value-at-risk results to an encrypted bucket; its logs are kept a year. A failed or timed-out run, and a
 * schedule that could not start the workflow, page the team.
 *
 * Defect options: `fixedQueueName` names the job queue without the stage; `submitWithoutRetry` leaves the Batch task
 * without a retry, so a throttled SubmitJob fails the whole run.
 */
export function build(app: App, stage: string,
  { fixedQueueName = false, submitWithoutRetry = false }: { readonly fixedQueueName?: boolean; readonly submitWithoutRetry?: boolean } = {}): void {
  const stack = new Stack(app, `MarketRisk-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'market-risk');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  const results = dataBucket(stack, 'Results', key, stage);

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 1,
    subnetConfiguration: [{ name: 'edge', subnetType: ec2.SubnetType.PUBLIC }, { name: 'compute', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
  });
  vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });

  const compute = new batch.FargateComputeEnvironment(stack, 'Compute', {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
    maxvCpus: 64,
  });
  const jobQueue = new batch.JobQueue(stack, 'RiskQueue', {
    computeEnvironments: [{ computeEnvironment: compute, order: 1 }],
    priority: 10,
    jobQueueName: fixedQueueName ? 'market-risk' : `market-risk-${stage}`,
  });

  const jobLogs = new logs.LogGroup(stack, 'RiskJobLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  const jobRole = new iam.Role(stack, 'RiskJobRole', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
  results.grantReadWrite(jobRole, 'var/*');
  const jobDefinition = new batch.EcsJobDefinition(stack, 'ValueAtRisk', {
    container: new batch.EcsFargateContainerDefinition(stack, 'ValueAtRiskContainer', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/python:3.13-slim'),
      command: ['python', '-m', 'risk.var', '--business-date', 'Ref::businessDate'],
      cpu: 4,
      memory: Size.gibibytes(16),
      fargateCpuArchitecture: ecs.CpuArchitecture.ARM64,
      jobRole,
      readonlyRootFilesystem: true,
      logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'var', logGroup: jobLogs }),
      environment: { RESULTS_BUCKET: results.bucketName },
    }),
    // Infrastructure failures (a spot reclaim, an image pull) are retried; a failing calculation is not.
    retryAttempts: 3,
    retryStrategies: [
      batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.CANNOT_PULL_CONTAINER),
      batch.RetryStrategy.of(batch.Action.RETRY, batch.Reason.SPOT_INSTANCE_RECLAIMED),
      batch.RetryStrategy.of(batch.Action.EXIT, batch.Reason.NON_ZERO_EXIT_CODE),
    ],
    timeout: Duration.hours(3),
  });

  const failed = new sfn.Fail(stack, 'RiskRunFailed', { error: 'RiskRunFailed', cause: 'The value-at-risk job failed after its retries' });
  const runJob = new tasks.BatchSubmitJob(stack, 'RunValueAtRisk', {
    jobName: 'value-at-risk',
    jobQueueArn: jobQueue.jobQueueArn,
    jobDefinitionArn: jobDefinition.jobDefinitionArn,
    payload: sfn.TaskInput.fromObject({ businessDate: sfn.JsonPath.stringAt('$.businessDate') }),
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    taskTimeout: sfn.Timeout.duration(Duration.hours(4)),
  });
  if (!submitWithoutRetry) runJob.addRetry({ errors: ['Batch.AWSBatchException', 'Batch.ServerException'], interval: Duration.seconds(30), backoffRate: 2, maxAttempts: 3 });
  runJob.addCatch(failed);

  const workflowLogs = new logs.LogGroup(stack, 'RiskWorkflowLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  const workflow = new sfn.StateMachine(stack, 'RiskWorkflow', {
    definitionBody: sfn.DefinitionBody.fromChainable(runJob.next(new sfn.Succeed(stack, 'RiskPublished'))),
    stateMachineType: sfn.StateMachineType.STANDARD,
    tracingEnabled: true,
    timeout: Duration.hours(5),
    logs: { destination: workflowLogs, level: sfn.LogLevel.ERROR, includeExecutionData: false },
  });
  workflowFailureAlarm(stack, 'RiskRunFailures', workflow,
    'The end-of-day value-at-risk run failed: the risk report is late, rerun it for the business date, runbook https://wiki.example.com/runbooks/var', topic);

  // The schedule's own role starts only this workflow and writes what it could not start to its dead-letter queue.
  const schedulerRole = new iam.Role(stack, 'SchedulerRole', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
  const unstarted = deadLetterQueue(stack, 'UnstartedRuns', key, stage);
  unstarted.grantSendMessages(schedulerRole);
  new scheduler.Schedule(stack, 'EndOfDay', {
    schedule: scheduler.ScheduleExpression.cron({ weekDay: 'MON-FRI', hour: '18', minute: '15', timeZone: TimeZone.AMERICA_NEW_YORK }),
    description: 'End-of-day value-at-risk after the New York close',
    target: new schedulerTargets.StepFunctionsStartExecution(workflow, {
      role: schedulerRole,
      input: scheduler.ScheduleTargetInput.fromObject({ businessDate: '<aws.scheduler.scheduled-time>' }),
      deadLetterQueue: unstarted,
      retryAttempts: 3,
      maxEventAge: Duration.hours(2),
    }),
  });
  firstMessageAlarm(stack, 'UnstartedRunsAlarm', unstarted, topic);
}
