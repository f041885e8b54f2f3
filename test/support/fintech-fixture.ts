import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FintechPlatformConfig } from '../../src/config/platform-config';
import { FintechChecks, FintechChecksProps } from '../../src/rules/fintech-checks';
import { FintechStage } from '../../src/stage/fintech-stage';

/** A platform with one ephemeral and one durable stage. */
export const CONFIG: FintechPlatformConfig = {
  application: 'ledger',
  team: 'payments',
  costCenter: 'cc-1234',
  extraTags: { DataClassification: 'pci' },
  // Library alarms go to the stage's alert topic; without a subscriber the rule pack (C08) fails them.
  alarmEmail: 'oncall@example.com',
  environments: [
    { name: 'dev', region: 'eu-west-1', durable: false },
    { name: 'prod', account: '123456789012', region: 'eu-west-1', durable: true },
  ],
};

/** An app that never bundles and never sets the process exit code on rule findings. */
export function testApp(): App {
  return new App({
    context: {
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
}

/** A stack inside the named stage of `CONFIG`. */
export function stackIn(app: App, stageName: 'dev' | 'prod', config: FintechPlatformConfig = CONFIG): Stack {
  const environment = config.environments.find(e => e.name === stageName)!;
  return new Stack(new FintechStage(app, stageName, { config, environment }), 'Workload');
}

/** Two stacks of one stage, for names that must not collide inside the stage. */
export function twoStacksIn(app: App, stageName: 'dev' | 'prod', config: FintechPlatformConfig = CONFIG): [Stack, Stack] {
  const environment = config.environments.find(e => e.name === stageName)!;
  const stage = new FintechStage(app, stageName, { config, environment });
  return [new Stack(stage, 'Ingest'), new Stack(stage, 'Settle')];
}

/** The KMS alias names of each of two stacks of one stage, after `create` ran on both (same construct ids in each). */
export function keyAliasesOfTwoStacks(create: (stack: Stack) => void): string[][] {
  const stacks = twoStacksIn(testApp(), 'prod');
  for (const stack of stacks) create(stack);
  return stacks.map(stack => Object.values(Template.fromStack(stack).findResources('AWS::KMS::Alias')).map(r => r.Properties.AliasName));
}

/** One violation of CDK's validation report, flattened. */
export interface ReportedViolation {
  readonly plugin: string;
  readonly ruleName: string;
  readonly severity: string;
  readonly description: string;
  readonly constructPath: string;
}

/** Synthesizes the app and returns every violation of the validation report, and the plugin metadata. */
export function synthReport(app: App): { violations: ReportedViolation[]; metadata: Record<string, string>[] } {
  // CDK announces "Performing Policy Validations" on stderr; the report file is what tests read.
  const error = console.error;
  console.error = () => undefined;
  let assembly;
  try {
    assembly = app.synth();
  } finally {
    console.error = error;
  }
  const file = path.join(assembly.directory, 'policy-validation-report.json');
  const report = JSON.parse(fs.readFileSync(file, 'utf-8'));
  const violations: ReportedViolation[] = [];
  const metadata: Record<string, string>[] = [];
  for (const plugin of report.pluginReports) {
    if (plugin.summary.metadata) metadata.push(plugin.summary.metadata);
    for (const v of plugin.violations) {
      for (const c of v.violatingConstructs) {
        const { ruleName, severity, description } = v;
        violations.push({ plugin: plugin.summary.pluginName, ruleName, severity, description, constructPath: c.constructPath });
      }
    }
  }
  return { violations, metadata };
}

/** Rule names of the violations, for compact assertions. */
export function ruleNames(violations: readonly ReportedViolation[]): string[] {
  return violations.map(v => `${v.ruleName} ${v.constructPath}`).sort();
}

/** A bare App (no FintechStage, no aspects) with the rule pack registered on it, judging as `stage`. */
export function plainApp(props: FintechChecksProps = {}): { app: App; stack: Stack } {
  const app = testApp();
  Validations.of(app).addPlugins(new FintechChecks(app, props));
  return { app, stack: new Stack(app, 'Plain') };
}
