import { resolveAcrossStacks } from '../events/deliveries';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/**
 * C12: a Lambda event source mapping that reads an SQS queue reports batch item failures, so one bad message
 * is retried (and dead-lettered) alone instead of failing, and re-delivering, the whole batch. The source is SQS
 * when `EventSourceArn` resolves to an `AWS::SQS::Queue` of the template or of another stack of the validation (a parent
 * passing it to a nested stack's parameter, an export), or is an SQS ARN; an intrinsic
 * `FunctionResponseTypes` is unknown, and a mapping with `BatchSize` 1 has no batch to split.
 */
export class EventSourceBatchFailures implements FintechRule {
  /** Metadata of `Fintech-C12-QueueBatchWithoutPartialFailures`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C12-QueueBatchWithoutPartialFailures',
    catalogId: 'C12',
    title: 'SQS event sources report batch item failures',
    description: 'Without ReportBatchItemFailures one failing message fails its whole batch: the messages that succeeded are processed again ' +
      '(double payments unless every handler is idempotent) and all of them move towards the dead-letter queue together. ' +
      'Judged on Lambda event source mappings whose EventSourceArn is an SQS queue of the app ' +
      '(nested stacks and exports followed) or an SQS ARN. ' +
      'Not judged: Kinesis, DynamoDB, Kafka and MQ sources (Fintech-C12-StreamSourceWithoutBatchSplitting judges streams), EventBridge Pipes, ' +
      'sources synth cannot tell (a parameter, a condition, an import no stack of the app exports), mappings with BatchSize 1 ' +
      '(a batch of one message fails or succeeds as a whole), intrinsic FunctionResponseTypes.',
    fix: 'Use SecureQueue.addConsumer, or set reportBatchItemFailures: true on the SqsEventSource and return batchItemFailures from the handler.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'EventSourceBatchFailures';
  public readonly infos = [EventSourceBatchFailures.INFO];
  public readonly resourceTypes = ['AWS::Lambda::EventSourceMapping'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties || !readsSqs(resource, properties.EventSourceArn)) return [];
    // A batch of one message fails or succeeds as a whole: there is nothing to report per item.
    if (TemplateValue.integerOf(properties.BatchSize) === 1) return [];
    const types = properties.FunctionResponseTypes;
    if (types !== undefined && !Array.isArray(types)) return [];
    if ((types ?? []).some(type => type === 'ReportBatchItemFailures' || (typeof type !== 'string'))) return [];
    return [findingOn(resource, EventSourceBatchFailures.INFO.id,
      `${resource.type} ${resource.logicalId} reads an SQS queue without FunctionResponseTypes ["ReportBatchItemFailures"], ` +
      'so one failing message fails and re-delivers its whole batch.',
      ['Properties/FunctionResponseTypes'])];
  }
}

/** Whether the source is known to be an SQS queue (of this template, or of a parent stack that passes it in). */
function readsSqs(resource: TemplateResource, arn: unknown): boolean {
  const { target, value: source } = resolveAcrossStacks(resource.stack, arn);
  if (target.kind === 'resource') return target.resource.type === 'AWS::SQS::Queue';
  if (typeof source === 'string') return /^arn:[^:]+:sqs:/.test(source);
  // An ARN joined from literals and pseudo parameters, e.g. arn:${AWS::Partition}:sqs:...
  const join = TemplateValue.isObject(source) ? source['Fn::Join'] : undefined;
  if (Array.isArray(join) && Array.isArray(join[1])) return join[1].some((piece: unknown) => typeof piece === 'string' && /:sqs:/.test(`${join[0]}${piece}${join[0]}`));
  const sub = TemplateValue.isObject(source) ? source['Fn::Sub'] : undefined;
  const text = Array.isArray(sub) ? sub[0] : sub;
  return typeof text === 'string' && /^arn:[^:]+:sqs:/.test(text.replace(/\$\{[^}]*\}/g, '*'));
}
