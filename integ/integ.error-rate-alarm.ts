import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ErrorRateAlarm, PhysicalName } from '../src';
import { integStage } from './integ-stage';

// The deployed alarm watches the guarded rate expression (C07), not an error count, and is routed to the alert topic (C08).
const app = new App();
const stage = integStage(app, 'alarms', 'oncall@example.com');
const stack = new Stack(stage, 'ErrorRateAlarm');
const capture = new lambda.Function(stack, 'Capture', {
  runtime: lambda.Runtime.NODEJS_22_X,
  handler: 'index.handler',
  code: lambda.Code.fromInline('exports.handler = async () => ({ captured: true });'),
  timeout: Duration.seconds(5),
  // The rule pack requires tracing (C11); TracedFunction would add it, a plain function must ask.
  tracing: lambda.Tracing.ACTIVE,
});
// Assertions name the alarm by physical name: a token would be a reference across the stage boundary.
const alarmName = PhysicalName.of(stack, 'capture-error-rate');
const alarm = ErrorRateAlarm.forFunction(stack, 'CaptureErrorRate', capture, {
  description: 'More than 1% of payment captures fail; check the Capture function logs and the last deploy.',
  alarmName,
});

const integ = new IntegTest(app, 'ErrorRateAlarmInteg', { testCases: [stack], regions: [stage.environment.region] });
integ.assertions
  .awsApiCall('CloudWatch', 'describeAlarms', { AlarmNames: [alarmName] })
  .expect(ExpectedResult.objectLike({
    MetricAlarms: [Match.objectLike({
      AlarmName: alarmName,
      Threshold: 1,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 2,
      TreatMissingData: 'notBreaching',
      ActionsEnabled: true,
      AlarmActions: [Match.stringLikeRegexp(':alarms-errorratealarm-alerts-integ$')],
      OKActions: [Match.stringLikeRegexp(':alarms-errorratealarm-alerts-integ$')],
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: alarm.rate.expression, ReturnData: true }),
        Match.objectLike({ Id: 'errors', MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'AWS/Lambda', MetricName: 'Errors' }) }) }),
        Match.objectLike({ Id: 'requests', MetricStat: Match.objectLike({ Metric: Match.objectLike({ Namespace: 'AWS/Lambda', MetricName: 'Invocations' }) }) }),
      ]),
    })],
  }));

app.synth();
