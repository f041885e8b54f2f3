import { FintechFinding } from '../fintech-finding';
import { controlsOf } from '../rule-controls';
import { RuleControls } from '../rule-info';
import { RuleSeverity } from '../rule-severity';

/**
 * A Markdown summary of one stage's validation, for pull requests and job summaries: counts, then open findings
 * (errors first) with the construct, the source line, the problem, the fix and the controls the rule helps meet
 * (AWS Control Tower ids, PCI DSS v4.0 requirements), then acknowledged ones with their reasons and controls, then
 * each control with its open and acknowledged findings, the view an auditor asks for.
 *
 * @param controls the controls of a rule id; defaults to the pack's own table
 */
export function markdownReport(stageLabel: string, findings: readonly FintechFinding[],
  controls: (ruleId: string) => RuleControls | undefined = controlsOf): string {
  const open = findings.filter(f => f.acknowledgedReason === undefined);
  const acknowledged = findings.filter(f => f.acknowledgedReason !== undefined);
  const errors = open.filter(f => f.severity === RuleSeverity.ERROR);
  const warnings = open.filter(f => f.severity !== RuleSeverity.ERROR);
  const lines = [
    `# FintechChecks: ${stageLabel}`,
    '',
    `${errors.length === 0 ? 'PASSED' : 'FAILED'}: ${count(errors.length, 'error')}, ${count(warnings.length, 'warning')}, ${count(acknowledged.length, 'acknowledged finding')}.`,
    '',
  ];
  if (open.length > 0) {
    lines.push('| Severity | Rule | Construct | Source | Problem | Fix | Controls |', '|---|---|---|---|---|---|---|');
    for (const f of [...errors, ...warnings]) {
      lines.push(`| ${f.severity} | \`${f.ruleId}\` | \`${f.constructPath}\` | ${source(f)} | ${cell(f.message)} | ${cell(f.fix)} | ${controlsCell(controls(f.ruleId))} |`);
    }
    lines.push('');
  }
  if (acknowledged.length > 0) {
    lines.push('## Acknowledged', '', '| Rule | Construct | Reason | Controls |', '|---|---|---|---|');
    for (const f of acknowledged) lines.push(`| \`${f.ruleId}\` | \`${f.constructPath}\` | ${cell(f.acknowledgedReason!)} | ${controlsCell(controls(f.ruleId))} |`);
    lines.push('');
  }
  lines.push(...byControl(open, acknowledged, controls));
  return lines.join('\n');
}

/** One row per control with findings: PCI DSS requirements first, then Control Tower controls, each in numeric order. */
function byControl(open: readonly FintechFinding[], acknowledged: readonly FintechFinding[],
  controls: (ruleId: string) => RuleControls | undefined): string[] {
  const rows = new Map<string, { open: number; acknowledged: number }>();
  const tally = (findings: readonly FintechFinding[], key: 'open' | 'acknowledged') => {
    for (const f of findings) {
      const c = controls(f.ruleId);
      for (const control of [...(c?.pciDss ?? []).map(r => `PCI DSS ${r}`), ...(c?.controlTower ?? [])]) {
        const row = rows.get(control) ?? { open: 0, acknowledged: 0 };
        row[key]++;
        rows.set(control, row);
      }
    }
  };
  tally(open, 'open');
  tally(acknowledged, 'acknowledged');
  if (rows.size === 0) return [];
  const order = (control: string) => (control.startsWith('PCI') ? 0 : 1);
  const sorted = [...rows.entries()].sort(([a], [b]) => order(a) - order(b) || a.localeCompare(b, 'en', { numeric: true }));
  return ['## By control', '', '| Control | Open | Acknowledged |', '|---|---|---|', ...sorted.map(([control, n]) => `| ${control} | ${n.open} | ${n.acknowledged} |`), ''];
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function source(finding: FintechFinding): string {
  return finding.sourceFile ? `\`${finding.sourceFile}:${finding.sourceLine}\`` : '';
}

/** `CT.S3.PR.8, PCI DSS 4.2.1`; empty when the rule helps meet no control. */
function controlsCell(controls: RuleControls | undefined): string {
  const pci = controls?.pciDss ?? [];
  return [...(controls?.controlTower ?? []), ...(pci.length > 0 ? [`PCI DSS ${pci.join(', ')}`] : [])].join(', ');
}

// Table cells: pipes would end the cell, newlines the row.
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
