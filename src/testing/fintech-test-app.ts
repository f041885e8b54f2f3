import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Stage } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { IConstruct } from 'constructs';
import { FintechPlatformConfig } from '../config/platform-config';
import { FintechChecks, FintechChecksProps, FintechFinding } from '../rules/fintech-checks';
import { FintechStage } from '../stage/fintech-stage';

// Context that keeps a unit test's synth fast and side-effect free.
const SKIP_BUNDLING_CONTEXT = { 'aws:cdk:bundling-stacks': [] };
// Without it CDK prints the whole validation report and sets process.exitCode to 1 on any error finding.
const FAIL_SYNTH_ON_VALIDATION_ERRORS = '@aws-cdk/core:failSynthOnValidationErrors';

/** Properties of a `FintechTestApp`. */
export interface FintechTestAppProps {
  /**
   * Bundle the code of `NodejsFunction`s (esbuild) as `cdk synth` does. Off, a synth takes a fraction of the time
   * and function code is a placeholder, which is what template assertions need.
   *
   * @default false
   */
  readonly bundling?: boolean;

  /**
   * More context values, e.g. feature flags. They win over the ones this app sets.
   *
   * @default - none
   */
  readonly context?: { [key: string]: any };

  /**
   * Directory of the cloud assembly.
   *
   * @default - a new temporary directory, as for `new App()`
   */
  readonly outdir?: string;
}

/** Options of `FintechTestApp.synthesize`. */
export interface FintechSynthesizeOptions {
  /**
   * Settings of the rule pack that judges stacks outside any `FintechStage` (stacks inside one are judged by
   * the stage's own pack, with the stage's durability and required tags).
   *
   * @default - `FintechChecks` defaults: stacks directly in the app are judged as stage '' (ephemeral)
   */
  readonly checks?: FintechChecksProps;
}

/**
 * What `FintechTestApp.synthesize` returns: the synthesized templates of the stacks asked for and
 * the `FintechChecks` findings on them.
 */
export class FintechSynthesis {
  /** The stacks synthesized: the one asked for, or every stack of the stage or app asked for. */
  public readonly stacks: Stack[];
  /** Each stack's CloudFormation template, keyed by the stack's construct path (e.g. `dev/Payments`). */
  public readonly templates: { [stackPath: string]: any };
  /** Every `FintechChecks` finding on those stacks, acknowledged ones included (with `acknowledgedReason`). */
  public readonly findings: FintechFinding[];
  /** What the synth printed (CDK's "Performing Policy Validations" and the like), kept here instead of on the console. */
  public readonly output: string[];

  /** Made by `FintechTestApp.synthesize`; `templates` keyed by stack construct path. */
  constructor(stacks: Stack[], templates: { [stackPath: string]: any }, findings: FintechFinding[], output: string[]) {
    this.stacks = stacks;
    this.templates = templates;
    this.findings = findings;
    this.output = output;
  }

  /** Findings nobody acknowledged: the ones CDK's report lists as violations. */
  public get violations(): FintechFinding[] {
    return this.findings.filter(finding => finding.acknowledgedReason === undefined);
  }

  /** Ids of the unacknowledged findings, each with its construct path (`<rule id> <path>`), sorted: a compact assertion. */
  public get violationSummary(): string[] {
    return this.violations.map(finding => `${finding.ruleId} ${finding.constructPath}`).sort();
  }

  /** The synthesized template of `stack`, for `aws-cdk-lib/assertions` (one of `stacks`). */
  public template(stack: Stack): Template {
    const template = this.templates[stack.node.path];
    if (template === undefined) {
      const known = Object.keys(this.templates).join(', ') || 'none';
      throw new Error(`FintechSynthesis: ${stack.node.path} was not synthesized here; templates of: ${known}. Pass its stack, stage or app to FintechTestApp.synthesize.`);
    }
    return Template.fromJSON(template);
  }
}

/**
 * An `App` for unit tests of stacks, and `FintechTestApp.synthesize`, which gives the synthesized
 * templates and the `FintechChecks` findings of a stack, a stage or an app in one call, without
 * printing anything: CDK's validation output (printed on every synth with a validation plugin,
 * which jest shows as a `console.error` that looks like a failure) is kept in `output`, and the
 * process exit code is left as it was.
 *
 * The app does not bundle function code and does not fail or print on findings, so tests assert on them:
 *
 * ```ts
 * const app = new FintechTestApp();
 * const stack = new PaymentsStack(app.addStage(config, 'dev'), 'Payments');
 * const result = FintechTestApp.synthesize(stack);
 * result.template(stack).resourceCountIs('AWS::SQS::Queue', 2);
 * expect(result.violations).toEqual([]);
 * ```
 */
export class FintechTestApp extends App {
  /**
   * Synthesizes the app that contains `scope` (once; later calls reuse the assembly) and returns the templates
   * of `scope`'s stacks (`scope` itself if it is a stack, otherwise every stack below it) with their `FintechChecks`
   * findings: stacks in a `FintechStage` by the stage's pack, others by a pack made with `options.checks`.
   * Works on any `App`, not only a `FintechTestApp`. Nothing is printed while it runs.
   */
  public static synthesize(scope: IConstruct, options: FintechSynthesizeOptions = {}): FintechSynthesis {
    const stacks = stacksOf(scope);
    if (stacks.length === 0) {
      throw new Error(`FintechTestApp.synthesize: ${scope.node.path || '(app)'} holds no stack; pass a stack, or a stage or app with stacks in it.`);
    }
    const output: string[] = [];
    const findings = quietly(output, () => {
      const root = scope.node.root;
      if (!Stage.isStage(root)) {
        throw new Error(`FintechTestApp.synthesize: the root of ${scope.node.path} is not an App or a Stage; create the stack in an App, e.g. new FintechTestApp().`);
      }
      root.synth();
      return judge(root, stacks, options);
    });
    const templates: { [stackPath: string]: any } = {};
    for (const stack of stacks) templates[stack.node.path] = JSON.parse(fs.readFileSync(templatePath(stack), 'utf-8'));
    return new FintechSynthesis(stacks, templates, findings, output);
  }

  constructor(props: FintechTestAppProps = {}) {
    super({
      ...(props.outdir ? { outdir: props.outdir } : {}),
      context: {
        ...(props.bundling ? {} : SKIP_BUNDLING_CONTEXT),
        [FAIL_SYNTH_ON_VALIDATION_ERRORS]: false,
        ...props.context,
      },
    });
  }

  /**
   * A `FintechStage` for the environment of `config` named `environmentName` (e.g. the generated
   * `src/fintech.config.json` and `'dev'`), in this app.
   */
  public addStage(config: FintechPlatformConfig, environmentName: string): FintechStage {
    const environment = (config.environments ?? []).find(env => env.name === environmentName);
    if (!environment) {
      const names = (config.environments ?? []).map(env => env.name).join(', ') || 'none';
      throw new Error(`FintechTestApp.addStage: config has no environment "${environmentName}"; its environments are: ${names}.`);
    }
    return new FintechStage(this, environmentName, { config, environment });
  }
}

function stacksOf(scope: IConstruct): Stack[] {
  if (Stack.isStack(scope)) return [scope];
  return scope.node.findAll().filter((c): c is Stack => Stack.isStack(c) && !c.nested);
}

function templatePath(stack: Stack): string {
  return path.resolve(Stage.of(stack)?.outdir ?? '', stack.templateFile);
}

/** The findings on `stacks`: each FintechStage's own pack for its stacks, a pack with `options.checks` for the rest. */
function judge(root: Stage, stacks: readonly Stack[], options: FintechSynthesizeOptions): FintechFinding[] {
  const byPack = new Map<FintechChecks, Stack[]>();
  let plainPack: FintechChecks | undefined;
  for (const stack of stacks) {
    const stage = Stage.of(stack);
    const pack = FintechStage.isFintechStage(stage) ? stage.checks : (plainPack ??= new FintechChecks(root, options.checks));
    byPack.set(pack, [...(byPack.get(pack) ?? []), stack]);
  }
  const findings: FintechFinding[] = [];
  for (const [pack, packStacks] of byPack) {
    const wanted = new Set(packStacks.map(templatePath));
    // CDK ran each stage's pack during synth (over all the stage's stacks); a root stage or our own pack has not run yet.
    if (pack === plainPack || pack.lastReport === undefined) pack.validate({ templatePaths: [...wanted] });
    findings.push(...pack.findings.filter(finding => wanted.has(path.resolve(finding.templatePath))));
  }
  return findings;
}

/** Runs `work` with console and process output captured into `output`, and the exit code restored. */
function quietly<T>(output: string[], work: () => T): T {
  const methods = ['log', 'info', 'warn', 'error', 'debug'] as const;
  const saved = methods.map(method => console[method]);
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const exitCode = process.exitCode;
  const capture = (...args: unknown[]) => {
    output.push(args.map(arg => (typeof arg === 'string' ? arg : String(arg))).join(' '));
  };
  const captureWrite = ((chunk: unknown, ...rest: unknown[]) => {
    output.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString());
    const callback = rest.find(arg => typeof arg === 'function') as (() => void) | undefined;
    callback?.();
    return true;
  }) as typeof process.stdout.write;
  for (const method of methods) console[method] = capture;
  process.stdout.write = captureWrite;
  process.stderr.write = captureWrite;
  try {
    return work();
  } finally {
    methods.forEach((method, i) => { console[method] = saved[i]; });
    process.stdout.write = stdoutWrite;
    process.stderr.write = stderrWrite;
    process.exitCode = exitCode;
  }
}
