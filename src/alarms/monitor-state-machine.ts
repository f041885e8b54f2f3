import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ErrorRateAlarm } from './error-rate-alarm';
import { hygienicAlarm } from './hygienic-alarm';
import { StateMachineMonitoringOptions } from './monitor-options';
import { checkRatePercent } from './monitor-thresholds';
import { ALARM_PERIOD, SINGLE_PERIOD, STATE_MACHINE_FAILURE_RATE_PERCENT, STATE_MACHINE_TIMEOUTS } from './monitoring-defaults';

/** Options of `monitorStateMachine`: the public thresholds, plus who asks; internal. */
export interface MonitorStateMachineOptions extends StateMachineMonitoringOptions {
  /** Who asks, for error messages. @default - 'State machine monitoring at <path of scope>' */
  readonly owner?: string;
}

/** The alarms of a state machine. */
export interface StateMachineAlarms {
  /** ExecutionsFailed over ExecutionsStarted. */
  readonly failureRate: ErrorRateAlarm;
  /** Any execution timed out. */
  readonly timeouts: cloudwatch.Alarm;
}

/**
 * The alarms every state machine needs (C07, C09): failure rate and timed-out executions.
 * Created in `scope`.
 */
export function monitorStateMachine(scope: Construct, stateMachine: sfn.IStateMachine,
  options: MonitorStateMachineOptions = {}): StateMachineAlarms {
  const owner = options.owner ?? `State machine monitoring at ${scope.node.path}`;
  const topic = options.alertTopic ? { alertTopic: options.alertTopic } : {};
  const percent = options.failureRatePercent ?? STATE_MACHINE_FAILURE_RATE_PERCENT;
  checkRatePercent(owner, 'failureRatePercent', percent, STATE_MACHINE_FAILURE_RATE_PERCENT);
  const failureRate = ErrorRateAlarm.forStateMachine(scope, 'FailureRate', stateMachine, {
    thresholdPercent: percent,
    description: `More than ${percent}% of executions of ${stateMachine.node.path} fail. Open a failed execution's event history to find the failing state.`,
    ...topic,
  });
  const timeouts = hygienicAlarm(scope, 'TimeoutsAlarm', {
    owner,
    metric: stateMachine.metricTimedOut({ statistic: cloudwatch.Stats.SUM, period: ALARM_PERIOD }),
    threshold: STATE_MACHINE_TIMEOUTS,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: SINGLE_PERIOD,
    datapointsToAlarm: SINGLE_PERIOD,
    description: `Executions of ${stateMachine.node.path} time out: work stopped half way without its catch path. Find the stuck state in the execution history.`,
    ...topic,
  });
  return { failureRate, timeouts };
}
