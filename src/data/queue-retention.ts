import { Duration } from 'aws-cdk-lib';
import { SQS_MAX_RETENTION_DAYS } from '../facts/sqs-limits';

/** Messages that failed (dead letters, failed invocations and records) are kept as long as SQS allows, for investigation and redrive. */
export const DEAD_LETTER_RETENTION = Duration.days(SQS_MAX_RETENTION_DAYS);

/** A work queue keeps messages SQS's own default of 4 days: consumers are expected to keep up, and its DLQ keeps the rest. */
export const QUEUE_RETENTION = Duration.days(4);
