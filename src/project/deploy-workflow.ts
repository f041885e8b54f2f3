import { Component } from 'projen';
import type { AwsCdkTypeScriptApp } from 'projen/lib/awscdk';
import { GithubWorkflow } from 'projen/lib/github';
import { Job, JobPermission, JobStep } from 'projen/lib/github/workflows-model';
import { CHECKS_REPORT_DIR } from './checks-report-task';
import { pinned, PinnedActions } from './pinned-actions';
import { MIN_NODE_VERSION } from './versions';
import { FintechEnvironment } from '../config/platform-config';

/**
 * Days GitHub keeps the cloud assembly of a run. Long enough for a reviewer to approve a durable stage's deploy in the
 * same week; after that, re-run the whole workflow (it rebuilds the same commit) rather than deploy an old build.
 */
export const ASSEMBLY_RETENTION_DAYS = 5;

/** The workflow artifact holding the cloud assembly a build synthesized, checked and tested; named after the commit. */
export const ASSEMBLY_ARTIFACT = 'cloud-assembly-${{ github.sha }}';

// One tarball, because artifact zips drop file modes (an executable in a Lambda asset) and hidden files.
const ASSEMBLY_TARBALL = 'cloud-assembly.tgz';

/** The arguments after `--` that make `deploy:<stage>` and `diff:<stage>` use the downloaded assembly instead of synthesizing. */
export const FROM_ASSEMBLY = '--app cdk.out';

/** Same repository, so GitHub gives the run an OIDC token; pull requests from forks get none. */
const SAME_REPOSITORY = 'github.event.pull_request.head.repo.full_name == github.repository';

/**
 * The managed GitHub Actions workflows of the generated repo, each job with only the permissions it needs and every
 * third-party action pinned to a commit (`PinnedActions`):
 *
 * - `deploy.yml`, written when an environment has a `deployRoleArn`: on every push to the default branch one build job
 *   compiles, lints, runs the offline suite and synthesizes every stage with FintechChecks (`npx projen build`), keeps
 *   that cloud assembly (`cdk.out`) as a workflow artifact with its SHA-256, and uploads the rule pack's SARIF; then each
 *   environment with a role, in the order declared, downloads that assembly, checks its SHA-256 and deploys it as it is
 *   (`npx projen deploy:<stage> -- --app cdk.out`: no build, no synth), assuming its role through OIDC as the GitHub
 *   environment of the same name, so durable stages can require reviewers.
 * - `diff.yml`, written when an environment has a `diffRoleArn`: on pull requests one build job makes the assembly the
 *   same way; then, per such environment, a job assumes the read-only diff role through OIDC, runs
 *   `npx projen diff:<stage> -- --app cdk.out` and posts the result as one comment per stage, updated on every push.
 *   Pull requests from forks get no OIDC token: they get a notice instead of a diff.
 */
export class DeployWorkflow extends Component {
  /** Environments the `deploy` workflow deploys, in order. */
  public readonly deployed: readonly FintechEnvironment[];
  /** Environments the `diff` workflow diffs on pull requests, in order. */
  public readonly diffed: readonly FintechEnvironment[];

  constructor(project: AwsCdkTypeScriptApp, environments: readonly FintechEnvironment[], branch: string) {
    super(project);
    this.deployed = environments.filter(env => env.deployRoleArn !== undefined);
    this.diffed = environments.filter(env => env.diffRoleArn !== undefined);
    if (!project.github) return;
    new PinnedActions(project, project.github);

    if (this.deployed.length > 0) {
      const workflow = new GithubWorkflow(project.github, 'deploy');
      workflow.on({ push: { branches: [branch] }, workflowDispatch: {} });
      readOnlyByDefault(workflow);
      const jobs: Record<string, Job> = {
        build: buildJob({
          name: 'Build, offline suite and cloud assembly',
          permissions: { contents: JobPermission.READ, securityEvents: JobPermission.WRITE },
          after: [
            { name: 'Rule pack reports', if: 'always()', run: 'npx projen fintech-checks' },
            { name: 'Upload SARIF to code scanning', if: 'always()', uses: pinned('github/codeql-action/upload-sarif'), with: { sarif_file: CHECKS_REPORT_DIR, category: 'fintech-checks' } },
          ],
        }),
      };
      let previous = 'build';
      for (const env of this.deployed) {
        const id = `deploy-${env.name}`;
        jobs[id] = {
          name: `Deploy ${env.name}${env.durable ? ' (durable)' : ''}`,
          needs: previous === 'build' ? ['build'] : ['build', previous],
          // A manual run on another branch builds it, but only the default branch deploys.
          if: `github.ref == 'refs/heads/${branch}'`,
          runsOn: ['ubuntu-latest'],
          // The GitHub environment of the same name holds the protection rules (required reviewers for durable stages).
          environment: env.name,
          concurrency: { 'group': id, 'cancel-in-progress': false },
          permissions: { contents: JobPermission.READ, idToken: JobPermission.WRITE },
          steps: [
            ...installSteps(),
            ...assemblySteps(),
            assumeRole(env, env.deployRoleArn!, `deploy-${env.name}`, `Assume the ${env.name} deploy role (OIDC)`),
            { name: `Deploy ${env.name} from the built assembly`, run: `npx projen deploy:${env.name} -- ${FROM_ASSEMBLY}` },
          ],
        };
        previous = id;
      }
      workflow.addJobs(jobs);
    }

    if (this.diffed.length > 0) {
      // A newer push cancels the run of the older one, which could otherwise post its stale diff last.
      const workflow = new GithubWorkflow(project.github, 'diff', {
        limitConcurrency: true,
        concurrencyOptions: { group: 'diff-${{ github.event.pull_request.number }}', cancelInProgress: true },
      });
      workflow.on({ pullRequest: {} });
      readOnlyByDefault(workflow);
      const jobs: Record<string, Job> = {
        'build': { ...buildJob({ name: 'Build and cloud assembly', permissions: { contents: JobPermission.READ }, after: [] }), if: SAME_REPOSITORY },
        'fork-notice': {
          name: 'No diff for a pull request from a fork',
          if: `!(${SAME_REPOSITORY})`,
          runsOn: ['ubuntu-latest'],
          permissions: {},
          steps: [{
            name: 'Say why there is no diff',
            run: 'echo "::notice title=No stage diff::GitHub gives workflows of pull requests from forks no OIDC token, so they cannot read the deployed stacks. ' +
              'Push the branch to this repository to get the diff, or run npx projen diff:<stage> with credentials."',
          }],
        },
      };
      for (const env of this.diffed) {
        jobs[`diff-${env.name}`] = {
          name: `Diff ${env.name}`,
          needs: ['build'],
          runsOn: ['ubuntu-latest'],
          permissions: { contents: JobPermission.READ, idToken: JobPermission.WRITE, pullRequests: JobPermission.WRITE },
          steps: [
            ...installSteps(),
            ...assemblySteps(),
            assumeRole(env, env.diffRoleArn!, `diff-${env.name}`, `Assume the ${env.name} read-only diff role (OIDC)`),
            {
              name: `Diff ${env.name} against its deployed stacks`,
              id: 'diff',
              shell: 'bash',
              // --no-change-set: cdk diff reads the deployed templates through the lookup role instead of creating a change set with the deploy role.
              run: [
                'set +e',
                `npx projen diff:${env.name} -- ${FROM_ASSEMBLY} --no-change-set --no-color > "$RUNNER_TEMP/diff.txt" 2>&1`,
                'status=$?',
                'cat "$RUNNER_TEMP/diff.txt"',
                'echo "status=$status" >> "$GITHUB_OUTPUT"',
                'exit $status',
              ].join('\n'),
            },
            {
              name: `Post the ${env.name} diff on the pull request`,
              if: "always() && steps.diff.outputs.status != ''",
              uses: pinned('actions/github-script'),
              env: { STAGE: env.name, STATUS: '${{ steps.diff.outputs.status }}' },
              with: { script: COMMENT_SCRIPT },
            },
          ],
        };
      }
      workflow.addJobs(jobs);
    }
  }
}

/**
 * Top-level read-only permissions (OpenSSF Scorecard's Token-Permissions check): every job declares its own, and one that
 * did not would get `contents: read`, not the repository's default. (projen drops an empty `permissions: {}` here.)
 */
function readOnlyByDefault(workflow: GithubWorkflow): void {
  workflow.file?.addOverride('permissions', { contents: 'read' });
}

/** A build job that keeps the cloud assembly it synthesized as the run's artifact, with its SHA-256 as a job output. */
function buildJob(options: { name: string; permissions: Job['permissions']; after: JobStep[] }): Job {
  return {
    name: options.name,
    runsOn: ['ubuntu-latest'],
    permissions: options.permissions,
    outputs: { assembly_sha256: { stepId: 'assembly', outputName: 'sha256' } },
    steps: [
      ...installSteps(),
      { name: 'Build (compile, lint, unit tests, synth of every stage with FintechChecks, integ:verify)', run: 'npx projen build' },
      {
        name: 'Package the cloud assembly the build synthesized, checked and tested',
        id: 'assembly',
        run: `tar -czf ${ASSEMBLY_TARBALL} cdk.out\necho "sha256=$(sha256sum ${ASSEMBLY_TARBALL} | cut -d' ' -f1)" >> "$GITHUB_OUTPUT"`,
      },
      {
        name: 'Keep the cloud assembly for the jobs that use it',
        uses: pinned('actions/upload-artifact'),
        with: { 'name': ASSEMBLY_ARTIFACT, 'path': ASSEMBLY_TARBALL, 'retention-days': ASSEMBLY_RETENTION_DAYS, 'if-no-files-found': 'error' },
      },
      ...options.after,
    ],
  };
}

/** Checkout without leaving the token in .git/config, Node, and the locked dependencies (the cdk CLI and fintech-deploy). */
function installSteps(): JobStep[] {
  return [
    { name: 'Checkout', uses: pinned('actions/checkout'), with: { 'persist-credentials': false } },
    { name: 'Setup Node.js', uses: pinned('actions/setup-node'), with: { 'node-version': MIN_NODE_VERSION.split('.')[0] } },
    { name: 'Install dependencies', run: 'npx projen install:ci' },
  ];
}

/** Downloads the build job's assembly and unpacks it into cdk.out after checking it is the one the build job packed. */
function assemblySteps(): JobStep[] {
  return [
    {
      name: 'Download the cloud assembly of the build job',
      uses: pinned('actions/download-artifact'),
      with: { name: ASSEMBLY_ARTIFACT, path: '${{ runner.temp }}/assembly' },
    },
    {
      name: 'Check and unpack the cloud assembly',
      env: { ASSEMBLY_SHA256: '${{ needs.build.outputs.assembly_sha256 }}' },
      run: `echo "$ASSEMBLY_SHA256  $RUNNER_TEMP/assembly/${ASSEMBLY_TARBALL}" | sha256sum --check --strict\ntar -xzf "$RUNNER_TEMP/assembly/${ASSEMBLY_TARBALL}"`,
    },
  ];
}

function assumeRole(env: FintechEnvironment, roleArn: string, sessionName: string, name: string): JobStep {
  return {
    name,
    uses: pinned('aws-actions/configure-aws-credentials'),
    with: {
      'role-to-assume': roleArn,
      'aws-region': env.region,
      'role-session-name': sessionName,
      // The action fails if the credentials it gets are for another account than the stage's.
      ...(env.account ? { 'allowed-account-ids': env.account } : {}),
    },
  };
}

/**
 * github-script body: one comment per stage, found again by its hidden marker and updated on every push; the output is
 * cut to GitHub's comment size, with a link to the full log.
 */
const COMMENT_SCRIPT = `const fs = require('fs');
const stage = process.env.STAGE;
const marker = \`<!-- fintech-diff:\${stage} -->\`;
const output = fs.readFileSync(\`\${process.env.RUNNER_TEMP}/diff.txt\`, 'utf-8');
const limit = 60000;
const log = \`\${context.serverUrl}/\${context.repo.owner}/\${context.repo.repo}/actions/runs/\${context.runId}\`;
const shown = output.length > limit ? \`\${output.slice(0, limit)}\\n... cut at \${limit} characters: the whole diff is in the job log\` : output;
const result = process.env.STATUS === '0' ? 'what would change' : \`**diff failed** (exit \${process.env.STATUS}); see the [job log](\${log})\`;
const body = [marker, \`### \\\`cdk diff\\\` of stage \\\`\${stage}\\\` for \${context.payload.pull_request.head.sha.slice(0, 7)} merged into \${context.payload.pull_request.base.ref}: \${result}\`, '', '<details><summary>Output</summary>', '', '\`\`\`\`text', shown, '\`\`\`\`', '</details>', '', \`[Run](\${log})\`].join('\\n');
const comments = await github.paginate(github.rest.issues.listComments, { ...context.repo, issue_number: context.issue.number, per_page: 100 });
const previous = comments.find(c => c.user?.login === 'github-actions[bot]' && c.body?.startsWith(marker));
if (previous) {
  await github.rest.issues.updateComment({ ...context.repo, comment_id: previous.id, body });
} else {
  await github.rest.issues.createComment({ ...context.repo, issue_number: context.issue.number, body });
}`;
