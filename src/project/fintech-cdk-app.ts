import * as fs from 'fs';
import * as path from 'path';
import { awscdk, DependencyType } from 'projen';
import { TypeScriptRunner } from 'projen/lib/typescript';
import { BLUEPRINT_NAMES, BlueprintSamples } from './blueprint-samples';
import { CheckTask } from './check-task';
import { ChecksReportTask } from './checks-report-task';
import { DeployTasks } from './deploy-tasks';
import { DeployWorkflow } from './deploy-workflow';
import { DiagramTask } from './diagram-task';
import { FintechConfigFile } from './fintech-config-file';
import { IntegTasks } from './integ-tasks';
import { reportInvalidOptions } from './invalid-options';
import { ParallelBuild } from './parallel-build';
import { removeStalePeerInstall } from './stale-peer-cleanup';
import * as versions from './versions';
import { DEFAULT_ENVIRONMENTS, DEFAULT_REQUIRED_TAG_KEYS, formatProblems, toApplicationName, validatePlatformConfig } from '../config/config-validation';
import { FintechEnvironment, FintechPlatformConfig } from '../config/platform-config';

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
   * Sample workloads written into the new repo (once; you own them afterwards), each with its stack, handlers,
   * unit tests and integ test, created in every stage by `src/main.ts`: `payment-webhook` (API Gateway + WAF ->
   * signed, idempotent receiver -> queue + DLQ -> processor -> table -> stream audit) and `starter` (a small ledger).
   * `['none']` writes an empty app. Ignored when `sampleCode` is false.
   *
   * @default ['payment-webhook']
   */
  readonly blueprints?: string[];
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
    const problems = validatePlatformConfig(platformConfig);
    const cdkVersion = creatingProject() && !isSupportedCdkVersion(options.cdkVersion)
      // projen new fills a required option with projen's own default; a new repo gets the pin instead.
      ? versions.CDK_VERSION
      : options.cdkVersion;
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
    }
    if (problems.length > 0) {
      reportInvalidOptions(formatProblems('FintechCdkApp (.projenrc.ts)', problems));
    }

    const srcdir = options.srcdir ?? 'src';
    const testdir = options.testdir ?? 'test';
    // The one tsconfig that sees src, test and the projenrc files: `compile` type-checks it and eslint parses it once.
    const devTsconfig = options.tsconfigDevFile ?? `${testdir}/tsconfig.json`;
    super({
      cdkCliVersion: versions.CDK_CLI_VERSION,
      cdkVersionPinning: true,
      typescriptVersion: versions.TYPESCRIPT_VERSION,
      // Also picks @types/node@^20: the registry has no "ts5.9" tag for projen's default.
      minNodeVersion: versions.MIN_NODE_VERSION,
      // Synth and projenrc run transpile-only; `compile` type-checks src, test and the projenrc files once.
      runner: TypeScriptRunner.tsNode({ typeCheck: false }),
      // Type-checking .projenrc.ts on every `npx projen` cost 7 s (it reaches aws-cdk-lib's declarations through this package).
      projenrcTsOptions: { runner: TypeScriptRunner.tsNode({ typeCheck: false, tsconfig: 'projenrc/tsconfig.json' }), ...options.projenrcTsOptions },
      // One TypeScript program for every linted file instead of one per tsconfig (src, test, projenrc): 11.7 s -> 9.3 s measured.
      eslintOptions: { dirs: [srcdir], devdirs: [testdir, 'build-tools'], projectService: false, tsconfigPath: `./${devTsconfig}`, ...options.eslintOptions },
      app: `npx ts-node --transpile-only -P tsconfig.json --prefer-ts-exts ${srcdir}/${options.appEntrypoint ?? 'main.ts'}`,
      tsJestOptions: { transformOptions: { isolatedModules: true } },
      // Coverage is of the app, not of test helpers and integ tests.
      jestOptions: {
        ...options.jestOptions,
        jestConfig: {
          coveragePathIgnorePatterns: ['/node_modules/', `/${testdir}/`],
          // One temporary directory per test run, removed at its end: the cdk.out folder each App without an outdir
          // makes (one per synth in a test) does not pile up in the OS temporary directory.
          globalSetup: 'fintech-infra-template/lib/testing/jest-global-setup',
          globalTeardown: 'fintech-infra-template/lib/testing/jest-global-teardown',
          ...options.jestOptions?.jestConfig,
        },
      },
      lambdaAutoDiscover: false,
      edgeLambdaAutoDiscover: false,
      singletonLambdaAutoDiscover: false,
      lambdaExtensionAutoDiscover: false,
      // projen's IntegrationTest cannot drive integ-tests-alpha assertions (design.md).
      integrationTestAutoDiscover: false,
      ...options,
      // Type-checking aws-cdk-lib's own declarations doubles the compile time (16 s -> 7 s measured) and finds nothing in user code.
      tsconfig: { ...options.tsconfig, compilerOptions: { skipLibCheck: true, ...options.tsconfig?.compilerOptions } },
      // No `tsc --build` incremental check: projen rewrites this tsconfig on every run, which makes tsc --build re-check everything.
      tsconfigDev: { ...options.tsconfigDev, compilerOptions: { skipLibCheck: true, ...options.tsconfigDev?.compilerOptions } },
      cdkVersion,
      sampleCode: false,
    });
    this.platformConfig = platformConfig;
    if (creatingProject()) removeStalePeerInstall(this.outdir, cdkVersion);

    this.dependOnThisPackage();
    this.addDeps(`cdk-nag@${versions.CDK_NAG_VERSION}`);
    this.addDevDeps(`esbuild@${versions.ESBUILD_VERSION}`);

    new FintechConfigFile(this, platformConfig);

    // One type-check (and lint) of src, test and the projenrc files; jest, synth and projenrc are transpile-only.
    new CheckTask(this);
    // Without a region, synth probes the EC2 metadata endpoint (about 7 s offline).
    const region = platformConfig.environments[0]?.region ?? 'us-east-1';
    for (const task of [this.cdkTasks.synth, this.cdkTasks.synthSilent]) {
      task.env('AWS_REGION', `$(echo \${AWS_REGION:-${region}})`);
    }
    new IntegTasks(this, { directory: `${this.testdir}/integ`, region });
    // After CheckTask (which takes eslint out of test) and IntegTasks (which adds integ:verify to it): test:unit and
    // integ:verify run side by side, with synth (from post-compile) next to them.
    new ParallelBuild(this);
    new DeployTasks(this, platformConfig.environments);
    new ChecksReportTask(this, region);
    new DiagramTask(this, platformConfig.environments[0]?.name);
    new DeployWorkflow(this, platformConfig.environments, options.defaultReleaseBranch ?? 'main');

    if (options.sampleCode ?? true) {
      new BlueprintSamples(this, { srcdir, testdir: this.testdir, blueprints: (options.blueprints ?? ['payment-webhook']).filter(b => b !== 'none') });
    }
  }

  /** `projen new` wrote projen's default cdkVersion into .projenrc.ts; record the version really used. */
  public postSynthesize(): void {
    super.postSynthesize();
    const projenrc = path.join(this.outdir, '.projenrc.ts');
    if (!creatingProject() || !fs.existsSync(projenrc)) return;
    const source = fs.readFileSync(projenrc, 'utf-8');
    const fixed = source.replace(/cdkVersion: "[^"]*"/, `cdkVersion: "${this.cdkDeps.cdkVersion}"`);
    if (fixed !== source) fs.writeFileSync(projenrc, fixed);
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
      ...(env.deployRoleArn !== undefined ? { deployRoleArn: env.deployRoleArn } : {}),
    })),
  };
}

function creatingProject(): boolean {
  return process.env.PROJEN_CREATE_PROJECT === 'true';
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
