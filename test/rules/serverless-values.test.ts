import { isTruthy, pick } from '../../src/rules/serverless-values';

describe('isTruthy', () => {
  test('is false for what Python takes as false: null, false, zero, and empty strings, lists and maps', () => {
    for (const value of [undefined, null, false, 0, '', [], {}]) expect([value, isTruthy(value)]).toEqual([value, false]);
    for (const value of [true, 1, 'false', [0], { Ref: 'X' }]) expect([value, isTruthy(value)]).toEqual([value, true]);
  });
});

describe('pick', () => {
  test('keeps the keys asked for that are set, in the order asked, null included', () => {
    expect(Object.entries(pick({ a: 1, b: undefined, c: null, d: 4 }, ['d', 'b', 'c', 'x', 'a']))).toEqual([['d', 4], ['c', null], ['a', 1]]);
  });
});
