/**
 * Concurrent executions Lambda keeps unreserved in every account and region: reserved concurrency that would leave
 * fewer is refused (Lambda developer guide, "Configuring reserved concurrency", checked 2026-11).
 */
export const LAMBDA_UNRESERVED_CONCURRENCY_MINIMUM = 100;
