import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** What a template value points at: a resource, a literal string, or something only known at deploy time. */
export type TemplateReference =
  | { readonly kind: 'resource'; readonly resource: TemplateResource; readonly attribute?: string }
  | { readonly kind: 'literal'; readonly value: string }
  | { readonly kind: 'unknown' };

const UNKNOWN: TemplateReference = { kind: 'unknown' };
// An export whose value imports another export: follow a few hops, never a cycle.
const MAX_IMPORT_HOPS = 3;

/**
 * Resolves `Ref`, `Fn::GetAtt` and `Fn::ImportValue` to the resources they name, across the templates of
 * one validation: an import is followed to the `Outputs` entry that exports its literal name. Parameters,
 * pseudo parameters and other intrinsics are unknown.
 */
export class StackReferences {
  private readonly exports = new Map<string, { readonly stack: StackTemplate; readonly value: unknown }>();

  constructor(stacks: readonly StackTemplate[]) {
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
      return resource ? { kind: 'resource', resource } : UNKNOWN;
    }
    const getAtt = getAttOf(value);
    if (getAtt) {
      const resource = stack.resource(getAtt.logicalId);
      return resource ? { kind: 'resource', resource, attribute: getAtt.attribute } : UNKNOWN;
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
