import { findingsOfCorpusApp } from './corpus-harness';
import { DEFECT_APPS } from './defect-apps';
import { RuleSeverity } from '../../../src/rules/fintech-checks';

/** Each defect app is a clean app's shape with one mistake: the right rule reports it, at the right construct, and no other error appears. */
describe.each(DEFECT_APPS)('defect app $name', defect => {
  test.each(defect.stages)(`${defect.ruleId} reports it in %s`, stage => {
    const findings = findingsOfCorpusApp(defect.build, stage);
    const described = findings.map(f => `${f.severity} ${f.ruleId} ${f.constructPath}`);
    expect(described).toContainEqual(expect.stringMatching(new RegExp(`^${defect.mustBeError ? 'error' : '(error|warning)'} ${defect.ruleId} .*${defect.at.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)));
    const expected = new Set([defect.ruleId, ...defect.alsoErrors ?? []]);
    const otherErrors = findings.filter(f => f.severity === RuleSeverity.ERROR && !expected.has(f.ruleId));
    expect(otherErrors.map(f => `${f.ruleId} ${f.constructPath}: ${f.message}`)).toEqual([]);
  });
});
