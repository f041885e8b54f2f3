import { resolveAcrossStacks } from '../events/deliveries';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** Template types an event source mapping reads as a Kinesis or DynamoDB stream. */
const STREAM_TYPES = new Set(['AWS::Kinesis::Stream', 'AWS::Kinesis::StreamConsumer', 'AWS::DynamoDB::Table', 'AWS::DynamoDB::GlobalTable']);
const STREAM_ARN = /^arn:[^:]+:(kinesis:|dynamodb:.*\/stream\/)/;
/** Template types, and literal ARNs, an event source mapping reads as an Amazon MSK cluster. */
const KAFKA_TYPES = new Set(['AWS::MSK::Cluster', 'AWS::MSK::ServerlessCluster']);
const KAFKA_ARN = /^arn:[^:]+:kafka:/;

/**
 * C12 for Lambda reading a Kinesis or DynamoDB stream (`AWS::Lambda::EventSourceMapping` whose EventSourceArn is such a
 * stream of the template, of another stack of the validation (a parent passing it to a nested stack, an export), or a literal stream ARN): records it gives up on go to an on-failure destination
 * (`DestinationConfig.OnFailure.Destination`), retries are bounded (`MaximumRetryAttempts` or
 * `MaximumRecordAgeInSeconds` other than -1, the infinite default), and a failing record is isolated
 * (`BisectBatchOnFunctionError` or `FunctionResponseTypes` ReportBatchItemFailures). The same for a Kafka topic (an MSK
 * cluster or a self-managed cluster) read in provisioned mode (`ProvisionedPollerConfig`), where Lambda offers these
 * controls; with an on-failure destination, Lambda itself caps a Kafka mapping's infinite retries at 10, so its retries
 * are not judged then. Must not judge: SQS sources (judged by `Fintech-C12-QueueBatchWithoutPartialFailures`), MQ sources,
 * Kafka mappings in on-demand mode (no retry controls there; provisioned pollers are a cost the team decides on), sources
 * whose ARN cannot be read, intrinsic values.
 */
export class StreamEventSource implements FintechRule {
  /** Metadata of `Fintech-C12-StreamSourceWithoutOnFailure`. */
  public static readonly WITHOUT_ON_FAILURE: RuleInfo = {
    id: 'Fintech-C12-StreamSourceWithoutOnFailure',
    catalogId: 'C12',
    title: 'Stream event sources send records they give up on to an on-failure destination',
    description: 'When retries are spent or records expire, Lambda skips the failing batch of a Kinesis or DynamoDB stream; without an on-failure destination nothing records which sequence numbers were skipped, so the lost payments cannot be found or replayed. Judged on mappings whose EventSourceArn is a Kinesis or DynamoDB stream of the template (or of another stack that exports it or passes it to a nested stack) or a literal stream ARN, and on Kafka mappings (MSK or self-managed) in provisioned mode, whose retry controls skip records the same way. ' +
      'Not judged: SQS and MQ sources, Kafka mappings in on-demand mode (Lambda offers them no retry controls), sources whose ARN cannot be read.',
    fix: 'Pass onFailure: new SqsDlq(queue) (or SnsDlq / S3OnFailureDestination, or KafkaDlq for a Kafka topic) to the KinesisEventSource, DynamoEventSource or Kafka event source; SecureTable.addStreamConsumer does it with a FailureQueue.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Metadata of `Fintech-C12-StreamSourceUnboundedRetries`. */
  public static readonly UNBOUNDED_RETRIES: RuleInfo = {
    id: 'Fintech-C12-StreamSourceUnboundedRetries',
    catalogId: 'C12',
    title: 'Stream event sources bound their retries',
    description: 'With MaximumRetryAttempts and MaximumRecordAgeInSeconds at their default of -1 Lambda retries a failing batch until its ' +
      'records expire from the stream (24 hours up to a year): every later record of that shard waits behind it, and the on-failure destination ' +
      'never receives anything. A Kafka mapping in provisioned mode retries a failing batch forever, blocking its partition, unless it has an ' +
      'on-failure destination (Lambda then stops after 10 retries), so it is judged only without one. ' +
      'Judged on mappings reading a Kinesis or DynamoDB stream (of the app, or by literal ARN) and on Kafka ' +
      'mappings (MSK or self-managed) in provisioned mode. ' +
      'Not judged: SQS and MQ sources, Kafka mappings in on-demand mode (Lambda offers them no retry controls), sources whose ARN cannot be ' +
      'read, an intrinsic MaximumRetryAttempts or MaximumRecordAgeInSeconds (taken as bounded).',
    fix: 'Set retryAttempts (e.g. 3) or maxRecordAge on the KinesisEventSource or DynamoEventSource, together with onFailure; on a Kafka event source in provisioned mode set retryAttempts or onFailure.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Metadata of `Fintech-C12-StreamSourceWithoutBatchSplitting`. */
  public static readonly WITHOUT_BATCH_SPLITTING: RuleInfo = {
    id: 'Fintech-C12-StreamSourceWithoutBatchSplitting',
    catalogId: 'C12',
    title: 'Stream event sources isolate a failing record',
    description: 'Without BisectBatchOnFunctionError or ReportBatchItemFailures one bad record fails its whole batch on every ' +
      'retry, and when retries are spent the good records of the batch are skipped with it (the on-failure destination ' +
      'receives only the batch\'s position, not the records). ' +
      'Judged on mappings reading a Kinesis or DynamoDB stream (of the app, or by literal ARN) and on Kafka ' +
      'mappings (MSK or self-managed) in provisioned mode. ' +
      'Not judged: SQS sources (Fintech-C12-QueueBatchWithoutPartialFailures judges them), MQ sources, Kafka mappings in on-demand mode, sources ' +
      'whose ARN cannot be read, an intrinsic BisectBatchOnFunctionError or FunctionResponseTypes.',
    fix: 'Set bisectBatchOnError: true, or reportBatchItemFailures: true and return batchItemFailures from the handler, on the KinesisEventSource, DynamoEventSource or Kafka event source (provisioned mode).',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'StreamEventSource';
  public readonly infos = [StreamEventSource.WITHOUT_ON_FAILURE, StreamEventSource.UNBOUNDED_RETRIES, StreamEventSource.WITHOUT_BATCH_SPLITTING];
  public readonly resourceTypes = ['AWS::Lambda::EventSourceMapping'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties) return [];
    const kind = sourceKind(resource, properties);
    if (kind === undefined) return [];
    const kafka = kind === 'Kafka topic in provisioned mode';
    const findings: RuleFinding[] = [];
    const source = `${resource.type} ${resource.logicalId} reads a ${kind}`;
    const destination = onFailureDestination(properties.DestinationConfig);
    if (destination === 'missing') {
      findings.push(findingOn(resource, StreamEventSource.WITHOUT_ON_FAILURE.id,
        `${source} without DestinationConfig OnFailure, so the batches it skips leave no record.`, ['Properties/DestinationConfig']));
    }
    // With an on-failure destination, Lambda caps a Kafka mapping's infinite retries at 10 (Lambda developer guide, "Using a
    // Kafka topic as an on-failure destination", read 2026-12).
    const retriesCapped = kafka && destination !== 'missing';
    if (!retriesCapped && isUnbounded(properties.MaximumRetryAttempts) && isUnbounded(properties.MaximumRecordAgeInSeconds)) {
      findings.push(findingOn(resource, StreamEventSource.UNBOUNDED_RETRIES.id,
        `${source} with MaximumRetryAttempts and MaximumRecordAgeInSeconds unset or -1, so one failing batch blocks its ${kafka ? 'partition forever' : 'shard until the records expire'}.`,
        ['Properties/MaximumRetryAttempts', 'Properties/MaximumRecordAgeInSeconds']));
    }
    if (splitsBatches(properties) === false) {
      findings.push(findingOn(resource, StreamEventSource.WITHOUT_BATCH_SPLITTING.id,
        `${source} with neither BisectBatchOnFunctionError true nor FunctionResponseTypes ["ReportBatchItemFailures"], so one bad record fails and skips its whole batch.`,
        ['Properties/BisectBatchOnFunctionError', 'Properties/FunctionResponseTypes']));
    }
    return findings;
  }
}

/**
 * What the mapping reads, judged as a stream: a Kinesis or DynamoDB stream (a table only through its StreamArn attribute),
 * or a Kafka topic (an MSK cluster of the templates or by literal ARN, or a self-managed cluster) read with provisioned
 * pollers, where Lambda offers retry controls and on-failure destinations for Kafka. Undefined for anything else:
 * on-demand Kafka, an intrinsic poller configuration, SQS, MQ, an ARN that cannot be read.
 */
function sourceKind(resource: TemplateResource, properties: { readonly [key: string]: unknown }): string | undefined {
  const pollers = properties.ProvisionedPollerConfig;
  const provisioned = TemplateValue.isObject(pollers) && !TemplateValue.isIntrinsic(pollers);
  const kafka = 'Kafka topic in provisioned mode';
  if (properties.SelfManagedEventSource !== undefined) return provisioned ? kafka : undefined;
  const { target, value } = resolveAcrossStacks(resource.stack, properties.EventSourceArn);
  const type = target.kind === 'resource' ? target.resource.type : undefined;
  const arn = type === undefined && typeof value === 'string' ? value : undefined;
  if ((type !== undefined && KAFKA_TYPES.has(type)) || (arn !== undefined && KAFKA_ARN.test(arn))) return provisioned ? kafka : undefined;
  if (type?.startsWith('AWS::DynamoDB::')) return TemplateValue.getAtt(value)?.attribute === 'StreamArn' ? 'DynamoDB stream' : undefined;
  if (type !== undefined) return STREAM_TYPES.has(type) ? 'Kinesis stream' : undefined;
  if (arn === undefined || !STREAM_ARN.test(arn)) return undefined;
  return /:dynamodb:/.test(arn) ? 'DynamoDB stream' : 'Kinesis stream';
}

/** Whether DestinationConfig names an on-failure destination; unknown when it cannot be read. */
function onFailureDestination(config: unknown): 'present' | 'missing' | 'unknown' {
  if (config === undefined) return 'missing';
  if (!TemplateValue.isObject(config) || TemplateValue.isIntrinsic(config)) return 'unknown';
  const onFailure = config.OnFailure;
  if (onFailure === undefined) return 'missing';
  if (!TemplateValue.isObject(onFailure) || TemplateValue.isIntrinsic(onFailure)) return 'unknown';
  return onFailure.Destination === undefined ? 'missing' : 'present';
}

/** Unset or -1 (infinite); an intrinsic or any other number is bounded or unknown. */
function isUnbounded(value: unknown): boolean {
  return value === undefined || value === -1 || value === '-1';
}

/** Whether a failing record is isolated; undefined when unknown. */
function splitsBatches(properties: { readonly [key: string]: unknown }): boolean | undefined {
  const bisect = properties.BisectBatchOnFunctionError;
  if (bisect !== undefined && TemplateValue.booleanOf(bisect) === undefined) return undefined;
  if (TemplateValue.booleanOf(bisect) === true) return true;
  const types = properties.FunctionResponseTypes;
  if (types === undefined) return false;
  if (!Array.isArray(types) || types.some(type => typeof type !== 'string')) return undefined;
  return types.includes('ReportBatchItemFailures');
}
