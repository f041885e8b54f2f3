// The app command `fintech-integ snapshot` and `verify` give integ-runner: integ-runner synthesizes each test twice
// (once to read its test cases, once into the snapshot), with the same context and environment. This synthesizes the
// first time and hands out a copy of that cloud assembly the second time, so a snapshot costs one synth instead of two.
// Usage (run by integ-runner, with CDK_OUTDIR and CDK_CONTEXT_JSON set): synth-once CACHE_DIR TS_NODE TEST_FILE
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

// Lock files the CDK toolkit keeps in an assembly directory while it synthesizes or reads it: never part of a copy.
const TOOLKIT_LOCK = /\.lock$/;

// Variables that differ between integ-runner's two synths without changing the assembly: the output directory, and the
// docker command its deploy worker names (used only by Docker bundling, which gives the same output by either name).
const NOT_IN_KEY = ['CDK_OUTDIR', 'CDK_DOCKER'];

/**
 * The key of one synth: the test file's path and content, and every environment variable but `NOT_IN_KEY`,
 * CDK_CONTEXT_JSON included (and the file the toolkit writes large contexts to, by content). Any difference misses.
 */
export function synthKey(file: string, env: NodeJS.ProcessEnv): string {
  const hash = createHash('sha256');
  hash.update(path.resolve(file)).update('\0').update(fs.readFileSync(file));
  for (const name of Object.keys(env).filter(n => !NOT_IN_KEY.includes(n)).sort()) {
    hash.update(`\0${name}=${env[name]}`);
  }
  const overflow = env.CONTEXT_OVERFLOW_LOCATION;
  if (overflow && fs.existsSync(overflow)) hash.update('\0').update(fs.readFileSync(overflow));
  return hash.digest('hex');
}

/** Copies an assembly directory without the toolkit's lock files. */
function copyAssembly(from: string, to: string): void {
  fs.mkdirSync(to, { recursive: true });
  fs.cpSync(from, to, { recursive: true, filter: source => source === from || !TOOLKIT_LOCK.test(path.basename(source)) });
}

/** Runs one synth of `file` into CDK_OUTDIR, or copies the assembly of an identical earlier one; resolves to the exit code. */
export function synthOnce(cacheDir: string, tsNode: string, file: string, env: NodeJS.ProcessEnv = process.env,
  run: (command: string, args: string[]) => number = (command, args) => spawnSync(command, args, { stdio: 'inherit', env }).status ?? 1): number {
  const outdir = env.CDK_OUTDIR;
  if (!outdir) {
    console.error('synth-once: CDK_OUTDIR is not set; it runs as the app command of integ-runner, which sets it (use fintech-integ snapshot or verify).');
    return 2;
  }
  const cached = path.join(cacheDir, synthKey(file, env));
  if (fs.existsSync(cached)) {
    copyAssembly(cached, outdir);
    return 0;
  }
  const code = run(tsNode, ['--transpile-only', file]);
  if (code === 0) {
    // Written beside and renamed: a half-written copy is never taken for a whole one.
    const partial = `${cached}.${process.pid}.partial`;
    copyAssembly(outdir, partial);
    fs.renameSync(partial, cached);
  }
  return code;
}

if (require.main === module) {
  const [cacheDir, tsNode, file] = process.argv.slice(2);
  if (!cacheDir || !tsNode || !file) {
    console.error('usage: synth-once CACHE_DIR TS_NODE TEST_FILE (the app command fintech-integ gives integ-runner)');
    process.exit(2);
  }
  process.exit(synthOnce(cacheDir, tsNode, file));
}
