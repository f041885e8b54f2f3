/** How a stateful CloudFormation type is kept in durable stages and made destroyable in ephemeral ones. */
export interface StatefulResourceType {
  /** Deletion policy in durable stages: keep the data, or keep a final snapshot of it. */
  readonly durablePolicy: 'Retain' | 'Snapshot';
  /** Property that turns on deletion protection, with its on and off values. */
  readonly deletionProtection?: { readonly property: string; readonly on: unknown; readonly off: unknown };
  /** Properties set only in ephemeral stages so that deleting the stack succeeds. */
  readonly ephemeralProperties?: { readonly [property: string]: unknown };
}

/**
 * Every resource type whose deletion loses data, with what C02 requires of it. Used by the
 * `StageRemovalPolicy` aspect and by the `Fintech-C02-*` rules, so both agree on one list.
 * Property names: CloudFormation resource reference, checked 2026-11.
 */
export const STATEFUL_RESOURCE_TYPES: { readonly [type: string]: StatefulResourceType } = {
  'AWS::S3::Bucket': { durablePolicy: 'Retain' },
  'AWS::DynamoDB::Table': { durablePolicy: 'Retain', deletionProtection: { property: 'DeletionProtectionEnabled', on: true, off: false } },
  'AWS::DynamoDB::GlobalTable': { durablePolicy: 'Retain' },
  'AWS::RDS::DBInstance': { durablePolicy: 'Snapshot', deletionProtection: { property: 'DeletionProtection', on: true, off: false } },
  'AWS::RDS::DBCluster': { durablePolicy: 'Snapshot', deletionProtection: { property: 'DeletionProtection', on: true, off: false } },
  'AWS::KMS::Key': { durablePolicy: 'Retain', ephemeralProperties: { PendingWindowInDays: 7 } },
  'AWS::Logs::LogGroup': { durablePolicy: 'Retain', deletionProtection: { property: 'DeletionProtectionEnabled', on: true, off: false } },
  'AWS::SQS::Queue': { durablePolicy: 'Retain' },
  'AWS::SNS::Topic': { durablePolicy: 'Retain' },
  'AWS::ECR::Repository': { durablePolicy: 'Retain', ephemeralProperties: { EmptyOnDelete: true } },
  'AWS::Cognito::UserPool': { durablePolicy: 'Retain', deletionProtection: { property: 'DeletionProtection', on: 'ACTIVE', off: 'INACTIVE' } },
  'AWS::EFS::FileSystem': { durablePolicy: 'Retain' },
  'AWS::SecretsManager::Secret': { durablePolicy: 'Retain' },
  'AWS::Kinesis::Stream': { durablePolicy: 'Retain' },
};

/** Acknowledging any rule id with this prefix on a resource makes the stage leave its removal policy alone. */
export const REMOVAL_RULE_PREFIX = 'Fintech-C02-';
