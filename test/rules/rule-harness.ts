import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnElement, Validations, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { FintechChecks, FintechChecksProps, FintechFinding } from '../../src/rules/fintech-checks';
import { StackTemplate, TemplatePeers, TemplateResource } from '../../src/rules/stack-template';
import { TemplateIndex } from '../../src/rules/template-index';

/** An app that never bundles and never sets the process exit code on findings. */
export function testApp(): App {
  return new App({ context: { '@aws-cdk/core:failSynthOnValidationErrors': false, 'aws:cdk:bundling-stacks': [] } });
}

/** Synthesizes the app without CDK's "Performing Policy Validations" banner (printed whenever a plugin is registered). */
export function quietSynth(app: App) {
  const error = console.error;
  const spy = jest.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
    if (!String(args[0]).startsWith('Performing Policy Validations')) error(...args);
  });
  try {
    return app.synth();
  } finally {
    spy.mockRestore();
  }
}

/** Synthesizes the app and runs a fresh pack on all its templates, as CDK would. */
export function validate(app: App, props: FintechChecksProps = {}, scope: IConstruct = app): FintechChecks {
  const checks = new FintechChecks(scope, props);
  const assembly = quietSynth(app);
  checks.validate({ templatePaths: assembly.stacksRecursively.map(stack => stack.templateFullPath) });
  return checks;
}

/**
 * Synthesizes the app once and runs two fresh packs on all its templates: one with the app as its scope, one without
 * (`FintechChecks.fromProps`, as on a cloud assembly alone). Both should report the same.
 */
export function validateWithAndWithoutScope(app: App, props: FintechChecksProps = {}): [withScope: FintechChecks, withoutScope: FintechChecks] {
  const templatePaths = quietSynth(app).stacksRecursively.map(stack => stack.templateFullPath);
  const packs: [FintechChecks, FintechChecks] = [new FintechChecks(app, props), FintechChecks.fromProps(props)];
  for (const checks of packs) checks.validate({ templatePaths });
  return packs;
}

/** An app's templates as one validation loads them, and a lookup of their resources by construct. */
export interface LoadedTemplates {
  /** Every template of the app, loaded together (imports find exports, nested stacks their parents). */
  readonly templates: readonly StackTemplate[];
  /** The template resource of a construct: an L1, or an L2's default child. */
  resourceOf(construct: IConstruct): TemplateResource;
}

/** Synthesizes the app and loads its templates together, judged as the ephemeral stage `dev` (`prod` durable). */
export function loadTogether(app: App): LoadedTemplates {
  const templates = TemplateIndex.load(app, quietSynth(app).stacks.map(s => s.templateFullPath), { stage: 'dev', durableStages: ['prod'] });
  return {
    templates,
    resourceOf: construct => {
      const stack = Stack.of(construct);
      const element = (construct.node.defaultChild ?? construct) as CfnElement;
      return templates.find(t => t.path === stack.node.path)!.resource(stack.getLogicalId(element))!;
    },
  };
}

/** Findings as `<ruleId> <constructPath>` lines, sorted, for compact assertions. */
export function lines(findings: readonly FintechFinding[]): string[] {
  return findings.map(f => `${f.ruleId} ${f.constructPath}`).sort();
}

/** An app with one empty stack `Shop`, judged as a root app. */
export function shop(): { app: App; stack: Stack } {
  const app = testApp();
  return { app, stack: new Stack(app, 'Shop') };
}

/** Findings of the given rules, plus any `Fintech-RuleFailed` (so a crashing rule fails the test too). */
export function findingsOf(app: App, ruleIds: readonly string[], props: FintechChecksProps = {}): FintechFinding[] {
  return validate(app, props).findings.filter(f => ruleIds.includes(f.ruleId) || f.ruleId === 'Fintech-RuleFailed');
}

/** Unacknowledged findings of one rule. */
export function violationsOf(checks: FintechChecks, ruleId: string): FintechFinding[] {
  return checks.findings.filter(f => f.ruleId === ruleId && f.acknowledgedReason === undefined);
}

/** One plugin report of CDK's `policy-validation-report.json`. */
export interface WrittenPluginReport {
  readonly summary: { readonly pluginName: string; readonly status: string; readonly metadata?: Record<string, string> };
  readonly violations: ReadonlyArray<{
    readonly ruleName: string;
    readonly severity?: string;
    readonly description: string;
    readonly violatingConstructs: ReadonlyArray<{ readonly constructPath?: string; readonly templatePath: string }>;
  }>;
}

/** Registers the pack on `scope`, synthesizes, and returns the report CDK wrote (undefined when CDK left it out). */
export function synthWithPlugin(app: App, checks: FintechChecks, scope: IConstruct = app): WrittenPluginReport | undefined {
  Validations.of(scope).addPlugins(checks);
  const assembly = quietSynth(app);
  const file = path.join(assembly.directory, 'policy-validation-report.json');
  if (!fs.existsSync(file)) return undefined;
  const written = JSON.parse(fs.readFileSync(file, 'utf-8')) as { pluginReports: WrittenPluginReport[] };
  return written.pluginReports.find(r => r.summary.pluginName === checks.name);
}

/**
 * Raw templates loaded together, as one validation loads the stacks of a stage (one `TemplatePeers`, so imports find
 * exports), in the order given: each as `/tmp/<name>.template.json`, judged as an ephemeral root stage.
 */
export function templatesTogether(templates: Record<string, unknown>): Record<string, StackTemplate> {
  const peers = new TemplatePeers();
  return Object.fromEntries(Object.entries(templates).map(([name, template]) => [name,
    new StackTemplate({ templatePath: `/tmp/${name}.template.json`, template, stageName: '', durable: false, elements: new Map(), peers })]));
}

/** An AppSync schema file holding `sdl`, in a fresh temporary directory: what `appsync.Definition.fromFile` reads. */
export function schemaFile(sdl = 'type Query { balance(accountId: ID!): Float }'): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'schema-')), 'schema.graphql');
  fs.writeFileSync(file, sdl);
  return file;
}
