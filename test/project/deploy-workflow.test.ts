import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { synthSnapshot } from 'projen/lib/util/synth';
import * as YAML from 'yaml';
import { ASSEMBLY_RETENTION_DAYS } from '../../src/project/deploy-workflow';
import { FintechCdkApp, FintechCdkAppOptions } from '../../src/project/fintech-cdk-app';
import { PINNED_ACTIONS } from '../../src/project/pinned-actions';
import * as versions from '../../src/project/versions';

function app(overrides: Partial<FintechCdkAppOptions> = {}): FintechCdkApp {
  return new FintechCdkApp({
    name: 'ledger',
    defaultReleaseBranch: 'main',
    cdkVersion: versions.CDK_VERSION,
    team: 'payments',
    costCenter: 'cc-42',
    alarmEmail: 'oncall@example.com',
    outdir: fs.mkdtempSync(path.join(os.tmpdir(), 'deploy-workflow-')),
    ...overrides,
  });
}

function files(overrides: Partial<FintechCdkAppOptions> = {}): Record<string, string> {
  return synthSnapshot(app(overrides));
}

const ENVIRONMENTS = [
  { name: 'dev', account: '111111111111', region: 'eu-west-1', deployRoleArn: 'arn:aws:iam::111111111111:role/github-deploy', diffRoleArn: 'arn:aws:iam::111111111111:role/github-diff' },
  { name: 'preview', region: 'eu-west-1' },
  {
    name: 'prod',
    account: '222222222222',
    region: 'eu-central-1',
    durable: true,
    deployRoleArn: 'arn:aws:iam::222222222222:role/ci/github-deploy',
    diffRoleArn: 'arn:aws:iam::222222222222:role/ci/github-diff',
  },
];

type Step = { name?: string; uses?: string; run?: string; with?: Record<string, unknown>; env?: Record<string, string>; if?: string; id?: string };
type Job = {
  steps: Step[];
  permissions: Record<string, string>;
  needs?: string | string[];
  if?: string;
  environment?: string;
  concurrency?: unknown;
  outputs?: Record<string, string>;
};

const workflowFiles = (generated: Record<string, string>) => Object.keys(generated).filter(f => /^\.github\/workflows\/.*\.ya?ml$/.test(f)).sort();
const runs = (job: Job) => job.steps.map(s => s.run ?? '').join('\n');
const usesOf = (job: Job) => job.steps.map(s => s.uses).filter((u): u is string => u !== undefined).map(u => u.split('@')[0]);

/** Every `uses:` line of a workflow's text, with what follows it. */
function usesLines(text: string): string[] {
  return text.split('\n').filter(line => /^\s*(- )?uses:/.test(line)).map(line => line.replace(/^\s*(- )?uses:\s*/, ''));
}

describe('DeployWorkflow', () => {
  const generated = files({ environments: ENVIRONMENTS });
  const deploy = YAML.parse(generated['.github/workflows/deploy.yml']);
  const diff = YAML.parse(generated['.github/workflows/diff.yml']);

  describe('pinned actions', () => {
    test('every generated workflow file, projen\'s own included, pins every action to a commit with its version as a comment', () => {
      expect(workflowFiles(generated)).toEqual([
        '.github/workflows/build.yml', '.github/workflows/deploy.yml', '.github/workflows/diff.yml',
        '.github/workflows/pull-request-lint.yml', '.github/workflows/upgrade.yml',
      ]);
      for (const file of workflowFiles(generated)) {
        const lines = usesLines(generated[file]);
        expect(lines.length).toBeGreaterThan(0);
        for (const line of lines) {
          // owner/repo[/path]@<40 hex> # vX.Y.Z, and the pair is the one in PINNED_ACTIONS.
          const match = /^([\w.-]+\/[\w.-]+(?:\/[\w./-]+)?)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(line);
          expect({ file, line, pinned: match !== null }).toEqual({ file, line, pinned: true });
          expect(PINNED_ACTIONS).toContainEqual({ action: match![1], sha: match![2], version: match![3] });
        }
      }
    });

    test('the YAML still parses to the pinned references (the comment is only a comment)', () => {
      expect(deploy.jobs.build.steps[0].uses).toBe(`actions/checkout@${PINNED_ACTIONS.find(p => p.action === 'actions/checkout')!.sha}`);
    });

    test('an action the project overrides in .projenrc.ts keeps the override', () => {
      const project = app({ environments: ENVIRONMENTS });
      project.github!.actions.set('actions/checkout', 'actions/checkout@0123456789abcdef0123456789abcdef01234567');
      const build = synthSnapshot(project)['.github/workflows/build.yml'];
      expect(usesLines(build)).toContain('actions/checkout@0123456789abcdef0123456789abcdef01234567');
    });

    test('every pin is a full commit SHA with a release tag', () => {
      for (const pin of PINNED_ACTIONS) {
        expect(pin.sha).toMatch(/^[0-9a-f]{40}$/);
        expect(pin.version).toMatch(/^v\d+\.\d+\.\d+$/);
      }
      expect(new Set(PINNED_ACTIONS.map(p => p.action)).size).toBe(PINNED_ACTIONS.length);
    });
  });

  describe('deploy.yml deploys the assembly the build checked and tested', () => {
    test('runs on pushes to the default branch and by hand, read-only unless a job declares more', () => {
      expect(deploy.on).toEqual({ push: { branches: ['main'] }, workflow_dispatch: {} });
      expect(deploy.permissions).toEqual({ contents: 'read' });
      for (const job of Object.values<Job>(deploy.jobs)) expect(job.permissions).toBeDefined();
    });

    test('the build job builds once, keeps cdk.out as a short-lived artifact named after the commit with its SHA-256, then uploads the SARIF', () => {
      const build: Job = deploy.jobs.build;
      expect(build.permissions).toEqual({ 'contents': 'read', 'security-events': 'write' });
      expect(build.steps.map(s => s.run ?? s.uses?.split('@')[0])).toEqual([
        'actions/checkout', 'actions/setup-node', 'npx projen install:ci', 'npx projen build',
        expect.stringMatching(/^tar -czf cloud-assembly\.tgz cdk\.out\n.*sha256sum cloud-assembly\.tgz.*>> "\$GITHUB_OUTPUT"$/),
        'actions/upload-artifact', 'npx projen fintech-checks', 'github/codeql-action/upload-sarif',
      ]);
      expect(build.steps[5].with).toEqual({ 'name': 'cloud-assembly-${{ github.sha }}', 'path': 'cloud-assembly.tgz', 'retention-days': ASSEMBLY_RETENTION_DAYS, 'if-no-files-found': 'error' });
      expect(ASSEMBLY_RETENTION_DAYS).toBeLessThanOrEqual(7);
      // Packed right after the build: fintech-checks synthesizes again, and the artifact must be what build tested.
      expect(build.steps[5].if).toBeUndefined();
      expect(build.outputs).toEqual({ assembly_sha256: '${{ steps.assembly.outputs.sha256 }}' });
      expect(build.steps[7]).toMatchObject({ if: 'always()', with: { sarif_file: 'reports/fintech-checks' } });
      expect(build.steps[0].with).toEqual({ 'persist-credentials': false });
    });

    test('deploys only environments with a role, in declared order, each through OIDC in its GitHub environment, from the default branch only', () => {
      expect(Object.keys(deploy.jobs)).toEqual(['build', 'deploy-dev', 'deploy-prod']);
      expect(deploy.jobs['deploy-dev'].needs).toBe('build');
      expect(deploy.jobs['deploy-prod'].needs).toEqual(['build', 'deploy-dev']);
      const prod: Job = deploy.jobs['deploy-prod'];
      expect(prod.environment).toBe('prod');
      expect(prod.if).toBe("github.ref == 'refs/heads/main'");
      expect(prod.permissions).toEqual({ 'contents': 'read', 'id-token': 'write' });
      expect(prod.concurrency).toEqual({ 'group': 'deploy-prod', 'cancel-in-progress': false });
      expect(prod.steps.find(s => s.uses?.startsWith('aws-actions/configure-aws-credentials@'))).toMatchObject({
        name: 'Assume the prod deploy role (OIDC)',
        with: { 'role-to-assume': 'arn:aws:iam::222222222222:role/ci/github-deploy', 'aws-region': 'eu-central-1', 'role-session-name': 'deploy-prod', 'allowed-account-ids': '222222222222' },
      });
      // No long-lived keys anywhere in the workflow.
      expect(generated['.github/workflows/deploy.yml']).not.toMatch(/AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|secrets\./);
    });

    test.each(['deploy-dev', 'deploy-prod'])('%s downloads the artifact, checks its SHA-256, deploys it with --app cdk.out, and never builds or synthesizes', id => {
      const job: Job = deploy.jobs[id];
      const stage = id.replace('deploy-', '');
      expect(usesOf(job)).toEqual(['actions/checkout', 'actions/setup-node', 'actions/download-artifact', 'aws-actions/configure-aws-credentials']);
      const download = job.steps.find(s => s.uses?.startsWith('actions/download-artifact@'))!;
      expect(download.with).toEqual({ name: 'cloud-assembly-${{ github.sha }}', path: '${{ runner.temp }}/assembly' });
      const unpack = job.steps[job.steps.indexOf(download) + 1];
      expect(unpack.env).toEqual({ ASSEMBLY_SHA256: '${{ needs.build.outputs.assembly_sha256 }}' });
      expect(unpack.run).toMatch(/sha256sum --check --strict\ntar -xzf "\$RUNNER_TEMP\/assembly\/cloud-assembly\.tgz"$/);
      expect(job.steps[job.steps.length - 1].run).toBe(`npx projen deploy:${stage} -- --app cdk.out`);
      // The only projen commands: install and deploy. No build, synth, compile, bundle or cdk synth.
      expect(runs(job).match(/npx projen [\w:-]+/g)).toEqual(['npx projen install:ci', `npx projen deploy:${stage}`]);
      expect(runs(job)).not.toMatch(/\bsynth\b|\bbuild\b|\bcompile\b|\bbundle\b/);
      expect(job.steps[0].with).toEqual({ 'persist-credentials': false });
    });

    test('is not written when no environment has a deploy role', () => {
      const plain = files();
      expect(plain['.github/workflows/deploy.yml']).toBeUndefined();
      expect(plain['.github/workflows/diff.yml']).toBeUndefined();
      // projen's own workflows are pinned all the same.
      for (const file of workflowFiles(plain)) {
        for (const line of usesLines(plain[file])) expect(line).toMatch(/@[0-9a-f]{40} # v\d/);
      }
    });
  });

  describe('diff.yml posts each stage\'s diff on pull requests', () => {
    test('runs on pull requests only; builds once for pull requests of this repository and leaves a notice for forks', () => {
      expect(diff.on).toEqual({ pull_request: {} });
      expect(diff.permissions).toEqual({ contents: 'read' });
      for (const job of Object.values<Job>(diff.jobs)) expect(job.permissions).toBeDefined();
      // A newer push cancels the older run, so a stale diff cannot overwrite the newer comment.
      expect(diff.concurrency).toEqual({ 'group': 'diff-${{ github.event.pull_request.number }}', 'cancel-in-progress': true });
      expect(Object.keys(diff.jobs)).toEqual(['build', 'fork-notice', 'diff-dev', 'diff-prod']);
      expect(diff.jobs.build.if).toBe('github.event.pull_request.head.repo.full_name == github.repository');
      expect(diff.jobs.build.permissions).toEqual({ contents: 'read' });
      expect(runs(diff.jobs.build)).toMatch(/npx projen build\ntar -czf cloud-assembly\.tgz cdk\.out/);
      const notice: Job = diff.jobs['fork-notice'];
      expect(notice.if).toBe('!(github.event.pull_request.head.repo.full_name == github.repository)');
      expect(notice.permissions).toEqual({});
      expect(runs(notice)).toMatch(/^echo "::notice title=No stage diff::.*no OIDC token/);
    });

    test.each([
      ['dev', '111111111111', 'eu-west-1', 'arn:aws:iam::111111111111:role/github-diff'],
      ['prod', '222222222222', 'eu-central-1', 'arn:aws:iam::222222222222:role/ci/github-diff'],
    ])('diff-%s assumes the read-only diff role, diffs the built assembly, and comments with only the permissions that needs', (stage, account, region, role) => {
      const job: Job = diff.jobs[`diff-${stage}`];
      expect(job.needs).toBe('build');
      expect(job.environment).toBeUndefined();
      expect(job.permissions).toEqual({ 'contents': 'read', 'id-token': 'write', 'pull-requests': 'write' });
      expect(usesOf(job)).toEqual(['actions/checkout', 'actions/setup-node', 'actions/download-artifact', 'aws-actions/configure-aws-credentials', 'actions/github-script']);
      expect(job.steps.find(s => s.uses?.startsWith('aws-actions/'))!.with).toEqual({
        'role-to-assume': role,
        'aws-region': region,
        'role-session-name': `diff-${stage}`,
        'allowed-account-ids': account,
      });
      const run = job.steps.find(s => s.id === 'diff')!;
      expect(run.run).toContain(`npx projen diff:${stage} -- --app cdk.out --no-change-set --no-color > "$RUNNER_TEMP/diff.txt" 2>&1`);
      expect(runs(job).match(/npx projen [\w:-]+/g)).toEqual(['npx projen install:ci', `npx projen diff:${stage}`]);
      expect(runs(job)).not.toMatch(/\bsynth\b|\bbuild\b|\bdeploy\b/);
      const comment = job.steps[job.steps.length - 1];
      expect(comment).toMatchObject({ if: "always() && steps.diff.outputs.status != ''", env: { STAGE: stage, STATUS: '${{ steps.diff.outputs.status }}' } });
      expect(comment.with!.script).toMatch(/<!-- fintech-diff:\$\{stage\} -->/);
      expect(comment.with!.script).toMatch(/updateComment[\s\S]*createComment/);
    });

    test('the comment script finds its own comment by marker and updates it, and creates one otherwise', async () => {
      const script = diff.jobs['diff-dev'].steps.at(-1).with.script as string;
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'diff-comment-'));
      fs.writeFileSync(path.join(dir, 'diff.txt'), 'Stack dev/Ledger\n[~] AWS::SQS::Queue Entries');
      const calls: string[] = [];
      const run = async (existing: Array<{ id: number; user: { login: string }; body: string }>) => {
        const github = {
          paginate: async () => existing,
          rest: { issues: { listComments: {}, updateComment: async (a: any) => { calls.push(`update ${a.comment_id}: ${a.body}`); }, createComment: async (a: any) => { calls.push(`create ${a.issue_number}: ${a.body}`); } } },
        };
        const context = {
          repo: { owner: 'bank', repo: 'ledger' },
          issue: { number: 7 },
          serverUrl: 'https://github.com',
          runId: 42,
          payload: { pull_request: { head: { sha: 'abcdef1234567' }, base: { ref: 'main' } } },
        };
        const saved = { ...process.env };
        Object.assign(process.env, { STAGE: 'dev', STATUS: '0', RUNNER_TEMP: dir });
        try {
          // github-script runs the script as the body of an async function with these names in scope.
          await new Function('require', 'github', 'context', `return (async () => {\n${script}\n})();`)(require, github, context);
        } finally {
          process.env = saved;
        }
      };
      await run([{ id: 1, user: { login: 'someone' }, body: '<!-- fintech-diff:dev --> quoted by a human' }, { id: 2, user: { login: 'github-actions[bot]' }, body: '<!-- fintech-diff:prod -->' }]);
      await run([{ id: 3, user: { login: 'github-actions[bot]' }, body: '<!-- fintech-diff:dev -->\nold' }]);
      expect(calls).toHaveLength(2);
      expect(calls[0]).toMatch(/^create 7: <!-- fintech-diff:dev -->\n### `cdk diff` of stage `dev` for abcdef1 merged into main: what would change/);
      expect(calls[0]).toContain('[~] AWS::SQS::Queue Entries');
      expect(calls[1]).toMatch(/^update 3: <!-- fintech-diff:dev -->/);
    });

    test('is written only for environments with a diff role, and a diff role must not be the deploy role', () => {
      const onlyDeploy = files({ environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1', deployRoleArn: 'arn:aws:iam::111111111111:role/github-deploy' }] });
      expect(onlyDeploy['.github/workflows/diff.yml']).toBeUndefined();
      const sameRole = 'arn:aws:iam::111111111111:role/github-deploy';
      expect(() => files({ environments: [{ name: 'dev', account: '111111111111', region: 'eu-west-1', deployRoleArn: sameRole, diffRoleArn: sameRole }] }))
        .toThrow(/environments\[0\]\.diffRoleArn = ".*": the pull-request diff role is the deploy role.*Fix: give the diff its own read-only role/);
    });
  });

  test('the README explains the artifact-based deploy, the pull-request diff with the trust it needs, and how to update the pins', () => {
    const readme = generated['README.md'];
    const section = readme.slice(readme.indexOf('## GitHub Actions'), readme.indexOf('## Tasks'));
    expect(section).toContain(`as a workflow artifact named after\nthe commit, for ${ASSEMBLY_RETENTION_DAYS} days, with its SHA-256`);
    expect(section).toContain('`npx projen deploy:<stage> -- --app cdk.out`');
    expect(section).toContain('`repo:<owner>/<repo>:environment:<stage>`');
    expect(section).toContain('`repo:<owner>/<repo>:pull_request`');
    expect(section).toContain('`arn:aws:iam::<account>:role/cdk-hnb659fds-lookup-role-<account>-<region>`');
    expect(section).toMatch(/forks get no OIDC token/);
    expect(section).toMatch(/`PINNED_ACTIONS`, checked \d{4}-\d{2}-\d{2}/);
    expect(section).toContain("project.github?.actions.set('actions/checkout', 'actions/checkout@<sha>')");
  });

  test.each([
    [{ name: 'dev', account: '111111111111', region: 'eu-west-1', deployRoleArn: 'github-deploy' }, /environments\[0\]\.deployRoleArn = "github-deploy": not an IAM role ARN/],
    [{ name: 'dev', region: 'eu-west-1', deployRoleArn: 'arn:aws:iam::111111111111:role/x' }, /a deploy role needs the stage's account.*set account: '111111111111'/],
    [{ name: 'dev', account: '111111111111', region: 'eu-west-1', deployRoleArn: 'arn:aws:iam::999999999999:role/x' }, /the role is in account 999999999999, but the stage deploys to 111111111111/],
    [{ name: 'dev', account: '111111111111', region: 'eu-west-1', diffRoleArn: 'github-diff' }, /environments\[0\]\.diffRoleArn = "github-diff": not an IAM role ARN.*role\/github-diff'/],
    [{ name: 'dev', region: 'eu-west-1', diffRoleArn: 'arn:aws:iam::111111111111:role/x' }, /diffRoleArn.*a diff role needs the stage's account.*set account: '111111111111'/],
    [{ name: 'dev', account: '111111111111', region: 'eu-west-1', diffRoleArn: 'arn:aws:iam::999999999999:role/x' }, /diffRoleArn.*the role is in account 999999999999/],
  ])('rejects a bad role: %j', (environment, message) => {
    expect(() => files({ environments: [environment] })).toThrow(message);
  });
});
