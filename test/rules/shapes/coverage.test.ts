import * as c01 from './c01-c06';
import * as c07 from './c07-c12';
import * as c13 from './c13-c18';
import * as c19 from './c19-c22';
import { FINTECH_RULES } from '../../../src/rules/fintech-rules';

describe('rule shapes', () => {
  test('give every rule of the pack a case judged in every shape (a rule without one is named here)', () => {
    const covered = new Set([c01, c07, c13, c19].flatMap(group => group.CASES.map(c => c.ruleId)));
    expect(FINTECH_RULES.flatMap(rule => rule.infos).map(info => info.id).filter(id => !covered.has(id))).toEqual([]);
  });
});
