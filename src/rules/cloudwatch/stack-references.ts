import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** What a template value points at: a resource, a literal string, or something only known at deploy time. */
export type TemplateReference =
  | { readonly kind: 'resource'; readonly resource: TemplateResource; readonly attribute?: string }
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'unknown' };

const UNKNOWN: TemplateReference = { kind: 'unknown' };
// One index per list of templates: the engine passes every app-wide rule the same list.
const BUILT = new WeakMap<readonly StackTemplate[], StackReferences>();
// An export whose value imports another export, or a value passed through nested stacks: follow a few hops, never a cycle.
const MAX_IMPORT_HOPS = 5;

/**
 * Resolves `Ref`, `Fn::GetAtt` and `Fn::ImportValue` to the resources they name, across the templates of
 * one validation: an import is followed to the `Outputs` entry that exports its literal name; a nested stack's
 * output read by its parent (`Fn::GetAtt` of the `AWS::CloudFormation::Stack`, `Outputs.<name>`) to the value in
 * the nested template; a nested template's parameter to the value its parent passes. Other parameters, pseudo
 * parameters and other intrinsics are unknown.
 */
export class StackReferences {
  /** The references of one validation's templates, built once for every rule that judges them together. */
  public static of(stacks: readonly StackTemplate[]): StackReferences {
    let references = BUILT.get(stacks);
    if (!references) BUILT.set(stacks, references = new StackReferences(stacks));
    return references;
  }

  private readonly exports = new Map<string, { readonly stack: StackTemplate; readonly value: unknown }>();
  /** Nested templates by their parent template and the logical id of their `AWS::CloudFormation::Stack` there. */
  private readonly nestedByResource = new Map<StackTemplate, Map<string, StackTemplate>>();
  /** Each nested template's parent template and the logical id of its stack resource there. */
  private readonly parentOf = new Map<StackTemplate, { readonly stack: StackTemplate; readonly logicalId: string }>();

  constructor(stacks: readonly StackTemplate[]) {
    const byStack = new Map(stacks.filter(s => s.stack).map(s => [s.stack!, s]));
    for (const stack of stacks) {
      const parent = stack.stack?.nestedStackParent ? byStack.get(stack.stack.nestedStackParent) : undefined;
      const resource = stack.stack?.nestedStackResource;
      const logicalId: unknown = parent && resource ? parent.stack!.resolve(resource.logicalId) : undefined;
      if (!parent || typeof logicalId !== 'string') continue;
      this.parentOf.set(stack, { stack: parent, logicalId });
      const children = this.nestedByResource.get(parent) ?? new Map<string, StackTemplate>();
      children.set(logicalId, stack);
      this.nestedByResource.set(parent, children);
    }
    for (const stack of stacks) {
      const outputs = stack.template.Outputs;
      for (const output of Object.values(TemplateValue.isObject(outputs) ? outputs : {})) {
        if (!TemplateValue.isObject(output) || !TemplateValue.isObject(output.Export)) continue;
        const name = output.Export.Name;
        if (typeof name === 'string') this.exports.set(name, { stack, value: output.Value });
      }
    }
  }

  /** What `value`, found in `stack`, points at. */
  public resolve(stack: StackTemplate, value: unknown, hops = 0): TemplateReference {
    if (typeof value === 'string') return { kind: 'literal', value };
    if (typeof value === 'number') return { kind: 'literal', value: String(value) };
    const ref = TemplateValue.refTarget(value);
    if (ref !== undefined) {
      const resource = stack.resource(ref);
      if (resource) return { kind: 'resource', resource };
      // A nested template's parameter: the value its parent passes in.
      const parent = this.parentOf.get(stack);
      const parameters = parent?.stack.resource(parent.logicalId)?.properties?.Parameters;
      const passed = TemplateValue.isObject(parameters) ? parameters[ref] : undefined;
      return parent && passed !== undefined && hops < MAX_IMPORT_HOPS ? this.resolve(parent.stack, passed, hops + 1) : UNKNOWN;
    }
    const getAtt = getAttOf(value);
    if (getAtt) {
      const resource = stack.resource(getAtt.logicalId);
      if (!resource) return UNKNOWN;
      // A nested stack's output, read by its parent: the value in the nested template.
      const nested = getAtt.attribute.startsWith('Outputs.') ? this.nestedByResource.get(stack)?.get(getAtt.logicalId) : undefined;
      const outputs = nested?.template.Outputs;
      const output = nested && TemplateValue.isObject(outputs) ? outputs[getAtt.attribute.slice('Outputs.'.length)] : undefined;
      if (nested && TemplateValue.isObject(output) && hops < MAX_IMPORT_HOPS) return this.resolve(nested, output.Value, hops + 1);
      return { kind: 'resource', resource, attribute: getAtt.attribute };
    }
    const imported = TemplateValue.isObject(value) && Object.keys(value).length === 1 ? value['Fn::ImportValue'] : undefined;
    const exported = typeof imported === 'string' ? this.exports.get(imported) : undefined;
    if (exported && hops < MAX_IMPORT_HOPS) return this.resolve(exported.stack, exported.value, hops + 1);
    return UNKNOWN;
  }
}

/** The target of an `Fn::GetAtt`, in its array or `Logical.Attribute` string form. */
function getAttOf(value: unknown): { logicalId: string; attribute: string } | undefined {
  if (!TemplateValue.isObject(value) || Object.keys(value).length !== 1) return undefined;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return { logicalId: getAtt[0], attribute: typeof getAtt[1] === 'string' ? getAtt[1] : '' };
  if (typeof getAtt !== 'string' || !getAtt.includes('.')) return undefined;
  const dot = getAtt.indexOf('.');
  return { logicalId: getAtt.slice(0, dot), attribute: getAtt.slice(dot + 1) };
}
