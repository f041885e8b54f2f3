/**
 * AWS managed policies that allow no KMS action, so a role holding them still needs its own grant to use a customer key.
 * Read from each policy's document in the AWS Managed Policy Reference Guide (checked 2026-12). A role with any other
 * managed policy (AdministratorAccess, PowerUserAccess, a customer managed policy the templates do not define) may be
 * allowed KMS there, so the pack does not judge its key access.
 */
export const KMS_FREE_MANAGED_POLICIES: readonly string[] = [
  // Lambda execution roles: logs, network interfaces in a VPC, and the pollers of event sources.
  'service-role/AWSLambdaBasicExecutionRole',
  'service-role/AWSLambdaVPCAccessExecutionRole',
  'service-role/AWSLambdaSQSQueueExecutionRole',
  'service-role/AWSLambdaKinesisExecutionRole',
  'service-role/AWSLambdaDynamoDBExecutionRole',
  'service-role/AWSLambdaMSKExecutionRole',
  'CloudWatchLambdaInsightsExecutionRolePolicy',
  'AWSXRayDaemonWriteAccess',
  // The AWS SAM transform's tracing policy for functions and state machines: X-Ray segments, telemetry and sampling only.
  'AWSXrayWriteOnlyAccess',
  // ECS task execution roles: image pulls and log streams.
  'service-role/AmazonECSTaskExecutionRolePolicy',
];
