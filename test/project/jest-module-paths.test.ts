import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthSnapshot } from 'projen/lib/util/synth';
import { folderPattern, keepJestOutOf } from '../../src/project/jest-module-paths';
import { typescriptProject } from '../support/projen-fixture';

describe('keepJestOutOf', () => {
  test('adds its patterns to the user\'s modulePathIgnorePatterns, once each, keeping the user\'s first', () => {
    const project = typescriptProject({ jestOptions: { jestConfig: { modulePathIgnorePatterns: ['<rootDir>/fixtures/'] } } });
    keepJestOutOf(project, '<rootDir>/cdk\\.out/');
    keepJestOutOf(project, '<rootDir>/cdk\\.out/', '<rootDir>/test/integ/[^/]*\\.snapshot/');
    expect(synthSnapshot(project)['package.json'].jest.modulePathIgnorePatterns).toEqual([
      '<rootDir>/fixtures/', '<rootDir>/cdk\\.out/', '<rootDir>/test/integ/[^/]*\\.snapshot/',
    ]);
  });

  test('does nothing in a project without jest', () => {
    const project = typescriptProject({ jest: false });
    keepJestOutOf(project, '<rootDir>/cdk\\.out/');
    expect(synthSnapshot(project)['package.json'].jest).toBeUndefined();
  });
});

describe('folderPattern', () => {
  test('anchors a project-relative folder at <rootDir> and takes its characters literally', () => {
    expect(folderPattern('cdk.out')).toBe('<rootDir>/cdk\\.out/');
    expect(folderPattern('./test/integ/')).toBe('<rootDir>/test/integ/');
    expect(folderPattern('out(1)+x')).toBe('<rootDir>/out\\(1\\)\\+x/');
    expect(folderPattern('test\\integ')).toBe('<rootDir>/test/integ/');
  });
});

// What the patterns are for: jest reads every package.json its crawl lists, and one it cannot read (deleted between the
// listing and the read by a task running beside jest; here, not JSON) fails the whole run before any test.
describe('jest with the patterns', () => {
  const jestBin = require.resolve('jest/bin/jest');

  function runJest(modulePathIgnorePatterns: string[]): { status: number | null; output: string } {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'jest-crawl-'));
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
      fs.writeFileSync(path.join(root, file), text);
    };
    write('package.json', '{ "name": "ledger" }');
    write('test/ledger.test.js', "test('adds', () => expect(1 + 1).toBe(2));");
    write('test/integ/integ.ledger.ts.snapshot/asset.1a2b/package.json', '{ "name": "half-written');
    write('cdk.out/asset.3c4d/package.json', '{ "name": "half-written');
    const config = { testMatch: ['<rootDir>/test/*.test.js'], modulePathIgnorePatterns, cacheDirectory: path.join(root, '.jest-cache') };
    const result = spawnSync(process.execPath, [jestBin, '--rootDir', root, '--config', JSON.stringify(config), '--ci'], { encoding: 'utf-8' });
    fs.rmSync(root, { recursive: true, force: true });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }

  test('a package.json jest cannot read inside an integ snapshot or cdk.out fails the run without them, not with them', () => {
    const without = runJest([]);
    expect(without.status).not.toBe(0);
    expect(without.output).toMatch(/Cannot parse .*package\.json as JSON/);
    const withPatterns = runJest([`${folderPattern('test/integ')}[^/]*\\.snapshot/`, folderPattern('cdk.out')]);
    expect(withPatterns.output).toContain('1 passed');
    expect(withPatterns.status).toBe(0);
  });
});
