import type { Result } from 'sarif';
import { CompanionResult } from '../../../src/rules/companion-plugin';
import { companionMarkdown, companionSarifRuns } from '../../../src/rules/reports/companion-report';

const RESULT: CompanionResult = {
  name: 'AwsSolutions',
  version: '3.0.2',
  findings: [
    { ruleId: 'AwsSolutions-S1', severity: 'error', message: 'The S3 Bucket has server access logs disabled.', constructPath: 'dev/Workload/Open/Resource', sourceFile: 'src/main.ts', sourceLine: 12, templatePath: '/repo/cdk.out/dev.template.json' },
    { ruleId: 'AwsSolutions-SQS3', severity: 'warning', message: 'The SQS queue is not | a DLQ.', constructPath: 'dev/Workload/Queue/Resource', templatePath: '/repo/cdk.out/dev.template.json' },
    { ruleId: 'AwsSolutions-S1', severity: 'error', message: 'The S3 Bucket has server access logs disabled.', constructPath: 'dev/Workload/Logs/Resource', acknowledgedReason: 'It is the access-log bucket.' },
  ],
};

describe('companionSarifRuns', () => {
  test('one run per pack under its own tool name and rule ids, located at the source line or the template', () => {
    const [run] = companionSarifRuns([RESULT], '/repo');
    expect(run.tool.driver).toMatchObject({ name: 'AwsSolutions', semanticVersion: '3.0.2' });
    expect(run.tool.driver.rules!.map(r => [r.id, r.defaultConfiguration?.level])).toEqual([['AwsSolutions-S1', 'error'], ['AwsSolutions-SQS3', 'warning']]);
    const where = (r: Result) => r.locations![0].physicalLocation;
    expect(run.results!.map(r => [r.ruleId, r.ruleIndex, r.level, where(r)?.artifactLocation!.uri, where(r)?.region!.startLine]))
      .toEqual([
        ['AwsSolutions-S1', 0, 'error', 'src/main.ts', 12],
        ['AwsSolutions-SQS3', 1, 'warning', 'cdk.out/dev.template.json', 1],
        ['AwsSolutions-S1', 0, 'error', undefined, undefined],
      ]);
    expect(run.results![2].suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'It is the access-log bucket.' }]);
    expect(run.results![0].partialFingerprints).toEqual({ constructPath: 'AwsSolutions-S1:dev/Workload/Open/Resource' });
    expect(run.invocations).toBeUndefined();
  });

  test('a pack that failed is a run with a failed invocation and no results', () => {
    const [run] = companionSarifRuns([{ name: 'Serverless', findings: [], error: 'Serverless failed: boom' }], '/repo');
    expect(run.results).toEqual([]);
    expect(run.invocations).toEqual([{ executionSuccessful: false, toolExecutionNotifications: [{ level: 'error', message: { text: 'Serverless failed: boom' } }] }]);
  });
});

describe('companionMarkdown', () => {
  test('a section per pack: verdict, open findings errors first, acknowledged ones with reasons', () => {
    expect(companionMarkdown([RESULT])).toBe([
      '## AwsSolutions 3.0.2 (cdk-nag)',
      '',
      'FAILED: 1 error, 1 warning, 1 acknowledged finding.',
      '',
      '| Severity | Rule | Construct | Source | Problem |',
      '|---|---|---|---|---|',
      '| error | `AwsSolutions-S1` | `dev/Workload/Open/Resource` | `src/main.ts:12` | The S3 Bucket has server access logs disabled. |',
      '| warning | `AwsSolutions-SQS3` | `dev/Workload/Queue/Resource` |  | The SQS queue is not \\| a DLQ. |',
      '',
      '### AwsSolutions: acknowledged',
      '',
      '| Rule | Construct | Reason |',
      '|---|---|---|',
      '| `AwsSolutions-S1` | `dev/Workload/Logs/Resource` | It is the access-log bucket. |',
      '',
    ].join('\n'));
  });

  test('PASSED without open errors; a failed pack says so; nothing for no packs', () => {
    expect(companionMarkdown([{ name: 'Serverless', findings: [] }])).toBe('## Serverless (cdk-nag)\n\nPASSED: 0 errors, 0 warnings, 0 acknowledged findings.\n');
    expect(companionMarkdown([{ name: 'Serverless', findings: [], error: 'Serverless failed: boom' }])).toContain('FAILED: the pack did not run: Serverless failed: boom');
    expect(companionMarkdown([])).toBe('');
  });
});
