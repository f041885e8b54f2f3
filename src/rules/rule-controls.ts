import { RuleControls } from './rule-info';

// Why most availability and operability rules map to no control: PCI DSS protects account data; it asks for alerting
// on failures of security controls (10.7), not on application errors, and Control Tower's proactive controls judge one
// property of one resource, not alarms, retries or names.
const OPERATIONAL = 'Operational reliability: no PCI DSS v4.0 requirement asks for it and no Control Tower proactive control checks it.';
const NOT_PCI = 'Operational reliability, which no PCI DSS v4.0 requirement asks for.';
// Alarms: PCI DSS 10.7 asks for alerts on failures of critical security controls; a rule on any alarm cannot know that.
const ALARMS = 'Alarm hygiene for operations: PCI DSS v4.0 10.7 asks for alerts on failures of critical security control systems, ' +
  'which a rule on every alarm cannot tell apart from application alarms; no Control Tower control checks it.';

/**
 * The controls each rule of `FintechChecks` helps meet: AWS Control Tower proactive controls (as bundled by
 * `@cdklabs/cdk-validator-cfnguard` 0.0.62) listed only when the control checks the same property of the same resource
 * type for the same defect (notes say where the two differ in reach), and PCI DSS v4.0 requirements the rule serves.
 * `FintechChecks.rules()` copies an entry into each rule's `controls`; every rule id needs one (a test enforces it).
 */
export const RULE_CONTROLS: { readonly [ruleId: string]: RuleControls } = {
  'Fintech-C01-RequiredTags': {
    controlTower: [],
    pciDss: ['12.5.1'],
    note: 'Tags attribute each resource to an environment, team and application, the inventory of in-scope system components 12.5.1 asks for. Control Tower has no proactive control for tags.',
  },
  'Fintech-C02-EphemeralRetainsData': {
    controlTower: [],
    pciDss: [],
    note: 'Cost and redeployability of dev and preview stages, which hold no account data (PCI DSS 6.5.5 keeps live PANs out of pre-production), so no retention requirement applies; no Control Tower control judges removal by stage.',
  },
  'Fintech-C02-BucketNotEmptiedOnDelete': {
    controlTower: [],
    pciDss: [],
    note: 'Teardown of dev and preview stages, which hold no account data (PCI DSS 6.5.5), so no retention requirement applies; no Control Tower control checks it.',
  },
  'Fintech-C02-DurableDeletesData': {
    controlTower: [],
    pciDss: ['10.5.1'],
    note: 'Retained log groups keep audit log history when a stack is deleted or a resource replaced (10.5.1). Control Tower backup controls (CT.DYNAMODB.PR.1, CT.RDS.PR.8) judge backups, not deletion policies.',
  },
  'Fintech-C02-DeletionProtectionOff': {
    controlTower: ['CT.RDS.PR.3', 'CT.RDS.PR.13', 'CT.NEPTUNE.PR.2'],
    pciDss: [],
    note: 'Availability of production data; no PCI DSS v4.0 requirement asks for deletion protection. The rule judges durable stages only, the controls every stage.',
  },
  'Fintech-C03-BucketEncryption': {
    controlTower: [],
    pciDss: ['3.5.1'],
    note: 'CT.S3.PR.10 is stricter (it demands a KMS key); this rule accepts a declared SSE-S3 encryption.',
  },
  'Fintech-C03-BucketPublicAccessBlock': {
    controlTower: ['CT.S3.PR.1'],
    pciDss: ['1.4.4'],
  },
  'Fintech-C03-BucketTlsOnly': {
    controlTower: ['CT.S3.PR.8'],
    pciDss: ['4.2.1'],
    note: 'CT.S3.PR.8 judges bucket policies that exist (AWS::S3::BucketPolicy); this rule also reports a bucket that has no policy at all.',
  },
  'Fintech-C03-BucketName': {
    controlTower: [],
    pciDss: [],
    note: 'Naming: a fixed bucket name collides across stages and accounts and fails the deployment; no control asks for it.',
  },
  'Fintech-C04-UnencryptedStore': {
    controlTower: ['CT.SQS.PR.2', 'CT.RDS.PR.16', 'CT.RDS.PR.24', 'CT.RDS.PR.30', 'CT.DOCUMENTDB.PR.1', 'CT.NEPTUNE.PR.3', 'CT.DAX.PR.1', 'CT.REDSHIFT.PR.8'],
    pciDss: ['3.5.1'],
    note: 'With StoreWithoutCustomerKey it covers CT.SQS.PR.2 and CT.RDS.PR.30: this rule reports stores without any encryption, that one stores without a customer key. No Control Tower control judges SNS topic encryption, which this rule also requires. ' +
      'CT.REDSHIFT.PR.8 also fails a cluster that leaves Encrypted unset; Redshift encrypts new clusters by default, so this rule reports only Encrypted false (and StoreWithoutCustomerKey the missing key).',
  },
  'Fintech-C04-StoreWithoutCustomerKey': {
    controlTower: ['CT.SQS.PR.2', 'CT.DYNAMODB.PR.2', 'CT.RDS.PR.30'],
    pciDss: ['3.5.1', '3.6.1'],
    note: 'A customer managed key lets the key policy restrict and audit who decrypts (3.6.1). The controls accept AWS managed keys; every store they fail, this rule fails too.',
  },
  'Fintech-C04-LogGroupWithoutCustomerKey': {
    controlTower: ['CT.CLOUDWATCH.PR.3'],
    pciDss: ['10.3.1'],
  },
  'Fintech-C04-KeyRotation': {
    controlTower: ['CT.KMS.PR.1'],
    pciDss: ['3.7.4'],
  },
  'Fintech-C05-ProducerWithoutKeyAccess': {
    controlTower: [],
    pciDss: [],
    note: 'Deliveries into an encrypted target fail silently; an availability defect that no control checks.',
  },
  'Fintech-C05-ConsumerWithoutKeyAccess': {
    controlTower: [],
    pciDss: [],
    note: 'Reads from an encrypted queue, stream or bucket fail; an availability defect that no control checks.',
  },
  'Fintech-C05-LogGroupKeyWithoutLogsAccess': {
    controlTower: [],
    pciDss: [],
    note: 'Deployability: the log group cannot be created; no control checks key policies for the CloudWatch Logs principal.',
  },
  'Fintech-C05-TrailKeyWithoutCloudTrailAccess': {
    controlTower: [],
    pciDss: [],
    note: 'Deployability: the trail cannot be created; CT.CLOUDTRAIL.PR.1 asks that a trail name a KMS key, not that CloudTrail may use it.',
  },
  'Fintech-C05-EventBusKeyWithoutEventsAccess': {
    controlTower: [],
    pciDss: [],
    note: 'Events put on the bus, or sent to the archive, cannot be encrypted and reach no rule; an availability defect that no control checks.',
  },
  'Fintech-C05-ProducerWithoutInvokePermission': {
    controlTower: [],
    pciDss: [],
    note: 'Deliveries to a function fail (or the deploy does, for S3); an availability defect that no control checks.',
  },
  'Fintech-C05-ProducerWithoutQueuePolicy': {
    controlTower: [],
    pciDss: [],
    note: 'Deliveries into a queue fail (or the deploy does, for S3); an availability defect that no control checks.',
  },
  'Fintech-C05-ProducerWithoutTopicPolicy': {
    controlTower: [],
    pciDss: [],
    note: 'Events published to a topic are dropped (or the deploy fails, for S3); an availability defect that no control checks.',
  },
  'Fintech-C05-DependencyCycle': {
    controlTower: [],
    pciDss: [],
    note: 'Deployability: CloudFormation refuses the template; no control checks references between resources.',
  },
  'Fintech-C06-WildcardAction': {
    controlTower: ['CT.IAM.PR.1', 'CT.IAM.PR.2', 'CT.IAM.PR.3', 'CT.IAM.PR.5'],
    pciDss: ['7.2.1', '7.2.2', '7.2.5'],
    note: 'CT.IAM.PR.1 and PR.2 fail only "*" actions on "*" resources, a subset of what this rule fails.',
  },
  'Fintech-C06-WildcardResource': {
    controlTower: ['CT.IAM.PR.1', 'CT.IAM.PR.2'],
    pciDss: ['7.2.1', '7.2.2', '7.2.5'],
  },
  'Fintech-C06-PublicResourcePolicy': {
    controlTower: ['CT.LAMBDA.PR.2', 'CT.LAMBDA.PR.4'],
    pciDss: ['1.4.4', '7.2.1'],
    note: 'The Lambda controls judge function and layer permissions; no Control Tower control judges public bucket, queue, topic, key, secret or repository policies, which this rule also reports.',
  },
  'Fintech-C06-RoleNameWithoutStage': {
    controlTower: [],
    pciDss: [],
    note: 'Naming: a fixed role name collides when two stages deploy to one account. PCI DSS 6.5.3 (pre-production separated from production) is met by accounts and access control, which a name cannot enforce.',
  },
  'Fintech-C07-AlarmOnErrorCount': { controlTower: [], pciDss: [], note: ALARMS },
  'Fintech-C08-AlarmWithoutDescription': { controlTower: [], pciDss: [], note: ALARMS },
  'Fintech-C08-AlarmWithoutMissingDataPolicy': { controlTower: [], pciDss: [], note: ALARMS },
  'Fintech-C08-AlarmWithoutDatapointsToAlarm': { controlTower: [], pciDss: [], note: ALARMS },
  'Fintech-C08-AlarmWithoutActions': {
    controlTower: ['CT.CLOUDWATCH.PR.1', 'CT.CLOUDWATCH.PR.4'],
    pciDss: [],
    note: 'The controls judge metric alarms (AWS::CloudWatch::Alarm); this rule also judges composite alarms. ' + NOT_PCI,
  },
  'Fintech-C08-AlarmToUnsubscribedTopic': { controlTower: [], pciDss: [], note: ALARMS },
  'Fintech-C09-UnmonitoredResource': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C10-DashboardMetricWithoutDimensions': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C11-FunctionWithoutTracing': {
    controlTower: [],
    pciDss: [],
    note: 'Traces are diagnostics, not the audit logs of PCI DSS 10.2; Control Tower has no control for Lambda tracing.',
  },
  'Fintech-C11-ApiStageWithoutTracing': {
    controlTower: ['CT.APIGATEWAY.PR.2'],
    pciDss: [],
    note: 'Traces are diagnostics, not the audit logs of PCI DSS 10.2.',
  },
  'Fintech-C11-GraphqlApiWithoutTracing': {
    controlTower: [],
    pciDss: [],
    note: 'Traces are diagnostics, not the audit logs of PCI DSS 10.2; Control Tower has no control for AppSync tracing.',
  },
  'Fintech-C11-StateMachineWithoutTracing': {
    controlTower: ['CT.STEPFUNCTIONS.PR.2'],
    pciDss: [],
    note: 'Traces are diagnostics, not the audit logs of PCI DSS 10.2.',
  },
  'Fintech-C12-QueueWithoutDeadLetterQueue': {
    controlTower: ['CT.SQS.PR.1'],
    pciDss: [],
    note: 'CT.SQS.PR.1 skips queues that allow redrive into them; this rule skips queues used as dead-letter queues. ' + NOT_PCI,
  },
  'Fintech-C12-AsyncFunctionWithoutFailureDestination': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C12-RuleTargetWithoutDeadLetterQueue': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C12-RuleTargetWithoutRetryPolicy': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C12-QueueBatchWithoutPartialFailures': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C12-SubscriptionWithoutDeadLetterQueue': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C12-ScheduleWithoutDeadLetterQueue': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C12-ScheduleWithoutRetryPolicy': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C12-PipeWithoutDeadLetterQueue': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C12-PipeUnboundedRetries': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C12-StreamSourceWithoutOnFailure': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C12-StreamSourceUnboundedRetries': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C12-StreamSourceWithoutBatchSplitting': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C13-LambdaTaskByBareArn': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C13-TaskWithoutRetry': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C14-DeprecatedRuntime': {
    controlTower: [],
    pciDss: ['6.3.3'],
    note: 'A deprecated runtime receives no security patches (6.3.3). Control Tower has no proactive control for Lambda or Synthetics runtimes.',
  },
  'Fintech-C15-ReservedConcurrencyAboveLimit': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C16-PhysicalNameWithoutStage': {
    controlTower: [],
    pciDss: [],
    note: 'Naming: a fixed name collides when a second stage deploys to the same account and region. PCI DSS 6.5.3 (pre-production separated from production) is met by accounts and access control, which a name cannot enforce.',
  },
  'Fintech-C16-DuplicatePhysicalName': {
    controlTower: [],
    pciDss: [],
    note: 'Deployability: the second resource of one name cannot be created; no control checks names.',
  },
  'Fintech-C16-InvalidPhysicalName': {
    controlTower: [],
    pciDss: [],
    note: 'Deployability: the service refuses the name and the deployment fails; no control checks name lengths.',
  },
  'Fintech-C17-DatabaseNotIsolated': {
    controlTower: ['CT.RDS.PR.11', 'CT.RDS.PR.23', 'CT.RDS.PR.29', 'CT.OPENSEARCH.PR.2', 'CT.MSK.PR.2'],
    pciDss: ['1.3.1', '1.3.2', '1.4.4'],
    note: 'The controls judge PubliclyAccessible and (CT.RDS.PR.11, for some engines) a missing DBSubnetGroupName; this rule also reports databases in subnets that route to an internet or NAT gateway. ' +
      'CT.OPENSEARCH.PR.2 judges legacy Elasticsearch domains only (and also fails VPCOptions without SubnetIds); this rule judges OpenSearch domains too. CT.MSK.PR.2 and this rule judge the same PublicAccess setting.',
  },
  'Fintech-C17-GatewayEndpointWithoutRouteTables': {
    controlTower: [],
    pciDss: [],
    note: 'Cost and reachability: traffic still leaves through the NAT gateway; no control checks endpoint route tables.',
  },
  'Fintech-C17-InterfaceEndpointWithoutHttps': {
    controlTower: [],
    pciDss: [],
    note: 'Reachability: SDK calls time out or bypass the endpoint; no control checks endpoint security groups.',
  },
  'Fintech-C17-GatewayEndpointOpenPolicy': {
    controlTower: [],
    pciDss: ['1.3.2'],
    note: 'An open gateway endpoint is outbound traffic to any account\'s bucket or table, which 1.3.2 asks to restrict to what is necessary. No Control Tower control checks endpoint policies.',
  },
  'Fintech-C17-FunctionWithoutServiceRoute': {
    controlTower: [],
    pciDss: [],
    note: 'Reachability: calls of a function in isolated subnets fail without the endpoint; no control checks which services a function can reach.',
  },
  'Fintech-C17-SecurityGroupOpenToWorld': {
    controlTower: ['CT.EC2.PR.3', 'CT.EC2.PR.4'],
    pciDss: ['1.3.1', '1.4.2'],
  },
  'Fintech-C18-HttpListenerForwards': {
    controlTower: ['CT.ELASTICLOADBALANCING.PR.1'],
    pciDss: ['4.2.1'],
    note: 'CT.ELASTICLOADBALANCING.PR.1 also fails an HTTP listener that answers with a fixed response; this rule fails only one that forwards to targets.',
  },
  'Fintech-C18-WeakListenerTlsPolicy': {
    controlTower: [],
    pciDss: ['4.2.1'],
    note: 'Control Tower judges TLS policies of classic load balancers only (CT.ELASTICLOADBALANCING.PR.12); this rule judges ELBv2 listeners.',
  },
  'Fintech-C18-WeakApiTlsPolicy': {
    controlTower: ['CT.APIGATEWAY.PR.6'],
    pciDss: ['4.2.1'],
    note: 'CT.APIGATEWAY.PR.6 judges REST custom domains; this rule also judges HTTP and WebSocket (ApiGatewayV2) domains.',
  },
  'Fintech-C18-QueueTlsOnly': {
    controlTower: [],
    pciDss: ['4.2.1'],
    note: 'Control Tower has no proactive control for TLS-only queue policies.',
  },
  'Fintech-C18-TopicTlsOnly': {
    controlTower: [],
    pciDss: ['4.2.1'],
    note: 'Control Tower has no proactive control for TLS-only topic policies.',
  },
  'Fintech-C18-SearchDomainWithoutTls': {
    controlTower: ['CT.OPENSEARCH.PR.3', 'CT.OPENSEARCH.PR.8', 'CT.OPENSEARCH.PR.11', 'CT.OPENSEARCH.PR.16'],
    pciDss: ['4.2.1'],
    note: 'PCI DSS 4.2.1 governs open, public networks: it applies to a domain with a public endpoint; node-to-node encryption inside a VPC is defence in depth.',
  },
  'Fintech-C18-CacheWithoutTls': {
    controlTower: ['CT.ELASTICACHE.PR.5', 'CT.DAX.PR.3'],
    pciDss: [],
    note: 'ElastiCache, DAX and MemoryDB are reached only inside a VPC, which PCI DSS 4.2.1 (open, public networks) does not cover. CT.ELASTICACHE.PR.5 judges Redis replication groups; this rule also judges Valkey.',
  },
  'Fintech-C18-KafkaWithoutTls': {
    controlTower: ['CT.MSK.PR.1'],
    pciDss: ['4.2.1'],
    note: 'CT.MSK.PR.1 judges encryption between brokers only; this rule also requires TLS from clients, which PCI DSS 4.2.1 asks for when they connect over a public network (MSK public access).',
  },
  'Fintech-C18-PlaintextFileTransfer': {
    controlTower: [],
    pciDss: ['4.2.1'],
    note: 'No Control Tower proactive control judges Transfer Family servers. PCI DSS 4.2.1 asks for strong cryptography when files cross open, public networks; FTP is allowed only on a VPC endpoint, but partners often reach it over links that are.',
  },
  'Fintech-C18-WeakFileTransferPolicy': {
    controlTower: [],
    pciDss: ['4.2.1'],
    note: 'No Control Tower proactive control judges Transfer Family servers. PCI DSS 4.2.1 asks for strong cryptography on the partners\' connections, which the server\'s security policy decides.',
  },
  'Fintech-C18-DistributionAllowsHttp': {
    controlTower: ['CT.CLOUDFRONT.PR.3'],
    pciDss: ['4.2.1'],
  },
  'Fintech-C18-WeakDistributionTlsPolicy': {
    controlTower: ['CT.CLOUDFRONT.PR.9'],
    pciDss: ['4.2.1'],
    note: 'CT.CLOUDFRONT.PR.9 also fails distributions on the default CloudFront certificate, which cannot set a minimum version; this rule judges custom domains and asks for TLSv1.2_2021, which is stricter than the control.',
  },
  'Fintech-C19-StageWithoutWebAcl': {
    controlTower: [],
    pciDss: ['6.4.1', '6.4.2'],
    note: 'Control Tower judges the contents of web ACLs (CT.WAFV2.PR.1), not whether an API stage has one.',
  },
  'Fintech-C19-GraphqlApiWithoutWebAcl': {
    controlTower: [],
    pciDss: ['6.4.1', '6.4.2'],
    note: 'A public GraphQL API is a public-facing web application (6.4.2). CT.APPSYNC.PR.2 asks for private visibility instead, which this rule accepts in place of a web ACL.',
  },
  'Fintech-C19-GraphqlApiWithoutLogs': {
    controlTower: ['CT.APPSYNC.PR.1'],
    pciDss: ['10.2.1', '10.2.2'],
    note: 'CT.APPSYNC.PR.1 also asks for field-level logs at ERROR or ALL; this rule asks only for the request logs, so every API it fails, the control fails too.',
  },
  'Fintech-C19-EventApiWithoutLogs': {
    controlTower: [],
    pciDss: ['10.2.1', '10.2.2'],
    note: 'CT.APPSYNC.PR.1 judges GraphQL APIs only.',
  },
  'Fintech-C19-WebAclWithoutRules': {
    controlTower: ['CT.WAFV2.PR.1'],
    pciDss: ['6.4.2'],
    note: 'CT.WAFV2.PR.2 (a rule group is not empty) is not checked: this rule judges web ACLs only.',
  },
  'Fintech-C19-WebAclWithoutRateRule': {
    controlTower: [],
    pciDss: ['6.4.2'],
  },
  'Fintech-C19-RateRuleOutOfBounds': {
    controlTower: [],
    pciDss: [],
    note: 'Deployability: WAF rejects the limit or window and the deployment fails; the protection itself is judged by WebAclWithoutRateRule.',
  },
  'Fintech-C19-StageWithoutThrottling': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C19-StageWithoutAccessLogs': {
    controlTower: [],
    pciDss: ['10.2.1', '10.2.2'],
    note: 'CT.APIGATEWAY.PR.1 judges execution logging (MethodSettings LoggingLevel), not the access logs this rule requires.',
  },
  'Fintech-C19-HttpApiStageWithoutAccessLogs': {
    controlTower: ['CT.APIGATEWAY.PR.4'],
    pciDss: ['10.2.1', '10.2.2'],
  },
  'Fintech-C19-HttpApiStageWithoutThrottling': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C19-DistributionWithoutWebAcl': {
    controlTower: [],
    pciDss: ['6.4.1', '6.4.2'],
    note: 'Control Tower has no proactive control that requires a web ACL on a CloudFront distribution.',
  },
  'Fintech-C19-DistributionWithoutAccessLogs': {
    controlTower: ['CT.CLOUDFRONT.PR.5'],
    pciDss: ['10.2.1', '10.2.2'],
    note: 'CT.CLOUDFRONT.PR.5 accepts only standard logs to S3 (Logging); this rule also accepts standard logging v2 (an AWS::Logs::DeliverySource).',
  },
  'Fintech-C19-StageNameHardCoded': {
    controlTower: [],
    pciDss: [],
    note: 'Naming: a "prod" stage name in another environment misleads readers of URLs and logs; no control checks it.',
  },
  'Fintech-C19-RestApiWithoutExplicitStage': {
    controlTower: [],
    pciDss: [],
    note: 'Structure: an explicit stage is what web ACLs, throttling and logs attach to; those are judged by their own rules.',
  },
  'Fintech-C20-LogGroupWithoutRetention': {
    controlTower: [],
    pciDss: ['3.2.1'],
    note: 'Logs that may hold account data are disposed of after their retention period (3.2.1). CT.CLOUDWATCH.PR.2 checks the opposite bound (at least a year) and passes a log group without retention.',
  },
  'Fintech-C20-AuditLogHistoryTooShort': {
    controlTower: ['CT.CLOUDWATCH.PR.2'],
    pciDss: ['10.5.1'],
    note: 'CT.CLOUDWATCH.PR.2 asks a year of every log group in every stage; this rule asks it of log groups and buckets that receive audit trails, in durable stages. No Control Tower control judges S3 lifecycle expiration (CT.S3.PR.3 and CT.S3.PR.6 only ask that a lifecycle rule exist).',
  },
  'Fintech-C20-AuditLogsArchivedEarly': {
    controlTower: [],
    pciDss: ['10.5.1'],
    note: 'The latest three months immediately available for analysis (10.5.1); no Control Tower control judges lifecycle transitions.',
  },
  'Fintech-C20-ImageWithoutAsset': {
    controlTower: [],
    pciDss: ['6.5.1'],
    note: 'An image built outside CI and referenced by a movable tag bypasses change control (6.5.1). CT.ECR.PR.3 (tag immutability) judges repositories, not functions.',
  },
  'Fintech-C20-FunctionWithoutLogGroup': {
    controlTower: [],
    pciDss: ['3.2.1'],
    note: 'The log group Lambda creates itself never expires (3.2.1, disposal after the retention period).',
  },
  'Fintech-C20-FunctionWithDefaultSizing': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C21-ServiceWithoutCircuitBreaker': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C21-ServiceWithoutGracePeriod': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C21-ContainerWithoutHealthCheck': { controlTower: [], pciDss: [], note: OPERATIONAL },
  'Fintech-C21-ClusterWithoutContainerInsights': {
    controlTower: ['CT.ECS.PR.2'],
    pciDss: [],
    note: 'Container metrics serve operations, not a PCI DSS v4.0 requirement.',
  },
  'Fintech-C22-UnvalidatedParameter': {
    controlTower: [],
    pciDss: [],
    note: 'Deploy-time input validation of template parameters; no control checks parameters.',
  },
  'Fintech-C22-MissingReference': {
    controlTower: [],
    pciDss: [],
    note: 'Deployability: CloudFormation refuses a template that names what it does not declare; no control checks references.',
  },
};

/**
 * A copy of the controls one rule helps meet, so callers cannot change the shared table.
 *
 * @returns undefined for an id the table does not map
 */
export function controlsOf(ruleId: string): RuleControls | undefined {
  const controls = RULE_CONTROLS[ruleId];
  if (!controls) return undefined;
  return { ...controls, controlTower: [...controls.controlTower], pciDss: [...controls.pciDss] };
}
