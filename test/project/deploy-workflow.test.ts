import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthSnapshot } from 'projen/lib/util/synth';
import * as YAML from 'yaml';
import { FintechCdkApp, FintechCdkAppOptions } from '../../src/project/fintech-cdk-app';
import * as versions from '../../src/project/versions';

function files(overrides: Partial<FintechCdkAppOptions> = {}) {
  const project = new FintechCdkApp({
    name: 'ledger',
    defaultReleaseBranch: 'main',
    cdkVersion: versions.CDK_VERSION,
    team: 'payments',
    costCenter: 'cc-42',
    alarmEmail: 'oncall@example.com',
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-workflow-')),
    ...overrides,
  });
  return synthSnapshot(project);
}

const ENVIRONMENTS = [
  { name: 'dev', account: '111111111111', region: 'eu-west-1', deployRoleArn: 'arn:aws:iam::111111111111:role/github-deploy' },
  { name: 'preview', region: 'eu-west-1' },
  { name: 'prod', account: '222222222222', region: 'eu-central-1', durable: true, deployRoleArn: 'arn:aws:iam::222222222222:role/ci/github-deploy' },
];

describe('DeployWorkflow', () => {
  const generated = files({ environments: ENVIRONMENTS });
  const workflow = YAML.parse(generated['.github/workflows/deploy.yml']);

  test('runs on pushes to the default branch and by hand', () => {
    expect(workflow.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: {} });
  });

  test('builds and runs the offline suite, then uploads the rule pack SARIF with only the permissions that needs', () => {
    expect(workflow.jobs.build.permissions).toEqual({ 'contents': 'read', 'security-events': 'write' });
    const runs = workflow.jobs.build.steps.map((s: any) => s.run ?? s.uses);
    expect(runs).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', 'npx projen install:ci', 'npx projen build', 'npx projen fintech-checks', 'github/codeql-action/upload-sarif@v3']);
    expect(workflow.jobs.build.steps[5]).toMatchObject({ if: 'always()', with: { sarif_file: 'reports/fintech-checks' } });
  });

  test('deploys only environments with a role, in declared order, each through OIDC in its GitHub environment', () => {
    expect(Object.keys(workflow.jobs)).toEqual(['build', 'deploy-dev', 'deploy-prod']);
    expect(workflow.jobs['deploy-dev'].needs).toBe('build');
    expect(workflow.jobs['deploy-prod'].needs).toBe('deploy-dev');
    const prod = workflow.jobs['deploy-prod'];
    expect(prod.environment).toBe('prod');
    expect(prod.permissions).toEqual({ 'contents': 'read', 'id-token': 'write' });
    expect(prod.concurrency).toEqual({ 'group': 'deploy-prod', 'cancel-in-progress': false });
    expect(prod.steps[3]).toMatchObject({
      name: 'Assume the prod deploy role (OIDC)',
      uses: 'aws-actions/configure-aws-credentials@v4',
      with: { 'role-to-assume': 'arn:aws:iam::222222222222:role/ci/github-deploy', 'aws-region': 'eu-central-1', 'role-session-name': 'deploy-prod' },
    });
    expect(prod.steps[4]).toMatchObject({ name: 'Deploy prod', run: 'npx projen deploy:prod' });
    // No long-lived keys anywhere in the workflow.
    expect(generated['.github/workflows/deploy.yml']).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|secrets\./);
  });

  test('is not written when no environment has a deploy role', () => {
    expect(files()['.github/workflows/deploy.yml']).toBeUndefined();
  });

  test.each([
    [{ name: 'dev', account: '111111111111', region: 'eu-west-1', deployRoleArn: 'github-deploy' }, /environments\[0\]\.deployRoleArn = "github-deploy": not an IAM role ARN/],
    [{ name: 'dev', region: 'eu-west-1', deployRoleArn: 'arn:aws:iam::111111111111:role/x' }, /a deploy role needs the stage's account.*set account: '111111111111'/],
    [{ name: 'dev', account: '111111111111', region: 'eu-west-1', deployRoleArn: 'arn:aws:iam::999999999999:role/x' }, /the role is in account 999999999999, but the stage deploys to 111111111111/],
  ])('rejects a bad deployRoleArn: %j', (environment, message) => {
    expect(() => files({ environments: [environment] })).toThrow(message);
  });
});
