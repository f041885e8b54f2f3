import { CfnParameter, Lazy, Stack, Token } from 'aws-cdk-lib';
import { checkMinimumRequests, checkRatePercent } from '../../src/alarms/monitor-thresholds';

const OWNER = 'TracedFunction at dev/Workload/Capture';

describe('checkRatePercent', () => {
  test.each([0.1, 1, 5, 50, 100])('accepts %p', percent => {
    expect(() => checkRatePercent(OWNER, 'errorRatePercent', percent, 1)).not.toThrow();
  });

  test.each([0, -1, 100.01, 150, NaN, Infinity])('refuses %p, naming the owner, the option and its default', percent => {
    expect(() => checkRatePercent(OWNER, 'errorRatePercent', percent, 1)).toThrow(
      `${OWNER}: monitoring.errorRatePercent ${percent} is not a percentage above 0 and at most 100; ` +
      'use e.g. 1 for "page when more than 1% fail", or drop it for that default.');
  });

  test('names the default it was given', () => {
    expect(() => checkRatePercent('ProtectedRestApi at dev/Workload/Payments', 'clientErrorRatePercent', 150, 10)).toThrow(
      'ProtectedRestApi at dev/Workload/Payments: monitoring.clientErrorRatePercent 150 is not a percentage above 0 and at most 100; ' +
      'use e.g. 10 for "page when more than 10% fail", or drop it for that default.');
  });

  test('leaves a value known only at deploy time alone', () => {
    const parameter = new CfnParameter(new Stack(), 'ErrorRate', { type: 'Number' });
    expect(() => checkRatePercent(OWNER, 'errorRatePercent', parameter.valueAsNumber, 1)).not.toThrow();
    expect(() => checkRatePercent(OWNER, 'errorRatePercent', Token.asNumber(Lazy.number({ produce: () => 0 })), 1)).not.toThrow();
  });
});

describe('checkMinimumRequests', () => {
  test.each([1, 10, 1000])('accepts %p', count => {
    expect(() => checkMinimumRequests(OWNER, 'minimumInvocations', count, 10)).not.toThrow();
  });

  test.each([0, -5, 0.5, 2.5, NaN, Infinity])('refuses %p, explaining the division by zero and naming the default', count => {
    expect(() => checkMinimumRequests(OWNER, 'minimumInvocations', count, 10)).toThrow(
      `${OWNER}: monitoring.minimumInvocations ${count} must be a whole number of at least 1, or the rate divides by zero on no traffic; ` +
      'drop it for the default 10.');
  });

  test('leaves a value known only at deploy time alone', () => {
    const parameter = new CfnParameter(new Stack(), 'MinimumInvocations', { type: 'Number' });
    expect(() => checkMinimumRequests(OWNER, 'minimumInvocations', parameter.valueAsNumber, 10)).not.toThrow();
  });
});
