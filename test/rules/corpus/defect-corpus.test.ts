import { CURRENTLY_RECOMMENDED_FLAGS } from 'aws-cdk-lib/cx-api';
import { CorpusJudging, findingsOfCorpusApp } from './corpus-harness';
import { DEFECT_APPS, DefectApp } from './defect-apps';
import { RuleSeverity } from '../../../src/rules/fintech-checks';

/** Asserts the right rule reports the defect at the right construct, and no other error appears. */
function expectCaught(defect: DefectApp, stage: string, context: Readonly<Record<string, unknown>> = {}, judging: CorpusJudging = {}): void {
  const findings = findingsOfCorpusApp(defect.build, stage, context, judging);
  const described = findings.map(f => `${f.severity} ${f.ruleId} ${f.constructPath}`);
  expect(described).toContainEqual(expect.stringMatching(new RegExp(`^${defect.mustBeError ? 'error' : '(error|warning)'} ${defect.ruleId} .*${defect.at.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)));
  const expected = new Set([defect.ruleId, ...defect.alsoErrors ?? []]);
  const otherErrors = findings.filter(f => f.severity === RuleSeverity.ERROR && !expected.has(f.ruleId));
  expect(otherErrors.map(f => `${f.ruleId} ${f.constructPath}: ${f.message}`)).toEqual([]);
}

/** Each defect app is a clean app's shape with one mistake: the right rule reports it, at the right construct, and no other error appears. */
describe.each(DEFECT_APPS)('defect app $name', defect => {
  test.each(defect.stages)(`${defect.ruleId} reports it in %s`, stage => expectCaught(defect, stage));

  // `cdk init` writes aws-cdk-lib's recommended feature flags into cdk.json: the defect is still caught, and alone, with them on.
  test(`${defect.ruleId} reports it in ${defect.stages[0]} with the feature flags \`cdk init\` sets`, () => expectCaught(defect, defect.stages[0], CURRENTLY_RECOMMENDED_FLAGS));

  // The pack constructed without a scope, as cdk-nag 3 packs are, judges the cloud assembly: the defect is still caught, and alone.
  test(`${defect.ruleId} reports it in ${defect.stages[0]} judged from the cloud assembly alone`, () => expectCaught(defect, defect.stages[0], {}, { withoutScope: true }));
});
