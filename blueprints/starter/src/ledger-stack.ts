import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { FintechStage, NameKind, PhysicalName } from 'fintech-infra-template';

/**
 * A small ledger: an encrypted table of entries, a statement archive and a settlement queue
 * with its dead-letter queue. Removal policies and tags are not set here: the enclosing
 * FintechStage decides them (destroyable in dev, retained and protected in staging and prod).
 */
export class LedgerStack extends Stack {
  public readonly table: dynamodb.Table;
  public readonly archive: s3.Bucket;
  public readonly settlements: sqs.Queue;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const stage = FintechStage.of(this);

    const key = new kms.Key(this, 'DataKey', {
      enableKeyRotation: true,
      alias: PhysicalName.of(this, 'ledger', { kind: NameKind.KMS_ALIAS }),
      description: `Encrypts ledger data of ${stage.application} in ${stage.environmentName}`,
    });

    this.table = new dynamodb.Table(this, 'Entries', {
      tableName: PhysicalName.of(this, 'entries', { kind: NameKind.DYNAMODB_TABLE }),
      partitionKey: { name: 'accountId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'entryId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });

    this.archive = new s3.Bucket(this, 'StatementArchive', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      bucketKeyEnabled: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      versioned: true,
    });

    const deadLetters = new sqs.Queue(this, 'SettlementDeadLetters', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    this.settlements = new sqs.Queue(this, 'Settlements', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(60),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 },
    });

    new CfnOutput(this, 'EntriesTableName', { value: this.table.tableName });
    new CfnOutput(this, 'SettlementQueueUrl', { value: this.settlements.queueUrl });
  }
}
