import * as fs from 'fs';
import * as path from 'path';
import { Component } from 'projen';
import type { AwsCdkTypeScriptApp } from 'projen/lib/awscdk';
import { folderPattern, keepJestOutOf } from './jest-module-paths';
import { AWS_SDK_VERSION, INTEG_RUNNER_VERSION, INTEG_TESTS_ALPHA_VERSION } from './versions';

/** Options of `IntegTasks`. */
export interface IntegTasksOptions {
  /** Folder of the `integ.*.ts` tests, relative to the project root. */
  readonly directory: string;
  /** Region offline synth pretends to be in (no AWS call is made). */
  readonly region: string;
}

/**
 * Integration tests with integ-runner and integ-tests-alpha: `integ:snapshot` writes snapshots
 * offline, `integ:verify` (part of `test`) fails on NEW or CHANGED tests, nested stage assemblies
 * and assertion stacks included, which integ-runner's own check skips.
 */
export class IntegTasks extends Component {
  private readonly directory: string;

  constructor(project: AwsCdkTypeScriptApp, options: IntegTasksOptions) {
    super(project);
    this.directory = options.directory;
    project.addDevDeps(`@aws-cdk/integ-runner@${INTEG_RUNNER_VERSION}`, `@aws-cdk/integ-tests-alpha@${INTEG_TESTS_ALPHA_VERSION}`);
    project.addTask('integ:snapshot', {
      description: `Synthesizes every ${options.directory}/integ.*.ts (assertions included) and writes its snapshot; offline, no AWS`,
      exec: `fintech-integ snapshot --directory ${options.directory} --region ${options.region}`,
      receiveArgs: true,
    });
    const verify = project.addTask('integ:verify', {
      description: 'Fails when an integ test has no snapshot or synthesizes differently from it (readable diff); offline, part of `test`',
      exec: `fintech-integ verify --directory ${options.directory} --region ${options.region}`,
      receiveArgs: true,
    });
    project.testTask.spawn(verify);
    project.addTask('integ:deploy', {
      description: `Deploys each ${options.directory}/integ.*.ts to ${options.region}, runs its assertions on AWS and destroys it, also on failure; checks credentials, bootstrap and the SSM parameters the stacks resolve first (fails in seconds)`,
      exec: `fintech-integ deploy --directory ${options.directory} --region ${options.region}`,
      receiveArgs: true,
    });
    project.addTask('integ:destroy', {
      description: 'Destroys every stack of the integ tests that exists (from their snapshots; stacks never created are skipped), e.g. after an interrupted integ:deploy',
      exec: `fintech-integ destroy --directory ${options.directory} --region ${options.region}`,
      receiveArgs: true,
    });
    // integ:deploy's pre-check reads CDK's bootstrap version and the stacks' SSM parameters with the project's own SDK.
    project.addDevDeps(`@aws-sdk/client-ssm@${AWS_SDK_VERSION}`);
    // integ-runner leaves its working cloud assemblies next to the tests.
    project.gitignore.exclude(`/${options.directory}/cdk.out/`, `/${options.directory}/**/cdk.context.json`);
    project.jest?.addIgnorePattern(`/${options.directory}/`);
    // integ:verify moves the snapshots aside and integ-runner writes them again, beside jest in `test`.
    keepJestOutOf(project, `${folderPattern(options.directory)}[^/]*\\.snapshot/`, `${folderPattern(options.directory)}cdk\\.out/`);
  }

  /** A new repo gets the snapshots of its sample integ tests, so its first build verifies them (after projen's install). */
  public postProjectCreation(): void {
    const dir = path.join(this.project.outdir, this.directory);
    const missing = fs.existsSync(dir) && fs.readdirSync(dir).some(f => /^integ\..+\.ts$/.test(f) && !fs.existsSync(path.join(dir, `${f}.snapshot`)));
    if (missing) this.project.tasks.runTask('integ:snapshot');
  }
}
