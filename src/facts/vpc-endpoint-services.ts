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
  /** IAM action prefixes (`sqs` of `sqs:SendMessage`) whose API calls this endpoint carries, every action of them. */
  readonly iamPrefixes: readonly string[];
  /**
   * Single IAM actions (`prefix:name`, lower case) this endpoint carries, for a service whose API is split over several
   * endpoints (SageMaker's runtime, feature store and control plane): only the listed actions are known to go here, and
   * a wildcard action of such a prefix (`sagemaker:Invoke*`) names no one endpoint.
   */
  readonly iamActions?: readonly string[];
  /**
   * IAM prefixes (`s3`), or single actions (`prefix:name`, lower case), of the services this one calls with its caller's
   * own permissions (forward access sessions): a role granted this service may hold those grants for the service to use,
   * outside the caller's network. Athena reads the Glue catalog and S3, the RDS Data API reads the database secret,
   * Textract reads S3 documents, Polly's synthesis tasks write to S3 and publish to SNS, Bedrock's agent runtime invokes
   * models and applies guardrails.
   */
  readonly forwardsTo?: readonly string[];
}

// The IAM actions of Bedrock's model runtime API (bedrock-runtime), as the Service Authorization Reference names them.
const BEDROCK_RUNTIME_ACTIONS = ['applyguardrail', 'counttokens', 'getasyncinvoke', 'invokemodel', 'invokemodelwithresponsestream', 'listasyncinvokes']
  .map(name => `bedrock:${name}`);

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
  // The Data API runs SQL on Aurora over HTTPS and reads the database secret with the caller's permissions.
  { name: 'rds-data', type: 'Interface', iamPrefixes: ['rds-data'], forwardsTo: ['secretsmanager'] },
  // The RDS control plane; DocumentDB and Neptune management calls use rds: actions too. `rds-db:connect` is not a call.
  { name: 'rds', type: 'Interface', iamPrefixes: ['rds'] },
  { name: 'athena', type: 'Interface', iamPrefixes: ['athena'], forwardsTo: ['glue', 's3'] },
  { name: 'textract', type: 'Interface', iamPrefixes: ['textract'], forwardsTo: ['s3'] },
  { name: 'comprehend', type: 'Interface', iamPrefixes: ['comprehend'] },
  // Polly's speech synthesis tasks write the audio to S3 and notify SNS with the caller's permissions.
  { name: 'polly', type: 'Interface', iamPrefixes: ['polly'], forwardsTo: ['s3', 'sns'] },
  { name: 'verifiedpermissions', type: 'Interface', iamPrefixes: ['verifiedpermissions'] },
  // AppConfig's data plane, which the AppConfig Lambda extension calls from inside the function's network.
  { name: 'appconfigdata', type: 'Interface', iamPrefixes: [], iamActions: ['appconfig:startconfigurationsession', 'appconfig:getlatestconfiguration'] },
  // SageMaker serves models, feature records and its control plane on separate endpoints under one IAM prefix.
  { name: 'sagemaker.runtime', type: 'Interface', iamPrefixes: [], iamActions: ['sagemaker:invokeendpoint', 'sagemaker:invokeendpointasync', 'sagemaker:invokeendpointwithresponsestream'] },
  { name: 'sagemaker.featurestore-runtime', type: 'Interface', iamPrefixes: [], iamActions: ['sagemaker:getrecord', 'sagemaker:putrecord', 'sagemaker:deleterecord', 'sagemaker:batchgetrecord'] },
  // Amazon Bedrock's model runtime: Converse and StartAsyncInvoke are authorized as bedrock:InvokeModel (Bedrock user guide,
  // "Identity-based policy examples", read 2026-12); the control plane (bedrock) and agent building (bedrock-agent) are apart.
  { name: 'bedrock-runtime', type: 'Interface', iamPrefixes: [], iamActions: BEDROCK_RUNTIME_ACTIONS },
  // Bedrock's agent runtime: agents, flows, knowledge bases and their sessions. Retrieve-and-generate, inline agents and
  // reranking invoke the model and apply its guardrail with the caller's own permissions, so a role granted these may
  // hold bedrock:InvokeModel for Bedrock to use: the model runtime is not asked of it then.
  {
    name: 'bedrock-agent-runtime',
    type: 'Interface',
    iamPrefixes: [],
    iamActions: ['createinvocation', 'createsession', 'deleteagentmemory', 'deletesession', 'endsession', 'generatequery', 'getagentmemory',
      'getexecutionflowsnapshot', 'getflowexecution', 'getinvocationstep', 'getsession', 'invokeagent', 'invokeflow', 'invokeinlineagent',
      'listflowexecutionevents', 'listflowexecutions', 'listinvocations', 'listinvocationsteps', 'listsessions', 'optimizeprompt',
      'putinvocationstep', 'rerank', 'retrieve', 'retrieveandgenerate', 'startflowexecution', 'stopflowexecution', 'updatesession'].map(name => `bedrock:${name}`),
    forwardsTo: BEDROCK_RUNTIME_ACTIONS,
  },
  // AWS Payment Cryptography's data plane: card data, PIN and MAC operations (the control plane, which manages keys, is apart).
  {
    name: 'payment-cryptography.dataplane',
    type: 'Interface',
    iamPrefixes: [],
    iamActions: ['decryptdata', 'encryptdata', 'generateas2805kekvalidation', 'generatecardvalidationdata', 'generatemac', 'generatemacemvpinchange',
      'generatepindata', 'reencryptdata', 'translatekeymaterial', 'translatepindata', 'verifyauthrequestcryptogram', 'verifycardvalidationdata',
      'verifymac', 'verifypindata'].map(name => `payment-cryptography:${name}`),
  },
];

/**
 * Action prefixes a Lambda function's role holds for the Lambda service to use on the function's behalf, outside
 * the function's network: Lambda creates the function's network interfaces (`ec2`), delivers its logs (`logs`) and
 * forwards the traces of active tracing (`xray`); `rds-db:connect` signs an IAM database token locally, and the database
 * connection itself stays in the VPC. None of them needs an endpoint for the function's own code to work.
 */
export const LAMBDA_SERVICE_SIDE_PREFIXES: readonly string[] = ['ec2', 'logs', 'xray', 'rds-db'];

// The endpoints by IAM prefix and by single action, built once: rules ask for every action of every role.
const BY_PREFIX = new Map(ENDPOINT_SERVICES.flatMap(service => service.iamPrefixes.map(prefix => [prefix, service] as const)));
const BY_ACTION = new Map(ENDPOINT_SERVICES.flatMap(service => (service.iamActions ?? []).map(action => [action, service] as const)));
// IAM prefixes whose actions are split over several endpoints.
const SPLIT_PREFIXES = new Set([...BY_ACTION.keys()].map(action => action.split(':')[0]));


/**
 * The endpoint that carries calls of an IAM action (`sqs:SendMessage`, `sagemaker:InvokeEndpoint`), whatever its case;
 * undefined when none of `ENDPOINT_SERVICES` does, or when the action has a wildcard and its service's API is split over
 * several endpoints, so that it names no one of them.
 */
export function endpointForIamAction(action: string): EndpointService | undefined {
  const lower = action.toLowerCase();
  const colon = lower.indexOf(':');
  if (colon < 0) return undefined;
  const exact = BY_ACTION.get(lower);
  if (exact) return exact;
  const prefix = lower.slice(0, colon);
  if (SPLIT_PREFIXES.has(prefix) && /[*?]/.test(lower)) return undefined;
  return BY_PREFIX.get(prefix);
}

/**
 * The IAM prefixes and single actions (lower case) whose grants a role may hold for the services it is granted to call on
 * its behalf (`forwardsTo`).
 */
export function forwardedGrants(services: Iterable<EndpointService>): ReadonlySet<string> {
  const prefixes = new Set<string>();
  for (const service of services) for (const prefix of service.forwardsTo ?? []) prefixes.add(prefix);
  return prefixes;
}

/** Whether a grant of `action` may be one a called service uses with the role itself: its prefix or the action is forwarded. */
export function isForwarded(forwarded: ReadonlySet<string>, action: string): boolean {
  const lower = action.toLowerCase();
  return forwarded.has(lower.split(':')[0]) || forwarded.has(lower);
}
