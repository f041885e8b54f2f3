// List prices of a private network's two ways to reach AWS services: interface endpoints (AWS PrivateLink) and NAT
// gateways. Used by bench/endpoint-cost.ts to put the monthly fixed cost of a VPC without internet access beside the
// NAT gateway design. Gateway endpoints (S3, DynamoDB) cost nothing per hour or per GB and are not listed.
// Sources, read 2026-12:
// - AWS PrivateLink pricing (https://aws.amazon.com/privatelink/pricing/): interface endpoints are billed per endpoint
//   per Availability Zone per hour (partial hours as full ones) plus per GB processed, tiered per region and month;
//   the first 1 PB costs $0.01 per GB. The stored copy of the page does not show the per-region hourly table; the
//   us-east-1 hourly figure ($0.01 per endpoint per AZ) is the page's as quoted in 2026 cost guides
//   (awsnegotiations.com "AWS PrivateLink Cost Analysis", May 2026; egresscost.com "$7.20/AZ" a month).
// - Amazon VPC pricing (https://aws.amazon.com/vpc/pricing/), NAT gateway: per hour provisioned and per GB processed,
//   $0.045 each in us-east-1 (as quoted by cloudburn.io, February 2026, and usage.ai, May 2026); the NAT gateway's
//   elastic IP is a public IPv4 address at $0.005 an hour (cloudburn.io, same page).
// Other regions are not listed: no figure for them could be sourced to the same standard, and a guessed price is worse
// than none. Add a region only with its four figures from the pricing pages, and the date read.

/** The prices of one region, in US dollars. */
export interface VpcEndpointPrices {
  /** The region code, e.g. `us-east-1`. */
  readonly region: string;
  /** One interface endpoint in one Availability Zone for one hour. */
  readonly interfaceEndpointPerAzHour: number;
  /** One GB processed by interface endpoints (the first tier: the region's first 1 PB a month). */
  readonly interfaceEndpointPerGb: number;
  /** One NAT gateway for one hour. */
  readonly natGatewayPerHour: number;
  /** One GB processed by a NAT gateway. */
  readonly natGatewayPerGb: number;
  /** One public IPv4 address (a NAT gateway's elastic IP) for one hour. */
  readonly publicIpv4PerHour: number;
  /** When the figures were read from the pricing pages, `YYYY-MM`. */
  readonly read: string;
}

/** Hours AWS bills for a month in its pricing examples (365 × 24 / 12). */
export const HOURS_PER_MONTH = 730;

/** The regions whose prices could be sourced. */
export const VPC_ENDPOINT_PRICES: readonly VpcEndpointPrices[] = [
  {
    region: 'us-east-1',
    interfaceEndpointPerAzHour: 0.01,
    interfaceEndpointPerGb: 0.01,
    natGatewayPerHour: 0.045,
    natGatewayPerGb: 0.045,
    publicIpv4PerHour: 0.005,
    read: '2026-12',
  },
];

/** The prices of a region, or undefined when none could be sourced for it. */
export function vpcEndpointPricesIn(region: string): VpcEndpointPrices | undefined {
  return VPC_ENDPOINT_PRICES.find(prices => prices.region === region);
}
