/**
 * CloudWatch namespaces whose metrics describe one resource (a function, a queue, an API stage...): without
 * dimensions such a metric is the sum or average over every resource of the service in the account and region.
 */
export const PER_RESOURCE_NAMESPACES: ReadonlySet<string> = new Set([
  'AWS/Lambda',
  'AWS/SQS',
  'AWS/ApiGateway',
  'AWS/ApplicationELB',
  'AWS/States',
  'AWS/DynamoDB',
  'AWS/ECS',
  'AWS/SNS',
  'AWS/Kinesis',
  'AWS/RDS',
]);

/**
 * Metrics of those namespaces that are meant to be read for the whole account and region, without dimensions:
 * concurrency against the account quota, and DynamoDB's account limits. Sources: AWS Lambda Developer Guide
 * "Types of metrics for Lambda functions" (concurrency metrics), Amazon DynamoDB Developer Guide "DynamoDB
 * Metrics and dimensions"; checked 2026-11.
 */
export const ACCOUNT_LEVEL_METRICS: { readonly [namespace: string]: ReadonlySet<string> | undefined } = {
  'AWS/Lambda': new Set(['ConcurrentExecutions', 'UnreservedConcurrentExecutions', 'ClaimedAccountConcurrency']),
  'AWS/DynamoDB': new Set([
    'AccountMaxReads',
    'AccountMaxWrites',
    'AccountMaxTableLevelReads',
    'AccountMaxTableLevelWrites',
    'AccountProvisionedReadCapacityUtilization',
    'AccountProvisionedWriteCapacityUtilization',
    'MaxProvisionedTableReadCapacityUtilization',
    'MaxProvisionedTableWriteCapacityUtilization',
    'UserErrors',
  ]),
};
