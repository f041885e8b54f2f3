import { isValidIsin, isValidLei } from './check-digits';
import { CURRENCY_MINOR_UNITS } from './currencies';
import { isPrice, notionalMinor } from './notional';

/** A trade as the source systems put it on the bus: the `detail` of a `TradeSubmitted` event. */
export interface Trade {
  /** The source system's id of the trade: recorded once per id. */
  readonly tradeId: string;
  /** The system that booked it upstream (the trade index's partition key). */
  readonly sourceSystem: string;
  /** The counterparty's Legal Entity Identifier (ISO 17442). */
  readonly counterpartyLei: string;
  /** The instrument's ISIN (ISO 6166). */
  readonly isin: string;
  readonly side: 'BUY' | 'SELL';
  /** Units of the instrument: a positive whole number. */
  readonly quantity: number;
  /** Price per unit in major units of `currency`, as a decimal string ("101.25"), so no binary rounding. */
  readonly price: string;
  /** ISO 4217 code, one of `CURRENCY_MINOR_UNITS`. */
  readonly currency: string;
  /** The trade date, YYYY-MM-DD. */
  readonly tradeDate: string;
  /** When it was executed, ISO 8601 with a zone, normalised to UTC; optional. */
  readonly executedAt?: string;
}

/** The business limits a trade is checked against; the validate function reads them from its environment. */
export interface TradeRules {
  /** Largest notional of one trade, in major units of its currency (no FX conversion: one figure for every currency). */
  readonly maxNotional: number;
  /** LEIs of counterparties the desk must not trade with. */
  readonly blockedCounterparties: ReadonlySet<string>;
  /** The time of validation: trade dates and execution times after it are refused. */
  readonly now: Date;
}

/** A trade that passed every check, or every reason it did not. A business outcome, never an exception. */
export type TradeValidation = { readonly valid: true; readonly trade: Trade } | { readonly valid: false; readonly reasons: string[] };

const ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
/** Execution clocks drift; a time further ahead than this is a wrong clock or a forged time. */
export const MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;
/** UTC+14 (Kiribati) is the first zone into a new day: a trade date later than its date is in the future everywhere. */
const EARLIEST_ZONE_OFFSET_MS = 14 * 60 * 60 * 1000;

/**
 * Checks an event detail against the trade schema (types, required fields, formats: LEI and ISIN check digits, ISO 4217
 * currency, calendar trade date) and the business rules (notional above 0 and within `maxNotional`, counterparty not
 * blocked, trade date and execution time not in the future). Collects every reason, so a sender fixes all at once.
 */
export function validateTrade(detail: unknown, rules: TradeRules): TradeValidation {
  if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
    return { valid: false, reasons: ['the event detail must be a JSON object with the trade'] };
  }
  const fields = detail as Record<string, unknown>;
  const reasons: string[] = [];
  const text = (name: string, check: (value: string) => boolean, expected: string): string => {
    const value = fields[name];
    if (typeof value === 'string' && check(value)) return value;
    reasons.push(`${name} must be ${expected}, got ${JSON.stringify(value) ?? 'nothing'}`);
    return '';
  };

  const tradeId = text('tradeId', v => ID.test(v), '1 to 128 letters, digits or _.:- starting with a letter or digit');
  const sourceSystem = text('sourceSystem', v => ID.test(v), '1 to 128 letters, digits or _.:- starting with a letter or digit');
  const counterpartyLei = text('counterpartyLei', isValidLei, 'a 20-character LEI with valid check digits (ISO 17442)');
  const isin = text('isin', isValidIsin, 'a 12-character ISIN with a valid check digit (ISO 6166)');
  const side = text('side', v => v === 'BUY' || v === 'SELL', 'BUY or SELL') as Trade['side'];
  const currency = text('currency', v => v in CURRENCY_MINOR_UNITS && /^[A-Z]{3}$/.test(v), `an ISO 4217 code this pipeline trades (${Object.keys(CURRENCY_MINOR_UNITS).join(', ')})`);
  const tradeDate = text('tradeDate', isCalendarDate, 'a date YYYY-MM-DD');

  const quantity = fields.quantity;
  if (typeof quantity !== 'number' || !Number.isSafeInteger(quantity) || quantity <= 0) {
    reasons.push(`quantity must be a positive whole number of units, got ${JSON.stringify(quantity) ?? 'nothing'}`);
  }
  // A JSON number is accepted as its shortest decimal form (101.25 -> "101.25"); strings keep every digit the sender meant.
  const price = typeof fields.price === 'number' && Number.isFinite(fields.price) ? String(fields.price) : fields.price;
  if (typeof price !== 'string' || !isPrice(price)) {
    reasons.push(`price must be a decimal in major units with at most 8 decimals, such as "101.25", got ${JSON.stringify(fields.price) ?? 'nothing'}`);
  }

  let executedAt: string | undefined;
  if (fields.executedAt !== undefined) {
    const time = typeof fields.executedAt === 'string' && TIMESTAMP.test(fields.executedAt) ? Date.parse(fields.executedAt) : NaN;
    if (Number.isNaN(time)) {
      reasons.push(`executedAt must be ISO 8601 with a zone, such as 2026-12-03T10:15:00Z, got ${JSON.stringify(fields.executedAt)}`);
    } else if (time > rules.now.getTime() + MAX_CLOCK_SKEW_MS) {
      reasons.push(`executedAt ${fields.executedAt} is in the future; check the source system's clock`);
    } else {
      executedAt = new Date(time).toISOString();
    }
  }

  // Business rules, on the fields that are well-formed.
  if (counterpartyLei && rules.blockedCounterparties.has(counterpartyLei)) {
    reasons.push(`counterparty ${counterpartyLei} is blocked: trades with it must not be booked`);
  }
  if (tradeDate && tradeDate > new Date(rules.now.getTime() + EARLIEST_ZONE_OFFSET_MS).toISOString().slice(0, 10)) {
    reasons.push(`tradeDate ${tradeDate} is in the future`);
  }
  if (currency && typeof quantity === 'number' && typeof price === 'string' && isPrice(price) && Number.isSafeInteger(quantity) && quantity > 0) {
    const minorUnits = CURRENCY_MINOR_UNITS[currency];
    const notional = notionalMinor(quantity, price, minorUnits)!;
    const limit = BigInt(Math.round(rules.maxNotional * 10 ** minorUnits));
    if (notional <= 0n) {
      reasons.push(`the notional ${quantity} x ${price} ${currency} is 0 in minor units; the amount must be above 0`);
    } else if (notional > limit) {
      reasons.push(`the notional ${quantity} x ${price} ${currency} is above the per-trade limit of ${rules.maxNotional} ${currency}`);
    }
  }

  if (reasons.length > 0) return { valid: false, reasons };
  return {
    valid: true,
    trade: {
      tradeId,
      sourceSystem,
      counterpartyLei,
      isin,
      side,
      quantity: quantity as number,
      price: price as string,
      currency,
      tradeDate,
      ...(executedAt ? { executedAt } : {}),
    },
  };
}

function isCalendarDate(value: string): boolean {
  const match = DATE.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value;
}
