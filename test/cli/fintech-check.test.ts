import * as fs from 'fs';
import * as path from 'path';
import { loadESLint } from 'eslint';
import * as typescript from 'typescript';
import { CheckDependencies, main, parseCheckArgs } from '../../src/cli/fintech-check';

// Inside the repository, so the fixture's .eslintrc finds typescript-eslint in this repository's node_modules.
const CACHE = path.join(__dirname, '..', '..', 'node_modules', '.cache');

const ESLINTRC = {
  root: true,
  parser: '@typescript-eslint/parser',
  // What projen writes; fintech-check replaces it with its own program, except when it applies fixes.
  parserOptions: { project: './tsconfig.json' },
  plugins: ['@typescript-eslint'],
  rules: { '@typescript-eslint/no-floating-promises': 'error', 'quotes': ['error', 'single'] },
};

/** A small project: a tsconfig over src/, an .eslintrc with one type-aware rule, and the given source files. */
function fixture(files: Record<string, string>): string {
  fs.mkdirSync(CACHE, { recursive: true });
  const dir = fs.mkdtempSync(path.join(CACHE, 'fintech-check-'));
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', types: [] }, include: ['src/**/*.ts'] }));
  fs.writeFileSync(path.join(dir, '.eslintrc.json'), JSON.stringify(ESLINTRC));
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe('fintech-check', () => {
  const cwd = process.cwd();
  let output: string;
  let errors: string[];
  let dependencies: CheckDependencies;
  let dirs: string[];

  beforeEach(() => {
    output = '';
    errors = [];
    dirs = [];
    jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => { errors.push(args.join(' ')); });
    dependencies = {
      typescript,
      loadESLint: () => loadESLint({ useFlatConfig: false }),
      write: text => { output += text; },
      pretty: false,
    };
  });
  afterEach(() => {
    process.chdir(cwd);
    jest.restoreAllMocks();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  function project(files: Record<string, string>): string {
    const dir = fixture(files);
    dirs.push(dir);
    process.chdir(dir);
    return dir;
  }

  test('parses flags and paths; a missing project, path or flag value and unknown flags are usage errors', () => {
    expect(parseCheckArgs(['--project', 'test/tsconfig.json', '--fix', 'src', 'test'])).toEqual({
      project: 'test/tsconfig.json', fix: true, extensions: ['.ts', '.tsx'], patterns: ['src', 'test'],
    });
    expect(parseCheckArgs(['--project=tsconfig.json', '--ext', 'ts,.mts', 'src'])).toEqual({
      project: 'tsconfig.json', fix: false, extensions: ['.ts', '.mts'], patterns: ['src'],
    });
    expect(parseCheckArgs(['src'])).toBeUndefined();
    expect(parseCheckArgs(['--project', 'tsconfig.json'])).toBeUndefined();
    expect(parseCheckArgs(['--project'])).toBeUndefined();
    expect(parseCheckArgs(['--project', 'tsconfig.json', '--cache', 'src'])).toBeUndefined();
  });

  test('prints the usage and exits 2 on bad usage', async () => {
    expect(await main(['src'], dependencies)).toBe(2);
    expect(errors.join('\n')).toContain('usage: fintech-check --project <tsconfig.json>');
  });

  test('passes a clean project and says what it checked', async () => {
    project({ 'src/ledger.ts': "export const currency = 'EUR';\n" });
    expect(await main(['--project', 'tsconfig.json', 'src'], dependencies)).toBe(0);
    expect(output).toBe('fintech-check: 1 files type-checked (tsconfig.json), 1 linted, no errors.\n');
  });

  test('fails on a type error, reported as tsc reports it', async () => {
    project({ 'src/ledger.ts': "export const cents: number = 'ten';\n" });
    expect(await main(['--project', 'tsconfig.json', 'src'], dependencies)).toBe(1);
    expect(output).toContain("src/ledger.ts(1,14): error TS2322: Type 'string' is not assignable to type 'number'.");
    expect(errors).toEqual(['fintech-check: 1 TypeScript error(s) in 1 files of tsconfig.json, 0 ESLint error(s) in 1 linted files.']);
  });

  test('type-aware rules see the same program: a floating promise fails', async () => {
    project({ 'src/ledger.ts': 'async function post(): Promise<void> {}\nexport function settle(): void {\n  post();\n}\n' });
    expect(await main(['--project', 'tsconfig.json', 'src'], dependencies)).toBe(1);
    expect(output).toMatch(/3:3\s+error\s+Promises must be awaited.*@typescript-eslint\/no-floating-promises/);
    expect(errors).toEqual(['fintech-check: 0 TypeScript error(s) in 1 files of tsconfig.json, 1 ESLint error(s) in 1 linted files.']);
  });

  test('a linted file outside the program fails instead of going unchecked', async () => {
    project({ 'src/ledger.ts': "export const currency = 'EUR';\n", 'scripts/release.ts': "export const tag = 'v1';\n" });
    expect(await main(['--project', 'tsconfig.json', 'src', 'scripts'], dependencies)).toBe(1);
    expect(output).toContain('scripts/release.ts');
    expect(errors[0]).toMatch(/1 ESLint error\(s\) in 2 linted files/);
  });

  test('--fix writes ESLint fixes', async () => {
    const dir = project({ 'src/ledger.ts': 'export const currency = "EUR";\n' });
    const code = await main(['--project', 'tsconfig.json', '--fix', 'src'], dependencies);
    expect(output).toBe('fintech-check: 1 files type-checked (tsconfig.json), 1 linted, no errors.\n');
    expect(code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'src', 'ledger.ts'), 'utf-8')).toBe("export const currency = 'EUR';\n");
  });

  test('a tsconfig that cannot be read exits 2 naming it', async () => {
    project({ 'src/ledger.ts': '' });
    expect(await main(['--project', 'missing/tsconfig.json', 'src'], dependencies)).toBe(2);
    expect(errors[0]).toMatch(/^fintech-check: --project missing\/tsconfig.json: .*missing\/tsconfig.json/);
  });

  test('refuses a flat ESLint config with what to do instead', async () => {
    project({ 'src/ledger.ts': "export const currency = 'EUR';\n" });
    const flat = { ...dependencies, loadESLint: () => loadESLint({ useFlatConfig: true }) };
    expect(await main(['--project', 'tsconfig.json', 'src'], flat)).toBe(2);
    expect(errors[0]).toContain('uses a flat ESLint config');
  });
});
