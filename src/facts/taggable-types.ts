/** How a CloudFormation type takes tags: the property, and whether it is a `[{ Key, Value }]` list or a `{ key: value }` map. */
export interface TagProperty {
  /** Property name, as in the template. */
  readonly property: string;
  /** `list` for `[{ Key, Value }]`, `map` for `{ key: value }`. */
  readonly form: 'list' | 'map';
}

const LIST: TagProperty = { property: 'Tags', form: 'list' };

/**
 * Taggable CloudFormation types a fintech workload commonly declares, for resources that reach the template without a
 * tag manager (a raw `new CfnResource({ type })`, a resource `CfnInclude` keeps dehydrated). Resources created through
 * an L1 class need no entry: their tag manager says how they take tags. Tag properties from the CloudFormation resource
 * reference, checked 2026-11 against aws-cdk-lib 2.257's L1 classes (test/facts/taggable-types.test.ts).
 */
export const TAGGABLE_TYPES: { readonly [type: string]: TagProperty } = {
  'AWS::S3::Bucket': LIST,
  'AWS::SQS::Queue': LIST,
  'AWS::SNS::Topic': LIST,
  'AWS::DynamoDB::Table': LIST,
  'AWS::Lambda::Function': LIST,
  'AWS::Lambda::EventSourceMapping': LIST,
  'AWS::KMS::Key': LIST,
  'AWS::Logs::LogGroup': LIST,
  'AWS::IAM::Role': LIST,
  'AWS::StepFunctions::StateMachine': LIST,
  'AWS::Events::Rule': LIST,
  'AWS::ECS::Cluster': LIST,
  'AWS::ECS::Service': LIST,
  'AWS::ECS::TaskDefinition': LIST,
  'AWS::EC2::VPC': LIST,
  'AWS::EC2::Subnet': LIST,
  'AWS::EC2::SecurityGroup': LIST,
  'AWS::RDS::DBInstance': LIST,
  'AWS::RDS::DBCluster': LIST,
  'AWS::SecretsManager::Secret': LIST,
  'AWS::Kinesis::Stream': LIST,
  'AWS::EFS::FileSystem': { property: 'FileSystemTags', form: 'list' },
  'AWS::ECR::Repository': LIST,
  'AWS::ApiGateway::RestApi': LIST,
  'AWS::ApiGateway::Stage': LIST,
  'AWS::ElasticLoadBalancingV2::LoadBalancer': LIST,
  'AWS::ElasticLoadBalancingV2::TargetGroup': LIST,
  'AWS::CloudWatch::Alarm': LIST,
  'AWS::Cognito::UserPool': { property: 'UserPoolTags', form: 'map' },
  'AWS::SSM::Parameter': { property: 'Tags', form: 'map' },
  'AWS::WAFv2::WebACL': LIST,
};
