/** The longest an SQS queue keeps a message (SQS developer guide, quotas, checked 2026-11). */
export const SQS_MAX_RETENTION_DAYS = 14;
