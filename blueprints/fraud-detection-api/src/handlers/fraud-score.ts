import type { Transaction } from './transaction';

/** One earlier transaction of the merchant, as the merchant index returns it. */
export interface PastTransaction {
  readonly transactionId: string;
  readonly amount: number;
  readonly currency: string;
  readonly country: string;
  /** UTC ISO 8601. */
  readonly timestamp: string;
}

/** HIGH is flagged: published to the alert topic and queued for review. */
export type RiskLevel = 'LOW' | 'MEDIUM' | 'HIGH';

/** The score of a transaction and what made it. */
export interface FraudScore {
  /** 0 to 100. */
  readonly score: number;
  readonly level: RiskLevel;
  /** One sentence per signal that added points; empty for a clean transaction. */
  readonly reasons: string[];
  /** The merchant's transactions in the velocity window, this one included. */
  readonly velocity: number;
  /** How many standard deviations the amount is above the merchant's mean in its currency; absent without enough history. */
  readonly amountDeviation?: number;
  readonly newCountry: boolean;
}

/**
 * The thresholds, in one place. A single strong signal flags a transaction, two moderate ones do too, one moderate
 * one makes it MEDIUM (recorded, not alerted). Tune them on your own data: these are a starting point, not a model.
 */
export const SCORING = {
  /** The window velocity counts in. */
  velocityWindowMinutes: 10,
  /** Transactions of one merchant in the window (this one included) that make velocity elevated, then high. */
  velocityElevated: 5,
  velocityHigh: 10,
  /** How far back the merchant's usual amounts and countries are read, and at most how many transactions. */
  historyDays: 30,
  historyLimit: 200,
  /** Fewer earlier transactions than this say nothing about a merchant's usual range: amount and country are neutral. */
  minimumHistory: 5,
  /** Standard deviations above the merchant's mean that make an amount unusual, then extreme. */
  amountUnusualDeviations: 2.5,
  amountExtremeDeviations: 4,
  /**
   * The spread never counts as less than this share of the mean: a merchant whose amounts never varied would otherwise
   * see any other amount as infinitely far off.
   */
  minimumSpreadOfMean: 0.1,
  /** Points per signal. */
  moderatePoints: 30,
  strongPoints: 60,
  /** Scores from which a transaction is MEDIUM, then HIGH. */
  mediumFrom: 30,
  highFrom: 60,
} as const;

/**
 * Scores `transaction` against the merchant's earlier transactions (any order; the transaction itself, if among them, is
 * ignored): velocity in the window before it, its amount against the merchant's usual amounts in the same currency,
 * and whether the merchant has seen its country before.
 */
export function scoreTransaction(transaction: Transaction, history: readonly PastTransaction[]): FraudScore {
  const at = Date.parse(transaction.timestamp);
  const earlier = history.filter(past => past.transactionId !== transaction.transactionId && Date.parse(past.timestamp) <= at);
  const reasons: string[] = [];
  let score = 0;

  const windowStart = at - SCORING.velocityWindowMinutes * 60_000;
  const velocity = 1 + earlier.filter(past => Date.parse(past.timestamp) >= windowStart).length;
  if (velocity >= SCORING.velocityElevated) {
    const strong = velocity >= SCORING.velocityHigh;
    score += strong ? SCORING.strongPoints : SCORING.moderatePoints;
    reasons.push(`velocity: ${velocity} transactions for merchant ${transaction.merchantId} in ${SCORING.velocityWindowMinutes} minutes ` +
      `(${strong ? 'high' : 'elevated'} from ${strong ? SCORING.velocityHigh : SCORING.velocityElevated})`);
  }

  const amounts = earlier.filter(past => past.currency === transaction.currency).map(past => past.amount);
  let amountDeviation: number | undefined;
  if (amounts.length >= SCORING.minimumHistory) {
    const mean = amounts.reduce((sum, a) => sum + a, 0) / amounts.length;
    const spread = Math.max(Math.sqrt(amounts.reduce((sum, a) => sum + (a - mean) ** 2, 0) / amounts.length), mean * SCORING.minimumSpreadOfMean, 1);
    amountDeviation = Math.round(((transaction.amount - mean) / spread) * 100) / 100;
    if (amountDeviation >= SCORING.amountUnusualDeviations) {
      const strong = amountDeviation >= SCORING.amountExtremeDeviations;
      score += strong ? SCORING.strongPoints : SCORING.moderatePoints;
      reasons.push(`amount: ${transaction.amount} ${transaction.currency} is ${amountDeviation} standard deviations above the merchant's ` +
        `mean of ${Math.round(mean)} over ${amounts.length} transactions (${strong ? 'extreme' : 'unusual'} from ` +
        `${strong ? SCORING.amountExtremeDeviations : SCORING.amountUnusualDeviations})`);
    }
  }

  const newCountry = earlier.length >= SCORING.minimumHistory && !earlier.some(past => past.country === transaction.country);
  if (newCountry) {
    score += SCORING.moderatePoints;
    reasons.push(`country: ${transaction.country} is new for the merchant (none of its last ${earlier.length} transactions)`);
  }

  score = Math.min(score, 100);
  const level: RiskLevel = score >= SCORING.highFrom ? 'HIGH' : score >= SCORING.mediumFrom ? 'MEDIUM' : 'LOW';
  return { score, level, reasons, velocity, ...(amountDeviation !== undefined ? { amountDeviation } : {}), newCountry };
}
