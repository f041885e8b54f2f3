/**
 * Reads values of a synthesized template without guessing: anything that is not a literal
 * (Ref, Fn::If, Fn::GetAtt, ...) is unknown, and rules report nothing on unknowns.
 */
export class TemplateValue {
  /** Whether `value` is an intrinsic function or Ref, i.e. resolved only at deploy time. */
  public static isIntrinsic(value: unknown): boolean {
    if (!TemplateValue.isObject(value)) return false;
    const keys = Object.keys(value);
    return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
  }

  /** Whether `value` is a plain JSON object (not an array, not null). */
  public static isObject(value: unknown): value is { readonly [key: string]: unknown } {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  /** The logical id a `{ Ref }` points at, or undefined for anything else. */
  public static refTarget(value: unknown): string | undefined {
    return TemplateValue.isObject(value) && typeof value.Ref === 'string' && Object.keys(value).length === 1 ? value.Ref : undefined;
  }

  /** The logical id an `Fn::GetAtt` (array or `Id.Attr` form) points at, or undefined for anything else. */
  public static getAttTarget(value: unknown): string | undefined {
    const getAtt = TemplateValue.isObject(value) && Object.keys(value).length === 1 ? value['Fn::GetAtt'] : undefined;
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
    return typeof getAtt === 'string' ? getAtt.split('.')[0] : undefined;
  }

  /** The logical id a `Ref` or `Fn::GetAtt` points at, or undefined for anything else. */
  public static referencedId(value: unknown): string | undefined {
    return TemplateValue.refTarget(value) ?? TemplateValue.getAttTarget(value);
  }

  /** A CloudFormation boolean (`true` or `"true"`, any case), or undefined when it is not a literal boolean. */
  public static booleanOf(value: unknown): boolean | undefined {
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string' && /^(true|false)$/i.test(value)) return value.toLowerCase() === 'true';
    return undefined;
  }
}
