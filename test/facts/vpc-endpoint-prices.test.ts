import { HOURS_PER_MONTH, VPC_ENDPOINT_PRICES, vpcEndpointPricesIn } from '../../src/facts/vpc-endpoint-prices';

describe('VPC endpoint and NAT gateway prices', () => {
  test('us-east-1: $0.01 per interface endpoint per AZ-hour and per GB, $0.045 per NAT gateway hour and per GB', () => {
    expect(vpcEndpointPricesIn('us-east-1')).toMatchObject({
      interfaceEndpointPerAzHour: 0.01,
      interfaceEndpointPerGb: 0.01,
      natGatewayPerHour: 0.045,
      natGatewayPerGb: 0.045,
      publicIpv4PerHour: 0.005,
    });
  });

  test('a region without sourced prices has none, rather than a guess', () => {
    expect(vpcEndpointPricesIn('eu-west-1')).toBeUndefined();
    expect(vpcEndpointPricesIn('')).toBeUndefined();
  });

  test('each region once, every figure a positive price with the month it was read', () => {
    const regions = VPC_ENDPOINT_PRICES.map(p => p.region);
    expect(new Set(regions).size).toBe(regions.length);
    for (const prices of VPC_ENDPOINT_PRICES) {
      expect(prices.region).toMatch(/^[a-z]{2}(-[a-z]+)+-\d$/);
      expect(prices.read).toMatch(/^20\d\d-(0[1-9]|1[0-2])$/);
      const { interfaceEndpointPerAzHour, interfaceEndpointPerGb, natGatewayPerHour, natGatewayPerGb, publicIpv4PerHour } = prices;
      const figures = [interfaceEndpointPerAzHour, interfaceEndpointPerGb, natGatewayPerHour, natGatewayPerGb, publicIpv4PerHour];
      for (const figure of figures) {
        expect(figure).toBeGreaterThan(0);
        expect(figure).toBeLessThan(1);
      }
      // A NAT gateway processes a GB for more than an interface endpoint does: the premise of the break-even.
      expect(prices.natGatewayPerGb).toBeGreaterThan(prices.interfaceEndpointPerGb);
    }
  });

  test('a month is 730 hours, as in AWS pricing examples', () => {
    expect(HOURS_PER_MONTH).toBe(365 * 24 / 12);
  });
});
