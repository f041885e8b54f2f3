import { isCustomResourceProvider } from '../custom-resource-providers';
import { resolveAcrossStacks } from '../events/deliveries';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** A state machine definition parsed from the template, with its intrinsic pieces kept aside as placeholders. */
interface ParsedDefinition {
  /** The Amazon States Language document. */
  readonly document: { readonly [key: string]: unknown };
  /** The intrinsic each `@@intrinsic:<n>@@` placeholder stands for. */
  readonly intrinsics: readonly unknown[];
  /** `DefinitionSubstitutions`, applied to `${name}` in strings. */
  readonly substitutions: { readonly [name: string]: unknown };
  /** Template location of the definition. */
  readonly location: string;
}

/** One Task state, by its path through Parallel branches and Map processors. */
interface TaskState {
  readonly path: string;
  readonly state: { readonly [key: string]: unknown };
}

const PLACEHOLDER = /@@intrinsic:(\d+)@@/g;
const SUBSTITUTION = /\$\{([^}]+)\}/g;
const LAMBDA_TYPES = new Set(['AWS::Lambda::Function', 'AWS::Lambda::Alias', 'AWS::Lambda::Version']);

/**
 * C13: Task states of a state machine call Lambda through the `arn:aws:states:::lambda:invoke` integration, not by
 * the function's bare ARN, and every Task state retries. The definition is read from `Definition`, or from
 * `DefinitionString` as a literal or an `Fn::Join` of literals and intrinsics (the intrinsic pieces are opaque
 * placeholders), with `DefinitionSubstitutions` applied; Parallel branches and Map processors are walked. A
 * definition that cannot be parsed (an S3 location, another intrinsic) reports nothing.
 */
export class StateMachineTasks implements FintechRule {
  /** Metadata of `Fintech-C13-LambdaTaskByBareArn`. */
  public static readonly BARE_ARN: RuleInfo = {
    id: 'Fintech-C13-LambdaTaskByBareArn',
    catalogId: 'C13',
    title: 'Step Functions call Lambda through the lambda:invoke integration',
    description: 'A Task whose Resource is the function\'s own ARN uses the legacy integration: no payload or qualifier control and no invocation metadata, and the Lambda service exception retries AWS recommends come only from a Retry written by hand (tasks.LambdaInvoke adds them, also with payloadResponseOnly; a definition written as JSON often has none), so transient Lambda errors fail payment workflows. ' +
      'Not judged: the waiter state machine of a custom-resources Provider (isComplete) or of an integ-tests-alpha assertion (waitForAssertions), CDK\'s deploy-time code, whose retries its `queryInterval` and `totalTimeout` (`interval` and `totalTimeout`) set.',
    fix: 'Use InvokeFunctionTask, or tasks.LambdaInvoke without payloadResponseOnly (Resource arn:aws:states:::lambda:invoke with FunctionName in Parameters).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Metadata of `Fintech-C13-TaskWithoutRetry`. */
  public static readonly WITHOUT_RETRY: RuleInfo = {
    id: 'Fintech-C13-TaskWithoutRetry',
    catalogId: 'C13',
    title: 'Every Step Functions Task state retries',
    description: 'A Task without Retry fails the whole execution on the first throttle, timeout or service exception, so one transient error leaves a payment half processed. ' +
      'Not judged: the waiter state machine of a custom-resources Provider (isComplete) or of an integ-tests-alpha assertion (waitForAssertions), CDK\'s deploy-time code, whose retries its `queryInterval` and `totalTimeout` (`interval` and `totalTimeout`) set.',
    fix: 'Use InvokeFunctionTask, or call addRetry({ errors: [...], interval, maxAttempts, backoffRate }) on the task (tasks.LambdaInvoke retries Lambda service exceptions by default).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'StateMachineTasks';
  public readonly infos = [StateMachineTasks.BARE_ARN, StateMachineTasks.WITHOUT_RETRY];
  public readonly resourceTypes = ['AWS::StepFunctions::StateMachine'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    // A custom-resources Provider's waiter runs CDK's framework functions at deploy time, by their ARNs and with the
    // retries CDK chose for it (`totalTimeout`, `queryInterval`).
    if (isCustomResourceProvider(resource)) return [];
    const definition = parseDefinition(resource);
    if (!definition) return [];
    const tasks = taskStates(definition.document);
    const bare = tasks.filter(task => callsLambdaByArn(resource, definition, task.state.Resource));
    const withoutRetry = tasks.filter(task => task.state.Retry === undefined || (Array.isArray(task.state.Retry) && task.state.Retry.length === 0));
    const names = (list: readonly TaskState[]) => `${list.length === 1 ? 'Task state' : 'Task states'} ${list.map(task => `"${task.path}"`).join(', ')}`;
    const findings: RuleFinding[] = [];
    if (bare.length > 0) {
      findings.push(findingOn(resource, StateMachineTasks.BARE_ARN.id,
        `${resource.type} ${resource.logicalId} has ${names(bare)} that ${bare.length === 1 ? 'calls' : 'call'} a Lambda function by its bare ARN instead of arn:aws:states:::lambda:invoke.`,
        [definition.location]));
    }
    if (withoutRetry.length > 0) {
      findings.push(findingOn(resource, StateMachineTasks.WITHOUT_RETRY.id,
        `${resource.type} ${resource.logicalId} has ${names(withoutRetry)} without Retry, so one transient error fails the whole execution.`,
        [definition.location]));
    }
    return findings;
  }
}

/**
 * The values naming the functions a state machine's Task states invoke asynchronously (a literal name or ARN, or an
 * intrinsic): `InvocationType` `Event` in the `Parameters` (JSONPath) or `Arguments` (JSONata) of a Task on
 * `arn:aws:states:::lambda:invoke`. A task that waits for a task token, a function name taken from the input
 * (`FunctionName.$`) or built of several pieces, and a definition that cannot be read name nothing.
 */
export function asyncLambdaTasks(resource: TemplateResource): unknown[] {
  if (isCustomResourceProvider(resource)) return [];
  const definition = parseDefinition(resource);
  if (!definition) return [];
  return taskStates(definition.document).flatMap(({ state }) => {
    const resourceArn = typeof state.Resource === 'string' ? expand(state.Resource, definition) : [];
    const text = resourceArn.map(part => (typeof part === 'string' ? part : TemplateValue.refTarget(part) === 'AWS::Partition' ? 'aws' : '*')).join('');
    if (!/^arn:aws[a-z-]*:states:::lambda:invoke$/.test(text)) return [];
    const parameters = TemplateValue.literalObject(state.Parameters) ?? TemplateValue.literalObject(state.Arguments);
    if (parameters?.InvocationType !== 'Event' || typeof parameters.FunctionName !== 'string') return [];
    const name = expand(parameters.FunctionName, definition);
    if (name.length !== 1) return [];
    return name;
  });
}

/** The definition as a document, or undefined when it cannot be read; parsed once per state machine and validation. */
function parseDefinition(resource: TemplateResource): ParsedDefinition | undefined {
  return resource.stack.memo(`stepfunctions.definition.${resource.logicalId}`, () => readDefinition(resource));
}

function readDefinition(resource: TemplateResource): ParsedDefinition | undefined {
  const properties = resource.properties;
  if (!properties) return undefined;
  const substitutions = TemplateValue.literalObject(properties.DefinitionSubstitutions) ?? {};
  const literal = TemplateValue.literalObject(properties.Definition);
  if (literal) return { document: literal, intrinsics: [], substitutions, location: 'Properties/Definition' };
  // A literal, or Fn::Join (CDK's own) and Fn::Sub (raw and included templates) alike: literal pieces and the intrinsics in between.
  const parsed = TemplateValue.parseJson(properties.DefinitionString, resource.stack);
  const document = parsed && TemplateValue.literalObject(parsed.document);
  return document ? { document, intrinsics: parsed.intrinsics, substitutions, location: 'Properties/DefinitionString' } : undefined;
}

/** Every Task state, through Parallel branches and Map item processors (and the older Iterator). */
function taskStates(document: { readonly [key: string]: unknown }, prefix = ''): TaskState[] {
  const states = TemplateValue.literalObject(document.States);
  if (!states) return [];
  const tasks: TaskState[] = [];
  for (const [name, value] of Object.entries(states)) {
    const state = TemplateValue.literalObject(value);
    if (!state) continue;
    const path = `${prefix}${name}`;
    if (state.Type === 'Task') tasks.push({ path, state });
    if (state.Type === 'Parallel' && Array.isArray(state.Branches)) {
      state.Branches.forEach((branch, i) => {
        const literal = TemplateValue.literalObject(branch);
        if (literal) tasks.push(...taskStates(literal, `${path}/branch ${i}/`));
      });
    }
    if (state.Type === 'Map') {
      const processor = TemplateValue.literalObject(state.ItemProcessor) ?? TemplateValue.literalObject(state.Iterator);
      if (processor) tasks.push(...taskStates(processor, `${path}/`));
    }
  }
  return tasks;
}

/** Whether a Task's Resource is a Lambda function's own ARN, literal or a reference to a function, alias or version. */
function callsLambdaByArn(resource: TemplateResource, definition: ParsedDefinition, value: unknown): boolean {
  // A `Definition` object may hold intrinsics (a GetAtt of the function) where a string would be.
  const parts = typeof value === 'string' ? expand(value, definition) : TemplateValue.isIntrinsic(value) ? [value] : [];
  if (parts.length === 0) return false;
  if (parts.length === 1 && typeof parts[0] !== 'string') {
    const { target } = resolveAcrossStacks(resource.stack, parts[0]);
    return target.kind === 'resource' && LAMBDA_TYPES.has(target.resource.type);
  }
  const text = parts.map(part => (typeof part === 'string' ? part : '*')).join('');
  return /^arn:[^:]*:lambda:[^:]*:[^:]*:function:/.test(text);
}

/** A string of the definition as literal text and intrinsic parts, with placeholders and substitutions put back. */
function expand(value: string, definition: ParsedDefinition): unknown[] {
  const parts: unknown[] = [];
  const pattern = new RegExp(`${PLACEHOLDER.source}|${SUBSTITUTION.source}`, 'g');
  let last = 0;
  for (let match = pattern.exec(value); match; match = pattern.exec(value)) {
    parts.push(value.slice(last, match.index));
    const replacement = match[1] !== undefined ? definition.intrinsics[Number(match[1])] : definition.substitutions[match[2]];
    // An unknown substitution stays literal text, as Step Functions would leave it.
    parts.push(replacement === undefined ? match[0] : replacement);
    last = match.index + match[0].length;
  }
  parts.push(value.slice(last));
  return parts.filter(part => part !== '');
}
