import { PastTransaction, SCORING, scoreTransaction } from '../../src/handlers/fraud-score';
import type { Transaction } from '../../src/handlers/transaction';

const AT = Date.parse('2026-12-03T12:00:00.000Z');
const TX: Transaction = {
  transactionId: 'tx_new', merchantId: 'm_1', amount: 1000, currency: 'EUR', country: 'DE', cardFingerprint: 'fp_1', timestamp: new Date(AT).toISOString(),
};

/** An earlier transaction `minutesBefore` the one scored. */
function past(n: number, minutesBefore: number, overrides: Partial<PastTransaction> = {}): PastTransaction {
  return { transactionId: `tx_${n}`, amount: 1000, currency: 'EUR', country: 'DE', timestamp: new Date(AT - minutesBefore * 60_000).toISOString(), ...overrides };
}

/** `count` transactions spread over days, far outside the velocity window, with the given amounts in turn. */
function usualHistory(count: number, amounts: number[] = [800, 1000, 1200]): PastTransaction[] {
  return Array.from({ length: count }, (_, i) => past(i, 60 * 24 * (i + 1) / 2, { amount: amounts[i % amounts.length] }));
}

describe('scoreTransaction', () => {
  test('a merchant without history: every signal is neutral, LOW with no reasons', () => {
    expect(scoreTransaction(TX, [])).toEqual({ score: 0, level: 'LOW', reasons: [], velocity: 1, newCountry: false });
  });

  test('a transaction in the merchant\'s usual range and country is LOW', () => {
    const result = scoreTransaction({ ...TX, amount: 1050 }, usualHistory(30));
    expect(result).toMatchObject({ score: 0, level: 'LOW', reasons: [], newCountry: false });
    expect(result.amountDeviation).toBe(0.31);
  });

  describe('velocity: the merchant\'s transactions in the window, this one included', () => {
    test.each([
      [SCORING.velocityElevated - 1, 0, 'LOW'],
      [SCORING.velocityElevated, SCORING.moderatePoints, 'MEDIUM'],
      [SCORING.velocityHigh - 1, SCORING.moderatePoints, 'MEDIUM'],
      [SCORING.velocityHigh, SCORING.strongPoints, 'HIGH'],
    ])('%i in the window scores %i (%s)', (count, points, level) => {
      const burst = Array.from({ length: count - 1 }, (_, i) => past(i, i));
      const result = scoreTransaction(TX, burst);
      expect(result).toMatchObject({ velocity: count, score: points, level });
      if (points > 0) expect(result.reasons).toEqual([expect.stringContaining(`velocity: ${count} transactions for merchant m_1 in ${SCORING.velocityWindowMinutes} minutes`)]);
    });

    test('transactions before the window, after this one, or this one itself do not count', () => {
      const outside = Array.from({ length: 12 }, (_, i) => past(i, SCORING.velocityWindowMinutes + 1 + i));
      const later = Array.from({ length: 12 }, (_, i) => past(100 + i, -1 - i));
      const itself = { ...past(999, 0), transactionId: TX.transactionId };
      expect(scoreTransaction(TX, [...outside, ...later, itself])).toMatchObject({ velocity: 1, level: 'LOW' });
    });
  });

  describe('amount against the merchant\'s usual range in the same currency', () => {
    test('no amount signal with fewer than minimumHistory earlier transactions', () => {
      const result = scoreTransaction({ ...TX, amount: 1_000_000 }, usualHistory(SCORING.minimumHistory - 1));
      expect(result.amountDeviation).toBeUndefined();
      expect(result.level).toBe('LOW');
    });

    test('an unusual amount is MEDIUM, an extreme one HIGH; the reason names the deviation and the mean', () => {
      const history = usualHistory(30); // mean 1000, standard deviation 163.3
      const unusual = scoreTransaction({ ...TX, amount: 1450 }, history);
      expect(unusual).toMatchObject({ score: SCORING.moderatePoints, level: 'MEDIUM' });
      expect(unusual.amountDeviation).toBe(2.76);
      expect(unusual.reasons).toEqual([expect.stringMatching(/^amount: 1450 EUR is 2\.76 standard deviations above the merchant's mean of 1000 over 30 transactions \(unusual/)]);
      const extreme = scoreTransaction({ ...TX, amount: 5000 }, history);
      expect(extreme).toMatchObject({ score: SCORING.strongPoints, level: 'HIGH' });
      expect(extreme.reasons[0]).toContain('(extreme from 4)');
    });

    test('just under the unusual threshold scores nothing', () => {
      const history = usualHistory(30);
      expect(scoreTransaction({ ...TX, amount: 1400 }, history)).toMatchObject({ score: 0, level: 'LOW' });
    });

    test('amounts below the usual range are not a signal', () => {
      expect(scoreTransaction({ ...TX, amount: 1 }, usualHistory(30))).toMatchObject({ score: 0, level: 'LOW' });
    });

    test('a merchant whose amounts never varied: the spread is at least a tenth of the mean, not zero', () => {
      const constant = usualHistory(10, [1000]);
      expect(scoreTransaction({ ...TX, amount: 1100 }, constant)).toMatchObject({ amountDeviation: 1, level: 'LOW' });
      expect(scoreTransaction({ ...TX, amount: 1500 }, constant)).toMatchObject({ amountDeviation: 5, level: 'HIGH' });
    });

    test('history in other currencies is not compared', () => {
      const dollars = usualHistory(30).map(p => ({ ...p, currency: 'USD', amount: 10 }));
      expect(scoreTransaction({ ...TX, amount: 100_000 }, dollars).amountDeviation).toBeUndefined();
    });
  });

  describe('new country', () => {
    test('a country the merchant has not seen in its history adds moderate points', () => {
      const result = scoreTransaction({ ...TX, country: 'BR' }, usualHistory(10));
      expect(result).toMatchObject({ newCountry: true, score: SCORING.moderatePoints, level: 'MEDIUM' });
      expect(result.reasons).toEqual(['country: BR is new for the merchant (none of its last 10 transactions)']);
    });

    test('a country seen once is not new; without enough history nothing is new', () => {
      expect(scoreTransaction({ ...TX, country: 'BR' }, [...usualHistory(10), past(50, 3000, { country: 'BR' })]).newCountry).toBe(false);
      expect(scoreTransaction({ ...TX, country: 'BR' }, usualHistory(SCORING.minimumHistory - 1)).newCountry).toBe(false);
    });
  });

  test('two moderate signals together flag a transaction; all three cap at 100', () => {
    const history = usualHistory(30);
    expect(scoreTransaction({ ...TX, country: 'BR', amount: 1450 }, history)).toMatchObject({ score: 60, level: 'HIGH' });
    const burst = Array.from({ length: SCORING.velocityHigh }, (_, i) => past(200 + i, i));
    const all = scoreTransaction({ ...TX, country: 'BR', amount: 50_000 }, [...history, ...burst]);
    expect(all.score).toBe(100);
    expect(all.reasons).toHaveLength(3);
  });
});
