import { createHash } from 'crypto';
import { CURRENCY_MINOR_UNITS } from './currencies';
import { notionalMinor } from './notional';
import type { Trade } from './trade';

/** What booking needs beyond the trade itself, derived from it alone. */
export interface EnrichedTrade extends Trade {
  /** quantity x price in minor units of the currency (cents, pence, yen), an integer. */
  readonly notionalMinor: number;
  /** Minor unit digits of the currency, so readers can show the notional in major units. */
  readonly minorUnits: number;
  /** The trade date plus the settlement cycle in business days, YYYY-MM-DD. */
  readonly settlementDate: string;
  /** A digest of the economic fields: two messages with one trade id and one booking key are the same trade. */
  readonly bookingKey: string;
}

/**
 * Adds the notional in minor units, the settlement date (T + `settlementDays` business days: Saturdays and Sundays are
 * skipped, public holidays are not known here) and the booking key. Pure: the same trade always enriches the same.
 */
export function enrichTrade(trade: Trade, settlementDays: number): EnrichedTrade {
  const minorUnits = CURRENCY_MINOR_UNITS[trade.currency];
  if (minorUnits === undefined) throw new Error(`currency ${trade.currency} of trade ${trade.tradeId} has no minor units; validate the trade first`);
  const notional = notionalMinor(trade.quantity, trade.price, minorUnits);
  if (notional === undefined || notional > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new Error(`the notional of trade ${trade.tradeId} (${trade.quantity} x ${trade.price}) cannot be computed exactly; validate the trade first and keep maxNotional at most 9e12`);
  }
  return {
    ...trade,
    notionalMinor: Number(notional),
    minorUnits,
    settlementDate: settlementDate(trade.tradeDate, settlementDays),
    bookingKey: bookingKey(trade),
  };
}

/** `tradeDate` (YYYY-MM-DD) plus `businessDays` weekdays; a settlement date that falls on a weekend (T+0) rolls to Monday. */
export function settlementDate(tradeDate: string, businessDays: number): string {
  if (!Number.isInteger(businessDays) || businessDays < 0) throw new Error(`settlement days must be a whole number, 0 or more, got ${businessDays}`);
  const date = new Date(`${tradeDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) throw new Error(`trade date ${tradeDate} is not YYYY-MM-DD`);
  const isWeekend = () => date.getUTCDay() === 0 || date.getUTCDay() === 6;
  for (let added = 0; added < businessDays;) {
    date.setUTCDate(date.getUTCDate() + 1);
    if (!isWeekend()) added++;
  }
  while (isWeekend()) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/** SHA-256 of the fields that make the trade (not executedAt, which a resend may restamp), shortened to 128 bits. */
export function bookingKey(trade: Trade): string {
  const fields = [
    trade.sourceSystem, trade.tradeId, trade.counterpartyLei, trade.isin, trade.side, trade.quantity, trade.price, trade.currency, trade.tradeDate,
  ];
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 32);
}
