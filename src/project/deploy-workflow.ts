import { Component } from 'projen';
import type { AwsCdkTypeScriptApp } from 'projen/lib/awscdk';
import { GithubWorkflow } from 'projen/lib/github';
import { Job, JobPermission, JobStep } from 'projen/lib/github/workflows-model';
import { CHECKS_REPORT_DIR } from './checks-report-task';
import { MIN_NODE_VERSION } from './versions';
import { FintechEnvironment } from '../config/platform-config';

// Major tags of the actions used; GitHub keeps them current within the major.
const CHECKOUT = 'actions/checkout@v4';
const SETUP_NODE = 'actions/setup-node@v4';
const CONFIGURE_AWS = 'aws-actions/configure-aws-credentials@v4';
const UPLOAD_SARIF = 'github/codeql-action/upload-sarif@v3';

/**
 * The managed `deploy` workflow: on every push to the default branch it builds and runs the offline suite,
 * uploads the rule pack's SARIF to code scanning, then deploys the environments that have a `deployRoleArn`,
 * in the order declared, each through OIDC role assumption (no long-lived keys) and as a GitHub environment
 * of the same name, so durable stages can require reviewers. Every job gets only the permissions it needs.
 */
export class DeployWorkflow extends Component {
  /** Environments the workflow deploys, in order. */
  public readonly deployed: readonly FintechEnvironment[];

  constructor(project: AwsCdkTypeScriptApp, environments: readonly FintechEnvironment[], branch: string) {
    super(project);
    this.deployed = environments.filter(env => env.deployRoleArn !== undefined);
    if (!project.github || this.deployed.length === 0) return;

    const workflow = new GithubWorkflow(project.github, 'deploy');
    workflow.on({ push: { branches: [branch] }, workflowDispatch: {} });
    const setup: JobStep[] = [
      { name: 'Checkout', uses: CHECKOUT },
      { name: 'Setup Node.js', uses: SETUP_NODE, with: { 'node-version': MIN_NODE_VERSION.split('.')[0] } },
      { name: 'Install dependencies', run: 'npx projen install:ci' },
    ];
    const jobs: Record<string, Job> = {
      build: {
        name: 'Build and offline suite',
        runsOn: ['ubuntu-latest'],
        permissions: { contents: JobPermission.READ, securityEvents: JobPermission.WRITE },
        steps: [
          ...setup,
          { name: 'Build (compile, lint, unit tests, synth with FintechChecks, integ:verify)', run: 'npx projen build' },
          { name: 'Rule pack reports', if: 'always()', run: 'npx projen fintech-checks' },
          { name: 'Upload SARIF to code scanning', if: 'always()', uses: UPLOAD_SARIF, with: { sarif_file: CHECKS_REPORT_DIR, category: 'fintech-checks' } },
        ],
      },
    };
    let previous = 'build';
    for (const env of this.deployed) {
      const id = `deploy-${env.name}`;
      jobs[id] = {
        name: `Deploy ${env.name}${env.durable ? ' (durable)' : ''}`,
        needs: [previous],
        runsOn: ['ubuntu-latest'],
        // The GitHub environment of the same name holds the protection rules (required reviewers for durable stages).
        environment: env.name,
        concurrency: { 'group': id, 'cancel-in-progress': false },
        permissions: { contents: JobPermission.READ, idToken: JobPermission.WRITE },
        steps: [
          ...setup,
          {
            name: `Assume the ${env.name} deploy role (OIDC)`,
            uses: CONFIGURE_AWS,
            with: { 'role-to-assume': env.deployRoleArn, 'aws-region': env.region, 'role-session-name': `deploy-${env.name}` },
          },
          { name: `Deploy ${env.name}`, run: `npx projen deploy:${env.name}` },
        ],
      };
      previous = id;
    }
    workflow.addJobs(jobs);
  }
}
