import * as path from 'path';
import type { Log, PhysicalLocation, ReportingDescriptor } from 'sarif';
import { FintechFinding } from '../fintech-finding';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';

/** What a SARIF log needs besides the findings. */
export interface SarifReportOptions {
  /** Every rule of the pack, so code scanning can show rules without findings too. */
  readonly rules: readonly RuleInfo[];
  /** Version of the pack. */
  readonly version?: string;
  /** Directory source and template paths are made relative to (the repository root). */
  readonly rootDir: string;
}

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const INFORMATION_URI = 'https://github.com/fintech-infra-template/fintech-infra-template/blob/main/docs/rules.md';

/**
 * A SARIF 2.1.0 log of one validation, for GitHub code scanning: one result per finding, located at the user code that
 * created the construct when CDK recorded it (else the synthesized template), with the construct path as logical location.
 * Acknowledged findings are results with an accepted suppression carrying the reason, so they stay visible but closed.
 */
export function sarifReport(findings: readonly FintechFinding[], options: SarifReportOptions): Log {
  const rules = [...options.rules];
  const ruleIndex = new Map(rules.map((rule, i) => [rule.id, i]));
  for (const finding of findings) {
    // Findings of ids outside the pack (Fintech-RuleFailed) still need a rule entry.
    if (!ruleIndex.has(finding.ruleId)) {
      ruleIndex.set(finding.ruleId, rules.length);
      rules.push({
        id: finding.ruleId,
        catalogId: finding.catalogId,
        title: finding.ruleId,
        description: finding.message,
        fix: finding.fix,
        defaultSeverity: finding.severity,
        acknowledgeableInDurableStages: true,
      });
    }
  }
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'FintechChecks',
          ...(options.version ? { semanticVersion: options.version } : {}),
          informationUri: INFORMATION_URI,
          rules: rules.map((rule): ReportingDescriptor => ({
            id: rule.id,
            name: rule.id.replace(/^Fintech-C\d+-/, ''),
            shortDescription: { text: rule.title },
            fullDescription: { text: rule.description },
            help: { text: `Fix: ${rule.fix}`, markdown: `**Fix:** ${rule.fix}` },
            ...(rule.catalogId ? { helpUri: `${INFORMATION_URI}#${rule.id.toLowerCase()}` } : {}),
            defaultConfiguration: { level: level(rule.defaultSeverity) },
            properties: { tags: ['security', 'fintech', ...(rule.catalogId ? [rule.catalogId] : []), ...controlTags(rule)], catalogId: rule.catalogId },
          })),
        },
      },
      originalUriBaseIds: { '%SRCROOT%': { uri: `file://${toUri(options.rootDir)}/` } },
      results: findings.map(finding => ({
        ruleId: finding.ruleId,
        ruleIndex: ruleIndex.get(finding.ruleId),
        level: level(finding.severity),
        message: { text: `${finding.constructPath}: ${finding.message} Fix: ${finding.fix}` },
        locations: [{
          physicalLocation: physicalLocation(finding, options.rootDir),
          logicalLocations: [{ fullyQualifiedName: finding.constructPath, kind: 'resource' }],
        }],
        // Stable across runs so code scanning tracks one alert per rule and construct.
        partialFingerprints: { constructPath: `${finding.ruleId}:${finding.constructPath}` },
        properties: {
          stage: finding.stageName || '(app)',
          durable: finding.durable,
          logicalId: finding.logicalId,
          ...(finding.resourceType ? { resourceType: finding.resourceType } : {}),
          template: relative(options.rootDir, finding.templatePath),
        },
        ...(finding.acknowledgedReason !== undefined
          ? { suppressions: [{ kind: 'inSource', status: 'accepted', justification: finding.acknowledgedReason }] }
          : {}),
      })),
    }],
  };
}

/**
 * The controls a rule helps meet as code-scanning tags, which GitHub lets users filter alerts by: Control Tower ids as
 * they are (`CT.S3.PR.1`), PCI DSS requirements prefixed with the standard and its version (`PCI-DSS-v4.0-3.5.1`).
 */
function controlTags(rule: RuleInfo): string[] {
  return [...(rule.controls?.controlTower ?? []), ...(rule.controls?.pciDss ?? []).map(requirement => `PCI-DSS-v4.0-${requirement}`)];
}

function level(severity: string): 'error' | 'warning' | 'note' {
  if (severity === RuleSeverity.ERROR) return 'error';
  if (severity === RuleSeverity.WARNING) return 'warning';
  return 'note';
}

function physicalLocation(finding: FintechFinding, rootDir: string): PhysicalLocation {
  if (finding.sourceFile && finding.sourceLine) {
    return { artifactLocation: { uri: relative(rootDir, finding.sourceFile), uriBaseId: '%SRCROOT%' }, region: { startLine: finding.sourceLine } };
  }
  return { artifactLocation: { uri: relative(rootDir, finding.templatePath), uriBaseId: '%SRCROOT%' }, region: { startLine: 1 } };
}

function relative(rootDir: string, file: string): string {
  const relativePath = path.isAbsolute(file) ? path.relative(rootDir, file) : file;
  return toUri(relativePath);
}

function toUri(file: string): string {
  return file.split(path.sep).join('/');
}
