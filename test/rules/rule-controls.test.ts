import * as fs from 'fs';
import * as path from 'path';
import { FintechChecks } from '../../src/rules/fintech-checks';
import { FINTECH_RULES } from '../../src/rules/fintech-rules';
import { RULE_CONTROLS, controlsOf } from '../../src/rules/rule-controls';

// The Control Tower proactive controls the installed @cdklabs/cdk-validator-cfnguard bundles, read from its Guard files,
// each of which names its control in its messages ("[CT.S3.PR.1]: ..."), so a renamed or dropped control fails here.
const GUARD_RULES = path.join(path.dirname(require.resolve('@cdklabs/cdk-validator-cfnguard/package.json')), 'rules', 'control-tower', 'cfn-guard');

function guardControlIds(): Set<string> {
  const ids = new Set<string>();
  const files = fs.readdirSync(GUARD_RULES, { recursive: true, withFileTypes: true }).filter(e => e.isFile() && e.name.endsWith('.guard'));
  for (const file of files) {
    const text = fs.readFileSync(path.join(file.parentPath, file.name), 'utf-8');
    for (const match of text.matchAll(/\[(CT\.[A-Z0-9-]+\.PR\.\d+)\]/g)) ids.add(match[1]);
  }
  return ids;
}

/** Resource types each bundled control evaluates, from its metadata file. */
function evaluatedTypes(): Map<string, string[]> {
  const dir = path.join(GUARD_RULES, '..', 'metadata');
  const types = new Map<string, string[]>();
  for (const file of fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter(e => e.isFile() && e.name.endsWith('.json'))) {
    const metadata = JSON.parse(fs.readFileSync(path.join(file.parentPath, file.name), 'utf-8'));
    types.set(metadata.Id, metadata.EvaluatedResourceTypes);
  }
  return types;
}

// A control that judges a resource's policy answers for the resource (CT.S3.PR.8 judges AWS::S3::BucketPolicy).
const POLICY_OF: { readonly [type: string]: string } = {
  'AWS::S3::Bucket': 'AWS::S3::BucketPolicy',
  'AWS::SQS::Queue': 'AWS::SQS::QueuePolicy',
  'AWS::SNS::Topic': 'AWS::SNS::TopicPolicy',
};

// PCI DSS v4.0 requirement numbers: principal requirement 1..12, then one to three sub-levels (e.g. 3.5.1, 10.4.1.1).
const PCI_REQUIREMENT = /^(?:[1-9]|1[0-2])(?:\.\d{1,2}){1,3}$/;

const ruleIds = FintechChecks.rules().map(rule => rule.id);

describe('RULE_CONTROLS', () => {
  test('maps every rule of the pack (an unmapped rule is named here)', () => {
    const unmapped = ruleIds.filter(id => !(id in RULE_CONTROLS));
    expect(unmapped).toEqual([]);
  });

  test('maps no id that is not a rule of the pack', () => {
    const stale = Object.keys(RULE_CONTROLS).filter(id => !ruleIds.includes(id));
    expect(stale).toEqual([]);
  });

  test('names only Control Tower controls that the installed cdk-validator-cfnguard ships', () => {
    const shipped = guardControlIds();
    expect(shipped.size).toBeGreaterThan(200);
    expect(shipped.has('CT.S3.PR.1')).toBe(true);
    const unknown = Object.entries(RULE_CONTROLS).flatMap(([id, c]) => c.controlTower.filter(ct => !shipped.has(ct)).map(ct => `${id}: ${ct}`));
    expect(unknown).toEqual([]);
  });

  test('names only controls that evaluate a resource type the rule judges', () => {
    const types = evaluatedTypes();
    const mismatched = FINTECH_RULES.filter(rule => rule.resourceTypes).flatMap(rule => rule.infos.flatMap(info =>
      (RULE_CONTROLS[info.id]?.controlTower ?? [])
        .filter(ct => !(types.get(ct) ?? []).some(t => rule.resourceTypes!.includes(t) || rule.resourceTypes!.some(own => POLICY_OF[own] === t)))
        .map(ct => `${info.id}: ${ct} evaluates ${(types.get(ct) ?? []).join(', ')}, the rule ${rule.resourceTypes!.join(', ')}`)));
    expect(mismatched).toEqual([]);
  });

  test('names PCI DSS v4.0 requirements by well-formed numbers, without duplicates', () => {
    const malformed = Object.entries(RULE_CONTROLS).flatMap(([id, c]) => c.pciDss.filter(req => !PCI_REQUIREMENT.test(req)).map(req => `${id}: ${req}`));
    expect(malformed).toEqual([]);
    const duplicated = Object.entries(RULE_CONTROLS)
      .filter(([, c]) => new Set(c.controlTower).size !== c.controlTower.length || new Set(c.pciDss).size !== c.pciDss.length)
      .map(([id]) => id);
    expect(duplicated).toEqual([]);
  });

  test('says why whenever a rule maps to no control at all', () => {
    const silent = Object.entries(RULE_CONTROLS)
      .filter(([, c]) => c.controlTower.length === 0 && c.pciDss.length === 0 && !c.note)
      .map(([id]) => id);
    expect(silent).toEqual([]);
  });

  test('well-known pairs: block public access is CT.S3.PR.1 and PCI 1.4.4; key rotation CT.KMS.PR.1 and 3.7.4', () => {
    expect(RULE_CONTROLS['Fintech-C03-BucketPublicAccessBlock']).toMatchObject({ controlTower: ['CT.S3.PR.1'], pciDss: ['1.4.4'] });
    expect(RULE_CONTROLS['Fintech-C04-KeyRotation']).toMatchObject({ controlTower: ['CT.KMS.PR.1'], pciDss: ['3.7.4'] });
  });
});

describe('controlsOf', () => {
  test('returns a copy, so a caller cannot change the table', () => {
    const copy = controlsOf('Fintech-C03-BucketTlsOnly')!;
    copy.controlTower.push('CT.X.PR.1');
    copy.pciDss.length = 0;
    expect(RULE_CONTROLS['Fintech-C03-BucketTlsOnly'].controlTower).toEqual(['CT.S3.PR.8']);
    expect(RULE_CONTROLS['Fintech-C03-BucketTlsOnly'].pciDss).toEqual(['4.2.1']);
  });

  test('is undefined for an id outside the table', () => {
    expect(controlsOf('Fintech-RuleFailed')).toBeUndefined();
  });
});

describe('FintechChecks.rules()', () => {
  test('carries each rule\'s controls from the table', () => {
    for (const rule of FintechChecks.rules()) {
      expect({ id: rule.id, controls: rule.controls }).toEqual({ id: rule.id, controls: RULE_CONTROLS[rule.id] });
    }
  });
});
