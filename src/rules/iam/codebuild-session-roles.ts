import { LIBRARY_CODEBUILD_SESSIONS } from '../../facts/library-internals';
import { followedResource } from '../events/deliveries';
import { LibraryInternalOwner, libraryClassOf } from '../library-constructs';
import { TemplatePeers, TemplateResource } from '../stack-template';
import { IDENTITY_POLICY_TYPES, literalStrings, policyStatements, rolesOf } from './policy-statements';

const PROJECTS: ReadonlySet<string> = new Set(LIBRARY_CODEBUILD_SESSIONS.projects);

/**
 * The roles of CodeBuild projects CDK synthesized with `ssmSessionPermissions` (`LIBRARY_CODEBUILD_SESSIONS`), each as a
 * library internal owned by the project: a project's `ServiceRole` that one of the identity policies of its template allows
 * every Session Manager channel action on "*", as the statement CDK writes does.
 */
export function codeBuildSessionRoles(peers: TemplatePeers): ReadonlyMap<TemplateResource, LibraryInternalOwner> {
  return peers.memo('codebuild-session-roles', () => {
    const found = new Map<TemplateResource, LibraryInternalOwner>();
    const { library, logActions, how } = LIBRARY_CODEBUILD_SESSIONS;
    for (const stack of peers.templates) {
      const projects = stack.resourcesOfType('AWS::CodeBuild::Project');
      if (projects.length === 0) continue;
      const withSessions = new Set(IDENTITY_POLICY_TYPES.flatMap(type => stack.resourcesOfType(type))
        .filter(policy => policyStatements(policy).some(({ statement }) => allowsSessionChannels(statement)))
        .flatMap(policy => rolesOf(policy)));
      for (const resource of projects) {
        const project = stack.constructOf(resource.logicalId)?.node.scope;
        const role = followedResource(stack, resource.properties?.ServiceRole, 'AWS::IAM::Role');
        if (!project || !PROJECTS.has(libraryClassOf(project) ?? '') || !role || !withSessions.has(role)) continue;
        found.set(role, { construct: project, internal: { library, wildcardActions: logActions, how } });
      }
    }
    return found;
  });
}

/** Whether a statement allows every Session Manager channel action on "*". */
function allowsSessionChannels(statement: { readonly [key: string]: unknown }): boolean {
  const actions = literalStrings(statement.Action).map(action => action.toLowerCase());
  return statement.Effect === 'Allow' && literalStrings(statement.Resource).includes('*')
    && LIBRARY_CODEBUILD_SESSIONS.channelActions.every(action => actions.includes(action.toLowerCase()));
}
