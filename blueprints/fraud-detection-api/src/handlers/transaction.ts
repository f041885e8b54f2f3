/** A card transaction as the scoring API receives it. */
export interface Transaction {
  /** The caller's id of the transaction; a re-post with the same id is answered from the first one. */
  readonly transactionId: string;
  readonly merchantId: string;
  /** In the currency's minor units (cents, pence): integers, so no rounding on the way. */
  readonly amount: number;
  /** ISO 4217 code. */
  readonly currency: string;
  /** ISO 3166-1 alpha-2 code of where the card was used. */
  readonly country: string;
  /** Who paid: a card fingerprint, a customer id, or both. */
  readonly cardFingerprint?: string;
  readonly customerId?: string;
  /** When it happened, normalised to UTC ISO 8601 (`toISOString`), so the merchant index sorts it as a string. */
  readonly timestamp: string;
}

/** Why a request body is not a transaction; the message goes back to the caller as is. */
export class InvalidTransactionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidTransactionError';
  }
}

const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
/** A timestamp with a date, a time and a zone: a zone-less time would be read in the function's zone. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Clocks of callers drift; more than this ahead is a wrong clock or a forged time, either way not scored. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Parses and validates a request body; `nowMs` bounds how far ahead the timestamp may be. */
export function parseTransaction(body: string, nowMs: number): Transaction {
  let input: unknown;
  try {
    input = JSON.parse(body);
  } catch {
    throw new InvalidTransactionError('the body is not JSON; send a JSON object with the transaction');
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new InvalidTransactionError('the body must be a JSON object with the transaction');
  }
  const fields = input as Record<string, unknown>;
  const transactionId = id(fields, 'transactionId');
  const merchantId = id(fields, 'merchantId');
  const amount = fields.amount;
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
    throw new InvalidTransactionError(`amount must be a positive whole number of minor units (e.g. 1250 for 12.50), got ${JSON.stringify(amount)}`);
  }
  const currency = code(fields, 'currency', /^[A-Z]{3}$/, 'an ISO 4217 code such as EUR');
  const country = code(fields, 'country', /^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 code such as DE');
  const cardFingerprint = optionalId(fields, 'cardFingerprint');
  const customerId = optionalId(fields, 'customerId');
  if (!cardFingerprint && !customerId) {
    throw new InvalidTransactionError('give cardFingerprint or customerId (or both): a transaction needs a payer');
  }
  const timestamp = fields.timestamp;
  const time = typeof timestamp === 'string' && ISO_TIMESTAMP.test(timestamp) ? Date.parse(timestamp) : NaN;
  if (Number.isNaN(time)) {
    throw new InvalidTransactionError(`timestamp must be ISO 8601 with a zone (e.g. 2026-12-03T10:15:00Z), got ${JSON.stringify(timestamp)}`);
  }
  if (time > nowMs + MAX_CLOCK_SKEW_MS) {
    throw new InvalidTransactionError(`timestamp ${timestamp} is more than ${MAX_CLOCK_SKEW_MS / 60000} minutes in the future; check the sender's clock`);
  }
  return {
    transactionId,
    merchantId,
    amount,
    currency,
    country,
    ...(cardFingerprint ? { cardFingerprint } : {}),
    ...(customerId ? { customerId } : {}),
    timestamp: new Date(time).toISOString(),
  };
}

function id(fields: Record<string, unknown>, name: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || !ID.test(value)) {
    throw new InvalidTransactionError(`${name} must be 1 to 128 letters, digits or _.:- (starting with a letter or digit), got ${JSON.stringify(value)}`);
  }
  return value;
}

function optionalId(fields: Record<string, unknown>, name: string): string | undefined {
  return fields[name] === undefined ? undefined : id(fields, name);
}

function code(fields: Record<string, unknown>, name: string, pattern: RegExp, example: string): string {
  const value = fields[name];
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new InvalidTransactionError(`${name} must be ${example} (upper case), got ${JSON.stringify(value)}`);
  }
  return value;
}
