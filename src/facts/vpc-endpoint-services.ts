// Facts about how code in a VPC reaches AWS services without the internet: the endpoint each service offers and the
// IAM action prefixes whose API calls go through it. Used by FintechVpc (endpoints by name), TracedFunction (a function
// in subnets without an internet route must have an endpoint for every service its role is granted) and the C17 rules.
// Sources, read 2026-12: Amazon VPC PrivateLink guide, "AWS services that integrate with AWS PrivateLink"
// (https://docs.aws.amazon.com/vpc/latest/privatelink/aws-services-privatelink-support.html) and "Gateway endpoints"
// (https://docs.aws.amazon.com/vpc/latest/privatelink/gateway-endpoints.html); the Service Authorization Reference for
// the action prefixes; aws-cdk-lib 2.257 `InterfaceVpcEndpointAwsService` short names.

/** How a VPC reaches one AWS service privately. */
export interface EndpointService {
  /** The name used in `FintechVpc` `endpoints`: the last part of the service name `com.amazonaws.<region>.<name>`. */
  readonly name: string;
  /**
   * `Gateway`: route-table entries to the service's prefix list, free (S3 and DynamoDB only).
   * `Interface`: one network interface per availability zone, billed per AZ-hour and per GB.
   */
  readonly type: 'Gateway' | 'Interface';
  /** IAM action prefixes (`sqs` of `sqs:SendMessage`) whose API calls this endpoint carries. */
  readonly iamPrefixes: readonly string[];
}

/** The endpoints `FintechVpc` knows by name, gateway ones first. */
export const ENDPOINT_SERVICES: readonly EndpointService[] = [
  { name: 's3', type: 'Gateway', iamPrefixes: ['s3'] },
  { name: 'dynamodb', type: 'Gateway', iamPrefixes: ['dynamodb'] },
  { name: 'sqs', type: 'Interface', iamPrefixes: ['sqs'] },
  { name: 'sns', type: 'Interface', iamPrefixes: ['sns'] },
  { name: 'kms', type: 'Interface', iamPrefixes: ['kms'] },
  { name: 'logs', type: 'Interface', iamPrefixes: ['logs'] },
  { name: 'xray', type: 'Interface', iamPrefixes: ['xray'] },
  { name: 'secretsmanager', type: 'Interface', iamPrefixes: ['secretsmanager'] },
  { name: 'sts', type: 'Interface', iamPrefixes: ['sts'] },
  { name: 'ssm', type: 'Interface', iamPrefixes: ['ssm'] },
  { name: 'events', type: 'Interface', iamPrefixes: ['events'] },
  { name: 'states', type: 'Interface', iamPrefixes: ['states'] },
  { name: 'lambda', type: 'Interface', iamPrefixes: ['lambda'] },
  { name: 'monitoring', type: 'Interface', iamPrefixes: ['cloudwatch'] },
  { name: 'kinesis-streams', type: 'Interface', iamPrefixes: ['kinesis'] },
  // The service name keeps Firehose's former name: com.amazonaws.<region>.kinesis-firehose.
  { name: 'kinesis-firehose', type: 'Interface', iamPrefixes: ['firehose'] },
  { name: 'execute-api', type: 'Interface', iamPrefixes: ['execute-api'] },
  { name: 'ecr.api', type: 'Interface', iamPrefixes: ['ecr'] },
  // Image layer downloads of `docker pull`; the layers themselves come from S3 (the s3 gateway endpoint).
  { name: 'ecr.dkr', type: 'Interface', iamPrefixes: [] },
];

/**
 * Action prefixes a Lambda function's role holds for the Lambda service to use on the function's behalf, outside
 * the function's network: Lambda creates the function's network interfaces (`ec2`), delivers its logs (`logs`) and
 * forwards the traces of active tracing (`xray`); `rds-db:connect` signs an IAM database token locally, and the database
 * connection itself stays in the VPC. None of them needs an endpoint for the function's own code to work.
 */
export const LAMBDA_SERVICE_SIDE_PREFIXES: readonly string[] = ['ec2', 'logs', 'xray', 'rds-db'];

/** The endpoint that carries calls of an IAM action prefix, or undefined when none of `ENDPOINT_SERVICES` does. */
export function endpointForIamPrefix(prefix: string): EndpointService | undefined {
  const lower = prefix.toLowerCase();
  return ENDPOINT_SERVICES.find(service => service.iamPrefixes.includes(lower));
}
