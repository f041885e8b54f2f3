import * as fs from 'fs';
import * as path from 'path';
import { Construct } from 'constructs';
import * as api from '../src';

// A construct a user cannot import does not exist for them (CentralMonitoringStack once shipped without its export).
// projen components (src/project) and command lines (src/cli) are internal by design.
const SRC = path.join(__dirname, '..', 'src');
const INTERNAL = /^(project|cli)\//;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(file);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [file] : [];
  });
}

describe('the public API (src/index.ts)', () => {
  test('exports every CDK construct class defined in src, outside the projen components and command lines', () => {
    const exported = new Set<unknown>(Object.values(api));
    const missing: string[] = [];
    let constructs = 0;
    for (const file of sourceFiles(SRC)) {
      const relative = path.relative(SRC, file).split(path.sep).join('/');
      if (INTERNAL.test(relative) || relative === 'index.ts') continue;
      const module: Record<string, unknown> = jest.requireActual(file);
      for (const [name, value] of Object.entries(module)) {
        if (typeof value !== 'function' || !(value.prototype instanceof Construct)) continue;
        constructs++;
        if (!exported.has(value)) missing.push(`${relative}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
    // The walk found the library's constructs at all (a broken walk would pass the check above vacuously).
    expect(constructs).toBeGreaterThan(30);
    expect(exported.has(api.CentralMonitoringStack)).toBe(true);
  });
});
