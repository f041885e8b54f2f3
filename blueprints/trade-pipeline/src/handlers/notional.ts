/** A price: a positive decimal in major units of the currency, up to `MAX_PRICE_DECIMALS` decimals ("101.25"). */
const PRICE = /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,8})?$/;
/** Decimals a price may carry: enough for FX rates and bond prices, few enough to stay exact in integers. */
export const MAX_PRICE_DECIMALS = 8;

/** Whether `price` is a decimal string this pipeline computes with exactly. */
export function isPrice(price: string): boolean {
  return PRICE.test(price);
}

/**
 * quantity x price in minor units of a currency with `minorUnits` decimals, rounded half up to the minor unit, computed
 * in integers so 0.1 + 0.2 never books as 0.30000000000000004. `undefined` when the price is not a decimal string.
 */
export function notionalMinor(quantity: number, price: string, minorUnits: number): bigint | undefined {
  const match = PRICE.exec(price);
  if (!match || !Number.isSafeInteger(quantity)) return undefined;
  const fraction = (match[2] ?? '').slice(1);
  const scaled = BigInt(match[1] + fraction) * BigInt(quantity) * 10n ** BigInt(minorUnits);
  const divisor = 10n ** BigInt(fraction.length);
  return (scaled + divisor / 2n) / divisor;
}
