#!/usr/bin/env node
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { compareSnapshots, formatComparison, isUnchanged } from './snapshot-comparison';

const USAGE = `usage: fintech-integ <snapshot|verify> [--directory test/integ] [TEST...]

  snapshot  synthesize every integ test (assertion stacks included) and write its snapshot; no AWS needed
  verify    synthesize again and compare with the committed snapshots: fails on a test without a
            snapshot (NEW) or with any difference (CHANGED), nested stage assemblies and assertions included`;

interface Options {
  readonly command: string;
  readonly directory: string;
  readonly tests: string[];
}

/** Entry point of the `fintech-integ` bin; returns the exit code. */
export function main(argv: string[]): number {
  const options = parse(argv);
  if (!options) {
    console.error(USAGE);
    return 2;
  }
  const tests = discover(options.directory, options.tests);
  if (tests.length === 0) {
    console.error(`fintech-integ: no integ tests (integ.*.ts) in ${options.directory}`);
    return 1;
  }
  return options.command === 'snapshot' ? snapshot(options.directory, tests) : verify(options.directory, tests);
}

function parse(argv: string[]): Options | undefined {
  const [command, ...rest] = argv;
  if (command !== 'snapshot' && command !== 'verify') return undefined;
  let directory = path.join('test', 'integ');
  const tests: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--directory' && rest[i + 1]) directory = rest[++i];
    else if (rest[i].startsWith('--directory=')) directory = rest[i].slice('--directory='.length);
    else if (rest[i].startsWith('-')) return undefined;
    else tests.push(path.basename(rest[i]));
  }
  return { command, directory, tests };
}

function discover(directory: string, only: string[]): string[] {
  if (!fs.existsSync(directory)) return [];
  return fs.readdirSync(directory)
    .filter(f => /^integ\..+\.ts$/.test(f) && !f.endsWith('.d.ts'))
    .filter(f => only.length === 0 || only.includes(f))
    .sort();
}

/** Runs integ-runner's offline snapshot writer (`--force --dry-run`: synthesizes, never deploys). */
function writeSnapshots(directory: string, tests: string[]): boolean {
  const bin = path.resolve('node_modules', '.bin');
  const result = spawnSync(path.join(bin, 'integ-runner'), [
    ...tests,
    '--language', 'typescript',
    '--directory', directory,
    '--app', `${path.join(bin, 'ts-node')} --transpile-only {filePath}`,
    '--update-on-failed', '--force', '--dry-run',
    `--parallel-regions=${process.env.AWS_REGION ?? 'us-east-1'}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf-8', env: { AWS_REGION: 'us-east-1', ...process.env } });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    console.error(`fintech-integ: synthesizing the integ tests failed (integ-runner exit ${result.status ?? result.signal}).`);
    return false;
  }
  return true;
}

function snapshot(directory: string, tests: string[]): number {
  if (!writeSnapshots(directory, tests)) return 1;
  for (const test of tests) console.log(`SNAPSHOT  ${test} -> ${path.join(directory, `${test}.snapshot`)}`);
  return 0;
}

function verify(directory: string, tests: string[]): number {
  const fresh = tests.filter(t => !fs.existsSync(snapshotDir(directory, t)));
  for (const test of fresh) {
    console.error(`NEW      ${test}: no snapshot yet. Run \`npx projen integ:snapshot\` and commit ${test}.snapshot/.`);
  }
  const known = tests.filter(t => !fresh.includes(t));
  if (known.length === 0) return fresh.length > 0 ? 1 : 0;

  // Move the committed snapshots aside, let integ-runner synthesize new ones, compare, then put the committed ones back.
  // Same file system as the snapshots, so renames are atomic; node_modules is never committed.
  const cache = path.join('node_modules', '.cache');
  fs.mkdirSync(cache, { recursive: true });
  const backup = fs.mkdtempSync(path.join(cache, 'fintech-integ-'));
  for (const test of known) fs.renameSync(snapshotDir(directory, test), path.join(backup, test));
  let changed = 0;
  try {
    if (!writeSnapshots(directory, known)) return 1;
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

function snapshotDir(directory: string, test: string): string {
  return path.join(directory, `${test}.snapshot`);
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
