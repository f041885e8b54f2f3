import { Duration } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Construct } from 'constructs';
import { DataKey } from './data-key';
import { SecureQueue } from './secure-queue';
import { FintechStage } from '../stage/fintech-stage';
import { NameKind, PhysicalName } from '../stage/physical-name';

/** Properties of a `SecureTable`. */
export interface SecureTableProps {
  /** Partition key. */
  readonly partitionKey: dynamodb.Attribute;

  /**
   * Sort key.
   *
   * @default - no sort key
   */
  readonly sortKey?: dynamodb.Attribute;

  /**
   * Key that encrypts the table (and its stream).
   *
   * @default - a new `DataKey` for this table
   */
  readonly dataKey?: DataKey;

  /**
   * Base of an explicit table name, `<application>-<base>-<stage>`.
   *
   * @default - CloudFormation generates a unique name
   */
  readonly nameBase?: string;

  /**
   * Turn on a stream with new and old images, for `addStreamConsumer`.
   *
   * @default false
   */
  readonly stream?: boolean;

  /**
   * Attribute holding an expiry time (epoch seconds) for items that should age out.
   *
   * @default - no time to live
   */
  readonly timeToLiveAttribute?: string;
}

/** Options of `SecureTable.addStreamConsumer`. */
export interface StreamConsumerOptions {
  /**
   * Records per invocation.
   *
   * @default 100
   */
  readonly batchSize?: number;

  /**
   * Retries of a failing batch (halved by bisecting) before its records go to the failure queue.
   *
   * @default 3
   */
  readonly retryAttempts?: number;
}

/**
 * A DynamoDB table encrypted with a customer key, with point-in-time recovery and, in durable
 * stages, deletion protection (C02, C04). Stream consumers get bisect-on-error, partial batch
 * failure reporting and an encrypted on-failure queue (C12).
 */
export class SecureTable extends Construct {
  /** The table. */
  public readonly table: dynamodb.Table;
  /** The key of the table. */
  public readonly dataKey: DataKey;

  private streamFailures?: SecureQueue;

  constructor(scope: Construct, id: string, props: SecureTableProps) {
    super(scope, id);
    const stage = FintechStage.of(this);
    this.dataKey = props.dataKey ?? new DataKey(this, 'Key', { aliasBase: props.nameBase ? `${props.nameBase}-table` : `${this.node.id.toLowerCase()}-table` });
    this.table = new dynamodb.Table(this, 'Table', {
      ...(props.nameBase ? { tableName: PhysicalName.of(this, props.nameBase, { kind: NameKind.DYNAMODB_TABLE }) } : {}),
      partitionKey: props.partitionKey,
      ...(props.sortKey ? { sortKey: props.sortKey } : {}),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: stage.durable,
      ...(props.stream ? { stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES } : {}),
      ...(props.timeToLiveAttribute ? { timeToLiveAttribute: props.timeToLiveAttribute } : {}),
    });
  }

  /** Subscribes a Lambda function to the table's stream, with retries and an on-failure queue. */
  public addStreamConsumer(fn: lambda.Function, options: StreamConsumerOptions = {}): void {
    if (!this.table.tableStreamArn) {
      throw new Error(`SecureTable at ${this.node.path}: addStreamConsumer needs a stream; set stream: true on the table.`);
    }
    this.streamFailures ??= new SecureQueue(this, 'StreamFailures', { dataKey: this.dataKey });
    fn.addEventSource(new DynamoEventSource(this.table, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: options.batchSize ?? 100,
      retryAttempts: options.retryAttempts ?? 3,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      maxRecordAge: Duration.hours(24),
      onFailure: new SqsDlq(this.streamFailures.queue),
    }));
  }
}
