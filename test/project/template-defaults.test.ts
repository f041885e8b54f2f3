import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { TypeScriptRunner } from 'projen/lib/typescript';
import { synthSnapshot } from 'projen/lib/util/synth';
import { FintechCdkApp, FintechCdkAppOptions } from '../../src/project/fintech-cdk-app';
import { JEST_GLOBAL_SETUP, JEST_GLOBAL_TEARDOWN } from '../../src/project/template-defaults';
import * as versions from '../../src/project/versions';

function synth(overrides: Partial<FintechCdkAppOptions>): Record<string, any> {
  return synthSnapshot(new FintechCdkApp({
    name: 'ledger',
    defaultReleaseBranch: 'main',
    cdkVersion: versions.CDK_VERSION,
    team: 'payments',
    costCenter: 'cc-42',
    alarmEmail: 'oncall@example.com',
    sampleCode: false,
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'template-defaults-')),
    ...overrides,
  }));
}

function problemsOf(overrides: Partial<FintechCdkAppOptions>): string {
  try {
    synth(overrides);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected the options to be rejected');
}

describe('user options merge with the template defaults', () => {
  test('jestOptions: the user\'s jestConfig keys join ours, and the global setup and teardown stay', () => {
    const jest = synth({ jestOptions: { jestConfig: { testTimeout: 60_000, coverageThreshold: { lines: 80 } } } })['package.json'].jest;
    expect(jest.testTimeout).toBe(60_000);
    expect(jest.coverageThreshold).toEqual({ global: { lines: 80 } });
    expect(jest.globalSetup).toBe(JEST_GLOBAL_SETUP);
    expect(jest.globalTeardown).toBe(JEST_GLOBAL_TEARDOWN);
    expect(jest.coveragePathIgnorePatterns).toEqual(['/node_modules/', '/test/']);
    expect(jest.coverageProvider).toBe('babel');
  });

  test('jestOptions: a coverage provider the user chooses replaces the template\'s babel', () => {
    const jest = synth({ jestOptions: { jestConfig: { coverageProvider: 'v8' } } })['package.json'].jest;
    expect(jest.coverageProvider).toBe('v8');
    expect(jest.globalSetup).toBe(JEST_GLOBAL_SETUP);
  });

  test('jestOptions without jestConfig (e.g. junit reporting off) keep the whole template jest config', () => {
    const files = synth({ jestOptions: { junitReporting: false } });
    expect(files['package.json'].jest.globalSetup).toBe(JEST_GLOBAL_SETUP);
    expect(files['package.json'].jest.reporters).not.toContainEqual(expect.arrayContaining(['jest-junit']));
  });

  test('eslintOptions: the user\'s folders are added to ours, and the one-program parser settings stay', () => {
    const files = synth({ eslintOptions: { dirs: ['lib-src'], devdirs: ['scripts'], prettier: true } });
    const eslintrc = files['.eslintrc.json'];
    expect(eslintrc.parserOptions.project).toBe('./test/tsconfig.json');
    expect(eslintrc.parserOptions.projectService).toBeUndefined();
    expect(eslintrc.extends).toContain('plugin:prettier/recommended');
    const compile = files['.projen/tasks.json'].tasks.compile;
    expect(compile.steps[0].spawn ?? compile.steps[1].spawn).toBe('eslint');
    const eslint = files['.projen/tasks.json'].tasks.eslint.steps[0].execArgs;
    expect(eslint).toEqual(expect.arrayContaining(['src', 'lib-src', 'test', 'build-tools', 'scripts']));
  });

  test('tsJestOptions: the user\'s transform options join isolatedModules', () => {
    const jest = synth({ tsJestOptions: { transformOptions: { stringifyContentPathRegex: '\\.html$' } } })['package.json'].jest;
    const [, transformOptions] = jest.transform['^.+\\.[t]sx?$'];
    expect(transformOptions).toEqual(expect.objectContaining({ isolatedModules: true, stringifyContentPathRegex: '\\.html$' }));
  });

  test('projenrcTsOptions: the user\'s options keep the transpile-only runner', () => {
    const files = synth({ projenrcTs: true, projenrcTsOptions: { projenCodeDir: 'projen' } });
    expect(files['.projen/tasks.json'].tasks.default.steps)
      .toEqual([{ execArgs: ['ts-node', '--transpileOnly', '--project', 'projen/tsconfig.json', '.projenrc.ts'] }]);
    const withRunner = synth({ projenrcTs: true, projenrcTsOptions: { runner: TypeScriptRunner.tsNode({ typeCheck: true }) } });
    expect(withRunner['.projen/tasks.json'].tasks.default.steps[0].execArgs).not.toContain('--transpileOnly');
  });

  test('tsconfig and tsconfigDev: the user\'s compilerOptions join skipLibCheck', () => {
    const files = synth({ tsconfig: { compilerOptions: { noUnusedLocals: true } }, tsconfigDev: { compilerOptions: { noUnusedParameters: true } } });
    expect(files['tsconfig.json'].compilerOptions).toEqual(expect.objectContaining({ skipLibCheck: true, noUnusedLocals: true }));
    expect(files['test/tsconfig.json'].compilerOptions).toEqual(expect.objectContaining({ skipLibCheck: true, noUnusedParameters: true }));
  });
});

describe('options that would break what the template relies on', () => {
  test.each([
    ['jestOptions.jestConfig.globalSetup', { jestOptions: { jestConfig: { globalSetup: './my-setup.js' } } }, /drop globalSetup, or call ours first/],
    ['jestOptions.jestConfig.globalTeardown', { jestOptions: { jestConfig: { globalTeardown: './my-teardown.js' } } }, /drop globalTeardown/],
    ['eslintOptions.projectService', { eslintOptions: { dirs: [], projectService: true } }, /drop projectService/],
    ['eslintOptions.tsconfigPath', { eslintOptions: { dirs: [], tsconfigPath: './tsconfig.dev.json' } }, /tsconfigDevFile: 'tsconfig.dev.json'/],
    ['tsJestOptions.transformOptions.isolatedModules', { tsJestOptions: { transformOptions: { isolatedModules: false } } }, /drop isolatedModules/],
  ])('%s is rejected with the path, what breaks and the fix', (option, overrides, fix) => {
    const message = problemsOf(overrides as Partial<FintechCdkAppOptions>);
    expect(message).toMatch(new RegExp(`^FintechCdkApp \\(\\.projenrc\\.ts\\): 1 invalid option:\\n  - ${option.replace(/\./g, '\\.')} = `));
    expect(message).toMatch(fix);
  });

  test('setting a guaranteed value to what the template uses anyway is accepted', () => {
    const files = synth({
      jestOptions: { jestConfig: { globalSetup: JEST_GLOBAL_SETUP } },
      eslintOptions: { dirs: [], projectService: false, tsconfigPath: 'test/tsconfig.json' },
      tsJestOptions: { transformOptions: { isolatedModules: true } },
    });
    expect(files['package.json'].jest.globalTeardown).toBe(JEST_GLOBAL_TEARDOWN);
  });
});
