/** What one AWS service accepts as the physical name of one kind of resource. */
export interface NameLimit {
  /** What the name is, for messages, e.g. `SQS queue name`. */
  readonly what: string;
  /** Shortest name accepted. */
  readonly minLength: number;
  /** Longest name accepted, prefixes and suffixes (`alias/`, `.fifo`) included. */
  readonly maxLength: number;
  /** The whole name as the service accepts it, length aside (case-sensitive unless the pattern has the `i` flag). */
  readonly pattern: RegExp;
  /** `pattern` in words, for messages. */
  readonly allowed: string;
}

/**
 * Physical-name limits of the services a fintech workload uses, from each service's API reference (the Create* call
 * and the CloudFormation resource reference of the name property), transcribed 2026-12. Read by `PhysicalName`, which
 * builds names within them, and by the rule that judges literal names in templates.
 */
export const NAME_LIMITS = {
  /** SQS CreateQueue QueueName; a FIFO queue's name ends in `.fifo`, counted in the 80. */
  sqsQueue: { what: 'SQS queue name', minLength: 1, maxLength: 80, pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/, allowed: 'letters, digits, hyphens and underscores, plus .fifo at the end of a FIFO queue' },
  /** SNS CreateTopic Name; a FIFO topic's name ends in `.fifo`, counted in the 256. */
  snsTopic: { what: 'SNS topic name', minLength: 1, maxLength: 256, pattern: /^[A-Za-z0-9_-]+(\.fifo)?$/, allowed: 'letters, digits, hyphens and underscores, plus .fifo at the end of a FIFO topic' },
  /** Lambda CreateFunction FunctionName (the name alone; ARNs are not what CloudFormation takes). */
  lambdaFunction: { what: 'Lambda function name', minLength: 1, maxLength: 64, pattern: /^[A-Za-z0-9_-]+$/, allowed: 'letters, digits, hyphens and underscores' },
  /** IAM CreateRole RoleName. */
  iamRole: { what: 'IAM role name', minLength: 1, maxLength: 64, pattern: /^[A-Za-z0-9+=,.@_-]+$/, allowed: 'letters, digits and + = , . @ _ -' },
  /** IAM paths (roles, users, policies): `/` alone, or `/` + printable ASCII + `/`. */
  iamPath: { what: 'IAM path', minLength: 1, maxLength: 512, pattern: /^(\/|\/[\x21-\x7f]+\/)$/, allowed: 'a single /, or printable ASCII characters starting and ending with /' },
  /** S3 general purpose bucket naming rules: lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit. */
  s3Bucket: { what: 'S3 bucket name', minLength: 3, maxLength: 63, pattern: /^[a-z0-9](?!.*\.\.)[a-z0-9.-]*[a-z0-9]$/, allowed: 'lowercase letters, digits, dots and hyphens, starting and ending with a letter or digit, no two dots in a row' },
  /** DynamoDB CreateTable TableName. */
  dynamodbTable: { what: 'DynamoDB table name', minLength: 3, maxLength: 255, pattern: /^[A-Za-z0-9_.-]+$/, allowed: 'letters, digits and _ . -' },
  /** CloudWatch Logs CreateLogGroup logGroupName. */
  logGroup: { what: 'log group name', minLength: 1, maxLength: 512, pattern: /^[A-Za-z0-9_\-/.#]+$/, allowed: 'letters, digits and _ - / . #' },
  /** KMS CreateAlias AliasName: `alias/` and then letters, digits and `/ _ -`; `alias/aws/` is reserved for AWS managed keys. */
  kmsAlias: { what: 'KMS alias name', minLength: 7, maxLength: 256, pattern: /^alias\/(?!aws\/)[A-Za-z0-9/_-]+$/, allowed: 'alias/ followed by letters, digits and / _ - (not alias/aws/, which AWS reserves)' },
  /** Step Functions CreateStateMachine name: no white space, brackets, wildcards, the listed punctuation or control characters. */
  stateMachine: { what: 'Step Functions state machine name', minLength: 1, maxLength: 80, pattern: /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\x00-\x1f\x7f-\x9f]+$/, allowed: 'no white space, brackets, wildcards, control characters or any of " # % \\ ^ | ~ ` $ & , ; : /' },
  /** EventBridge PutRule Name. */
  eventRule: { what: 'EventBridge rule name', minLength: 1, maxLength: 64, pattern: /^[A-Za-z0-9_.-]+$/, allowed: 'letters, digits and _ . -' },
  /** CloudWatch PutMetricAlarm AlarmName: any characters but ASCII control characters. */
  cloudwatchAlarm: { what: 'CloudWatch alarm name', minLength: 1, maxLength: 255, pattern: /^[^\x00-\x1f\x7f]+$/, allowed: 'any characters but ASCII control characters' },
  /** ECS CreateCluster clusterName. */
  ecsCluster: { what: 'ECS cluster name', minLength: 1, maxLength: 255, pattern: /^[A-Za-z0-9_-]+$/, allowed: 'letters, digits, hyphens and underscores' },
  /** ECS CreateService serviceName. */
  ecsService: { what: 'ECS service name', minLength: 1, maxLength: 255, pattern: /^[A-Za-z0-9_-]+$/, allowed: 'letters, digits, hyphens and underscores' },
  /** Elastic Load Balancing CreateLoadBalancer Name: no leading or trailing hyphen, not starting with `internal-`. */
  loadBalancer: { what: 'load balancer name', minLength: 1, maxLength: 32, pattern: /^(?!internal-)[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, allowed: 'letters, digits and hyphens, no hyphen first or last, not starting with internal-' },
  /** Elastic Load Balancing CreateTargetGroup Name: no leading or trailing hyphen. */
  targetGroup: { what: 'target group name', minLength: 1, maxLength: 32, pattern: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, allowed: 'letters, digits and hyphens, no hyphen first or last' },
  /** API Gateway (REST) CreateStage stageName. */
  apiGatewayStage: { what: 'API Gateway stage name', minLength: 1, maxLength: 128, pattern: /^[A-Za-z0-9_-]+$/, allowed: 'letters, digits, hyphens and underscores' },
  /** Secrets Manager CreateSecret Name. */
  secret: { what: 'Secrets Manager secret name', minLength: 1, maxLength: 512, pattern: /^[A-Za-z0-9/_+=.@-]+$/, allowed: 'letters, digits and / _ + = . @ -' },
  /** X-Ray CreateSamplingRule RuleName. */
  xraySamplingRule: { what: 'X-Ray sampling rule name', minLength: 1, maxLength: 32, pattern: /^[A-Za-z0-9_-]+$/, allowed: 'letters, digits, hyphens and underscores' },
  /** CloudWatch Synthetics CreateCanary Name: lowercase letters, digits, `_ -`; at most 255, as aws-cdk-lib 2.257's Canary validates it. */
  syntheticsCanary: { what: 'Synthetics canary name', minLength: 1, maxLength: 255, pattern: /^[0-9a-z_-]+$/, allowed: 'lowercase letters, digits, hyphens and underscores' },
  /** IAM CreatePolicy PolicyName. */
  iamManagedPolicy: { what: 'IAM managed policy name', minLength: 1, maxLength: 128, pattern: /^[\w+=,.@-]+$/, allowed: 'letters, digits and + = , . @ _ -' },
  /** EventBridge CreateEventBus Name (a partner bus's name holds slashes). */
  eventBus: { what: 'EventBridge event bus name', minLength: 1, maxLength: 256, pattern: /^[/.\-_A-Za-z0-9]+$/, allowed: 'letters, digits and / . - _' },
  /** EventBridge CreateArchive ArchiveName. */
  eventArchive: { what: 'EventBridge archive name', minLength: 1, maxLength: 48, pattern: /^[.\-_A-Za-z0-9]+$/, allowed: 'letters, digits and . - _' },
  /** CloudWatch PutDashboard DashboardName. */
  cloudwatchDashboard: { what: 'CloudWatch dashboard name', minLength: 1, maxLength: 255, pattern: /^[A-Za-z0-9_-]+$/, allowed: 'letters, digits, hyphens and underscores' },
  /** Kinesis Data Streams CreateStream StreamName. */
  kinesisStream: { what: 'Kinesis stream name', minLength: 1, maxLength: 128, pattern: /^[A-Za-z0-9_.-]+$/, allowed: 'letters, digits and _ . -' },
  /**
   * ECR CreateRepository repositoryName: lowercase parts joined by `.`, `_` or `-`, optionally in `/`-separated namespaces.
   * The API reference's pattern allows one separator between parts; the Docker distribution grammar allows runs of them,
   * so runs are accepted here: only what both refuse is judged.
   */
  ecrRepository: {
    what: 'ECR repository name',
    minLength: 2,
    maxLength: 256,
    pattern: /^(?:[a-z0-9]+(?:[._-]+[a-z0-9]+)*\/)*[a-z0-9]+(?:[._-]+[a-z0-9]+)*$/,
    allowed: 'lowercase letters and digits, separated by . _ or - and grouped by /, none of them first or last',
  },
  /** RDS CreateDBCluster DBClusterIdentifier and CreateDBInstance DBInstanceIdentifier: a letter first, no hyphen last, no two hyphens in a row. */
  rdsIdentifier: { what: 'RDS identifier', minLength: 1, maxLength: 63, pattern: /^[A-Za-z](?!.*--)(?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, allowed: 'letters, digits and hyphens, a letter first, no hyphen last, no two hyphens in a row' },
  /** ElastiCache CreateReplicationGroup ReplicationGroupId: as RDS identifiers, at most 40. */
  elasticacheReplicationGroup: {
    what: 'ElastiCache replication group id',
    minLength: 1,
    maxLength: 40,
    pattern: /^[A-Za-z](?!.*--)(?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
    allowed: 'letters, digits and hyphens, a letter first, no hyphen last, no two hyphens in a row',
  },
  /** DAX CreateCluster ClusterName: as RDS identifiers, at most 20. */
  daxCluster: { what: 'DAX cluster name', minLength: 1, maxLength: 20, pattern: /^[A-Za-z](?!.*--)(?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, allowed: 'letters, digits and hyphens, a letter first, no hyphen last, no two hyphens in a row' },
  /** OpenSearch Service CreateDomain DomainName. */
  opensearchDomain: { what: 'OpenSearch domain name', minLength: 3, maxLength: 28, pattern: /^[a-z][a-z0-9-]+$/, allowed: 'lowercase letters, digits and hyphens, a letter first' },
  /** AWS Batch CreateJobQueue jobQueueName, CreateComputeEnvironment computeEnvironmentName, RegisterJobDefinition jobDefinitionName, CreateSchedulingPolicy name. */
  batchName: { what: 'AWS Batch name', minLength: 1, maxLength: 128, pattern: /^[A-Za-z0-9_-]+$/, allowed: 'letters, digits, hyphens and underscores' },
  /**
   * Systems Manager PutParameter Name: letters, digits and `_ . -`, in at most 15 `/`-separated levels, a hierarchical name
   * starting with `/`; no name may start with `aws` or `ssm` (case-insensitive), with or without the `/`. The service counts
   * 1011 characters with the ARN before the name (`arn:aws:ssm:<region>:<account>:parameter/`, 45 characters in the
   * shortest regions), so a name over 967 characters is refused in every region; what lies between depends on the region
   * and is not judged. Empty levels and a trailing `/` are left alone.
   */
  ssmParameter: {
    what: 'SSM parameter name',
    minLength: 1,
    maxLength: 967,
    pattern: /^(?!\/?(?:aws|ssm))(?:[a-z0-9_.-]+|\/[a-z0-9_.-]*(?:\/[a-z0-9_.-]*){0,14})$/i,
    allowed: 'letters, digits and _ . -, in at most 15 levels of a /-separated hierarchy that starts with /, not starting with aws or ssm',
  },
} as const satisfies Record<string, NameLimit>;

/** The kinds of name `NAME_LIMITS` knows. */
export type NameLimitKind = keyof typeof NAME_LIMITS;

/** Bucket-name beginnings S3 reserves for its own features (S3 User Guide, general purpose bucket naming rules, checked 2026-11). */
export const S3_BUCKET_RESERVED_PREFIXES: readonly string[] = ['xn--', 'sthree-', 'amzn-s3-demo-'];
/** Bucket-name endings S3 reserves: access point aliases, Object Lambda, directory buckets, table buckets (same source). */
export const S3_BUCKET_RESERVED_SUFFIXES: readonly string[] = ['-s3alias', '--ol-s3', '--x-s3', '--table-s3'];
