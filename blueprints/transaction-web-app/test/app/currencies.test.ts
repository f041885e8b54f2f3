import { CURRENCY_MINOR_UNITS } from '../../src/app/currencies';

describe('CURRENCY_MINOR_UNITS', () => {
  test.each([
    ['EUR', 2], ['USD', 2], ['GBP', 2], ['CHF', 2], ['JPY', 0], ['KRW', 0], ['ISK', 0], ['KWD', 3], ['BHD', 3], ['TND', 3], ['CLF', 4], ['UYW', 4], ['XCG', 2],
  ])('%s has %d minor units', (code, units) => {
    expect(CURRENCY_MINOR_UNITS.get(code)).toBe(units);
  });

  test.each([
    ['ANG', 'replaced by XCG in 2025'], ['BGN', 'replaced by the euro in 2026'], ['HRK', 'replaced by the euro in 2023'],
    ['XAU', 'gold, not money a customer sends'], ['XTS', 'a test code'], ['XXX', 'no currency'], ['eur', 'not in capitals'],
  ])('%s is not accepted: %s', code => {
    expect(CURRENCY_MINOR_UNITS.has(code)).toBe(false);
  });

  test('every code is three capitals, with 0 to 4 minor units', () => {
    expect(CURRENCY_MINOR_UNITS.size).toBeGreaterThan(150);
    for (const [code, units] of CURRENCY_MINOR_UNITS) {
      expect(code).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(units);
    }
  });
});
