import { deliveriesOf } from '../events/deliveries';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';
import { functionNamed, functionOf } from './function-references';

/** How the functions of one validation's templates are invoked asynchronously and where their failures go. */
interface AsyncIndex {
  /** Function -> the resources that invoke it asynchronously (rules, subscriptions, buckets, alarms, invoke configs). */
  readonly invokedBy: ReadonlyMap<TemplateResource, readonly TemplateResource[]>;
  /** Functions with an `EventInvokeConfig` whose `DestinationConfig.OnFailure` names a destination. */
  readonly withFailureDestination: ReadonlySet<TemplateResource>;
  /**
   * Templates with an `EventInvokeConfig` naming a function that cannot be resolved, so any of their functions might have
   * one: nothing is reported on them.
   */
  readonly unknownConfigs: ReadonlySet<StackTemplate>;
}

/**
 * C12: a Lambda function invoked asynchronously (an EventBridge rule target, an EventBridge Scheduler schedule, a pipe
 * with InvocationType FIRE_AND_FORGET, an SNS subscription, an S3 notification, a CloudWatch alarm action, or any function
 * with an `AWS::Lambda::EventInvokeConfig`) sends events that fail every
 * retry somewhere: an on-failure destination or a dead-letter queue. Targets are resolved through aliases and versions,
 * and across the stacks of the validation: a rule of one stack targeting a function of another (through an export, or a
 * nested stack's output), a nested stack's subscription to a function its parent passes in.
 */
export class AsyncFailureDestination implements FintechRule {
  /** Metadata of `Fintech-C12-AsyncFunctionWithoutFailureDestination`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C12-AsyncFunctionWithoutFailureDestination',
    catalogId: 'C12',
    title: 'Asynchronously invoked functions keep the events they fail on',
    description: 'Lambda retries an asynchronous event twice and then discards it unless an on-failure destination or dead-letter queue is ' +
      'configured, so a payment event that hits a bug or a throttled dependency is lost. ' +
      'Judged on functions that an EventBridge rule target, EventBridge Scheduler schedule, pipe with InvocationType FIRE_AND_FORGET, SNS ' +
      'subscription, S3 notification, CloudWatch alarm action or AWS::Lambda::EventInvokeConfig names, in any stack of the app. ' +
      'Not judged: functions invoked synchronously (a pipe\'s default REQUEST_RESPONSE included), or asynchronously only by services the rule ' +
      'does not look for (IoT rules, SES receipt rules, custom resources); an intrinsic DeadLetterConfig or OnFailure (taken as set); ' +
      'every function of a template while one of its invoke configs names a function synth cannot resolve.',
    fix: 'Set onFailure: new destinations.SqsDestination(queue) on the lambda.Function (or deadLetterQueue), with an encrypted SecureQueue as the target.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'AsyncFailureDestination';
  public readonly infos = [AsyncFailureDestination.INFO];
  public readonly resourceTypes = ['AWS::Lambda::Function'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const { peers } = resource.stack;
    const index = peers.memo('AsyncFailureDestination.index', () => indexAsyncInvocations(peers.templates));
    const invokers = index.invokedBy.get(resource);
    if (!invokers || index.unknownConfigs.has(resource.stack) || index.withFailureDestination.has(resource)) return [];
    if (!resource.properties || namesTarget(resource.properties.DeadLetterConfig, 'TargetArn')) return [];
    const by = invokers.map(invoker => `${invoker.type} ${invoker.logicalId}`).join(', ');
    return [findingOn(resource, AsyncFailureDestination.INFO.id,
      `${resource.type} ${resource.logicalId} is invoked asynchronously (by ${by}) but has no on-failure destination ` +
      '(AWS::Lambda::EventInvokeConfig DestinationConfig.OnFailure) nor DeadLetterConfig, so an event that fails every retry is discarded.',
      ['Properties/DeadLetterConfig'])];
  }
}

function indexAsyncInvocations(templates: readonly StackTemplate[]): AsyncIndex {
  const invokedBy = new Map<TemplateResource, TemplateResource[]>();
  const withFailureDestination = new Set<TemplateResource>();
  const unknownConfigs = new Set<StackTemplate>();
  const invoke = (fn: TemplateResource, invoker: TemplateResource) => {
    const list = invokedBy.get(fn);
    if (!list) invokedBy.set(fn, [invoker]); else if (!list.includes(invoker)) list.push(invoker);
  };
  for (const stack of templates) {
    for (const delivery of deliveriesOf(stack)) {
      const fn = delivery.deadLetter ? undefined : functionOf(delivery.target);
      if (fn) invoke(fn, delivery.producer);
    }
    // EventBridge Scheduler invokes a Lambda target asynchronously; a pipe does when its target is FIRE_AND_FORGET.
    for (const schedule of stack.resourcesOfType('AWS::Scheduler::Schedule')) {
      const fn = functionOf(functionNamed(stack, TemplateValue.literalObject(schedule.properties?.Target)?.Arn));
      if (fn) invoke(fn, schedule);
    }
    for (const pipe of stack.resourcesOfType('AWS::Pipes::Pipe')) {
      const lambda = TemplateValue.literalObject(TemplateValue.literalObject(pipe.properties?.TargetParameters)?.LambdaFunctionParameters);
      const fn = lambda?.InvocationType === 'FIRE_AND_FORGET' ? functionOf(functionNamed(stack, pipe.properties?.Target)) : undefined;
      if (fn) invoke(fn, pipe);
    }
    for (const config of stack.resourcesOfType('AWS::Lambda::EventInvokeConfig')) {
      const reference = functionNamed(stack, config.properties?.FunctionName);
      const fn = functionOf(reference);
      if (fn === undefined) {
        if (!config.properties || reference.kind === 'unknown') unknownConfigs.add(stack);
        continue;
      }
      invoke(fn, config);
      const destinations = config.properties?.DestinationConfig;
      const literal = TemplateValue.literalObject(destinations);
      if (namesTarget(destinations, 'OnFailure') && (!literal || namesTarget(literal.OnFailure, 'Destination'))) withFailureDestination.add(fn);
    }
  }
  return { invokedBy, withFailureDestination, unknownConfigs };
}

/** Whether a settings object names a target under `key`; an intrinsic in its place might, so it counts (unknown reports nothing). */
function namesTarget(settings: unknown, key: string): boolean {
  if (settings === undefined) return false;
  const literal = TemplateValue.literalObject(settings);
  return !literal || literal[key] !== undefined;
}
