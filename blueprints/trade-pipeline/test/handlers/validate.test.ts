import { context, logEntries, metricsPrinted, TRADE, tradeEvent } from './trade-handler-environment';
import { DEFAULT_MAX_NOTIONAL, handler } from '../../src/handlers/validate';

afterEach(() => {
  delete process.env.MAX_TRADE_NOTIONAL;
  delete process.env.BLOCKED_COUNTERPARTIES;
});

describe('validate', () => {
  test('a valid trade comes back as { valid: true, trade }, counted as validated and not rejected, per service and stage', async () => {
    const { result, metrics } = await metricsPrinted(() => handler(tradeEvent(TRADE) as any, context));
    expect(result).toEqual({ valid: true, trade: TRADE });
    expect(metrics).toEqual([
      { name: 'TradesValidated', dimensions: { service: 'trade-pipeline', stage: 'test' }, value: 1 },
      { name: 'TradesRejected', dimensions: { service: 'trade-pipeline', stage: 'test' }, value: 0 },
    ]);
  });

  test('an invalid trade is an answer with its reasons, not an error, and is logged with the event id', async () => {
    const { result, metrics } = await metricsPrinted(() => handler(tradeEvent({ ...TRADE, side: 'HOLD' }, 'evt-9') as any, context));
    expect(result).toEqual({ valid: false, reasons: ['side must be BUY or SELL, got "HOLD"'] });
    expect(metrics.map(m => [m.name, m.value])).toEqual([['TradesValidated', 1], ['TradesRejected', 1]]);
    expect(logEntries().find(e => e.message === 'trade rejected')).toMatchObject({
      eventId: 'evt-9', tradeId: 'T-1001', reasons: ['side must be BUY or SELL, got "HOLD"'], detailType: 'TradeSubmitted',
    });
  });

  test('the blocked counterparties come from BLOCKED_COUNTERPARTIES, comma separated', async () => {
    process.env.BLOCKED_COUNTERPARTIES = ' 7LTWFZYICNSX8D621K86 , 5493001KJTIIGC8Y1R12';
    expect(await handler(tradeEvent(TRADE) as any, context)).toEqual({
      valid: false, reasons: ['counterparty 5493001KJTIIGC8Y1R12 is blocked: trades with it must not be booked'],
    });
  });

  test('the per-trade limit comes from MAX_TRADE_NOTIONAL, with a default of 100 million', async () => {
    expect(DEFAULT_MAX_NOTIONAL).toBe(100_000_000);
    expect(await handler(tradeEvent({ ...TRADE, quantity: 1_000_000, price: '100' }) as any, context)).toMatchObject({ valid: true });
    expect(await handler(tradeEvent({ ...TRADE, quantity: 1_000_000, price: '100.01' }) as any, context)).toMatchObject({ valid: false });
    process.env.MAX_TRADE_NOTIONAL = '10000';
    expect(await handler(tradeEvent(TRADE) as any, context)).toEqual({
      valid: false, reasons: ['the notional 100 x 187.25 USD is above the per-trade limit of 10000 USD'],
    });
  });

  test('a malformed limit is a configuration error: it throws, and the workflow records the failure', async () => {
    process.env.MAX_TRADE_NOTIONAL = 'ten million';
    await expect(handler(tradeEvent(TRADE) as any, context)).rejects.toThrow('MAX_TRADE_NOTIONAL is "ten million"; set it to a positive number');
  });
});
