import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { FailureQueue } from './failure-queue';
import { monitorTable } from '../alarms/monitor-table';
import { DataKey } from '../encryption/data-key';
import { FintechStage } from '../stage/fintech-stage';
import { followStage } from '../stage/follow-stage';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { stagePathBase } from '../stage/stage-path-base';

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

  /**
   * The table's alarms (C09): throttled reads or writes, and DynamoDB system errors. The queue
   * that `addStreamConsumer` creates for failed stream batches is monitored with the same settings.
   *
   * @default - both alarms, routed to the stack's `AlertTopic`
   */
  readonly monitoring?: SecureTableMonitoring;
}

/** What a `SecureTable` alarms on. */
export interface SecureTableMonitoring {
  /**
   * Create the alarms. Turn off only where another alarm watches the table.
   *
   * @default true
   */
  readonly enabled?: boolean;

  /**
   * Topic that receives alarm and OK notifications.
   *
   * @default - the stack's `AlertTopic`
   */
  readonly alertTopic?: sns.ITopic;
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
 * failure reporting and an encrypted `FailureQueue` (C12). Alarms on throttles and system errors
 * go to the stack's `AlertTopic` (C08, C09). It is a `dynamodb.Table`, so it goes wherever an `ITable`
 * does, with the L2's grants and metrics. Its key is created next to it, as `<id>Key`.
 */
export class SecureTable extends dynamodb.Table {
  /** The key of the table. */
  public readonly dataKey: DataKey;
  /** Its alarms: throttles, then system errors; empty when monitoring is off. */
  public readonly alarms: cloudwatch.Alarm[];

  private streamFailures?: FailureQueue;
  private readonly monitoring: SecureTableMonitoring;

  constructor(scope: Construct, id: string, props: SecureTableProps) {
    const stage = FintechStage.settingsOf(scope);
    // The key is a prop of the table, so it is made first, next to it.
    const dataKey = props.dataKey ?? new DataKey(scope, `${id}Key`, { aliasBase: props.nameBase ? `${props.nameBase}-table` : `${stagePathBase(scope, id)}-table` });
    super(scope, id, {
      ...(props.nameBase ? { tableName: PhysicalName.of(scope, props.nameBase, { kind: NameKind.DYNAMODB_TABLE }) } : {}),
      partitionKey: props.partitionKey,
      ...(props.sortKey ? { sortKey: props.sortKey } : {}),
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: dataKey.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: stage.durable,
      ...(props.stream ? { stream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES } : {}),
      ...(props.timeToLiveAttribute ? { timeToLiveAttribute: props.timeToLiveAttribute } : {}),
    });
    followStage(this);
    this.dataKey = dataKey;
    this.monitoring = props.monitoring ?? {};
    if (this.monitoring.enabled ?? true) {
      const alertTopic = this.monitoring.alertTopic;
      const { throttles, systemErrors } = monitorTable(this, this, { owner: `SecureTable at ${this.node.path}`, ...(alertTopic ? { alertTopic } : {}) });
      this.alarms = [throttles, systemErrors];
    } else {
      this.alarms = [];
    }
  }

  /** Subscribes a Lambda function to the table's stream, with retries and an on-failure queue. */
  public addStreamConsumer(fn: lambda.Function, options: StreamConsumerOptions = {}): void {
    if (!this.tableStreamArn) {
      throw new Error(`SecureTable at ${this.node.path}: addStreamConsumer needs a stream; set stream: true on the table.`);
    }
    this.streamFailures ??= new FailureQueue(this, 'StreamFailures', {
      dataKey: this.dataKey,
      description: `Stream records of ${this.node.path} that failed every retry of a consumer. Their content is in the table; ` +
        'read the consumer logs, fix the cause, then replay the records the messages name.',
      monitoring: this.monitoring,
    });
    fn.addEventSource(new DynamoEventSource(this, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: options.batchSize ?? 100,
      retryAttempts: options.retryAttempts ?? 3,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      maxRecordAge: Duration.hours(24),
      onFailure: new SqsDlq(this.streamFailures),
    }));
  }
}
