import { IConstruct } from 'constructs';
import { LIBRARY_FLUENT_BIT, LibraryInternal } from '../../facts/library-internals';
import { followedResource, listOf } from '../events/deliveries';
import { LibraryInternalOwner, libraryClassOf } from '../library-constructs';
import { StackTemplate, TemplatePeers, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

// The task definition classes whose constructs add a log router, or whose roles the function writes into.
const TASK_DEFINITIONS = new Set(['TaskDefinition', 'FargateTaskDefinition', 'Ec2TaskDefinition', 'ExternalTaskDefinition'].map(c => `aws-cdk-lib.aws_ecs.${c}`));

/** What `ecs.obtainDefaultFluentBitECRImage` wrote in the validation's templates, found from its log routers. */
interface FluentBitInternals {
  /** Roles it wrote statements into, each with the task definition and the statements' actions. */
  readonly roles: ReadonlyMap<TemplateResource, LibraryInternalOwner>;
  /** Log groups of the log routers task definitions added themselves, each with its task definition. */
  readonly logGroups: ReadonlyMap<TemplateResource, LibraryInternalOwner>;
  /** The resources a task definition created while CDK synthesized (that router's log group and execution role). */
  readonly lateResources: ReadonlyMap<TemplateResource, LateResource>;
}

/** A resource a task definition created while CDK synthesized, after the app's aspects ran. */
export interface LateResource {
  /** The task definition's resource, which the app's aspects reached. */
  readonly taskDefinition: TemplateResource;
  /** The task definition, as the library construct that created the resource. */
  readonly owner: LibraryInternalOwner;
}

/**
 * The roles `ecs.obtainDefaultFluentBitECRImage` wrote statements into, each as a library internal owned by the task
 * definition: the execution and task roles of a task definition CDK synthesized whose FireLens log router runs the AWS for
 * Fluent Bit image named by its SSM parameter. None in a template without a construct tree (an included one).
 */
export function fluentBitRoles(peers: TemplatePeers): ReadonlyMap<TemplateResource, LibraryInternalOwner> {
  return internalsOf(peers).roles;
}

/**
 * For a log group, the task definition that added a log router with it (`LIBRARY_FLUENT_BIT.routerId`), as a library
 * internal, when rule `ruleId` judges what the library decided for it (`LIBRARY_FLUENT_BIT.logGroupRules`).
 */
export function fluentBitLogGroupOf(resource: TemplateResource, ruleId: string): LibraryInternalOwner | undefined {
  if (resource.type !== 'AWS::Logs::LogGroup' || !LIBRARY_FLUENT_BIT.logGroupRules.some(prefix => ruleId.startsWith(prefix))) return undefined;
  return internalsOf(resource.stack.peers).logGroups.get(resource);
}

/**
 * For a resource a task definition created while CDK synthesized, after the app's aspects ran (the log router it adds for
 * a FireLens container, and the execution role that router needs), the task definition; undefined for any other.
 */
export function lateFluentBitResourceOf(resource: TemplateResource): LateResource | undefined {
  return internalsOf(resource.stack.peers).lateResources.get(resource);
}

function internalsOf(peers: TemplatePeers): FluentBitInternals {
  return peers.memo('fluent-bit-router', () => {
    const roles = new Map<TemplateResource, { taskDefinition: IConstruct; actions: Set<string> }>();
    const logGroups = new Map<TemplateResource, LibraryInternalOwner>();
    const lateResources = new Map<TemplateResource, LateResource>();
    const addActions = (role: TemplateResource | undefined, taskDefinition: IConstruct, actions: readonly string[]) => {
      if (!role || actions.length === 0) return;
      const entry = roles.get(role) ?? { taskDefinition, actions: new Set<string>() };
      actions.forEach(action => entry.actions.add(action));
      roles.set(role, entry);
    };
    for (const stack of peers.templates) {
      for (const resource of stack.resourcesOfType('AWS::ECS::TaskDefinition')) {
        const taskDefinition = stack.constructOf(resource.logicalId)?.node.scope;
        const containers = listOf(resource.properties?.ContainerDefinitions).filter(TemplateValue.isObject);
        const router = containers.find(c => c.FirelensConfiguration !== undefined && isFluentBitImage(stack, c.Image));
        if (!taskDefinition || !TASK_DEFINITIONS.has(libraryClassOf(taskDefinition) ?? '') || !router) continue;
        addActions(followedResource(stack, resource.properties?.ExecutionRoleArn, 'AWS::IAM::Role'), taskDefinition, LIBRARY_FLUENT_BIT.executionRoleActions);
        // The outputs of every container that logs through FireLens: the function writes the first one's when the task
        // definition adds the router, and any the app passes it when the app adds one.
        const outputs = containers.map(c => logOptions(c, 'awsfirelens')?.Name).filter((name): name is string => typeof name === 'string');
        const outputActions = outputs.flatMap(name => LIBRARY_FLUENT_BIT.outputActions[name] ?? []);
        addActions(followedResource(stack, resource.properties?.TaskRoleArn, 'AWS::IAM::Role'), taskDefinition, outputActions);
        // The router the task definition added itself logs to a log group it created with it.
        const routerConstruct = taskDefinition.node.tryFindChild(LIBRARY_FLUENT_BIT.routerId);
        const logGroup = followedResource(stack, logOptions(router, 'awslogs')?.['awslogs-group'], 'AWS::Logs::LogGroup');
        const inRouter = logGroup !== undefined && stack.constructOf(logGroup.logicalId)?.node.scope?.node.scope === routerConstruct;
        if (routerConstruct && router.Name === LIBRARY_FLUENT_BIT.routerId && logGroup && inRouter) {
          logGroups.set(logGroup, libraryOwner(taskDefinition, { library: LIBRARY_FLUENT_BIT.library, how: LIBRARY_FLUENT_BIT.logGroupHow }));
          const lateOwner = libraryOwner(taskDefinition, { library: LIBRARY_FLUENT_BIT.library, how: LIBRARY_FLUENT_BIT.lateTagsHow });
          const late = { taskDefinition: resource, owner: lateOwner };
          const executionRole = followedResource(stack, resource.properties?.ExecutionRoleArn, 'AWS::IAM::Role');
          for (const created of [logGroup, executionRole]) if (created) lateResources.set(created, late);
        }
      }
    }
    const { library, rolesHow: how } = LIBRARY_FLUENT_BIT;
    const roleOwners = new Map([...roles].map(([role, { taskDefinition, actions }]) =>
      [role, libraryOwner(taskDefinition, { library, wildcardActions: [...actions], how })]));
    return { roles: roleOwners, logGroups, lateResources };
  });
}

function libraryOwner(construct: IConstruct, internal: LibraryInternal): LibraryInternalOwner {
  return { construct, internal };
}

/** The log driver options of a container definition, if it logs with `driver`. */
function logOptions(container: Record<string, unknown>, driver: string): Record<string, unknown> | undefined {
  const configuration = container.LogConfiguration;
  if (!TemplateValue.isObject(configuration) || configuration.LogDriver !== driver) return undefined;
  return TemplateValue.isObject(configuration.Options) ? configuration.Options : undefined;
}

/** Whether an image is a `Ref` to a template parameter that reads the AWS for Fluent Bit image from its SSM parameter. */
function isFluentBitImage(stack: StackTemplate, image: unknown): boolean {
  const name = TemplateValue.isObject(image) && Object.keys(image).length === 1 ? image.Ref : undefined;
  const parameters = stack.template.Parameters;
  const parameter = typeof name === 'string' && TemplateValue.isObject(parameters) ? parameters[name] : undefined;
  return TemplateValue.isObject(parameter) && String(parameter.Type).startsWith('AWS::SSM::Parameter::Value<')
    && typeof parameter.Default === 'string' && parameter.Default.startsWith(LIBRARY_FLUENT_BIT.imageParameter);
}
