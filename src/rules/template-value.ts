/**
 * What synth knows about a template's deploy-time values: pseudo parameters whose value is a literal at synth and
 * conditions it can decide. `StackTemplate` implements it for each template.
 */
export interface SynthKnowledge {
  /** The value of a pseudo parameter (`AWS::Region`, `AWS::AccountId`) when the stack's environment makes it a literal. */
  pseudoParameter(name: string): string | undefined;
  /** Whether the template's named condition is true, when it can be decided at synth. */
  conditionValue(name: string): boolean | undefined;
}

/** A JSON document read from a string expression, with the intrinsics its `@@intrinsic:<i>@@` placeholders stand for. */
export interface ParsedJson {
  /** The parsed document. */
  readonly document: unknown;
  /** `intrinsics[i]` is the intrinsic placeholder `@@intrinsic:<i>@@` stands for. */
  readonly intrinsics: readonly unknown[];
}

// The value `{ Ref: 'AWS::NoValue' }` stands for: the property or list entry is left out.
const NO_VALUE: unique symbol = Symbol('AWS::NoValue');
// A `${Name}`, `${Resource.Attribute}` or `${!Literal}` in an `Fn::Sub` string.
const SUB_VARIABLE = /\$\{([^}]*)\}/g;
// Conditions may name conditions; a cycle is an invalid template, and a deep chain is left undecided rather than recursed.
const MAX_CONDITION_DEPTH = 32;
// Strings nested deeper than this are not what CDK or a person writes: left unknown rather than recursed.
const MAX_STRING_DEPTH = 8;

/**
 * Reads values of a synthesized template without guessing: anything that is not a literal
 * (Ref, Fn::If, Fn::GetAtt, ...) is unknown, and rules report nothing on unknowns. What synth truly knows is
 * resolved: `Fn::Join` and `Fn::Sub` of literals, `Ref` to `AWS::Region` and `AWS::AccountId` of a stack with a literal
 * environment, `Fn::If` on a condition decided by literals. Parameters are never resolved, defaults included: the
 * deployer can pass another value.
 */
export class TemplateValue {
  /** Whether `value` is an intrinsic function or Ref, i.e. resolved only at deploy time. */
  public static isIntrinsic(value: unknown): boolean {
    if (!TemplateValue.isObject(value)) return false;
    const keys = Object.keys(value);
    return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
  }

  /** Whether `value` is `{ Ref: 'AWS::NoValue' }`, which leaves out the property or list entry it stands in. */
  public static isNoValue(value: unknown): boolean {
    return TemplateValue.refTarget(value) === 'AWS::NoValue';
  }

  /** Whether `value` is a plain JSON object (not an array, not null). */
  public static isObject(value: unknown): value is { readonly [key: string]: unknown } {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
  }

  /** A literal object (a map that is not an intrinsic), or undefined for anything else: absent, an intrinsic (unknown), odd. */
  public static literalObject(value: unknown): { readonly [key: string]: unknown } | undefined {
    return TemplateValue.isObject(value) && !TemplateValue.isIntrinsic(value) ? value : undefined;
  }

  /** The logical id a `{ Ref }` points at, or undefined for anything else. */
  public static refTarget(value: unknown): string | undefined {
    return TemplateValue.isObject(value) && typeof value.Ref === 'string' && Object.keys(value).length === 1 ? value.Ref : undefined;
  }

  /** The logical id an `Fn::GetAtt` (array or `Id.Attr` form) points at, or undefined for anything else. */
  public static getAttTarget(value: unknown): string | undefined {
    return TemplateValue.getAtt(value)?.logicalId;
  }

  /**
   * What an `Fn::GetAtt` reads, in its array or `Id.Attr` form: the logical id and the attribute (`''` when the array
   * form's attribute is not a literal); undefined for anything else.
   */
  public static getAtt(value: unknown): { readonly logicalId: string; readonly attribute: string } | undefined {
    const getAtt = TemplateValue.isObject(value) && Object.keys(value).length === 1 ? value['Fn::GetAtt'] : undefined;
    if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return { logicalId: getAtt[0], attribute: typeof getAtt[1] === 'string' ? getAtt[1] : '' };
    if (typeof getAtt !== 'string') return undefined;
    const dot = getAtt.indexOf('.');
    return dot < 0 ? { logicalId: getAtt, attribute: '' } : { logicalId: getAtt.slice(0, dot), attribute: getAtt.slice(dot + 1) };
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

  /** A literal integer (a number, or a string of digits with an optional minus sign), or undefined for anything else. */
  public static integerOf(value: unknown): number | undefined {
    if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
    return typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : undefined;
  }

  /** The `Ref`, `Fn::GetAtt` and `Fn::ImportValue` expressions in a value, at any depth (pseudo parameters left out). */
  public static referencesIn(value: unknown): unknown[] {
    if (Array.isArray(value)) return value.flatMap(TemplateValue.referencesIn);
    if (!TemplateValue.isObject(value)) return [];
    const target = TemplateValue.referencedId(value);
    if (target !== undefined) return target.startsWith('AWS::') ? [] : [value];
    if (Object.keys(value).length === 1 && value['Fn::ImportValue'] !== undefined) return [value];
    return Object.values(value).flatMap(TemplateValue.referencesIn);
  }

  /** The string a value has at deploy time when synth knows it (a literal, or intrinsics of literals), else undefined. */
  public static resolveString(value: unknown, known?: SynthKnowledge): string | undefined {
    const parts = TemplateValue.stringParts(value, known);
    return parts !== undefined && parts.every(part => typeof part === 'string') ? parts.join('') : undefined;
  }

  /**
   * A string-valued expression as its literal pieces and the intrinsics synth cannot resolve, in order: `Fn::Join` and
   * `Fn::Sub` are flattened (`${Bucket.Arn}` becomes `{ 'Fn::GetAtt': ['Bucket', 'Arn'] }`, `${Name}` a `{ Ref }`),
   * adjacent literals merged. Undefined when the value is not a string expression (a number, an object, a malformed intrinsic).
   */
  public static stringParts(value: unknown, known?: SynthKnowledge): unknown[] | undefined {
    const parts = stringPartsOf(value, known, 0);
    return parts === undefined ? undefined : mergeLiterals(parts);
  }

  /**
   * A JSON document written as a string expression (a literal, or `Fn::Join` / `Fn::Sub` of literals and intrinsics, as a
   * state machine definition or a policy is), parsed. Each intrinsic synth cannot resolve stands as the string
   * `@@intrinsic:<i>@@`: inside a JSON string as is, elsewhere as a string of its own (a flag from a parameter reads as that
   * string, never as `true`); `intrinsics[i]` is the intrinsic. Undefined when the value is no string expression or not JSON.
   */
  public static parseJson(value: unknown, known?: SynthKnowledge): ParsedJson | undefined {
    const parts = TemplateValue.stringParts(value, known);
    if (!parts) return undefined;
    const intrinsics: unknown[] = [];
    try {
      return { document: JSON.parse(joinWithPlaceholders(parts, intrinsics)), intrinsics };
    } catch {
      return undefined;
    }
  }

  /** A condition expression (`Fn::Equals`, `Fn::And`, `Fn::Or`, `Fn::Not`, `{ Condition }`) when synth decides it, else undefined. */
  public static evaluateCondition(expression: unknown, known?: SynthKnowledge): boolean | undefined {
    if (!TemplateValue.isObject(expression) || Object.keys(expression).length !== 1) return undefined;
    const [fn, args] = Object.entries(expression)[0];
    if (fn === 'Condition') return typeof args === 'string' ? known?.conditionValue(args) : undefined;
    if (!Array.isArray(args)) return undefined;
    if (fn === 'Fn::Equals') {
      if (args.length !== 2) return undefined;
      const [a, b] = args.map(arg => TemplateValue.resolveString(typeof arg === 'number' || typeof arg === 'boolean' ? String(arg) : arg, known));
      return a !== undefined && b !== undefined ? a === b : undefined;
    }
    const values = args.map(arg => TemplateValue.evaluateCondition(arg, known));
    if (fn === 'Fn::Not') return args.length === 1 && values[0] !== undefined ? !values[0] : undefined;
    if (fn === 'Fn::And') return values.includes(false) ? false : values.every(v => v === true) && values.length > 0 ? true : undefined;
    if (fn === 'Fn::Or') return values.includes(true) ? true : values.every(v => v === false) && values.length > 0 ? false : undefined;
    return undefined;
  }

  /**
   * A copy of `value` with what synth knows put in: `Fn::If` on a decided condition replaced by its branch
   * (`AWS::NoValue` leaves the key or list entry out), strings of literals joined. Returns `value` itself when nothing
   * changes; an entirely absent value (`AWS::NoValue` at the top) becomes undefined.
   */
  public static simplify(value: unknown, known: SynthKnowledge): unknown {
    const simplified = simplifyValue(value, known, 0);
    return simplified === NO_VALUE ? undefined : simplified;
  }
}

/** `TemplateValue.simplify`'s walk; NO_VALUE marks an entry to leave out. Runs on every property of every template: no allocation unless something changes. */
function simplifyValue(value: unknown, known: SynthKnowledge, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_CONDITION_DEPTH * 8) return value;
  if (Array.isArray(value)) {
    let items: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const item = value[i];
      const simplified = typeof item === 'object' && item !== null ? simplifyValue(item, known, depth + 1) : item;
      if (simplified !== item && !items) items = value.slice(0, i);
      if (items && simplified !== NO_VALUE) items.push(simplified);
    }
    return items ?? value;
  }
  const object = value as { readonly [key: string]: unknown };
  const fn = onlyKeyOf(object);
  if (fn !== undefined && (fn === 'Ref' || fn === 'Condition' || fn.startsWith('Fn::'))) {
    const args = object[fn];
    if (fn === 'Ref') return args === 'AWS::NoValue' ? NO_VALUE : typeof args === 'string' ? known.pseudoParameter(args) ?? value : value;
    if (fn === 'Fn::If') {
      if (!Array.isArray(args) || args.length !== 3 || typeof args[0] !== 'string') return value;
      const decided = known.conditionValue(args[0]);
      return decided === undefined ? value : simplifyValue(decided ? args[1] : args[2], known, depth + 1);
    }
    if (fn === 'Fn::Join' || fn === 'Fn::Sub') return TemplateValue.resolveString(value, known) ?? value;
    return value;
  }
  let copy: { [key: string]: unknown } | undefined;
  for (const key in object) {
    const entry = object[key];
    if (typeof entry !== 'object' || entry === null) continue;
    const simplified = simplifyValue(entry, known, depth + 1);
    if (simplified === entry) continue;
    copy ??= { ...object };
    if (simplified === NO_VALUE) delete copy[key]; else copy[key] = simplified;
  }
  return copy ?? value;
}

/** The key of an object with exactly one key, else undefined. */
function onlyKeyOf(object: object): string | undefined {
  let only: string | undefined;
  for (const key in object) {
    if (only !== undefined) return undefined;
    only = key;
  }
  return only;
}

function stringPartsOf(value: unknown, known: SynthKnowledge | undefined, depth: number): unknown[] | undefined {
  if (typeof value === 'string') return [value];
  if (!TemplateValue.isIntrinsic(value) || depth > MAX_STRING_DEPTH) return undefined;
  const [fn, args] = Object.entries(value as object)[0] as [string, unknown];
  switch (fn) {
    case 'Ref':
      if (typeof args !== 'string' || args === 'AWS::NoValue') return undefined;
      return [known?.pseudoParameter(args) ?? value];
    case 'Fn::Join': {
      if (!Array.isArray(args) || args.length !== 2 || typeof args[0] !== 'string') return undefined;
      if (!Array.isArray(args[1])) return TemplateValue.isIntrinsic(args[1]) ? [value] : undefined;
      if (args[1].length === 0) return undefined; // nothing joined: an odd shape, not judged
      const parts: unknown[] = [];
      for (const [i, piece] of args[1].entries()) {
        const pieceParts = stringPartsOf(piece, known, depth + 1);
        if (pieceParts === undefined) return undefined;
        if (i > 0) parts.push(args[0]);
        parts.push(...pieceParts);
      }
      return parts;
    }
    case 'Fn::Sub':
      return subParts(value, args, known, depth);
    case 'Fn::If': {
      if (!Array.isArray(args) || args.length !== 3 || typeof args[0] !== 'string') return undefined;
      const decided = known?.conditionValue(args[0]);
      return decided === undefined ? [value] : stringPartsOf(decided ? args[1] : args[2], known, depth + 1);
    }
    case 'Fn::Select': {
      if (!Array.isArray(args) || args.length !== 2) return undefined;
      const index = typeof args[0] === 'number' ? args[0] : typeof args[0] === 'string' && /^\d+$/.test(args[0]) ? Number(args[0]) : undefined;
      if (index === undefined || !Array.isArray(args[1])) return [value];
      return index < args[1].length ? stringPartsOf(args[1][index], known, depth + 1) : undefined;
    }
    default:
      return [value];
  }
}

function subParts(whole: unknown, args: unknown, known: SynthKnowledge | undefined, depth: number): unknown[] | undefined {
  const [text, variables] = Array.isArray(args) ? args : [args, {}];
  if (typeof text !== 'string' || !TemplateValue.isObject(variables)) return undefined;
  if (Array.isArray(args) && args.length !== 2) return undefined;
  const parts: unknown[] = [];
  let last = 0;
  for (const match of text.matchAll(SUB_VARIABLE)) {
    parts.push(text.slice(last, match.index));
    last = match.index! + match[0].length;
    const name = match[1].trim();
    if (name.startsWith('!')) {
      parts.push(`\${${match[1].slice(1)}}`);
      continue;
    }
    if (name in variables) {
      const variableParts = stringPartsOf(variables[name], known, depth + 1);
      if (variableParts === undefined) return undefined;
      parts.push(...variableParts);
      continue;
    }
    const dot = name.indexOf('.');
    if (dot > 0) parts.push({ 'Fn::GetAtt': [name.slice(0, dot), name.slice(dot + 1)] });
    else if (name.length > 0) parts.push(known?.pseudoParameter(name) ?? { Ref: name });
    else return whole === undefined ? undefined : [whole];
  }
  parts.push(text.slice(last));
  return parts;
}

function mergeLiterals(parts: readonly unknown[]): unknown[] {
  const merged: unknown[] = [];
  for (const part of parts) {
    if (part === '') continue;
    if (typeof part === 'string' && typeof merged[merged.length - 1] === 'string') merged[merged.length - 1] += part;
    else merged.push(part);
  }
  return merged.length === 0 ? [''] : merged;
}

/** Joins literal pieces and stands a placeholder in for each intrinsic: inside a JSON string as is, elsewhere as a string. */
function joinWithPlaceholders(pieces: readonly unknown[], intrinsics: unknown[]): string {
  let text = '';
  let inString = false;
  let escaped = false;
  for (const piece of pieces) {
    if (typeof piece !== 'string') {
      const placeholder = `@@intrinsic:${intrinsics.push(piece) - 1}@@`;
      text += inString ? placeholder : `"${placeholder}"`;
      continue;
    }
    for (const char of piece) {
      if (escaped) escaped = false;
      else if (char === '\\') escaped = inString;
      else if (char === '"') inString = !inString;
    }
    text += piece;
  }
  return text;
}
