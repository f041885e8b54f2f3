import { App, Duration, SecretValue, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as glue from 'aws-cdk-lib/aws-glue';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { ENV, alertTopic, dataBucket, dataKey, removalFor, tagWorkload, workflowFailureAlarm } from '../careful-team';

/** What a variant of the app gets wrong (for the defect corpus). */
export interface ReportingWorkflowOptions {
  /** Start the Athena query without a results location, so its task may write results into any bucket. */
  readonly resultsAnywhere?: boolean;
  /** Leave the workflow without the reports key, though Athena writes the query's results with the workflow's credentials. */
  readonly athenaWithoutKey?: boolean;
}

/**
 * The daily regulatory report as one workflow of service integrations: a Fargate extract run to completion, a Glue job,
 * an Athena query into the team's encrypted bucket and its results read back, a child workflow, and the partner notified
 * through Step Functions' HTTP task over an EventBridge connection; every step retries, both workflows are traced, logged
 * and paged on failure.
 */
export function build(app: App, stage: string, options: ReportingWorkflowOptions = {}): void {
  const stack = new Stack(app, `RegulatoryReport-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'regulatory-report');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  const reports = dataBucket(stack, 'Reports', key, stage);
  const workflowLogs = (id: string) => ({
    destination: new logs.LogGroup(stack, id, { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) }),
    level: sfn.LogLevel.ERROR,
  });
  const retried = <T extends sfn.TaskStateBase>(task: T): T => {
    task.addRetry({ errors: ['States.ALL'], maxAttempts: 3, backoffRate: 2, interval: Duration.seconds(5) });
    return task;
  };

  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
  const extractTask = new ecs.FargateTaskDefinition(stack, 'ExtractTask', { cpu: 512, memoryLimitMiB: 1024 });
  const extractContainer = extractTask.addContainer('extract', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/regulatory-extract:4.2.0'),
    logging: ecs.LogDrivers.awsLogs({
      streamPrefix: 'extract',
      logGroup: new logs.LogGroup(stack, 'ExtractLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) }),
    }),
    healthCheck: { command: ['CMD-SHELL', 'test -f /tmp/healthy'] },
  });
  reports.grantWrite(extractTask.taskRole, 'extracts/*');
  const extract = retried(new tasks.EcsRunTask(stack, 'Extract', {
    cluster,
    taskDefinition: extractTask,
    launchTarget: new tasks.EcsFargateLaunchTarget(),
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    containerOverrides: [{ containerDefinition: extractContainer, environment: [{ name: 'REPORT_DAY', value: sfn.JsonPath.stringAt('$.day') }] }],
  }));

  const glueRole = new iam.Role(stack, 'TransformRole', { assumedBy: new iam.ServicePrincipal('glue.amazonaws.com') });
  reports.grantReadWrite(glueRole);
  const transformJob = new glue.CfnJob(stack, 'TransformJob', {
    role: glueRole.roleArn,
    command: { name: 'glueetl', scriptLocation: `s3://${reports.bucketName}/scripts/transform.py` },
    glueVersion: '5.0',
  });
  const transform = retried(new tasks.GlueStartJobRun(stack, 'Transform', { glueJobName: transformJob.ref, integrationPattern: sfn.IntegrationPattern.RUN_JOB }));

  const query = retried(new tasks.AthenaStartQueryExecution(stack, 'Aggregate', {
    queryString: 'SELECT account, SUM(amount) FROM settlements GROUP BY account',
    workGroup: `regulatory-${stage}`,
    integrationPattern: sfn.IntegrationPattern.RUN_JOB,
    resultPath: '$.query',
    ...(options.resultsAnywhere ? {} : { resultConfiguration: { outputLocation: { bucketName: reports.bucketName, objectKey: 'athena' } } }),
  }));
  const results = retried(new tasks.AthenaGetQueryResults(stack, 'ReadTotals', {
    queryExecutionId: sfn.JsonPath.stringAt('$.query.QueryExecution.QueryExecutionId'),
    resultPath: '$.totals',
  }));

  const archive = new sfn.StateMachine(stack, 'Archive', {
    definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Archived')),
    tracingEnabled: true,
    logs: workflowLogs('ArchiveLogs'),
  });
  workflowFailureAlarm(stack, 'ArchiveFailed', archive, 'Report archiving failed: runbook https://wiki.example.com/runbooks/report-archive', topic);
  const archiveRun = retried(new tasks.StepFunctionsStartExecution(stack, 'ArchiveReport', { stateMachine: archive, integrationPattern: sfn.IntegrationPattern.RUN_JOB }));

  const partner = new events.Connection(stack, 'Regulator', {
    authorization: events.Authorization.apiKey('x-api-key', SecretValue.secretsManager(`regulator/${stage}/api-key`)),
  });
  const notify = retried(new tasks.HttpInvoke(stack, 'NotifyRegulator', {
    apiRoot: 'https://reports.regulator.example.com',
    apiEndpoint: sfn.TaskInput.fromText('submissions'),
    connection: partner,
    method: sfn.TaskInput.fromText('POST'),
    body: sfn.TaskInput.fromJsonPathAt('$.totals'),
  }));

  const report = new sfn.StateMachine(stack, 'Report', {
    definitionBody: sfn.DefinitionBody.fromChainable(extract.next(transform).next(query).next(results).next(archiveRun).next(notify)),
    tracingEnabled: true,
    logs: workflowLogs('ReportLogs'),
  });
  // Athena writes the query's results into the encrypted bucket with the workflow's credentials, which need the key.
  if (!options.athenaWithoutKey) key.grantEncryptDecrypt(report);
  workflowFailureAlarm(stack, 'ReportFailed', report, 'The regulatory report failed: runbook https://wiki.example.com/runbooks/regulatory-report', topic);
}
