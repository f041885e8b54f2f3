import * as fs from 'fs';
import * as path from 'path';
import { Component, SampleFile } from 'projen';
import type { FintechCdkApp } from './fintech-cdk-app';
import { FintechPlatformConfig } from '../config/platform-config';

/** Where the starter blueprint ships inside this package (compiled and tested by its own suite). */
const STARTER_DIR = path.join(__dirname, '..', '..', 'blueprints', 'starter');

/** Options of `StarterSample`. */
export interface StarterSampleOptions {
  /** Source folder of the project. */
  readonly srcdir: string;
  /** Test folder of the project. */
  readonly testdir: string;
}

/**
 * The sample files of a new repo: the CDK app, a ledger stack with stateful resources, its
 * unit test, and a README that explains the environment model and every task. Written
 * once when missing; the user owns them afterwards.
 */
export class StarterSample extends Component {
  constructor(project: FintechCdkApp, options: StarterSampleOptions) {
    super(project);
    const copy = (from: string, to: string) => new SampleFile(project, to, { sourcePath: path.join(STARTER_DIR, from) });
    copy('src/main.ts', `${options.srcdir}/main.ts`);
    copy('src/ledger-stack.ts', `${options.srcdir}/ledger-stack.ts`);
    copy('test/ledger-stack.test.ts', `${options.testdir}/ledger-stack.test.ts`);
    copy('test/integ/integ.ledger.ts', `${options.testdir}/integ/integ.ledger.ts`);
  }

  /** The README is rendered at synth, when every task of the project is known. */
  public synthesize(): void {
    const project = this.project as FintechCdkApp;
    if (!fs.existsSync(path.join(project.outdir, 'README.md')) || isProjenPlaceholder(project.outdir)) {
      fs.writeFileSync(path.join(project.outdir, 'README.md'), renderReadme(project));
    }
  }
}

// projen's own sample README is one line; replace it, never a README the user wrote.
function isProjenPlaceholder(outdir: string): boolean {
  return fs.readFileSync(path.join(outdir, 'README.md'), 'utf-8').trim() === '# replace this';
}

function renderReadme(project: FintechCdkApp): string {
  const config: FintechPlatformConfig = project.platformConfig;
  const environments = config.environments
    .map(env => `| \`${env.name}\` | ${env.account ?? '_not set: environment-agnostic_'} | ${env.region} | ${env.durable ? 'durable: RETAIN/SNAPSHOT, deletion protection on' : 'ephemeral: everything DESTROY, buckets auto-emptied'} |`)
    .join('\n');
  const tasks = project.tasks.all
    .filter(task => !task.name.startsWith('install') || task.name === 'install')
    .map(task => `| \`npx projen ${task.name}\` | ${(task.description ?? '').replace(/\|/g, '\\|')} |`)
    .join('\n');
  return `# ${project.name}

A fintech AWS CDK app made from [fintech-infra-template](https://github.com/fintech-infra-template/fintech-infra-template).
\`.projenrc.ts\` is the one place to change the project: run \`npx projen\` after editing it.

## Start
\`\`\`sh
npm install
npx projen build   # type-check, unit tests, lint, synth of every stage with the FintechChecks rule pack
\`\`\`

## Environments
Declared once in \`.projenrc.ts\` (\`environments\`), written by projen to the managed
\`src/fintech.config.json\`, and turned into one \`FintechStage\` per entry by \`src/main.ts\`.

| stage | account | region | on \`cdk destroy\` |
|---|---|---|---|
${environments}

Every stage:
- tags every taggable resource with ${(config.requiredTagKeys ?? []).map(k => `\`${k}\``).join(', ')}${Object.keys(config.extraTags ?? {}).length ? ` and ${Object.keys(config.extraTags ?? {}).map(k => `\`${k}\``).join(', ')}` : ''};
- applies stage-aware removal policies to every stateful resource (S3, DynamoDB, RDS, KMS, Logs,
  SQS, SNS, ECR, Cognito, EFS, Secrets Manager), also to raw \`Cfn*\` resources;
- runs the \`FintechChecks\` rule pack at synth: \`cdk synth\` fails on a finding. To accept one
  finding on one construct, acknowledge it with a reason:
  \`Validations.of(construct).acknowledge({ id: 'Fintech-C02-...', reason: 'why' })\`.

A stage without an \`account\` synthesizes environment-agnostic (with a warning), so everything
builds offline; set the account before deploying it. Stage names end every physical name
(\`PhysicalName.of(this, 'entries')\` gives \`${config.application}-entries-<stage>\`), so stages can be deployed side by side.

## Deploying
1. Credentials: \`aws sso login --profile <p>\` and \`export AWS_PROFILE=<p>\` (or any standard AWS credential source).
   Every deploy task checks them first and fails in seconds with what to do when they are missing or expired.
2. Bootstrap each account and region once: \`npx cdk bootstrap aws://<account>/<region>\`.
3. \`npx projen deploy:<stage>\` (\`diff:<stage>\` first to see the change set). Durable stages need an \`account\`
   in \`.projenrc.ts\` and \`--confirm\` when run by hand (CI needs no flag); credentials for another account are refused.

## Integration tests
\`test/integ/integ.*.ts\` are [integ-tests-alpha](https://docs.aws.amazon.com/cdk/api/v2/docs/integ-tests-alpha-readme.html) tests:
they deploy a throwaway stage and assert real behaviour with AWS API calls.
- Offline, part of \`build\`: \`npx projen integ:verify\` fails when a test synthesizes differently from its committed snapshot
  (assertions included); after an intended change run \`npx projen integ:snapshot\` and commit the snapshot.
- Against an account: \`npx projen integ:deploy\` checks credentials and bootstrap, deploys each test to
  ${config.environments[0]?.region ?? 'the first environment\'s region'}, runs its assertions (a failed assertion fails the run) and destroys the stacks,
  also when an assertion fails. If a run is interrupted, \`npx projen integ:destroy\` removes what it left.

## Rule pack reports
\`npx projen fintech-checks\` writes \`reports/fintech-checks/<stage>.sarif\` (SARIF 2.1.0: upload it to GitHub code scanning;
each finding points at the line that created the construct) and \`<stage>.md\` (a summary for pull requests).

## GitHub Actions
Give an environment a \`deployRoleArn\` in \`.projenrc.ts\` and projen writes \`.github/workflows/deploy.yml\`: on every push to
the default branch it builds, runs the offline suite, uploads the SARIF reports, then deploys the environments with a role in
the order declared, each assuming its role through OIDC (no stored keys) as a GitHub environment of the same name.
- In each account, create an IAM OIDC provider for \`token.actions.githubusercontent.com\` and a role whose trust policy allows
  \`sts:AssumeRoleWithWebIdentity\` for \`repo:<owner>/<repo>:environment:<stage>\` (audience \`sts.amazonaws.com\`), with permission to
  assume the CDK bootstrap roles (\`arn:aws:iam::<account>:role/cdk-hnb659fds-*\`).
- In the repository settings, protect the GitHub environments of durable stages with required reviewers.

## Tasks
| command | what it does |
|---|---|
${tasks}

## Layout
- \`src/main.ts\`: the CDK app, one \`FintechStage\` per environment.
- \`src/ledger-stack.ts\`: a sample stack with stateful resources; replace it with your workload.
- \`test/\`: unit tests (transpile-only jest; \`compile\` type-checks once).
- \`src/fintech.config.json\`: generated from \`.projenrc.ts\`; do not edit.
`;
}
