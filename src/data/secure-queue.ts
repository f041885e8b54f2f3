import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEAD_LETTER_RETENTION as DLQ_RETENTION, QUEUE_RETENTION } from './queue-retention';
import { monitorQueue } from '../alarms/monitor-queue';
import { DataKey, KeyConsumer } from '../encryption/data-key';
import { followStage } from '../stage/follow-stage';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { stagePathBase } from '../stage/stage-path-base';

/** Properties of a `SecureQueue`. */
export interface SecureQueueProps {
  /**
   * Key that encrypts the queue and its dead-letter queue.
   *
   * @default - a new `DataKey` for this queue
   */
  readonly dataKey?: DataKey;

  /**
   * Base of an explicit queue name, `<application>-<base>-<stage>`; the DLQ gets `<base>-dlq`.
   *
   * @default - CloudFormation generates unique names
   */
  readonly nameBase?: string;

  /**
   * How often a message is received before it moves to the dead-letter queue.
   *
   * @default 3
   */
  readonly maxReceiveCount?: number;

  /**
   * Visibility timeout. Must be at least six times the timeout of every Lambda consumer
   * (the AWS recommendation for event source mappings), which `addConsumer` checks.
   *
   * @default Duration.seconds(30)
   */
  readonly visibilityTimeout?: Duration;

  /**
   * How long messages are kept in the queue.
   *
   * @default Duration.days(4)
   */
  readonly retentionPeriod?: Duration;

  /**
   * The queue's alarms (C09): messages in the dead-letter queue, and the age of the oldest message.
   *
   * @default - both alarms, routed to the stack's `AlertTopic`
   */
  readonly monitoring?: SecureQueueMonitoring;
}

/** What a `SecureQueue` alarms on. */
export interface SecureQueueMonitoring {
  /**
   * Create the alarms. Turn off only where another alarm watches the queue.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Alarm when the oldest message has waited longer than this; at least 1 minute and shorter than the retention period.
   *
   * @default - 15 minutes, or half the retention period when that is shorter
   */
  readonly maxMessageAge?: Duration;

  /**
   * Topic that receives alarm and OK notifications.
   *
   * @default - the stack's `AlertTopic`
   */
  readonly alertTopic?: sns.ITopic;
}

/** Options of `SecureQueue.addConsumer`. */
export interface QueueConsumerOptions {
  /**
   * Messages per invocation.
   *
   * @default 10
   */
  readonly batchSize?: number;

  /**
   * How long to gather a batch.
   *
   * @default - no batching window
   */
  readonly maxBatchingWindow?: Duration;
}

// AWS: set the source queue's visibility timeout to at least six times the function timeout.
const VISIBILITY_PER_CONSUMER_TIMEOUT = 6;

/**
 * An SQS queue that is KMS-encrypted with a customer key, TLS-only and always backed by an
 * encrypted dead-letter queue (C04, C12). It is an `sqs.Queue`, so it goes wherever an `IQueue` does,
 * with the L2's grants and metrics. Lambda consumers added with `addConsumer` report batch
 * item failures, and a visibility timeout too short for a consumer fails synth. Alarms on a
 * non-empty DLQ and on the oldest message's age go to the stack's `AlertTopic` (C08, C09).
 * Its key and dead-letter queue are created next to it, as `<id>Key` and `<id>DeadLetterQueue`.
 */
export class SecureQueue extends sqs.Queue {
  /** Its dead-letter queue (also `deadLetterQueue.queue`). */
  public readonly deadLetters: sqs.Queue;
  /** The key of both queues. */
  public readonly dataKey: DataKey;
  /** Receives before a message moves to the DLQ. */
  public readonly maxReceiveCount: number;
  /** Its alarms: DLQ not empty, then oldest message age; empty when monitoring is off. */
  public readonly alarms: cloudwatch.Alarm[];

  private readonly visibilityTimeoutOfQueue: Duration;

  constructor(scope: Construct, id: string, props: SecureQueueProps = {}) {
    const at = `SecureQueue at ${[scope.node.path, id].filter(Boolean).join('/')}`;
    const maxReceiveCount = props.maxReceiveCount ?? 3;
    if (!Token.isUnresolved(maxReceiveCount) && (!Number.isInteger(maxReceiveCount) || maxReceiveCount < 1 || maxReceiveCount > 1000)) {
      throw new Error(`${at}: maxReceiveCount ${maxReceiveCount} must be a whole number from 1 to 1000; use the default 3 unless consumers retry on their own.`);
    }
    const visibilityTimeout = props.visibilityTimeout ?? Duration.seconds(30);
    // Key and dead-letter queue are props of the queue, so they are made first, next to it.
    const dataKey = props.dataKey ?? new DataKey(scope, `${id}Key`, { aliasBase: props.nameBase ? `${props.nameBase}-queue` : `${stagePathBase(scope, id)}-queue` });
    const retentionPeriod = props.retentionPeriod ?? QUEUE_RETENTION;
    const name = (base: string) => (props.nameBase ? { queueName: PhysicalName.of(scope, base, { kind: NameKind.SQS_QUEUE }) } : {});
    const deadLetters = new sqs.Queue(scope, `${id}DeadLetterQueue`, {
      ...name(`${props.nameBase}-dlq`),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: dataKey.key,
      enforceSSL: true,
      retentionPeriod: DLQ_RETENTION,
    });
    super(scope, id, {
      ...name(`${props.nameBase}`),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: dataKey.key,
      enforceSSL: true,
      visibilityTimeout,
      retentionPeriod,
      deadLetterQueue: { queue: deadLetters, maxReceiveCount },
    });
    followStage(this);
    followStage(deadLetters);
    this.maxReceiveCount = maxReceiveCount;
    this.visibilityTimeoutOfQueue = visibilityTimeout;
    this.dataKey = dataKey;
    this.deadLetters = deadLetters;
    const monitoring = props.monitoring ?? {};
    if (monitoring.enabled ?? true) {
      const target = { queue: this, deadLetterQueue: deadLetters, retentionPeriod, maxReceiveCount };
      const { deadLetters: deadLettersAlarm, oldestMessage } = monitorQueue(this, target, {
        owner: `SecureQueue at ${this.node.path}`,
        ...(monitoring.maxMessageAge ? { maxMessageAge: monitoring.maxMessageAge } : {}),
        ...(monitoring.alertTopic ? { alertTopic: monitoring.alertTopic } : {}),
      });
      this.alarms = [deadLettersAlarm, oldestMessage];
    } else {
      this.alarms = [];
    }
  }

  /**
   * Subscribes a Lambda function with partial batch failure reporting, after checking that the
   * visibility timeout leaves the function room to finish (C12).
   */
  public addConsumer(fn: lambda.Function, options: QueueConsumerOptions = {}): void {
    const timeout = fn.timeout ?? Duration.seconds(3);
    const needed = timeout.toSeconds() * VISIBILITY_PER_CONSUMER_TIMEOUT;
    if (this.visibilityTimeoutOfQueue.toSeconds() < needed) {
      throw new Error(`SecureQueue at ${this.node.path}: visibilityTimeout ${this.visibilityTimeoutOfQueue.toSeconds()} s is shorter than ${VISIBILITY_PER_CONSUMER_TIMEOUT} x the timeout of consumer ${fn.node.path} (${timeout.toSeconds()} s), so messages would be delivered twice while still in work. Set visibilityTimeout: Duration.seconds(${needed}) or shorten the function timeout.`);
    }
    fn.addEventSource(new SqsEventSource(this, {
      batchSize: options.batchSize ?? 10,
      ...(options.maxBatchingWindow ? { maxBatchingWindow: options.maxBatchingWindow } : {}),
      reportBatchItemFailures: true,
    }));
  }

  /**
   * Lets a service such as SNS or EventBridge deliver to this queue through its key (C05). Pass `sourceArn` as a name-built
   * ARN or pattern, not `rule.ruleArn` of a rule targeting this queue, which makes a dependency cycle (see `AllowServiceOptions.sourceArn`).
   */
  public allowProducer(consumer: KeyConsumer, sourceArn?: string): void {
    this.dataKey.allowService(consumer, sourceArn ? { sourceArn } : {});
  }
}
