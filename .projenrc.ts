import { cdk, javascript } from 'projen';

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
  devDeps: [
    `aws-cdk-lib@${CDK_VERSION}`,
    `constructs@${CONSTRUCTS_VERSION}`,
    `projen@${PROJEN_VERSION}`,
  ],

  // No release pipeline, mergify or upgrade workflow yet: CI is .ci/run.
  release: false,
  github: false,
  docgen: true,

  jestOptions: {
    jestConfig: {
      // End-to-end tests run in their own task after the package is packed.
      testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/e2e/'],
    },
  },
  gitignore: ['/demo-app/', '/.e2e/', '/bench/results/'],
});

for (const ignored of ['/demo-app/', '/.e2e/', '/bench/', '/scripts/', '/.ci/', '/integ/', '/docs/']) {
  project.addPackageIgnore(ignored);
}

project.synth();
