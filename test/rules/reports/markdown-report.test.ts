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
      '| Severity | Rule | Construct | Source | Problem | Fix | Controls |',
      '|---|---|---|---|---|---|---|',
      '| error | `Fintech-C03-Err` | `App/dev/Stack/Fintech-C03-Err` | `src/a.ts:4` | uses \\| pipes and lines | Fintech-C03-Err fix |  |',
      '| warning | `Fintech-C07-Warn` | `App/dev/Stack/Fintech-C07-Warn` |  | Fintech-C07-Warn problem | Fintech-C07-Warn fix |  |',
      '',
      '## Acknowledged',
      '',
      '| Rule | Construct | Reason | Controls |',
      '|---|---|---|---|',
      '| `Fintech-C02-Ack` | `App/dev/Stack/Fintech-C02-Ack` | demo data |  |',
      '',
    ]);
  });

  test('names the controls of each finding\'s rule: Control Tower ids, then PCI DSS v4.0 requirements', () => {
    const text = markdownReport('stage prod', [
      finding('Fintech-C04-StoreWithoutCustomerKey', RuleSeverity.ERROR),
      finding('Fintech-C03-BucketTlsOnly', RuleSeverity.ERROR, { acknowledgedReason: 'public website bucket' }),
      finding('Fintech-C16-DuplicatePhysicalName', RuleSeverity.ERROR),
    ]);
    expect(text).toContain('| Fintech-C04-StoreWithoutCustomerKey fix | CT.SQS.PR.2, CT.DYNAMODB.PR.2, CT.RDS.PR.30, PCI DSS 3.5.1, 3.6.1 |');
    expect(text).toContain('| public website bucket | CT.S3.PR.8, PCI DSS 4.2.1 |');
    // A rule that helps meet no control leaves the cell empty.
    expect(text).toContain('| Fintech-C16-DuplicatePhysicalName fix |  |');
    // Then each control with its open and acknowledged findings, PCI DSS first, in numeric order.
    expect(text.slice(text.indexOf('## By control'))).toBe([
      '## By control',
      '',
      '| Control | Open | Acknowledged |',
      '|---|---|---|',
      '| PCI DSS 3.5.1 | 1 | 0 |',
      '| PCI DSS 3.6.1 | 1 | 0 |',
      '| PCI DSS 4.2.1 | 0 | 1 |',
      '| CT.DYNAMODB.PR.2 | 1 | 0 |',
      '| CT.RDS.PR.30 | 1 | 0 |',
      '| CT.S3.PR.8 | 0 | 1 |',
      '| CT.SQS.PR.2 | 1 | 0 |',
      '',
    ].join('\n'));
  });

  test('takes the controls from the lookup it is given', () => {
    const text = markdownReport('app', [finding('Fintech-C99-X', RuleSeverity.WARNING)],
      id => (id === 'Fintech-C99-X' ? { controlTower: [], pciDss: ['10.2.1', '10.2.2'] } : undefined));
    expect(text).toContain('| Fintech-C99-X fix | PCI DSS 10.2.1, 10.2.2 |');
  });

  test('a clean stage says PASSED and has no tables', () => {
    expect(markdownReport('app', [])).toBe('# FintechChecks: app\n\nPASSED: 0 errors, 0 warnings, 0 acknowledged findings.\n');
  });
});
