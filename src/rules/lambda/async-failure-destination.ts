import { ResolvedReference, deliveriesOf, resolveAcrossStacks } from '../events/deliveries';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { asyncLambdaTasks } from '../stepfunctions/state-machine-tasks';
import { TemplateValue } from '../template-value';
import { functionNamed, functionOf } from './function-references';
import { functionInvocationsOf } from './service-invocations';

/**
 * What an asynchronous invocation or an invoke config's `Qualifier` names: the unpublished `$LATEST`, an alias or version
 * of the templates, a literal alias name or version number, or a qualifier synth cannot tell (`unknown`).
 */
type Qualifier = '$LATEST' | 'unknown' | TemplateResource | { readonly literal: string };

/** One asynchronous invoker of a function and the qualifier it invokes. */
interface AsyncInvocation {
  readonly invoker: TemplateResource;
  readonly qualifier: Qualifier;
}

/** How the functions of one validation's templates are invoked asynchronously and where their failures go. */
interface AsyncIndex {
  /** Function -> the resources that invoke it asynchronously (rules, subscriptions, buckets, alarms, invoke configs). */
  readonly invokedBy: ReadonlyMap<TemplateResource, readonly AsyncInvocation[]>;
  /** Function -> the qualifiers whose `EventInvokeConfig` `DestinationConfig.OnFailure` names a destination. */
  readonly failureDestinations: ReadonlyMap<TemplateResource, readonly Qualifier[]>;
  /**
   * Templates with an `EventInvokeConfig` naming a function that cannot be resolved, so any of their functions might have
   * one: nothing is reported on them.
   */
  readonly unknownConfigs: ReadonlySet<StackTemplate>;
}

/**
 * C12: a Lambda function invoked asynchronously (an EventBridge rule target, an EventBridge Scheduler schedule, a pipe
 * with InvocationType FIRE_AND_FORGET, a Step Functions Task with InvocationType Event, an SES receipt rule's or IoT
 * topic rule's Lambda action, a CloudWatch Logs subscription filter, a REST API integration with
 * `X-Amz-Invocation-Type: 'Event'`, an SNS subscription, an S3 notification, a CloudWatch alarm action, or any function
 * with an `AWS::Lambda::EventInvokeConfig`) sends events that fail every
 * retry somewhere: an on-failure destination or a dead-letter queue. Targets are resolved through aliases and versions,
 * and across the stacks of the validation: a rule of one stack targeting a function of another (through an export, or a
 * nested stack's output), a nested stack's subscription to a function its parent passes in. An invoke config applies
 * to the qualifier it names alone, so an on-failure destination covers the invokers of that qualifier: the function's
 * own (`$LATEST`) not those of an alias, and the reverse.
 */
export class AsyncFailureDestination implements FintechRule {
  /** Metadata of `Fintech-C12-AsyncFunctionWithoutFailureDestination`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C12-AsyncFunctionWithoutFailureDestination',
    catalogId: 'C12',
    title: 'Asynchronously invoked functions keep the events they fail on',
    description: 'Lambda retries an asynchronous event twice and then discards it unless an on-failure destination or dead-letter queue is ' +
      'configured, so a payment event that hits a bug or a throttled dependency is lost. ' +
      'Judged on functions that an EventBridge rule target, EventBridge Scheduler schedule, pipe with InvocationType FIRE_AND_FORGET, ' +
      'Step Functions Task with InvocationType Event (arn:aws:states:::lambda:invoke, in Parameters or JSONata Arguments), SES receipt rule ' +
      'Lambda action (InvocationType Event, its default), IoT topic rule Lambda action (or error action), CloudWatch Logs subscription filter, ' +
      'REST API method whose AWS (non-proxy) integration sets X-Amz-Invocation-Type to \'Event\', SNS ' +
      'subscription, S3 notification, CloudWatch alarm action or AWS::Lambda::EventInvokeConfig names, in any stack of the app. ' +
      'An invoke config applies to the qualifier it names alone, so its on-failure destination counts for the invokers of that qualifier: ' +
      'one on the function ($LATEST) leaves a rule that targets an alias without one, and one on an alias leaves invokers of the function itself. ' +
      'Not judged: functions invoked synchronously (a pipe\'s default REQUEST_RESPONSE and a Task\'s included), Tasks that wait for a task token ' +
      '(the execution sees a failure as a timeout) or take the function name from their input, integrations that map the invocation type from the request, or asynchronously only by services the rule ' +
      'does not look for (custom resources, CodeCommit triggers, AWS Config custom rules); an intrinsic DeadLetterConfig or OnFailure (taken as set); ' +
      'every function of a template while one of its invoke configs names a function synth cannot resolve; ' +
      'qualifiers synth cannot match (an intrinsic qualifier, a target ARN built by a join or sub, which may append :<alias>, or written as a literal, ' +
      'a literal version number against a version resource), ' +
      'which any destination of the function covers; the invoker of an invoke config alone, which any destination of the function covers.',
    fix: 'Set onFailure: new destinations.SqsDestination(queue) on the lambda.Function, or on the lambda.Alias or Version its invokers target ' +
      '(or deadLetterQueue on the function), with an encrypted SecureQueue as the target.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'AsyncFailureDestination';
  public readonly infos = [AsyncFailureDestination.INFO];
  public readonly resourceTypes = ['AWS::Lambda::Function'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const { peers } = resource.stack;
    const index = peers.memo('AsyncFailureDestination.index', () => indexAsyncInvocations(peers.templates));
    const invocations = index.invokedBy.get(resource);
    if (!invocations || index.unknownConfigs.has(resource.stack)) return [];
    if (!resource.properties || namesTarget(resource.properties.DeadLetterConfig, 'TargetArn')) return [];
    const destinations = index.failureDestinations.get(resource) ?? [];
    const uncovered = invocations.filter(({ qualifier }) => !destinations.some(destination => covers(destination, qualifier)));
    if (uncovered.length === 0) return [];
    const by = uncovered.map(({ invoker, qualifier }) => `${invoker.type} ${invoker.logicalId}${through(qualifier, destinations.length > 0)}`).join(', ');
    const problem = destinations.length === 0
      ? 'has no on-failure destination (AWS::Lambda::EventInvokeConfig DestinationConfig.OnFailure) nor DeadLetterConfig'
      : `its on-failure destination is only on ${destinations.map(describe).join(', ')} (Lambda applies an invoke config to the qualifier it names alone) ` +
        'and it has no DeadLetterConfig';
    return [findingOn(resource, AsyncFailureDestination.INFO.id,
      `${resource.type} ${resource.logicalId} is invoked asynchronously (by ${by}) but ${problem}, so an event that fails every retry is discarded.`,
      ['Properties/DeadLetterConfig'])];
  }
}

function indexAsyncInvocations(templates: readonly StackTemplate[]): AsyncIndex {
  const invokedBy = new Map<TemplateResource, AsyncInvocation[]>();
  const failureDestinations = new Map<TemplateResource, Qualifier[]>();
  const unknownConfigs = new Set<StackTemplate>();
  const invoke = (stack: StackTemplate, value: unknown, reference: ResolvedReference, invoker: TemplateResource,
    qualifier = invokedQualifier(stack, value, reference)) => {
    const fn = functionOf(reference);
    if (!fn) return;
    const list = invokedBy.get(fn);
    if (!list) invokedBy.set(fn, [{ invoker, qualifier }]);
    else if (!list.some(invocation => invocation.invoker === invoker && invocation.qualifier === qualifier)) list.push({ invoker, qualifier });
  };
  for (const stack of templates) {
    for (const delivery of deliveriesOf(stack)) {
      if (!delivery.deadLetter) invoke(stack, delivery.value, delivery.target, delivery.producer);
    }
    // EventBridge Scheduler invokes a Lambda target asynchronously; a pipe does when its target is FIRE_AND_FORGET.
    for (const schedule of stack.resourcesOfType('AWS::Scheduler::Schedule')) {
      const arn = TemplateValue.literalObject(schedule.properties?.Target)?.Arn;
      invoke(stack, arn, functionNamed(stack, arn), schedule);
    }
    for (const pipe of stack.resourcesOfType('AWS::Pipes::Pipe')) {
      const lambda = TemplateValue.literalObject(TemplateValue.literalObject(pipe.properties?.TargetParameters)?.LambdaFunctionParameters);
      if (lambda?.InvocationType === 'FIRE_AND_FORGET') invoke(stack, pipe.properties?.Target, functionNamed(stack, pipe.properties?.Target), pipe);
    }
    // A Step Functions Task invokes with InvocationType Event when it does not wait for the function's result.
    for (const machine of stack.resourcesOfType('AWS::StepFunctions::StateMachine')) {
      for (const name of asyncLambdaTasks(machine)) invoke(stack, name, functionNamed(stack, name), machine);
    }
    // A REST API's AWS (non-proxy) integration that sets the X-Amz-Invocation-Type header to 'Event' answers before the function runs.
    for (const method of stack.resourcesOfType('AWS::ApiGateway::Method')) {
      const integration = TemplateValue.literalObject(method.properties?.Integration);
      if (integration?.Type !== 'AWS' || !invokesAsEvent(integration.RequestParameters)) continue;
      // The function's ARN in the URI is followed by `/invocations`, or by `:<qualifier>/invocations`, which counts as unknown.
      const parts = TemplateValue.stringParts(integration.Uri) ?? [];
      parts.forEach((part, i) => {
        if (typeof part === 'string') return;
        const target = resolveAcrossStacks(stack, part).target;
        invoke(stack, part, target, method, parts[i + 1] === '/invocations' ? invokedQualifier(stack, part, target) : 'unknown');
      });
    }
    // SES receipt rules (Lambda actions of InvocationType Event), IoT topic rules and CloudWatch Logs subscription filters.
    for (const invocation of functionInvocationsOf(stack)) {
      if (invocation.asynchronous) invoke(stack, invocation.value, invocation.target, invocation.producer);
    }
    for (const config of stack.resourcesOfType('AWS::Lambda::EventInvokeConfig')) {
      const reference = functionNamed(stack, config.properties?.FunctionName);
      const fn = functionOf(reference);
      if (fn === undefined) {
        if (!config.properties || reference.kind === 'unknown') unknownConfigs.add(stack);
        continue;
      }
      // A config says the function is invoked asynchronously, not through which qualifier: any destination of the function covers it.
      invoke(stack, config.properties?.FunctionName, reference, config, 'unknown');
      const destinations = config.properties?.DestinationConfig;
      const literal = TemplateValue.literalObject(destinations);
      if (namesTarget(destinations, 'OnFailure') && (!literal || namesTarget(literal.OnFailure, 'Destination'))) {
        const named = invokedQualifier(stack, config.properties?.FunctionName, reference);
        const qualifier = named === '$LATEST' || named === 'unknown' ? configQualifier(stack, config.properties?.Qualifier) : named;
        failureDestinations.set(fn, [...failureDestinations.get(fn) ?? [], qualifier]);
      }
    }
  }
  return { invokedBy, failureDestinations, unknownConfigs };
}

/** Whether an integration's request parameters set the Lambda invocation type to Event (a static, quoted value). */
function invokesAsEvent(parameters: unknown): boolean {
  const literal = TemplateValue.literalObject(parameters);
  return Object.entries(literal ?? {}).some(([name, value]) => name.toLowerCase() === 'integration.request.header.x-amz-invocation-type' && value === '\'Event\'');
}

/**
 * The qualifier an invoker reaches through the value naming the function: an alias or version it references, `$LATEST`
 * when it is a plain `Ref` or `Fn::GetAtt` of the function itself (followed across stacks), and `unknown` for anything
 * else, such as a join or sub that may append `:<alias>` to the function's ARN, or a literal ARN.
 */
function invokedQualifier(stack: StackTemplate, value: unknown, reference: ResolvedReference): Qualifier {
  if (reference.kind !== 'resource') return 'unknown';
  const { resource } = reference;
  if (resource.type === 'AWS::Lambda::Alias' || resource.type === 'AWS::Lambda::Version') return resource;
  if (resource.type !== 'AWS::Lambda::Function') return 'unknown';
  return TemplateValue.referencedId(resolveAcrossStacks(stack, value).value) === undefined ? 'unknown' : '$LATEST';
}

/**
 * An invoke config's `Qualifier`: a literal, or an intrinsic built on one alias or version of the templates (CDK writes
 * `Fn::Select` of the alias ARN's eighth field, or the version's `Version` attribute); any other intrinsic is unknown.
 */
function configQualifier(stack: StackTemplate, value: unknown): Qualifier {
  if (typeof value === 'string') return value === '$LATEST' ? '$LATEST' : { literal: value };
  const named = TemplateValue.referencesIn(value).map(reference => resolveAcrossStacks(stack, reference).target);
  const first = named[0];
  const one = first?.kind === 'resource' && (first.resource.type === 'AWS::Lambda::Alias' || first.resource.type === 'AWS::Lambda::Version')
    && named.every(target => target.kind === 'resource' && target.resource === first.resource);
  return one ? first.resource : 'unknown';
}

/** Whether a destination configured for `destination` receives the failures of invocations of `invoked`. */
function covers(destination: Qualifier, invoked: Qualifier): boolean {
  if (destination === 'unknown' || invoked === 'unknown' || destination === invoked) return true;
  if (destination === '$LATEST' || invoked === '$LATEST') return false;
  if (!('literal' in destination)) return false;
  if ('literal' in invoked) return destination.literal === invoked.literal;
  // A literal qualifier is an alias's name or a version's number; one synth cannot match against the resource may be it.
  if (invoked.type === 'AWS::Lambda::Alias') {
    const name = invoked.properties?.Name;
    return typeof name !== 'string' || name === destination.literal;
  }
  return /^\d+$/.test(destination.literal);
}

function describe(qualifier: Qualifier): string {
  if (typeof qualifier === 'string') return qualifier;
  return 'literal' in qualifier ? `qualifier ${qualifier.literal}` : `${qualifier.type} ${qualifier.logicalId}`;
}

function through(qualifier: Qualifier, elsewhere: boolean): string {
  if (qualifier === '$LATEST') return elsewhere ? ' on $LATEST' : '';
  return typeof qualifier === 'string' || 'literal' in qualifier ? '' : ` through ${qualifier.type} ${qualifier.logicalId}`;
}

/** Whether a settings object names a target under `key`; an intrinsic in its place might, so it counts (unknown reports nothing). */
function namesTarget(settings: unknown, key: string): boolean {
  if (settings === undefined) return false;
  const literal = TemplateValue.literalObject(settings);
  return !literal || literal[key] !== undefined;
}
