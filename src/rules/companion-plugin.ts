import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stack, Stage, Validations } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { acknowledgedRules } from './acknowledgements';
import { sourceLocationOf } from './source-location';
import { CDK_NAG_PACKS } from '../config/cdk-nag-packs';

/** One finding of a companion pack on one construct, acknowledged or not. */
export interface CompanionFinding {
  /** The pack's rule id, e.g. `AwsSolutions-S1`. */
  readonly ruleId: string;
  /** `error`, `warning` or another severity the pack reports. */
  readonly severity: string;
  /** What the pack says is wrong. */
  readonly message: string;
  /** How to fix it, when the pack says. */
  readonly fix?: string;
  /** Construct path of the resource. */
  readonly constructPath: string;
  /** Template of the resource, when the pack names one. */
  readonly templatePath?: string;
  /** Source file of the user code that created the construct, when CDK recorded it. */
  readonly sourceFile?: string;
  /** Line in `sourceFile`. */
  readonly sourceLine?: number;
  /** Reason of the acknowledgement on the construct or a parent, when acknowledged. */
  readonly acknowledgedReason?: string;
}

/** What one companion pack found in one validation. */
export interface CompanionResult {
  /** The pack's plugin name, e.g. `AwsSolutions`. */
  readonly name: string;
  /** The pack's version, when it says. */
  readonly version?: string;
  /** Every finding, acknowledged ones included. */
  readonly findings: readonly CompanionFinding[];
  /** Set when the pack itself failed; it then has no findings. */
  readonly error?: string;
}

// A cdk-nag 3 NagPack, read structurally so this package never loads cdk-nag for users who do not enable a pack.
interface NagPackLike extends IPolicyValidationPlugin {
  validateScope(scope: IConstruct): PolicyValidationPluginReport;
}

// Severity of acknowledged findings in CDK's report: shown, never failing synth (as FintechChecks does).
const ACKNOWLEDGED_SEVERITY = 'info';

/**
 * Runs another validation plugin (a cdk-nag 3 pack, say) once per validation for two readers: CDK, which calls it as a
 * registered plugin and shows its violations under the pack's own name, and `FintechChecks`, which writes its findings
 * into the SARIF and Markdown reports. A cdk-nag pack is run on the construct tree (`validateScope`: aws-cdk-lib 2.257 gives
 * plugins templates only, which cdk-nag 3.0.2 cannot judge), with acknowledgements read the way `FintechChecks` reads
 * them, so an acknowledged finding stays visible with its reason instead of vanishing.
 */
export class CompanionPlugin implements IPolicyValidationPlugin {
  /**
   * A cdk-nag 3 pack by name (`AwsSolutions`, `HIPAA.Security`, ...), loaded from the `cdk-nag` package only now.
   * Throws, naming `at` and the fix, when the name is unknown or `cdk-nag` is not installed.
   */
  public static cdkNag(scope: IConstruct, pack: string, at: string): CompanionPlugin {
    const className = CDK_NAG_PACKS[pack];
    if (!className) {
      throw new Error(`${at}: cdkNagPacks names "${pack}", which is not a cdk-nag 3 pack; use some of ${Object.keys(CDK_NAG_PACKS).join(', ')}.`);
    }
    let cdkNag: { [name: string]: new () => IPolicyValidationPlugin };
    try {
      // Loaded only when a pack is asked for: cdk-nag is optional for users of this package.
      // eslint-disable-next-line @typescript-eslint/no-require-imports, import/no-extraneous-dependencies
      cdkNag = require('cdk-nag');
    } catch (error) {
      throw new Error(`${at}: cdkNagPacks lists "${pack}", but the cdk-nag package cannot be loaded (${(error as Error).message.split('\n')[0]}). ` +
        'Run npx projen, which adds cdk-nag to a repo that lists packs, or npm install cdk-nag@^3.0.2.');
    }
    return new CompanionPlugin(scope, new cdkNag[className]());
  }

  /** The wrapped plugin's name, so CDK's report shows the pack's findings under it. */
  public readonly name: string;
  /** The wrapped plugin's version. */
  public readonly version?: string;
  /** The wrapped plugin's rule ids. */
  public readonly ruleIds?: string[];

  private cached?: { key: string; result: CompanionResult };

  /**
   * @param scope the construct tree a cdk-nag pack judges (a stage, or the app)
   * @param plugin the pack
   */
  constructor(private readonly scope: IConstruct, private readonly plugin: IPolicyValidationPlugin) {
    this.name = plugin.name;
    this.version = plugin.version;
    this.ruleIds = plugin.ruleIds;
  }

  /** CDK's entry point: the pack's open findings as violations, acknowledged ones as information with the reason. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const result = this.run(context);
    if (result.error) return { success: false, violations: [], metadata: { error: result.error } };
    const violations: PolicyViolation[] = result.findings.map(f => ({
      ruleName: f.ruleId,
      description: f.acknowledgedReason === undefined ? f.message : `acknowledged ("${f.acknowledgedReason}"): ${f.message}`,
      ...(f.fix ? { fix: f.fix } : {}),
      severity: f.acknowledgedReason === undefined ? f.severity : ACKNOWLEDGED_SEVERITY,
      violatingResources: [{ constructPath: f.constructPath, templatePath: f.templatePath ?? '', locations: ['Properties'] }],
    }));
    return {
      success: violations.every(v => v.severity !== 'error'),
      violations,
      ...(this.version ? { pluginVersion: this.version } : {}),
      metadata: { acknowledged: String(result.findings.filter(f => f.acknowledgedReason !== undefined).length) },
    };
  }

  /** The pack's findings for these templates, computed once whichever reader asks first. */
  public run(context: IPolicyValidationContext): CompanionResult {
    // The same templates written again (a second synth) are a new validation: their modification times are in the key.
    const key = context.templatePaths.map(file => `${file}@${modifiedAt(file)}`).join('\n');
    if (this.cached?.key === key) return this.cached.result;
    let result: CompanionResult;
    try {
      result = { name: this.name, ...(this.version ? { version: this.version } : {}), findings: this.findings(context) };
    } catch (error) {
      result = { name: this.name, findings: [], error: `${this.name} failed: ${(error as Error).message}` };
    }
    this.cached = { key, result };
    return result;
  }

  private findings(context: IPolicyValidationContext): CompanionFinding[] {
    const nodes = new Map<string, IConstruct>();
    const pack = this.plugin as Partial<NagPackLike>;
    let report: PolicyValidationPluginReport;
    if (typeof pack.validateScope === 'function') {
      // cdk-nag drops acknowledged findings; reading acknowledgements here keeps them, with their reasons.
      const own = pack as unknown as { isAcknowledged?: unknown };
      const intercept = typeof own.isAcknowledged === 'function';
      if (intercept) {
        Object.defineProperty(pack, 'isAcknowledged', {
          configurable: true,
          value: (node: IConstruct) => { nodes.set(node.node.path, node); return false; },
        });
      }
      try {
        report = pack.validateScope(Stage.isStage(this.scope) ? this.scope : Stage.of(this.scope) ?? this.scope.node.root);
      } finally {
        if (intercept) delete (pack as { isAcknowledged?: unknown }).isAcknowledged;
      }
    } else {
      report = this.plugin.validate(context);
    }
    const findings: CompanionFinding[] = [];
    for (const violation of report.violations) {
      for (const resource of violation.violatingResources) {
        const constructPath = resource.constructPath ?? '';
        const node = nodes.get(constructPath);
        const reason = node ? acknowledgedRules(node).get(violation.ruleName) : undefined;
        const site = sourceLocationOf(node);
        const templatePath = resource.templatePath || (node ? templateOf(node) : undefined);
        findings.push({
          ruleId: violation.ruleName,
          severity: violation.severity ?? 'error',
          message: violation.description,
          ...(violation.fix ? { fix: violation.fix } : {}),
          constructPath,
          ...(templatePath ? { templatePath } : {}),
          ...(site ? { sourceFile: site.file, sourceLine: site.line } : {}),
          ...(reason !== undefined ? { acknowledgedReason: reason } : {}),
        });
      }
    }
    return findings.sort((a, b) => a.ruleId.localeCompare(b.ruleId) || a.constructPath.localeCompare(b.constructPath));
  }
}

// The template a construct's stack writes, for packs that name only the construct.
function templateOf(node: IConstruct): string | undefined {
  const stack = node.node.scopes.slice().reverse().find(Stack.isStack);
  const stage = stack ? Stage.of(stack) : undefined;
  return stack && stage ? path.resolve(stage.outdir, stack.templateFile) : undefined;
}

/**
 * Wraps each plugin (a cdk-nag pack, say) in a `CompanionPlugin` and registers the wrappers on the stage of `scope`, so CDK
 * runs each once and shows its findings under its own name; returns the wrappers for `FintechChecks` to read.
 */
export function registerCompanions(scope: IConstruct, plugins: readonly IPolicyValidationPlugin[]): CompanionPlugin[] {
  const companions = plugins.map(plugin => (plugin instanceof CompanionPlugin ? plugin : new CompanionPlugin(scope, plugin)));
  if (companions.length > 0) Validations.of(scope).addPlugins(...companions);
  return companions;
}

/**
 * Under an aws-cdk CLI that ignores the validation report (see `FintechChecks`), prints the companions' open errors and
 * makes the app exit 1, as `FintechChecks` does for its own.
 */
export function failOnCompanionErrors(results: readonly CompanionResult[]): void {
  const errors = results.flatMap(result => [
    ...(result.error ? [`  x ${result.name}: ${result.error}`] : []),
    ...result.findings.filter(f => f.severity === 'error' && f.acknowledgedReason === undefined).map(f => `  x ${f.ruleId}  ${f.constructPath}\n      ${f.message}`),
  ]);
  if (errors.length === 0) return;
  process.stderr.write(`\ncdk-nag found ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${errors.join('\n')}\n` +
    'Fix them, or acknowledge one finding on one construct with a reason: Validations.of(construct).acknowledge({ id, reason }).\n\n');
  process.exitCode = 1;
}

function modifiedAt(file: string): number {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}
