import { App, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import { ENV, alertTopic, dataKey, handler, tagWorkload } from '../careful-team';

/**
 * Child alarms without actions, combined by a composite alarm that pages except during a release window (its actions
 * suppressor, an alarm that tells nobody by design); alarms of one evaluation period.
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `CardAuthorizer-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'card-authorizer');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  const authorize = handler(stack, 'Authorize', stage, { memorySize: 1769, timeout: Duration.seconds(5) });

  // One evaluation period: one breaching datapoint is the alarm, so DatapointsToAlarm has nothing to choose.
  const errors = new cloudwatch.Alarm(stack, 'AuthorizeErrorRate', {
    metric: new cloudwatch.MathExpression({
      expression: 'IF(invocations > 0, 100 * errors / invocations, 0)',
      usingMetrics: { errors: authorize.metricErrors({ statistic: 'Sum' }), invocations: authorize.metricInvocations({ statistic: 'Sum' }) },
      period: Duration.minutes(5),
    }),
    alarmDescription: 'Card authorizations fail above 1% over 5 minutes: part of the AuthorizerDegraded composite.',
    threshold: 1,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const latency = new cloudwatch.Alarm(stack, 'AuthorizeLatency', {
    metric: authorize.metricDuration({ statistic: 'p99', period: Duration.minutes(5) }),
    alarmDescription: 'p99 authorization latency above 800 ms over 5 minutes: part of the AuthorizerDegraded composite.',
    threshold: 800,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const throttles = new cloudwatch.Alarm(stack, 'AuthorizeThrottles', {
    metric: authorize.metricThrottles({ statistic: 'Sum', period: Duration.minutes(1) }),
    alarmDescription: 'Authorizations throttled in 3 of 5 minutes: raise the concurrency or find the burst.',
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 5,
    datapointsToAlarm: 3,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  throttles.addAlarmAction(new actions.SnsAction(topic));

  // The release pipeline puts 1 into this metric while it shifts traffic: no page for the latency blip it causes.
  const releasing = new cloudwatch.Alarm(stack, 'ReleaseWindow', {
    metric: new cloudwatch.Metric({ namespace: 'CardAuthorizer/Release', metricName: 'InProgress', statistic: 'Maximum', period: Duration.minutes(1) }),
    alarmDescription: 'A release is shifting traffic: suppresses the AuthorizerDegraded page.',
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  const degraded = new cloudwatch.CompositeAlarm(stack, 'AuthorizerDegraded', {
    alarmRule: cloudwatch.AlarmRule.anyOf(errors, latency),
    actionsSuppressor: releasing,
    actionsSuppressorWaitPeriod: Duration.minutes(2),
    actionsSuppressorExtensionPeriod: Duration.minutes(10),
    alarmDescription: 'Card authorizer degraded (errors or latency): runbook https://wiki.example.com/runbooks/authorizer',
  });
  degraded.addAlarmAction(new actions.SnsAction(topic));
}
