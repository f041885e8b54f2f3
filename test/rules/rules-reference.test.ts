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

  test('docs/rules.md is what the pack renders (the build regenerates it)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'rules.md'), 'utf-8');
    expect(committed).toBe(renderRulesReference(FintechChecks.rules()));
    for (const rule of FintechChecks.rules()) expect(committed).toContain(`### \`${rule.id}\``);
  });
});
