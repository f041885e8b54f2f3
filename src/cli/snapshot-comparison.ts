import * as fs from 'fs';
import * as path from 'path';

/** One value that differs between a committed integ snapshot and a fresh synth. */
export interface SnapshotDifference {
  /** File inside the snapshot directory, e.g. `assembly-integ/integLedger.template.json`. */
  readonly file: string;
  /** Dotted path inside the file, e.g. `Resources.Bucket.Properties.VersioningConfiguration`. */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** What `compareSnapshots` found. */
export interface SnapshotComparison {
  readonly missingFiles: string[];
  readonly addedFiles: string[];
  readonly differences: SnapshotDifference[];
}

// integ-tests-alpha writes a fresh salt into every assertion on every synth; it is not part of what the test asserts.
const VOLATILE_KEYS = new Set(['salt']);

/**
 * Compares every CloudFormation template (nested stage assemblies and assertion stacks included)
 * and the integ manifest of two snapshot directories. integ-runner's own check skips both nested
 * assemblies and the assertion stack, so stacks inside a FintechStage would never show as CHANGED.
 */
export function compareSnapshots(committedDir: string, freshDir: string): SnapshotComparison {
  const committed = comparedFiles(committedDir);
  const fresh = comparedFiles(freshDir);
  const differences: SnapshotDifference[] = [];
  for (const file of committed.filter(f => fresh.includes(f))) {
    diffValues(file, '', readNormalized(path.join(committedDir, file)), readNormalized(path.join(freshDir, file)), differences);
  }
  return {
    missingFiles: committed.filter(f => !fresh.includes(f)),
    addedFiles: fresh.filter(f => !committed.includes(f)),
    differences,
  };
}

/** Renders a comparison for a terminal: at most `limit` differences, each with before and after. */
export function formatComparison(testName: string, comparison: SnapshotComparison, limit = 20): string {
  const lines = [`CHANGED  ${testName}`];
  for (const file of comparison.missingFiles) lines.push(`  - ${file} (no longer synthesized)`);
  for (const file of comparison.addedFiles) lines.push(`  + ${file} (new)`);
  for (const d of comparison.differences.slice(0, limit)) {
    lines.push(`  ~ ${d.file} ${d.path}`);
    if (d.before !== undefined) lines.push(`      - ${render(d.before)}`);
    if (d.after !== undefined) lines.push(`      + ${render(d.after)}`);
  }
  if (comparison.differences.length > limit) lines.push(`  ... and ${comparison.differences.length - limit} more differences`);
  return lines.join('\n');
}

/** True when nothing differs. */
export function isUnchanged(comparison: SnapshotComparison): boolean {
  return comparison.missingFiles.length === 0 && comparison.addedFiles.length === 0 && comparison.differences.length === 0;
}

function comparedFiles(dir: string, prefix = ''): string[] {
  const files: string[] = [];
  for (const entry of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory() && entry.name.startsWith('assembly-')) {
      files.push(...comparedFiles(dir, relative));
    } else if (entry.isFile() && (entry.name.endsWith('.template.json') || entry.name === 'integ.json')) {
      files.push(relative);
    }
  }
  return files.sort();
}

function readNormalized(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, 'utf-8'), (key, value) => (VOLATILE_KEYS.has(key) ? undefined : value));
}

function diffValues(file: string, at: string, before: unknown, after: unknown, out: SnapshotDifference[]): void {
  if (isObject(before) && isObject(after)) {
    for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])]) {
      diffValues(file, at ? `${at}.${key}` : key, before[key], after[key], out);
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && before.length === after.length) {
    before.forEach((item, i) => diffValues(file, `${at}[${i}]`, item, after[i], out));
    return;
  }
  if (JSON.stringify(before) !== JSON.stringify(after)) {
    out.push({ file, path: at || '(root)', before, after });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function render(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
