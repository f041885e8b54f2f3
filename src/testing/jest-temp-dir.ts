import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

// Jest's globalSetup and globalTeardown: every temporary directory of one run (the tests' own mkdtemp calls, and the
// cdk.out directory aws-cdk-lib makes for each App without an outdir) lands in one directory, removed when the run ends.
// Workers start after globalSetup, so they inherit TMPDIR and os.tmpdir() answers the run's directory.
const RUN_DIR = 'FINTECH_JEST_RUN_TMPDIR';

/** Points TMPDIR at a new directory for this run, inside the current temporary directory. */
export function setup(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fintech-jest-'));
  process.env[RUN_DIR] = dir;
  process.env.TMPDIR = dir;
}

/** Removes the directory `setup` made, with everything the run left in it. */
export function teardown(): void {
  const dir = process.env[RUN_DIR];
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
}
