import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, NestedStack, Stack, Stage, Tags, Validations } from 'aws-cdk-lib';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import { Construct } from 'constructs';
import { quietSynth, testApp, validate } from './rule-harness';
import { FintechChecks, FintechChecksProps, FintechFinding } from '../../src/rules/fintech-checks';
import { RULE_FAILED } from '../../src/rules/rule-engine';

/**
 * One rule's code in two versions, judged in every shape a CDK app gives a template: the rule must reach the same verdict
 * whether the code sits in a stack, a nested stack, a stage inside a stage, or comes back as a raw CloudFormation template
 * through `CfnInclude`.
 */
export interface ShapeCase {
  /** The rule judged. */
  readonly ruleId: string;
  /** What the case shows, e.g. 'a queue without a TLS-only policy'. */
  readonly title: string;
  /** Code the rule must report, built into `scope` (a `Stack` or a `NestedStack` in environment `ENV`). */
  readonly fail: (scope: Construct) => void;
  /**
   * Where the failing code must be reported: the ids given to the constructs, as their logical ids start (an L1 directly in
   * the stack keeps its id; an L2's resource gets CDK's 8-character hash after it). Every one must be reported, and nothing else.
   */
  readonly at: readonly string[];
  /** The same code done right: the rule reports nothing on it, in any shape. */
  readonly pass: (scope: Construct) => void;
  /**
   * Judge the code as a durable stage (`staging`, `prod`) rather than an ephemeral one.
   *
   * @default false
   */
  readonly durable?: boolean;
  /**
   * For failing code `CfnInclude` itself refuses to include (a dependency cycle, a missing reference): the error it throws,
   * asserted in the included shapes instead of the rule's verdict there.
   *
   * @default - CfnInclude includes the failing code and the rule judges it like the other shapes
   */
  readonly includeRefuses?: RegExp;
  /**
   * Other settings of the pack, e.g. `requiredTagKeys`, or `stage` for rules that judge names against the stage name (every
   * shape is then judged as that stage; `durable` makes it durable).
   */
  readonly props?: Omit<FintechChecksProps, 'durableStages'>;
}

/**
 * The shapes every case is judged in; `stack` is the reference the others must agree with. `two stacks` is `stack` with
 * what the case puts in `shared(scope)` in a second top-level stack of the app. In `stage in a stage` the pack
 * is registered on the app and run by CDK's synth; in the others it is handed the synthesized templates directly. The
 * two included shapes are the `stack` and `nested stack` shapes' templates included back, raw, with `CfnInclude`.
 */
export const SHAPES = ['stack', 'nested stack', 'two stacks', 'stage in a stage', 'included template', 'included nested stack'] as const;
export type Shape = typeof SHAPES[number];
/** The shapes whose templates `CfnInclude` reads back. */
export const INCLUDED: readonly Shape[] = ['included template', 'included nested stack'];

/** The environment of every stack the cases are built in. */
export const ENV = { account: '123456789012', region: 'eu-west-1' };

// In the two-stacks shape, the sibling stack each case's stack shares resources with.
const SIBLINGS = new WeakMap<Stack, Stack>();

/**
 * Where a case puts a resource it shares with its code, to be judged across stacks: the parent stack in the nested-stack
 * shape (references go through the nested stack's parameters and outputs), a sibling top-level stack in the two-stacks
 * shape (references go through exports), scope's own stack in the others.
 */
export function shared(scope: Construct): Stack {
  let stack = Stack.of(scope);
  while (stack.nestedStackParent) stack = stack.nestedStackParent;
  return SIBLINGS.get(stack) ?? stack;
}

/** The tags every case's app carries, so that only `Fintech-C01-RequiredTags` cases judge tags. */
export const TAGS: Readonly<Record<string, string>> = { Environment: 'shapes', Team: 'platform', CostCenter: 'cc-0000', Application: 'shapes' };

/** Tags `scope` with `TAGS`. */
function tagShape(scope: Construct): void {
  for (const [key, value] of Object.entries(TAGS)) Tags.of(scope).add(key, value);
}

/**
 * The stack, nested stack or stage-in-stage stack the case's code goes into; the app is tagged with `TAGS`, and so is the
 * inner stage (aspects stop at a stage's boundary).
 */
function stackApp(shape: 'stack' | 'nested stack' | 'two stacks' | 'stage in a stage'): { app: App; scope: Construct; durableStage: string } {
  const app = testApp();
  tagShape(app);
  if (shape === 'stage in a stage') {
    const cell = new Stage(new Stage(app, 'Region'), 'Cell');
    tagShape(cell);
    return { app, scope: new Stack(cell, 'Shop', { env: ENV }), durableStage: 'Cell' };
  }
  const stack = new Stack(app, 'Shop', { env: ENV });
  if (shape === 'two stacks') SIBLINGS.set(stack, new Stack(app, 'Shared', { env: ENV }));
  return { app, scope: shape === 'nested stack' ? new NestedStack(stack, 'Inner') : stack, durableStage: '' };
}

/**
 * The case's code as the plain-stack or nested-stack shape synthesizes it, then included with `CfnInclude` into a fresh
 * app's stack, the nested stack's template with `loadNestedStacks` (the bootstrap-version parameter and rule CDK adds to
 * every top-level stack left out, since the including stack adds its own).
 */
function includedApp(shape: 'stack' | 'nested stack', code: (scope: Construct) => void): App {
  const { app: source, scope } = stackApp(shape);
  code(scope);
  const assembly = source.synth();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rule-shapes-'));
  const write = (file: string, template: { [section: string]: { [name: string]: unknown } | undefined }) => {
    for (const [section, name] of [['Parameters', 'BootstrapVersion'], ['Rules', 'CheckBootstrapVersion']]) {
      delete template[section]?.[name];
      if (template[section] && Object.keys(template[section]!).length === 0) delete template[section];
    }
    fs.writeFileSync(path.join(dir, file), JSON.stringify(template));
    return path.join(dir, file);
  };
  const parent = JSON.parse(JSON.stringify(assembly.getStackByName('Shop').template));
  const templateFile = write('included.template.json', parent);
  const app = testApp();
  // The including stack carries the tags as stack tags only: an aspect would overwrite the included resources' own Tags.
  if (shape === 'stack') {
    new cfninc.CfnInclude(new Stack(app, 'Shop', { env: ENV, tags: TAGS }), 'Legacy', { templateFile });
    return app;
  }
  const nested = scope as NestedStack;
  const stackId = Object.keys(parent.Resources).find(id => parent.Resources[id].Type === 'AWS::CloudFormation::Stack')!;
  const nestedFile = write('included-nested.template.json', JSON.parse(fs.readFileSync(path.join(assembly.directory, nested.templateFile), 'utf-8')));
  const include = new cfninc.CfnInclude(new Stack(app, 'Shop', { env: ENV, tags: TAGS }), 'Legacy', { templateFile, loadNestedStacks: { [stackId]: { templateFile: nestedFile } } });
  // CfnInclude drops the Tags of a nested stack's resource (aws/aws-cdk#21043): give them back to that resource alone.
  for (const { Key, Value } of parent.Resources[stackId].Properties?.Tags ?? []) include.getNestedStack(stackId).stack.tags.setTag(Key, Value);
  return app;
}

/** Findings of `ruleId` (and any `Fintech-RuleFailed`) on the code built in one shape, judged durable or ephemeral. */
export function findingsInShape(shape: Shape, c: ShapeCase, code: (scope: Construct) => void): FintechFinding[] {
  let app: App;
  let durableStage = '';
  if (shape === 'included template' || shape === 'included nested stack') {
    app = includedApp(shape === 'included template' ? 'stack' : 'nested stack', code);
  } else {
    const built = stackApp(shape);
    code(built.scope);
    app = built.app;
    durableStage = built.durableStage;
  }
  const props = { ...c.props, durableStages: c.durable ? [c.props?.stage ?? durableStage] : [] };
  let findings: readonly FintechFinding[];
  if (shape === 'stage in a stage') {
    // Registered on the app as a plugin: CDK hands it the templates of the stages inside the app, as in a real synth.
    const checks = new FintechChecks(app, props);
    Validations.of(app).addPlugins(checks);
    quietSynth(app);
    findings = checks.findings;
  } else {
    findings = validate(app, props).findings;
  }
  return findings.filter(f => f.ruleId === c.ruleId || f.ruleId === RULE_FAILED.id);
}

/** A finding as `<severity> <ruleId> <logicalId>`: what must not change from one shape to another. */
export function verdict(f: FintechFinding): string {
  return `${f.severity} ${f.ruleId} ${f.logicalId}`;
}

/** Whether a logical id is the one CDK gives the construct `id` (itself for an L1 directly in a stack, else with a hash). */
export function isLogicalIdOf(logicalId: string, id: string): boolean {
  return new RegExp(`^${id}([0-9A-F]{8})?$`).test(logicalId);
}
