import { DomainNameTls } from './apigateway/domain-name-tls';
import { RestApiExplicitStage } from './apigateway/rest-api-explicit-stage';
import { StageSettings } from './apigateway/stage-settings';
import { StageWebAcl } from './apigateway/stage-web-acl';
import { HttpApiStageSettings } from './apigatewayv2/stage-settings';
import { GraphqlApiLogs } from './appsync/graphql-api-logs';
import { DistributionProtection } from './cloudfront/distribution-protection';
import { DistributionTls } from './cloudfront/distribution-tls';
import { AlarmHygiene } from './cloudwatch/alarm-hygiene';
import { AlarmOnErrorCount } from './cloudwatch/alarm-on-error-count';
import { DashboardMetricWithoutDimensions } from './cloudwatch/dashboard-metric-dimensions';
import { UnmonitoredResource } from './cloudwatch/unmonitored-resource';
import { ClusterContainerInsights } from './ecs/cluster-container-insights';
import { ServiceDeployment } from './ecs/service-deployment';
import { CacheTls } from './elasticache/cache-tls';
import { ListenerTls } from './elbv2/listener-tls';
import { KeyRotation } from './encryption/key-rotation';
import { LogGroupEncryption } from './encryption/log-group-encryption';
import { StoreEncryption } from './encryption/store-encryption';
import { RuleTargetDeadLetter } from './events/rule-target-dead-letter';
import { PolicyWildcards } from './iam/policy-wildcards';
import { PublicResourcePolicy } from './iam/public-resource-policy';
import { RoleName } from './iam/role-name';
import { ConsumerKeyAccess } from './kms/consumer-key-access';
import { EventBusKeyAccess } from './kms/event-bus-key-access';
import { LogGroupKeyAccess } from './kms/log-group-key-access';
import { ProducerKeyAccess } from './kms/producer-key-access';
import { TrailKeyAccess } from './kms/trail-key-access';
import { AsyncFailureDestination } from './lambda/async-failure-destination';
import { DeprecatedRuntimeRule } from './lambda/deprecated-runtime';
import { EventSourceBatchFailures } from './lambda/event-source-batch-failures';
import { FunctionLogGroup } from './lambda/function-log-group';
import { FunctionSizing } from './lambda/function-sizing';
import { ImageWithoutAsset } from './lambda/image-without-asset';
import { InvokePermissions } from './lambda/invoke-permissions';
import { ReservedConcurrency } from './lambda/reserved-concurrency';
import { StreamEventSource } from './lambda/stream-event-source';
import { AuditLogHistory } from './logs/audit-log-history';
import { LogGroupRetention } from './logs/log-group-retention';
import { KafkaClusterTls } from './msk/cluster-tls';
import { DuplicatePhysicalName } from './naming/duplicate-physical-name';
import { PhysicalNameStage } from './naming/physical-name-stage';
import { DatabaseSubnets } from './network/database-subnets';
import { FunctionServiceRoutes } from './network/function-service-routes';
import { GatewayEndpointPolicy } from './network/gateway-endpoint-policy';
import { SecurityGroupOpenPorts } from './network/security-group-open-ports';
import { VpcEndpoints } from './network/vpc-endpoints';
import { SearchDomainTls } from './opensearch/domain-tls';
import { UnvalidatedParameter } from './parameters/unvalidated-parameter';
import { PipeStreamFailures } from './pipes/pipe-stream-failures';
import { StageRemovalPolicyRule } from './removal/stage-removal-policy-rule';
import { FintechRule } from './rule';
import { BucketEncryption } from './s3/bucket-encryption';
import { BucketName } from './s3/bucket-name';
import { BucketPublicAccessBlock } from './s3/bucket-public-access-block';
import { BucketTlsOnly } from './s3/bucket-tls-only';
import { ScheduleDeadLetter } from './scheduler/schedule-dead-letter';
import { SubscriptionDeadLetter } from './sns/subscription-dead-letter';
import { TopicProducerPolicy } from './sns/topic-producer-policy';
import { TopicTlsOnly } from './sns/topic-tls-only';
import { QueueDeadLetterQueue } from './sqs/queue-dead-letter-queue';
import { QueueProducerPolicy } from './sqs/queue-producer-policy';
import { QueueTlsOnly } from './sqs/queue-tls-only';
import { StateMachineTasks } from './stepfunctions/state-machine-tasks';
import { RequiredTags } from './tags/required-tags';
import { DependencyCycle } from './template/dependency-cycle';
import { InvalidPhysicalName } from './template/invalid-physical-name';
import { MissingReference } from './template/missing-reference';
import { XRayTracing } from './tracing/xray-tracing';
import { FileTransferServer } from './transfer/file-transfer-server';
import { WebAclRules } from './waf/web-acl-rules';

/** Every rule of the pack, in catalog order: the pack is this list. Add a rule file here. */
export const FINTECH_RULES: readonly FintechRule[] = [
  new RequiredTags(),
  new StageRemovalPolicyRule(),
  new BucketEncryption(),
  new BucketPublicAccessBlock(),
  new BucketTlsOnly(),
  new BucketName(),
  new StoreEncryption(),
  new LogGroupEncryption(),
  new KeyRotation(),
  new ProducerKeyAccess(),
  new ConsumerKeyAccess(),
  new LogGroupKeyAccess(),
  new TrailKeyAccess(),
  new EventBusKeyAccess(),
  new InvokePermissions(),
  new QueueProducerPolicy(),
  new TopicProducerPolicy(),
  new DependencyCycle(),
  new PolicyWildcards(),
  new PublicResourcePolicy(),
  new RoleName(),
  new AlarmOnErrorCount(),
  new AlarmHygiene(),
  new UnmonitoredResource(),
  new DashboardMetricWithoutDimensions(),
  new XRayTracing(),
  new QueueDeadLetterQueue(),
  new AsyncFailureDestination(),
  new RuleTargetDeadLetter(),
  new EventSourceBatchFailures(),
  new SubscriptionDeadLetter(),
  new ScheduleDeadLetter(),
  new PipeStreamFailures(),
  new StreamEventSource(),
  new StateMachineTasks(),
  new DeprecatedRuntimeRule(),
  new ReservedConcurrency(),
  new PhysicalNameStage(),
  new DuplicatePhysicalName(),
  new InvalidPhysicalName(),
  new DatabaseSubnets(),
  new VpcEndpoints(),
  new GatewayEndpointPolicy(),
  new FunctionServiceRoutes(),
  new SecurityGroupOpenPorts(),
  new ListenerTls(),
  new DomainNameTls(),
  new QueueTlsOnly(),
  new TopicTlsOnly(),
  new SearchDomainTls(),
  new CacheTls(),
  new KafkaClusterTls(),
  new DistributionTls(),
  new FileTransferServer(),
  new StageWebAcl(),
  new WebAclRules(),
  new StageSettings(),
  new RestApiExplicitStage(),
  new HttpApiStageSettings(),
  new GraphqlApiLogs(),
  new DistributionProtection(),
  new LogGroupRetention(),
  new AuditLogHistory(),
  new ImageWithoutAsset(),
  new FunctionLogGroup(),
  new FunctionSizing(),
  new ServiceDeployment(),
  new ClusterContainerInsights(),
  new UnvalidatedParameter(),
  new MissingReference(),
];
