import { isValidIsin, isValidLei } from '../../src/handlers/check-digits';

describe('isValidLei (ISO 17442, ISO 7064 MOD 97-10)', () => {
  test.each(['5493001KJTIIGC8Y1R12', '529900T8BM49AURSDO55', '7LTWFZYICNSX8D621K86', 'HWUPKR0MPOU8FGXBT394'])('accepts %s, whose check digits are right', lei => {
    expect(isValidLei(lei)).toBe(true);
  });

  test.each([
    ['a changed check digit', '5493001KJTIIGC8Y1R13'],
    ['a typo in the body', '5493001KJTIIGC8Y1S12'],
    ['two swapped characters', '4593001KJTIIGC8Y1R12'],
    ['lower case', '5493001kjtiigc8y1r12'],
    ['19 characters', '5493001KJTIIGC8Y1R1'],
    ['21 characters', '5493001KJTIIGC8Y1R120'],
    ['letters in the check digits', '5493001KJTIIGC8Y1RAB'],
    ['a space', '5493001KJTIIGC8Y 1R12'],
  ])('refuses %s', (_case, lei) => {
    expect(isValidLei(lei)).toBe(false);
  });
});

describe('isValidIsin (ISO 6166, Luhn over the code with letters as numbers)', () => {
  test.each(['US0378331005', 'DE0007164600', 'GB0002634946', 'AU0000XVGZA3', 'US5949181045'])('accepts %s, whose check digit is right', isin => {
    expect(isValidIsin(isin)).toBe(true);
  });

  test.each([
    ['a wrong check digit', 'US0378331006'],
    ['two swapped digits', 'US0738331005'],
    ['a digit in the country prefix', 'U10378331005'],
    ['a letter as check digit', 'US037833100A'],
    ['11 characters', 'US037833100'],
    ['lower case', 'us0378331005'],
  ])('refuses %s', (_case, isin) => {
    expect(isValidIsin(isin)).toBe(false);
  });
});
