import * as fs from 'fs';
import * as path from 'path';
import { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { DEFAULT_REQUIRED_TAG_KEYS } from '../config/config-validation';
import { acknowledgedRules } from './acknowledgements';
import { ALL_RULES } from './all-rules';
import { Rule, RuleContext, RuleFinding } from './rule';
import { RuleInfo, RuleSeverity } from './rule-info';
import { IndexedStack, indexTemplates } from './template-index';

/** Properties of `FintechChecks`. */
export interface FintechChecksProps {
  /**
   * Judge every template as this stage, whatever stage encloses it.
   *
   * @default - each stack's enclosing stage name ('' for stacks directly in the app)
   */
  readonly stage?: string;

  /**
   * Stage names that hold data which must outlive their stacks.
   *
   * @default ['staging', 'prod']
   */
  readonly durableStages?: string[];

  /**
   * Tag keys every taggable resource must carry.
   *
   * @default ['Environment', 'Team', 'CostCenter', 'Application']
   */
  readonly requiredTagKeys?: string[];

  /**
   * Lambda concurrency limit of the account and region; reserved concurrency may use all but 100 of it.
   *
   * @default 1000
   */
  readonly accountConcurrencyLimit?: number;

  /**
   * Rule ids reported as warnings instead of errors.
   *
   * @default - every rule at its own severity
   */
  readonly warningRules?: string[];
}

/** A finding that an acknowledgement silenced, kept for the audit trail. */
export interface AcknowledgedFinding {
  /** Rule id. */
  readonly ruleId: string;
  /** Construct path of the resource. */
  readonly constructPath: string;
  /** The reason given with the acknowledgement. */
  readonly reason: string;
  /** What the rule found. */
  readonly message: string;
}

/**
 * The fintech rule pack: a CDK validation plugin that judges the synthesized templates (raw
 * overrides and escape hatches included) against the failure catalog. Register it with
 * `Validations.of(app).addPlugins(new FintechChecks(app))`; every `FintechStage` registers its own.
 *
 * Acknowledge one finding on one construct (and its children) with
 * `Validations.of(construct).acknowledge({ id: 'Fintech-C02-EphemeralRetainsData', reason })`;
 * it stays in the report's metadata and in `acknowledgedFindings`. Pass the bare rule id: CDK
 * itself drops `FintechChecks::<id>` from the whole report, not from one construct.
 */
export class FintechChecks implements IPolicyValidationPlugin {
  /** Metadata of every rule in the pack. */
  public static rules(): RuleInfo[] {
    return ALL_RULES.map(rule => rule.info);
  }

  /** Plugin name shown in CDK's validation report. */
  public readonly name = 'FintechChecks';
  /** Version of this package. */
  public readonly version?: string;
  /** Ids of every rule in the pack. */
  public readonly ruleIds?: string[];

  private readonly scope: IConstruct;
  private readonly stage?: string;
  private readonly durableStages: string[];
  private readonly requiredTagKeys: string[];
  private readonly accountConcurrencyLimit: number;
  private readonly warningRules: Set<string>;
  private acknowledged: AcknowledgedFinding[] = [];

  constructor(scope: IConstruct, props: FintechChecksProps = {}) {
    this.scope = scope;
    this.stage = props.stage;
    this.durableStages = props.durableStages ?? ['staging', 'prod'];
    this.requiredTagKeys = props.requiredTagKeys ?? [...DEFAULT_REQUIRED_TAG_KEYS];
    this.accountConcurrencyLimit = props.accountConcurrencyLimit ?? 1000;
    this.warningRules = new Set(props.warningRules ?? []);
    this.ruleIds = ALL_RULES.map(rule => rule.info.id);
    this.version = ownVersion();

    const at = `FintechChecks at ${scope.node.path || '(app)'}`;
    this.requiredTagKeys.forEach((key, i) => {
      if (typeof key !== 'string' || key.trim().length === 0) {
        throw new Error(`${at}: requiredTagKeys[${i}] is ${JSON.stringify(key)}; tag keys cannot be empty. Remove it.`);
      }
    });
    if (!Number.isInteger(this.accountConcurrencyLimit) || this.accountConcurrencyLimit <= 100) {
      throw new Error(`${at}: accountConcurrencyLimit ${props.accountConcurrencyLimit} must be a whole number above 100 (AWS keeps 100 unreserved); use your account's limit, default 1000.`);
    }
    for (const id of this.warningRules) {
      if (!ALL_RULES.some(rule => rule.info.id === id)) {
        throw new Error(`${at}: warningRules names unknown rule "${id}". Known rules: ${ALL_RULES.map(rule => rule.info.id).join(', ')}.`);
      }
    }
  }

  /** Findings silenced by acknowledgements in the last validation. */
  public get acknowledgedFindings(): AcknowledgedFinding[] {
    return [...this.acknowledged];
  }

  /** Judges the templates of the stage this pack was registered on (called by the CDK at synth). */
  public validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violations: PolicyViolation[] = [];
    this.acknowledged = [];
    for (const stack of indexTemplates(this.scope, context.templatePaths)) {
      const stageName = this.stage ?? stack.stage;
      const ruleContext: RuleContext = {
        stageName,
        durable: this.durableStages.includes(stageName),
        requiredTagKeys: this.requiredTagKeys,
        accountConcurrencyLimit: this.accountConcurrencyLimit,
      };
      for (const rule of ALL_RULES) {
        for (const finding of this.run(rule, stack, ruleContext)) {
          const reason = acknowledgedRules(finding.resource.owner).get(rule.info.id);
          if (reason !== undefined && (!ruleContext.durable || rule.info.acknowledgeableInDurableStages)) {
            this.acknowledged.push({ ruleId: rule.info.id, constructPath: finding.resource.constructPath, reason, message: finding.message });
            continue;
          }
          const note = reason !== undefined ? ` The acknowledgement ("${reason}") does not apply: this rule cannot be acknowledged in durable stage "${stageName}".` : '';
          violations.push({
            ruleName: rule.info.id,
            description: `${finding.message}${note} ${rule.info.description}`,
            fix: rule.info.fix,
            severity: finding.severity ?? (this.warningRules.has(rule.info.id) ? RuleSeverity.WARNING : rule.info.severity),
            ruleMetadata: { catalogId: rule.info.catalogId, logicalId: finding.resource.logicalId, template: path.basename(stack.templatePath) },
            violatingResources: [{ constructPath: finding.resource.constructPath, locations: finding.locations ?? ['Properties'] }],
          });
        }
      }
    }
    const metadata: { [key: string]: string } = {};
    this.acknowledged.forEach((a, i) => { metadata[`acknowledged-${i + 1}`] = `${a.ruleId} at ${a.constructPath}: ${a.reason}`; });
    return {
      success: violations.every(v => v.severity !== RuleSeverity.ERROR),
      violations,
      pluginVersion: this.version,
      ...(Object.keys(metadata).length > 0 ? { metadata } : {}),
    };
  }

  // A rule that breaks on an odd template reports that instead of aborting synth.
  private run(rule: Rule, stack: IndexedStack, context: RuleContext): RuleFinding[] {
    try {
      return rule.check(stack, context);
    } catch (error) {
      return stack.resources.length === 0 ? [] : [{
        resource: stack.resources[0],
        message: `Rule ${rule.info.id} could not judge ${path.basename(stack.templatePath)} (${(error as Error).message}); please report this template shape.`,
        severity: RuleSeverity.WARNING,
      }];
    }
  }
}

function ownVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8')).version;
  } catch {
    return '0.0.0';
  }
}
