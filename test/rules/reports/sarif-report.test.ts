import { FintechChecks } from '../../../src/rules/fintech-checks';
import { FintechFinding } from '../../../src/rules/fintech-finding';
import { sarifReport } from '../../../src/rules/reports/sarif-report';
import { RuleInfo } from '../../../src/rules/rule-info';
import { RuleSeverity } from '../../../src/rules/rule-severity';

const RULES: RuleInfo[] = [
  { id: 'Fintech-C03-BucketTlsOnly', catalogId: 'C03', title: 'TLS only', description: 'why TLS', fix: 'enforceSSL: true', defaultSeverity: RuleSeverity.ERROR, acknowledgeableInDurableStages: true },
  { id: 'Fintech-C22-UnvalidatedParameter', catalogId: 'C22', title: 'validated', description: 'why', fix: 'allowedPattern', defaultSeverity: RuleSeverity.WARNING, acknowledgeableInDurableStages: true },
];

function finding(overrides: Partial<FintechFinding> = {}): FintechFinding {
  return {
    ruleId: 'Fintech-C03-BucketTlsOnly',
    catalogId: 'C03',
    severity: RuleSeverity.ERROR,
    message: 'AWS::S3::Bucket Orders accepts plain HTTP.',
    fix: 'enforceSSL: true',
    constructPath: 'Ledger/dev/Workload/Orders/Resource',
    logicalId: 'Orders',
    resourceType: 'AWS::S3::Bucket',
    templatePath: '/repo/cdk.out/assembly-Ledger-dev/Workload.template.json',
    locations: [],
    stageName: 'dev',
    durable: false,
    sourceFile: 'src/ledger-stack.ts',
    sourceLine: 12,
    ...overrides,
  };
}

describe('sarifReport', () => {
  test('is a SARIF 2.1.0 log with every rule of the pack and one result per finding, at the source line that created it', () => {
    const log = sarifReport([finding()], { rules: RULES, version: '1.2.3', rootDir: '/repo' });
    expect(log.version).toBe('2.1.0');
    expect(log.$schema).toBe('https://json.schemastore.org/sarif-2.1.0.json');
    const [run] = log.runs;
    expect(run.tool.driver).toMatchObject({ name: 'FintechChecks', semanticVersion: '1.2.3' });
    expect(run.tool.driver.rules!.map(r => [r.id, r.name, r.defaultConfiguration!.level])).toEqual([
      ['Fintech-C03-BucketTlsOnly', 'BucketTlsOnly', 'error'],
      ['Fintech-C22-UnvalidatedParameter', 'UnvalidatedParameter', 'warning'],
    ]);
    expect(run.tool.driver.rules![0]).toMatchObject({ shortDescription: { text: 'TLS only' }, fullDescription: { text: 'why TLS' }, help: { text: 'Fix: enforceSSL: true' } });
    expect(run.results).toEqual([{
      ruleId: 'Fintech-C03-BucketTlsOnly',
      ruleIndex: 0,
      level: 'error',
      message: { text: 'Ledger/dev/Workload/Orders/Resource: AWS::S3::Bucket Orders accepts plain HTTP. Fix: enforceSSL: true' },
      locations: [{
        physicalLocation: { artifactLocation: { uri: 'src/ledger-stack.ts', uriBaseId: '%SRCROOT%' }, region: { startLine: 12 } },
        logicalLocations: [{ fullyQualifiedName: 'Ledger/dev/Workload/Orders/Resource', kind: 'resource' }],
      }],
      partialFingerprints: { constructPath: 'Fintech-C03-BucketTlsOnly:Ledger/dev/Workload/Orders/Resource' },
      properties: { stage: 'dev', durable: false, logicalId: 'Orders', resourceType: 'AWS::S3::Bucket', template: 'cdk.out/assembly-Ledger-dev/Workload.template.json' },
    }]);
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///repo/' } });
  });

  test('falls back to the template when the source is unknown, maps warnings, and keeps acknowledged findings as accepted suppressions', () => {
    const log = sarifReport([
      finding({ sourceFile: undefined, sourceLine: undefined, severity: RuleSeverity.WARNING, acknowledgedReason: 'archive is public by design' }),
    ], { rules: RULES, rootDir: '/repo' });
    const [result] = log.runs[0].results!;
    expect(result.level).toBe('warning');
    expect(result.locations![0].physicalLocation).toEqual({
      artifactLocation: { uri: 'cdk.out/assembly-Ledger-dev/Workload.template.json', uriBaseId: '%SRCROOT%' }, region: { startLine: 1 },
    });
    expect(result.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'archive is public by design' }]);
    expect(log.runs[0].tool.driver.semanticVersion).toBeUndefined();
  });

  test('tags each rule with the Control Tower controls and PCI DSS v4.0 requirements it helps meet', () => {
    const rules: RuleInfo[] = [
      { ...RULES[0], controls: { controlTower: ['CT.S3.PR.8'], pciDss: ['4.2.1'] } },
      { ...RULES[1], controls: { controlTower: [], pciDss: [], note: 'no control checks parameters' } },
    ];
    const driverRules = sarifReport([], { rules, rootDir: '/repo' }).runs[0].tool.driver.rules!;
    expect(driverRules[0].properties!.tags).toEqual(['security', 'fintech', 'C03', 'CT.S3.PR.8', 'PCI-DSS-v4.0-4.2.1']);
    expect(driverRules[1].properties!.tags).toEqual(['security', 'fintech', 'C22']);
  });

  test('the pack\'s own rules carry their controls as tags (block public access: CT.S3.PR.1, PCI DSS 1.4.4)', () => {
    const driverRules = sarifReport([], { rules: FintechChecks.rules(), rootDir: '/repo' }).runs[0].tool.driver.rules!;
    const publicAccess = driverRules.find(r => r.id === 'Fintech-C03-BucketPublicAccessBlock')!;
    expect(publicAccess.properties!.tags).toEqual(expect.arrayContaining(['CT.S3.PR.1', 'PCI-DSS-v4.0-1.4.4']));
  });

  test('adds a rule entry for findings outside the pack (a rule that failed)', () => {
    const log = sarifReport([finding({ ruleId: 'Fintech-RuleFailed', catalogId: '', severity: RuleSeverity.WARNING, message: 'Rule X failed' })], { rules: RULES, rootDir: '/repo' });
    const driverRules = log.runs[0].tool.driver.rules!;
    expect(driverRules.map(r => r.id)).toEqual(['Fintech-C03-BucketTlsOnly', 'Fintech-C22-UnvalidatedParameter', 'Fintech-RuleFailed']);
    expect(log.runs[0].results![0].ruleIndex).toBe(2);
  });
});
