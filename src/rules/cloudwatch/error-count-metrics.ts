/**
 * CloudWatch metrics that count failures, for which a useful alarm is a rate (failures divided by requests,
 * invocations or executions of the same resource) rather than an absolute count that grows with traffic.
 * Names are case-sensitive, as in CloudWatch; the namespace is not checked, since custom metrics often reuse them.
 * Names from the AWS service metric references (Lambda, API Gateway REST and HTTP, ALB, Step Functions,
 * EventBridge, DynamoDB, X-Ray/Application Signals).
 */
export const ERROR_COUNT_METRIC_NAMES: ReadonlySet<string> = new Set([
  // AWS/Lambda: Errors / Invocations.
  'Errors',
  // AWS/ApiGateway REST: 5XXError, 4XXError / Count; HTTP APIs: 5xx, 4xx / Count.
  '5XXError',
  '4XXError',
  '5xx',
  '4xx',
  // AWS/ApplicationELB: HTTPCode_*_Count / RequestCount.
  'HTTPCode_Target_5XX_Count',
  'HTTPCode_Target_4XX_Count',
  'HTTPCode_ELB_5XX_Count',
  'HTTPCode_ELB_4XX_Count',
  // AWS/States: ExecutionsFailed / ExecutionsStarted.
  'ExecutionsFailed',
  // Application Signals and X-Ray groups: Faults / requests.
  'Faults',
  // AWS/Events: FailedInvocations / Invocations.
  'FailedInvocations',
  // AWS/DynamoDB: ThrottledRequests / requests of the operation.
  'ThrottledRequests',
]);

/** Statistics that make an alarm on such a metric an absolute count. */
export const COUNT_STATISTICS: ReadonlySet<string> = new Set(['Sum', 'SampleCount']);
