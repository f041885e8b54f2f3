import { CfnParameter, Stack } from 'aws-cdk-lib';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import { LIBRARY_FLUENT_BIT } from '../../../src/facts/library-internals';
import { fluentBitLogGroupOf, fluentBitRoles } from '../../../src/rules/ecs/fluent-bit-router';
import { TemplateResource } from '../../../src/rules/stack-template';
import { loadTogether, testApp } from '../rule-harness';

const image = ecs.ContainerImage.fromRegistry('public.ecr.aws/example/card-api:1.4.2');
const toFirehose = ecs.LogDrivers.firelens({ options: { Name: 'firehose', region: 'eu-west-1', delivery_stream: 'card-api-logs' } });

/** What the Fluent Bit image's function wrote into a role, if anything. */
function writerOf(role: TemplateResource) {
  return fluentBitRoles(role.stack.peers).get(role);
}

describe('fluentBitRoles and fluentBitLogGroupOf', () => {
  test('the router a task definition adds for a FireLens container: its image pulls, its output\'s writes and its log group are the library\'s', () => {
    const app = testApp();
    const stack = new Stack(app, 'Cards');
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('card-api', { image, logging: toFirehose });
    const resource = loadTogether(app).resourceOf;
    const execution = writerOf(resource(task.obtainExecutionRole()))!;
    expect(execution.construct).toBe(task);
    expect(execution.internal.wildcardActions).toEqual(LIBRARY_FLUENT_BIT.executionRoleActions);
    expect(writerOf(resource(task.taskRole))!.internal.wildcardActions).toEqual(['firehose:PutRecordBatch']);
    const logGroup = resource(task.node.findChild('log-router').node.findChild('LogGroup'));
    expect(fluentBitLogGroupOf(logGroup, 'Fintech-C20-LogGroupWithoutRetention')?.construct).toBe(task);
    expect(fluentBitLogGroupOf(logGroup, 'Fintech-C02-EphemeralRetainsData')?.internal.how).toBe(LIBRARY_FLUENT_BIT.logGroupHow);
    // Its tags are the app's: the app's tags reach it.
    expect(fluentBitLogGroupOf(logGroup, 'Fintech-C01-RequiredTags')).toBeUndefined();
  });

  test('a router the app adds with the default image: its statements are the library\'s, its own log group is the app\'s', () => {
    const app = testApp();
    const stack = new Stack(app, 'Cards');
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    const routerLogs = new logs.LogGroup(stack, 'RouterLogs', { retention: logs.RetentionDays.ONE_YEAR });
    task.addFirelensLogRouter('log-router', {
      image: ecs.obtainDefaultFluentBitECRImage(task, undefined, '2.32.4'),
      firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
      logging: ecs.LogDrivers.awsLogs({ logGroup: routerLogs, streamPrefix: 'router' }),
      memoryReservationMiB: 64,
    });
    task.addContainer('card-api', { image, logging: toFirehose });
    const resource = loadTogether(app).resourceOf;
    expect(writerOf(resource(task.obtainExecutionRole()))?.construct).toBe(task);
    expect(fluentBitLogGroupOf(resource(routerLogs), 'Fintech-C20-LogGroupWithoutRetention')).toBeUndefined();
  });

  test('a router with an image of the app\'s choosing, and a raw task definition of the same shape, are no library\'s', () => {
    const app = testApp();
    const stack = new Stack(app, 'Cards');
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addFirelensLogRouter('router', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4'),
      firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
      memoryReservationMiB: 64,
    });
    task.addContainer('card-api', { image, logging: toFirehose });
    // A raw task definition whose router reads the same SSM parameter: no library construct wrote its roles.
    const rawRole = new iam.Role(stack, 'RawExecution', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com') });
    const fluentBitImage = new CfnParameter(stack, 'FluentBitImage', { type: 'AWS::SSM::Parameter::Value<String>', default: '/aws/service/aws-for-fluent-bit/latest' });
    new ecs.CfnTaskDefinition(stack, 'Raw', {
      executionRoleArn: rawRole.roleArn,
      containerDefinitions: [{ name: 'log-router', image: fluentBitImage.valueAsString, firelensConfiguration: { type: 'fluentbit' } }],
    });
    const resource = loadTogether(app).resourceOf;
    // Its image needs no pulls from ECR, so the task definition has no execution role.
    expect(writerOf(resource(task.taskRole))).toBeUndefined();
    expect(writerOf(resource(rawRole))).toBeUndefined();
  });
});
