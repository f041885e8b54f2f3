import { spawnSync, SpawnSyncReturns } from 'child_process';
import * as path from 'path';

// How the e2e tests run projen and npm in a repo generated from the packed tarball.

/** The package's root, whose dist/js holds the tarball. */
export const ROOT = path.join(__dirname, '..', '..');

/** Nested projen runs must not see jest's or CI's environment (CI=true makes projen install with `npm ci`). */
export const nestedEnv: NodeJS.ProcessEnv = { ...process.env };
for (const name of ['CI', 'NODE_ENV', 'JEST_WORKER_ID']) delete nestedEnv[name];

/** Runs a command in `cwd` with `nestedEnv`, returning its result whatever its exit status. */
export function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env: nestedEnv, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024 });
}

/** Runs a command in `cwd` and returns its output; throws with both streams when it fails. */
export function mustRun(command: string, args: string[], cwd: string): string {
  const result = run(command, args, cwd);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd} (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** Generates a repo into `dir` from the packed tarball, with `projen new` flags, as scripts/generate-project.sh does. */
export function generate(dir: string, flags: string[]): SpawnSyncReturns<string> {
  return run('bash', [path.join(ROOT, 'scripts', 'generate-project.sh'), dir, ...flags], ROOT);
}
