import { Duration, Token } from 'aws-cdk-lib';
import { validateEventRetry } from '../../src/workflow/event-retry';

const DEFAULTS = { retryAttempts: 10, maxEventAge: Duration.hours(1) };

describe('validateEventRetry', () => {
  test('accepts EventBridge\'s limits, unset settings and tokens', () => {
    const accepted = [
      {}, { retryAttempts: 0 }, { retryAttempts: 185 }, { maxEventAge: Duration.minutes(1) }, { maxEventAge: Duration.hours(24) },
      { retryAttempts: Token.asNumber({ Ref: 'Retries' }) },
    ];
    for (const settings of accepted) {
      expect(() => validateEventRetry('Rule at dev/Workload/Settled', '', settings, DEFAULTS)).not.toThrow();
    }
  });

  test('names the construct, the method and the default when a setting is outside the limits', () => {
    expect(() => validateEventRetry('Rule at dev/Workload/Settled', 'addQueueTarget: ', { retryAttempts: 186 }, DEFAULTS))
      .toThrow('Rule at dev/Workload/Settled: addQueueTarget: retryAttempts 186 is not what EventBridge allows; use a whole number from 0 to 185, or drop it for the default 10.');
    expect(() => validateEventRetry('Rule at dev/Workload/Settled', '', { retryAttempts: 2.5 }, DEFAULTS)).toThrow(/retryAttempts 2.5 is not what EventBridge allows/);
    expect(() => validateEventRetry('Rule at dev/Workload/Settled', '', { maxEventAge: Duration.seconds(59) }, DEFAULTS))
      .toThrow('Rule at dev/Workload/Settled: maxEventAge 59 seconds is not what EventBridge allows; use 1 minute to 24 hours, or drop it for the default 1 hour.');
    expect(() => validateEventRetry('Rule at dev/Workload/Settled', '', { maxEventAge: Duration.hours(25) }, DEFAULTS)).toThrow(/maxEventAge 1 day 1 hour/);
  });
});
