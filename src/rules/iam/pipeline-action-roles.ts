import { LIBRARY_PIPELINE_ACTIONS, LibraryPipelineAction } from '../../facts/library-internals';
import { followedResource, listOf } from '../events/deliveries';
import { LibraryInternalOwner, libraryClassOf } from '../library-constructs';
import { TemplatePeers, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

const CODEPIPELINE = 'aws-cdk-lib.aws_codepipeline.Pipeline';
const BY_PROVIDER = new Map(LIBRARY_PIPELINE_ACTIONS.map(action => [action.provider, action]));

/**
 * The roles that library pipeline actions (`LIBRARY_PIPELINE_ACTIONS`) of the validation run with, each as a library
 * internal owned by its pipeline, with the actions' statements: a role is the `RoleArn` of an action of that type in a
 * pipeline CDK's `codepipeline.Pipeline` synthesized. A pipeline of an included template, or any other, writes nothing the
 * library could have.
 */
export function pipelineActionRoles(peers: TemplatePeers): ReadonlyMap<TemplateResource, LibraryInternalOwner> {
  return peers.memo('pipeline-action-roles', () => {
    const found = new Map<TemplateResource, { pipeline: LibraryInternalOwner['construct']; actions: Set<LibraryPipelineAction> }>();
    for (const stack of peers.templates) {
      for (const resource of stack.resourcesOfType('AWS::CodePipeline::Pipeline')) {
        const pipeline = stack.constructOf(resource.logicalId)?.node.scope;
        if (!pipeline || libraryClassOf(pipeline) !== CODEPIPELINE) continue;
        for (const stage of listOf(resource.properties?.Stages)) {
          for (const action of listOf(TemplateValue.isObject(stage) ? stage.Actions : undefined)) {
            const type = TemplateValue.isObject(action) && TemplateValue.isObject(action.ActionTypeId) ? action.ActionTypeId : undefined;
            const library = type?.Category === 'Deploy' && type.Owner === 'AWS' ? BY_PROVIDER.get(String(type.Provider)) : undefined;
            const role = library && TemplateValue.isObject(action) ? followedResource(stack, action.RoleArn, 'AWS::IAM::Role') : undefined;
            if (!library || !role) continue;
            const entry = found.get(role) ?? { pipeline, actions: new Set<LibraryPipelineAction>() };
            entry.actions.add(library);
            found.set(role, entry);
          }
        }
      }
    }
    return new Map([...found].map(([role, { pipeline, actions }]) => {
      const libraries = [...actions];
      return [role, {
        construct: pipeline,
        internal: {
          library: libraries.map(a => a.library).join(', '),
          wildcardActions: [...new Set(libraries.flatMap(a => a.wildcardActions))],
          how: libraries.map(a => a.how).join('; '),
        },
      }];
    }));
  });
}
