import { TRADE } from './trade-handler-environment';
import { bookingKey, enrichTrade, settlementDate } from '../../src/handlers/enrichment';
import { notionalMinor } from '../../src/handlers/notional';
import type { Trade } from '../../src/handlers/trade';

const trade: Trade = { ...TRADE };

describe('settlementDate', () => {
  test.each([
    // 2026-12-03 is a Thursday.
    ['Thursday', '2026-12-03', 2, '2026-12-07'],
    ['Friday', '2026-12-04', 2, '2026-12-08'],
    ['Friday, T+1', '2026-12-04', 1, '2026-12-07'],
    ['Wednesday', '2026-12-02', 2, '2026-12-04'],
    ['Saturday', '2026-12-05', 2, '2026-12-08'],
    ['Sunday', '2026-12-06', 2, '2026-12-08'],
    ['Saturday, T+0', '2026-12-05', 0, '2026-12-07'],
    ['Monday, T+0', '2026-12-07', 0, '2026-12-07'],
    ['Thursday, T+5 over a weekend', '2026-12-03', 5, '2026-12-10'],
    ['Wednesday across the year end', '2026-12-30', 2, '2027-01-01'],
    ['Friday in a leap year', '2028-02-25', 2, '2028-02-29'],
  ])('T+n from a %s skips Saturdays and Sundays', (_day, tradeDate, days, expected) => {
    expect(settlementDate(tradeDate, days)).toBe(expected);
  });

  test('a negative or fractional cycle is refused', () => {
    expect(() => settlementDate('2026-12-03', -1)).toThrow('settlement days must be a whole number, 0 or more, got -1');
    expect(() => settlementDate('2026-12-03', 1.5)).toThrow('got 1.5');
  });
});

describe('notionalMinor', () => {
  test('multiplies exactly in integers and rounds half up to the minor unit', () => {
    expect(notionalMinor(100, '187.25', 2)).toBe(1_872_500n);
    // 3 x 0.1 + rounding: floats would give 0.30000000000000004.
    expect(notionalMinor(3, '0.1', 2)).toBe(30n);
    expect(notionalMinor(1, '0.005', 2)).toBe(1n);
    expect(notionalMinor(1, '0.0049', 2)).toBe(0n);
    expect(notionalMinor(7, '1234', 0)).toBe(8638n);
    expect(notionalMinor(3, '1.2345', 3)).toBe(3704n);
  });

  test('is undefined for a price that is not a decimal string', () => {
    expect(notionalMinor(1, '1e3', 2)).toBeUndefined();
    expect(notionalMinor(1.5, '1', 2)).toBeUndefined();
  });
});

describe('enrichTrade', () => {
  test('adds the notional in minor units, the settlement date and the booking key', () => {
    expect(enrichTrade(trade, 2)).toEqual({
      ...trade,
      notionalMinor: 1_872_500,
      minorUnits: 2,
      settlementDate: '2026-12-07',
      bookingKey: expect.stringMatching(/^[0-9a-f]{32}$/),
    });
    expect(enrichTrade({ ...trade, currency: 'JPY', price: '2500' }, 2)).toMatchObject({ notionalMinor: 250_000, minorUnits: 0 });
  });

  test('the booking key follows the economic fields, not the execution time', () => {
    expect(bookingKey(trade)).toBe(bookingKey({ ...trade }));
    expect(bookingKey({ ...trade, executedAt: '2026-12-03T09:00:00.000Z' })).toBe(bookingKey(trade));
    for (const change of [{ quantity: 101 }, { price: '187.26' }, { side: 'SELL' as const }, { counterpartyLei: '7LTWFZYICNSX8D621K86' }, { tradeDate: '2026-12-02' }]) {
      expect(bookingKey({ ...trade, ...change })).not.toBe(bookingKey(trade));
    }
  });

  test('a trade that skipped validation is refused with what to do', () => {
    expect(() => enrichTrade({ ...trade, currency: 'XXX' }, 2)).toThrow('currency XXX of trade T-1001 has no minor units; validate the trade first');
    expect(() => enrichTrade({ ...trade, price: 'abc' }, 2)).toThrow('cannot be computed exactly');
  });
});
