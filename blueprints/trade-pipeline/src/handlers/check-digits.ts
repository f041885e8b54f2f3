// Letters count as two-digit numbers (A = 10 ... Z = 35) in both ISO 7064 MOD 97-10 (LEI) and the ISIN's Luhn check.
function asDigits(code: string): string {
  return [...code].map(c => (c >= '0' && c <= '9' ? c : String(c.charCodeAt(0) - 55))).join('');
}

const LEI = /^[A-Z0-9]{18}[0-9]{2}$/;
const ISIN = /^[A-Z]{2}[A-Z0-9]{9}[0-9]$/;

/**
 * Whether `code` is a Legal Entity Identifier (ISO 17442): 18 letters or digits and two check digits, so that the whole
 * code, letters read as numbers, is 1 modulo 97 (ISO 7064 MOD 97-10). Catches every single typo and swapped pair.
 */
export function isValidLei(code: string): boolean {
  if (!LEI.test(code)) return false;
  // Digit by digit: the number has up to 40 digits, beyond a double's precision.
  let remainder = 0;
  for (const digit of asDigits(code)) remainder = (remainder * 10 + Number(digit)) % 97;
  return remainder === 1;
}

/**
 * Whether `code` is an International Securities Identification Number (ISO 6166): a two-letter country prefix, nine
 * letters or digits and a check digit, the Luhn checksum of the code with its letters read as numbers.
 */
export function isValidIsin(code: string): boolean {
  if (!ISIN.test(code)) return false;
  const digits = asDigits(code);
  let sum = 0;
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    let n = Number(digits[i]);
    if (double) n = n * 2 > 9 ? n * 2 - 9 : n * 2;
    sum += n;
  }
  return sum % 10 === 0;
}
