import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation, Stage } from 'aws-cdk-lib';
import * as cxapi from 'aws-cdk-lib/cx-api';
import { Construct, IConstruct } from 'constructs';
import { assemblyTemplates } from './assembly-templates';
import { CompanionPlugin, CompanionResult, failOnCompanionErrors, registerCompanions } from './companion-plugin';
import { FintechFinding } from './fintech-finding';
import { FINTECH_RULES } from './fintech-rules';
import { companionMarkdown, companionSarifRuns } from './reports/companion-report';
import { markdownReport } from './reports/markdown-report';
import { CHECKS_REPORT_DIR_CONTEXT } from '../config/report-context';
import { sarifReport } from './reports/sarif-report';
import { controlsOf } from './rule-controls';
import { RuleEngine } from './rule-engine';
import { RuleInfo } from './rule-info';
import { RuleSeverity } from './rule-severity';
import { StackTemplate } from './stack-template';
import { TemplateIndex } from './template-index';
import { DEFAULT_ENVIRONMENTS, DEFAULT_REQUIRED_TAG_KEYS } from '../config/config-validation';
import { LAMBDA_UNRESERVED_CONCURRENCY_MINIMUM } from '../facts/lambda-limits';

export * from './fintech-finding';
export * from './rule-info';
export * from './rule-severity';

/** Properties of `FintechChecks`. */
export interface FintechChecksProps {
  /**
   * Judge every template as this stage, whatever stage encloses its stack.
   *
   * @default - each stack's enclosing stage name ('' for stacks directly in the app)
   */
  readonly stage?: string;

  /**
   * Stage names whose data must outlive their stacks (C02 then requires retention and deletion protection);
   * '' names stacks directly in the app. A stack outside a `FintechStage` whose library constructs recorded their
   * settings (`fintech:stage` context or the durable default, see `FintechStage.settingsOf`) is judged by those instead.
   *
   * @default ['staging', 'prod']
   */
  readonly durableStages?: string[];

  /**
   * Tag keys every taggable resource must carry (C01).
   *
   * @default ['Environment', 'Team', 'CostCenter', 'Application']
   */
  readonly requiredTagKeys?: string[];

  /**
   * Lambda concurrency limit of each account and region; reserved concurrency may use all but 100 of it (C15).
   *
   * @default 1000
   */
  readonly accountConcurrencyLimit?: number;

  /**
   * Rule ids reported as warnings instead of errors, e.g. `['Fintech-C01-RequiredTags']`.
   *
   * @default - every rule at its default severity
   */
  readonly warningRules?: string[];

  /**
   * Other validation plugins, e.g. cdk-nag 3 packs (`new AwsSolutionsChecks()`), whose findings join this pack's SARIF and
   * Markdown reports, each under its own rule ids and tool name, acknowledgements (`Validations.of(construct).acknowledge({
   * id: 'AwsSolutions-S1', reason })`) shown with their reasons. The pack registers them on its scope's stage, so CDK's report
   * lists their findings under their own names and each runs once per synth: do not register them yourself as well.
   * A cdk-nag pack is run on the construct tree, which cdk-nag 3.0.2 needs and aws-cdk-lib 2.257 does not hand to plugins.
   *
   * @default - none
   */
  readonly companions?: IPolicyValidationPlugin[];
}

// The durable stages of the template's default environments: one home for which names are durable by default.
const DEFAULT_DURABLE_STAGES = DEFAULT_ENVIRONMENTS.filter(env => env.durable).map(env => env.name);
// AWS's default Lambda concurrency quota per account and region.
const DEFAULT_ACCOUNT_CONCURRENCY_LIMIT = 1000;

/**
 * The fintech rule pack, a CDK validation plugin: it judges the synthesized templates (raw
 * `Cfn*` resources, overrides and escape hatches included) against the failure catalog,
 * each stack by the rules of its own stage. Register it beside cdk-nag packs with
 * `Validations.of(app).addPlugins(new FintechChecks(app))`; every `FintechStage` registers one.
 *
 * Or construct it without a scope, the way cdk-nag 3 packs are: `new FintechChecks()`, `FintechChecks.fromProps(props)`
 * or, from JavaScript, `new FintechChecks(props)`. It then reads the construct paths, logical ids, recorded stage settings
 * and acknowledgements from the cloud assembly instead of the construct tree, the library class of every construct from
 * its construct tree file (tree.json; an app with `treeMetadata: false` writes none, and then no class is known), so what
 * aws-cdk-lib creates is told from the app's code as with a scope, and each stack's account, region and stack tags from
 * its artifact. A scope still sees more: what a library construct holds in a property is known only where a template
 * reference shows it, acknowledgements made on the app or a stage outside every stack are not in the assembly, and the
 * `companions` option needs a scope to register on.
 * A stack outside a `FintechStage` whose constructs followed `fintech:stage` context or the durable default
 * (`FintechStage.settingsOf`) is judged by those settings.
 *
 * Acknowledge one finding on one construct and its children with the bare rule id:
 * `Validations.of(bucket).acknowledge({ id: 'Fintech-C02-EphemeralRetainsData', reason: '...' })`.
 * Acknowledged findings stay visible: as `info` entries of CDK's report (with the reason), in the
 * report's metadata, and in `acknowledgedFindings`.
 * (An id qualified as `FintechChecks::<id>` makes CDK drop that rule from the whole report.)
 * A rule that cannot judge a resource reports a `Fintech-RuleFailed` warning instead of failing the synth.
 *
 * With the context value `fintech:checks-report-dir` set (`cdk synth -c fintech:checks-report-dir=reports/fintech-checks`, which
 * the `fintech-checks` task of generated repos runs), each pack also writes `<stage>.sarif` (SARIF 2.1.0 for GitHub code
 * scanning, located at the source line that created each construct) and `<stage>.md` (a Markdown summary) into that directory.
 */
export class FintechChecks implements IPolicyValidationPlugin {
  /** Context key naming the directory SARIF and Markdown reports are written to; unset, none are written. */
  public static readonly REPORT_DIR_CONTEXT = CHECKS_REPORT_DIR_CONTEXT;

  /**
   * A pack constructed without a scope, as cdk-nag 3 packs are: `Validations.of(app).addPlugins(FintechChecks.fromProps({ stage: 'prod' }))`.
   * Same as `new FintechChecks(undefined, props)`.
   */
  public static fromProps(props: FintechChecksProps = {}): FintechChecks {
    return new FintechChecks(undefined, props);
  }

  /** Metadata of every rule in the pack, in catalog order. */
  public static rules(): RuleInfo[] {
    // Copies: a caller may change what it gets without changing the pack.
    return ruleInfos().map(({ controls, ...info }) => ({
      ...info,
      controls: controls && { ...controls, controlTower: [...controls.controlTower], pciDss: [...controls.pciDss] },
    }));
  }

  /** Plugin name shown in CDK's validation report. */
  public readonly name: string = 'FintechChecks';
  /** Version of this package. */
  public readonly version?: string;
  /** Ids of every rule in the pack. */
  public readonly ruleIds?: string[];

  private readonly scope?: IConstruct;
  private readonly stage?: string;
  private readonly durableStages: string[];
  private readonly engine: RuleEngine;
  private readonly companions: CompanionPlugin[];
  private companionResults: CompanionResult[] = [];
  private report?: PolicyValidationPluginReport;
  private lastFindings: FintechFinding[] = [];

  /**
   * @param scope the app or stage the pack is registered on, for construct paths, acknowledgements and context from the
   * construct tree; without one, they come from the cloud assembly (see the class docs). JavaScript may pass the props
   * here instead, the cdk-nag 3 way.
   * @param props options of the pack
   */
  constructor(scope?: IConstruct, props: FintechChecksProps = {}) {
    if (scope !== undefined && scope !== null && !Construct.isConstruct(scope)) {
      if (typeof scope !== 'object' || Object.keys(props).length > 0) {
        throw new Error(`FintechChecks: the first argument is ${describeArgument(scope)}, not a construct, and the props are given too. ` +
          'Pass a scope and props (new FintechChecks(app, props)), or only props (new FintechChecks(props), FintechChecks.fromProps(props)).');
      }
      props = scope as FintechChecksProps;
      scope = undefined;
    }
    scope = scope ?? undefined;
    const ruleIds = ruleInfos().map(info => info.id);
    const requiredTagKeys = props.requiredTagKeys ?? DEFAULT_REQUIRED_TAG_KEYS;
    const accountConcurrencyLimit = props.accountConcurrencyLimit ?? DEFAULT_ACCOUNT_CONCURRENCY_LIMIT;
    const warningRules = props.warningRules ?? [];
    const at = scope ? `FintechChecks at ${scope.node.path || '(app)'}` : 'FintechChecks';

    requiredTagKeys.forEach((key, i) => {
      if (typeof key !== 'string' || key.trim().length === 0) {
        throw new Error(`${at}: requiredTagKeys[${i}] is ${JSON.stringify(key)}; tag keys cannot be empty. Remove the entry or name the tag.`);
      }
    });
    if (typeof accountConcurrencyLimit !== 'number' || !Number.isInteger(accountConcurrencyLimit) || accountConcurrencyLimit <= LAMBDA_UNRESERVED_CONCURRENCY_MINIMUM) {
      throw new Error(`${at}: accountConcurrencyLimit is ${accountConcurrencyLimit}; it must be a whole number above ${LAMBDA_UNRESERVED_CONCURRENCY_MINIMUM}, ` +
        `because AWS keeps ${LAMBDA_UNRESERVED_CONCURRENCY_MINIMUM} executions unreserved. Use your account's Lambda concurrency quota (the default is ${DEFAULT_ACCOUNT_CONCURRENCY_LIMIT}).`);
    }
    warningRules.forEach((id, i) => {
      if (!ruleIds.includes(id)) {
        throw new Error(`${at}: warningRules[${i}] is "${id}", which is not a rule of the pack. Use one of: ${ruleIds.join(', ')}.`);
      }
    });

    this.scope = scope;
    this.stage = props.stage;
    this.durableStages = [...(props.durableStages ?? DEFAULT_DURABLE_STAGES)];
    this.ruleIds = ruleIds;
    this.version = packageVersion();
    this.engine = new RuleEngine({
      rules: FINTECH_RULES,
      settings: { requiredTagKeys: [...requiredTagKeys], accountConcurrencyLimit },
      warningRules: new Set(warningRules),
    });
    if (!scope && (props.companions ?? []).length > 0) {
      throw new Error(`${at}: companions need the app or stage to register them on; construct the pack with a scope, new FintechChecks(app, { companions }).`);
    }
    this.companions = scope ? registerCompanions(scope, props.companions ?? []) : [];
  }

  /**
   * The report of the last validation, as handed to CDK.
   *
   * @returns undefined before the first validation
   */
  public get lastReport(): PolicyValidationPluginReport | undefined {
    return this.report;
  }

  /** Every finding of the last validation, acknowledged ones included. */
  public get findings(): FintechFinding[] {
    return [...this.lastFindings];
  }

  /** Findings of the last validation that an acknowledgement silenced, with their reasons. */
  public get acknowledgedFindings(): FintechFinding[] {
    return this.lastFindings.filter(finding => finding.acknowledgedReason !== undefined);
  }

  /** Judges the templates of the stage this pack is registered on; CDK calls it after synthesis. */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    // Without a scope (the cdk-nag 3 way) the cloud assembly stands in for the construct tree; CDK passes the whole app's templates to a pack on the app.
    const stacks = this.scope
      ? TemplateIndex.load(this.scope, context.templatePaths, { stage: this.stage, durableStages: this.durableStages, plugin: this })
      : assemblyTemplates(context.templatePaths, { stage: this.stage, durableStages: this.durableStages });
    this.lastFindings = this.engine.run(stacks, this.engine.spansStages ? (this.scope ? this.appTemplates(this.scope, stacks) : stacks) : undefined);
    this.report = this.toReport(stacks, this.lastFindings);
    // Companion packs run once per synth, whether CDK or this pack asks first.
    this.companionResults = this.companions.map(companion => companion.run(context));
    this.writeReports();
    if (!this.report.success && cliIgnoresLegacyReport(this.scope)) failTheApp(this.lastFindings);
    if (cliIgnoresLegacyReport(this.scope)) failOnCompanionErrors(this.companionResults);
    return this.report;
  }

  /**
   * The templates of every stage of the app (this validation's own included), for rules about limits shared by all stages
   * deployed to one account and region. CDK validates after the whole app is synthesized, so every stage's files exist.
   */
  private appTemplates(scope: IConstruct, own: readonly StackTemplate[]): StackTemplate[] {
    const root = scope.node.root;
    const ownPaths = new Set(own.map(s => s.templatePath));
    const others = TemplateIndex.appTemplatePaths(root).filter(file => !ownPaths.has(file) && fs.existsSync(file));
    return [...own, ...TemplateIndex.load(root, others, { stage: this.stage, durableStages: this.durableStages })];
  }

  private writeReports(): void {
    const dir = contextValue(this.scope, FintechChecks.REPORT_DIR_CONTEXT);
    if (typeof dir !== 'string' || dir.length === 0) return;
    const stage = Stage.isStage(this.scope) && this.scope.stageName ? this.scope.stageName : 'app';
    const file = stage.replace(/[^A-Za-z0-9._-]/g, '_');
    fs.mkdirSync(dir, { recursive: true });
    const sarif = sarifReport(this.lastFindings, { rules: FintechChecks.rules(), version: this.version, rootDir: process.cwd() });
    // Companion packs (cdk-nag) follow as runs and sections of their own.
    sarif.runs.push(...companionSarifRuns(this.companionResults, process.cwd()));
    fs.writeFileSync(path.join(dir, `${file}.sarif`), JSON.stringify(sarif, undefined, 2) + '\n');
    const companions = companionMarkdown(this.companionResults);
    const summary = markdownReport(stage === 'app' ? 'app' : `stage ${stage}`, this.lastFindings);
    fs.writeFileSync(path.join(dir, `${file}.md`), summary + (companions ? `\n${companions}` : ''));
  }

  private toReport(stacks: readonly StackTemplate[], findings: readonly FintechFinding[]): PolicyValidationPluginReport {
    // Acknowledged findings stay in CDK's report as information, so every synth shows what was accepted and why.
    const violations: PolicyViolation[] = findings.map(f => ({
      ruleName: f.ruleId,
      description: f.acknowledgedReason === undefined
        ? `${f.constructPath}: ${f.message}`
        : `${f.constructPath}: acknowledged ("${f.acknowledgedReason}"): ${f.message}`,
      fix: f.fix,
      severity: f.acknowledgedReason === undefined ? f.severity : ACKNOWLEDGED_SEVERITY,
      ruleMetadata: {
        catalogId: f.catalogId,
        logicalId: f.logicalId,
        templateFile: path.basename(f.templatePath),
        stage: `${f.stageName || '(app)'} (${f.durable ? 'durable' : 'ephemeral'})`,
        ...(f.resourceType ? { resourceType: f.resourceType } : {}),
      },
      violatingResources: [{ constructPath: f.constructPath, templatePath: f.templatePath, locations: f.locations }],
    }));
    const acknowledged = findings.filter(f => f.acknowledgedReason !== undefined);
    const stages = [...new Set(stacks.map(s => `${s.stageName || '(app)'} (${s.durable ? 'durable' : 'ephemeral'})`))].sort();
    const metadata: { [key: string]: string } = { stages: stages.join(', '), acknowledged: String(acknowledged.length) };
    acknowledged.forEach((f, i) => {
      metadata[`acknowledged-${i + 1}`] = `${f.ruleId} at ${f.constructPath}: ${f.acknowledgedReason}`;
    });
    return {
      success: violations.every(v => v.severity !== RuleSeverity.ERROR),
      violations,
      pluginVersion: this.version,
      metadata,
    };
  }
}

/**
 * The aws-cdk CLI (2.1148) tells the app not to fail on validation errors and reads
 * `validation-report.json`, but aws-cdk-lib 2.257 writes only `policy-validation-report.json`:
 * under that CLI every finding would pass silently. Detect it by the context the CLI sets.
 */
function cliIgnoresLegacyReport(scope: IConstruct | undefined): boolean {
  return process.env.CDK_CLI_VERSION !== undefined && contextValue(scope, FAIL_SYNTH_CONTEXT) === false;
}

/** A context value from the construct tree, or without a scope from what the CLI hands the app (`-c`, cdk.json). */
function contextValue(scope: IConstruct | undefined, key: string): unknown {
  if (scope) return scope.node.tryGetContext(key);
  try {
    // Where aws-cdk-lib's App reads it from too.
    const file = process.env[cxapi.CONTEXT_OVERFLOW_LOCATION_ENV];
    const json = file ? fs.readFileSync(file, 'utf-8') : process.env[cxapi.CONTEXT_ENV];
    return json ? JSON.parse(json)[key] : undefined;
  } catch {
    return undefined;
  }
}

function describeArgument(value: unknown): string {
  return value === null || typeof value !== 'object' ? JSON.stringify(value) ?? String(value) : `an object (${Object.keys(value).join(', ') || 'empty'})`;
}

/** Prints the errors where the CLI shows app output and makes the app exit 1, so `cdk synth` and `cdk deploy` stop. */
function failTheApp(findings: readonly FintechFinding[]): void {
  const errors = findings.filter(f => f.acknowledgedReason === undefined && f.severity === RuleSeverity.ERROR);
  const lines = errors.map(f => `  x ${f.ruleId}  ${f.constructPath}\n      ${f.message}\n      fix: ${f.fix}`);
  process.stderr.write(`\nFintechChecks found ${errors.length} error${errors.length === 1 ? '' : 's'}:\n${lines.join('\n')}\n` +
    'Fix them, or acknowledge one finding on one construct with a reason: Validations.of(construct).acknowledge({ id, reason }).\n\n');
  process.exitCode = 1;
}

const FAIL_SYNTH_CONTEXT = '@aws-cdk/core:failSynthOnValidationErrors';


// Severity of acknowledged findings in CDK's report: shown, never failing synth.
const ACKNOWLEDGED_SEVERITY = 'info';

// Read once per process: every FintechStage constructs a pack, and unit tests construct many.
let cachedVersion: { readonly value?: string } | undefined;
function packageVersion(): string | undefined {
  if (!cachedVersion) {
    try {
      cachedVersion = { value: JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version };
    } catch {
      cachedVersion = {};
    }
  }
  return cachedVersion.value;
}

// Every rule's metadata with its controls, built once per process (the rule list and the control table are constants).
let cachedInfos: readonly RuleInfo[] | undefined;
function ruleInfos(): readonly RuleInfo[] {
  return cachedInfos ??= FINTECH_RULES.flatMap(rule => rule.infos.map(info => ({ ...info, controls: controlsOf(info.id) })));
}
