import { App, CfnParameter, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { LogGroupEncryption } from '../../../src/rules/encryption/log-group-encryption';
import { lines, testApp, validate } from '../rule-harness';

const C04 = LogGroupEncryption.INFO.id;

function c04(app: App) {
  return validate(app).findings.filter(f => f.ruleId === C04 || f.ruleId === 'Fintech-RuleFailed');
}

describe('Fintech-C04-LogGroupWithoutCustomerKey', () => {
  test('warns on an L2 log group without a key and passes one with a key', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new logs.LogGroup(stack, 'Plain');
    new logs.LogGroup(stack, 'Keyed', { encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
    const findings = c04(app);
    expect(lines(findings)).toEqual([`${C04} Shop/Plain/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'warning',
      locations: ['Properties/KmsKeyId'],
      message: expect.stringMatching(/^AWS::Logs::LogGroup Plain[0-9A-F]{8} has no KmsKeyId, /),
    });
  });

  test('judges L1 log groups and escape hatches', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new logs.CfnLogGroup(stack, 'Raw');
    new logs.CfnLogGroup(stack, 'Patched').addPropertyOverride('KmsKeyId', 'arn:aws:kms:eu-west-1:123456789012:key/abc');
    expect(lines(c04(app))).toEqual([`${C04} Shop/Raw`]);
  });

  test('treats an intrinsic key as a key', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new logs.CfnLogGroup(stack, 'Param', { kmsKeyId: new CfnParameter(stack, 'Key').valueAsString });
    new logs.CfnLogGroup(stack, 'Conditional').addOverride('Properties', { 'Fn::If': ['C', {}, {}] });
    expect(c04(app)).toEqual([]);
  });
});
