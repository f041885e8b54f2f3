import { FintechFinding } from '../fintech-finding';
import { RuleSeverity } from '../rule-severity';

/**
 * A Markdown summary of one stage's validation, for pull requests and job summaries: counts, then open findings
 * (errors first) with the construct, the source line, the problem and the fix, then acknowledged ones with their reasons.
 */
export function markdownReport(stageLabel: string, findings: readonly FintechFinding[]): string {
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
    lines.push('| Severity | Rule | Construct | Source | Problem | Fix |', '|---|---|---|---|---|---|');
    for (const f of [...errors, ...warnings]) {
      lines.push(`| ${f.severity} | \`${f.ruleId}\` | \`${f.constructPath}\` | ${source(f)} | ${cell(f.message)} | ${cell(f.fix)} |`);
    }
    lines.push('');
  }
  if (acknowledged.length > 0) {
    lines.push('## Acknowledged', '', '| Rule | Construct | Reason |', '|---|---|---|');
    for (const f of acknowledged) lines.push(`| \`${f.ruleId}\` | \`${f.constructPath}\` | ${cell(f.acknowledgedReason!)} |`);
    lines.push('');
  }
  return lines.join('\n');
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function source(finding: FintechFinding): string {
  return finding.sourceFile ? `\`${finding.sourceFile}:${finding.sourceLine}\`` : '';
}

// Table cells: pipes would end the cell, newlines the row.
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
