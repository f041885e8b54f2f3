import * as fs from 'fs';
import * as path from 'path';
import { awscdk, DependencyType } from 'projen';
import { BLUEPRINTS, BLUEPRINT_NAMES, BlueprintSamples } from './blueprint-samples';
import { CheckTask } from './check-task';
import { ChecksReportTask } from './checks-report-task';
import { DeployTasks } from './deploy-tasks';
import { DeployWorkflow } from './deploy-workflow';
import { DiagramTask } from './diagram-task';
import { FintechConfigFile } from './fintech-config-file';
import { IntegTasks } from './integ-tasks';
import { InvalidOptionsError, printInvalidOptionsCleanlyInProjenrc } from './invalid-options';
import { ParallelBuild } from './parallel-build';
import { StalePeerCleanup } from './stale-peer-cleanup';
import { templateOptionProblems, withTemplateDefaults } from './template-defaults';
import * as versions from './versions';
import { ConfigProblem, DEFAULT_ENVIRONMENTS, DEFAULT_REQUIRED_TAG_KEYS, formatProblems, toApplicationName, validatePlatformConfig } from '../config/config-validation';
import { FintechEnvironment, FintechMonitoringAccount, FintechPlatformConfig } from '../config/platform-config';

printInvalidOptionsCleanlyInProjenrc();

/**
 * Options of a fintech CDK repository. Everything of `AwsCdkTypeScriptAppOptions` applies;
 * the platform options below are written to the managed `src/fintech.config.json`.
 * `cdkVersion` must be on the 2.257 line: the first with `Validations` (the rule pack runs on it)
 * and the last whose cloud assembly integ-runner 2.197.10 can read. `projen new` fills in 2.257.0.
 */
export interface FintechCdkAppOptions extends awscdk.AwsCdkTypeScriptAppOptions {
  /**
   * Owning team, written to the `Team` tag of every resource.
   * `projen new` asks for it: `--team=payments`.
   */
  readonly team: string;

  /**
   * Cost center, written to the `CostCenter` tag of every resource.
   * `projen new` asks for it: `--cost-center=cc-1234`.
   */
  readonly costCenter: string;

  /**
   * Application name: the `Application` tag and the first part of every physical name.
   *
   * @default - the project name, lowercased, without npm scope
   */
  readonly application?: string;

  /**
   * Additional tags for every taggable resource, e.g. `{ DataClassification: 'pci' }`.
   *
   * @default - none
   */
  readonly extraTags?: { [key: string]: string };

  /**
   * Tag keys `FintechChecks` requires on every taggable resource. Each must be supplied
   * by the built-in tags or `extraTags`.
   *
   * @default ["Environment", "Team", "CostCenter", "Application"]
   */
  readonly requiredTagKeys?: string[];

  /**
   * The stages to synthesize and deploy, one `FintechStage` each.
   *
   * @default - dev (ephemeral), staging and prod (durable), all in us-east-1 without accounts
   */
  readonly environments?: FintechEnvironment[];

  /**
   * Email address subscribed to each stage's alert topic, where every alarm of the library goes.
   * Required: an alarm whose topic nobody subscribes to is a silent failure (catalog C08), and the
   * rule pack fails synth on it. Pass `--alarm-email=oncall@example.com` to `projen new`.
   */
  readonly alarmEmail: string;

  /**
   * Sample workloads written once into the new repo, yours afterwards: `payment-webhook`, `transaction-web-app`,
   * `fraud-detection-api`, `trade-pipeline`, `starter` (any combination), `observability` on top of any of them, or `none`.
   *
   * Each comes with its stack, handlers, unit tests and integ test, created in every stage by `src/main.ts`: `payment-webhook` (API Gateway + WAF ->
   * signed, idempotent receiver -> queue + DLQ -> processor -> table -> stream audit), `transaction-web-app` (CloudFront + WAF ->
   * static front end from a private bucket and `/api/*` to a containerised API on Fargate behind a CloudFront-only ALB -> Aurora
   * PostgreSQL in isolated subnets, schema created on deploy; domains and certificates per stage in `src/web-domains.json`),
   * `fraud-detection-api` (API Gateway + WAF -> scorer in a VPC without internet or NAT gateway, reaching DynamoDB, SQS and SNS
   * through VPC endpoints -> merchant history by index, high-risk results to an alert topic and a review queue -> reviewer),
   * `trade-pipeline` (trade events on an encrypted, archived event bus -> rule with retries and DLQ -> Step Functions workflow:
   * validate, enrich, record once in a DynamoDB global table replicated to the stage's `replicaRegions`; invalid trades recorded
   * as rejected with their reasons) and `starter` (a small ledger). `observability` adds to the others, never alone (e.g.
   * `['payment-webhook', 'observability']`): a stack created last in every stage that observes the stage's workloads (X-Ray sampling
   * and groups, Contributor Insights, saved queries, a dashboard with payment KPIs, change events to the central monitoring bus,
   * canaries on their public endpoints, payment success, fraud and amount alarms).
   * `['none']` writes an empty app. Ignored when `sampleCode` is false.
   *
   * @default ['payment-webhook']
   */
  readonly blueprints?: string[];

  /**
   * cdk-nag 3 packs the `fintech-checks` task (and every synth) runs beside `FintechChecks`, by pack name: `AwsSolutions`,
   * `HIPAA.Security`, `NIST.800.53.R4`, `NIST.800.53.R5`, `PCI.DSS.321`, `Serverless`. Each stage registers them; their
   * findings go into CDK's validation report and, under their own rule ids, into the same SARIF and Markdown reports as
   * FintechChecks', with acknowledgements (`Validations.of(construct).acknowledge({ id: 'AwsSolutions-S1', reason })`)
   * shown with their reasons. cdk-nag becomes a dependency of the repo only when a pack is listed.
   *
   * @default - none: FintechChecks alone
   */
  readonly cdkNagPacks?: string[];

  /**
   * The central monitoring account and region (`{ account: '210987654321', region: 'eu-west-1' }`): each stage's
   * service change events and alarm state changes are forwarded to the event bus `<application>-central-monitoring`
   * there (`FintechStage.centralMonitoringBusArn`), which `CentralMonitoringStack` creates in that account and which
   * accepts events from the environments' accounts only. Every environment then needs its `account`.
   *
   * @default - no central account: events stay in each stage's account
   */
  readonly monitoring?: FintechMonitoringAccount;
}

/**
 * A fintech AWS CDK app: one `FintechStage` per environment, every resource tagged,
 * stage-aware removal policies, the `FintechChecks` rule pack at synth, transpile-only
 * tests with a single type-check, and versions pinned to a combination that works.
 *
 * @pjid fintech-cdk-app
 */
export class FintechCdkApp extends awscdk.AwsCdkTypeScriptApp {
  /** The platform configuration written to `src/fintech.config.json`. */
  public readonly platformConfig: FintechPlatformConfig;

  constructor(options: FintechCdkAppOptions) {
    const platformConfig = platformConfigOf(options);
    const cdkVersion = cdkVersionOf(options);
    const problems = [...validatePlatformConfig(platformConfig), ...projectOptionProblems(options, cdkVersion), ...templateOptionProblems(options)];
    // Thrown before anything is written; under the projen CLI the message is printed alone (see invalid-options.ts).
    if (problems.length > 0) throw new InvalidOptionsError(formatProblems('FintechCdkApp (.projenrc.ts)', problems));

    super({
      ...withTemplateDefaults({ ...options, cdkVersion, sampleCode: false }),
      // `projen new` renders .projenrc.ts from these arguments: record the aws-cdk-lib version really used.
      ...recordedForProjenNew(options, { cdkVersion }),
    });
    this.platformConfig = platformConfig;

    this.dependOnThisPackage();
    // cdk-nag is loaded at synth only for the packs listed (cdkNagPacks), so only then is it a dependency.
    if ((platformConfig.cdkNagPacks ?? []).length > 0) this.addDeps(`cdk-nag@${versions.CDK_NAG_VERSION}`);
    this.addDevDeps(`esbuild@${versions.ESBUILD_VERSION}`);

    new FintechConfigFile(this, platformConfig);
    new StalePeerCleanup(this, cdkVersion);

    // One type-check (and lint) of src, test and the projenrc files; jest, synth and projenrc are transpile-only.
    new CheckTask(this);
    // Without a region, synth probes the EC2 metadata endpoint (about 7 s offline).
    const region = platformConfig.environments[0]?.region ?? 'us-east-1';
    for (const task of [this.cdkTasks.synth, this.cdkTasks.synthSilent]) {
      task.env('AWS_REGION', `$(echo \${AWS_REGION:-${region}})`);
    }
    new IntegTasks(this, { directory: `${this.testdir}/integ`, region });
    // test:unit, integ:verify and synth run side by side; each component above extends `test` on its own.
    new ParallelBuild(this);
    new DeployTasks(this, platformConfig.environments);
    new ChecksReportTask(this, region, platformConfig.cdkNagPacks ?? []);
    new DiagramTask(this, platformConfig.environments[0]?.name);
    new DeployWorkflow(this, platformConfig.environments, options.defaultReleaseBranch ?? 'main');

    if (options.sampleCode ?? true) {
      new BlueprintSamples(this, { srcdir: this.srcdir, testdir: this.testdir, blueprints: (options.blueprints ?? ['payment-webhook']).filter(b => b !== 'none') });
    }
  }

  /**
   * The app's constructs come from this package at synth, so it is a runtime dependency.
   * `projen new --from` records it as a devDependency (with the tarball's `file:` spec): move it.
   */
  private dependOnThisPackage(): void {
    const name = 'fintech-infra-template';
    const recorded = this.deps.tryGetDependency(name, DependencyType.BUILD);
    if (recorded) this.deps.removeDependency(name, DependencyType.BUILD);
    if (!this.deps.tryGetDependency(name, DependencyType.RUNTIME)) {
      this.addDeps(`${name}@${recorded?.version ?? `^${ownVersion()}`}`);
    }
  }
}

function platformConfigOf(options: FintechCdkAppOptions): FintechPlatformConfig {
  return {
    application: options.application ?? toApplicationName(options.name),
    team: options.team,
    costCenter: options.costCenter,
    extraTags: options.extraTags ?? {},
    requiredTagKeys: options.requiredTagKeys ?? [...DEFAULT_REQUIRED_TAG_KEYS],
    alarmEmail: options.alarmEmail,
    environments: (options.environments ?? DEFAULT_ENVIRONMENTS).map(env => ({
      name: env.name,
      ...(env.account !== undefined ? { account: env.account } : {}),
      region: env.region,
      durable: env.durable ?? false,
      ...(env.replicaRegions !== undefined ? { replicaRegions: env.replicaRegions } : {}),
      ...(env.deployRoleArn !== undefined ? { deployRoleArn: env.deployRoleArn } : {}),
      ...(env.diffRoleArn !== undefined ? { diffRoleArn: env.diffRoleArn } : {}),
    })),
    ...(options.cdkNagPacks !== undefined ? { cdkNagPacks: options.cdkNagPacks } : {}),
    ...(options.monitoring !== undefined ? { monitoring: options.monitoring } : {}),
  };
}

/**
 * `projen new` fills a required option it was not given with the option's `@default`, projen's own cdkVersion; a new repo
 * gets the pinned version instead. `projen new` passes its arguments along (`__new__`, see `recordedForProjenNew`).
 */
function cdkVersionOf(options: FintechCdkAppOptions): string {
  const creating = newProjectArguments(options) !== undefined;
  return creating && !isSupportedCdkVersion(options.cdkVersion) ? versions.CDK_VERSION : options.cdkVersion;
}

function projectOptionProblems(options: FintechCdkAppOptions, cdkVersion: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  if (!isSupportedCdkVersion(cdkVersion)) {
    problems.push({
      option: 'cdkVersion',
      value: cdkVersion,
      problem: 'aws-cdk-lib must be 2.257.x: older lines lack Validations (used by FintechChecks), newer ones write cloud assemblies integ-runner 2.197.10 cannot read',
      fix: `use cdkVersion: '${versions.CDK_VERSION}'`,
    });
  }
  if (options.alarmEmail === undefined) {
    problems.push({
      option: 'alarmEmail',
      value: undefined,
      problem: 'required: every alarm the library creates goes to an alert topic, and a topic nobody subscribes to alerts nobody',
      fix: "set alarmEmail: 'payments-oncall@example.com' (projen new: --alarm-email=...)",
    });
  }
  const blueprints = options.blueprints ?? ['payment-webhook'];
  const unknown = blueprints.filter(b => !BLUEPRINT_NAMES.includes(b));
  if (unknown.length > 0 || new Set(blueprints).size !== blueprints.length || (blueprints.includes('none') && blueprints.length > 1)) {
    problems.push({
      option: 'blueprints',
      value: blueprints,
      problem: unknown.length > 0 ? `unknown blueprint ${unknown.map(b => `"${b}"`).join(', ')}` : 'names each blueprint once, and "none" alone',
      fix: `choose from ${BLUEPRINT_NAMES.map(b => `"${b}"`).join(', ')}, e.g. blueprints: ['payment-webhook'] (projen new: --blueprints payment-webhook)`,
    });
  } else if (blueprints.length > 0 && blueprints.every(b => BLUEPRINTS[b]?.addOn)) {
    problems.push({
      option: 'blueprints',
      value: blueprints,
      problem: `${blueprints.map(b => `"${b}"`).join(', ')} adds to workload blueprints and has nothing to observe alone`,
      fix: `add a workload, e.g. blueprints: ['payment-webhook', ${blueprints.map(b => `'${b}'`).join(', ')}] (projen new: --blueprints payment-webhook,${blueprints.join(',')})`,
    });
  }
  return problems;
}

/** The arguments of `projen new` (projen's `__new__` option, present only while it creates the project). */
function newProjectArguments(options: FintechCdkAppOptions): { args: Record<string, unknown> } | undefined {
  return (options as { __new__?: { args: Record<string, unknown> } }).__new__;
}

/**
 * projen's projenrc component writes the new repo's `.projenrc.ts` from the arguments of `projen new`
 * (`projectCreation`): replacing values there records them instead of the ones projen filled in.
 */
function recordedForProjenNew(options: FintechCdkAppOptions, values: Record<string, unknown>): object {
  const bootstrap = newProjectArguments(options);
  return bootstrap ? { __new__: { ...bootstrap, args: { ...bootstrap.args, ...values } } } : {};
}

function isSupportedCdkVersion(version: string | undefined): boolean {
  if (typeof version !== 'string') return false;
  const match = /^[\^~]?(\d+\.\d+)\.\d+$/.exec(version);
  return match?.[1] === versions.CDK_VERSION_LINE && !version.startsWith('^');
}

function ownVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf-8'));
  return manifest.version;
}
