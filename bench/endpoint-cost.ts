// Benchmark: the monthly fixed cost of a private network without internet access (interface endpoints, billed per
// endpoint per availability zone and hour) against the NAT gateway design (FintechVpc with internet access: one NAT
// gateway in ephemeral stages, one per zone in durable ones), per stage of the fraud-detection-api blueprint, and the
// traffic to AWS services at which the two cost the same. Asserts nothing.
// Usage: npx ts-node --transpile-only bench/endpoint-cost.ts [--design]
//
// How it works: each stage of blueprints/fraud-detection-api/src/fintech.config.json (dev ephemeral, staging and prod
// durable) is synthesized twice, with bundling skipped: (1) the private design: the blueprint's own stack when it
// loads (else, or with --design, a FintechVpc with internetAccess: false and the endpoints the issue names: sqs, sns,
// kms, xray, logs and the dynamodb and s3 gateways); (2) the NAT design: a FintechVpc with internet access and only the
// free gateway endpoints. The stages get an account and us-east-1's zones from context, as a deployment would, so
// FintechVpc's default of three zones applies. Every count comes from the synthesized templates: interface endpoints
// x the subnets (one per zone) each sits in; NAT gateways and their elastic IPs. Prices come from
// src/facts/vpc-endpoint-prices.ts (list prices, dated and sourced there); a region without sourced prices gets counts only.
//
// How to read it: "fixed" is what a stage costs a month (730 hours) before any traffic; gateway endpoints are free
// and appear in neither. Per GB, an interface endpoint processes traffic for less than a NAT gateway, so:
// - when the private design's fixed cost is lower, it is cheaper at any volume;
// - when it is higher, "break-even" is the GB a month of traffic to the AWS services behind interface endpoints
//   (S3 and DynamoDB traffic is free in both designs) above which the private design costs less than the NAT one.
// Left out of both: data transfer between zones, the flow logs, and traffic to anything but AWS services (which the
// private design cannot reach at all).
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FintechEnvironment, FintechPlatformConfig, FintechStage, FintechVpc } from '../src';
import { resolvePackageToSources } from './package-sources';
import { HOURS_PER_MONTH, VpcEndpointPrices, vpcEndpointPricesIn } from '../src/facts/vpc-endpoint-prices';

const ROOT = path.join(__dirname, '..');
const BLUEPRINT = path.join(ROOT, 'blueprints', 'fraud-detection-api', 'src');
const DESIGN_ENDPOINTS = ['sqs', 'sns', 'kms', 'xray', 'logs', 'dynamodb', 's3'];
const ACCOUNT = '123456789012';
// The zones us-east-1 offers an account (the first three are what FintechVpc's default maxAzs takes).
const ZONES: Record<string, string[]> = {
  'us-east-1': ['us-east-1a', 'us-east-1b', 'us-east-1c', 'us-east-1d', 'us-east-1e', 'us-east-1f'],
};
const FORCE_DESIGN = process.argv.includes('--design');

interface DesignCount {
  /** Interface endpoints by name, with the zones each sits in. */
  readonly interfaceEndpoints: Array<{ readonly name: string; readonly zones: number }>;
  readonly gatewayEndpoints: number;
  readonly natGateways: number;
  readonly elasticIps: number;
}

function main(): void {
  const config = blueprintConfig();
  const blueprintStack = FORCE_DESIGN ? undefined : loadBlueprintStack();
  console.log(`bench/endpoint-cost: stages of ${config.application} (${path.relative(ROOT, BLUEPRINT)}/fintech.config.json); ` +
    `private design: ${blueprintStack ? 'the blueprint\'s FraudDetectionApiStack' : `a FintechVpc with internetAccess: false and endpoints ${DESIGN_ENDPOINTS.join(', ')}`}`);
  console.log('');
  const header = ['stage', 'kind', 'interface endpoints', 'endpoint-AZs', 'private fixed $/month', 'NAT gateways', 'NAT fixed $/month', 'break-even GB/month'];
  const rows: string[][] = [];
  for (const environment of config.environments) {
    const privateCount = count(synthesize(config, environment, stage => {
      if (blueprintStack) return new blueprintStack(stage, 'FraudDetectionApi');
      const stack = new Stack(stage, 'PrivateNetwork');
      new FintechVpc(stack, 'Network', { internetAccess: false, endpoints: DESIGN_ENDPOINTS });
      return stack;
    }));
    const natCount = count(synthesize(config, environment, stage => {
      const stack = new Stack(stage, 'NatNetwork');
      new FintechVpc(stack, 'Network', { endpoints: ['s3', 'dynamodb'] });
      return stack;
    }));
    const endpointAzs = privateCount.interfaceEndpoints.reduce((sum, e) => sum + e.zones, 0);
    const prices = vpcEndpointPricesIn(environment.region);
    const names = privateCount.interfaceEndpoints.map(e => `${e.name}x${e.zones}`).join(' ');
    const costs = prices ? compare(prices, endpointAzs, natCount) : undefined;
    rows.push([
      environment.name, environment.durable ? 'durable' : 'ephemeral', names || 'none', String(endpointAzs),
      costs ? dollars(costs.privateFixed) : 'no sourced price', `${natCount.natGateways} (+${natCount.elasticIps} EIP)`,
      costs ? dollars(costs.natFixed) : 'no sourced price', costs ? costs.breakEven : '-',
    ]);
  }
  printTable(header, rows);
  const regions = [...new Set(config.environments.map(e => e.region))];
  console.log('');
  for (const region of regions) {
    const prices = vpcEndpointPricesIn(region);
    console.log(prices
      ? `${region} prices (src/facts/vpc-endpoint-prices.ts, read ${prices.read}): interface endpoint $${prices.interfaceEndpointPerAzHour}/AZ-hour + ` +
        `$${prices.interfaceEndpointPerGb}/GB; NAT gateway $${prices.natGatewayPerHour}/hour + $${prices.natGatewayPerGb}/GB, ` +
        `its elastic IP $${prices.publicIpv4PerHour}/hour; ${HOURS_PER_MONTH} hours a month.`
      : `${region}: no sourced prices in src/facts/vpc-endpoint-prices.ts; counts only.`);
  }
}

function compare(prices: VpcEndpointPrices, endpointAzs: number, nat: DesignCount): { privateFixed: number; natFixed: number; breakEven: string } {
  const privateFixed = endpointAzs * prices.interfaceEndpointPerAzHour * HOURS_PER_MONTH;
  const natFixed = (nat.natGateways * prices.natGatewayPerHour + nat.elasticIps * prices.publicIpv4PerHour) * HOURS_PER_MONTH;
  const savedPerGb = prices.natGatewayPerGb - prices.interfaceEndpointPerGb;
  const breakEven = privateFixed <= natFixed ? 'none: cheaper at any volume'
    : savedPerGb <= 0 ? 'never' : `${Math.ceil((privateFixed - natFixed) / savedPerGb).toLocaleString('en-US')}`;
  return { privateFixed, natFixed, breakEven };
}

function synthesize(config: FintechPlatformConfig, environment: FintechEnvironment, create: (stage: FintechStage) => Stack): Template {
  const app = new App({
    context: {
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:failSynthOnValidationErrors': false,
      [`availability-zones:account=${ACCOUNT}:region=${environment.region}`]: ZONES[environment.region] ?? [`${environment.region}a`, `${environment.region}b`, `${environment.region}c`],
    },
  });
  const located = { ...environment, account: ACCOUNT };
  const stage = new FintechStage(app, environment.name, { config: { ...config, environments: [located] }, environment: located });
  return quietly(() => Template.fromStack(create(stage)));
}

function count(template: Template): DesignCount {
  const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint'));
  const interfaceEndpoints = endpoints
    .filter(e => e.Properties.VpcEndpointType === 'Interface')
    .map(e => ({ name: serviceName(e.Properties.ServiceName), zones: (e.Properties.SubnetIds ?? []).length }));
  return {
    interfaceEndpoints,
    gatewayEndpoints: endpoints.filter(e => e.Properties.VpcEndpointType === 'Gateway').length,
    natGateways: Object.keys(template.findResources('AWS::EC2::NatGateway')).length,
    elasticIps: Object.keys(template.findResources('AWS::EC2::EIP')).length,
  };
}

// `com.amazonaws.us-east-1.sqs` -> `sqs`; an intrinsic (gateway endpoints join the region in) is shown whole.
function serviceName(name: unknown): string {
  return typeof name === 'string' ? name.split('.').slice(3).join('.') : JSON.stringify(name);
}

function blueprintConfig(): FintechPlatformConfig {
  return JSON.parse(fs.readFileSync(path.join(BLUEPRINT, 'fintech.config.json'), 'utf-8'));
}

// The blueprint imports the library by its package name; point that at this checkout's src/index.ts, as its tests do.
function loadBlueprintStack(): (new (scope: FintechStage, id: string) => Stack) | undefined {
  const file = path.join(BLUEPRINT, 'fraud-detection-api-stack.ts');
  if (!fs.existsSync(file)) return undefined;
  resolvePackageToSources();
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(file).FraudDetectionApiStack;
  } catch (error) {
    console.log(`bench/endpoint-cost: the blueprint stack did not load (${(error as Error).message.split('\n')[0]}); using the design instead.`);
    return undefined;
  }
}

// CDK prints its policy validation report on stderr at each synth; the figures here come from the templates.
function quietly<T>(run: () => T): T {
  const [log, error] = [console.log, console.error];
  console.log = console.error = () => undefined;
  try {
    return run();
  } finally {
    [console.log, console.error] = [log, error];
  }
}

function dollars(amount: number): string {
  return `$${amount.toFixed(2)}`;
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
}

main();
