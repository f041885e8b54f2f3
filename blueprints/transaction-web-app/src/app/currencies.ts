// ISO 4217 List One: the active currency codes and their minor units (digits after the decimal point).
// Source: the list SIX Financial Information publishes for the ISO 4217 maintenance agency, read Dec 2026: ANG replaced by
// XCG (31 Mar 2025), BGN withdrawn after Bulgaria adopted the euro (1 Jan 2026). Precious metals, SDR, fund and test codes
// (XAU, XDR, XSU, XTS, XXX, ...) have no minor unit and are not money a customer sends, so they are left out.

/** Codes whose minor unit is not 2. */
const MINOR_UNITS_NOT_TWO: { readonly [code: string]: number } = {
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  UYI: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  CLF: 4,
  UYW: 4,
};

/** Codes with a minor unit of 2. */
const MINOR_UNITS_TWO = (
  'AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BMD BND BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU ' +
  'CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES ' +
  'KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR ' +
  'NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP ' +
  'TRY TTD TWD TZS UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG'
).split(' ');

/** Minor units of every active ISO 4217 currency code, by code. */
export const CURRENCY_MINOR_UNITS: ReadonlyMap<string, number> = new Map([
  ...MINOR_UNITS_TWO.map(code => [code, 2] as const),
  ...Object.entries(MINOR_UNITS_NOT_TWO),
]);
