import { App } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { LogGroupRetention } from '../../../src/rules/logs/log-group-retention';
import { findingsOf, lines, shop } from '../rule-harness';

const C20 = LogGroupRetention.INFO.id;

function c20(app: App) {
  return findingsOf(app, [C20]);
}

describe('Fintech-C20-LogGroupWithoutRetention', () => {
  test('fails an L2 log group kept forever and passes the default (two years) and an explicit retention', () => {
    const { app, stack } = shop();
    new logs.LogGroup(stack, 'Forever', { retention: logs.RetentionDays.INFINITE });
    new logs.LogGroup(stack, 'Default');
    new logs.LogGroup(stack, 'Month', { retention: logs.RetentionDays.ONE_MONTH });
    const findings = c20(app);
    expect(lines(findings)).toEqual([`${C20} Shop/Forever/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/RetentionInDays'],
      message: expect.stringMatching(/^AWS::Logs::LogGroup Forever[0-9A-F]{8} has no RetentionInDays, so CloudWatch Logs keeps its events forever\.$/),
    });
  });

  test('judges L1 log groups and escape hatches', () => {
    const { app, stack } = shop();
    new logs.CfnLogGroup(stack, 'Raw');
    new logs.CfnLogGroup(stack, 'RawWithRetention', { retentionInDays: 90 });
    const patched = new logs.LogGroup(stack, 'Patched');
    (patched.node.defaultChild as logs.CfnLogGroup).addPropertyDeletionOverride('RetentionInDays');
    expect(lines(c20(app))).toEqual([`${C20} Shop/Patched/Resource`, `${C20} Shop/Raw`]);
  });

  test('treats intrinsic retention and properties as unknown', () => {
    const { app, stack } = shop();
    new logs.CfnLogGroup(stack, 'IfRetention').addPropertyOverride('RetentionInDays', { 'Fn::If': ['C', 30, { Ref: 'AWS::NoValue' }] });
    new logs.CfnLogGroup(stack, 'IfProperties').addOverride('Properties', { 'Fn::If': ['C', {}, {}] });
    expect(c20(app)).toEqual([]);
  });
});
