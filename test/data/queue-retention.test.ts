import { DEAD_LETTER_RETENTION, QUEUE_RETENTION } from '../../src/data/queue-retention';
import { SQS_MAX_RETENTION_DAYS } from '../../src/facts/sqs-limits';

describe('queue retention', () => {
  test('failed messages are kept as long as SQS allows', () => {
    expect(DEAD_LETTER_RETENTION.toDays()).toBe(14);
    expect(DEAD_LETTER_RETENTION.toDays()).toBe(SQS_MAX_RETENTION_DAYS);
  });

  test('work queues keep SQS\'s default of 4 days, shorter than their dead letters', () => {
    expect(QUEUE_RETENTION.toDays()).toBe(4);
    expect(QUEUE_RETENTION.toSeconds()).toBeLessThan(DEAD_LETTER_RETENTION.toSeconds());
  });
});
