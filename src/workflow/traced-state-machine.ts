import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { StateMachineMonitoringOptions } from '../alarms/monitor-options';
import { monitorStateMachine } from '../alarms/monitor-state-machine';
import { DataKey } from '../encryption/data-key';
import { encryptedLogGroup } from '../encryption/encrypted-log-group';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { stagePathBase } from '../stage/stage-path-base';

/** Properties of a `TracedStateMachine`. */
export interface TracedStateMachineProps {
  /** The states, e.g. `sfn.DefinitionBody.fromChainable(task.next(done))`. */
  readonly definitionBody: sfn.DefinitionBody;

  /**
   * Base of an explicit state machine name, `<application>-<base>-<stage>`; the log group becomes
   * `/aws/vendedlogs/states/<name>`.
   *
   * @default - CloudFormation generates unique names
   */
  readonly nameBase?: string;

  /**
   * Standard (durable, exactly once) or Express (high volume, at least once).
   *
   * @default sfn.StateMachineType.STANDARD
   */
  readonly stateMachineType?: sfn.StateMachineType;

  /**
   * Longest time an execution may run.
   *
   * @default - the service maximum (one year for Standard, five minutes for Express)
   */
  readonly timeout?: Duration;

  /**
   * What is logged. `OFF` is refused: a workflow without logs cannot be investigated.
   *
   * @default sfn.LogLevel.ALL
   */
  readonly logLevel?: sfn.LogLevel;

  /**
   * Whether logs carry each state's input and output.
   *
   * @default true
   */
  readonly includeExecutionData?: boolean;

  /**
   * How long execution logs are kept.
   *
   * @default logs.RetentionDays.ONE_WEEK in ephemeral stages, logs.RetentionDays.ONE_YEAR in durable ones
   */
  readonly logRetention?: logs.RetentionDays;

  /**
   * Key that encrypts the log group.
   *
   * @default - a new `DataKey` for this state machine
   */
  readonly dataKey?: DataKey;

  /**
   * Role the state machine runs as.
   *
   * @default - a new role with what the states and logging need
   */
  readonly role?: iam.IRole;

  /**
   * A comment shown with the definition.
   *
   * @default - none
   */
  readonly comment?: string;

  /**
   * The state machine's alarms (C07, C09): failure rate and timed-out executions.
   *
   * @default - both, routed to the stack's `AlertTopic`
   */
  readonly monitoring?: StateMachineMonitoring;
}

/** What a `TracedStateMachine` alarms on. */
export interface StateMachineMonitoring extends StateMachineMonitoringOptions {
  /**
   * Create the alarms. Turn off only where another alarm watches the state machine.
   *
   * @default true
   */
  readonly enabled?: boolean;
}

// ALL with execution data: Express workflows keep no execution history, so logs are their only record, and for
// Standard ones the inputs and outputs of the failing state are what an investigation needs. The CMK covers their sensitivity.
const DEFAULT_LOG_LEVEL = sfn.LogLevel.ALL;
// Step Functions writes through vended logs; this prefix keeps log-delivery resource policies within their size limit.
const VENDED_LOG_PREFIX = '/aws/vendedlogs/states/';

/**
 * A Step Functions state machine with X-Ray tracing on (C11) and every execution logged, with
 * execution data, to its own KMS-encrypted log group whose retention and removal follow the stage.
 * Named by `PhysicalName` when `nameBase` is given. Alarms on its failure rate and timed-out
 * executions go to the stack's `AlertTopic` (C07, C08, C09). Invoke functions from it with `InvokeFunctionTask`.
 */
export class TracedStateMachine extends sfn.StateMachine {
  /** The key of the execution log group. */
  public readonly dataKey: DataKey;
  /** The execution log group. */
  public readonly logGroup: logs.LogGroup;
  /** Its alarms: failure rate, then timed-out executions; empty when monitoring is off. */
  public readonly alarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: TracedStateMachineProps) {
    const at = `TracedStateMachine at ${[scope.node.path, id].filter(Boolean).join('/')}`;
    if (props.logLevel === sfn.LogLevel.OFF) {
      throw new Error(`${at}: logLevel is OFF, so failed executions could not be investigated; use sfn.LogLevel.ERROR for the least logging, or drop logLevel for ALL.`);
    }
    const stateMachineName = props.nameBase ? PhysicalName.of(scope, props.nameBase, { kind: NameKind.STATE_MACHINE }) : undefined;
    // The state machine takes its log group as a prop, so the key and log group live in a sibling scope made first.
    const logScope = new Construct(scope, `${id}Logs`);
    const logGroupName = stateMachineName ? `${VENDED_LOG_PREFIX}${stateMachineName}` : undefined;
    const { logGroup, dataKey } = encryptedLogGroup(logScope, {
      dataKey: props.dataKey,
      aliasBase: props.nameBase ? `${props.nameBase}-workflow` : stagePathBase(logScope),
      ...(logGroupName ? { logGroupName } : {}),
      ...(props.logRetention ? { retention: props.logRetention } : {}),
    });

    super(scope, id, {
      definitionBody: props.definitionBody,
      ...(stateMachineName ? { stateMachineName } : {}),
      stateMachineType: props.stateMachineType ?? sfn.StateMachineType.STANDARD,
      tracingEnabled: true,
      logs: {
        destination: logGroup,
        level: props.logLevel ?? DEFAULT_LOG_LEVEL,
        includeExecutionData: props.includeExecutionData ?? true,
      },
      ...(props.timeout ? { timeout: props.timeout } : {}),
      ...(props.role ? { role: props.role } : {}),
      ...(props.comment ? { comment: props.comment } : {}),
    });
    this.dataKey = dataKey;
    this.logGroup = logGroup;
    const { enabled = true, ...thresholds } = props.monitoring ?? {};
    if (enabled) {
      const { failureRate, timeouts } = monitorStateMachine(this, this, { ...thresholds, owner: at });
      this.alarms = [failureRate.alarm, timeouts];
    } else {
      this.alarms = [];
    }
  }
}
