import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { PhysicalName } from '../stage/physical-name';

/** Properties of `SavedQueries`. */
export interface SavedQueriesProps {
  /** Log groups the queries run over: function log groups (Powertools JSON logs) and API access log groups. */
  readonly logGroups: logs.ILogGroup[];

  /**
   * Requests slower than this are listed by the slow-requests query.
   *
   * @default Duration.seconds(1)
   */
  readonly slowRequestThreshold?: Duration;

  /**
   * Field holding a request's duration in milliseconds: `@duration` of Lambda REPORT lines, or e.g.
   * `responseLatency` of `ProtectedRestApi` access logs.
   *
   * @default '@duration'
   */
  readonly durationField?: string;

  /**
   * Log field holding the payment's transaction id, as the handlers log it (Powertools `appendKeys`).
   *
   * @default 'transaction_id'
   */
  readonly transactionIdField?: string;

  /**
   * Base of the console folder the queries are saved in, `<application>-<base>-<stage>/`.
   *
   * @default 'queries'
   */
  readonly nameBase?: string;
}

// A payment call slower than a second is felt by the customer, and clients start to retry.
const DEFAULT_SLOW_REQUEST_THRESHOLD = Duration.seconds(1);
// Enough rows to see a pattern in the console; narrow the time range for more.
const ROW_LIMIT = 100;
// Logs Insights field names: letters, digits, `_`, `.` for nested JSON keys, an `@` for system fields.
const FIELD_NAME = /^@?[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * CloudWatch Logs Insights queries saved in the console for the stage's log groups (C24): errors
 * (Powertools `level` ERROR and Lambda timeouts), slow requests (duration above a threshold), and
 * failed payments counted by transaction id. Each is one `QueryDefinition` in a folder named for the stage.
 */
export class SavedQueries extends Construct {
  /** Recent errors, newest first. */
  public readonly errors: logs.QueryDefinition;
  /** Requests above the threshold, slowest first. */
  public readonly slowRequests: logs.QueryDefinition;
  /** Failed payments by transaction id, most failures first. */
  public readonly failedPayments: logs.QueryDefinition;
  /** The console folder, `<application>-<base>-<stage>`. */
  public readonly folder: string;

  constructor(scope: Construct, id: string, props: SavedQueriesProps) {
    super(scope, id);
    const at = `SavedQueries at ${this.node.path}`;
    if (!props.logGroups || props.logGroups.length === 0) {
      throw new Error(`${at}: logGroups is empty, so the queries would search nothing; pass the function and API log groups of the stage, e.g. [fn.logGroup, api.accessLogGroup].`);
    }
    const durationField = props.durationField ?? '@duration';
    const transactionIdField = props.transactionIdField ?? 'transaction_id';
    for (const [option, field] of [['durationField', durationField], ['transactionIdField', transactionIdField]]) {
      if (!FIELD_NAME.test(field)) {
        throw new Error(`${at}: ${option} "${field}" is not a Logs Insights field name; use letters, digits and underscores, dots for nested JSON keys, e.g. "transaction_id" or "payment.id".`);
      }
    }
    const threshold = props.slowRequestThreshold ?? DEFAULT_SLOW_REQUEST_THRESHOLD;
    const thresholdMs = threshold.toMilliseconds();
    if (thresholdMs <= 0) {
      throw new Error(`${at}: slowRequestThreshold ${threshold.toHumanString()} would list every request; use a positive duration such as Duration.seconds(1).`);
    }

    this.folder = PhysicalName.of(this, props.nameBase ?? 'queries');
    const define = (name: string, queryString: logs.QueryString) => new logs.QueryDefinition(this, name, {
      queryDefinitionName: `${this.folder}/${name}`,
      queryString,
      logGroups: props.logGroups,
    });

    this.errors = define('Errors', new logs.QueryString({
      fields: ['@timestamp', '@log', 'service', 'function_name', 'message', 'error.name', 'error.message', 'xray_trace_id'],
      // Powertools logs errors with level ERROR; a timeout is written by Lambda itself, as plain text.
      filterStatements: ['level = "ERROR" or @message like /Task timed out/'],
      sort: '@timestamp desc',
      limit: ROW_LIMIT,
    }));
    this.slowRequests = define('SlowRequests', new logs.QueryString({
      fields: ['@timestamp', '@log', durationField, '@message'],
      filterStatements: [`${durationField} > ${thresholdMs}`],
      sort: `${durationField} desc`,
      limit: ROW_LIMIT,
    }));
    this.failedPayments = define('FailedPayments', new logs.QueryString({
      filterStatements: [`level = "ERROR" and ispresent(${transactionIdField})`],
      statsStatements: [`count(*) as failures, earliest(@timestamp) as firstSeen, latest(@timestamp) as lastSeen, latest(message) as lastMessage by ${transactionIdField}`],
      sort: 'failures desc',
      limit: ROW_LIMIT,
    }));
  }
}
