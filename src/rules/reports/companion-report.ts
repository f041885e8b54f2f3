import * as path from 'path';
import type { ReportingDescriptor, Run } from 'sarif';
import { CompanionFinding, CompanionResult } from '../companion-plugin';

// Where cdk-nag documents its packs' rules.
const CDK_NAG_RULES_URI = 'https://github.com/cdklabs/cdk-nag/blob/main/RULES.md';

/**
 * One SARIF run per companion pack (cdk-nag's AwsSolutions, say), under the pack's own tool name and rule ids, to sit beside
 * FintechChecks' run in one log: results located like FintechChecks' own (the user code that created the construct, else
 * the template), acknowledged findings as accepted suppressions with their reasons. A pack that failed is a run with a
 * tool execution notification and no results.
 */
export function companionSarifRuns(results: readonly CompanionResult[], rootDir: string): Run[] {
  return results.map(result => {
    const ruleIds = [...new Set(result.findings.map(f => f.ruleId))];
    const ruleIndex = new Map(ruleIds.map((id, i) => [id, i]));
    const firstOf = (id: string) => result.findings.find(f => f.ruleId === id)!;
    return {
      tool: {
        driver: {
          name: result.name,
          ...(result.version ? { semanticVersion: result.version } : {}),
          informationUri: CDK_NAG_RULES_URI,
          rules: ruleIds.map((id): ReportingDescriptor => ({
            id,
            shortDescription: { text: firstOf(id).message },
            ...(firstOf(id).fix ? { help: { text: `Fix: ${firstOf(id).fix}` } } : {}),
            defaultConfiguration: { level: level(firstOf(id).severity) },
            properties: { tags: ['security', result.name] },
          })),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: `file://${toUri(rootDir)}/` } },
      ...(result.error ? {
        invocations: [{
          executionSuccessful: false,
          toolExecutionNotifications: [{ level: 'error', message: { text: result.error } }],
        }],
      } : {}),
      results: result.findings.map(finding => ({
        ruleId: finding.ruleId,
        ruleIndex: ruleIndex.get(finding.ruleId),
        level: level(finding.severity),
        message: { text: `${finding.constructPath}: ${finding.message}${finding.fix ? ` Fix: ${finding.fix}` : ''}` },
        locations: [{
          ...(finding.sourceFile ?? finding.templatePath ? {
            physicalLocation: {
              artifactLocation: { uri: relative(rootDir, (finding.sourceFile ?? finding.templatePath)!), uriBaseId: '%SRCROOT%' },
              region: { startLine: finding.sourceFile && finding.sourceLine ? finding.sourceLine : 1 },
            },
          } : {}),
          logicalLocations: [{ fullyQualifiedName: finding.constructPath, kind: 'resource' }],
        }],
        partialFingerprints: { constructPath: `${finding.ruleId}:${finding.constructPath}` },
        ...(finding.acknowledgedReason !== undefined
          ? { suppressions: [{ kind: 'inSource', status: 'accepted', justification: finding.acknowledgedReason }] }
          : {}),
      })),
    };
  });
}

/**
 * Markdown sections, one per companion pack, to follow FintechChecks' summary: the pack's verdict and counts, its open
 * findings (errors first) and its acknowledged ones with their reasons.
 */
export function companionMarkdown(results: readonly CompanionResult[]): string {
  const lines: string[] = [];
  for (const result of results) {
    const open = result.findings.filter(f => f.acknowledgedReason === undefined);
    const acknowledged = result.findings.filter(f => f.acknowledgedReason !== undefined);
    const errors = open.filter(f => f.severity === 'error');
    const others = open.filter(f => f.severity !== 'error');
    lines.push(`## ${result.name}${result.version ? ` ${result.version}` : ''} (cdk-nag)`, '');
    if (result.error) {
      lines.push(`FAILED: the pack did not run: ${cell(result.error)}`, '');
      continue;
    }
    lines.push(`${errors.length === 0 ? 'PASSED' : 'FAILED'}: ${count(errors.length, 'error')}, ${count(others.length, 'warning')}, ${count(acknowledged.length, 'acknowledged finding')}.`, '');
    if (open.length > 0) {
      lines.push('| Severity | Rule | Construct | Source | Problem |', '|---|---|---|---|---|');
      for (const f of [...errors, ...others]) lines.push(`| ${f.severity} | \`${f.ruleId}\` | \`${f.constructPath}\` | ${source(f)} | ${cell(f.message)} |`);
      lines.push('');
    }
    if (acknowledged.length > 0) {
      lines.push(`### ${result.name}: acknowledged`, '', '| Rule | Construct | Reason |', '|---|---|---|');
      for (const f of acknowledged) lines.push(`| \`${f.ruleId}\` | \`${f.constructPath}\` | ${cell(f.acknowledgedReason!)} |`);
      lines.push('');
    }
  }
  return lines.join('\n');
}

function level(severity: string): 'error' | 'warning' | 'note' {
  if (severity === 'error') return 'error';
  return severity === 'warning' ? 'warning' : 'note';
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function source(finding: CompanionFinding): string {
  return finding.sourceFile ? `\`${finding.sourceFile}:${finding.sourceLine}\`` : '';
}

// Table cells: pipes would end the cell, newlines the row.
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

function relative(rootDir: string, file: string): string {
  return toUri(path.isAbsolute(file) ? path.relative(rootDir, file) : file);
}

function toUri(file: string): string {
  return file.split(path.sep).join('/');
}
