// Benchmark: the monthly fixed cost the observability blueprint adds to each stage, over the payment-webhook workload
// (`projen new --blueprints payment-webhook,observability`), at list prices. Asserts nothing.
// Usage: npx ts-node --transpile-only bench/observability-cost.ts
//
// How it works: each stage of blueprints/observability/src/fintech.config.json (dev ephemeral, staging and prod durable)
// is synthesized with the payment-webhook stack and, last, the ObservabilityStack given what main.ts gives it (the
// payment-webhook processor's payment KPIs and the webhook API's health route), bundling skipped. Every count comes
// from the ObservabilityStack's synthesized template: dashboards, Contributor Insights rules, alarm metrics (a metric math
// alarm counts each metric it reads), composite alarms, canary runs a month from each canary's schedule. Prices come
// from src/facts/observability-prices.ts (list prices, dated and sourced there); a region without them gets counts only.
//
// How to read it: "fixed" is what the stage pays a month before any traffic, without the account's free tier (3
// dashboards, 10 alarm metrics, 1 rule, 100 canary runs a month, shared by every stage and workload in the account).
// Left out: what traffic prices (log events matched by the rules, traces, events forwarded to the monitoring account,
// canary artifacts and Lambda time), and the workload's own dashboards and alarms, which it has without the blueprint.
import * as fs from 'fs';
import * as path from 'path';
import { App, Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { resolvePackageToSources } from './package-sources';
import type { ObservabilityStack as ObservabilityStackType, ObservabilityStackProps } from '../blueprints/observability/src/observability-stack';
import type { PaymentWebhookStack as PaymentWebhookStackType } from '../blueprints/payment-webhook/src/payment-webhook-stack';
import { FintechPlatformConfig, FintechStage } from '../src';
import { MINUTES_PER_MONTH, ObservabilityPrices, observabilityPricesIn } from '../src/facts/observability-prices';
import { addOnProps } from '../test/support/add-on-props';

// The blueprints import fintech-infra-template, as in a generated repo: load them with it resolved to the sources.
resolvePackageToSources();
/* eslint-disable @typescript-eslint/no-require-imports */
const { ObservabilityStack } = require('../blueprints/observability/src/observability-stack') as { ObservabilityStack: typeof ObservabilityStackType };
const { PaymentWebhookStack } = require('../blueprints/payment-webhook/src/payment-webhook-stack') as { PaymentWebhookStack: typeof PaymentWebhookStackType };
/* eslint-enable @typescript-eslint/no-require-imports */

const ROOT = path.join(__dirname, '..');
const CONFIG = path.join(ROOT, 'blueprints', 'observability', 'src', 'fintech.config.json');

interface Counts {
  readonly dashboards: number;
  readonly insightRules: number;
  readonly alarms: number;
  readonly alarmMetrics: number;
  readonly compositeAlarms: number;
  readonly canaries: number;
  readonly canaryRunsPerMonth: number;
}

function main(): void {
  const config: FintechPlatformConfig = JSON.parse(fs.readFileSync(CONFIG, 'utf-8'));
  console.log(`bench/observability-cost: ObservabilityStack over PaymentWebhookStack, stages of ${path.relative(ROOT, CONFIG)}`);
  console.log('');
  const header = ['stage', 'kind', 'dashboards', 'insight rules', 'alarms (metrics)', 'composite', 'canaries (runs/month)', 'fixed $/month'];
  const rows: string[][] = [];
  for (const environment of config.environments) {
    const counts = count(synthesize({ ...config, environments: [environment] }));
    const prices = observabilityPricesIn(environment.region);
    rows.push([
      environment.name, environment.durable ? 'durable' : 'ephemeral', String(counts.dashboards), String(counts.insightRules),
      `${counts.alarms} (${counts.alarmMetrics})`, String(counts.compositeAlarms), `${counts.canaries} (${counts.canaryRunsPerMonth})`,
      prices ? `$${monthly(prices, counts).toFixed(2)}` : 'no sourced price',
    ]);
  }
  printTable(header, rows);
  console.log('');
  for (const region of [...new Set(config.environments.map(e => e.region))]) {
    const prices = observabilityPricesIn(region);
    console.log(prices
      ? `${region} prices (src/facts/observability-prices.ts, read ${prices.read}): dashboard $${prices.dashboardPerMonth}/month, alarm metric ` +
        `$${prices.alarmMetricPerMonth}/month, composite alarm $${prices.compositeAlarmPerMonth}/month, Contributor Insights rule ` +
        `$${prices.contributorInsightsRulePerMonth}/month, canary run $${prices.canaryRun}; ${MINUTES_PER_MONTH / 60} hours a month; no free tier.`
      : `${region}: no sourced prices in src/facts/observability-prices.ts; counts only.`);
  }
}

function synthesize(config: FintechPlatformConfig): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:failSynthOnValidationErrors': false } });
  const [stage] = FintechStage.fromConfig(app, config);
  const webhooks = new PaymentWebhookStack(stage, 'PaymentWebhook');
  // Given what main.ts gives it for payment-webhook,observability: the blueprint's own code of the props.
  const observability = new ObservabilityStack(stage, 'Observability', addOnProps({ 'payment-webhook': webhooks }) as ObservabilityStackProps);
  return Template.fromStack(observability);
}

function count(template: Template): Counts {
  const of = (type: string) => Object.values(template.findResources(type)).map(resource => resource.Properties);
  const alarms = of('AWS::CloudWatch::Alarm');
  const canaries = of('AWS::Synthetics::Canary');
  return {
    dashboards: of('AWS::CloudWatch::Dashboard').length,
    insightRules: of('AWS::CloudWatch::InsightRule').length,
    alarms: alarms.length,
    // A metric math alarm is billed per metric it reads; expressions themselves are free.
    alarmMetrics: alarms.reduce((sum, alarm) => sum + (alarm.Metrics ? alarm.Metrics.filter((m: any) => m.MetricStat).length : 1), 0),
    compositeAlarms: of('AWS::CloudWatch::CompositeAlarm').length,
    canaries: canaries.length,
    canaryRunsPerMonth: canaries.reduce((sum, canary) => sum + Math.round(MINUTES_PER_MONTH / scheduleMinutes(canary.Schedule.Expression)), 0),
  };
}

// `rate(5 minutes)`, `rate(1 hour)`; `rate(0 minutes)` (run once) counts one run a month at most.
function scheduleMinutes(expression: string): number {
  const match = /^rate\((\d+) (minute|minutes|hour|hours)\)$/.exec(expression);
  if (!match) throw new Error(`bench/observability-cost: canary schedule ${expression} is not a rate() this bench can count; extend scheduleMinutes.`);
  const value = Number(match[1]);
  if (value === 0) return MINUTES_PER_MONTH;
  return match[2].startsWith('hour') ? Duration.hours(value).toMinutes() : value;
}

function monthly(prices: ObservabilityPrices, counts: Counts): number {
  return counts.dashboards * prices.dashboardPerMonth
    + counts.insightRules * prices.contributorInsightsRulePerMonth
    + counts.alarmMetrics * prices.alarmMetricPerMonth
    + counts.compositeAlarms * prices.compositeAlarmPerMonth
    + counts.canaryRunsPerMonth * prices.canaryRun;
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map(r => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  console.log(line(header));
  console.log(line(widths.map(w => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
}

main();
