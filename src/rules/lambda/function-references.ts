import { ResolvedReference, resolveAcrossStacks, resolveReference } from '../events/deliveries';
import { StackTemplate, TemplateResource } from '../stack-template';

/** The function a reference names, directly or through an alias or version of it (in the alias's own template). */
export function functionOf(reference: ResolvedReference): TemplateResource | undefined {
  if (reference.kind !== 'resource') return undefined;
  const { resource } = reference;
  if (resource.type === 'AWS::Lambda::Function') return resource;
  if (resource.type === 'AWS::Lambda::Alias' || resource.type === 'AWS::Lambda::Version') {
    const target = resolveAcrossStacks(resource.stack, resource.properties?.FunctionName).target;
    return target.kind === 'resource' && target.resource.type === 'AWS::Lambda::Function' ? target.resource : undefined;
  }
  return undefined;
}

/**
 * What a `FunctionName` property names (an `EventInvokeConfig`'s or a `Permission`'s, which take a name or an ARN): a
 * literal ARN or name is matched against the functions of `stack`, anything else is followed across stacks.
 */
export function functionNamed(stack: StackTemplate, name: unknown): ResolvedReference {
  if (typeof name !== 'string') return resolveAcrossStacks(stack, name).target;
  if (name.startsWith('arn:')) return resolveReference(stack, name);
  const resource = stack.resourcesOfType('AWS::Lambda::Function').find(fn => fn.properties?.FunctionName === name);
  return resource ? { kind: 'resource', resource } : { kind: 'external' };
}
