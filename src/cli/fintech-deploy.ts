#!/usr/bin/env node
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  BootstrapVersion, CallerIdentity, MissingParameters, precheckBootstrap, precheckCredentials,
  ssmBootstrapVersion, ssmMissingParameters, stsCallerIdentity,
} from './credentials-precheck';
import { emulatorNotice, endpointOverrides } from './endpoint-override';
import { precheckUnsetInputs } from './input-precheck';
import { precheckParameters, ssmParameterLookups } from './ssm-parameter-precheck';
import { adviceFor, cloudFormationStackStates, precheckStackStates, StackStates, StackToCheck } from './stack-status-precheck';
import { isCloudAssembly, readStageAssembly } from './stage-assembly';
import { FintechEnvironment, FintechPlatformConfig } from '../config/platform-config';

const USAGE = `usage: fintech-deploy <deploy|diff|destroy> STAGE [--confirm] [-- CDK_ARGS...]

  deploy   checks the stage, the credentials and the region's CDK bootstrap (in seconds), synthesizes the app once
           into cdk.out (-c/--context arguments apply here), checks that the SSM parameters the stage's stacks resolve
           exist and that no stack is in a state CloudFormation cannot update, then cdk deploy 'STAGE/*' --app cdk.out.
           With --app DIR (a synthesized cloud assembly, e.g. the build job's) it skips the synth and deploys DIR.
  diff     checks the credentials, then cdk diff 'STAGE/*'
  destroy  checks the credentials, then cdk destroy 'STAGE/*'

Durable stages need an account in .projenrc.ts, and --confirm (or CI=true) to deploy or destroy.
AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_<SERVICE>) point every check and cdk at an emulator, e.g. moto or LocalStack.`;

const CONFIG_FILE = path.join('src', 'fintech.config.json');
/** Where `deploy` synthesizes the app; the deploy then reads that assembly instead of synthesizing again. */
export const SYNTH_OUTPUT = 'cdk.out';
// 128 + SIGINT, what a shell reports for a command stopped by Ctrl-C.
const INTERRUPTED_EXIT_CODE = 130;

/** What the command line asked for. */
export interface DeployRequest {
  readonly action: 'deploy' | 'diff' | 'destroy';
  readonly stage: string;
  readonly confirmed: boolean;
  readonly cdkArgs: string[];
}

/** Parses the command line; undefined when it does not make sense. */
export function parseRequest(argv: string[]): DeployRequest | undefined {
  const separator = argv.indexOf('--');
  const own = separator >= 0 ? argv.slice(0, separator) : argv;
  const cdkArgs = separator >= 0 ? argv.slice(separator + 1) : [];
  const [action, stage, ...flags] = own;
  if (action !== 'deploy' && action !== 'diff' && action !== 'destroy') return undefined;
  if (!stage || flags.some(f => f !== '--confirm')) return undefined;
  return { action, stage, confirmed: flags.includes('--confirm'), cdkArgs };
}

/**
 * Decides, without AWS, whether the request may go ahead. Returns the reason to refuse, if any.
 */
export function refusal(request: DeployRequest, config: FintechPlatformConfig, env: { readonly CI?: string }): string | undefined {
  const stage = config.environments.find(e => e.name === request.stage);
  if (!stage) {
    return `Unknown stage "${request.stage}". The environments in .projenrc.ts are: ${config.environments.map(e => e.name).join(', ')}.`;
  }
  if (!stage.durable || request.action === 'diff') return undefined;
  if (!stage.account) {
    return `Stage "${stage.name}" is durable but has no account in .projenrc.ts, so it would ${request.action === 'deploy' ? 'deploy into' : 'destroy in'} whatever account your credentials point at. ` +
      `Set { name: '${stage.name}', account: '<12 digits>', ... } in the environments of .projenrc.ts, run npx projen, and try again.`;
  }
  if (!request.confirmed && !isCi(env)) {
    return `Stage "${stage.name}" is durable (it holds data that must outlive its stacks). Add --confirm to ${request.action} it by hand: npx projen ${request.action}:${stage.name} --confirm`;
  }
  return undefined;
}

/** The cdk arguments after `--`, sorted by where they apply. */
export interface CdkArguments {
  /** The value of `--app`/`-a` when it names a synthesized cloud assembly directory. */
  readonly assembly?: string;
  /** The value of `--app`/`-a` when it is a command (cdk runs it to synthesize). */
  readonly appCommand?: string;
  /** `-c k=v` / `--context k=v` pairs, flattened: they apply to a synth. */
  readonly context: string[];
  /** Everything else, in order. */
  readonly rest: string[];
}

/** Sorts the pass-through cdk arguments; `isAssembly` tells an assembly directory from an app command, as cdk does. */
export function splitCdkArgs(args: string[], isAssembly: (dir: string) => boolean = isCloudAssembly): CdkArguments {
  let app: string | undefined;
  const context: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const inline = /^(--app|--context)=(.*)$/.exec(args[i]);
    if (inline) {
      if (inline[1] === '--app') app = inline[2];
      else context.push('--context', inline[2]);
    } else if ((args[i] === '--app' || args[i] === '-a') && i + 1 < args.length) {
      app = args[++i];
    } else if ((args[i] === '-c' || args[i] === '--context') && i + 1 < args.length) {
      context.push(args[i], args[++i]);
    } else {
      rest.push(args[i]);
    }
  }
  if (app === undefined) return { context, rest };
  return isAssembly(app) ? { assembly: app, context, rest } : { appCommand: app, context, rest };
}

/** The cdk command lines of a request that passed all checks: the synth to run first, if any, and the command itself. */
export interface CdkPlan {
  /** `cdk synth` into `SYNTH_OUTPUT`, for a deploy without an assembly; absent otherwise. */
  readonly synth?: string[];
  /** The cloud assembly the deploy reads and the pre-checks scan (deploy only). */
  readonly assembly?: string;
  /** The cdk command of the action. */
  readonly command: string[];
  /** Context arguments that cannot apply, because `--app` names an assembly already synthesized. */
  readonly ignoredContext: string[];
}

// An empty pre-synth build command: an assembly directory needs no build (cdk runs cdk.json's `build` before reading --app).
const NO_BUILD = ['--build', ''];

/**
 * The cdk command lines for a request: `deploy` synthesizes once into cdk.out (context arguments apply there) and
 * deploys that assembly, or deploys the assembly `--app` names without synthesizing; `diff` and `destroy` pass every
 * argument through, `--app` included.
 */
export function cdkPlan(request: DeployRequest, stage: FintechEnvironment, env: { readonly CI?: string },
  isAssembly: (dir: string) => boolean = isCloudAssembly): CdkPlan {
  const selector = `${stage.name}/*`;
  switch (request.action) {
    case 'deploy': {
      const args = splitCdkArgs(request.cdkArgs, isAssembly);
      const assembly = args.assembly ?? SYNTH_OUTPUT;
      // Nobody can answer the approval prompt in CI; by hand, cdk asks before broadening IAM.
      // `--build ''`: cdk otherwise runs cdk.json's pre-synth build command even for an assembly that is already built.
      const command = ['deploy', selector, '--app', assembly, ...NO_BUILD, ...(isCi(env) ? ['--require-approval', 'never'] : []), ...args.rest];
      if (args.assembly) return { assembly, command, ignoredContext: args.context };
      const synth = ['synth', '--quiet', '--output', SYNTH_OUTPUT, ...(args.appCommand ? ['--app', args.appCommand] : []), ...args.context];
      return { synth, assembly, command, ignoredContext: [] };
    }
    case 'diff':
    case 'destroy': {
      const prebuilt = splitCdkArgs(request.cdkArgs, isAssembly).assembly ? NO_BUILD : [];
      const command = request.action === 'diff' ? ['diff', selector] : ['destroy', selector, '--force'];
      return { command: [...command, ...prebuilt, ...request.cdkArgs], ignoredContext: [] };
    }
  }
}

/** How a cdk run ended. */
export interface CdkExit {
  readonly code: number;
  /** Whether Ctrl-C (SIGINT) reached `fintech-deploy` while cdk ran. */
  readonly interrupted: boolean;
}

/** What `main` needs from the outside world; injected in tests. */
export interface DeployDependencies {
  /** STS GetCallerIdentity. */
  readonly callerIdentity: CallerIdentity;
  /** The CDK bootstrap version of a region, undefined when not bootstrapped. */
  readonly bootstrapVersion: BootstrapVersion;
  /** SSM parameters, of those named, that do not exist in a region. */
  readonly missingParameters: MissingParameters;
  /** CloudFormation states of stacks in a region. */
  readonly stackStates: StackStates;
  /** Runs the cdk CLI with inherited output, forwarding Ctrl-C to it. */
  readonly runCdk: (args: string[]) => Promise<CdkExit>;
}

function realDependencies(): DeployDependencies {
  return {
    callerIdentity: stsCallerIdentity(process.cwd()),
    bootstrapVersion: ssmBootstrapVersion(process.cwd()),
    missingParameters: ssmMissingParameters(process.cwd()),
    stackStates: cloudFormationStackStates(process.cwd()),
    runCdk: args => runForwardingInterrupt(path.resolve('node_modules', '.bin', 'cdk'), args),
  };
}

/**
 * Runs a command with inherited output. Ctrl-C does not stop `fintech-deploy`: it is forwarded to the command (which,
 * in a terminal, gets it from the terminal too; cdk exits on the first), so `fintech-deploy` can say afterwards in which
 * state the stacks were left.
 */
export function runForwardingInterrupt(command: string, args: string[]): Promise<CdkExit> {
  return new Promise(resolve => {
    let interrupted = false;
    const child = spawn(command, args, { stdio: 'inherit' });
    const forward = (): void => {
      interrupted = true;
      child.kill('SIGINT');
    };
    process.on('SIGINT', forward);
    const done = (code: number): void => {
      process.off('SIGINT', forward);
      resolve({ code, interrupted });
    };
    child.on('error', error => {
      console.error(`fintech-deploy: could not run ${command}: ${error.message}. Run npx projen install first.`);
      done(1);
    });
    child.on('close', (code, signal) => done(code ?? (signal === 'SIGINT' ? INTERRUPTED_EXIT_CODE : 1)));
  });
}

/** Entry point of the `fintech-deploy` bin; returns the exit code. */
export async function main(argv: string[], dependencies: DeployDependencies = realDependencies()): Promise<number> {
  const request = parseRequest(argv);
  if (!request) {
    console.error(USAGE);
    return 2;
  }
  if (!fs.existsSync(CONFIG_FILE)) {
    console.error(`fintech-deploy: ${CONFIG_FILE} not found; run it from the project root after npx projen.`);
    return 1;
  }
  const config: FintechPlatformConfig = JSON.parse(fs.readFileSync(CONFIG_FILE, 'utf-8'));
  const refused = refusal(request, config, process.env);
  if (refused) {
    console.error(`fintech-deploy: refused. ${refused}`);
    return 1;
  }
  // Against an emulator every check still runs: STS, SSM and CloudFormation are APIs moto and LocalStack answer, and
  // the account guard of durable stages stays on (an emulator's fixed account, e.g. moto's 123456789012, must match).
  const notice = emulatorNotice('fintech-deploy', process.env);
  if (notice) console.log(notice);
  const stage = config.environments.find(e => e.name === request.stage)!;
  const precheck = await precheckCredentials(stage.region, dependencies.callerIdentity);
  if (!precheck.ok) {
    console.error(`fintech-deploy: ${request.action} ${stage.name}: ${precheck.message}`);
    return 1;
  }
  if (stage.account && precheck.account && stage.account !== precheck.account) {
    console.error(`fintech-deploy: refused. Stage "${stage.name}" belongs to account ${stage.account}, but your credentials are for ${precheck.account}. Switch profile or role and try again.`);
    return 1;
  }
  const plan = cdkPlan(request, stage, process.env);
  if (request.action !== 'deploy') return finish(request, stage, plan, await dependencies.runCdk(plan.command), dependencies);

  // Without the bootstrap stack, cdk deploy fails only after synthesizing and building every asset: the home region and
  // the replica regions are known before the synth, any other region a stack names (us-east-1 for CloudFront) after it.
  const account = stage.account ?? precheck.account;
  const checkedRegions = [stage.region, ...(stage.replicaRegions ?? [])];
  if (!await bootstrapped(stage.name, checkedRegions, account, dependencies)) return 1;
  if (plan.ignoredContext.length > 0) {
    console.error(`fintech-deploy: ignoring ${plan.ignoredContext.join(' ')}: --app ${plan.assembly} is already synthesized; pass the context to the synth that made it.`);
  }
  if (plan.synth) {
    console.log(`fintech-deploy: synthesizing the app into ${SYNTH_OUTPUT} once; the deploy reads that assembly.`);
    const synth = await dependencies.runCdk(plan.synth);
    if (synth.interrupted) {
      console.error(`fintech-deploy: deploy ${stage.name} interrupted while synthesizing; nothing was deployed.`);
      return INTERRUPTED_EXIT_CODE;
    }
    if (synth.code !== 0) {
      console.error(`fintech-deploy: deploy ${stage.name}: cdk synth failed (exit ${synth.code}); nothing was deployed.`);
      return synth.code;
    }
  }
  let stacks: StackToCheck[];
  let templateSources: string[];
  try {
    const assembly = readStageAssembly(plan.assembly!, stage.name);
    stacks = assembly.stacks.map(s => ({ stackName: s.stackName, displayName: s.displayName, region: s.region ?? stage.region }));
    templateSources = assembly.templateSources;
  } catch (error) {
    console.error(`fintech-deploy: deploy ${stage.name}: ${(error as Error).message}`);
    return 1;
  }
  if (stacks.length === 0) {
    console.error(`fintech-deploy: deploy ${stage.name}: the cloud assembly in ${plan.assembly} has no stack of stage ${stage.name} (none displayed as ${stage.name}/...); ` +
      'check that src/main.ts creates the stage, or that --app names the assembly of this app.');
    return 1;
  }
  const otherRegions = [...new Set(stacks.map(s => s.region))].filter(region => !checkedRegions.includes(region));
  if (!await bootstrapped(stage.name, otherRegions, account, dependencies)) return 1;
  const unset = precheckUnsetInputs(templateSources);
  if (!unset.ok) {
    console.error(`fintech-deploy: deploy ${stage.name}: ${unset.message}`);
    return 1;
  }
  const parameters = await precheckParameters(stage.region, ssmParameterLookups(templateSources), dependencies.missingParameters, {
    emulator: endpointOverrides(process.env).length > 0,
    withoutPowertoolsLayer: `npx projen deploy:${stage.name} -- -c fintech:powertools-layer=false`,
  });
  if (parameters.message) console.error(`fintech-deploy: ${parameters.ok ? '' : `deploy ${stage.name}: `}${parameters.message}`);
  if (!parameters.ok) return 1;
  const states = await precheckStackStates(stage.name, stacks, dependencies.stackStates, endpointOverrides(process.env).length > 0);
  for (const note of states.notes) console.error(`fintech-deploy: ${note}`);
  if (states.message) console.error(`fintech-deploy: ${states.ok ? '' : `deploy ${stage.name}: `}${states.message}`);
  if (!states.ok) return 1;
  return finish(request, stage, plan, await dependencies.runCdk(plan.command), dependencies, stacks);
}

/** Whether every region is bootstrapped (or could not be read); prints each region's message. */
async function bootstrapped(stageName: string, regions: readonly string[], account: string | undefined,
  dependencies: DeployDependencies): Promise<boolean> {
  let ok = true;
  for (const region of regions) {
    const bootstrap = await precheckBootstrap(region, account, dependencies.bootstrapVersion);
    if (bootstrap.message) console.error(`fintech-deploy: ${bootstrap.ok ? '' : `deploy ${stageName}: `}${bootstrap.message}`);
    ok = ok && bootstrap.ok;
  }
  return ok;
}

/** The exit code of the cdk command; after Ctrl-C, first says what state the stacks may be in and what to run next. */
async function finish(request: DeployRequest, stage: FintechEnvironment, plan: CdkPlan, exit: CdkExit, dependencies: DeployDependencies,
  stacks?: StackToCheck[]): Promise<number> {
  if (!exit.interrupted) return exit.code;
  const again = `npx projen ${request.action}:${stage.name}`;
  if (request.action === 'diff') {
    console.error(`fintech-deploy: diff ${stage.name} interrupted; a diff changes nothing.`);
    return INTERRUPTED_EXIT_CODE;
  }
  const lines = [
    `fintech-deploy: ${request.action} ${stage.name} interrupted (Ctrl-C). cdk stopped, but CloudFormation goes on with an operation it ` +
    'had started on a stack, to its end or its rollback.',
  ];
  let advice: string[] | undefined;
  if (stacks) {
    try {
      advice = (await adviceFor(stage.name, stacks, dependencies.stackStates, endpointOverrides(process.env).length > 0)).map(a => `  ${a.advice}`);
    } catch (error) {
      lines.push(`Could not read the stacks' states (${(error as Error).name ?? 'Error'}).`);
    }
  }
  if (advice && advice.length === 0) {
    lines.push(`No stack of ${stage.name} is in progress or failed: run ${again} again to finish.`);
  } else if (advice) {
    lines.push(...advice);
  } else if (request.action === 'destroy') {
    lines.push(`Run ${again} again once no stack of ${stage.name} is DELETE_IN_PROGRESS: it deletes what is left and skips stacks already gone. ` +
      'A stack in DELETE_FAILED names, in its events, the resource that could not be deleted.');
  } else {
    lines.push(`The next ${again} continues once no stack of ${stage.name} is in an *_IN_PROGRESS state (it checks first). ` +
      'A stack in ROLLBACK_COMPLETE is deleted and created again by the next deploy; one in UPDATE_ROLLBACK_FAILED needs ' +
      `npx cdk rollback --app ${plan.assembly ?? SYNTH_OUTPUT} '${stage.name}/<stack>' first.`);
  }
  console.error(lines.join('\n'));
  return INTERRUPTED_EXIT_CODE;
}

function isCi(env: { readonly CI?: string }): boolean {
  return env.CI === 'true' || env.CI === '1';
}

if (require.main === module) {
  void main(process.argv.slice(2)).then(code => { process.exitCode = code; });
}
