import { Duration, Token } from 'aws-cdk-lib';

// EventBridge RetryPolicy limits (EventBridge API reference, PutTargets / RetryPolicy, checked 2026-11).
const MAX_RETRY_ATTEMPTS = 185;
const MIN_EVENT_AGE = Duration.minutes(1);
const MAX_EVENT_AGE = Duration.hours(24);


/** A target's retry settings, as constructs take them. */
export interface EventRetrySettings {
  readonly retryAttempts?: number;
  readonly maxEventAge?: Duration;
}

/**
 * Throws when `retryAttempts` or `maxEventAge` is outside what EventBridge accepts (0 to 185 attempts, 1 minute
 * to 24 hours), naming the construct (`at`), the method if any (`method`, e.g. "addFunctionTarget: ") and the default.
 */
export function validateEventRetry(at: string, method: string, settings: EventRetrySettings, defaults: Required<EventRetrySettings>): void {
  const attempts = settings.retryAttempts;
  if (attempts !== undefined && !Token.isUnresolved(attempts) && (!Number.isInteger(attempts) || attempts < 0 || attempts > MAX_RETRY_ATTEMPTS)) {
    throw new Error(`${at}: ${method}retryAttempts ${attempts} is not what EventBridge allows; use a whole number from 0 to ${MAX_RETRY_ATTEMPTS}, or drop it for the default ${defaults.retryAttempts}.`);
  }
  const age = settings.maxEventAge;
  if (age !== undefined && !age.isUnresolved() && (age.toSeconds() < MIN_EVENT_AGE.toSeconds() || age.toSeconds() > MAX_EVENT_AGE.toSeconds())) {
    throw new Error(`${at}: ${method}maxEventAge ${age.toHumanString()} is not what EventBridge allows; use 1 minute to 24 hours, or drop it for the default ${defaults.maxEventAge.toHumanString()}.`);
  }
}
