import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { LIBRARY_EXECUTE_COMMAND } from '../../../src/facts/library-internals';
import { executeCommandRoles } from '../../../src/rules/ecs/execute-command-roles';
import { TemplateResource } from '../../../src/rules/stack-template';
import { loadTogether, testApp } from '../rule-harness';

/** What an ECS Exec service wrote into a role, if anything. */
function writerOf(role: TemplateResource) {
  return executeCommandRoles(role.stack.peers).get(role);
}

type Configuration = (stack: Stack) => ecs.ExecuteCommandConfiguration | undefined;

/** A Fargate service whose cluster has the `configuration` made in its stack, with ECS Exec on or off. */
function service(configuration: Configuration, enableExecuteCommand = true) {
  const app = testApp();
  const stack = new Stack(app, 'Cards', { env: { account: '123456789012', region: 'eu-west-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
  const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, executeCommandConfiguration: configuration(stack) });
  const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
  taskDefinition.addContainer('card-api', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/card-api:1.4.2') });
  const fargate = new ecs.FargateService(stack, 'Service', {
    cluster, taskDefinition, enableExecuteCommand, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
  });
  return { fargate, owner: () => writerOf(loadTogether(app).resourceOf(taskDefinition.taskRole)) };
}

const toS3: Configuration = stack => ({
  logging: ecs.ExecuteCommandLogging.OVERRIDE,
  logConfiguration: { s3Bucket: new s3.Bucket(stack, 'SessionLogs', { enforceSSL: true }) },
});

describe('executeCommandRoles', () => {
  test('a service with ECS Exec logging to S3 and to no named log group: the bucket location and the log writes are the service\'s', () => {
    const { fargate, owner } = service(toS3);
    expect(owner()?.construct).toBe(fargate);
    expect(owner()?.internal.library).toBe(LIBRARY_EXECUTE_COMMAND.library);
    expect(owner()?.internal.wildcardActions).toEqual([...LIBRARY_EXECUTE_COMMAND.s3Actions, ...LIBRARY_EXECUTE_COMMAND.logsActions]);
  });

  test('with a named log group, the log writes are scoped to it: only the bucket location is the service\'s', () => {
    const { owner } = service(stack => ({
      logging: ecs.ExecuteCommandLogging.OVERRIDE,
      logConfiguration: {
        s3Bucket: new s3.Bucket(stack, 'SessionLogs', { enforceSSL: true }),
        cloudWatchLogGroup: new logs.LogGroup(stack, 'Sessions', { retention: logs.RetentionDays.ONE_YEAR }),
      },
    }));
    expect(owner()?.internal.wildcardActions).toEqual(LIBRARY_EXECUTE_COMMAND.s3Actions);
  });

  test('the default logging of a cluster without configuration: the log writes only', () => {
    expect(service(() => undefined).owner()?.internal.wildcardActions).toEqual(LIBRARY_EXECUTE_COMMAND.logsActions);
  });

  test('a cluster that logs no sessions, and a service without ECS Exec, write nothing', () => {
    expect(service(() => ({ logging: ecs.ExecuteCommandLogging.NONE })).owner()).toBeUndefined();
    expect(service(toS3, false).owner()).toBeUndefined();
  });

  test('a raw service with ECS Exec is no library\'s', () => {
    const app = testApp();
    const stack = new Stack(app, 'Cards');
    const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Task');
    taskDefinition.addContainer('card-api', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/card-api:1.4.2') });
    new ecs.CfnService(stack, 'Service', { cluster: 'cards', taskDefinition: taskDefinition.taskDefinitionArn, enableExecuteCommand: true });
    expect(writerOf(loadTogether(app).resourceOf(taskDefinition.taskRole))).toBeUndefined();
  });
});
