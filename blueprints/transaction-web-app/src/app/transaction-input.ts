import { CURRENCY_MINOR_UNITS } from './currencies';

/** A transaction as a client asks to record it, validated: the amount in minor units of the currency. */
export interface TransactionInput {
  /** Amount in the currency's minor units (cents for EUR, yen for JPY): a positive safe integer. */
  readonly amountMinor: number;
  /** ISO 4217 code in capitals, such as EUR. */
  readonly currency: string;
  /** The payer's reference, 1 to 140 characters without control characters. */
  readonly reference: string;
  /** The client's key for this transaction: the same key twice records one transaction. */
  readonly idempotencyKey: string;
}

/** A request body that is not a valid transaction; `problems` names each field that is wrong and how to fix it. */
export class InvalidTransactionError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(`invalid transaction: ${problems.join('; ')}`);
    this.name = 'InvalidTransactionError';
  }
}

/** Longest reference a payment scheme carries end to end (SEPA's remittance information is 140 characters). */
export const MAX_REFERENCE_LENGTH = 140;
/** Longest idempotency key: room for a UUID with a prefix, short enough for a unique index entry. */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

const FIELDS = new Set(['amount', 'amountMinor', 'currency', 'reference', 'idempotencyKey']);
const DECIMAL = /^(0|[1-9][0-9]*)(\.([0-9]+))?$/;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;
const VISIBLE_ASCII = /^[\x21-\x7e]+$/;

/**
 * Validates a parsed JSON body: `amount` as a decimal string in major units ("12.50") or `amountMinor` as an integer in
 * minor units (1250), exactly one of them; `currency`, `reference` and `idempotencyKey`; no other field.
 * Throws `InvalidTransactionError` listing every problem.
 */
export function parseTransactionInput(body: unknown): TransactionInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InvalidTransactionError(['the body must be a JSON object such as {"amount":"12.50","currency":"EUR","reference":"Invoice 42","idempotencyKey":"<uuid>"}']);
  }
  const fields = body as Record<string, unknown>;
  const problems: string[] = [];
  for (const name of Object.keys(fields)) {
    if (!FIELDS.has(name)) problems.push(`unknown field "${name}": send only ${[...FIELDS].join(', ')}`);
  }

  const currency = fields.currency;
  const minorUnits = typeof currency === 'string' ? CURRENCY_MINOR_UNITS.get(currency) : undefined;
  if (typeof currency !== 'string' || minorUnits === undefined) {
    problems.push(`currency must be an active ISO 4217 code in capitals, such as EUR or JPY${typeof currency === 'string' ? ` (got "${currency.slice(0, 10)}")` : ''}`);
  }

  let amountMinor: number | undefined;
  if ((fields.amount === undefined) === (fields.amountMinor === undefined)) {
    problems.push('send exactly one of amount (a decimal string in major units, such as "12.50") and amountMinor (an integer in minor units, such as 1250)');
  } else if (fields.amount !== undefined) {
    amountMinor = decimalToMinor(fields.amount, minorUnits, problems);
  } else {
    const value = fields.amountMinor;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) {
      problems.push(`amountMinor must be a positive integer no larger than ${Number.MAX_SAFE_INTEGER}, such as 1250 for 12.50 EUR`);
    } else {
      amountMinor = value;
    }
  }

  const reference = fields.reference;
  if (typeof reference !== 'string' || reference.trim().length === 0 || reference.length > MAX_REFERENCE_LENGTH || CONTROL_CHARACTERS.test(reference)) {
    problems.push(`reference must be a string of 1 to ${MAX_REFERENCE_LENGTH} characters without control characters, such as "Invoice 42"`);
  }

  const key = fields.idempotencyKey;
  if (typeof key !== 'string' || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !VISIBLE_ASCII.test(key)) {
    problems.push(`idempotencyKey must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters, such as a UUID the client keeps for retries`);
  }

  if (problems.length > 0) throw new InvalidTransactionError(problems);
  return { amountMinor: amountMinor!, currency: currency as string, reference: reference as string, idempotencyKey: key as string };
}

/** The amount of `amount` (a decimal string in major units) in minor units, or undefined after adding a problem. */
function decimalToMinor(amount: unknown, minorUnits: number | undefined, problems: string[]): number | undefined {
  const match = typeof amount === 'string' ? DECIMAL.exec(amount) : null;
  if (!match) {
    problems.push('amount must be a decimal string in major units with a dot, such as "12.50" (or send amountMinor as an integer)');
    return undefined;
  }
  if (minorUnits === undefined) return undefined;
  const fraction = match[3] ?? '';
  if (fraction.length > minorUnits) {
    problems.push(`amount "${amount as string}" has ${fraction.length} decimal places; this currency has ${minorUnits}`);
    return undefined;
  }
  const minor = BigInt(match[1]) * 10n ** BigInt(minorUnits) + BigInt(fraction.padEnd(minorUnits, '0') || '0');
  if (minor <= 0n || minor > BigInt(Number.MAX_SAFE_INTEGER)) {
    problems.push(`amount must be more than zero and at most ${formatAmount(Number.MAX_SAFE_INTEGER, minorUnits)}`);
    return undefined;
  }
  return Number(minor);
}

/** `amountMinor` as a decimal string in major units: 1250 with 2 minor units is "12.50", 500 with 0 is "500". */
export function formatAmount(amountMinor: number, minorUnits: number): string {
  const digits = BigInt(amountMinor).toString().padStart(minorUnits + 1, '0');
  return minorUnits === 0 ? digits : `${digits.slice(0, -minorUnits)}.${digits.slice(-minorUnits)}`;
}
