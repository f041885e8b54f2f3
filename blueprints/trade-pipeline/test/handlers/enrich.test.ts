import { context, TRADE } from './trade-handler-environment';
import { DEFAULT_SETTLEMENT_DAYS, handler } from '../../src/handlers/enrich';

afterEach(() => delete process.env.SETTLEMENT_DAYS);

describe('enrich', () => {
  test('settles T+2 by default, over the weekend for a Thursday trade', async () => {
    expect(DEFAULT_SETTLEMENT_DAYS).toBe(2);
    expect(await handler({ trade: { ...TRADE } }, context)).toMatchObject({ tradeId: 'T-1001', notionalMinor: 1_872_500, settlementDate: '2026-12-07' });
  });

  test('settles on the cycle SETTLEMENT_DAYS sets', async () => {
    process.env.SETTLEMENT_DAYS = '1';
    expect(await handler({ trade: { ...TRADE, tradeDate: '2026-12-04' } }, context)).toMatchObject({ settlementDate: '2026-12-07' });
  });

  test('a malformed SETTLEMENT_DAYS throws, naming the setting', async () => {
    process.env.SETTLEMENT_DAYS = 'T+2';
    await expect(handler({ trade: { ...TRADE } }, context)).rejects.toThrow('SETTLEMENT_DAYS is "T+2"; set it to the settlement cycle in business days');
  });
});
