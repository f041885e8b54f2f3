import * as fs from 'fs';
import * as path from 'path';
import { CfnElement, Stack, Stage } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { StackTemplate } from './stack-template';
import { RecordedStageSettings, recordedStageSettings } from '../config/stage-context';

/** How `TemplateIndex` decides the stage of each template. */
export interface TemplateIndexOptions {
  /** Judge every template as this stage instead of its enclosing one. */
  readonly stage?: string;
  /** Stage names that are durable. */
  readonly durableStages: readonly string[];
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
    const logicalId: unknown = element.stack.resolve(element.logicalId);
    if (typeof logicalId !== 'string') return;
    let ofStack = this.elements.get(element.stack);
    if (!ofStack) this.elements.set(element.stack, ofStack = new Map());
    ofStack.set(logicalId, element);
  }
}

/**
 * Loads the synthesized templates a validation plugin receives and maps each to its stack,
 * its stage (and whether that is durable) and its constructs, walking the construct tree once.
 * Works in a bare `new App()` too, where templates carry no `aws:cdk:path` metadata.
 * Nested stacks' templates, which CDK does not pass to plugins, are added after their parents.
 */
export class TemplateIndex {
  /** Indexes the templates, searching the tree from the stage enclosing `scope` (the root if a template is not found there). */
  public static load(scope: IConstruct, templatePaths: readonly string[], options: TemplateIndexOptions): StackTemplate[] {
    return new TemplateIndex(scope, options).load(templatePaths);
  }

  private readonly scans = new Map<IConstruct, ConstructTreeScan>();

  private constructor(private readonly scope: IConstruct, private readonly options: TemplateIndexOptions) {}

  private load(templatePaths: readonly string[]): StackTemplate[] {
    const templates: StackTemplate[] = [];
    const seen = new Set<string>();
    const add = (templatePath: string, stack: Stack | undefined, scan: ConstructTreeScan | undefined) => {
      const resolved = path.resolve(templatePath);
      if (seen.has(resolved)) return;
      seen.add(resolved);
      templates.push(this.template(resolved, stack, scan));
      for (const child of (stack && scan?.nested.get(stack)) ?? []) {
        const childPath = path.join(path.dirname(resolved), child.templateFile);
        if (fs.existsSync(childPath)) add(childPath, child, scan);
      }
    };
    for (const templatePath of templatePaths) {
      const found = this.find(templatePath);
      add(templatePath, found?.stack, found?.scan);
    }
    return templates;
  }

  private template(templatePath: string, stack: Stack | undefined, scan: ConstructTreeScan | undefined): StackTemplate {
    let template: unknown;
    try {
      template = JSON.parse(fs.readFileSync(templatePath, 'utf-8'));
    } catch (error) {
      throw new Error(`FintechChecks cannot read the template ${templatePath}: ${(error as Error).message}`);
    }
    // Outside a FintechStage, the stage the library's constructs followed (context or the durable default), if they recorded one.
    const recorded = this.options.stage === undefined && stack ? recordedSettingsOf(stack) : undefined;
    const stageName = this.options.stage ?? (recorded?.stageName || (stack ? Stage.of(stack)?.stageName ?? '' : ''));
    return new StackTemplate({
      templatePath,
      template,
      stack,
      stageName,
      durable: recorded?.durable ?? this.options.durableStages.includes(stageName),
      elements: (stack && scan?.elements.get(stack)) ?? new Map(),
    });
  }

  // By full path in the plugin's own stage (one walk of that subtree), then in the whole app; by file name only as a last resort.
  private find(templatePath: string): { stack: Stack; scan: ConstructTreeScan } | undefined {
    const own = this.ownScan();
    const byPath = own.stackOf(templatePath, false);
    if (byPath) return { stack: byPath, scan: own };
    const root = this.rootScan();
    const stack = root.stackOf(templatePath, false) ?? root.stackOf(templatePath, true);
    return stack ? { stack, scan: root } : undefined;
  }

  private ownScan(): ConstructTreeScan {
    const stage = Stage.isStage(this.scope) ? this.scope : Stage.of(this.scope);
    return this.scanOf(stage ?? this.scope.node.root);
  }

  private rootScan(): ConstructTreeScan {
    return this.scanOf(this.scope.node.root);
  }

  private scanOf(root: IConstruct): ConstructTreeScan {
    let scan = this.scans.get(root);
    if (!scan) this.scans.set(root, scan = new ConstructTreeScan(root));
    return scan;
  }
}

// A nested stack follows the settings its top-level stack recorded.
function recordedSettingsOf(stack: Stack): RecordedStageSettings | undefined {
  for (let current: Stack | undefined = stack; current; current = current.nestedStackParent) {
    const recorded = recordedStageSettings(current.node.metadata);
    if (recorded) return recorded;
  }
  return undefined;
}
