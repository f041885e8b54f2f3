import { AspectPriority, Aspects, Stack, Stage, Tags, Token, Validations } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { StageRemovalPolicy } from './stage-removal-policy';
import { centralMonitoringBusArn } from '../config/central-monitoring';
import { DEFAULT_REQUIRED_TAG_KEYS, formatProblems, stageTags, validatePlatformConfig } from '../config/config-validation';
import { FintechEnvironment, FintechPlatformConfig } from '../config/platform-config';
import {
  APPLICATION_CONTEXT, DURABLE_CONTEXT, DURABLE_DEFAULT_WARNING, STAGE_CONTEXT, STAGE_SETTINGS_METADATA,
  alarmEmailFromContext, applicationFromContext, stageFromContext,
} from '../config/stage-context';
import { CompanionPlugin } from '../rules/companion-plugin';
import { FintechChecks } from '../rules/fintech-checks';

/** Properties of a `FintechStage`. */
export interface FintechStageProps {
  /** The platform configuration (usually the generated `src/fintech.config.json`). */
  readonly config: FintechPlatformConfig;

  /** Which of `config.environments` this stage is. */
  readonly environment: FintechEnvironment;

  /**
   * Output directory of the stage's cloud assembly. Only for a stage without a parent (a root
   * stage, e.g. in a test); a stage inside an App writes below the App's outdir, and CDK refuses this.
   *
   * @default - below the parent's outdir, or a temporary directory for a root stage
   */
  readonly outdir?: string;
}

/** Where a construct's stage settings came from (`FintechStage.settingsOf`). */
export enum StageSettingsSource {
  /** The enclosing `FintechStage`. */
  FINTECH_STAGE = 'fintech-stage',
  /** The context values `fintech:stage` and `fintech:durable` (app-wide, or set on a scope with `node.setContext`). */
  CONTEXT = 'context',
  /** Neither: the durable (safe) default, with one `fintech:durable-default` warning per stack. */
  DURABLE_DEFAULT = 'durable-default',
}

/** The stage settings a construct of this library follows. */
export interface StageSettings {
  /** The stage name, suffix of physical names; '' for the durable default, which has none. */
  readonly stageName: string;
  /** Whether data must outlive its stacks: retained, deletion protection on, a year of logs. */
  readonly durable: boolean;
  /** The application name, first part of physical names; '' outside a `FintechStage` without `fintech:application` context. */
  readonly application: string;
  /**
   * Email subscribed to alert topics.
   *
   * @default - none outside a `FintechStage` unless the `fintech:alarm-email` context sets one
   */
  readonly alarmEmail?: string;
  /** Where the settings came from. */
  readonly source: StageSettingsSource;
}

const FINTECH_STAGE_SYMBOL = Symbol.for('fintech-infra-template.FintechStage');
// Stacks that already carry the stage-settings metadata (and, for the durable default, the one warning).
const RECORDED_STACKS = new WeakSet<Stack>();
const ENVIRONMENT_AGNOSTIC = 'fintech:environment-agnostic';

/**
 * One deployment stage of the platform (`dev`, `staging`, `prod`, ...). It tags every taggable
 * resource (C01), applies stage-aware removal policies (C02, the `StageRemovalPolicy` aspect) and
 * runs the `FintechChecks` rule pack (with the cdk-nag packs of `config.cdkNagPacks`) at synth. Constructs find it with `FintechStage.of(this)`
 * instead of passing it around.
 *
 * A stage whose environment has no account synthesizes environment-agnostic and warns on each of
 * its stacks; silence that with `Validations.of(stage).acknowledge({ id: 'fintech:environment-agnostic', reason })`.
 */
export class FintechStage extends Stage {
  /**
   * Creates one stage per environment of the configuration, in order.
   * Throws one message listing every invalid option.
   */
  public static fromConfig(scope: Construct, config: FintechPlatformConfig): FintechStage[] {
    const problems = validatePlatformConfig(config);
    if (problems.length > 0) {
      throw new Error(formatProblems(`FintechStage.fromConfig at ${scope.node.path || '(app)'}`, problems));
    }
    return config.environments.map(environment => new FintechStage(scope, environment.name, { config, environment }));
  }

  /**
   * The `FintechStage` enclosing `scope` (TypeScript; other languages use `enclosing`).
   * Throws, naming the construct path, when there is none.
   *
   * @jsii ignore
   */
  public static of(scope: IConstruct): FintechStage {
    return FintechStage.enclosing(scope);
  }

  /**
   * The `FintechStage` enclosing `scope`.
   * Throws, naming the construct path, when there is none.
   */
  public static enclosing(scope: IConstruct): FintechStage {
    const stage = FintechStage.tryEnclosing(scope);
    if (stage) return stage;
    throw new Error(`${scope.node.path || '(app)'} is not inside a FintechStage, so it has no stage name, tags or removal policies. ` +
      'Create its stack inside a stage, e.g. for (const stage of FintechStage.fromConfig(app, config)) { new MyStack(stage, \'MyStack\'); }');
  }

  /**
   * The stage settings the constructs of this library follow at `scope`, first found of:
   * 1. the enclosing `FintechStage` (its environment, application and alarm email);
   * 2. the context values `fintech:stage` (name) and `fintech:durable` (`true`/`false`; defaults to whether the name is
   *    `staging` or `prod`), set app-wide (`cdk.json`, `-c fintech:stage=dev`) or on one scope with
   *    `stack.node.setContext('fintech:stage', 'dev')` before adding constructs; `fintech:application` names the application
   *    and `fintech:alarm-email` is subscribed to alert topics (both also apply to the durable default);
   * 3. the durable default: data retained, deletion protection on, a year of logs, physical names without a stage suffix.
   *
   * Outside a `FintechStage` the settings are recorded on the stack (FintechChecks judges the stack by them), and the durable
   * default adds one warning per stack, `fintech:durable-default`; acknowledge it after creating the constructs with
   * `Validations.of(stack).acknowledge({ id: 'fintech:durable-default', reason })` (or on the app, for every stack).
   * Outside a `FintechStage` no tags are applied: tag the app yourself (`Tags.of(app).add(...)`).
   * Throws, naming the construct path, on an invalid context value.
   */
  public static settingsOf(scope: IConstruct): StageSettings {
    const stage = FintechStage.tryEnclosing(scope);
    if (stage) {
      return {
        stageName: stage.environmentName,
        durable: stage.durable,
        application: stage.application,
        ...(stage.alarmEmail ? { alarmEmail: stage.alarmEmail } : {}),
        source: StageSettingsSource.FINTECH_STAGE,
      };
    }
    const at = scope.node.path || '(app)';
    const context = (key: string) => scope.node.tryGetContext(key);
    const fromContext = stageFromContext(context, at);
    const application = applicationFromContext(context, at) ?? '';
    const alarmEmail = alarmEmailFromContext(context, at);
    const settings: StageSettings = {
      ...(fromContext ? { ...fromContext, source: StageSettingsSource.CONTEXT } : { stageName: '', durable: true, source: StageSettingsSource.DURABLE_DEFAULT }),
      application,
      ...(alarmEmail ? { alarmEmail } : {}),
    };
    recordOnStack(scope, settings);
    return settings;
  }

  /**
   * The `FintechStage` enclosing `scope`, or undefined when there is none.
   */
  public static tryEnclosing(scope: IConstruct): FintechStage | undefined {
    for (let current: IConstruct | undefined = scope; current; current = current.node.scope) {
      if (FintechStage.isFintechStage(current)) return current;
    }
    return undefined;
  }

  /** Whether `x` is a `FintechStage` (works across copies of this library). */
  public static isFintechStage(x: any): x is FintechStage {
    return x !== null && typeof x === 'object' && FINTECH_STAGE_SYMBOL in x;
  }

  /**
   * The AWS region the stage deploys to (Stage's `region`, never undefined here).
   *
   * @jsii ignore
   */
  public declare readonly region: string;

  /** The environment's name, e.g. `prod`; the suffix of every physical name. */
  public readonly environmentName: string;
  /** Whether the stage holds data that must outlive its stacks. */
  public readonly durable: boolean;
  /**
   * Regions that hold replicas of the stage's regional data, besides its home `region` (the environment's
   * `replicaRegions`, validated); empty for a single-region stage.
   */
  public readonly replicaRegions: string[];
  /** The environment this stage deploys to: name, account, region, durability. */
  public readonly environment: FintechEnvironment;
  /** Application name, first part of every physical name. */
  public readonly application: string;
  /** Owning team. */
  public readonly team: string;
  /** Cost center. */
  public readonly costCenter: string;
  /** Email subscribed to the stage's alerts, if any. */
  public readonly alarmEmail?: string;
  /** Every tag the stage applies: Environment, Team, CostCenter, Application and the extra tags. */
  public readonly tags: { [key: string]: string };
  /** Tag keys the rule pack requires on every taggable resource. */
  public readonly requiredTagKeys: string[];
  /** The platform configuration this stage was made from. */
  public readonly config: FintechPlatformConfig;
  /** The rule pack registered on this stage. */
  public readonly checks: FintechChecks;
  /**
   * ARN of the central monitoring event bus (`monitoring` in `.projenrc.ts`) that the stage's change events and alarm
   * state changes are forwarded to.
   *
   * @default - undefined: no central monitoring account is configured
   */
  public readonly centralMonitoringBusArn?: string;

  constructor(scope: Construct, id: string, props: FintechStageProps) {
    const { config, environment } = props;
    const problems = validatePlatformConfig({ ...config, environments: [environment] });
    const declared = (config.environments ?? []).find(e => e.name === environment.name);
    if (!problems.length && !declared) {
      problems.push({ option: 'environment.name', value: environment.name, problem: 'not one of config.environments', fix: `add it to the environments in .projenrc.ts or use one of: ${(config.environments ?? []).map(e => e.name).join(', ')}` });
    } else if (!problems.length && declared && declared !== environment) {
      // A stage and the rule pack must not disagree with .projenrc.ts about where and how durable a stage is.
      for (const key of ['account', 'region', 'durable', 'replicaRegions'] as const) {
        const given = key === 'durable' ? environment.durable ?? false : key === 'replicaRegions' ? environment.replicaRegions ?? [] : environment[key];
        const expected = key === 'durable' ? declared.durable ?? false : key === 'replicaRegions' ? declared.replicaRegions ?? [] : declared[key];
        if (JSON.stringify(given) !== JSON.stringify(expected)) {
          problems.push({ option: `environment.${key}`, value: given, problem: `config.environments declares ${JSON.stringify(expected)} for "${environment.name}"`, fix: 'pass the environment from config.environments (FintechStage.fromConfig does) or change it in .projenrc.ts' });
        }
      }
    }
    if (problems.length > 0) {
      throw new Error(formatProblems(`FintechStage at ${[scope?.node.path, id].filter(Boolean).join('/')}`, problems));
    }
    super(scope, id, {
      stageName: environment.name,
      env: { account: environment.account, region: environment.region },
      ...(props.outdir ? { outdir: props.outdir } : {}),
    });
    Object.defineProperty(this, FINTECH_STAGE_SYMBOL, { value: true });

    this.environmentName = environment.name;
    this.durable = environment.durable ?? false;
    this.replicaRegions = [...(environment.replicaRegions ?? [])];
    this.environment = { ...environment, durable: this.durable };
    this.application = config.application;
    this.team = config.team;
    this.costCenter = config.costCenter;
    this.alarmEmail = config.alarmEmail;
    this.config = config;
    this.tags = stageTags(config, environment);
    this.requiredTagKeys = [...(config.requiredTagKeys ?? DEFAULT_REQUIRED_TAG_KEYS)];
    this.centralMonitoringBusArn = config.monitoring ? centralMonitoringBusArn(config.application, config.monitoring) : undefined;

    if (!environment.account) {
      const message = `Environment "${environment.name}" has no account: its stacks synthesize environment-agnostic. ` +
        `Set account for "${environment.name}" in the environments of .projenrc.ts before deploying${this.durable ? ' (a durable stage without an account is never deployed)' : ''}.`;
      Validations.of(this).addWarning(ENVIRONMENT_AGNOSTIC, message);
      // A stage's own metadata never reaches the cloud assembly: `cdk synth` shows the warning only on its stacks.
      Aspects.of(this).add({
        visit: (node: IConstruct) => {
          if (Stack.isStack(node) && !node.nestedStackParent && Token.isUnresolved(node.account)) {
            Validations.of(node).addWarning(ENVIRONMENT_AGNOSTIC, message);
          }
        },
      }, { priority: AspectPriority.READONLY });
    }
    for (const [key, value] of Object.entries(this.tags)) Tags.of(this).add(key, value);
    // MUTATING, like CDK's own tag aspects: it adds a tag aspect to buckets it empties, which must not run after a later aspect.
    Aspects.of(this).add(new StageRemovalPolicy({ durable: this.durable }), { priority: AspectPriority.MUTATING });

    this.checks = new FintechChecks(this, {
      durableStages: this.durable ? [environment.name] : [],
      requiredTagKeys: this.requiredTagKeys,
      // The cdk-nag packs of .projenrc.ts (cdkNagPacks): registered by the pack, run once, in its SARIF and Markdown reports.
      companions: (config.cdkNagPacks ?? []).map(pack => CompanionPlugin.cdkNag(this, pack, `FintechStage at ${this.node.path}`)),
    });
    Validations.of(this).addPlugins(this.checks);
  }
}

// Once per top-level stack: the settings for FintechChecks, and for the durable default the one warning.
function recordOnStack(scope: IConstruct, settings: StageSettings): void {
  const stack = scope.node.scopes.find((c): c is Stack => Stack.isStack(c) && !c.nested);
  if (!stack || RECORDED_STACKS.has(stack)) return;
  RECORDED_STACKS.add(stack);
  stack.node.addMetadata(STAGE_SETTINGS_METADATA, { stageName: settings.stageName, durable: settings.durable });
  if (settings.source === StageSettingsSource.DURABLE_DEFAULT) {
    Validations.of(stack).addWarning(DURABLE_DEFAULT_WARNING,
      `${scope.node.path} and the other fintech-infra-template constructs of stack ${stack.node.path} are outside a FintechStage and no ${STAGE_CONTEXT} ` +
      'context is set, so they use the durable settings: data retained, deletion protection on, a year of logs, physical names without a stage suffix. ' +
      `Set the context (-c ${STAGE_CONTEXT}=dev -c ${DURABLE_CONTEXT}=false, and ${APPLICATION_CONTEXT} for names) or create the stack inside a FintechStage; ` +
      `to keep the durable settings, acknowledge it after creating the constructs: Validations.of(stack).acknowledge({ id: '${DURABLE_DEFAULT_WARNING}', reason }).`);
  }
}

