import * as fs from 'fs';
import * as path from 'path';
import { FintechChecks } from '../../src/rules/fintech-checks';
import { RuleSeverity } from '../../src/rules/rule-severity';
import { renderRulesReference } from '../../src/rules/rules-reference';

describe('renderRulesReference', () => {
  test('groups rules by catalog class with severity, acknowledgement, why and fix', () => {
    const text = renderRulesReference([
      { id: 'Fintech-C02-B', catalogId: 'C02', title: 'Second', description: 'because', fix: 'do this', defaultSeverity: RuleSeverity.ERROR, acknowledgeableInDurableStages: false },
      { id: 'Fintech-C01-A', catalogId: 'C01', title: 'First', description: 'since', fix: 'do that', defaultSeverity: RuleSeverity.WARNING, acknowledgeableInDurableStages: true },
    ]);
    expect(text.indexOf('## C01')).toBeLessThan(text.indexOf('## C02'));
    expect(text).toContain('### `Fintech-C02-B`\n\nSecond. Severity: error. Cannot be acknowledged in durable stages.\n\n- Why: because\n- Fix: do this\n');
    expect(text).toContain('First. Severity: warning. Can be acknowledged in every stage.');
  });

  test('names each rule\'s controls, with the note that explains an empty or partial mapping', () => {
    const text = renderRulesReference([
      {
        id: 'Fintech-C03-A',
        catalogId: 'C03',
        title: 'A',
        description: 'd',
        fix: 'f',
        defaultSeverity: RuleSeverity.ERROR,
        acknowledgeableInDurableStages: true,
        controls: { controlTower: ['CT.S3.PR.1'], pciDss: ['1.4.4'] },
      },
      {
        id: 'Fintech-C03-B',
        catalogId: 'C03',
        title: 'B',
        description: 'd',
        fix: 'f',
        defaultSeverity: RuleSeverity.ERROR,
        acknowledgeableInDurableStages: true,
        controls: { controlTower: [], pciDss: ['3.5.1', '10.2.1'], note: 'CT.S3.PR.10 is stricter.' },
      },
      {
        id: 'Fintech-C16-C',
        catalogId: 'C16',
        title: 'C',
        description: 'd',
        fix: 'f',
        defaultSeverity: RuleSeverity.ERROR,
        acknowledgeableInDurableStages: true,
        controls: { controlTower: [], pciDss: [], note: 'Naming only.' },
      },
    ]);
    expect(text).toContain('- Controls: Control Tower CT.S3.PR.1; PCI DSS v4.0 1.4.4.\n');
    expect(text).toContain('- Controls: PCI DSS v4.0 3.5.1, 10.2.1. CT.S3.PR.10 is stricter.\n');
    expect(text).toContain('- Controls: none. Naming only.\n');
    // The index by control, in numeric order, after the rules.
    expect(text).toContain('## Controls and overlap with Control Tower Guard rules');
    expect(text).toContain('| CT.S3.PR.1 | `Fintech-C03-A` |');
    expect(text.indexOf('| 3.5.1 | `Fintech-C03-B` |')).toBeLessThan(text.indexOf('| 10.2.1 | `Fintech-C03-B` |'));
    expect(text).toContain('1 Control Tower control and 3 PCI DSS v4.0 requirements are covered; 1 rule checks operational');
    expect(text).toContain('[docs/controls.md](controls.md)');
  });

  test('docs/rules.md is what the pack renders (the build regenerates it)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf-8');
    expect(committed).toBe(renderRulesReference(FintechChecks.rules()));
    for (const rule of FintechChecks.rules()) expect(committed).toContain(`### \`${rule.id}\``);
  });
});
