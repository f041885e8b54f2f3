import { IConstruct } from 'constructs';
import { LIBRARY_EXECUTE_COMMAND } from '../../facts/library-internals';
import { followedResource } from '../events/deliveries';
import { LibraryInternalOwner, libraryClassOf } from '../library-constructs';
import { TemplatePeers, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

const SERVICES: ReadonlySet<string> = new Set(LIBRARY_EXECUTE_COMMAND.services);

/**
 * The task roles ECS services with ECS Exec wrote statements into for the sessions' logs (`LIBRARY_EXECUTE_COMMAND`), each
 * as a library internal owned by the service: the task role of the task definition of a service CDK synthesized with
 * `EnableExecuteCommand`, with the statements the cluster's configuration (when the templates hold it) says it wrote.
 */
export function executeCommandRoles(peers: TemplatePeers): ReadonlyMap<TemplateResource, LibraryInternalOwner> {
  return peers.memo('execute-command-roles', () => {
    const found = new Map<TemplateResource, { service: IConstruct; actions: Set<string> }>();
    for (const stack of peers.templates) {
      for (const resource of stack.resourcesOfType('AWS::ECS::Service')) {
        const service = stack.constructOf(resource.logicalId)?.node.scope;
        const properties = resource.properties;
        if (!service || !SERVICES.has(libraryClassOf(service) ?? '') || properties?.EnableExecuteCommand !== true) continue;
        // A cluster the templates do not hold (imported by name) has no session log configuration the service could see.
        const cluster = followedResource(stack, properties.Cluster, 'AWS::ECS::Cluster');
        const configuration = objectAt(cluster?.properties, 'Configuration', 'ExecuteCommandConfiguration');
        if (configuration?.Logging === 'NONE') continue;
        const logs = objectAt(configuration, 'LogConfiguration');
        const actions = [
          ...logs?.S3BucketName !== undefined ? LIBRARY_EXECUTE_COMMAND.s3Actions : [],
          ...logs?.CloudWatchLogGroupName === undefined ? LIBRARY_EXECUTE_COMMAND.logsActions : [],
        ];
        const taskDefinition = followedResource(stack, properties.TaskDefinition, 'AWS::ECS::TaskDefinition');
        const role = followedResource(stack, taskDefinition?.properties?.TaskRoleArn, 'AWS::IAM::Role');
        if (!role) continue;
        const entry = found.get(role) ?? { service, actions: new Set<string>() };
        actions.forEach(action => entry.actions.add(action));
        found.set(role, entry);
      }
    }
    const { library, how } = LIBRARY_EXECUTE_COMMAND;
    return new Map([...found].map(([role, { service, actions }]) =>
      [role, { construct: service, internal: { library, wildcardActions: [...actions], how } }]));
  });
}

/** The object at a path of keys below `value`, if every step is one. */
function objectAt(value: unknown, ...keys: string[]): Record<string, unknown> | undefined {
  let at = value;
  for (const key of keys) at = TemplateValue.isObject(at) ? at[key] : undefined;
  return TemplateValue.isObject(at) ? at : undefined;
}
