import { Token } from 'aws-cdk-lib';

// Checks of the thresholds users pass through a construct's `monitoring` prop, so the error names
// the construct and the option they set rather than the alarm built from it; internal.

/** Fails unless `percent` is a rate above 0 and at most 100. */
export function checkRatePercent(owner: string, option: string, percent: number, defaultPercent: number): void {
  if (!Token.isUnresolved(percent) && !(percent > 0 && percent <= 100)) {
    throw new Error(`${owner}: monitoring.${option} ${percent} is not a percentage above 0 and at most 100; ` +
      `use e.g. ${defaultPercent} for "page when more than ${defaultPercent}% fail", or drop it for that default.`);
  }
}

/** Fails unless `count` is a whole number of at least 1 (the error-rate guard divides by it). */
export function checkMinimumRequests(owner: string, option: string, count: number, defaultCount: number): void {
  if (!Token.isUnresolved(count) && !(Number.isInteger(count) && count >= 1)) {
    throw new Error(`${owner}: monitoring.${option} ${count} must be a whole number of at least 1, or the rate divides by zero on no traffic; ` +
      `drop it for the default ${defaultCount}.`);
  }
}
