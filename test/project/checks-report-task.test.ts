import { synthSnapshot } from 'projen/lib/util/synth';
import { CHECKS_REPORT_DIR_CONTEXT } from '../../src/config/report-context';
import { CHECKS_REPORT_DIR, ChecksReportTask } from '../../src/project/checks-report-task';
import { newProject } from '../support/fintech-cdk-app-fixture';
import { cdkAppProject } from '../support/projen-fixture';

describe('ChecksReportTask as FintechCdkApp wires it', () => {
  const files = synthSnapshot(newProject());
  const tasks = files['.projen/tasks.json'].tasks;

  test('adds fintech-checks, which synthesizes with the report directory set and keeps the reports out of git', () => {
    expect(tasks['fintech-checks'].steps).toEqual([{ exec: 'cdk synth --quiet -c fintech:checks-report-dir=reports/fintech-checks' }]);
    expect(tasks['fintech-checks'].env).toEqual({ AWS_REGION: '$(echo ${AWS_REGION:-us-east-1})' });
    expect(files['.gitignore']).toContain('/reports/');
  });
});

describe('ChecksReportTask', () => {
  const project = cdkAppProject();
  new ChecksReportTask(project, 'eu-west-2');
  const files = synthSnapshot(project);
  const task = files['.projen/tasks.json'].tasks['fintech-checks'];

  test('synthesizes quietly with the context key the rule pack reads for its report directory', () => {
    expect(task.steps).toEqual([{ exec: `cdk synth --quiet -c ${CHECKS_REPORT_DIR_CONTEXT}=${CHECKS_REPORT_DIR}` }]);
    expect(CHECKS_REPORT_DIR_CONTEXT).toBe('fintech:checks-report-dir');
    expect(CHECKS_REPORT_DIR).toBe('reports/fintech-checks');
  });

  test('offline synth gets the region it is given unless AWS_REGION is set', () => {
    expect(task.env).toEqual({ AWS_REGION: '$(echo ${AWS_REGION:-eu-west-2})' });
  });

  test('the description names the SARIF and Markdown reports and that errors fail it', () => {
    expect(task.description).toBe('Runs the rule pack on every stage and writes reports/fintech-checks/<stage>.sarif (GitHub code scanning) and <stage>.md; fails on errors');
  });

  test('names the cdk-nag packs it runs too', () => {
    const withPacks = cdkAppProject();
    new ChecksReportTask(withPacks, 'eu-west-2', ['AwsSolutions']);
    expect(synthSnapshot(withPacks)['.projen/tasks.json'].tasks['fintech-checks'].description).toBe(
      'Runs the rule pack and the cdk-nag pack AwsSolutions on every stage and writes reports/fintech-checks/<stage>.sarif (GitHub code scanning) and <stage>.md; fails on errors');
  });

  test('ignores the whole reports folder, once', () => {
    expect((files['.gitignore'] as string).split('\n').filter(line => line === '/reports/')).toHaveLength(1);
  });
});
