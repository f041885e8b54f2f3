import { cdk, javascript, JsonFile } from 'projen';
import { AWS_SDK_VERSION, BLUEPRINT_HANDLER_DEPS, BLUEPRINT_TEST_DEPS, FRAUD_API_DEPS, TRANSACTION_APP_DEPS, TRANSACTION_APP_TEST_DEPS, OBSERVABILITY_TEST_DEPS } from './src/project/versions';

// Versions that work together on this registry (see ../shared/design.md, "Tooling facts").
const CDK_VERSION = '2.257.0';
const CONSTRUCTS_VERSION = '10.5.1';
const PROJEN_VERSION = '0.103.25';

const project = new cdk.JsiiProject({
  name: 'fintech-infra-template',
  description: 'A projen project type, CDK construct library and synth-time rule pack for fintech AWS CDK repositories.',
  author: 'fintech-infra-template maintainers',
  authorAddress: 'maintainers@fintech-infra-template.dev',
  repositoryUrl: 'https://github.com/fintech-infra-template/fintech-infra-template.git',
  defaultReleaseBranch: 'main',
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,
  jsiiVersion: '~6.0.0',
  keywords: ['projen', 'aws-cdk', 'fintech', 'cdk-nag', 'compliance'],

  // aws-cdk-lib, constructs and projen must be the user's own copies, or every instanceof fails.
  peerDeps: [
    `aws-cdk-lib@^${CDK_VERSION}`,
    `constructs@^${CONSTRUCTS_VERSION}`,
    `projen@^${PROJEN_VERSION}`,
  ],
  peerDependencyOptions: { pinnedDevDependency: false },
  projenVersion: PROJEN_VERSION,
  devDeps: [
    `aws-cdk-lib@${CDK_VERSION}`,
    `constructs@${CONSTRUCTS_VERSION}`,
    // The starter blueprint's integ test, type-checked and synthesized here.
    '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0',
    // Runs the integ tests of integ/ (this repo's constructs) and the blueprints' offline.
    '@aws-cdk/integ-runner@2.197.10',
    // NodejsFunction bundles with a local esbuild (integ snapshots, handler bundle benchmarks); without it CDK wants Docker.
    'esbuild@^0.27.3',
    // Types of SARIF 2.1.0: the compiler checks the reports FintechChecks writes against them.
    '@types/sarif@^2.1.7',
    // bench/rules measures FintechChecks against cdk-nag 3's AwsSolutions pack in the same run.
    'cdk-nag@^3.0.2',
    // bench:rules runs the Control Tower proactive controls (Guard rules) beside FintechChecks and reports their overlap.
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    // Tests parse the generated GitHub workflows.
    'yaml@^2.8.0',
    // The deploy pre-check's SSM lookups, tested against aws-sdk-client-mock (generated repos install it for integ:deploy).
    `@aws-sdk/client-ssm@${AWS_SDK_VERSION}`,
    // The payment-webhook blueprint's handlers and their tests, compiled and tested here as in generated repos.
    ...BLUEPRINT_HANDLER_DEPS,
    ...BLUEPRINT_TEST_DEPS,
    // The transaction-web-app blueprint's container, migration and their tests.
    ...TRANSACTION_APP_DEPS,
    ...FRAUD_API_DEPS,
    ...TRANSACTION_APP_TEST_DEPS,
    ...OBSERVABILITY_TEST_DEPS,
  ],
  bin: {
    'fintech-check': 'lib/cli/fintech-check.js',
    'fintech-deploy': 'lib/cli/fintech-deploy.js',
    'fintech-diagram': 'lib/cli/fintech-diagram.js',
    'fintech-integ': 'lib/cli/fintech-integ.js',
    'fintech-parallel': 'lib/cli/fintech-parallel.js',
  },

  // No release pipeline, mergify or upgrade workflow yet: CI is .ci/run.
  release: false,
  github: false,
  // API.md (jsii-docgen) lists every member, inherited ones included; jsii-docgen 10.x cannot leave them out, so
  // docs:api writes docs/api-overview.md with each type's own members after every compile.
  docgen: true,

  // ts-jest runs transpile-only (test/tsconfig.json has isolatedModules); this one tsc run type-checks.
  typecheckTests: true,
  tsconfigDev: {
    compilerOptions: {
      // Blueprints import the package by name, exactly as generated repos do.
      // Handlers import the handler-side modules by their published path (fintech-infra-template/lib/...), which is src/ here.
      paths: { 'fintech-infra-template': ['../src/index.ts'], 'fintech-infra-template/lib/*': ['../src/*'] },
    },
    include: ['../blueprints/**/*.ts', '../integ/**/*.ts'],
  },
  eslintOptions: { dirs: ['src'], devdirs: ['test', 'blueprints', 'bench', 'scripts', 'integ'] },
  jestOptions: {
    jestConfig: {
      testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/blueprints/*/test/**/*.test.ts'],
      // End-to-end tests run in their own task, after the package is packed.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
      moduleNameMapper: { '^fintech-infra-template$': '<rootDir>/src/index.ts', '^fintech-infra-template/lib/(.*)$': '<rootDir>/src/$1' },
      // One temporary directory per run, removed at its end: CDK's cdk.out directories and the tests' own no longer pile up.
      globalSetup: '<rootDir>/src/testing/jest-global-setup.ts',
      globalTeardown: '<rootDir>/src/testing/jest-global-teardown.ts',
      // V8 coverage made the suite five to twelve times slower (test/rules: 21 s -> 112 s, the whole suite 72 s -> 14.6 min
      // on 2 cores): the build runs without it, `npx projen test:coverage` measures it.
      collectCoverage: false,
      // Two workers, as test:e2e runs: jest's default on 2 cores is one (cores - 1), which runs every file in band on one
      // core (the whole unit suite: 293 s with two workers on a warm cache; 426 to 489 s in band in CI's cold runs).
      maxWorkers: 2,
    },
  },
  gitignore: ['/demo-app/', '/.e2e/', '/bench/results/', '/reports/', '!/src/rules/logs/', '!/test/rules/logs/'],
});

// Blueprints, benchmarks and scripts are linted with type information like src and test: give the project service a tsconfig for each.
for (const dir of ['blueprints', 'bench', 'scripts', 'integ']) {
  new JsonFile(project, `${dir}/tsconfig.json`, {
    obj: { extends: '../test/tsconfig.json', include: ['**/*.ts'], exclude: ['node_modules', '**/*.snapshot/**', '**/cdk.out/**'] },
    marker: true,
    allowComments: true,
  });
}

// Arrows point down (docs/architecture.md): a circle or an import against the layers fails `compile`.
// Each zone names what a layer may NOT import; lower layers never see the higher ones.
const CONSTRUCT_LAYERS = ['./data', './compute', './api', './network', './workflow'];
const TOOLING = ['./project', './cli', './diagram'];
const layerZones: Array<{ target: string; except?: string[]; from?: string[]; message: string }> = [
  { target: './src/facts', except: ['./facts'], message: 'facts import nothing: they are dated AWS facts, read by every layer' },
  { target: './src/config', except: ['./config', './facts'], message: 'config is the platform options and their validation: facts only' },
  { target: './src/stage', except: ['./stage', './config', './facts', './rules'], message: 'the stage sits below every construct; it registers the rule pack and reads config and facts' },
  { target: './src/encryption', except: ['./encryption', './stage', './config', './facts'], message: 'encryption (keys, log groups) uses the stage only' },
  { target: './src/alarms', except: ['./alarms', './encryption', './stage', './config', './facts'], message: 'alarm wiring depends on aws-cdk-lib interfaces, keys and the stage, never on secure constructs' },
  { target: './src/rules', except: ['./rules', './facts', './config'], message: 'rules read templates and facts, never constructs' },
  { target: './src/diagram', except: ['./diagram', './rules', './facts', './config'], message: 'the diagram reads templates like the rules' },
  ...CONSTRUCT_LAYERS.map(layer => ({ target: `./src/${layer.slice(2)}`, from: ['./observability', './rules', './testing', ...TOOLING], message: 'secure constructs use alarms, encryption, stage and facts, and one another; never observability, rules or tooling' })),
  { target: './src/observability', from: ['./rules', './testing', ...TOOLING], message: 'observability composes constructs; never rules or tooling' },
  { target: './src/project', from: ['./stage', './encryption', './alarms', './observability', './rules', './testing', './cli', './diagram', ...CONSTRUCT_LAYERS], message: 'projen-time code never loads synth-time constructs' },
  { target: './src/cli', from: ['./stage', './encryption', './alarms', './observability', './rules', './testing', './project', ...CONSTRUCT_LAYERS], message: 'command lines load no constructs (they must start fast)' },
];
project.eslint?.addRules({
  'import/no-cycle': ['error', { ignoreExternal: true }],
  'import/no-restricted-paths': ['error', {
    basePath: './src',
    zones: layerZones.map(({ target, except, from, message }) => ({
      target: target.replace('./src/', './'),
      from: from ?? '.',
      ...(except ? { except } : {}),
      message,
    })),
  }],
});

// Import circles are a design question of the shipped code: src and the blueprints' src. Tests, their harnesses, benches,
// scripts and integ tests import that code but are imported by nothing it ships, and the cycle check of every one of them
// walks the whole src graph again (about half of the lint's time on 2 cores).
project.eslint?.addOverride({
  files: ['test/**/*.ts', 'blueprints/*/test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'integ/**/*.ts', 'projenrc/**/*.ts', '.projenrc.ts'],
  rules: { 'import/no-cycle': 'off' },
});

// Blueprints import this package by name, exactly as generated repos do; resolve it through their tsconfig paths.
project.eslint?.addOverride({
  files: ['blueprints/**/*.ts'],
  settings: { 'import/resolver': { node: {}, typescript: { project: './blueprints/tsconfig.json', alwaysTryTypes: true } } },
} as any);

project.addTask('diagram:blueprints', {
  description: 'Redraws blueprints/*/architecture.mmd (shown in new repos\' READMEs) from the synthesized blueprint stacks',
  exec: 'jest --coverage=false test/diagram/blueprint-diagrams.test.ts',
  env: { UPDATE_BLUEPRINT_DIAGRAMS: '1' },
});

project.addTask('test:coverage', {
  description: 'Unit tests with V8 coverage of src (lcov, cobertura and a text summary in coverage/); the build runs them without',
  exec: 'jest --coverage --collectCoverageFrom "<rootDir>/src/**/*.ts"',
  receiveArgs: true,
});

project.addTask('test:e2e', {
  description: 'Generates a repo from the packed tarball (dist/js) and builds it; run after `package`',
  // Two files at a time: the deploy rehearsal mostly waits on cdk polling moto, so it runs beside the generated-repo
  // build instead of after it (about two minutes less on 2 cores).
  exec: 'jest --testMatch "<rootDir>/test/e2e/**/*.test.ts" --testPathIgnorePatterns /node_modules/ --maxWorkers=2 --coverage=false',
  receiveArgs: true,
});

// Integ tests of this repo's own constructs (integ/integ.<construct>.ts): snapshots written and verified offline by the
// same CLI generated repos use, run from source so they need no compile.
const integArgs = '--directory integ --region us-east-1';
project.addTask('integ:snapshot', {
  description: 'Synthesizes every integ/integ.*.ts (assertions included) and writes its snapshot; offline, no AWS',
  exec: `ts-node --transpile-only src/cli/fintech-integ.ts snapshot ${integArgs}`,
  receiveArgs: true,
});
const integVerify = project.addTask('integ:verify', {
  description: 'Fails when an integ test of integ/ has no snapshot or synthesizes differently from it; offline, part of `test`',
  exec: `ts-node --transpile-only src/cli/fintech-integ.ts verify ${integArgs}`,
  receiveArgs: true,
});
project.testTask.spawn(integVerify);
project.gitignore.exclude('/integ/cdk.out/', '/integ/**/cdk.context.json');

// jsii needs FintechCdkApp exported statically from src/index.ts; this makes lib/index.js require it (and projen) on first use,
// so CDK apps without projen can load the constructs and FintechChecks. The last step of compile, so every path that compiles
// (build, the README's quickstart, which runs compile then package) tests and packs the rewritten file.
const lazyProjenExports = project.addTask('lazy-projen-exports', {
  description: 'Rewrites lib/index.js so the projen project type loads on first use and the package loads without projen',
  exec: 'ts-node --transpile-only scripts/lazy-projen-exports.ts lib',
});
project.compileTask.spawn(lazyProjenExports);
// jsii-docgen reads every .jsii under its working directory, ./demo-app's older copy of this package included.
project.tasks.tryFind('docgen')!.reset('bash scripts/docgen.sh');

const apiOverview = project.addTask('docs:api', {
  description: 'Writes docs/api-overview.md from .jsii: each public type with its own members only (API.md has the inherited ones too)',
  exec: 'ts-node --transpile-only scripts/write-api-overview.ts',
});
project.postCompileTask.spawn(apiOverview);

const rulesDoc = project.addTask('docs:rules', {
  description: "Writes docs/rules.md from the rule pack's metadata",
  exec: 'ts-node --transpile-only scripts/write-rules-doc.ts',
});
project.postCompileTask.spawn(rulesDoc);

const optionsDoc = project.addTask('docs:options', {
  description: 'Writes docs/options.md from the jsii manifest (.jsii, written by compile): the options of FintechCdkApp and FintechEnvironment',
  exec: 'ts-node --transpile-only scripts/write-options-doc.ts',
});
project.postCompileTask.spawn(optionsDoc);

project.addTask('bench:new-and-build', {
  description: 'Benchmark: projen new and projen build of a plain awscdk-app-ts against a FintechCdkApp repo (run after `package`; ' +
    '`-- --blueprints=NAME` chooses the FintechCdkApp repo\'s blueprints; `--baseline-blueprints=NAME` compares against a FintechCdkApp repo of those instead, for an add-on)',
  exec: 'ts-node --transpile-only bench/new-and-build.ts',
  receiveArgs: true,
});

project.addTask('bench:handler-bundles', {
  description: "Benchmark: each payment-webhook handler's minified bundle size and its largest inputs (esbuild metafile)",
  exec: 'ts-node --transpile-only bench/handler-bundles.ts',
});

const benchRules = project.addTask('bench:rules', {
  description: 'Benchmark: FintechChecks against AwsSolutionsChecks per synth (small-app corpus and apps of thousands of resources), then its overlap with the Control Tower Guard rules of cdk-validator-cfnguard',
  exec: 'ts-node --transpile-only bench/rules.ts',
});
benchRules.exec('ts-node --transpile-only bench/control-overlap.ts');

project.addTask('bench:endpoint-cost', {
  description: "Benchmark: monthly fixed cost of the fraud-detection-api blueprint's VPC endpoints per stage against a NAT gateway design, from its synthesized templates",
  exec: 'ts-node --transpile-only bench/endpoint-cost.ts',
  receiveArgs: true,
});

project.addTask('bench:observability-cost', {
  description: 'Benchmark: monthly fixed cost the observability blueprint adds per stage over payment-webhook (dashboards, Contributor Insights rules, alarm metrics, canary runs), from its synthesized templates',
  exec: 'ts-node --transpile-only bench/observability-cost.ts',
});

project.addTask('bench:webhook-lines', {
  description: 'Benchmark: lines and FintechChecks findings of the same webhook stack written with the library and with plain aws-cdk-lib',
  exec: 'ts-node --transpile-only bench/webhook-lines.ts',
});

// docs/ ships: the README links docs/rules.md, docs/options.md, docs/traceability.md and docs/api-overview.md.
for (const ignored of ['/demo-app/', '/.e2e/', '/bench/', '/scripts/', '/.ci/', '/integ/']) {
  project.addPackageIgnore(ignored);
}

// A CDK app that adopts only the rule pack or one construct has no projen: the project type is loaded lazily (src/index.ts).
project.package.addField('peerDependenciesMeta', { projen: { optional: true } });

project.synth();
