import * as path from 'path';
import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { SynthKnowledge, TemplateValue } from './template-value';

/** One resource of a synthesized template, with the construct that produced it when there is one. */
export interface TemplateResource {
  /** The template it belongs to. */
  readonly stack: StackTemplate;
  /** Logical id in the template. */
  readonly logicalId: string;
  /** CloudFormation type. */
  readonly type: string;
  /** The resource entry as synthesized (Type, Properties, DeletionPolicy, ...): overrides and escape hatches included. */
  readonly definition: { readonly [key: string]: unknown };
  /**
   * Properties with what synth knows resolved (`TemplateValue.simplify`: `Fn::If` on decided conditions, strings of
   * literals); `{}` when absent, undefined when not a literal object (e.g. an undecided `Fn::If`), i.e. unknown.
   */
  readonly properties?: { readonly [key: string]: unknown };
  /** The `CfnElement` that synthesized it; undefined for resources that exist only in the template. */
  readonly construct?: IConstruct;
  /** Construct path; the stack path plus the logical id for template-only resources. */
  readonly constructPath: string;
}

/** What `TemplateIndex` knows about one template. */
export interface StackTemplateProps {
  /** Absolute path of the template file. */
  readonly templatePath: string;
  /** The parsed template. */
  readonly template: unknown;
  /** The stack that synthesized it, when found in the construct tree. */
  readonly stack?: Stack;
  /** Stage name the template is judged as ('' for stacks directly in the app). */
  readonly stageName: string;
  /** Whether that stage is durable. */
  readonly durable: boolean;
  /** Every `CfnElement` of the stack by logical id. */
  readonly elements: ReadonlyMap<string, IConstruct>;
}

/**
 * One synthesized template, indexed once: resources by logical id and by type, logical ids
 * mapped to constructs, plus per-template memos so a rule computes a cross-resource view
 * (e.g. which buckets are emptied on delete) once per stack instead of once per resource.
 * A resource whose `Condition` synth decides false is never created: `resource(id)` finds it (it is declared), but it is
 * not among `resources` nor `resourcesOfType`, so no rule judges it.
 */
export class StackTemplate implements SynthKnowledge {
  /** Absolute path of the template file. */
  public readonly templatePath: string;
  /** File name of the template, e.g. `MyStack.template.json`. */
  public readonly templateFile: string;
  /** The parsed template (an object, possibly empty). */
  public readonly template: { readonly [key: string]: unknown };
  /** The stack that synthesized it, when found in the construct tree. */
  public readonly stack?: Stack;
  /** Stage name the template is judged as ('' for stacks directly in the app). */
  public readonly stageName: string;
  /** Whether that stage is durable. */
  public readonly durable: boolean;
  /** Construct path of the stack, or the template's base name when the stack is unknown. */
  public readonly path: string;
  /** The account the stack deploys to, when known at synth (undefined for environment-agnostic stacks). */
  public readonly account?: string;
  /** The region the stack deploys to, when known at synth. */
  public readonly region?: string;
  /** Every resource, in template order. */
  public readonly resources: readonly TemplateResource[];

  private readonly elements: ReadonlyMap<string, IConstruct>;
  private readonly byLogicalId = new Map<string, TemplateResource>();
  private readonly byType = new Map<string, TemplateResource[]>();
  private readonly memos = new Map<string, unknown>();
  private readonly conditions = new Map<string, boolean | undefined>();

  constructor(props: StackTemplateProps) {
    this.templatePath = props.templatePath;
    this.templateFile = path.basename(props.templatePath);
    this.template = TemplateValue.isObject(props.template) ? props.template : {};
    this.stack = props.stack;
    this.stageName = props.stageName;
    this.durable = props.durable;
    this.elements = props.elements;
    this.path = props.stack?.node.path || this.templateFile.replace(/\.template\.json$/, '');
    this.account = literal(props.stack?.account);
    this.region = literal(props.stack?.region);

    const resources: TemplateResource[] = [];
    const section = this.template.Resources;
    for (const [logicalId, definition] of Object.entries(TemplateValue.isObject(section) ? section : {})) {
      if (!TemplateValue.isObject(definition) || typeof definition.Type !== 'string') continue;
      const resource = new IndexedResource(this, logicalId, definition.Type, definition,
        literalProperties(TemplateValue.simplify(definition.Properties, this)), this.elements.get(logicalId));
      this.byLogicalId.set(logicalId, resource);
      // Declared but never created: found by logical id (references to it still resolve), judged by no rule.
      if (typeof definition.Condition === 'string' && this.conditionValue(definition.Condition) === false) continue;
      resources.push(resource);
      const ofType = this.byType.get(resource.type);
      if (ofType) ofType.push(resource); else this.byType.set(resource.type, [resource]);
    }
    this.resources = resources;
  }

  /** The resource with this logical id. */
  public resource(logicalId: string): TemplateResource | undefined {
    return this.byLogicalId.get(logicalId);
  }

  /** Resources of one CloudFormation type. */
  public resourcesOfType(type: string): readonly TemplateResource[] {
    return this.byType.get(type) ?? [];
  }

  /** The `CfnElement` (resource, parameter, output, ...) with this logical id, if the tree has it. */
  public constructOf(logicalId: string): IConstruct | undefined {
    return this.elements.get(logicalId);
  }

  /**
   * Construct path of a logical id: the element's path, else the template's `aws:cdk:path`
   * metadata, else the stack path plus the logical id.
   */
  public constructPathOf(logicalId: string): string {
    const element = this.elements.get(logicalId);
    if (element) return element.node.path;
    for (const section of ['Resources', 'Parameters', 'Outputs', 'Conditions']) {
      const entries = this.template[section];
      const entry = TemplateValue.isObject(entries) ? entries[logicalId] : undefined;
      const metadata = TemplateValue.isObject(entry) ? entry.Metadata : undefined;
      const cdkPath = TemplateValue.isObject(metadata) ? metadata['aws:cdk:path'] : undefined;
      if (typeof cdkPath === 'string') return cdkPath;
    }
    return `${this.path}/${logicalId}`;
  }

  /** The construct whose acknowledgements apply to a logical id: its element, else the stack. */
  public ownerOf(logicalId: string): IConstruct | undefined {
    return this.elements.get(logicalId) ?? this.stack;
  }

  /** `AWS::Region` and `AWS::AccountId` when the stack's environment is literal; every other pseudo parameter is unknown. */
  public pseudoParameter(name: string): string | undefined {
    if (name === 'AWS::Region') return this.region;
    if (name === 'AWS::AccountId') return this.account;
    return undefined;
  }

  /** Whether the named condition of the template is true, when synth can decide it (literals, the literal region or account). */
  public conditionValue(name: string): boolean | undefined {
    if (this.conditions.has(name)) return this.conditions.get(name);
    this.conditions.set(name, undefined); // a condition naming itself stays undecided
    const section = this.template.Conditions;
    const value = TemplateValue.evaluateCondition(TemplateValue.isObject(section) ? section[name] : undefined, this);
    this.conditions.set(name, value);
    return value;
  }

  /** The string a template value has at deploy time, when synth knows it. */
  public resolveString(value: unknown): string | undefined {
    return TemplateValue.resolveString(value, this);
  }

  /** Computes a per-template value once, whichever rule or resource asks first. */
  public memo<T>(key: string, compute: () => T): T {
    if (!this.memos.has(key)) this.memos.set(key, compute());
    return this.memos.get(key) as T;
  }
}

/** A resource as the index holds it; its construct path is computed when asked (findings and a few rules need it). */
class IndexedResource implements TemplateResource {
  private path?: string;

  constructor(
    public readonly stack: StackTemplate,
    public readonly logicalId: string,
    public readonly type: string,
    public readonly definition: { readonly [key: string]: unknown },
    public readonly properties: { readonly [key: string]: unknown } | undefined,
    public readonly construct: IConstruct | undefined,
  ) {}

  public get constructPath(): string {
    return this.path ??= this.stack.constructPathOf(this.logicalId);
  }
}

/** Properties as a literal object: `{}` when absent, undefined (unknown) when an intrinsic or not an object. */
function literalProperties(properties: unknown): { readonly [key: string]: unknown } | undefined {
  if (properties === undefined) return {};
  return TemplateValue.isObject(properties) && !TemplateValue.isIntrinsic(properties) ? properties : undefined;
}

function literal(value: string | undefined): string | undefined {
  return value !== undefined && !Token.isUnresolved(value) ? value : undefined;
}
