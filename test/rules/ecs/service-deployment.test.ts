import { App, Duration, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { ServiceDeployment } from '../../../src/rules/ecs/service-deployment';
import { findingsOf, lines, shop, testApp } from '../rule-harness';

const BREAKER = ServiceDeployment.WITHOUT_CIRCUIT_BREAKER.id;
const GRACE = ServiceDeployment.WITHOUT_GRACE_PERIOD.id;
const HEALTH = ServiceDeployment.CONTAINER_WITHOUT_HEALTH_CHECK.id;

function c21(app: App) {
  return findingsOf(app, [BREAKER, GRACE, HEALTH]);
}

const IMAGE = ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27');
const HEALTH_CHECK: ecs.HealthCheck = { command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] };

function cluster(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
  return new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENHANCED });
}

function task(stack: Stack, id: string, healthCheck?: ecs.HealthCheck) {
  const definition = new ecs.FargateTaskDefinition(stack, id);
  definition.addContainer('app', { image: IMAGE, healthCheck, portMappings: [{ containerPort: 80 }] });
  return definition;
}

function cfnService(stack: Stack, id: string, props: Partial<ecs.CfnServiceProps> = {}) {
  return new ecs.CfnService(stack, id, {
    cluster: 'ledger',
    taskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/app:1',
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    ...props,
  });
}

describe('C21 ECS services', () => {
  test('passes a well-configured L2 service behind a load balancer and warns on a bare one (CDK gives it a 60 s grace period)', () => {
    const { app, stack } = shop();
    const ecsCluster = cluster(stack);
    const good = new ecs.FargateService(stack, 'Good', {
      cluster: ecsCluster, taskDefinition: task(stack, 'GoodTask', HEALTH_CHECK), circuitBreaker: { enable: true, rollback: true }, healthCheckGracePeriod: Duration.seconds(60),
    });
    const bare = new ecs.FargateService(stack, 'Bare', { cluster: ecsCluster, taskDefinition: task(stack, 'BareTask') });
    const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc: ecsCluster.vpc });
    const listener = lb.addListener('Http', { port: 80, open: false });
    listener.addTargets('Targets', { port: 80, targets: [good, bare] });
    const findings = c21(app);
    expect(lines(findings)).toEqual([`${HEALTH} Shop/Bare/Service`, `${BREAKER} Shop/Bare/Service`]);
    expect(findings.every(f => f.severity === 'warning')).toBe(true);
    expect(findings.find(f => f.ruleId === HEALTH)!.message).toMatch(/^AWS::ECS::Service BareService[0-9A-F]{8} runs AWS::ECS::TaskDefinition BareTask[0-9A-F]{8}, whose essential container app has no HealthCheck\.$/);
    expect(findings.find(f => f.ruleId === BREAKER)).toMatchObject({ locations: ['Properties/DeploymentConfiguration/DeploymentCircuitBreaker'], fix: expect.stringContaining('rollback: true') });
  });

  test('judges L1 services: breaker without rollback, grace period only with load balancers, non-essential containers, other controllers', () => {
    const { app, stack } = shop();
    cfnService(stack, 'NoRollback', { deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } } });
    cfnService(stack, 'NoBreaker', { deploymentConfiguration: { maximumPercent: 200 } });
    cfnService(stack, 'CodeDeploy', { deploymentController: { type: 'CODE_DEPLOY' }, deploymentConfiguration: undefined });
    cfnService(stack, 'Balanced', { loadBalancers: [{ containerName: 'app', containerPort: 80, targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/t/1' }] });
    const definition = new ecs.CfnTaskDefinition(stack, 'Sidecars', {
      containerDefinitions: [
        { name: 'app', image: 'app', healthCheck: { command: ['CMD', 'true'] } },
        { name: 'log-router', image: 'fluent-bit', essential: false },
        { name: 'proxy', image: 'envoy', essential: true },
      ],
    });
    cfnService(stack, 'WithSidecars', { taskDefinition: definition.ref });
    const findings = c21(app);
    expect(lines(findings)).toEqual([`${HEALTH} Shop/WithSidecars`, `${BREAKER} Shop/NoBreaker`, `${BREAKER} Shop/NoRollback`, `${GRACE} Shop/Balanced`]);
    expect(findings.find(f => f.ruleId === HEALTH)!.message).toBe('AWS::ECS::Service WithSidecars runs AWS::ECS::TaskDefinition Sidecars, whose essential container proxy has no HealthCheck.');
    expect(findings.find(f => f.ruleId === GRACE)).toMatchObject({ locations: ['Properties/HealthCheckGracePeriodSeconds'], message: expect.stringContaining('is behind a load balancer but has no HealthCheckGracePeriodSeconds') });
  });

  test('finds the task definition of a service in another stack or a nested stack\'s parent; a task no service runs is not judged', () => {
    const app = testApp();
    const shared = new Stack(app, 'Shared');
    const unchecked = task(shared, 'Unchecked');
    const checked = task(shared, 'Checked', HEALTH_CHECK);
    task(shared, 'NightlyJob');
    const ecsCluster = cluster(shared);
    const services = new Stack(app, 'Services');
    const breaker = { enable: true, rollback: true };
    new ecs.FargateService(services, 'Imported', { cluster: ecsCluster, taskDefinition: unchecked, circuitBreaker: breaker });
    new ecs.FargateService(services, 'ImportedChecked', { cluster: ecsCluster, taskDefinition: checked, circuitBreaker: breaker });
    const nested = new NestedStack(shared, 'Workers');
    new ecs.FargateService(nested, 'Nested', { cluster: ecsCluster, taskDefinition: unchecked, circuitBreaker: breaker });
    const raw = new ecs.CfnTaskDefinition(services, 'Raw', { containerDefinitions: [{ name: 'api', image: 'api' }] });
    cfnService(services, 'ByGetAtt', { taskDefinition: raw.getAtt('TaskDefinitionArn').toString() });
    const findings = c21(app);
    expect(lines(findings)).toEqual([`${HEALTH} Services/ByGetAtt`, `${HEALTH} Services/Imported/Service`, `${HEALTH} Shared/Workers/Nested/Service`]);
    expect(findings.find(f => f.constructPath === 'Services/Imported/Service')!.message).toMatch(/runs AWS::ECS::TaskDefinition Unchecked[0-9A-F]{8} \(in Shared\), whose essential container app has no HealthCheck\.$/);
  });

  test('catches escape hatches that remove the breaker or the health check', () => {
    const { app, stack } = shop();
    const service = new ecs.FargateService(stack, 'Service', { cluster: cluster(stack), taskDefinition: task(stack, 'Task', HEALTH_CHECK), circuitBreaker: { rollback: true } });
    (service.node.defaultChild as ecs.CfnService).addPropertyOverride('DeploymentConfiguration.DeploymentCircuitBreaker.Rollback', false);
    (service.taskDefinition.node.defaultChild as ecs.CfnTaskDefinition).addPropertyDeletionOverride('ContainerDefinitions.0.HealthCheck');
    expect(lines(c21(app))).toEqual([`${HEALTH} Shop/Service/Service`, `${BREAKER} Shop/Service/Service`]);
  });

  test('treats intrinsic settings and task definitions outside the template as unknown, and odd shapes as nothing', () => {
    const { app, stack } = shop();
    cfnService(stack, 'IfBreaker').addPropertyOverride('DeploymentConfiguration.DeploymentCircuitBreaker.Rollback', { 'Fn::If': ['C', true, false] });
    cfnService(stack, 'IfConfiguration').addPropertyOverride('DeploymentConfiguration', { 'Fn::If': ['C', {}, {}] });
    cfnService(stack, 'IfController', { deploymentController: Fn.importValue('Controller') as unknown as ecs.CfnService.DeploymentControllerProperty });
    cfnService(stack, 'ImportedTask', { taskDefinition: Fn.importValue('TaskDefinitionArn') });
    const odd = new ecs.CfnTaskDefinition(stack, 'Odd', { containerDefinitions: [{ name: 'a', image: 'a' }] });
    odd.addPropertyOverride('ContainerDefinitions', [42, { 'Fn::If': ['C', {}, {}] }, { Name: 'b', Image: 'b', Essential: { Ref: 'Essential' } }]);
    cfnService(stack, 'OddTask', { taskDefinition: odd.ref });
    cfnService(stack, 'IfProperties').addOverride('Properties', { 'Fn::If': ['C', {}, {}] });
    expect(c21(app)).toEqual([]);
  });
});
