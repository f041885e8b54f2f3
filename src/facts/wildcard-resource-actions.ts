/**
 * IAM actions that accept only `Resource: "*"`, because the action acts on no particular resource:
 * the Service Authorization Reference lists no resource type for them
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/reference.html, checked 2026-11).
 * Conservative on purpose: an action that has a resource type, even an optional one, is left out. A test checks every
 * entry against the IAM action data cfn-lint ships (data/AdditionalSpecs/Policies.json, generated from that reference).
 * Left out after checking: logs:CreateLogGroup (it takes log-group ARNs),
 * ec2:CreateNetworkInterface (takes subnet and security group ARNs).
 * Entries are matched case-insensitively; an entry with `*` matches the actions it names, and a
 * statement's own wildcard action (e.g. `ec2:Describe*`) is allowed only when listed here verbatim.
 */
export const WILDCARD_RESOURCE_ACTIONS: readonly string[] = [
  // X-Ray trace upload and sampling from instrumented functions and containers.
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'xray:GetSamplingStatisticSummaries',
  // Reading traces: X-Ray's resource types are groups and sampling rules, and the reference lists neither for these two
  // (checked 2026-12, against an IAM action dataset generated from it); group and sampling-rule actions stay out.
  'xray:GetTraceSummaries',
  'xray:BatchGetTraces',
  // CloudWatch metrics are scoped by the cloudwatch:namespace condition key, not by resource.
  'cloudwatch:PutMetricData',
  'cloudwatch:GetMetricData',
  'cloudwatch:GetMetricStatistics',
  'cloudwatch:ListMetrics',
  // EC2 Describe actions list what they find; nearly all have no resource type. The few that read one resource's attribute
  // or history (DescribeInstanceAttribute, DescribeFleetInstances, ...: 17 in cfn-lint 1.51's IAM action data) take one,
  // but they are read-only, and `ec2:Describe*` on "*" is how AWS's own managed policies grant them.
  'ec2:Describe*',
  'sts:GetCallerIdentity',
  'kms:CreateKey',
  'kms:ListKeys',
  'kms:ListAliases',
  'kms:GenerateRandom',
  'ecr:GetAuthorizationToken',
  // The ECS container agent finds its polling endpoint: no resource type; ecs.Cluster grants it to EC2 capacity's instance role.
  'ecs:DiscoverPollEndpoint',
  // ECS Exec: the task role opens Session Manager channels; Session Manager Message Gateway Service actions have no
  // resource types, and the ECS Developer Guide, "Monitor Amazon ECS containers with ECS Exec", grants them on "*" (checked 2026-12).
  'ssmmessages:CreateControlChannel',
  'ssmmessages:CreateDataChannel',
  'ssmmessages:OpenControlChannel',
  'ssmmessages:OpenDataChannel',
  // Vended log deliveries (Step Functions, API Gateway, EventBridge Pipes logging): the Step Functions Developer Guide,
  // "IAM policies for logging to CloudWatch Logs", requires them on Resource "*" (checked 2026-11-23). DescribeLogGroups,
  // though it can take log-group ARNs, is on that list too: delivery setup lists groups account-wide.
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
  // Lake Formation vends credentials for the tables a query reads (Athena's Step Functions task grants it); Step Functions'
  // HTTP task calls its endpoint, which conditions (states:HTTPEndpoint, states:HTTPMethod) narrow, not resources.
  'lakeformation:GetDataAccess',
  'states:InvokeHTTPEndpoint',
  // EMR on EKS creates a virtual cluster (EmrContainersCreateVirtualCluster's task grants it): no resource type.
  'emr-containers:CreateVirtualCluster',
  's3:ListAllMyBuckets',
  // Reads the account's Block Public Access settings: account-level, no resource type; an Amazon MWAA execution role needs it.
  's3:GetAccountPublicAccessBlock',
  'sqs:ListQueues',
  'sns:ListTopics',
  'lambda:ListFunctions',
  'dynamodb:ListTables',
  // Granted by every DynamoDB stream event source (aws-lambda-event-sources); it lists streams of all tables.
  'dynamodb:ListStreams',
  'states:ListStateMachines',
  'secretsmanager:GetRandomPassword',
  'secretsmanager:ListSecrets',
  'ssm:DescribeParameters',
  'tag:GetResources',
];

/**
 * Condition keys that name the one resource an action of their service acts on, so an Allow on `Resource: "*"` whose
 * condition pins such a key to exact values (StringEquals or ArnEquals, no wildcard in the values) reaches only that
 * resource. aws-cdk-lib writes this shape itself: `lambda.FileSystem.fromEfsAccessPoint` grants
 * `elasticfilesystem:ClientMount` and `ClientWrite` on "*" with `elasticfilesystem:AccessPointArn` set to the access
 * point (Amazon EFS User Guide, "Using IAM to control access to file systems", checked 2026-12). `ecs:cluster` names the
 * cluster whose container instances and tasks an ECS action acts on: aws-cdk-lib's ecs.Cluster grants its EC2 capacity's
 * container agent (`ecs:Poll`, `ecs:StartTelemetrySession`) and its instance drain hook (`ecs:DescribeTasks`, `ecs:ListTasks`,
 * ...) on "*" pinned to the cluster with ArnEquals, the shape AWS's own ECS IAM examples use (checked 2026-12). Tag keys
 * are not here: `aws:ResourceTag` selects every resource that carries the tag, not one resource.
 */
export const RESOURCE_NAMING_CONDITION_KEYS: readonly string[] = [
  'elasticfilesystem:AccessPointArn',
  'ecs:cluster',
];

/**
 * A role a service assumes alone, to act where no ARN can name the target, and the actions it needs on `Resource: "*"`
 * there. A role is one of these only when its trust policy names that service alone and a resource of the templates
 * names it in `property`.
 */
export interface ServiceRoleWildcard {
  /** The service principals that assume the role, e.g. `cognito-idp.amazonaws.com`; its trust policy names these alone. */
  readonly services: readonly string[];
  /** The resource type that names the role, e.g. `AWS::Cognito::UserPool`. */
  readonly usedBy: string;
  /** The property path (keys joined by `.`) of that resource that names the role. */
  readonly property: string;
  /** The actions the service needs on `*` in the role. */
  readonly actions: readonly string[];
  /**
   * A condition key the statement must use for the actions to be allowed there (any operator), when the service's guide
   * narrows them with it, e.g. `kms:ViaService`: the statement may then also name them with NotResource, as that guide does.
   * @default - no condition asked for
   */
  readonly conditionKey?: string;
}

/**
 * Service roles that need actions on "*":
 * - a Cognito user pool's SMS role publishes SMS messages to phone numbers, which have no ARN; the Cognito Developer
 *   Guide's SMS role policy allows sns:Publish on "*" (SMS message settings for Amazon Cognito user pools, checked
 *   2026-12), as the role CDK's UserPool creates does;
 * - an Amazon MWAA environment's execution role uses the keys of the Celery queues MWAA runs for it in an account of its
 *   own, which no ARN of the user's can name; the MWAA User Guide's execution role policy allows the four KMS actions on
 *   every key outside the user's account (NotResource), narrowed by kms:ViaService to SQS (Amazon MWAA execution role,
 *   checked 2026-12). Without kms:ViaService they stay errors.
 */
export const SERVICE_ROLE_WILDCARDS: readonly ServiceRoleWildcard[] = [
  { services: ['cognito-idp.amazonaws.com'], usedBy: 'AWS::Cognito::UserPool', property: 'SmsConfiguration.SnsCallerArn', actions: ['sns:Publish'] },
  {
    services: ['airflow.amazonaws.com', 'airflow-env.amazonaws.com'],
    usedBy: 'AWS::MWAA::Environment',
    property: 'ExecutionRoleArn',
    actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:Encrypt'],
    conditionKey: 'kms:ViaService',
  },
];
