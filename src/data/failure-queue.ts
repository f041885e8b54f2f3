import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEAD_LETTER_RETENTION } from './queue-retention';
import { monitorDeadLetterQueue } from '../alarms/monitor-queue';
import { DataKey } from '../encryption/data-key';
import { followStage } from '../stage/follow-stage';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { stagePathBase } from '../stage/stage-path-base';

/** Properties of a `FailureQueue`. */
export interface FailureQueueProps {
  /**
   * What fails into the queue and what to do about it, for whoever the alarm pages.
   * E.g. "Failed asynchronous invocations of the payment processor: read them, fix the cause, invoke again".
   */
  readonly description: string;

  /**
   * Key that encrypts the queue.
   *
   * @default - a new `DataKey`, created next to the queue as `<id>Key`
   */
  readonly dataKey?: DataKey;

  /**
   * Base of an explicit queue name, `<application>-<base>-<stage>`.
   *
   * @default - CloudFormation generates a unique name
   */
  readonly nameBase?: string;

  /**
   * The alarm on the first message (C09, C12).
   *
   * @default - the alarm, routed to the stack's `AlertTopic`
   */
  readonly monitoring?: FailureQueueMonitoring;
}

/** What a `FailureQueue` alarms on. */
export interface FailureQueueMonitoring {
  /**
   * Create the alarm. Turn off only where another alarm watches the queue.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Topic that receives alarm and OK notifications.
   *
   * @default - the stack's `AlertTopic`
   */
  readonly alertTopic?: sns.ITopic;
}

/**
 * Where failures land when nothing consumes them: a Lambda function's on-failure destination (failed asynchronous
 * invocations) or a stream event source's (records that failed every retry). KMS-encrypted with a customer key and
 * TLS-only like every queue here (C04), it keeps messages 14 days, the longest SQS allows, for investigation and
 * redrive; it has no dead-letter queue of its own, since nothing receives from it and so nothing can fail to; and
 * its alarm pages on the first message (C09, C12). It is an `sqs.Queue`, so it goes wherever an `IQueue` does.
 */
export class FailureQueue extends sqs.Queue {
  /** The key of the queue. */
  public readonly dataKey: DataKey;
  /** The alarm on the first message; absent when monitoring is off. */
  public readonly alarm?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: FailureQueueProps) {
    const at = `FailureQueue at ${[scope.node.path, id].filter(Boolean).join('/')}`;
    if (typeof props.description !== 'string' || props.description.trim().length === 0) {
      throw new Error(`${at}: description is empty; say what fails into the queue and what to do, e.g. 'Failed invocations of the processor: fix the cause, then invoke them again'.`);
    }
    // The key is a prop of the queue, so it is made first, next to it.
    const dataKey = props.dataKey ?? new DataKey(scope, `${id}Key`, { aliasBase: props.nameBase ? `${props.nameBase}-queue` : `${stagePathBase(scope, id)}-queue` });
    super(scope, id, {
      ...(props.nameBase ? { queueName: PhysicalName.of(scope, props.nameBase, { kind: NameKind.SQS_QUEUE }) } : {}),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: dataKey.key,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    followStage(this);
    this.dataKey = dataKey;
    const monitoring = props.monitoring ?? {};
    if (monitoring.enabled ?? true) {
      this.alarm = monitorDeadLetterQueue(this, this, {
        owner: at,
        description: props.description,
        ...(monitoring.alertTopic ? { alertTopic: monitoring.alertTopic } : {}),
      });
    }
  }
}
