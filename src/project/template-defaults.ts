import { awscdk, javascript } from 'projen';
import { TypeScriptRunner } from 'projen/lib/typescript';
import * as versions from './versions';
import type { ConfigProblem } from '../config/config-validation';

/** Jest's global setup and teardown of generated repos: one temporary directory per run, removed at its end. */
export const JEST_GLOBAL_SETUP = 'fintech-infra-template/lib/testing/jest-global-setup';
export const JEST_GLOBAL_TEARDOWN = 'fintech-infra-template/lib/testing/jest-global-teardown';

/** Where the template's defaults are placed, derived from the user's options. */
interface Layout {
  readonly srcdir: string;
  readonly testdir: string;
  /** The one tsconfig that sees src, test and the projenrc files: `compile` type-checks it and eslint parses it once. */
  readonly devTsconfig: string;
}

function layoutOf(options: awscdk.AwsCdkTypeScriptAppOptions): Layout {
  const testdir = options.testdir ?? 'test';
  return { srcdir: options.srcdir ?? 'src', testdir, devTsconfig: options.tsconfigDevFile ?? `${testdir}/tsconfig.json` };
}

/**
 * The projen options `FintechCdkApp` passes to `AwsCdkTypeScriptApp`: the user's options merged with the template's
 * defaults, never replaced by them. Objects projen itself merges deeply (jestConfig, ts-jest's transform options, tsconfig
 * compilerOptions) are merged deeply, eslint's folders are united, and everything else the user sets wins.
 * What the template relies on and a user value would break is reported by `templateOptionProblems`.
 */
export function withTemplateDefaults<T extends awscdk.AwsCdkTypeScriptAppOptions>(options: T): T {
  const { srcdir, testdir, devTsconfig } = layoutOf(options);
  const projenCodeDir = options.projenrcTsOptions?.projenCodeDir ?? 'projenrc';
  return {
    cdkCliVersion: versions.CDK_CLI_VERSION,
    cdkVersionPinning: true,
    typescriptVersion: versions.TYPESCRIPT_VERSION,
    // Also picks @types/node@^20: the registry has no "ts5.9" tag for projen's default.
    minNodeVersion: versions.MIN_NODE_VERSION,
    // Synth and projenrc run transpile-only; `compile` type-checks src, test and the projenrc files once.
    runner: TypeScriptRunner.tsNode({ typeCheck: false }),
    app: `npx ts-node --transpile-only -P tsconfig.json --prefer-ts-exts ${srcdir}/${options.appEntrypoint ?? 'main.ts'}`,
    lambdaAutoDiscover: false,
    edgeLambdaAutoDiscover: false,
    singletonLambdaAutoDiscover: false,
    lambdaExtensionAutoDiscover: false,
    // projen's IntegrationTest cannot drive integ-tests-alpha assertions (design.md).
    integrationTestAutoDiscover: false,
    ...options,
    projenrcTsOptions: {
      // Type-checking .projenrc.ts on every `npx projen` cost 7 s (it reaches aws-cdk-lib's declarations through this package).
      runner: TypeScriptRunner.tsNode({ typeCheck: false, tsconfig: `${projenCodeDir}/tsconfig.json` }),
      ...options.projenrcTsOptions,
    },
    eslintOptions: {
      ...options.eslintOptions,
      // One TypeScript program for every linted file instead of one per tsconfig (src, test, projenrc): 11.7 s -> 9.3 s measured.
      projectService: options.eslintOptions?.projectService ?? false,
      tsconfigPath: options.eslintOptions?.tsconfigPath ?? `./${devTsconfig}`,
      dirs: union([srcdir], options.eslintOptions?.dirs),
      devdirs: union([testdir, 'build-tools'], options.eslintOptions?.devdirs),
    },
    // ts-jest type-checked every test file (21 s for one file); `compile` type-checks them once instead.
    tsJestOptions: {
      ...options.tsJestOptions,
      transformOptions: { isolatedModules: true, ...options.tsJestOptions?.transformOptions },
    },
    jestOptions: {
      ...options.jestOptions,
      jestConfig: deepMerge({
        // Coverage is of the app, not of test helpers and integ tests.
        coveragePathIgnorePatterns: ['/node_modules/', `/${testdir}/`],
        // Babel instruments only the app's own files as jest transforms them; projen's default, V8, records precise
        // coverage of every script the tests load (aws-cdk-lib included) and converts it afterwards. Measured on the
        // transaction-web-app repo's 12 test files, same coverage table: 11.0 s (V8) against 6.6 to 7.9 s (babel).
        coverageProvider: 'babel',
        // One temporary directory per test run, removed at its end: the cdk.out folder each App without an outdir
        // makes (one per synth in a test) does not pile up in the OS temporary directory.
        globalSetup: JEST_GLOBAL_SETUP,
        globalTeardown: JEST_GLOBAL_TEARDOWN,
      }, options.jestOptions?.jestConfig ?? {}) as javascript.JestConfigOptions,
    },
    // Type-checking aws-cdk-lib's own declarations doubles the compile time (16 s -> 7 s measured) and finds nothing in user code.
    tsconfig: { ...options.tsconfig, compilerOptions: { skipLibCheck: true, ...options.tsconfig?.compilerOptions } },
    // No `tsc --build` incremental check: projen rewrites this tsconfig on every run, which makes tsc --build re-check everything.
    tsconfigDev: { ...options.tsconfigDev, compilerOptions: { skipLibCheck: true, ...options.tsconfigDev?.compilerOptions } },
  };
}

/**
 * Options a user can set that would silently break what the template relies on: each with the option path, what breaks
 * and how to get what they wanted without breaking it.
 */
export function templateOptionProblems(options: awscdk.AwsCdkTypeScriptAppOptions): ConfigProblem[] {
  const { devTsconfig } = layoutOf(options);
  const problems: ConfigProblem[] = [];
  const jestConfig = options.jestOptions?.jestConfig;
  for (const [key, ours] of [['globalSetup', JEST_GLOBAL_SETUP], ['globalTeardown', JEST_GLOBAL_TEARDOWN]] as const) {
    const value = jestConfig?.[key];
    if (value !== undefined && value !== ours) {
      problems.push({
        option: `jestOptions.jestConfig.${key}`,
        value,
        problem: `replaces the template's ${key}, which gives each test run one temporary directory for every cdk.out and removes it at the end (without it they pile up in the OS temporary directory)`,
        fix: `drop ${key}, or call ours first from yours: \`await require('${ours}').default(globalConfig, projectConfig)\``,
      });
    }
  }
  const eslint = options.eslintOptions;
  if (eslint?.projectService === true) {
    problems.push({
      option: 'eslintOptions.projectService',
      value: true,
      problem: 'typescript-eslint would build one TypeScript program per tsconfig instead of the one `compile` (fintech-check) type-checks and lints with',
      fix: 'drop projectService; to lint more folders, add them to eslintOptions.devdirs',
    });
  }
  if (eslint?.tsconfigPath !== undefined && normalize(eslint.tsconfigPath) !== normalize(devTsconfig)) {
    problems.push({
      option: 'eslintOptions.tsconfigPath',
      value: eslint.tsconfigPath,
      problem: `\`compile\` type-checks and lints with one program, the one of ${devTsconfig}; eslint would parse another`,
      fix: `drop tsconfigPath, or point both at the same file with tsconfigDevFile: '${normalize(eslint.tsconfigPath)}'`,
    });
  }
  const transform = options.tsJestOptions?.transformOptions;
  if (transform?.isolatedModules === false) {
    problems.push({
      option: 'tsJestOptions.transformOptions.isolatedModules',
      value: false,
      problem: 'ts-jest would type-check every test file again (about 21 s for one file against 1 s); `compile` already type-checks src and test once',
      fix: 'drop isolatedModules (type errors in tests fail `compile`)',
    });
  }
  return problems;
}

function union(ours: readonly string[], theirs: readonly string[] | undefined): string[] {
  return [...new Set([...ours, ...(theirs ?? [])])];
}

function normalize(file: string): string {
  return file.replace(/^\.\//, '');
}

/** Merges plain objects key by key; any other value (arrays included) of `theirs` replaces ours, as projen's deepMerge does. */
function deepMerge(ours: Record<string, any>, theirs: Record<string, any>): Record<string, any> {
  const merged: Record<string, any> = { ...ours };
  for (const [key, value] of Object.entries(theirs)) {
    if (value === undefined) continue;
    merged[key] = isPlainObject(value) && isPlainObject(ours[key]) ? deepMerge(ours[key], value) : value;
  }
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}
