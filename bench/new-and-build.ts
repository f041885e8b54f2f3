// Benchmark: `projen new` and `projen build` of a baseline repo against a FintechCdkApp repo, measured in the same run
// on the same machine. Prints wall times and ratios; asserts nothing.
// Usage: npx projen bench:new-and-build [-- --blueprints=NAME ... --baseline-blueprints=NAME ...]   (needs dist/js from `npx projen package`)
// The FintechCdkApp repo gets the blueprints named (as `projen new --blueprints NAME` would), else the default one. The
// baseline is a plain awscdk-app-ts (goal <= 1.00x), or with --baseline-blueprints a FintechCdkApp repo of those blueprints,
// which measures what an add-on costs: --blueprints=payment-webhook --blueprints=observability --baseline-blueprints=payment-webhook
// (goal <= 1.20x).
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), 'fintech-bench-'));
const env: NodeJS.ProcessEnv = { ...process.env };
delete env.CI; // projen would install with `npm ci`, which needs a lock file a new repo lacks

const WARM_ROUNDS = 3;
const BLUEPRINT_FLAGS = process.argv.slice(2).filter(arg => /^--blueprints=[a-z-]+$/.test(arg));
const BASELINE_FLAGS = process.argv.slice(2).filter(arg => /^--baseline-blueprints=[a-z-]+$/.test(arg));
// projen passes the `--` of `npx projen bench:new-and-build -- --blueprints=NAME` through.
const UNKNOWN_ARGS = process.argv.slice(2).filter(arg => arg !== '--' && !BLUEPRINT_FLAGS.includes(arg) && !BASELINE_FLAGS.includes(arg));

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function timed(label: string, command: string, args: string[], cwd: string): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) {
    throw new Error(`${label} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  console.log(`  ${label.padEnd(34)} ${seconds.toFixed(1).padStart(7)} s`);
  return seconds;
}

function main() {
  if (UNKNOWN_ARGS.length > 0) {
    throw new Error(`bench/new-and-build: unknown argument ${UNKNOWN_ARGS.join(' ')}; the only ones are --blueprints=NAME and --baseline-blueprints=NAME ` +
      '(both repeatable), e.g. --blueprints=transaction-web-app');
  }
  const blueprints = BLUEPRINT_FLAGS.map(flag => flag.slice('--blueprints='.length));
  const baselineBlueprints = BASELINE_FLAGS.map(flag => flag.slice('--baseline-blueprints='.length));
  const baselineName = baselineBlueprints.length > 0 ? `FintechCdkApp (${baselineBlueprints.join(', ')})` : 'plain awscdk-app-ts';
  const projen = path.join(ROOT, 'node_modules', '.bin', 'projen');
  const baseline = path.join(WORK, 'baseline');
  const fintech = path.join(WORK, 'fintech');
  console.log(`bench/new-and-build (work dir ${WORK}; FintechCdkApp blueprints: ${blueprints.length > 0 ? blueprints.join(', ') : 'the default'}; baseline: ${baselineName})`);

  const generate = (dir: string, flags: string[]) =>
    [path.join(ROOT, 'scripts', 'generate-project.sh'), dir, '--team=payments', '--cost-center=cc-1234', '--alarm-email=oncall@example.com', ...flags];
  let baselineNew: number;
  if (baselineBlueprints.length > 0) {
    baselineNew = timed('baseline: projen new', 'bash', generate(baseline, baselineBlueprints.map(name => `--blueprints=${name}`)), ROOT);
  } else {
    fs.mkdirSync(baseline);
    baselineNew = timed('plain awscdk-app-ts: projen new', projen, ['new', 'awscdk-app-ts', '--cdk-version=2.257.0', '--no-git'], baseline);
  }
  const fintechNew = timed('FintechCdkApp: projen new', 'bash', generate(fintech, BLUEPRINT_FLAGS), ROOT);
  // A first build warms caches; warm builds are the figure that matters day to day. They alternate between the two
  // repos and the median of each is compared, so a slow moment of this shared machine hits both alike.
  timed('baseline: projen build (cold)', 'npx', ['projen', 'build'], baseline);
  timed('FintechCdkApp: projen build (cold)', 'npx', ['projen', 'build'], fintech);
  const baselineRuns: number[] = [];
  const fintechRuns: number[] = [];
  for (let round = 1; round <= WARM_ROUNDS; round++) {
    baselineRuns.push(timed(`baseline: projen build (warm ${round})`, 'npx', ['projen', 'build'], baseline));
    fintechRuns.push(timed(`FintechCdkApp: projen build (warm ${round})`, 'npx', ['projen', 'build'], fintech));
  }
  const baselineBuild = median(baselineRuns);
  const fintechBuild = median(fintechRuns);

  console.log('');
  console.log(`  projen new   ratio FintechCdkApp / baseline: ${(fintechNew / baselineNew).toFixed(2)}x (includes installing the tarball and its peers)`);
  console.log(`  projen build (median of ${WARM_ROUNDS} warm): baseline ${baselineName} ${baselineBuild.toFixed(1)} s, FintechCdkApp ${fintechBuild.toFixed(1)} s`);
  console.log(`  projen build ratio FintechCdkApp / baseline: ${(fintechBuild / baselineBuild).toFixed(2)}x (goal: <= ${baselineBlueprints.length > 0 ? '1.20' : '1.00'}x)`);
  fs.rmSync(WORK, { recursive: true, force: true });
}

main();
