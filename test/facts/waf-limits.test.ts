import { WAF_DEFAULT_EVALUATION_WINDOW_SECONDS, WAF_EVALUATION_WINDOWS_SECONDS, WAF_RATE_LIMIT_MAXIMUM, WAF_RATE_LIMIT_MINIMUM } from '../../src/facts/waf-limits';

describe('WAF rate-based rule limits', () => {
  test('the limit range is whole numbers with the minimum below the maximum', () => {
    expect(Number.isInteger(WAF_RATE_LIMIT_MINIMUM)).toBe(true);
    expect(Number.isInteger(WAF_RATE_LIMIT_MAXIMUM)).toBe(true);
    expect(WAF_RATE_LIMIT_MINIMUM).toBeGreaterThan(0);
    expect(WAF_RATE_LIMIT_MINIMUM).toBeLessThan(WAF_RATE_LIMIT_MAXIMUM);
    // The documented bounds: 10 to 2,000,000,000 requests per evaluation window.
    expect([WAF_RATE_LIMIT_MINIMUM, WAF_RATE_LIMIT_MAXIMUM]).toEqual([10, 2_000_000_000]);
  });

  test('the evaluation windows are whole minutes, ascending and unique, and include the default window', () => {
    expect(WAF_EVALUATION_WINDOWS_SECONDS).toEqual([...new Set(WAF_EVALUATION_WINDOWS_SECONDS)].sort((a, b) => a - b));
    for (const seconds of WAF_EVALUATION_WINDOWS_SECONDS) expect(seconds % 60).toBe(0);
    expect(WAF_EVALUATION_WINDOWS_SECONDS).toContain(WAF_DEFAULT_EVALUATION_WINDOW_SECONDS);
    expect(WAF_DEFAULT_EVALUATION_WINDOW_SECONDS).toBe(300);
  });

  test('one request per second is within the limits over every window', () => {
    for (const seconds of WAF_EVALUATION_WINDOWS_SECONDS) {
      expect(seconds).toBeGreaterThanOrEqual(WAF_RATE_LIMIT_MINIMUM);
      expect(seconds).toBeLessThanOrEqual(WAF_RATE_LIMIT_MAXIMUM);
    }
  });
});
