import * as path from 'path';
import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { isValidLei } from './handlers/check-digits';
import {
  DataKey, ErrorRateAlarm, FintechStage, InvokeFunctionTask, PhysicalName, SecureEventBus, SecureEventRule, SecureGlobalTable,
  ServiceDashboard, TracedFunction, TracedStateMachine,
} from 'fintech-infra-template';

/** Options of `TradePipelineStack`. */
export interface TradePipelineStackProps extends StackProps {
  /**
   * The `source` of the trade events the workflow takes from the bus; source systems put events with this source and
   * the detail-type `TradeSubmitted`.
   *
   * @default `<application>.trading`
   */
  readonly tradeSource?: string;

  /**
   * Largest notional of one trade, in major units of the trade's currency (no FX conversion); larger trades are rejected.
   *
   * @default 100_000_000
   */
  readonly maxTradeNotional?: number;

  /**
   * LEIs of counterparties whose trades are rejected (sanctioned, offboarded, over their credit line).
   *
   * @default - none
   */
  readonly blockedCounterparties?: string[];

  /**
   * The settlement cycle in business days: the settlement date is the trade date plus this many weekdays.
   *
   * @default 2 (T+2, the EU's cycle; US equities settle T+1 since 2024-05-28)
   */
  readonly settlementDays?: number;

  /**
   * Percentage of validated trades rejected above which the rejection-rate alarm fires (5-minute periods with at least
   * `rejectionRateMinimumTrades` validated). A jump means a source system sends malformed trades or a reference list changed.
   *
   * @default 10
   */
  readonly rejectionRateThresholdPercent?: number;

  /**
   * Validated trades per 5 minutes below which the rejection rate counts as 0, so one bad trade out of two never pages.
   *
   * @default 20
   */
  readonly rejectionRateMinimumTrades?: number;

  /**
   * Runs the handlers on AWS's Powertools layer of the version this repo pins, so each function package holds only the
   * handler. Set it to false in AWS GovCloud (US) or China, where AWS does not publish the layer, or to bundle Powertools
   * with the dependencies of your lock file.
   *
   * @default true
   */
  readonly powertoolsLayer?: boolean;
}

/** The detail-type of the events that start the workflow. */
export const TRADE_DETAIL_TYPE = 'TradeSubmitted';

/** The index of the trades table by source system and trade date: a source system's trades of a day or a range of days. */
export const SOURCE_SYSTEM_INDEX = 'sourceSystem-tradeDate';

/** The Powertools service name of the handlers: the `service` dimension of their metrics. */
export const TRADE_SERVICE = 'trade-pipeline';

/** Business metrics the handlers publish with Powertools Metrics (namespace: the application; dimensions: service and stage). */
export const TRADE_METRICS = ['TradesValidated', 'TradesRejected', 'TradesRecorded', 'DuplicateTrades', 'TradesFailed'];

// Defaults of the props, one place each; the handlers have the same defaults for their environment variables.
const DEFAULT_MAX_TRADE_NOTIONAL = 100_000_000;
const DEFAULT_SETTLEMENT_DAYS = 2;
// Notionals are integers of minor units (up to 3 digits) that must stay exact in a JavaScript number.
const LARGEST_MAX_TRADE_NOTIONAL = 9e12;

/**
 * A trade-processing pipeline: source systems put `TradeSubmitted` events on an encrypted, archived event bus; a rule
 * (retries, dead-letter queue) starts a standard Step Functions workflow for each one, which validates the trade (schema
 * and business rules), enriches it (notional in minor units, settlement date, booking key) and records it once per trade
 * id in a global table replicated to the stage's replica regions, queryable by source system and trade date. An invalid
 * trade ends in the `Rejected` state, recorded with its reasons; a state that fails after its retries ends in
 * `TradeFailed`, recorded with the error. Nothing is dropped silently.
 */
export class TradePipelineStack extends Stack {
  /** The bus source systems put trade events on: encrypted, with its own DLQ and an archive for replay. */
  public readonly bus: SecureEventBus;
  /** The rule that starts the workflow for each trade event, with retries and its DLQ. */
  public readonly rule: SecureEventRule;
  /** Every trade by `tradeId`, with its status (RECORDED, REJECTED, FAILED); replicated to the stage's replica regions. */
  public readonly trades: SecureGlobalTable;
  /** The standard workflow: Validate, IsValid, Enrich, Record; RecordRejection; RecordFailure. */
  public readonly workflow: TracedStateMachine;
  /** The Validate task's function. */
  public readonly validateFunction: TracedFunction;
  /** The Enrich task's function. */
  public readonly enrichFunction: TracedFunction;
  /** The Record task's function: the only writer of recorded trades. */
  public readonly recordFunction: TracedFunction;
  /** The RecordRejection and RecordFailure tasks' function. */
  public readonly rejectFunction: TracedFunction;
  /** Pages when too many validated trades are rejected. */
  public readonly rejectionRateAlarm: ErrorRateAlarm;
  /** The `source` of the trade events the rule matches. */
  public readonly tradeSource: string;

  constructor(scope: Construct, id: string, props: TradePipelineStackProps = {}) {
    super(scope, id, props);
    const stage = FintechStage.of(this);
    const at = `TradePipelineStack at ${this.node.path}`;
    const maxTradeNotional = props.maxTradeNotional ?? DEFAULT_MAX_TRADE_NOTIONAL;
    const settlementDays = props.settlementDays ?? DEFAULT_SETTLEMENT_DAYS;
    const blocked = props.blockedCounterparties ?? [];
    validateProps(at, maxTradeNotional, settlementDays, blocked);
    this.tradeSource = props.tradeSource ?? `${stage.application}.trading`;
    const dataKey = new DataKey(this, 'DataKey', { aliasBase: 'trade-pipeline', description: `Trade pipeline functions and workflow logs of ${stage.application} in ${stage.environmentName}` });

    // Replicas in the stage's replicaRegions (.projenrc.ts), each under a key of its region, in a stack per region.
    this.trades = new SecureGlobalTable(this, 'Trades', {
      nameBase: 'trades',
      partitionKey: { name: 'tradeId', type: dynamodb.AttributeType.STRING },
      globalSecondaryIndexes: [{
        indexName: SOURCE_SYSTEM_INDEX,
        partitionKey: { name: 'sourceSystem', type: dynamodb.AttributeType.STRING },
        sortKey: { name: 'tradeDate', type: dynamodb.AttributeType.STRING },
      }],
    });

    const handlers = path.join(__dirname, 'handlers');
    const powertoolsLayer = props.powertoolsLayer ?? true;
    const handler = (name: string, entry: string, environment: { [key: string]: string }, description: string) => new TracedFunction(this, name, {
      entry: path.join(handlers, entry),
      nameBase: `trade-${entry.replace(/\.ts$/, '')}`,
      description,
      powertoolsLayer,
      serviceName: TRADE_SERVICE,
      dataKey,
      timeout: Duration.seconds(10),
      // Invoked synchronously by the workflow only, which retries and catches: no asynchronous on-failure queue.
      asynchronousInvocation: false,
      environment: { STAGE_NAME: stage.environmentName, ...environment },
    });
    this.validateFunction = handler('ValidateFunction', 'validate.ts', {
      MAX_TRADE_NOTIONAL: String(maxTradeNotional),
      BLOCKED_COUNTERPARTIES: blocked.join(','),
    }, 'Checks a trade event against the trade schema and the business rules');
    this.enrichFunction = handler('EnrichFunction', 'enrich.ts', { SETTLEMENT_DAYS: String(settlementDays) },
      'Derives the notional in minor units, the settlement date and the booking key of a valid trade');
    this.recordFunction = handler('RecordFunction', 'record.ts', { TRADES_TABLE_NAME: this.trades.tableName }, 'Records a trade once per trade id');
    this.rejectFunction = handler('RejectFunction', 'rejected.ts', { TRADES_TABLE_NAME: this.trades.tableName },
      'Records a rejected or failed trade with its reasons');
    // Conditional puts on the table only: neither function reads, updates or deletes a trade, or touches the index.
    for (const fn of [this.recordFunction, this.rejectFunction]) {
      fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [this.trades.tableArn] }));
      // The key actions of CDK's grantWriteData: what DynamoDB needs of the caller to write under the table's customer key.
      this.trades.grantOnKey(fn, 'kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*');
    }

    this.workflow = new TracedStateMachine(this, 'Workflow', {
      nameBase: 'trade-workflow',
      definitionBody: sfn.DefinitionBody.fromChainable(this.definition()),
      stateMachineType: sfn.StateMachineType.STANDARD,
      // Four tasks of at most 10 seconds, each retried for about two minutes of Lambda trouble: 15 minutes is stuck.
      timeout: Duration.minutes(15),
      dataKey,
      comment: 'Validates, enriches and records each trade once; rejected and failed trades are recorded with their reasons',
    });

    this.bus = new SecureEventBus(this, 'Bus', {
      nameBase: 'trades',
      description: `Trades of ${stage.application} (${stage.environmentName}): ${TRADE_DETAIL_TYPE} events from the source systems`,
    });
    this.rule = this.bus.addRule('TradeSubmitted', {
      nameBase: 'trade-submitted',
      description: `Starts the trade workflow for each ${TRADE_DETAIL_TYPE} event from ${this.tradeSource}`,
      eventPattern: { source: [this.tradeSource], detailType: [TRADE_DETAIL_TYPE] },
    });
    this.rule.addStateMachineTarget(this.workflow);

    // The rejection rate, 100 * rejected / validated over the stage's own metrics: a count would page on busy days only.
    const dimensionsMap = { service: TRADE_SERVICE, stage: stage.environmentName };
    const businessMetric = (metricName: string) => new cloudwatch.Metric({
      namespace: stage.application, metricName, dimensionsMap, statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5),
    });
    const threshold = props.rejectionRateThresholdPercent ?? 10;
    this.rejectionRateAlarm = new ErrorRateAlarm(this, 'RejectionRateAlarm', {
      alarmName: PhysicalName.of(this, 'trade-rejection-rate'),
      description: `More than ${threshold}% of the trades validated by ${this.validateFunction.node.path} were rejected. ` +
        `Query the trades table's ${SOURCE_SYSTEM_INDEX} index for status REJECTED items and their reasons: one source system ` +
        'with one reason is a broken sender; one reason across systems is a changed rule (a blocked counterparty, the limit).',
      errors: businessMetric('TradesRejected'),
      requests: businessMetric('TradesValidated'),
      thresholdPercent: threshold,
      minimumRequests: props.rejectionRateMinimumTrades ?? 20,
    });

    const dashboard = new ServiceDashboard(this, 'Dashboard', { nameBase: 'trade-pipeline' });
    dashboard.addStateMachine(this.workflow);
    for (const fn of [this.validateFunction, this.enrichFunction, this.recordFunction, this.rejectFunction]) dashboard.addFunction(fn);
    dashboard.addTable(this.trades);
    dashboard.addQueue(this.rule.ensureDeadLetterQueue());
    dashboard.addBusinessMetrics(stage.application, TRADE_METRICS, dimensionsMap, { title: 'Trades' });

    // What source systems, other stacks and the integ test need; exported under stage-suffixed names.
    const output = (outputId: string, value: string, description: string) =>
      new CfnOutput(this, outputId, { value, description, exportName: PhysicalName.of(this, `trade-pipeline-${outputId.replace(/[A-Z]/g, c => `-${c.toLowerCase()}`).slice(1)}`) });
    output('BusName', this.bus.eventBusName, `Put ${TRADE_DETAIL_TYPE} events from source ${this.tradeSource} on this bus`);
    output('BusArn', this.bus.eventBusArn, 'The trade bus, for events:PutEvents grants and cross-account rules');
    output('TradeSource', this.tradeSource, 'The source the trade events must carry');
    output('TradesTableName', this.trades.tableName, `Trades by tradeId; by source system and trade date through index ${SOURCE_SYSTEM_INDEX}`);
    output('WorkflowArn', this.workflow.stateMachineArn, 'The trade workflow, one execution per trade event');
    output('RuleDeadLetterQueueUrl', this.rule.ensureDeadLetterQueue().queueUrl, 'Trade events the rule could not deliver to the workflow');
  }

  /**
   * Validate -> IsValid -> Enrich -> Record -> Recorded; invalid -> RecordRejection -> Rejected. Every task retries Lambda's
   * transient errors with backoff and jitter and catches the rest into RecordFailure -> TradeFailed.
   */
  private definition(): sfn.IChainable {
    const outcome = { outcome: sfn.JsonPath.objectAt('$.Payload') };
    const task = (taskId: string, fn: lambda.IFunction, comment: string, extra: Partial<ConstructorParameters<typeof InvokeFunctionTask>[2]>) =>
      new InvokeFunctionTask(this, taskId, { lambdaFunction: fn, comment, resultSelector: outcome, ...extra });

    // A technical failure of any state: recorded as FAILED with the error Step Functions caught, then the execution fails.
    const recordFailure = task('RecordFailure', this.rejectFunction, 'Records the trade as FAILED with the error that outlived its retries', {
      payload: sfn.TaskInput.fromObject({
        status: 'FAILED',
        eventId: sfn.JsonPath.stringAt('$.id'),
        detail: sfn.JsonPath.objectAt('$.detail'),
        error: sfn.JsonPath.objectAt('$.error'),
      }),
      resultPath: '$.failureRecord',
      // Its own failure keeps the original error at $.error for the execution's history.
      errorPath: '$.recordFailureError',
    });
    recordFailure.next(new sfn.Fail(this, 'TradeFailed', { errorPath: '$.error.Error', causePath: '$.error.Cause' }));
    const onFailure = { failureState: recordFailure };

    const validate = task('Validate', this.validateFunction, 'Checks the trade against the schema and the business rules', {
      ...onFailure, resultPath: '$.validation',
    });
    const enrich = task('Enrich', this.enrichFunction, 'Adds the notional in minor units, the settlement date and the booking key', {
      ...onFailure,
      payload: sfn.TaskInput.fromObject({ trade: sfn.JsonPath.objectAt('$.validation.outcome.trade') }),
      resultPath: '$.enrichment',
    });
    const record = task('Record', this.recordFunction, 'Writes the trade once per trade id; a second delivery is a duplicate', {
      ...onFailure,
      payload: sfn.TaskInput.fromObject({ trade: sfn.JsonPath.objectAt('$.enrichment.outcome'), eventId: sfn.JsonPath.stringAt('$.id') }),
      resultPath: '$.recording',
    });
    const recordRejection = task('RecordRejection', this.rejectFunction, 'Records the invalid trade as REJECTED with its reasons', {
      ...onFailure,
      payload: sfn.TaskInput.fromObject({
        status: 'REJECTED',
        eventId: sfn.JsonPath.stringAt('$.id'),
        detail: sfn.JsonPath.objectAt('$.detail'),
        reasons: sfn.JsonPath.listAt('$.validation.outcome.reasons'),
      }),
      resultPath: '$.rejection',
    });

    // A rejection is a business outcome: the execution succeeds in Rejected, so the failure-rate alarm stays about faults.
    const recorded = new sfn.Succeed(this, 'Recorded', { outputPath: '$.recording.outcome' });
    const rejected = new sfn.Succeed(this, 'Rejected', { outputPath: '$.rejection.outcome', comment: 'The trade is invalid; its reasons are recorded' });
    return validate.next(new sfn.Choice(this, 'IsValid')
      .when(sfn.Condition.and(sfn.Condition.isPresent('$.validation.outcome.valid'), sfn.Condition.booleanEquals('$.validation.outcome.valid', true)),
        enrich.next(record).next(recorded))
      .otherwise(recordRejection.next(rejected)));
  }
}

function validateProps(at: string, maxTradeNotional: number, settlementDays: number, blocked: string[]): void {
  if (!Number.isFinite(maxTradeNotional) || maxTradeNotional <= 0 || maxTradeNotional > LARGEST_MAX_TRADE_NOTIONAL) {
    throw new Error(`${at}: maxTradeNotional ${maxTradeNotional} must be above 0 and at most ${LARGEST_MAX_TRADE_NOTIONAL} (major units), ` +
      `so notionals in minor units stay exact; drop it for ${DEFAULT_MAX_TRADE_NOTIONAL}.`);
  }
  if (!Number.isInteger(settlementDays) || settlementDays < 0 || settlementDays > 10) {
    throw new Error(`${at}: settlementDays ${settlementDays} must be a whole number of business days from 0 to 10; drop it for T+${DEFAULT_SETTLEMENT_DAYS}.`);
  }
  const invalid = blocked.filter(lei => !isValidLei(lei));
  if (invalid.length > 0) {
    throw new Error(`${at}: blockedCounterparties ${invalid.map(lei => JSON.stringify(lei)).join(', ')} ${invalid.length === 1 ? 'is not an LEI' : 'are not LEIs'} ` +
      '(20 characters, upper case, valid ISO 17442 check digits); a misspelt LEI would block nobody. Copy them from the GLEIF record.');
  }
}
