import * as path from 'path';
import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { expandServerless } from './serverless-transform';
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
  /**
   * Where and with which stack tags the template deploys, as its cloud assembly records them: for a template read
   * without its stack (`stack` unset).
   *
   * @default - read from `stack`; unknown without it
   */
  readonly deployment?: StackDeployment;
  /** Stage name the template is judged as ('' for stacks directly in the app). */
  readonly stageName: string;
  /** Whether that stage is durable. */
  readonly durable: boolean;
  /** Every `CfnElement` of the stack by logical id. */
  readonly elements: ReadonlyMap<string, IConstruct>;
  /**
   * For a nested stack's template: the template holding its `AWS::CloudFormation::Stack` resource, and that resource's
   * logical id. The parent's template must be indexed first.
   *
   * @default - a top-level stack (or a nested one whose parent is not known)
   */
  readonly parent?: NestedStackParent;
  /**
   * The templates loaded with this one (one validation's), which it may import values from (`Fn::ImportValue` of what
   * another exports). The template adds itself.
   *
   * @default - a set of its own: imports are not followed
   */
  readonly peers?: TemplatePeers;
}

/** Where a stack deploys and the tags CloudFormation gives it, as a stack artifact of the cloud assembly records them. */
export interface StackDeployment {
  /**
   * The account of the stack's environment.
   * @default - environment-agnostic
   */
  readonly account?: string;
  /**
   * The region of the stack's environment.
   * @default - environment-agnostic
   */
  readonly region?: string;
  /**
   * The name CloudFormation deploys the stack under.
   * @default - unknown
   */
  readonly stackName?: string;
  /**
   * The stack tags, which CloudFormation propagates to the stack's resources and nested stacks.
   * @default - none
   */
  readonly tags?: { readonly [key: string]: string };
}

/** A value as written in one template. */
export interface TemplateValueIn {
  /** The template the value is written in. */
  readonly stack: StackTemplate;
  /** The value. */
  readonly value: unknown;
}

/** Where a nested stack's template sits in its parent's. */
export interface NestedStackParent {
  /** The template of the parent stack. */
  readonly template: StackTemplate;
  /** Logical id of the nested stack's `AWS::CloudFormation::Stack` resource in the parent template. */
  readonly logicalId: string;
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
  /**
   * The parsed template (an object, possibly empty). For a template with the AWS SAM transform, its `Resources` are what
   * the transform makes of its serverless resources (`expandServerless`), so rules judge what deploys.
   */
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
  /** The name CloudFormation deploys the template's top-level stack under (for a nested stack's template, its parent's), when known. */
  public readonly stackName?: string;
  /**
   * Whether CDK wrote the template: its stack is in the construct tree, or a cloud assembly's manifest lists it. False for a
   * template judged on its own, outside any assembly, whose custom-resource providers are its author's, not CDK's.
   */
  public readonly writtenByCdk: boolean;
  /** Every resource, in template order. */
  public readonly resources: readonly TemplateResource[];
  /** For a nested stack's template, its parent's template and the logical id of its stack resource there. */
  public readonly parent?: NestedStackParent;
  /** The templates of the nested stacks indexed after this one, by the logical id of their stack resource in this template. */
  public readonly nestedStacks: ReadonlyMap<string, StackTemplate> = new Map();
  /** The templates loaded with this one, itself included. */
  public readonly peers: TemplatePeers;

  private readonly elements: ReadonlyMap<string, IConstruct>;
  private readonly deploymentTags: { readonly [key: string]: string };
  /** Resources the SAM transform adds, by the logical id of the serverless resource they come from. */
  private readonly generatedFrom: ReadonlyMap<string, string> = new Map();
  /** Serverless resources replaced, under their own logical id, by what the SAM transform makes of them. */
  private readonly serverlessExpanded: ReadonlySet<string> = new Set();
  private readonly byLogicalId = new Map<string, TemplateResource>();
  private readonly byType = new Map<string, TemplateResource[]>();
  private readonly memos = new Map<string, unknown>();
  private readonly conditions = new Map<string, boolean | undefined>();

  constructor(props: StackTemplateProps) {
    this.templatePath = props.templatePath;
    this.templateFile = path.basename(props.templatePath);
    const parsed = TemplateValue.isObject(props.template) ? props.template : {};
    const serverless = expandServerless(parsed);
    const conditions = serverless && Object.keys(serverless.conditions).length > 0
      ? { Conditions: { ...TemplateValue.isObject(parsed.Conditions) ? parsed.Conditions : {}, ...serverless.conditions } } : {};
    this.template = serverless ? { ...parsed, Resources: serverless.resources, ...conditions } : parsed;
    if (serverless) {
      this.generatedFrom = serverless.generatedFrom;
      this.serverlessExpanded = serverless.expanded;
    }
    this.stack = props.stack;
    this.stageName = props.stageName;
    this.durable = props.durable;
    this.elements = props.elements;
    this.path = props.stack?.node.path || this.templateFile.replace(/\.template\.json$/, '');
    this.account = props.stack ? literal(props.stack.account) : props.deployment?.account;
    this.region = props.stack ? literal(props.stack.region) : props.deployment?.region;
    this.stackName = props.stack ? literal(topLevelStack(props.stack).stackName) : props.deployment?.stackName;
    this.deploymentTags = props.deployment?.tags ?? {};
    this.writtenByCdk = props.stack !== undefined || props.deployment !== undefined;
    this.parent = props.parent;
    if (props.parent) (props.parent.template.nestedStacks as Map<string, StackTemplate>).set(props.parent.logicalId, this);
    this.peers = props.peers ?? new TemplatePeers();
    this.peers.add(this);

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

  /**
   * The stack tags CloudFormation deploys this template's stack with: a top-level stack's own `tags` (or those `Tags.of` a
   * stage or the app gives it), which CDK passes to CloudFormation; none for a nested stack's template, whose parent's
   * stack tags reach it.
   */
  public stackTags(): { readonly [key: string]: string } {
    if (this.stack) return this.stack.nested ? {} : this.stack.tags.tagValues();
    return this.parent ? {} : this.deploymentTags;
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
    const source = this.generatedFrom.get(logicalId);
    if (source !== undefined) return this.constructPathOf(source);
    for (const section of ['Resources', 'Parameters', 'Outputs', 'Conditions']) {
      const entries = this.template[section];
      const entry = TemplateValue.isObject(entries) ? entries[logicalId] : undefined;
      const metadata = TemplateValue.isObject(entry) ? entry.Metadata : undefined;
      const cdkPath = TemplateValue.isObject(metadata) ? metadata['aws:cdk:path'] : undefined;
      if (typeof cdkPath === 'string') return cdkPath;
    }
    return `${this.path}/${logicalId}`;
  }

  /**
   * The construct whose acknowledgements apply to a logical id: its element, else (for what the SAM transform adds) the
   * serverless resource's element, else the stack.
   */
  public ownerOf(logicalId: string): IConstruct | undefined {
    const source = this.generatedFrom.get(logicalId);
    return this.elements.get(logicalId) ?? (source !== undefined ? this.elements.get(source) : undefined) ?? this.stack;
  }

  /** For a resource the SAM transform adds (a function's role, an event's rule), the logical id of the serverless resource it comes from. */
  public serverlessSourceOf(logicalId: string): string | undefined {
    return this.generatedFrom.get(logicalId);
  }

  /** Whether the SAM transform writes this resource: one it adds, or a serverless resource it replaces under the same logical id. */
  public isServerlessExpansion(logicalId: string): boolean {
    return this.generatedFrom.has(logicalId) || this.serverlessExpanded.has(logicalId);
  }

  /**
   * For a nested stack's template, the value its parent passes to its parameter `name` (`Parameters` of the parent's
   * `AWS::CloudFormation::Stack`), with the parent's template it is written in; undefined for a top-level template or a
   * parameter the parent does not pass.
   */
  public parameterValue(name: string): TemplateValueIn | undefined {
    if (!this.parent) return undefined;
    const parameters = this.parent.template.resource(this.parent.logicalId)?.properties?.Parameters;
    const value = TemplateValue.isObject(parameters) ? parameters[name] : undefined;
    return value === undefined ? undefined : { stack: this.parent.template, value };
  }

  /**
   * What `Fn::GetAtt [logicalId, attribute]` reads when `logicalId` is a nested stack of this template and `attribute` one
   * of its outputs (`Outputs.<name>`): the output's `Value`, with the nested template it is written in.
   */
  public nestedOutput(logicalId: string, attribute: string): TemplateValueIn | undefined {
    const nested = attribute.startsWith('Outputs.') ? this.nestedStacks.get(logicalId) : undefined;
    const outputs = nested?.template.Outputs;
    const output = nested && TemplateValue.isObject(outputs) ? outputs[attribute.slice('Outputs.'.length)] : undefined;
    return nested && TemplateValue.isObject(output) && output.Value !== undefined ? { stack: nested, value: output.Value } : undefined;
  }

  /** What `Fn::ImportValue` of `name` reads: the value another template loaded with this one exports under that name. */
  public importedValue(name: string): TemplateValueIn | undefined {
    return this.peers.exported(name);
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

// CfnInclude keeps a template's outputs, conditions, mappings, rules and hooks in scopes of these names.
const SEPARATE_SECTION = /\/\$(Outputs|Conditions|Mappings|Rules|Hooks)\/[^/]+$/;

/**
 * Whether `candidate` takes a logical id that `existing` holds in a template's element map. CloudFormation keeps Outputs,
 * Conditions, Mappings, Rules and Hooks apart from the Resources and Parameters that `Ref` names, so one logical id may
 * name both an output and a resource (an included template's `Ledger` table and its `Ledger` output): the resource or
 * parameter keeps it, so findings, acknowledgements and library classes are the resource's.
 */
export function takesLogicalId(existing: IConstruct | undefined, candidate: IConstruct): boolean {
  return existing === undefined || !SEPARATE_SECTION.test(candidate.node.path) || SEPARATE_SECTION.test(existing.node.path);
}

/**
 * The resource of `type` whose literal `property` is `name`, for names unique per account and region (a KMS alias, a DB
 * subnet group): the template's own, else the one such resource of another template validated with it that deploys to
 * the same account and region (equal where both are known; an environment-agnostic stack may deploy anywhere);
 * undefined when there is none, or more than one. With `ignoreCase`, names compare in lower case (RDS stores subnet
 * group names so).
 */
export function resourceNamed(stack: StackTemplate, type: string, property: string, name: string, ignoreCase = false): TemplateResource | undefined {
  const normalize = (value: string) => (ignoreCase ? value.toLowerCase() : value);
  const byName = stack.peers.memo(`resource-named:${type}:${property}:${ignoreCase}`, () => {
    const resources = new Map<string, TemplateResource[]>();
    for (const template of stack.peers.templates) {
      for (const resource of template.resourcesOfType(type)) {
        const value = resource.properties?.[property];
        if (typeof value === 'string') resources.set(normalize(value), [...resources.get(normalize(value)) ?? [], resource]);
      }
    }
    return resources;
  });
  const named = byName.get(normalize(name)) ?? [];
  const own = named.find(resource => resource.stack === stack);
  if (own) return own;
  const same = (a?: string, b?: string) => a === undefined || b === undefined || a === b;
  const elsewhere = named.filter(resource => same(resource.stack.account, stack.account) && same(resource.stack.region, stack.region));
  return elsewhere.length === 1 ? elsewhere[0] : undefined;
}

/**
 * The templates one validation loads together (every stack of a stage, nested stacks included): where a template finds
 * the values others export, and where rules keep what they index across templates.
 */
export class TemplatePeers {
  private readonly members: StackTemplate[] = [];
  private exports?: Map<string, TemplateValueIn>;
  private readonly memos = new Map<string, unknown>();

  /** The templates, in the order they were loaded. */
  public get templates(): readonly StackTemplate[] {
    return this.members;
  }

  /** Adds a template (StackTemplate does it for itself); what was computed over the set before is dropped. */
  public add(template: StackTemplate): void {
    this.members.push(template);
    this.exports = undefined;
    this.memos.clear();
  }

  /** The value a template exports under a literal `Export.Name`; the first one loaded wins if two export one name. */
  public exported(name: string): TemplateValueIn | undefined {
    if (!this.exports) {
      this.exports = new Map();
      for (const stack of this.members) {
        const outputs = stack.template.Outputs;
        for (const output of Object.values(TemplateValue.isObject(outputs) ? outputs : {})) {
          if (!TemplateValue.isObject(output) || !TemplateValue.isObject(output.Export)) continue;
          const exportName = output.Export.Name;
          if (typeof exportName === 'string' && !this.exports.has(exportName)) this.exports.set(exportName, { stack, value: output.Value });
        }
      }
    }
    return this.exports.get(name);
  }

  /** Computes a value over the whole set once, whichever rule or template asks first. */
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
  return TemplateValue.literalObject(properties);
}

function literal(value: string | undefined): string | undefined {
  return value !== undefined && !Token.isUnresolved(value) ? value : undefined;
}

/** The stack CloudFormation deploys on its own: the stack itself, or the top-level parent of a nested stack. */
function topLevelStack(stack: Stack): Stack {
  let top = stack;
  while (top.nestedStackParent) top = top.nestedStackParent;
  return top;
}
