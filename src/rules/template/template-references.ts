import { StackTemplate } from '../stack-template';
import { TemplateValue } from '../template-value';

/** What a reference names: a resource or parameter (`Ref`, `Fn::Sub`), a resource only, a condition or a mapping. */
export type ReferenceKind = 'resource-or-parameter' | 'resource' | 'condition' | 'mapping';

/** One name a template element uses, as CloudFormation resolves it. */
export interface TemplateReference {
  /** The logical id, condition name or mapping name. */
  readonly target: string;
  /** What it must name. */
  readonly kind: ReferenceKind;
  /** How it is written: `Ref`, `Fn::GetAtt`, `Fn::Sub`, `DependsOn`, `Condition`, `Fn::If`, `Fn::FindInMap`. */
  readonly via: string;
  /** Where, e.g. `Properties/KeyPolicy/Statement/0/Principal/AWS`. */
  readonly location: string;
  /** The attribute an `Fn::GetAtt` or `${Name.Attr}` reads, e.g. `Arn` or `Outputs.QueueUrl`, when literal. */
  readonly attribute?: string;
}

/** One element of a template (resource, output or condition) and the names it uses. */
export interface ElementReferences {
  /** `Resources`, `Outputs` or `Conditions`. */
  readonly section: 'Resources' | 'Outputs' | 'Conditions';
  /** Its logical id or name. */
  readonly logicalId: string;
  /** CloudFormation type, for resources. */
  readonly type?: string;
  /** Every name it uses, pseudo parameters (`AWS::*`) and `${!Literal}` escapes left out. */
  readonly references: readonly TemplateReference[];
}

/** What a template declares and what each of its elements uses, read once per template. */
export interface TemplateReferences {
  /** False when the template asks for a transform (`Transform`, `Fn::Transform`, `Fn::ForEach`), which adds names at deploy time. */
  readonly judgeable: boolean;
  readonly resources: ReadonlySet<string>;
  /**
   * Resources of a CloudFormation registry module (a type ending in `::MODULE`), which expand at deploy time into the
   * module's resources, named `<Module>.<Resource>` or `<Module><Resource>`.
   */
  readonly modules: ReadonlySet<string>;
  readonly parameters: ReadonlySet<string>;
  readonly conditions: ReadonlySet<string>;
  readonly mappings: ReadonlySet<string>;
  /** Resources, outputs and conditions in template order. */
  readonly elements: readonly ElementReferences[];
}

/**
 * The names every resource, output and condition of a template uses, through `Ref`, `Fn::GetAtt`, `Fn::Sub` (the
 * `${Name}` and `${Name.Attr}` forms, an array form's own variables shadowing template names), `DependsOn`,
 * `Condition`, `Fn::If` (both branches, as CloudFormation counts them) and `Fn::FindInMap`, wherever they sit:
 * key policies and their `Condition` blocks included. Resource `Metadata` is left out: CloudFormation does not
 * resolve it into dependencies. Computed once per template.
 */
export function templateReferences(stack: StackTemplate): TemplateReferences {
  return stack.memo('template-references', () => read(stack.template));
}

function read(template: { readonly [key: string]: unknown }): TemplateReferences {
  const section = (name: string) => (TemplateValue.isObject(template[name]) ? template[name] as { readonly [key: string]: unknown } : {});
  const resources = section('Resources');
  const outputs = section('Outputs');
  const conditions = section('Conditions');
  let judgeable = template.Transform === undefined;
  const elements: ElementReferences[] = [];
  const walker = new ReferenceWalker(() => { judgeable = false; });

  for (const [logicalId, definition] of Object.entries(resources)) {
    if (!TemplateValue.isObject(definition)) continue;
    const references: TemplateReference[] = [];
    walker.walk(definition.Properties, 'Properties', references);
    for (const key of ['CreationPolicy', 'UpdatePolicy']) walker.walk(definition[key], key, references);
    const dependsOn = typeof definition.DependsOn === 'string' ? [definition.DependsOn] : Array.isArray(definition.DependsOn) ? definition.DependsOn : [];
    dependsOn.forEach((target, i) => {
      if (typeof target === 'string') references.push({ target, kind: 'resource', via: 'DependsOn', location: Array.isArray(definition.DependsOn) ? `DependsOn/${i}` : 'DependsOn' });
    });
    if (typeof definition.Condition === 'string') references.push({ target: definition.Condition, kind: 'condition', via: 'Condition', location: 'Condition' });
    elements.push({ section: 'Resources', logicalId, type: typeof definition.Type === 'string' ? definition.Type : undefined, references });
  }
  for (const [logicalId, definition] of Object.entries(outputs)) {
    if (!TemplateValue.isObject(definition)) continue;
    const references: TemplateReference[] = [];
    walker.walk(definition.Value, 'Value', references);
    walker.walk(definition.Export, 'Export', references);
    if (typeof definition.Condition === 'string') references.push({ target: definition.Condition, kind: 'condition', via: 'Condition', location: 'Condition' });
    elements.push({ section: 'Outputs', logicalId, references });
  }
  for (const [logicalId, definition] of Object.entries(conditions)) {
    const references: TemplateReference[] = [];
    walker.walk(definition, '', references, true);
    elements.push({ section: 'Conditions', logicalId, references });
  }
  return {
    judgeable,
    resources: new Set(Object.keys(resources)),
    modules: new Set(Object.keys(resources).filter(id => isModuleType(TemplateValue.literalObject(resources[id])?.Type))),
    parameters: new Set(Object.keys(section('Parameters'))),
    conditions: new Set(Object.keys(conditions)),
    mappings: new Set(Object.keys(section('Mappings'))),
    elements,
  };
}

/** The targets of an `Fn::Sub` string: `${Name}` and `${Name.Attr}`, not `${!Literal}`, not shadowed variables. */
export function subTargets(text: string, shadowed: ReadonlySet<string> = new Set()): { name: string; attribute?: string }[] {
  const targets: { name: string; attribute?: string }[] = [];
  for (const match of text.matchAll(/\$\{([^}]*)\}/g)) {
    const variable = match[1].trim();
    if (variable.startsWith('!') || variable.length === 0) continue;
    const dot = variable.indexOf('.');
    const name = dot < 0 ? variable : variable.slice(0, dot);
    if (shadowed.has(variable) || shadowed.has(name) || isPseudoParameter(name)) continue;
    targets.push(dot < 0 ? { name } : { name, attribute: variable.slice(dot + 1) });
  }
  return targets;
}

/** Whether a name is a pseudo parameter (`AWS::Region`, `AWS::NoValue`, ...), which every template has. */
export function isPseudoParameter(name: string): boolean {
  return name.startsWith('AWS::');
}

// Walks a value keeping its location as a list of keys, joined into a string only for the names it finds: most of a
// template holds no reference, and building a location string for every node was most of the walk's cost.
class ReferenceWalker {
  private readonly path: string[] = [];

  constructor(private readonly onTransform: () => void) {}

  /**
   * Collects the references in `value` at `location`; `inConditions` reads `{ Condition: name }` as a condition reference.
   * Starts from an empty path, so a walk an odd template cut short leaves nothing behind.
   */
  public walk(value: unknown, location: string, into: TemplateReference[], inConditions = false): void {
    this.path.length = 0;
    if (location) this.path.push(location);
    this.visit(value, into, inConditions);
  }

  private visit(value: unknown, into: TemplateReference[], inConditions: boolean): void {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        this.path.push(String(i));
        this.visit(value[i], into, inConditions);
        this.path.pop();
      }
      return;
    }
    if (!TemplateValue.isObject(value)) return;
    const keys = Object.keys(value);
    if (keys.some(key => key === 'Fn::Transform' || key.startsWith('Fn::ForEach::'))) this.onTransform();
    if (keys.length === 1) {
      this.path.push(keys[0]);
      const known = this.intrinsic(keys[0], value[keys[0]], into, inConditions);
      this.path.pop();
      if (known) return;
    }
    for (const key of keys) {
      this.path.push(key);
      this.visit(value[key], into, inConditions);
      this.path.pop();
    }
  }

  private location(): string {
    return this.path.join('/');
  }

  // Reads one intrinsic, the walker standing at its key; false when `key` is not one whose names it knows (its
  // arguments are then walked as values).
  private intrinsic(key: string, argument: unknown, into: TemplateReference[], inConditions: boolean): boolean {
    switch (key) {
      case 'Ref':
        if (typeof argument === 'string' && !isPseudoParameter(argument)) into.push({ target: argument, kind: 'resource-or-parameter', via: 'Ref', location: this.location() });
        return typeof argument === 'string';
      case 'Fn::GetAtt': {
        const [target, attribute] = Array.isArray(argument) ? argument
          : typeof argument === 'string' ? [argument.split('.')[0], argument.split('.').slice(1).join('.')] : [];
        if (typeof target === 'string') {
          into.push({ target, kind: 'resource', via: 'Fn::GetAtt', location: this.location(), ...(typeof attribute === 'string' && attribute ? { attribute } : {}) });
        }
        if (Array.isArray(argument)) this.visit(argument.slice(1), into, inConditions);
        return true;
      }
      case 'Fn::Sub': {
        const [text, variables] = Array.isArray(argument) ? argument : [argument, undefined];
        const shadowed = new Set(TemplateValue.isObject(variables) ? Object.keys(variables) : []);
        if (typeof text === 'string') {
          for (const target of subTargets(text, shadowed)) {
            into.push({
              target: target.name,
              kind: target.attribute ? 'resource' : 'resource-or-parameter',
              via: 'Fn::Sub',
              location: this.location(),
              ...(target.attribute ? { attribute: target.attribute } : {}),
            });
          }
        } else {
          this.visit(text, into, inConditions);
        }
        if (TemplateValue.isObject(variables)) {
          for (const [name, variable] of Object.entries(variables)) {
            this.path.push(name);
            this.visit(variable, into, inConditions);
            this.path.pop();
          }
        }
        return true;
      }
      case 'Fn::If':
        if (Array.isArray(argument) && typeof argument[0] === 'string') {
          into.push({ target: argument[0], kind: 'condition', via: 'Fn::If', location: this.location() });
          this.visit(argument.slice(1), into, inConditions);
          return true;
        }
        return false;
      case 'Fn::FindInMap':
        if (Array.isArray(argument) && typeof argument[0] === 'string') {
          into.push({ target: argument[0], kind: 'mapping', via: 'Fn::FindInMap', location: this.location() });
          this.visit(argument.slice(1), into, inConditions);
          return true;
        }
        return false;
      case 'Condition':
        if (inConditions && typeof argument === 'string') {
          into.push({ target: argument, kind: 'condition', via: 'Condition', location: this.location() });
          return true;
        }
        return false;
      default:
        return false;
    }
  }
}

/** Whether a resource type is a CloudFormation registry module's (`<Org>::<Service>::<Name>::MODULE`). */
export function isModuleType(type: unknown): boolean {
  return typeof type === 'string' && type.endsWith('::MODULE');
}
