import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** Source parameter blocks of stream sources, whose failures the pipe itself must route. */
const STREAM_SOURCES = ['KinesisStreamParameters', 'DynamoDBStreamParameters'];

/**
 * C12 for EventBridge Pipes reading a Kinesis or DynamoDB stream (`SourceParameters.KinesisStreamParameters` /
 * `DynamoDBStreamParameters`): the pipe has a dead-letter queue (`DeadLetterConfig.Arn`) and bounded retries
 * (`MaximumRetryAttempts` or `MaximumRecordAgeInSeconds` other than -1, the infinite default). Must not judge: SQS sources
 * (the queue's own redrive policy is their dead-letter queue, judged by `Fintech-C12-QueueWithoutDeadLetterQueue`),
 * Kafka and MQ sources, and intrinsic parameters.
 */
export class PipeStreamFailures implements FintechRule {
  /** Metadata of `Fintech-C12-PipeWithoutDeadLetterQueue`. */
  public static readonly DEAD_LETTER: RuleInfo = {
    id: 'Fintech-C12-PipeWithoutDeadLetterQueue',
    catalogId: 'C12',
    title: 'Pipes reading a stream have a dead-letter queue',
    description: 'A pipe that cannot deliver a batch from a Kinesis or DynamoDB stream either blocks the shard until the records expire or, with bounded retries, skips them without a trace; a dead-letter queue records what was skipped so it can be replayed. Judged on Kinesis and DynamoDB stream sources. Not judged: SQS sources (the queue\'s redrive policy is their dead-letter queue), Kafka and MQ sources, intrinsic parameters.',
    fix: 'Set deadLetterConfig: { arn: queue.queueArn } (an encrypted queue the pipe role may send to) in the stream source parameters of the CfnPipe.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Metadata of `Fintech-C12-PipeUnboundedRetries`. */
  public static readonly UNBOUNDED_RETRIES: RuleInfo = {
    id: 'Fintech-C12-PipeUnboundedRetries',
    catalogId: 'C12',
    title: 'Pipes reading a stream bound their retries',
    description: 'With MaximumRetryAttempts and MaximumRecordAgeInSeconds at their default of -1 a pipe retries a failing batch until its ' +
      'records expire from the stream (24 hours up to a year), and every later record of that shard waits behind it. ' +
      'Judged on Kinesis and DynamoDB stream sources (their SourceParameters). ' +
      'Not judged: SQS sources (the queue\'s redrive policy bounds their retries), Kafka and MQ sources, intrinsic parameters (an intrinsic ' +
      'MaximumRetryAttempts or MaximumRecordAgeInSeconds is taken as bounded).',
    fix: 'Set maximumRetryAttempts (e.g. 3) or maximumRecordAgeInSeconds in the stream source parameters of the CfnPipe, with a dead-letter queue.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'PipeStreamFailures';
  public readonly infos = [PipeStreamFailures.DEAD_LETTER, PipeStreamFailures.UNBOUNDED_RETRIES];
  public readonly resourceTypes = ['AWS::Pipes::Pipe'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const parameters = resource.properties?.SourceParameters;
    if (!TemplateValue.isObject(parameters) || TemplateValue.isIntrinsic(parameters)) return [];
    const findings: RuleFinding[] = [];
    for (const block of STREAM_SOURCES) {
      const source = parameters[block];
      if (!TemplateValue.isObject(source) || TemplateValue.isIntrinsic(source)) continue;
      const location = `Properties/SourceParameters/${block}`;
      const deadLetter = source.DeadLetterConfig;
      if (lacksArn(deadLetter)) {
        findings.push(findingOn(resource, PipeStreamFailures.DEAD_LETTER.id,
          `${resource.type} ${resource.logicalId} reads a stream (${block}) without DeadLetterConfig Arn, so records it gives up on leave no trace.`,
          [`${location}/DeadLetterConfig`]));
      }
      if (isUnbounded(source.MaximumRetryAttempts) && isUnbounded(source.MaximumRecordAgeInSeconds)) {
        findings.push(findingOn(resource, PipeStreamFailures.UNBOUNDED_RETRIES.id,
          `${resource.type} ${resource.logicalId} reads a stream (${block}) with MaximumRetryAttempts and MaximumRecordAgeInSeconds unset or -1, so one failing batch blocks its shard until the records expire.`,
          [`${location}/MaximumRetryAttempts`]));
      }
    }
    return findings;
  }
}

/** A dead-letter config that is absent or a literal object without Arn; an intrinsic is unknown. */
function lacksArn(config: unknown): boolean {
  return config === undefined || (TemplateValue.isObject(config) && !TemplateValue.isIntrinsic(config) && config.Arn === undefined);
}

/** Unset or -1 (infinite); an intrinsic or any other number is bounded or unknown. */
function isUnbounded(value: unknown): boolean {
  return value === undefined || value === -1 || value === '-1';
}
