import { StackTemplate, TemplatePeers, TemplateResource } from '../stack-template';
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

  private readonly peers = new TemplatePeers();

  constructor(stacks: readonly StackTemplate[]) {
    for (const stack of stacks) this.peers.add(stack);
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
      const passed = stack.parameterValue(ref);
      return passed && hops < MAX_IMPORT_HOPS ? this.resolve(passed.stack, passed.value, hops + 1) : UNKNOWN;
    }
    const getAtt = TemplateValue.getAtt(value);
    if (getAtt) {
      const resource = stack.resource(getAtt.logicalId);
      if (!resource) return UNKNOWN;
      // A nested stack's output, read by its parent: the value in the nested template.
      const output = stack.nestedOutput(getAtt.logicalId, getAtt.attribute);
      if (output && hops < MAX_IMPORT_HOPS) return this.resolve(output.stack, output.value, hops + 1);
      return { kind: 'resource', resource, attribute: getAtt.attribute };
    }
    const imported = TemplateValue.isObject(value) && Object.keys(value).length === 1 ? value['Fn::ImportValue'] : undefined;
    const exported = typeof imported === 'string' ? this.peers.exported(imported) : undefined;
    if (exported && hops < MAX_IMPORT_HOPS) return this.resolve(exported.stack, exported.value, hops + 1);
    return UNKNOWN;
  }
}
