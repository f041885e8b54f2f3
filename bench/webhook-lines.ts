// Benchmark: lines of the same webhook stack (API -> function -> queue -> function -> table) written with this library
// and with plain aws-cdk-lib, and the FintechChecks findings of each, synthesized in a dev (ephemeral) and a prod (durable)
// stage with bundling skipped. Prints figures and the ratio; asserts nothing. Goal (issue 4): library lines <= 0.5 x plain.
// Usage: npx projen bench:webhook-lines
import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Stage, Validations } from 'aws-cdk-lib';
import { FintechChecks, FintechFinding, FintechPlatformConfig, FintechStage, RuleSeverity } from '../src';
import { LibraryWebhookStack } from './webhook-lines/library-webhook-stack';
import { PlainWebhookStack } from './webhook-lines/plain-webhook-stack';

const CONFIG: FintechPlatformConfig = {
  application: 'ledger',
  team: 'payments',
  costCenter: 'cc-1234',
  alarmEmail: 'oncall@example.com',
  environments: [
    { name: 'dev', account: '111111111111', region: 'eu-west-1', durable: false },
    { name: 'prod', account: '222222222222', region: 'eu-west-1', durable: true },
  ],
};
const STACK_FILES = {
  library: path.join(__dirname, 'webhook-lines', 'library-webhook-stack.ts'),
  plain: path.join(__dirname, 'webhook-lines', 'plain-webhook-stack.ts'),
};

type Variant = 'library in FintechStage' | 'plain in FintechStage' | 'plain in a plain Stage';
interface StageResult {
  readonly stage: string;
  readonly resources: number;
  readonly findings: FintechFinding[];
}

/** An app that never bundles and never sets the exit code on findings: the bench reports them instead. */
function benchApp(): App {
  return new App({ context: { 'aws:cdk:bundling-stacks': [], '@aws-cdk/core:failSynthOnValidationErrors': false } });
}

function addStack(variant: Variant, stage: Stage, durable: boolean): Stack {
  if (variant === 'library in FintechStage') return new LibraryWebhookStack(stage, 'Webhooks');
  const { application, team, costCenter, alarmEmail } = CONFIG;
  return new PlainWebhookStack(stage, 'Webhooks', { application, team, costCenter, alarmEmail: alarmEmail!, durable });
}

/** Synthesizes the variant in each environment's stage and returns the pack's findings and the resource count per stage. */
function run(variant: Variant): StageResult[] {
  const app = benchApp();
  const stages: { stage: Stage; stack: Stack; checks: FintechChecks }[] = [];
  for (const environment of CONFIG.environments) {
    const durable = environment.durable ?? false;
    if (variant === 'plain in a plain Stage') {
      // No FintechStage: no tags, removal policies or defaults from the library, only the rule pack judging the result.
      const stage = new Stage(app, environment.name, { env: { account: environment.account, region: environment.region } });
      const checks = new FintechChecks(stage, { durableStages: durable ? [environment.name] : [] });
      Validations.of(stage).addPlugins(checks);
      stages.push({ stage, stack: addStack(variant, stage, durable), checks });
    } else {
      const stage = new FintechStage(app, environment.name, { config: CONFIG, environment });
      stages.push({ stage, stack: addStack(variant, stage, durable), checks: stage.checks });
    }
  }
  // CDK prints its validation report; the bench prints its own summary.
  const { log, error } = console;
  console.log = () => undefined;
  console.error = () => undefined;
  let assembly;
  try {
    assembly = app.synth();
  } finally {
    console.log = log;
    console.error = error;
  }
  return stages.map(({ stage, stack, checks }) => {
    const template = assembly.getNestedAssembly(`assembly-${stage.stageName}`).getStackByName(stack.stackName).template;
    return { stage: stage.stageName, resources: Object.keys(template.Resources ?? {}).length, findings: checks.findings };
  });
}

/** Lines that are not blank and not comments (`//`, and the lines of `/** ... *\/` blocks). */
function codeLines(file: string): string[] {
  return fs.readFileSync(file, 'utf-8').split('\n').map(line => line.trim())
    .filter(line => line.length > 0 && !line.startsWith('//') && !line.startsWith('/*') && !line.startsWith('*'));
}

// Characters without whitespace: a second measure that line breaks (formatting choices) cannot move.
function codeCharacters(lines: string[]): number {
  return lines.join('').replace(/\s+/g, '').length;
}

function main(): void {
  console.log('bench/webhook-lines: the same webhook stack with the library and with plain aws-cdk-lib (bundling skipped)');
  for (const variant of ['library in FintechStage', 'plain in FintechStage', 'plain in a plain Stage'] as Variant[]) {
    console.log(`\n${variant}:`);
    for (const result of run(variant)) {
      const open = result.findings.filter(f => f.acknowledgedReason === undefined);
      const errors = open.filter(f => f.severity === RuleSeverity.ERROR);
      const warnings = open.filter(f => f.severity === RuleSeverity.WARNING);
      const acknowledged = result.findings.length - open.length;
      console.log(`  ${result.stage.padEnd(5)} ${String(result.resources).padStart(3)} resources, ${errors.length} errors, ${warnings.length} warnings, ${acknowledged} acknowledged`);
      for (const f of [...errors, ...warnings]) console.log(`        ${f.severity} ${f.ruleId} ${f.constructPath}: ${f.message}`);
    }
  }
  const library = codeLines(STACK_FILES.library);
  const plain = codeLines(STACK_FILES.plain);
  console.log('\nstack files: lines (not blank, not comments), characters of those lines without whitespace:');
  console.log(`  library ${String(library.length).padStart(4)} lines ${String(codeCharacters(library)).padStart(6)} chars  ${path.relative(process.cwd(), STACK_FILES.library)}`);
  console.log(`  plain   ${String(plain.length).padStart(4)} lines ${String(codeCharacters(plain)).padStart(6)} chars  ${path.relative(process.cwd(), STACK_FILES.plain)}`);
  console.log(`  ratio library / plain: lines ${(library.length / plain.length).toFixed(2)} (goal <= 0.50), characters ${(codeCharacters(library) / codeCharacters(plain)).toFixed(2)}`);
}

main();
