import { Duration, Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DataKey, KeyConsumer } from './data-key';
import { monitorQueue } from '../monitoring/monitor-queue';
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

// A DLQ keeps failed messages for the longest time SQS allows, for investigation and redrive.
const DLQ_RETENTION = Duration.days(14);
// AWS: set the source queue's visibility timeout to at least six times the function timeout.
const VISIBILITY_PER_CONSUMER_TIMEOUT = 6;

/**
 * An SQS queue that is KMS-encrypted with a customer key, TLS-only and always backed by an
 * encrypted dead-letter queue (C04, C12). Lambda consumers added with `addConsumer` report batch
 * item failures, and a visibility timeout too short for a consumer fails synth. Alarms on a
 * non-empty DLQ and on the oldest message's age go to the stack's `AlertTopic` (C08, C09).
 */
export class SecureQueue extends Construct {
  /** The queue. */
  public readonly queue: sqs.Queue;
  /** Its dead-letter queue. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The key of both queues. */
  public readonly dataKey: DataKey;
  /** Receives before a message moves to the DLQ. */
  public readonly maxReceiveCount: number;
  /** Its alarms: DLQ not empty, then oldest message age; empty when monitoring is off. */
  public readonly alarms: cloudwatch.Alarm[];

  private readonly visibilityTimeout: Duration;

  constructor(scope: Construct, id: string, props: SecureQueueProps = {}) {
    super(scope, id);
    this.maxReceiveCount = props.maxReceiveCount ?? 3;
    const count = this.maxReceiveCount;
    if (!Token.isUnresolved(count) && (!Number.isInteger(count) || count < 1 || count > 1000)) {
      throw new Error(`SecureQueue at ${this.node.path}: maxReceiveCount ${this.maxReceiveCount} must be a whole number from 1 to 1000; use the default 3 unless consumers retry on their own.`);
    }
    this.visibilityTimeout = props.visibilityTimeout ?? Duration.seconds(30);
    this.dataKey = props.dataKey ?? new DataKey(this, 'Key', { aliasBase: props.nameBase ? `${props.nameBase}-queue` : `${stagePathBase(this)}-queue` });
    const retentionPeriod = props.retentionPeriod ?? Duration.days(4);
    const name = (base: string) => (props.nameBase ? { queueName: PhysicalName.of(this, base, { kind: NameKind.SQS_QUEUE }) } : {});

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      ...name(`${props.nameBase}-dlq`),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.dataKey.key,
      enforceSSL: true,
      retentionPeriod: DLQ_RETENTION,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      ...name(`${props.nameBase}`),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.dataKey.key,
      enforceSSL: true,
      visibilityTimeout: this.visibilityTimeout,
      retentionPeriod,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: this.maxReceiveCount },
    });
    const monitoring = props.monitoring ?? {};
    if (monitoring.enabled ?? true) {
      const target = { queue: this.queue, deadLetterQueue: this.deadLetterQueue, retentionPeriod, maxReceiveCount: count };
      const { deadLetters, oldestMessage } = monitorQueue(this, target, {
        owner: `SecureQueue at ${this.node.path}`,
        ...(monitoring.maxMessageAge ? { maxMessageAge: monitoring.maxMessageAge } : {}),
        ...(monitoring.alertTopic ? { alertTopic: monitoring.alertTopic } : {}),
      });
      this.alarms = [deadLetters, oldestMessage];
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
    if (this.visibilityTimeout.toSeconds() < needed) {
      throw new Error(`SecureQueue at ${this.node.path}: visibilityTimeout ${this.visibilityTimeout.toSeconds()} s is shorter than ${VISIBILITY_PER_CONSUMER_TIMEOUT} x the timeout of consumer ${fn.node.path} (${timeout.toSeconds()} s), so messages would be delivered twice while still in work. Set visibilityTimeout: Duration.seconds(${needed}) or shorten the function timeout.`);
    }
    fn.addEventSource(new SqsEventSource(this.queue, {
      batchSize: options.batchSize ?? 10,
      ...(options.maxBatchingWindow ? { maxBatchingWindow: options.maxBatchingWindow } : {}),
      reportBatchItemFailures: true,
    }));
  }

  /** Lets a service such as SNS or EventBridge deliver to this queue through its key (C05). */
  public allowProducer(consumer: KeyConsumer, sourceArn?: string): void {
    this.dataKey.allowService(consumer, sourceArn ? { sourceArn } : {});
  }
}
