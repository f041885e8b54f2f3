#!/usr/bin/env node
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import {
  BootstrapVersion, CallerIdentity, MissingParameters, precheckBootstrap, precheckCredentials,
  ssmBootstrapVersion, ssmMissingParameters, stsCallerIdentity,
} from './credentials-precheck';
import { emulatorNotice, endpointOverrides } from './endpoint-override';
import { precheckIntegInputs, precheckUnsetInputs } from './input-precheck';
import { compareSnapshots, formatComparison, isUnchanged } from './snapshot-comparison';
import { precheckParameters, ssmParameterLookups } from './ssm-parameter-precheck';
import { assemblyStacks } from './stage-assembly';

const USAGE = `usage: fintech-integ <snapshot|verify|deploy|destroy> [--directory test/integ] [--region us-east-1] [TEST...] [-- INTEG_RUNNER_ARGS...]

  snapshot  synthesize every integ test (assertion stacks included) and write its snapshot; no AWS needed
  verify    synthesize again and compare with the committed snapshots: fails on a test without a
            snapshot (NEW) or with any difference (CHANGED), nested stage assemblies and assertions included
  deploy    check the inputs the tests need from the account (IntegInput: environment variables), credentials,
            bootstrap and the SSM parameters the stacks resolve (in seconds), then let
            integ-runner deploy each test to the region, run its assertions and destroy it, also when an
            assertion fails
  destroy   check credentials, then destroy every stack of each test's snapshot (after an interrupted deploy)

  --region  region of the tests; AWS_REGION wins when set (snapshot and verify make no AWS call)`;

type Command = 'snapshot' | 'verify' | 'deploy' | 'destroy';

interface Options {
  readonly command: Command;
  readonly directory: string;
  readonly region: string;
  readonly tests: string[];
  readonly passThrough: string[];
}

/** What deploy and destroy need from the outside world; injected in tests. */
export interface IntegDependencies {
  /** STS GetCallerIdentity. */
  readonly callerIdentity: CallerIdentity;
  /** The CDK bootstrap version of a region, undefined when not bootstrapped. */
  readonly bootstrapVersion: BootstrapVersion;
  /** SSM parameters, of those named, that do not exist in a region. */
  readonly missingParameters: MissingParameters;
  /** Runs a command with inherited output; returns its exit code. */
  readonly run: (command: string, args: string[], env: NodeJS.ProcessEnv) => number;
}

function realDependencies(): IntegDependencies {
  return {
    callerIdentity: stsCallerIdentity(process.cwd()),
    bootstrapVersion: ssmBootstrapVersion(process.cwd()),
    missingParameters: ssmMissingParameters(process.cwd()),
    run: (command, args, env) => spawnSync(command, args, { stdio: 'inherit', env }).status ?? 1,
  };
}

/** Entry point of the `fintech-integ` bin; resolves to the exit code. */
export async function main(argv: string[], dependencies: IntegDependencies = realDependencies()): Promise<number> {
  const options = parse(argv);
  if (!options) {
    console.error(USAGE);
    return 2;
  }
  const tests = discover(options.directory, options.tests);
  if (tests.length === 0) {
    // Nothing to snapshot or verify is fine (a repo without integ tests yet); nothing to deploy or destroy is a mistake.
    const offline = options.command === 'snapshot' || options.command === 'verify';
    (offline ? console.log : console.error)(`fintech-integ: no integ tests (integ.*.ts) in ${options.directory}`);
    return offline ? 0 : 1;
  }
  switch (options.command) {
    case 'snapshot': return snapshot(options, tests);
    case 'verify': return verify(options, tests);
    case 'deploy': return deploy(options, tests, dependencies);
    case 'destroy': return destroy(options, tests, dependencies);
  }
}

function parse(argv: string[]): Options | undefined {
  const separator = argv.indexOf('--');
  const [command, ...rest] = separator >= 0 ? argv.slice(0, separator) : argv;
  const passThrough = separator >= 0 ? argv.slice(separator + 1) : [];
  if (command !== 'snapshot' && command !== 'verify' && command !== 'deploy' && command !== 'destroy') return undefined;
  if (passThrough.length > 0 && command !== 'deploy') return undefined;
  const values: { [flag: string]: string } = { directory: path.join('test', 'integ'), region: 'us-east-1' };
  const tests: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const flag = /^--(directory|region)(?:=(.*))?$/.exec(rest[i]);
    if (flag && flag[2] !== undefined) values[flag[1]] = flag[2];
    else if (flag && rest[i + 1]) values[flag[1]] = rest[++i];
    else if (rest[i].startsWith('-')) return undefined;
    else tests.push(path.basename(rest[i]));
  }
  return { command, directory: values.directory, region: process.env.AWS_REGION || values.region, tests, passThrough };
}

function discover(directory: string, only: string[]): string[] {
  if (!fs.existsSync(directory)) return [];
  return fs.readdirSync(directory)
    .filter(f => /^integ\..+\.ts$/.test(f) && !f.endsWith('.d.ts'))
    .filter(f => only.length === 0 || only.includes(f))
    .sort();
}

const BIN = path.resolve('node_modules', '.bin');

/**
 * integ-runner's arguments common to every command: the tests, TypeScript through transpile-only ts-node (or `app`,
 * with `{filePath}` where the test file goes), one region.
 */
export function integRunnerArgs(directory: string, region: string, tests: string[], app = `${path.join(BIN, 'ts-node')} --transpile-only {filePath}`): string[] {
  return [
    ...tests,
    '--language', 'typescript',
    '--directory', directory,
    '--app', app,
    `--parallel-regions=${region}`,
  ];
}

/**
 * The app command for offline snapshots: synth-once (beside this file, run the way this file runs) synthesizes a test
 * once and gives integ-runner's second, identical synth a copy, with `cacheDir` holding the assemblies of this run.
 */
export function synthOnceApp(cacheDir: string): string {
  const script = path.join(__dirname, `synth-once${path.extname(__filename)}`);
  const runner = script.endsWith('.ts') ? `${path.join(BIN, 'ts-node')} --transpile-only` : process.execPath;
  return `${runner} ${script} ${path.resolve(cacheDir)} ${path.join(BIN, 'ts-node')} {filePath}`;
}

/** Runs integ-runner's offline snapshot writer (`--force --dry-run`: synthesizes, never deploys). */
function writeSnapshots(options: Options, tests: string[]): boolean {
  const cacheDir = fs.mkdtempSync(path.join(cacheRoot(), 'fintech-integ-synth-'));
  // AWS_REGION is set for the synth too: without one the CDK probes the EC2 metadata endpoint, seconds per synth offline.
  const result = spawnSync(path.join(BIN, 'integ-runner'), [
    ...integRunnerArgs(options.directory, options.region, tests, synthOnceApp(cacheDir)),
    '--update-on-failed', '--force', '--dry-run',
  ], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf-8', env: { ...process.env, AWS_REGION: options.region } });
  fs.rmSync(cacheDir, { recursive: true, force: true });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    console.error(`fintech-integ: synthesizing the integ tests failed (integ-runner exit ${result.status ?? result.signal}).`);
    return false;
  }
  return true;
}

/** node_modules/.cache: never committed, and on the snapshots' file system, so renames there are atomic. */
function cacheRoot(): string {
  const cache = path.join('node_modules', '.cache');
  fs.mkdirSync(cache, { recursive: true });
  return cache;
}

function snapshot(options: Options, tests: string[]): number {
  if (!writeSnapshots(options, tests)) return 1;
  for (const test of tests) console.log(`SNAPSHOT  ${test} -> ${path.join(options.directory, `${test}.snapshot`)}`);
  return 0;
}

function verify(options: Options, tests: string[]): number {
  const directory = options.directory;
  const fresh = tests.filter(t => !fs.existsSync(snapshotDir(directory, t)));
  for (const test of fresh) {
    console.error(`NEW      ${test}: no snapshot yet. Run \`npx projen integ:snapshot\` and commit ${test}.snapshot/.`);
  }
  const known = tests.filter(t => !fresh.includes(t));
  if (known.length === 0) return fresh.length > 0 ? 1 : 0;

  // Move the committed snapshots aside, let integ-runner synthesize new ones, compare, then put the committed ones back.
  // Same file system as the snapshots, so renames are atomic; node_modules is never committed.
  const backup = fs.mkdtempSync(path.join(cacheRoot(), 'fintech-integ-'));
  for (const test of known) fs.renameSync(snapshotDir(directory, test), path.join(backup, test));
  let changed = 0;
  try {
    if (!writeSnapshots(options, known)) return 1;
    for (const test of known) {
      const comparison = compareSnapshots(path.join(backup, test), snapshotDir(directory, test));
      if (isUnchanged(comparison)) {
        console.log(`UNCHANGED  ${test}`);
      } else {
        changed++;
        console.error(formatComparison(test, comparison));
      }
    }
  } finally {
    for (const test of known) {
      fs.rmSync(snapshotDir(directory, test), { recursive: true, force: true });
      fs.renameSync(path.join(backup, test), snapshotDir(directory, test));
    }
    fs.rmSync(backup, { recursive: true, force: true });
  }
  if (changed > 0) {
    console.error(`\n${changed} integ test(s) CHANGED since their snapshot. If the change is intended, run \`npx projen integ:snapshot\` and commit the snapshots.`);
  }
  return changed > 0 || fresh.length > 0 ? 1 : 0;
}

/** Fails, naming each parameter and the stacks that need it, when a parameter the stacks resolve at deploy time does not exist. */
async function precheckSnapshotParameters(options: Options, tests: string[], dependencies: IntegDependencies): Promise<boolean> {
  const lookups = ssmParameterLookups(tests.map(test => snapshotDir(options.directory, test)));
  const result = await precheckParameters(options.region, lookups, dependencies.missingParameters, {
    emulator: endpointOverrides(process.env).length > 0,
    withoutPowertoolsLayer: "create the integ test's App with new App({ context: { 'fintech:powertools-layer': false } }), then npx projen integ:snapshot",
  });
  if (result.message) console.error(`fintech-integ: ${result.ok ? '' : 'deploy: '}${result.message}`);
  return result.ok;
}

/** Credentials, then bootstrap: each fails in seconds with what to do, before anything is deployed. */
async function precheck(options: Options, dependencies: IntegDependencies): Promise<boolean> {
  // Against an emulator every check still runs: STS and SSM are APIs moto and LocalStack answer.
  const notice = emulatorNotice('fintech-integ', process.env);
  if (notice) console.log(notice);
  const credentials = await precheckCredentials(options.region, dependencies.callerIdentity);
  if (!credentials.ok) {
    console.error(`fintech-integ: ${options.command}: ${credentials.message}`);
    return false;
  }
  if (options.command !== 'deploy') return true;
  const bootstrap = await precheckBootstrap(options.region, credentials.account, dependencies.bootstrapVersion);
  if (bootstrap.message) console.error(`fintech-integ: ${bootstrap.ok ? '' : 'deploy: '}${bootstrap.message}`);
  return bootstrap.ok;
}

async function deploy(options: Options, tests: string[], dependencies: IntegDependencies): Promise<number> {
  // First, before any AWS call: what the tests need from the account (a domain, a certificate) is known from their snapshots.
  const snapshots = tests.map(test => snapshotDir(options.directory, test));
  for (const inputs of [precheckIntegInputs(snapshots, process.env), precheckUnsetInputs(snapshots)]) {
    if (!inputs.ok) {
      console.error(`fintech-integ: deploy: ${inputs.message}`);
      return 1;
    }
  }
  if (!await precheck(options, dependencies) || !await precheckSnapshotParameters(options, tests, dependencies)) return 1;
  console.log(`fintech-integ: deploying ${tests.join(', ')} to ${options.region}; integ-runner destroys each test's stacks after its assertions, also when they fail.`);
  console.log('fintech-integ: if this run is interrupted, clean up with `npx projen integ:destroy`.');
  // --force deploys even tests whose snapshot is unchanged: the point is to prove behaviour on AWS.
  const code = dependencies.run(path.join(BIN, 'integ-runner'), [...integRunnerArgs(options.directory, options.region, tests), '--force', ...options.passThrough],
    { ...process.env, AWS_REGION: options.region });
  if (code !== 0) console.error(`fintech-integ: deploy failed (integ-runner exit ${code}). Leftover stacks, if any: npx projen integ:destroy`);
  return code;
}

/** cdk destroy of every stack (nested stages and the assertion stack included) in a test's snapshot assembly. */
export function destroyArgs(assembly: string): string[] {
  return ['destroy', '--app', assembly, '**', '--force'];
}

async function destroy(options: Options, tests: string[], dependencies: IntegDependencies): Promise<number> {
  const missing = tests.filter(t => !fs.existsSync(snapshotDir(options.directory, t)));
  if (missing.length > 0) {
    console.error(`fintech-integ: destroy needs the snapshot of ${missing.join(', ')} to know its stacks: run \`npx projen integ:snapshot\` first.`);
    return 1;
  }
  const stacks = new Map<string, string[]>();
  for (const test of tests) {
    try {
      stacks.set(test, assemblyStacks(snapshotDir(options.directory, test)).map(s => s.stackName));
    } catch {
      console.error(`fintech-integ: the snapshot of ${test} is incomplete (no manifest.json), so its stacks are unknown: run \`npx projen integ:snapshot\` first.`);
      return 1;
    }
  }
  if (!await precheck(options, dependencies)) return 1;
  const failed: string[] = [];
  for (const test of tests) {
    // cdk destroy skips a stack that does not exist, so stacks an interrupted deploy never created are no error.
    console.log(`fintech-integ: destroying the stacks of ${test} in ${options.region} that exist: ${stacks.get(test)!.join(', ')}`);
    const code = dependencies.run(path.join(BIN, 'cdk'), destroyArgs(snapshotDir(options.directory, test)), { ...process.env, AWS_REGION: options.region });
    if (code !== 0) failed.push(test);
  }
  if (failed.length > 0) {
    console.error(`fintech-integ: destroying the stacks of ${failed.join(', ')} failed; the stacks' events in CloudFormation name the resource that could not be deleted. ` +
      'Fix it, then run `npx projen integ:destroy` again.');
  }
  return failed.length > 0 ? 1 : 0;
}

function snapshotDir(directory: string, test: string): string {
  return path.join(directory, `${test}.snapshot`);
}

if (require.main === module) {
  void main(process.argv.slice(2)).then(code => { process.exitCode = code; });
}
