#!/usr/bin/env node
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { BootstrapVersion, CallerIdentity, precheckBootstrap, precheckCredentials, ssmBootstrapVersion, stsCallerIdentity } from './credentials-precheck';
import { FintechEnvironment, FintechPlatformConfig } from '../config/platform-config';

const USAGE = `usage: fintech-deploy <deploy|diff|destroy> STAGE [--confirm] [-- CDK_ARGS...]

  deploy   checks the stage, the credentials and the region's CDK bootstrap (in seconds), then cdk deploy 'STAGE/*'
  diff     checks the credentials, then cdk diff 'STAGE/*'
  destroy  checks the credentials, then cdk destroy 'STAGE/*'

Durable stages need an account in .projenrc.ts, and --confirm (or CI=true) to deploy or destroy.`;

const CONFIG_FILE = path.join('src', 'fintech.config.json');

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

/** The cdk command line for a request that passed all checks. */
export function cdkCommand(request: DeployRequest, stage: FintechEnvironment, env: { readonly CI?: string }): string[] {
  const selector = `${stage.name}/*`;
  switch (request.action) {
    case 'deploy':
      // Nobody can answer the approval prompt in CI; by hand, cdk asks before broadening IAM.
      return ['deploy', selector, ...(isCi(env) ? ['--require-approval', 'never'] : []), ...request.cdkArgs];
    case 'diff':
      return ['diff', selector, ...request.cdkArgs];
    case 'destroy':
      return ['destroy', selector, '--force', ...request.cdkArgs];
  }
}

/** What `main` needs from the outside world; injected in tests. */
export interface DeployDependencies {
  /** STS GetCallerIdentity. */
  readonly callerIdentity: CallerIdentity;
  /** The CDK bootstrap version of a region, undefined when not bootstrapped. */
  readonly bootstrapVersion: BootstrapVersion;
  /** Runs the cdk CLI with inherited output; returns its exit code. */
  readonly runCdk: (args: string[]) => number;
}

function realDependencies(): DeployDependencies {
  return {
    callerIdentity: stsCallerIdentity(process.cwd()),
    bootstrapVersion: ssmBootstrapVersion(process.cwd()),
    runCdk: args => spawnSync(path.resolve('node_modules', '.bin', 'cdk'), args, { stdio: 'inherit' }).status ?? 1,
  };
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
  if (request.action === 'deploy') {
    // Without the bootstrap stack, cdk deploy fails only after synthesizing and building every asset.
    const bootstrap = await precheckBootstrap(stage.region, stage.account ?? precheck.account, dependencies.bootstrapVersion);
    if (bootstrap.message) console.error(`fintech-deploy: ${bootstrap.ok ? '' : `deploy ${stage.name}: `}${bootstrap.message}`);
    if (!bootstrap.ok) return 1;
  }
  return dependencies.runCdk(cdkCommand(request, stage, process.env));
}

function isCi(env: { readonly CI?: string }): boolean {
  return env.CI === 'true' || env.CI === '1';
}

if (require.main === module) {
  void main(process.argv.slice(2)).then(code => { process.exitCode = code; });
}
