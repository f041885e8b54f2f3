import { TRADE } from './trade-handler-environment';
import { TradeRules, validateTrade } from '../../src/handlers/trade';

const NOW = new Date('2026-12-03T12:00:00Z');
const RULES: TradeRules = { maxNotional: 1_000_000, blockedCounterparties: new Set(['529900T8BM49AURSDO55']), now: NOW };

function reasonsFor(change: Record<string, unknown>, rules: TradeRules = RULES): string[] {
  const outcome = validateTrade({ ...TRADE, ...change }, rules);
  return outcome.valid ? [] : outcome.reasons;
}

describe('validateTrade', () => {
  test('a trade that meets every rule is valid and comes back with exactly its fields', () => {
    expect(validateTrade({ ...TRADE, executedAt: '2026-12-03T09:30:00+01:00', comment: 'ignored' }, RULES)).toEqual({
      valid: true,
      trade: { ...TRADE, executedAt: '2026-12-03T08:30:00.000Z' },
    });
  });

  test('a detail that is not an object is invalid with one reason', () => {
    for (const detail of [null, 'T-1', [TRADE], undefined]) {
      expect(validateTrade(detail, RULES)).toEqual({ valid: false, reasons: ['the event detail must be a JSON object with the trade'] });
    }
  });

  test('every missing field is named, all at once', () => {
    const outcome = validateTrade({}, RULES);
    expect(outcome.valid).toBe(false);
    const fields = (outcome as { reasons: string[] }).reasons.map(r => r.split(' ')[0]);
    expect(fields).toEqual(['tradeId', 'sourceSystem', 'counterpartyLei', 'isin', 'side', 'currency', 'tradeDate', 'quantity', 'price']);
  });

  test.each([
    ['tradeId', { tradeId: '' }, /^tradeId must be 1 to 128/],
    ['tradeId', { tradeId: 'T 1' }, /^tradeId must be/],
    ['tradeId', { tradeId: 1001 }, /^tradeId must be .*got 1001$/],
    ['sourceSystem', { sourceSystem: '-oms' }, /^sourceSystem must be/],
    ['counterpartyLei', { counterpartyLei: '5493001KJTIIGC8Y1R13' }, /^counterpartyLei must be a 20-character LEI with valid check digits/],
    ['isin', { isin: 'US0378331006' }, /^isin must be a 12-character ISIN with a valid check digit/],
    ['side', { side: 'buy' }, /^side must be BUY or SELL, got "buy"$/],
    ['currency', { currency: 'USS' }, /^currency must be an ISO 4217 code this pipeline trades \(AED, /],
    ['currency', { currency: 'usd' }, /^currency must be/],
    ['quantity', { quantity: 0 }, /^quantity must be a positive whole number/],
    ['quantity', { quantity: 1.5 }, /^quantity must be/],
    ['quantity', { quantity: '100' }, /^quantity must be/],
    ['price', { price: '-1' }, /^price must be a decimal/],
    ['price', { price: '1.123456789' }, /^price must be a decimal in major units with at most 8 decimals/],
    ['price', { price: '1e3' }, /^price must be/],
    ['tradeDate', { tradeDate: '2026-02-30' }, /^tradeDate must be a date YYYY-MM-DD/],
    ['tradeDate', { tradeDate: '03/12/2026' }, /^tradeDate must be/],
    ['executedAt', { executedAt: '2026-12-03T09:30:00' }, /^executedAt must be ISO 8601 with a zone/],
  ])('a malformed %s is a reason: %j', (_field, change, reason) => {
    const reasons = reasonsFor(change);
    expect(reasons).toHaveLength(1);
    expect(reasons[0]).toMatch(reason);
  });

  test('a price sent as a JSON number is taken as its decimal form', () => {
    expect(validateTrade({ ...TRADE, price: 187.25 }, RULES)).toMatchObject({ valid: true, trade: { price: '187.25' } });
  });

  describe('business rules', () => {
    test('the notional must be above 0 in minor units', () => {
      expect(reasonsFor({ price: '0' })).toEqual(['the notional 100 x 0 USD is 0 in minor units; the amount must be above 0']);
      // 1 x 0.004 USD rounds to 0 cents; 1 x 0.005 to 1 cent.
      expect(reasonsFor({ quantity: 1, price: '0.004' })).toHaveLength(1);
      expect(reasonsFor({ quantity: 1, price: '0.005' })).toEqual([]);
    });

    test('the notional may reach the per-trade limit but not pass it, in the trade currency\'s minor units', () => {
      expect(reasonsFor({ quantity: 10_000, price: '100' })).toEqual([]);
      expect(reasonsFor({ quantity: 10_000, price: '100.0001' })).toEqual(['the notional 10000 x 100.0001 USD is above the per-trade limit of 1000000 USD']);
      // Compared in minor units: 1,000,000.0001 USD rounds to the limit's cents.
      expect(reasonsFor({ quantity: 10_000, price: '100.00000001' })).toEqual([]);
      // JPY has no minor unit, KWD three: the same limit in major units.
      expect(reasonsFor({ currency: 'JPY', quantity: 1_000_000, price: '1' })).toEqual([]);
      expect(reasonsFor({ currency: 'KWD', quantity: 1_000_001, price: '1' })).toHaveLength(1);
    });

    test('a counterparty on the blocked list is refused', () => {
      expect(reasonsFor({ counterpartyLei: '529900T8BM49AURSDO55' })).toEqual(['counterparty 529900T8BM49AURSDO55 is blocked: trades with it must not be booked']);
      expect(reasonsFor({ counterpartyLei: '7LTWFZYICNSX8D621K86' })).toEqual([]);
    });

    test('a trade date after today in the earliest time zone (UTC+14) is in the future', () => {
      // 12:00 UTC on 3 December is already 4 December in UTC+14, not yet 5 December anywhere.
      expect(reasonsFor({ tradeDate: '2026-12-04' })).toEqual([]);
      expect(reasonsFor({ tradeDate: '2026-12-05' })).toEqual(['tradeDate 2026-12-05 is in the future']);
    });

    test('an execution time more than 5 minutes ahead is in the future', () => {
      expect(reasonsFor({ executedAt: '2026-12-03T12:04:00Z' })).toEqual([]);
      expect(reasonsFor({ executedAt: '2026-12-03T12:06:00Z' })).toEqual(['executedAt 2026-12-03T12:06:00Z is in the future; check the source system\'s clock']);
    });

    test('schema and business reasons come together', () => {
      expect(reasonsFor({ side: 'HOLD', counterpartyLei: '529900T8BM49AURSDO55', tradeDate: '2027-01-01' })).toEqual([
        'side must be BUY or SELL, got "HOLD"',
        'counterparty 529900T8BM49AURSDO55 is blocked: trades with it must not be booked',
        'tradeDate 2027-01-01 is in the future',
      ]);
    });
  });
});
