/** Where a type's names must be unique: the partition (S3), an account (IAM) or an account and region (the rest). */
export type NameScope = 'partition' | 'account' | 'region';

/** The explicit name property of a type whose names CloudFormation cannot create twice, and where they must be unique. */
export interface UniqueName {
  /** The property holding the explicit name, as in the template (PascalCase). */
  readonly property: string;
  /** Where no two resources of the type may share the name. */
  readonly scope: NameScope;
}

/**
 * Every type whose explicit names must be unique where they deploy (from each service's Create* API reference: creating a
 * second one with the same name fails), read by the C16 rules: names that collide inside an app, and names without the
 * stage, which collide with another stage in the same account and region. Types whose names need not be unique (Cognito
 * user pools, AppSync APIs) are not here, nor are AWS Batch job definitions: a second one with the same name becomes a new
 * revision of the first, which jobs submitted by ARN (as CDK writes them) keep apart; nor OpenSearch Serverless security
 * policies, whose names are unique per policy type only, nor EventBridge schedules (unique per schedule group). Checked 2026-12.
 */
export const UNIQUE_NAMES: { readonly [type: string]: UniqueName | undefined } = {
  'AWS::S3::Bucket': { property: 'BucketName', scope: 'partition' },
  'AWS::IAM::Role': { property: 'RoleName', scope: 'account' },
  'AWS::IAM::ManagedPolicy': { property: 'ManagedPolicyName', scope: 'account' },
  'AWS::DynamoDB::Table': { property: 'TableName', scope: 'region' },
  'AWS::DynamoDB::GlobalTable': { property: 'TableName', scope: 'region' },
  'AWS::SQS::Queue': { property: 'QueueName', scope: 'region' },
  'AWS::SNS::Topic': { property: 'TopicName', scope: 'region' },
  'AWS::Lambda::Function': { property: 'FunctionName', scope: 'region' },
  'AWS::StepFunctions::StateMachine': { property: 'StateMachineName', scope: 'region' },
  'AWS::Logs::LogGroup': { property: 'LogGroupName', scope: 'region' },
  'AWS::SecretsManager::Secret': { property: 'Name', scope: 'region' },
  'AWS::KMS::Alias': { property: 'AliasName', scope: 'region' },
  'AWS::Events::Rule': { property: 'Name', scope: 'region' },
  'AWS::Events::EventBus': { property: 'Name', scope: 'region' },
  'AWS::Events::Archive': { property: 'ArchiveName', scope: 'region' },
  'AWS::CloudWatch::Alarm': { property: 'AlarmName', scope: 'region' },
  'AWS::CloudWatch::Dashboard': { property: 'DashboardName', scope: 'region' },
  'AWS::SSM::Parameter': { property: 'Name', scope: 'region' },
  'AWS::Synthetics::Canary': { property: 'Name', scope: 'region' },
  'AWS::Kinesis::Stream': { property: 'Name', scope: 'region' },
  'AWS::ECR::Repository': { property: 'RepositoryName', scope: 'region' },
  'AWS::ECS::Cluster': { property: 'ClusterName', scope: 'region' },
  'AWS::RDS::DBCluster': { property: 'DBClusterIdentifier', scope: 'region' },
  'AWS::RDS::DBInstance': { property: 'DBInstanceIdentifier', scope: 'region' },
  'AWS::ElastiCache::ReplicationGroup': { property: 'ReplicationGroupId', scope: 'region' },
  'AWS::OpenSearchService::Domain': { property: 'DomainName', scope: 'region' },
  'AWS::MemoryDB::Cluster': { property: 'ClusterName', scope: 'region' },
  'AWS::DAX::Cluster': { property: 'ClusterName', scope: 'region' },
  'AWS::Batch::JobQueue': { property: 'JobQueueName', scope: 'region' },
  'AWS::Batch::ComputeEnvironment': { property: 'ComputeEnvironmentName', scope: 'region' },
  'AWS::Batch::SchedulingPolicy': { property: 'Name', scope: 'region' },
  'AWS::KinesisFirehose::DeliveryStream': { property: 'DeliveryStreamName', scope: 'region' },
  'AWS::Pipes::Pipe': { property: 'Name', scope: 'region' },
  'AWS::AmazonMQ::Broker': { property: 'BrokerName', scope: 'region' },
  'AWS::MSK::Cluster': { property: 'ClusterName', scope: 'region' },
  'AWS::ElastiCache::ServerlessCache': { property: 'ServerlessCacheName', scope: 'region' },
  'AWS::Cassandra::Keyspace': { property: 'KeyspaceName', scope: 'region' },
  'AWS::DocDBElastic::Cluster': { property: 'ClusterName', scope: 'region' },
  'AWS::NeptuneGraph::Graph': { property: 'GraphName', scope: 'region' },
  'AWS::OpenSearchServerless::Collection': { property: 'Name', scope: 'region' },
  'AWS::Timestream::Database': { property: 'DatabaseName', scope: 'region' },
  'AWS::S3Tables::TableBucket': { property: 'TableBucketName', scope: 'region' },
};
