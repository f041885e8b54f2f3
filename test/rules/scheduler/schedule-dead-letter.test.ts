import { App, CfnParameter, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ScheduleDeadLetter } from '../../../src/rules/scheduler/schedule-dead-letter';
import { findingsOf, lines, shop } from '../rule-harness';

const DLQ = ScheduleDeadLetter.DEAD_LETTER.id;
const RETRY = ScheduleDeadLetter.RETRY_POLICY.id;

function c12(app: App) {
  return findingsOf(app, [DLQ, RETRY], { stage: 'prod' });
}

function settle(scope: Construct) {
  return new lambda.Function(scope, 'Settle', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
}

const DAILY = scheduler.ScheduleExpression.cron({ minute: '30', hour: '23' });

describe('ScheduleDeadLetter', () => {
  test('passes a schedule whose target has a DLQ and an explicit retry policy, L2 and raw', () => {
    const { app, stack } = shop();
    const undelivered = new sqs.Queue(stack, 'Undelivered');
    new scheduler.Schedule(stack, 'Daily', { schedule: DAILY, target: new targets.LambdaInvoke(settle(stack), { deadLetterQueue: undelivered, retryAttempts: 3, maxEventAge: Duration.hours(1) }) });
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com') });
    new scheduler.CfnSchedule(stack, 'Raw', {
      scheduleExpression: 'rate(1 hour)',
      flexibleTimeWindow: { mode: 'OFF' },
      target: {
        arn: undelivered.queueArn,
        roleArn: role.roleArn,
        deadLetterConfig: { arn: undelivered.queueArn },
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 },
      },
    });
    expect(c12(app)).toEqual([]);
  });

  test('fails an L2 schedule without a dead-letter queue', () => {
    const { app, stack } = shop();
    new scheduler.Schedule(stack, 'Daily', { schedule: DAILY, target: new targets.LambdaInvoke(settle(stack), { retryAttempts: 3 }) });
    const findings = c12(app);
    expect(lines(findings)).toEqual([`${DLQ} Shop/Daily/Resource`]);
    expect(findings[0]).toMatchObject({ severity: 'error', locations: ['Properties/Target/DeadLetterConfig'] });
    expect(findings[0].message).toMatch(/^AWS::Scheduler::Schedule Daily[0-9A-F]{8} has a Target without DeadLetterConfig Arn, so an invocation Scheduler cannot deliver is dropped once its retries are spent\.$/);
  });

  test('fails a raw schedule with neither a DLQ nor a retry policy', () => {
    const { app, stack } = shop();
    new scheduler.CfnSchedule(stack, 'Raw', {
      scheduleExpression: 'rate(1 hour)',
      flexibleTimeWindow: { mode: 'OFF' },
      target: { arn: 'arn:aws:lambda:eu-west-1:123456789012:function:settle', roleArn: 'arn:aws:iam::123456789012:role/scheduler' },
    });
    expect(lines(c12(app))).toEqual([`${DLQ} Shop/Raw`, `${RETRY} Shop/Raw`]);
  });

  test('fails a retry policy at both of Scheduler\'s maxima, as the L2 targets write it when no limit is set, and passes one that lowers either', () => {
    const { app, stack } = shop();
    const undelivered = new sqs.Queue(stack, 'Undelivered');
    const fn = settle(stack);
    new scheduler.Schedule(stack, 'Unbounded', { schedule: DAILY, target: new targets.LambdaInvoke(fn, { deadLetterQueue: undelivered }) });
    new scheduler.Schedule(stack, 'FewAttempts', { schedule: DAILY, target: new targets.LambdaInvoke(fn, { deadLetterQueue: undelivered, retryAttempts: 3 }) });
    new scheduler.Schedule(stack, 'OneHour', { schedule: DAILY, target: new targets.LambdaInvoke(fn, { deadLetterQueue: undelivered, maxEventAge: Duration.hours(1) }) });
    const raw = (id: string, retryPolicy: unknown) => new scheduler.CfnSchedule(stack, id, {
      scheduleExpression: 'rate(1 hour)',
      flexibleTimeWindow: { mode: 'OFF' },
      target: { arn: fn.functionArn, roleArn: 'arn:aws:iam::123456789012:role/scheduler', deadLetterConfig: { arn: undelivered.queueArn } },
    }).addPropertyOverride('Target.RetryPolicy', retryPolicy);
    raw('AttemptsOnly', { MaximumRetryAttempts: 185 });
    raw('AsText', { MaximumRetryAttempts: '185', MaximumEventAgeInSeconds: '86400' });
    raw('ByParameter', { MaximumRetryAttempts: { Ref: 'Attempts' }, MaximumEventAgeInSeconds: 86400 });
    const findings = c12(app);
    expect(lines(findings)).toEqual([`${RETRY} Shop/AsText`, `${RETRY} Shop/AttemptsOnly`, `${RETRY} Shop/Unbounded/Resource`]);
    expect(findings.find(f => f.constructPath === 'Shop/Unbounded/Resource')!.message).toMatch(
      /^AWS::Scheduler::Schedule Unbounded[0-9A-F]{8} has a Target whose RetryPolicy is Scheduler's maximum \(185 attempts over 24 hours\), what aws-scheduler-targets writes/);
  });

  test('leaves an intrinsic target alone', () => {
    const { app, stack } = shop();
    const arn = new CfnParameter(stack, 'TargetArn', { type: 'String', allowedPattern: '^arn:.*' });
    new scheduler.CfnSchedule(stack, 'Raw', { scheduleExpression: 'rate(1 hour)', flexibleTimeWindow: { mode: 'OFF' }, target: { arn: arn.valueAsString, roleArn: arn.valueAsString } })
      .addPropertyOverride('Target', { 'Fn::If': ['C', { Arn: 'a', RoleArn: 'r' }, { Ref: 'AWS::NoValue' }] });
    expect(c12(app)).toEqual([]);
  });
});
