import { formatAmount, InvalidTransactionError, parseTransactionInput } from '../../src/app/transaction-input';

const VALID = { amount: '12.50', currency: 'EUR', reference: 'Invoice 42', idempotencyKey: '3f0e7a52-52a4-4f59-9d43-5b9c2b8f1d10' };

/** The problems `parseTransactionInput` lists for `body`. */
function problems(body: unknown): readonly string[] {
  try {
    parseTransactionInput(body);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTransactionError);
    return (error as InvalidTransactionError).problems;
  }
  throw new Error(`accepted ${JSON.stringify(body)}`);
}

describe('parseTransactionInput', () => {
  test('a decimal amount in major units becomes minor units of the currency', () => {
    expect(parseTransactionInput(VALID)).toEqual({ amountMinor: 1250, currency: 'EUR', reference: 'Invoice 42', idempotencyKey: VALID.idempotencyKey });
  });

  test.each([
    ['12', 'EUR', 1200], ['0.01', 'EUR', 1], ['12.5', 'EUR', 1250], ['500', 'JPY', 500], ['1.234', 'KWD', 1234], ['1.2345', 'CLF', 12345],
    ['90071992547409.91', 'EUR', Number.MAX_SAFE_INTEGER],
  ])('amount "%s" %s is %d minor units', (amount, currency, minor) => {
    expect(parseTransactionInput({ ...VALID, amount, currency }).amountMinor).toBe(minor);
  });

  test('an integer amountMinor is taken as it is', () => {
    const { amount, ...rest } = VALID;
    void amount;
    expect(parseTransactionInput({ ...rest, amountMinor: 1250 }).amountMinor).toBe(1250);
  });

  test.each([
    ['more decimals than the currency has', { amount: '5.5', currency: 'JPY' }, /amount "5.5" has 1 decimal places; this currency has 0/],
    ['more decimals than EUR has', { amount: '1.001' }, /has 3 decimal places; this currency has 2/],
    ['zero', { amount: '0.00' }, /amount must be more than zero/],
    ['a negative amount', { amount: '-1.00' }, /amount must be a decimal string in major units with a dot/],
    ['a comma', { amount: '12,50' }, /with a dot/],
    ['leading zeros', { amount: '012.50' }, /with a dot/],
    ['exponent notation', { amount: '1e3' }, /with a dot/],
    ['a JSON number as amount', { amount: 12.5 }, /amount must be a decimal string/],
    ['more than 2^53 - 1 minor units', { amount: '90071992547409.92' }, /at most 90071992547409.91/],
  ])('refuses %s', (_, change, message) => {
    expect(problems({ ...VALID, ...change })).toEqual([expect.stringMatching(message)]);
  });

  test.each([
    ['a fraction', 12.5], ['zero', 0], ['a negative', -5], ['a string', '1250'], ['an unsafe integer', 2 ** 53],
  ])('refuses %s as amountMinor', (_, amountMinor) => {
    const { amount, ...rest } = VALID;
    void amount;
    expect(problems({ ...rest, amountMinor })).toEqual([expect.stringMatching(/amountMinor must be a positive integer no larger than 9007199254740991/)]);
  });

  test('needs exactly one of amount and amountMinor', () => {
    const { amount, ...rest } = VALID;
    void amount;
    expect(problems(rest)).toEqual([expect.stringMatching(/send exactly one of amount .* and amountMinor/)]);
    expect(problems({ ...VALID, amountMinor: 1250 })).toEqual([expect.stringMatching(/send exactly one of amount/)]);
  });

  test.each([['lower case', 'eur'], ['unknown', 'ABC'], ['withdrawn', 'BGN'], ['gold', 'XAU'], ['a number', 978]])('refuses a %s currency', (_, currency) => {
    expect(problems({ ...VALID, currency })).toEqual([expect.stringMatching(/currency must be an active ISO 4217 code in capitals, such as EUR/)]);
  });

  test.each([
    ['empty', ''], ['blank', '   '], ['141 characters', 'x'.repeat(141)], ['a newline', 'Invoice\n42'], ['a NUL', 'a\u0000b'], ['a number', 42],
  ])('refuses a reference that is %s', (_, reference) => {
    expect(problems({ ...VALID, reference })).toEqual([expect.stringMatching(/reference must be a string of 1 to 140 characters without control characters/)]);
  });

  test('accepts a reference of 140 characters with accents', () => {
    expect(parseTransactionInput({ ...VALID, reference: 'é'.repeat(140) }).reference).toHaveLength(140);
  });

  test.each([['empty', ''], ['with a space', 'key 1'], ['256 characters', 'k'.repeat(256)], ['non-ASCII', 'clé'], ['missing', undefined]])('refuses an idempotency key that is %s', (_, idempotencyKey) => {
    expect(problems({ ...VALID, idempotencyKey })).toEqual([expect.stringMatching(/idempotencyKey must be 1 to 255 visible ASCII characters/)]);
  });

  test('lists every problem at once, unknown fields included', () => {
    expect(problems({ amount: 'lots', currency: 'euro', reference: '', idempotencyKey: '', note: 'x' })).toEqual([
      expect.stringMatching(/unknown field "note": send only amount, amountMinor, currency, reference, idempotencyKey/),
      expect.stringMatching(/^currency must be/),
      expect.stringMatching(/^amount must be a decimal string/),
      expect.stringMatching(/^reference must be/),
      expect.stringMatching(/^idempotencyKey must be/),
    ]);
  });

  test.each([['null', null], ['an array', [VALID]], ['a string', 'amount=12.50'], ['a number', 12]])('refuses %s as the body', (_, body) => {
    expect(problems(body)).toEqual([expect.stringMatching(/the body must be a JSON object such as \{"amount":"12.50"/)]);
  });

  test('the error message carries the problems', () => {
    expect(() => parseTransactionInput({ ...VALID, currency: 'ABC' })).toThrow(/^invalid transaction: currency must be an active ISO 4217 code/);
  });
});

describe('formatAmount', () => {
  test.each([[1250, 2, '12.50'], [1, 2, '0.01'], [500, 0, '500'], [1234, 3, '1.234'], [5, 4, '0.0005'], [Number.MAX_SAFE_INTEGER, 2, '90071992547409.91']])(
    '%d with %d minor units is "%s"', (minor, units, text) => {
      expect(formatAmount(minor, units)).toBe(text);
    });
});
