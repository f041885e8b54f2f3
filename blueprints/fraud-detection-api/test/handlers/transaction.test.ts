import { InvalidTransactionError, MAX_CLOCK_SKEW_MS, parseTransaction } from '../../src/handlers/transaction';

const NOW = Date.parse('2026-12-03T12:00:00Z');
const VALID = { transactionId: 'tx_1', merchantId: 'm_1', amount: 1250, currency: 'EUR', country: 'DE', cardFingerprint: 'fp_9', timestamp: '2026-12-03T12:59:00+01:00' };

function parse(overrides: Record<string, unknown>): ReturnType<typeof parseTransaction> {
  return parseTransaction(JSON.stringify({ ...VALID, ...overrides }), NOW);
}

describe('parseTransaction', () => {
  test('a valid transaction comes back with its timestamp in UTC ISO 8601, so the merchant index sorts it as a string', () => {
    expect(parse({})).toEqual({ ...VALID, timestamp: '2026-12-03T11:59:00.000Z' });
    expect(parse({ cardFingerprint: undefined, customerId: 'cus_4' })).toEqual({ ...VALID, cardFingerprint: undefined, customerId: 'cus_4', timestamp: '2026-12-03T11:59:00.000Z' });
  });

  test.each([
    ['not json', 'the body is not JSON'],
    ['[1]', 'the body must be a JSON object'],
    ['null', 'the body must be a JSON object'],
  ])('a body of %s is refused: %s', (body, message) => {
    expect(() => parseTransaction(body, NOW)).toThrow(InvalidTransactionError);
    expect(() => parseTransaction(body, NOW)).toThrow(message);
  });

  test.each([
    [{ transactionId: '' }, 'transactionId must be 1 to 128 letters'],
    [{ transactionId: undefined }, 'transactionId must be'],
    [{ merchantId: 'a b' }, 'merchantId must be'],
    [{ merchantId: 'x'.repeat(129) }, 'merchantId must be'],
    [{ amount: 12.5 }, 'amount must be a positive whole number of minor units (e.g. 1250 for 12.50), got 12.5'],
    [{ amount: 0 }, 'amount must be a positive whole number'],
    [{ amount: '1250' }, 'amount must be a positive whole number'],
    [{ amount: 2 ** 60 }, 'amount must be a positive whole number'],
    [{ currency: 'eur' }, 'currency must be an ISO 4217 code such as EUR (upper case), got "eur"'],
    [{ country: 'DEU' }, 'country must be an ISO 3166-1 alpha-2 code such as DE'],
    [{ cardFingerprint: undefined }, 'give cardFingerprint or customerId (or both)'],
    [{ customerId: 42 }, 'customerId must be'],
    [{ timestamp: '2026-12-03 12:00' }, 'timestamp must be ISO 8601 with a zone'],
    [{ timestamp: '2026-12-03T12:00:00' }, 'timestamp must be ISO 8601 with a zone'],
    [{ timestamp: '2026-13-45T12:00:00Z' }, 'timestamp must be ISO 8601 with a zone'],
    [{ timestamp: 1764763200 }, 'timestamp must be ISO 8601 with a zone'],
  ])('%j is refused with a message naming the field', (overrides, message) => {
    expect(() => parse(overrides)).toThrow(InvalidTransactionError);
    expect(() => parse(overrides)).toThrow(message);
  });

  test('a timestamp up to the allowed clock skew ahead is accepted, beyond it refused', () => {
    expect(parse({ timestamp: new Date(NOW + MAX_CLOCK_SKEW_MS).toISOString() }).timestamp).toBe('2026-12-03T12:05:00.000Z');
    expect(() => parse({ timestamp: new Date(NOW + MAX_CLOCK_SKEW_MS + 1000).toISOString() }))
      .toThrow('timestamp 2026-12-03T12:05:01.000Z is more than 5 minutes in the future; check the sender\'s clock');
  });
});
