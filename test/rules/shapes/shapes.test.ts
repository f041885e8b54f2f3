import * as c01 from './c01-c06';
import * as c07 from './c07-c12';
import * as c13 from './c13-c18';
import * as c19 from './c19-c22';
import { FINTECH_RULES } from '../../../src/rules/fintech-rules';
import { INCLUDED, SHAPES, ShapeCase, findingsInShape, isLogicalIdOf, verdict } from '../rule-shapes';

const GROUPS: ReadonlyArray<readonly [string, readonly ShapeCase[]]> = [
  ['C01-C06', c01.CASES],
  ['C07-C12', c07.CASES],
  ['C13-C18', c13.CASES],
  ['C19-C22', c19.CASES],
];

describe('rule shapes', () => {
  test('give every rule of the pack a case judged in every shape (a rule without one is named here)', () => {
    const covered = new Set(GROUPS.flatMap(([, cases]) => cases.map(c => c.ruleId)));
    expect(FINTECH_RULES.flatMap(rule => rule.infos).map(info => info.id).filter(id => !covered.has(id))).toEqual([]);
  });
});

describe.each(GROUPS)('%s', (_, cases) => {
  describe.each(cases.map(c => [c.ruleId, c] as const))('%s in every shape', (__, c) => {
    test(`reports ${c.title} the same way in every shape`, () => {
      const shapes = c.includeRefuses ? SHAPES.filter(shape => !INCLUDED.includes(shape)) : SHAPES;
      for (const shape of c.includeRefuses ? INCLUDED : []) expect(() => findingsInShape(shape, c, c.fail)).toThrow(c.includeRefuses);
      const byShape = Object.fromEntries(shapes.map(shape => [shape, findingsInShape(shape, c, c.fail).map(verdict).sort()]));
      const reference = byShape.stack;
      const logicalIds = reference.map(line => line.split(' ')[2]);
      const unexpected = logicalIds.filter(id => !c.at.some(at => isLogicalIdOf(id, at)));
      const missing = c.at.filter(at => !logicalIds.some(id => isLogicalIdOf(id, at)));
      expect({ unexpected, missing }).toEqual({ unexpected: [], missing: [] });
      expect(reference.every(line => line.split(' ')[1] === c.ruleId)).toBe(true);
      expect(byShape).toEqual(Object.fromEntries(shapes.map(shape => [shape, reference])));
    });

    test('reports nothing on the same code done right, in any shape', () => {
      expect(Object.fromEntries(SHAPES.map(shape => [shape, findingsInShape(shape, c, c.pass).map(f => `${verdict(f)}: ${f.message}`)])))
        .toEqual(Object.fromEntries(SHAPES.map(shape => [shape, []])));
    });
  });
});
