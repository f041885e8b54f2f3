import { Token } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { AlertTopic } from './alert-topic';
import { DATAPOINTS_TO_ALARM, EVALUATION_PERIODS, TREAT_MISSING_DATA } from './monitoring-defaults';

/** What every alarm of the library states (C08); internal. */
export interface HygienicAlarmProps {
  /** What is measured. */
  readonly metric: cloudwatch.IMetric;
  /** Value compared with the metric. */
  readonly threshold: number;
  /** How the metric is compared. */
  readonly comparisonOperator: cloudwatch.ComparisonOperator;
  /** What the alarm means and what to do; required, since the email shows it to whoever is on call. */
  readonly description: string;
  /** @default EVALUATION_PERIODS (3) */
  readonly evaluationPeriods?: number;
  /** @default DATAPOINTS_TO_ALARM (2), at most `evaluationPeriods` */
  readonly datapointsToAlarm?: number;
  /** @default TREAT_MISSING_DATA (NOT_BREACHING) */
  readonly treatMissingData?: cloudwatch.TreatMissingData;
  /** @default - CloudFormation generates a name */
  readonly alarmName?: string;
  /** Where alarm and OK notifications go. @default AlertTopic.of(scope) */
  readonly alertTopic?: sns.ITopic;
  /** Who is creating the alarm, for error messages, e.g. `ErrorRateAlarm at dev/Workload/Payments`. */
  readonly owner: string;
}

/**
 * Creates an alarm with a description, a missing-data policy, datapoints-to-alarm and both alarm
 * and OK actions on the stack's encrypted, subscribed alert topic. Every alarm the library makes
 * goes through here, so C08 is decided in one place.
 */
export function hygienicAlarm(scope: Construct, id: string, props: HygienicAlarmProps): cloudwatch.Alarm {
  const evaluationPeriods = props.evaluationPeriods ?? EVALUATION_PERIODS;
  const datapointsToAlarm = props.datapointsToAlarm ?? Math.min(DATAPOINTS_TO_ALARM, evaluationPeriods);
  if (typeof props.description !== 'string' || (!Token.isUnresolved(props.description) && props.description.trim().length === 0)) {
    throw new Error(`${props.owner}: description is empty; say what the alarm means and what to do, e.g. 'More than 1% of payment captures fail; check the function logs'.`);
  }
  if (!Number.isInteger(evaluationPeriods) || evaluationPeriods < 1) {
    throw new Error(`${props.owner}: evaluationPeriods ${evaluationPeriods} must be a whole number of at least 1; use the default ${EVALUATION_PERIODS}.`);
  }
  if (!Number.isInteger(datapointsToAlarm) || datapointsToAlarm < 1 || datapointsToAlarm > evaluationPeriods) {
    throw new Error(`${props.owner}: datapointsToAlarm ${datapointsToAlarm} must be a whole number from 1 to evaluationPeriods (${evaluationPeriods}); lower it or raise evaluationPeriods.`);
  }
  const alarm = new cloudwatch.Alarm(scope, id, {
    metric: props.metric,
    threshold: props.threshold,
    comparisonOperator: props.comparisonOperator,
    alarmDescription: props.description,
    evaluationPeriods,
    datapointsToAlarm,
    treatMissingData: props.treatMissingData ?? TREAT_MISSING_DATA,
    ...(props.alarmName ? { alarmName: props.alarmName } : {}),
  });
  // OK actions too, so whoever was paged learns that it recovered.
  const action = new actions.SnsAction(props.alertTopic ?? AlertTopic.of(scope));
  alarm.addAlarmAction(action);
  alarm.addOkAction(action);
  return alarm;
}
