#!/usr/bin/env node
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { compareSnapshots, formatComparison, isUnchanged } from './snapshot-comparison';

const USAGE = `usage: fintech-integ <snapshot|verify> [--directory test/integ] [--region us-east-1] [TEST...]

  snapshot  synthesize every integ test (assertion stacks included) and write its snapshot; no AWS needed
  verify    synthesize again and compare with the committed snapshots: fails on a test without a
            snapshot (NEW) or with any difference (CHANGED), nested stage assemblies and assertions included

  --region  region offline synth pretends to be in; AWS_REGION wins when set (no AWS call is made)`;

interface Options {
  readonly command: string;
  readonly directory: string;
  readonly region: string;
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
  return options.command === 'snapshot' ? snapshot(options, tests) : verify(options, tests);
}

function parse(argv: string[]): Options | undefined {
  const [command, ...rest] = argv;
  if (command !== 'snapshot' && command !== 'verify') return undefined;
  const values: { [flag: string]: string } = { directory: path.join('test', 'integ'), region: 'us-east-1' };
  const tests: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const flag = /^--(directory|region)(?:=(.*))?$/.exec(rest[i]);
    if (flag && flag[2] !== undefined) values[flag[1]] = flag[2];
    else if (flag && rest[i + 1]) values[flag[1]] = rest[++i];
    else if (rest[i].startsWith('-')) return undefined;
    else tests.push(path.basename(rest[i]));
  }
  return { command, directory: values.directory, region: process.env.AWS_REGION || values.region, tests };
}

function discover(directory: string, only: string[]): string[] {
  if (!fs.existsSync(directory)) return [];
  return fs.readdirSync(directory)
    .filter(f => /^integ\..+\.ts$/.test(f) && !f.endsWith('.d.ts'))
    .filter(f => only.length === 0 || only.includes(f))
    .sort();
}

/** Runs integ-runner's offline snapshot writer (`--force --dry-run`: synthesizes, never deploys). */
function writeSnapshots(options: Options, tests: string[]): boolean {
  const bin = path.resolve('node_modules', '.bin');
  // AWS_REGION is set for the synth too: without one the CDK probes the EC2 metadata endpoint, seconds per synth offline.
  const result = spawnSync(path.join(bin, 'integ-runner'), [
    ...tests,
    '--language', 'typescript',
    '--directory', options.directory,
    '--app', `${path.join(bin, 'ts-node')} --transpile-only {filePath}`,
    '--update-on-failed', '--force', '--dry-run',
    `--parallel-regions=${options.region}`,
  ], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf-8', env: { ...process.env, AWS_REGION: options.region } });
  if (result.status !== 0) {
    process.stderr.write(result.stdout + result.stderr);
    console.error(`fintech-integ: synthesizing the integ tests failed (integ-runner exit ${result.status ?? result.signal}).`);
    return false;
  }
  return true;
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
  const cache = path.join('node_modules', '.cache');
  fs.mkdirSync(cache, { recursive: true });
  const backup = fs.mkdtempSync(path.join(cache, 'fintech-integ-'));
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

function snapshotDir(directory: string, test: string): string {
  return path.join(directory, `${test}.snapshot`);
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
