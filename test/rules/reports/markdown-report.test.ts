import { FintechFinding } from '../../../src/rules/fintech-finding';
import { markdownReport } from '../../../src/rules/reports/markdown-report';
import { RuleSeverity } from '../../../src/rules/rule-severity';

function finding(ruleId: string, severity: RuleSeverity, overrides: Partial<FintechFinding> = {}): FintechFinding {
  return {
    ruleId,
    catalogId: 'C99',
    severity,
    message: `${ruleId} problem`,
    fix: `${ruleId} fix`,
    constructPath: `App/dev/Stack/${ruleId}`,
    logicalId: 'X',
    templatePath: '/t.json',
    locations: [],
    stageName: 'dev',
    durable: false,
    ...overrides,
  };
}

describe('markdownReport', () => {
  test('counts, then open findings errors first with source, then acknowledged findings with reasons', () => {
    const text = markdownReport('stage dev', [
      finding('Fintech-C07-Warn', RuleSeverity.WARNING),
      finding('Fintech-C03-Err', RuleSeverity.ERROR, { sourceFile: 'src/a.ts', sourceLine: 4, message: 'uses | pipes\nand lines' }),
      finding('Fintech-C02-Ack', RuleSeverity.ERROR, { acknowledgedReason: 'demo data' }),
    ]);
    expect(text.split('\n')).toEqual([
      '# FintechChecks: stage dev',
      '',
      'FAILED: 1 error, 1 warning, 1 acknowledged finding.',
      '',
      '| Severity | Rule | Construct | Source | Problem | Fix |',
      '|---|---|---|---|---|---|',
      '| error | `Fintech-C03-Err` | `App/dev/Stack/Fintech-C03-Err` | `src/a.ts:4` | uses \\| pipes and lines | Fintech-C03-Err fix |',
      '| warning | `Fintech-C07-Warn` | `App/dev/Stack/Fintech-C07-Warn` |  | Fintech-C07-Warn problem | Fintech-C07-Warn fix |',
      '',
      '## Acknowledged',
      '',
      '| Rule | Construct | Reason |',
      '|---|---|---|',
      '| `Fintech-C02-Ack` | `App/dev/Stack/Fintech-C02-Ack` | demo data |',
      '',
    ]);
  });

  test('a clean stage says PASSED and has no tables', () => {
    expect(markdownReport('app', [])).toBe('# FintechChecks: app\n\nPASSED: 0 errors, 0 warnings, 0 acknowledged findings.\n');
  });
});
