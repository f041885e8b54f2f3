import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { hygienicAlarm } from './hygienic-alarm';
import { ALARM_PERIOD, DLQ_DEPTH_THRESHOLD, DLQ_PERIOD, OLDEST_MESSAGE_AGE, OLDEST_MESSAGE_AGE_FRACTION_OF_RETENTION, SINGLE_PERIOD } from './monitoring-defaults';

/** What `monitorQueue` needs to know about the queue; internal. */
export interface QueueMonitoringTarget {
  /** The queue consumers read. */
  readonly queue: sqs.IQueue;
  /** Its dead-letter queue. */
  readonly deadLetterQueue: sqs.IQueue;
  /** How long the queue keeps messages; the age threshold stays below it. */
  readonly retentionPeriod: Duration;
  /** Receives before a message moves to the DLQ, for the alarm description. */
  readonly maxReceiveCount: number;
}

/** Options of `monitorQueue`; internal. */
export interface QueueMonitoringOptions {
  /** @default - OLDEST_MESSAGE_AGE (15 minutes), or half the retention period when that is shorter */
  readonly maxMessageAge?: Duration;
  /** @default - the stack's AlertTopic */
  readonly alertTopic?: sns.ITopic;
  /** Who asks, for error messages. @default - 'Queue monitoring at <path of scope>' */
  readonly owner?: string;
}

/** The alarms of a queue. */
export interface QueueAlarms {
  /** The dead-letter queue holds messages (C09, C12). */
  readonly deadLetters: cloudwatch.Alarm;
  /** The oldest message waits longer than the threshold: consumers are down or behind. */
  readonly oldestMessage: cloudwatch.Alarm;
}

/** Options of `monitorDeadLetterQueue`; internal. */
export interface DeadLetterQueueMonitoringOptions {
  /** What lands in the queue and what to do about it, for whoever is paged. */
  readonly description: string;
  /** @default - the stack's AlertTopic */
  readonly alertTopic?: sns.ITopic;
  /** Who asks, for error messages. */
  readonly owner: string;
  /** @default - named by CloudFormation */
  readonly alarmName?: string;
}

/**
 * The alarm every dead-letter queue needs (C09, C12): any visible message, sampled each minute, pages
 * at once. Shared by `SecureQueue`, `SecureEventRule` and any construct that owns a dead-letter queue.
 * Created in `scope` as `DeadLettersAlarm`.
 */
export function monitorDeadLetterQueue(scope: Construct, deadLetterQueue: sqs.IQueue, options: DeadLetterQueueMonitoringOptions): cloudwatch.Alarm {
  return hygienicAlarm(scope, 'DeadLettersAlarm', {
    owner: options.owner,
    metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period: DLQ_PERIOD }),
    threshold: DLQ_DEPTH_THRESHOLD,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: SINGLE_PERIOD,
    datapointsToAlarm: SINGLE_PERIOD,
    description: options.description,
    ...(options.alertTopic ? { alertTopic: options.alertTopic } : {}),
    ...(options.alarmName ? { alarmName: options.alarmName } : {}),
  });
}

/** The age at which the oldest message pages: the default, or half the retention when that is shorter. */
export function oldestMessageThreshold(retentionPeriod: Duration): Duration {
  const half = Duration.seconds(Math.floor(retentionPeriod.toSeconds() * OLDEST_MESSAGE_AGE_FRACTION_OF_RETENTION));
  return half.toSeconds() < OLDEST_MESSAGE_AGE.toSeconds() ? half : OLDEST_MESSAGE_AGE;
}

/**
 * Alarms on a queue and its DLQ: any message in the DLQ, and the oldest message of the queue older
 * than the threshold (C09). Alarms are created in `scope`, routed like every library alarm (C08).
 */
export function monitorQueue(scope: Construct, target: QueueMonitoringTarget, options: QueueMonitoringOptions = {}): QueueAlarms {
  const owner = options.owner ?? `Queue monitoring at ${scope.node.path}`;
  const maxAge = options.maxMessageAge ?? oldestMessageThreshold(target.retentionPeriod);
  if (maxAge.toSeconds() < 60 || maxAge.toSeconds() >= target.retentionPeriod.toSeconds()) {
    throw new Error(`${owner}: monitoring.maxMessageAge ${maxAge.toHumanString()} must be at least 1 minute and shorter than the retention period ` +
      `(${target.retentionPeriod.toHumanString()}), or messages expire before the alarm fires; lower it or omit it for ${OLDEST_MESSAGE_AGE.toHumanString()}.`);
  }
  const topic = options.alertTopic ? { alertTopic: options.alertTopic } : {};
  const deadLetters = monitorDeadLetterQueue(scope, target.deadLetterQueue, {
    owner,
    description: `Dead-letter queue of ${scope.node.path} holds messages that failed ${target.maxReceiveCount} receives. ` +
      'Read them and the consumer logs, fix the cause, then redrive them to the queue.',
    ...topic,
  });
  const oldestMessage = hygienicAlarm(scope, 'OldestMessageAlarm', {
    owner,
    metric: target.queue.metricApproximateAgeOfOldestMessage({ statistic: cloudwatch.Stats.MAXIMUM, period: ALARM_PERIOD }),
    threshold: maxAge.toSeconds(),
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
    evaluationPeriods: SINGLE_PERIOD,
    datapointsToAlarm: SINGLE_PERIOD,
    description: `Oldest message of ${scope.node.path} has waited more than ${maxAge.toHumanString()}: its consumers are failing, throttled or too slow. ` +
      `Messages expire after ${target.retentionPeriod.toHumanString()}.`,
    ...topic,
  });
  return { deadLetters, oldestMessage };
}
