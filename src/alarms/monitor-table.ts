import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { hygienicAlarm } from './hygienic-alarm';
import { ALARM_PERIOD, TABLE_SYSTEM_ERRORS, TABLE_THROTTLES } from './monitoring-defaults';

/** Options of `monitorTable`; internal. */
export interface TableMonitoringOptions {
  /** @default - the stack's AlertTopic */
  readonly alertTopic?: sns.ITopic;
  /** Who asks, for error messages. @default - 'Table monitoring at <path of scope>' */
  readonly owner?: string;
}

/** The alarms of a table. */
export interface TableAlarms {
  /** Read or write throttle events on the table. */
  readonly throttles: cloudwatch.Alarm;
  /** DynamoDB answered requests with HTTP 500. */
  readonly systemErrors: cloudwatch.Alarm;
}

// The data-plane operations an application calls; a metric math alarm may use at most 10 metrics
// (CloudWatch User Guide, "Limits that apply to alarms based on metric math expressions", checked 2026-11).
export const MONITORED_TABLE_OPERATIONS = [
  dynamodb.Operation.GET_ITEM, dynamodb.Operation.PUT_ITEM, dynamodb.Operation.UPDATE_ITEM, dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.QUERY, dynamodb.Operation.SCAN, dynamodb.Operation.BATCH_GET_ITEM, dynamodb.Operation.BATCH_WRITE_ITEM,
  dynamodb.Operation.TRANSACT_GET_ITEMS, dynamodb.Operation.TRANSACT_WRITE_ITEMS,
];

/** Read plus write throttle events of the table (its own dimensions; indexes report separately). */
export function tableThrottles(table: dynamodb.ITable): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: 'FILL(readThrottles, 0) + FILL(writeThrottles, 0)',
    usingMetrics: {
      readThrottles: table.metric('ReadThrottleEvents', { statistic: cloudwatch.Stats.SUM }),
      writeThrottles: table.metric('WriteThrottleEvents', { statistic: cloudwatch.Stats.SUM }),
    },
    period: ALARM_PERIOD,
    label: 'Throttle events',
  });
}

/**
 * System errors of the table summed over `MONITORED_TABLE_OPERATIONS`, each FILLed with 0: DynamoDB reports
 * an operation only when it has errors, and a plain sum has no value where any term is missing.
 */
export function tableSystemErrors(table: dynamodb.ITable): cloudwatch.MathExpression {
  const usingMetrics: Record<string, cloudwatch.IMetric> = {};
  for (const operation of MONITORED_TABLE_OPERATIONS) {
    usingMetrics[operation.toLowerCase()] = table.metric('SystemErrors', {
      dimensionsMap: { TableName: table.tableName, Operation: operation },
      statistic: cloudwatch.Stats.SUM,
    });
  }
  return new cloudwatch.MathExpression({
    expression: Object.keys(usingMetrics).map(id => `FILL(${id}, 0)`).join(' + '),
    usingMetrics,
    period: ALARM_PERIOD,
    label: 'System errors',
  });
}

/**
 * Alarms on a DynamoDB table: throttled reads or writes, and system errors across the usual
 * operations (C09). Alarms are created in `scope`, routed like every library alarm (C08).
 */
export function monitorTable(scope: Construct, table: dynamodb.ITable, options: TableMonitoringOptions = {}): TableAlarms {
  const owner = options.owner ?? `Table monitoring at ${scope.node.path}`;
  const topic = options.alertTopic ? { alertTopic: options.alertTopic } : {};
  const throttles = hygienicAlarm(scope, 'ThrottlesAlarm', {
    owner,
    metric: tableThrottles(table),
    threshold: TABLE_THROTTLES,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    description: `Table ${scope.node.path} throttles reads or writes: a hot partition key or a burst above the table's limits. ` +
      'Check the key distribution and the callers\' retries.',
    ...topic,
  });
  const systemErrors = hygienicAlarm(scope, 'SystemErrorsAlarm', {
    owner,
    metric: tableSystemErrors(table),
    threshold: TABLE_SYSTEM_ERRORS,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    description: `DynamoDB returns server errors (HTTP 500) for table ${scope.node.path}: requests fail unless retried. Check the AWS Health Dashboard.`,
    ...topic,
  });
  return { throttles, systemErrors };
}
