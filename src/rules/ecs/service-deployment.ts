import { StackReferences } from '../cloudwatch/stack-references';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/**
 * C21, warnings: an ECS service rolls back failed deployments (deployment circuit breaker with
 * Enable and Rollback), gives load balancer health checks a grace period, and runs only essential
 * containers that have a container health check (the task definition found by `Ref`, `Fn::GetAtt`, an import or
 * through a nested stack, in any template of the app). Must not judge: task definitions no service runs (one-off and
 * scheduled tasks run to completion, where a health check means nothing), non-essential containers, and unreadable ones.
 * Services deployed by CodeDeploy or an external controller have no circuit breaker and are not judged on it.
 */
export class ServiceDeployment implements FintechRule {
  /** Service without circuit breaker and rollback. */
  public static readonly WITHOUT_CIRCUIT_BREAKER: RuleInfo = {
    id: 'Fintech-C21-ServiceWithoutCircuitBreaker',
    catalogId: 'C21',
    title: 'ECS services roll back failed deployments',
    description: 'Without the deployment circuit breaker a service whose new tasks never become healthy keeps replacing them for hours, and CloudFormation waits with it; with rollback ECS returns to the last working revision on its own. ' +
      'Judged on services ECS deploys itself (no DeploymentController, or type ECS). ' +
      'Not judged: services deployed by CodeDeploy or an external controller (they have no circuit breaker), ' +
      'intrinsic controllers and deployment settings.',
    fix: 'Set circuitBreaker: { enable: true, rollback: true } on the ecs.FargateService or ecs.Ec2Service.',
    defaultSeverity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  };

  /** Service behind a load balancer without a grace period. */
  public static readonly WITHOUT_GRACE_PERIOD: RuleInfo = {
    id: 'Fintech-C21-ServiceWithoutGracePeriod',
    catalogId: 'C21',
    title: 'ECS services behind a load balancer set a health check grace period',
    description: 'Without HealthCheckGracePeriodSeconds the load balancer health check judges tasks while they are still starting, so slow-starting tasks are killed and replaced in a loop. ' +
      'Judged on services with LoadBalancers. Not judged: services without them (VPC Lattice or container health checks only), ' +
      'the length of the grace period (any value counts, 0 too), an intrinsic LoadBalancers list.',
    fix: 'Set healthCheckGracePeriod (e.g. Duration.seconds(60), longer than the container start time) on the ECS service.',
    defaultSeverity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  };

  /** Essential container without a health check. */
  public static readonly CONTAINER_WITHOUT_HEALTH_CHECK: RuleInfo = {
    id: 'Fintech-C21-ContainerWithoutHealthCheck',
    catalogId: 'C21',
    title: 'Essential containers of ECS services have a health check',
    description: 'Without a container health check ECS considers a container healthy as long as its process runs, so a hung or misconfigured task keeps receiving traffic and a bad deployment looks successful. ' +
      'Judged on the essential containers of task definitions an ECS service runs, wherever the task definition is defined in the app. ' +
      'Not judged: task definitions no service runs (scheduled and one-off tasks run to completion, where a health check means nothing), ' +
      'task sets of external deployments, non-essential containers, task definitions outside the app or that synth cannot resolve ' +
      '(a literal ARN, a parameter), containers synth cannot read.',
    fix: 'Set healthCheck: { command: ["CMD-SHELL", "<probe> || exit 1"] } on every essential container of the task definition.',
    defaultSeverity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'ServiceDeployment';
  public readonly infos = [
    ServiceDeployment.WITHOUT_CIRCUIT_BREAKER,
    ServiceDeployment.WITHOUT_GRACE_PERIOD,
    ServiceDeployment.CONTAINER_WITHOUT_HEALTH_CHECK,
  ];
  public readonly resourceTypes = ['AWS::ECS::Service'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties) return [];
    const findings: RuleFinding[] = [];
    const report = (id: string, problem: string, location: string) => {
      findings.push(findingOn(resource, id, `${resource.type} ${resource.logicalId} ${problem}.`, [location]));
    };
    if (usesEcsController(properties.DeploymentController) && rollsBack(properties.DeploymentConfiguration) === false) {
      report(ServiceDeployment.WITHOUT_CIRCUIT_BREAKER.id, 'has no DeploymentCircuitBreaker with Enable and Rollback true, so a failing deployment is neither stopped nor rolled back',
        'Properties/DeploymentConfiguration/DeploymentCircuitBreaker');
    }
    const loadBalancers = properties.LoadBalancers;
    if (Array.isArray(loadBalancers) && loadBalancers.length > 0 && properties.HealthCheckGracePeriodSeconds === undefined) {
      report(ServiceDeployment.WITHOUT_GRACE_PERIOD.id, 'is behind a load balancer but has no HealthCheckGracePeriodSeconds, so starting tasks fail health checks',
        'Properties/HealthCheckGracePeriodSeconds');
    }
    return findings;
  }

  // The task definition may live in another stack (an import) or a nested stack's parent: resolved across the app.
  public checkApp(stacks: readonly StackTemplate[]): RuleFinding[] {
    const references = StackReferences.of(stacks);
    const findings: RuleFinding[] = [];
    for (const stack of stacks) {
      for (const service of stack.resourcesOfType('AWS::ECS::Service')) {
        const reference = service.properties ? references.resolve(stack, service.properties.TaskDefinition) : undefined;
        const task = reference?.kind === 'resource' ? reference.resource : undefined;
        const unchecked = task?.type === 'AWS::ECS::TaskDefinition' ? essentialContainersWithoutHealthCheck(task) : [];
        if (unchecked.length === 0) continue;
        const where = task!.stack === stack ? '' : ` (in ${task!.stack.path})`;
        findings.push(findingOn(service, ServiceDeployment.CONTAINER_WITHOUT_HEALTH_CHECK.id,
          `${service.type} ${service.logicalId} runs AWS::ECS::TaskDefinition ${task!.logicalId}${where}, whose essential container${unchecked.length > 1 ? 's' : ''} ` +
          `${unchecked.join(', ')} ha${unchecked.length > 1 ? 've' : 's'} no HealthCheck.`,
          ['Properties/TaskDefinition']));
      }
    }
    return findings;
  }
}

/** Whether ECS itself deploys the service (the default controller), the only case with a circuit breaker. */
function usesEcsController(controller: unknown): boolean {
  if (controller === undefined) return true;
  return TemplateValue.isObject(controller) && (controller.Type === undefined || controller.Type === 'ECS');
}

/** Whether the deployment configuration has a circuit breaker with rollback; undefined when it cannot be read. */
function rollsBack(configuration: unknown): boolean | undefined {
  if (configuration === undefined) return false;
  if (!TemplateValue.isObject(configuration) || TemplateValue.isIntrinsic(configuration)) return undefined;
  const breaker = configuration.DeploymentCircuitBreaker;
  if (breaker === undefined) return false;
  if (!TemplateValue.isObject(breaker) || TemplateValue.isIntrinsic(breaker)) return undefined;
  // An absent flag is false; an intrinsic one is unknown.
  const flags = [breaker.Enable, breaker.Rollback].map(flag => flag === undefined ? false : TemplateValue.booleanOf(flag));
  if (flags.includes(false)) return false;
  return flags.every(flag => flag === true) ? true : undefined;
}

/** Names (or indexes) of essential containers without HealthCheck; containers that cannot be read are skipped. */
function essentialContainersWithoutHealthCheck(task: TemplateResource): string[] {
  const containers = task.properties?.ContainerDefinitions;
  if (!Array.isArray(containers)) return [];
  const unchecked: string[] = [];
  containers.forEach((container, i) => {
    if (!TemplateValue.isObject(container) || TemplateValue.isIntrinsic(container)) return;
    // Essential defaults to true; an intrinsic Essential is unknown.
    const essential = container.Essential === undefined ? true : TemplateValue.booleanOf(container.Essential);
    if (essential === true && container.HealthCheck === undefined) unchecked.push(typeof container.Name === 'string' ? container.Name : `#${i}`);
  });
  return unchecked;
}
