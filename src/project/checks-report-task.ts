import { Component } from 'projen';
import type { AwsCdkTypeScriptApp } from 'projen/lib/awscdk';
import { CHECKS_REPORT_DIR_CONTEXT } from '../config/report-context';

/** Where the `fintech-checks` task writes its reports, relative to the project root. */
export const CHECKS_REPORT_DIR = 'reports/fintech-checks';

/**
 * The `fintech-checks` task: synthesizes every stage with the rule pack (and the cdk-nag packs the project enables) and
 * writes, per stage, a SARIF 2.1.0 log for GitHub code scanning and a Markdown summary; it fails like synth when a stage
 * has errors, after writing the reports.
 */
export class ChecksReportTask extends Component {
  /**
   * @param project the generated repo
   * @param region the region offline synth uses unless AWS_REGION is set
   * @param cdkNagPacks the cdk-nag packs each stage runs (`cdkNagPacks`), named in the task's description
   */
  constructor(project: AwsCdkTypeScriptApp, region: string, cdkNagPacks: readonly string[] = []) {
    super(project);
    const packs = cdkNagPacks.length > 0 ? ` and the cdk-nag pack${cdkNagPacks.length === 1 ? '' : 's'} ${cdkNagPacks.join(', ')}` : '';
    const task = project.addTask('fintech-checks', {
      description: `Runs the rule pack${packs} on every stage and writes ${CHECKS_REPORT_DIR}/<stage>.sarif (GitHub code scanning) and <stage>.md; fails on errors`,
      exec: `cdk synth --quiet -c ${CHECKS_REPORT_DIR_CONTEXT}=${CHECKS_REPORT_DIR}`,
    });
    task.env('AWS_REGION', `$(echo \${AWS_REGION:-${region}})`);
    project.gitignore.exclude(`/${CHECKS_REPORT_DIR.split('/')[0]}/`);
  }
}
