import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { DataKey, FintechStage, SecureBucket, SecureQueue, SecureTable } from 'fintech-infra-template';

/**
 * A small ledger: an encrypted table of entries, a statement archive and a settlement queue
 * with its dead-letter queue, each a construct of the library, so encryption with a rotating
 * customer key, TLS-only access, dead-letter queues and alarms to the stack's alert topic come
 * with them. Removal policies and tags are not set here: the enclosing FintechStage decides them
 * (destroyable in dev, retained and protected in staging and prod).
 */
export class LedgerStack extends Stack {
  public readonly table: SecureTable;
  public readonly archive: SecureBucket;
  public readonly settlements: SecureQueue;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, props);
    const stage = FintechStage.of(this);

    // One customer key for the ledger's data: the table, the archive and the queue share it.
    const dataKey = new DataKey(this, 'DataKey', {
      aliasBase: 'ledger',
      description: `Encrypts ledger data of ${stage.application} in ${stage.environmentName}`,
    });

    this.table = new SecureTable(this, 'Entries', {
      nameBase: 'entries',
      dataKey,
      partitionKey: { name: 'accountId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'entryId', type: dynamodb.AttributeType.STRING },
    });
    this.archive = new SecureBucket(this, 'StatementArchive', { dataKey });
    // A settlement consumer may take up to 10 s: six times that, so a message is never delivered twice while in work.
    this.settlements = new SecureQueue(this, 'Settlements', { dataKey, visibilityTimeout: Duration.seconds(60) });

    new CfnOutput(this, 'EntriesTableName', { value: this.table.tableName });
    new CfnOutput(this, 'SettlementQueueUrl', { value: this.settlements.queueUrl });
  }
}
