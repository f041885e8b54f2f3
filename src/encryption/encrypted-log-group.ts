import { Stack } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DataKey, KeyConsumer } from './data-key';
import { FintechStage } from '../stage/fintech-stage';
import { followStage } from '../stage/follow-stage';

// Ephemeral stages are torn down soon; durable stages keep a year of logs (PCI DSS 10.5.1 keeps 12 months of audit history).
const EPHEMERAL_LOG_RETENTION = logs.RetentionDays.ONE_WEEK;
const DURABLE_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

/** What `encryptedLogGroup` needs. */
export interface EncryptedLogGroupOptions {
  /** The key to encrypt with; a new DataKey aliased `aliasBase` when absent. */
  readonly dataKey?: DataKey;
  /** Alias base of the key created when `dataKey` is absent. */
  readonly aliasBase: string;
  /** The log group's name; CloudFormation names it when absent. */
  readonly logGroupName?: string;
  /** Retention; by stage kind when absent (a week in ephemeral stages, a year in durable ones). */
  readonly retention?: logs.RetentionDays;
}

/**
 * A log group encrypted with a customer key that lets CloudWatch Logs use it (scoped to the log group's ARN when it has
 * a name), with stage-aware retention; the stage's removal aspect decides what happens to it on delete (outside a
 * `FintechStage`, the log group's own aspect, see `followStage`). Internal.
 */
export function encryptedLogGroup(scope: Construct, options: EncryptedLogGroupOptions): { logGroup: logs.LogGroup; dataKey: DataKey } {
  const dataKey = options.dataKey ?? new DataKey(scope, 'Key', { aliasBase: options.aliasBase });
  const stack = Stack.of(scope);
  const name = options.logGroupName;
  dataKey.allowService(KeyConsumer.LOGS, name ? { sourceArn: `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${name}` } : {});
  const logGroup = new logs.LogGroup(scope, 'LogGroup', {
    ...(name ? { logGroupName: name } : {}),
    encryptionKey: dataKey.key,
    retention: options.retention ?? (FintechStage.settingsOf(scope).durable ? DURABLE_LOG_RETENTION : EPHEMERAL_LOG_RETENTION),
  });
  followStage(logGroup);
  return { logGroup, dataKey };
}
