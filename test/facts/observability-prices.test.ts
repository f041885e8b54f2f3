import { MINUTES_PER_MONTH, OBSERVABILITY_PRICES, observabilityPricesIn } from '../../src/facts/observability-prices';

describe('observability prices', () => {
  test('us-east-1: $3 a dashboard, $0.10 an alarm metric, $0.50 a composite alarm and a Contributor Insights rule, $0.0012 a canary run', () => {
    expect(observabilityPricesIn('us-east-1')).toMatchObject({
      dashboardPerMonth: 3,
      alarmMetricPerMonth: 0.1,
      compositeAlarmPerMonth: 0.5,
      contributorInsightsRulePerMonth: 0.5,
      canaryRun: 0.0012,
    });
  });

  test('a region without sourced prices has none, rather than a guess', () => {
    expect(observabilityPricesIn('eu-west-1')).toBeUndefined();
    expect(observabilityPricesIn('')).toBeUndefined();
  });

  test('each region once, every figure a positive price under $10 with the month it was read', () => {
    const regions = OBSERVABILITY_PRICES.map(p => p.region);
    expect(new Set(regions).size).toBe(regions.length);
    for (const { region, read, ...figures } of OBSERVABILITY_PRICES) {
      expect(region).toMatch(/^[a-z]{2}(-[a-z]+)+-\d$/);
      expect(read).toMatch(/^20\d\d-(0[1-9]|1[0-2])$/);
      for (const figure of Object.values(figures)) {
        expect(figure).toBeGreaterThan(0);
        expect(figure).toBeLessThan(10);
      }
    }
  });

  test('a month is 730 hours of minutes, as in AWS pricing examples', () => {
    expect(MINUTES_PER_MONTH).toBe(365 * 24 / 12 * 60);
  });
});
