import { RESOURCELESS_ACTIONS } from './resourceless-actions';

/**
 * Wildcard actions a policy may allow on `Resource: "*"`. Every exact action the Service Authorization Reference lists
 * without a resource type may already be (`RESOURCELESS_ACTIONS`, generated from it); a statement's own wildcard action
 * may cover actions that take resources, so it is allowed only when listed here verbatim (matched case-insensitively).
 */
export const WILDCARD_RESOURCE_ACTIONS: readonly string[] = [
  // EC2 Describe actions list what they find; nearly all have no resource type. The few that read one resource's attribute
  // or history (DescribeInstanceAttribute, DescribeFleetInstances, ...: 17 in cfn-lint 1.51's IAM action data) take one,
  // but they are read-only, and `ec2:Describe*` on "*" is how AWS's own managed policies grant them.
  'ec2:Describe*',
];

/**
 * Exact actions whose every resource type is an optional customization of a model AWS owns: a custom entity recognizer
 * endpoint, a pronunciation lexicon, a terminology or parallel data set, a custom moderation adapter, a custom billing
 * view. Called without one, which is how most callers use them, the request names no resource, so IAM authorizes it
 * against `"*"` and a policy scoped to customization ARNs denies it. Each maps to its optional resource types. Source: the
 * Service Authorization Reference's actions tables for Amazon Comprehend, Polly, Translate and Rekognition, where required
 * resource types carry an asterisk and these carry none (read 2026-12 from a copy of the pages stored in June 2026); for
 * Cost Explorer, its API reference, where each of these operations takes `BillingViewArn` as an optional parameter
 * (Required: No; absent, the account's own costs), and the Billing and Cost Management user guide, whose example policies
 * grant them on `"*"` as AWS SAM's CostExplorerReadOnlyPolicy does (checked 2026-12). The test checks the types against
 * cfn-lint's IAM data, which drops the asterisk.
 */
export const OPTIONAL_RESOURCE_ACTIONS: { readonly [action: string]: readonly string[] } = {
  'comprehend:DetectEntities': ['entity-recognizer-endpoint'],
  'polly:SynthesizeSpeech': ['lexicon'],
  'polly:StartSpeechSynthesisTask': ['lexicon'],
  'polly:StartSpeechSynthesisStream': ['lexicon'],
  'translate:TranslateText': ['parallel-data', 'terminology'],
  'translate:TranslateDocument': ['terminology'],
  'translate:StartTextTranslationJob': ['parallel-data', 'terminology'],
  'rekognition:DetectModerationLabels': ['projectversion'],
  'rekognition:StartMediaAnalysisJob': ['projectversion'],
  'ce:GetCostAndUsage': ['billingview'],
  'ce:GetCostAndUsageWithResources': ['billingview'],
  'ce:GetCostAndUsageComparisons': ['billingview'],
  'ce:GetCostComparisonDrivers': ['billingview'],
  'ce:GetCostForecast': ['billingview'],
  'ce:GetUsageForecast': ['billingview'],
  'ce:GetDimensionValues': ['billingview'],
  'ce:GetTags': ['billingview'],
  'ce:GetCostCategories': ['billingview'],
};

/**
 * Exact actions a function calls back with, addressed by the route and token of the event that invoked it rather than by
 * a resource: `s3-object-lambda:WriteGetObjectResponse`, with which an S3 Object Lambda function returns the object it
 * transformed. The Service Authorization Reference gives it the Object Lambda access point's type, but the request names
 * no access point (the API reference: a `POST /WriteGetObjectResponse` with the `x-amz-request-route` and
 * `x-amz-request-token` of the event), and both the Amazon S3 user guide ("Configuring IAM policies for Object Lambda
 * Access Points") and the AWS managed policy AmazonS3ObjectLambdaExecutionRolePolicy grant it on `"*"` (checked 2026-12).
 * Each maps to the resource types cfn-lint's IAM data gives it.
 */
export const CALLBACK_ACTIONS: { readonly [action: string]: readonly string[] } = {
  's3-object-lambda:WriteGetObjectResponse': ['objectlambdaaccesspoint'],
};

const LISTED = WILDCARD_RESOURCE_ACTIONS.map(entry => ({
  entry: entry.toLowerCase(),
  pattern: new RegExp(`^${entry.toLowerCase().split('*').map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`),
}));

let resourceless: ReadonlySet<string> | undefined;

/**
 * Whether a policy may allow `action` on `Resource: "*"`: an exact action that names no resource type (in
 * `RESOURCELESS_ACTIONS`, or one a listed wildcard covers) or only optional ones (`OPTIONAL_RESOURCE_ACTIONS`), a callback
 * addressed by a token (`CALLBACK_ACTIONS`), or a
 * wildcard action listed verbatim. Case-insensitive.
 */
export function allowedOnEveryResource(action: string): boolean {
  const lower = action.toLowerCase();
  if (lower.includes('*') || lower.includes('?')) return LISTED.some(listed => listed.entry === lower);
  resourceless ??= new Set([
    ...Object.entries(RESOURCELESS_ACTIONS).flatMap(([service, actions]) => actions.split(' ').map(name => `${service}:${name}`)),
    ...[...Object.keys(OPTIONAL_RESOURCE_ACTIONS), ...Object.keys(CALLBACK_ACTIONS)].map(name => name.toLowerCase()),
  ]);
  return resourceless.has(lower) || LISTED.some(listed => listed.pattern.test(lower));
}

let known: ReadonlyMap<string, ReadonlySet<string>> | undefined;

/** Per service prefix, every action the IAM action data knows, in lower case; built on first use. */
function knownActions(): ReadonlyMap<string, ReadonlySet<string>> {
  if (known) return known;
  // The actions that take a resource (330 KB) load only here: for an action a policy allows on "*" that is not resourceless.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { RESOURCE_ACTIONS } = require('./resource-actions') as { RESOURCE_ACTIONS: { readonly [service: string]: string } };
  const words = (list: string | undefined) => (list ?? '').split(' ').filter(word => word !== '');
  const services = new Set([...Object.keys(RESOURCELESS_ACTIONS), ...Object.keys(RESOURCE_ACTIONS)]);
  known = new Map([...services].map(service => [service, new Set([...words(RESOURCELESS_ACTIONS[service]), ...words(RESOURCE_ACTIONS[service])])]));
  return known;
}

/**
 * The actions (`service:name`, lower case) the IAM action data knows a wildcard action (`ec2:De*NetworkInterface`) to
 * cover; an exact action covers itself when known. Case-insensitive.
 */
export function coveredActions(action: string): string[] {
  const [service, name] = action.toLowerCase().split(':');
  if (name === undefined) return [];
  const actions = knownActions().get(service) ?? new Set<string>();
  if (!name.includes('*') && !name.includes('?')) return actions.has(name) ? [`${service}:${name}`] : [];
  const pattern = namePattern(name);
  return [...actions].filter(candidate => pattern.test(candidate)).map(candidate => `${service}:${candidate}`);
}

/** An action name with `*` and `?` wildcards as a regular expression. */
function namePattern(name: string): RegExp {
  return new RegExp(`^${name.split('').map(c => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('')}$`);
}

/**
 * Whether the IAM action data knows `action` (`RESOURCELESS_ACTIONS`, or `RESOURCE_ACTIONS` in `resource-actions.ts`),
 * or, for a wildcard action (`s3:Get*`), at least one action it covers. An unknown action is newer than the data, or
 * misspelt. Case-insensitive.
 */
export function isKnownAction(action: string): boolean {
  return coveredActions(action).length > 0;
}

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
  /**
   * A property path (keys joined by `.`) of that resource that must be set, and not to an empty list, for the service to
   * need the actions, e.g. `VpcConfig.SubnetIds` of a function Lambda connects to a VPC.
   * @default - naming the role is enough
   */
  readonly whenSet?: string;
  /**
   * What the `whenSet` property must name for the service to need the actions: a resource of one of these types, or a
   * literal ARN of one of these services, e.g. an event source mapping reading an Amazon MQ broker.
   * @default - any value but an empty list
   */
  readonly whenSetTo?: ServiceRoleSource;
  /**
   * When `property` names the role through a resource between: that resource's type, and its property that names the role,
   * e.g. the function (`AWS::Lambda::Function`, `Role`) an event source mapping's `FunctionName` names.
   * @default - `property` names the role itself
   */
  readonly through?: ServiceRoleLink;
  /** The actions the service needs on `*` in the role. */
  readonly actions: readonly string[];
  /**
   * A condition key the statement must use for the actions to be allowed there (any operator), when the service's guide
   * narrows them with it, e.g. `kms:ViaService`: the statement may then also name them with NotResource, as that guide does.
   * @default - no condition asked for
   */
  readonly conditionKey?: string;
}

/** The sources a `ServiceRoleWildcard.whenSet` property must name. */
export interface ServiceRoleSource {
  /** Resource types, e.g. `AWS::AmazonMQ::Broker`. */
  readonly types: readonly string[];
  /** Service names of literal ARNs (`arn:<partition>:<service>:`), e.g. `mq`. */
  readonly arnServices: readonly string[];
}

/** The resource between a `ServiceRoleWildcard.usedBy` resource and the role. */
export interface ServiceRoleLink {
  /** Its resource type, e.g. `AWS::Lambda::Function`. */
  readonly type: string;
  /** Its property that names the role, e.g. `Role`. */
  readonly property: string;
}

/**
 * Service roles that need actions on "*":
 * - a Cognito user pool's SMS role publishes SMS messages to phone numbers, which have no ARN; the Cognito Developer
 *   Guide's SMS role policy allows sns:Publish on "*" (SMS message settings for Amazon Cognito user pools, checked
 *   2026-12), as the role CDK's UserPool creates does;
 * - an Amazon MWAA environment's execution role uses the keys of the Celery queues MWAA runs for it in an account of its
 *   own, which no ARN of the user's can name; the MWAA User Guide's execution role policy allows the four KMS actions on
 *   every key outside the user's account (NotResource), narrowed by kms:ViaService to SQS (Amazon MWAA execution role,
 *   checked 2026-12). Without kms:ViaService they stay errors;
 * - a function Lambda connects to a VPC: Lambda creates, and later deletes, the function's network interfaces in the
 *   VPC's subnets with the function's own execution role, before any ARN of those interfaces exists. The Lambda Developer
 *   Guide lists these actions for the execution role, and AWS's managed policy for it (AWSLambdaVPCAccessExecutionRole,
 *   which lambda.Function attaches to the role it creates in a VPC) allows them on "*" (Giving Lambda functions access
 *   to resources in an Amazon VPC, checked 2026-12), as AWS SAM's VPCAccessPolicy template does with
 *   ec2:DetachNetworkInterface too; a library that writes them inline (AWS Solutions Constructs' Lambda patterns in a
 *   VPC) writes the same. A function whose VpcConfig only a condition synth cannot decide sets (`Fn::If` on a parameter)
 *   may be in a VPC. In the role of a function outside a VPC they stay errors;
 * - a function an event source mapping runs on the messages of an Amazon MQ broker, an Amazon MSK cluster or an Amazon
 *   DocumentDB cluster's change stream: Lambda's poller reaches the source in its VPC through network interfaces it
 *   creates with the function's execution role, whether or not the function is in a VPC itself. The Lambda Developer
 *   Guide lists the actions for the execution role of each of these sources, and AWS's managed policy for MSK
 *   (AWSLambdaMSKExecutionRole, which aws-cdk-lib's ManagedKafkaEventSource attaches) allows them on "*" (Using Lambda
 *   with Amazon MQ, with Amazon MSK, with Amazon DocumentDB, execution role permissions, checked 2026-12); a library that
 *   writes them inline (cdklabs' cdk-amazonmq event sources) writes the same. Mappings of queues and streams need none.
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
  {
    services: ['lambda.amazonaws.com'],
    usedBy: 'AWS::Lambda::Function',
    property: 'Role',
    whenSet: 'VpcConfig.SubnetIds',
    // Its ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets take no resource: allowed on "*" anywhere.
    // ec2:DetachNetworkInterface: AWS SAM's VPCAccessPolicy template allows it beside them.
    actions: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DetachNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'],
  },
  {
    services: ['lambda.amazonaws.com'],
    usedBy: 'AWS::Lambda::EventSourceMapping',
    property: 'FunctionName',
    through: { type: 'AWS::Lambda::Function', property: 'Role' },
    whenSet: 'EventSourceArn',
    // A DocumentDB cluster's ARN is of the rds service, which no other source of a mapping has.
    whenSetTo: { types: ['AWS::AmazonMQ::Broker', 'AWS::MSK::Cluster', 'AWS::MSK::ServerlessCluster', 'AWS::DocDB::DBCluster'], arnServices: ['mq', 'kafka', 'rds'] },
    // Its ec2:DescribeNetworkInterfaces, DescribeSubnets, DescribeVpcs and DescribeSecurityGroups take no resource.
    actions: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface'],
  },
];
