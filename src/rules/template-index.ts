import * as fs from 'fs';
import * as path from 'path';
import { CfnElement, IResolveContext, Stack, Stage, Token, Tokenization } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { NestedStackParent, StackTemplate, TemplatePeers, takesLogicalId } from './stack-template';
import { TemplateValue } from './template-value';
import { RecordedStageSettings, recordedStageSettings } from '../config/stage-context';

/** How `TemplateIndex` decides the stage of each template. */
export interface TemplateIndexOptions {
  /** Judge every template as this stage instead of its enclosing one. */
  readonly stage?: string;
  /** Stage names that are durable; a stage inside a durable stage is durable too. */
  readonly durableStages: readonly string[];
  /**
   * The validation plugin loading the templates. When it is registered on the stage of the scope, a template is left out
   * if a stage between its stack and that stage registers another plugin of the same name: CDK hands an outer stage's
   * plugins the templates of the stages inside it too, and each stack is judged once, by the pack of its nearest stage.
   *
   * @default - every template is loaded
   */
  readonly plugin?: { readonly name: string };
}

/** What one synth of an app shares between the packs of its stages: one walk of the tree, each template parsed once. */
interface SynthCache {
  /** When the app's cloud assembly was written: a new synth writes it again. */
  readonly stamp: number;
  readonly scan: ConstructTreeScan;
  readonly templates: Map<string, unknown>;
}

const SYNTH_CACHES = new WeakMap<IConstruct, SynthCache>();

function synthCacheOf(root: IConstruct): SynthCache {
  let stamp = NaN;
  try {
    if (Stage.isStage(root)) stamp = fs.statSync(path.join(root.outdir, 'manifest.json')).mtimeMs;
  } catch {
    // no assembly written yet: nothing to share
  }
  const cached = SYNTH_CACHES.get(root);
  if (cached && cached.stamp === stamp) return cached;
  const fresh: SynthCache = { stamp, scan: new ConstructTreeScan(root), templates: new Map() };
  if (!Number.isNaN(stamp)) SYNTH_CACHES.set(root, fresh);
  return fresh;
}

/** Stacks and their elements found under one construct, from one walk of the tree. */
class ConstructTreeScan {
  public readonly byTemplatePath = new Map<string, Stack>();
  public readonly byTemplateFile = new Map<string, Stack[]>();
  public readonly nested = new Map<Stack, Stack[]>();
  public readonly elements = new Map<Stack, Map<string, IConstruct>>();

  constructor(root: IConstruct) {
    const pending: IConstruct[] = [root];
    while (pending.length > 0) {
      const construct = pending.pop()!;
      if (Stack.isStack(construct)) this.addStack(construct);
      else if (CfnElement.isCfnElement(construct)) this.addElement(construct);
      pending.push(...construct.node.children);
    }
  }

  /** The stack that wrote `templatePath`, matched by full path or, with `byFileName`, by a unique file name. */
  public stackOf(templatePath: string, byFileName: boolean): Stack | undefined {
    if (!byFileName) return this.byTemplatePath.get(path.resolve(templatePath));
    const candidates = this.byTemplateFile.get(path.basename(templatePath)) ?? [];
    return candidates.length === 1 ? candidates[0] : undefined;
  }

  private addStack(stack: Stack): void {
    const stage = Stage.of(stack);
    if (stage) this.byTemplatePath.set(path.resolve(stage.outdir, stack.templateFile), stack);
    const sameName = this.byTemplateFile.get(stack.templateFile);
    if (sameName) sameName.push(stack); else this.byTemplateFile.set(stack.templateFile, [stack]);
    if (stack.nestedStackParent) {
      const siblings = this.nested.get(stack.nestedStackParent);
      if (siblings) siblings.push(stack); else this.nested.set(stack.nestedStackParent, [stack]);
    }
  }

  private addElement(element: CfnElement): void {
    const logicalId = logicalIdOf(element);
    if (typeof logicalId !== 'string') return;
    let ofStack = this.elements.get(element.stack);
    if (!ofStack) this.elements.set(element.stack, ofStack = new Map());
    if (takesLogicalId(ofStack.get(logicalId), element)) ofStack.set(logicalId, element);
  }
}

/**
 * Loads the synthesized templates a validation plugin receives and maps each to its stack,
 * its stage (and whether that is durable) and its constructs, walking the construct tree once.
 * Works in a bare `new App()` too, where templates carry no `aws:cdk:path` metadata.
 * Nested stacks' templates, which CDK does not pass to plugins, are added after their parents.
 */
export class TemplateIndex {
  /** Indexes the templates, finding their stacks in the app that holds `scope`; the stage of `scope` is the plugin's stage. */
  public static load(scope: IConstruct, templatePaths: readonly string[], options: TemplateIndexOptions): StackTemplate[] {
    return new TemplateIndex(scope, options).load(templatePaths);
  }

  /**
   * Template paths of every top-level stack of the app holding `scope` whose stage has written its assembly, from the
   * walk of the tree this synth already made (nested stacks come with their parents when loaded).
   */
  public static appTemplatePaths(scope: IConstruct): string[] {
    const { scan } = synthCacheOf(scope.node.root);
    return [...scan.byTemplatePath].filter(([, stack]) => !stack.nested).map(([file]) => file);
  }

  private readonly cache: SynthCache;
  private readonly ownStage?: Stage;

  private constructor(scope: IConstruct, private readonly options: TemplateIndexOptions) {
    this.cache = synthCacheOf(scope.node.root);
    this.ownStage = Stage.isStage(scope) ? scope : Stage.of(scope);
  }

  private load(templatePaths: readonly string[]): StackTemplate[] {
    const scan = this.cache.scan;
    const templates: StackTemplate[] = [];
    const seen = new Set<string>();
    const peers = new TemplatePeers();
    const add = (templatePath: string, stack: Stack | undefined, parent?: NestedStackParent) => {
      const resolved = path.resolve(templatePath);
      if (seen.has(resolved)) return;
      seen.add(resolved);
      const template = this.template(resolved, stack, parent, peers);
      templates.push(template);
      for (const child of (stack && scan.nested.get(stack)) ?? []) {
        const childPath = path.join(path.dirname(resolved), child.templateFile);
        const logicalId = child.nestedStackResource ? logicalIdOf(child.nestedStackResource) : undefined;
        if (fs.existsSync(childPath)) add(childPath, child, typeof logicalId === 'string' ? { template, logicalId } : undefined);
      }
    };
    for (const templatePath of templatePaths) {
      // By full path; by file name only as a last resort (a template copied elsewhere).
      const stack = scan.stackOf(templatePath, false) ?? scan.stackOf(templatePath, true);
      if (stack && this.judgedByAnInnerPack(stack)) continue;
      add(templatePath, stack);
    }
    return templates;
  }

  /** Stages from the stack's own up to (not including) the plugin's stage; every enclosing stage when the plugin's stage does not enclose it. */
  private stagesBetween(stack: Stack): Stage[] {
    const stages: Stage[] = [];
    for (let stage = Stage.of(stack); stage && stage !== this.ownStage; stage = Stage.of(stage)) stages.push(stage);
    return stages;
  }

  private judgedByAnInnerPack(stack: Stack): boolean {
    const plugin = this.options.plugin;
    if (!plugin || !this.ownStage || !pluginsOf(this.ownStage).includes(plugin)) return false;
    const between = this.stagesBetween(stack);
    if (between.length > 0 && !Stage.of(between[between.length - 1])) return false; // not inside the plugin's stage
    return between.some(stage => pluginsOf(stage).some(other => other !== plugin && other.name === plugin.name));
  }

  // A stage inside a durable stage deploys with it: any stage from the stack's up to the plugin's, by full or own name.
  private durableAround(stack: Stack): boolean {
    for (let stage = Stage.of(stack); stage && Stage.of(stage); stage = Stage.of(stage)) {
      if (this.options.durableStages.includes(stage.stageName) || this.options.durableStages.includes(ownNameOf(stage))) return true;
      if (stage === this.ownStage) break;
    }
    return false;
  }

  private template(templatePath: string, stack: Stack | undefined, parent: NestedStackParent | undefined, peers: TemplatePeers): StackTemplate {
    let template = this.cache.templates.get(templatePath);
    if (template === undefined) {
      try {
        template = JSON.parse(fs.readFileSync(templatePath, 'utf-8'));
      } catch (error) {
        throw new Error(`FintechChecks cannot read the template ${templatePath}: ${(error as Error).message}`);
      }
      this.cache.templates.set(templatePath, template);
    }
    // Outside a FintechStage, the stage the library's constructs followed (context or the durable default), if they recorded one.
    const recorded = this.options.stage === undefined && stack ? recordedSettingsOf(stack) : undefined;
    const stageName = this.options.stage ?? (recorded?.stageName || (stack ? Stage.of(stack)?.stageName ?? '' : ''));
    const durable = recorded?.durable
      ?? (this.options.durableStages.includes(stageName) || (this.options.stage === undefined && stack !== undefined && this.durableAround(stack)));
    return new StackTemplate({
      templatePath,
      template,
      stack,
      stageName,
      durable,
      elements: (stack && this.cache.scan.elements.get(stack)) ?? new Map(),
      parent,
      peers,
    });
  }
}

// Where `CfnElement.overrideLogicalId` keeps its value (aws-cdk-lib 2.257; a class field, so present on every element).
const OVERRIDE_FIELD = '_logicalIdOverride';

/**
 * The element's logical id as synth wrote it. CDK's `logicalId` token produces `overrideLogicalId`'s value, else what
 * the stack allocates (`Stack.getLogicalId`): read those two directly, which skips parsing the token string and resolving
 * it (most of this walk's cost). Where the element class does not declare the override field, the token is resolved
 * the general way.
 */
function logicalIdOf(element: CfnElement): unknown {
  if (OVERRIDE_FIELD in element) {
    const override: unknown = (element as unknown as { [OVERRIDE_FIELD]?: unknown })[OVERRIDE_FIELD];
    if (override === undefined || typeof override === 'string') {
      const value = override || element.stack.getLogicalId(element);
      if (!Token.isUnresolved(value)) return value;
    }
  }
  const fragments = Tokenization.reverseString(element.logicalId);
  const token = fragments.length === 1 ? fragments.firstToken : undefined;
  if (token) {
    const context: IResolveContext = {
      scope: element,
      preparing: false,
      documentPath: [],
      resolve: value => element.stack.resolve(value),
      registerPostProcessor: () => undefined,
    };
    const value: unknown = token.resolve(context);
    if (typeof value === 'string' && !Token.isUnresolved(value)) return value;
  }
  return element.stack.resolve(element.logicalId);
}

/** The name a stage was given, without the names of the stages around it (CDK joins them with '-'). */
function ownNameOf(stage: Stage): string {
  const parent = Stage.of(stage)?.stageName;
  return parent && stage.stageName.startsWith(`${parent}-`) ? stage.stageName.slice(parent.length + 1) : stage.stageName;
}

/** The validation plugins registered on a stage (CDK keeps them on the stage; no public reader exists in 2.257). */
function pluginsOf(stage: Stage): ReadonlyArray<{ readonly name?: unknown }> {
  const plugins: unknown = (stage as unknown as { _validationPlugins?: unknown })._validationPlugins;
  return Array.isArray(plugins) ? plugins.filter(TemplateValue.isObject) : [];
}

// A nested stack follows the settings its top-level stack recorded.
function recordedSettingsOf(stack: Stack): RecordedStageSettings | undefined {
  for (let current: Stack | undefined = stack; current; current = current.nestedStackParent) {
    const recorded = recordedStageSettings(current.node.metadata);
    if (recorded) return recorded;
  }
  return undefined;
}
