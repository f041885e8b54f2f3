import { Template } from 'aws-cdk-lib/assertions';
import { DataKey, KeyConsumer } from '../../src/data/data-key';
import { stackIn, testApp } from '../support/fintech-fixture';

function keyPolicyStatements(template: Template): any[] {
  const [key] = Object.values(template.findResources('AWS::KMS::Key'));
  return key.Properties.KeyPolicy.Statement;
}

describe('DataKey', () => {
  test('is a customer key with rotation and a stage-named alias', () => {
    const stack = stackIn(testApp(), 'prod');
    const key = new DataKey(stack, 'Ledger', { aliasBase: 'ledger' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ledger-ledger-prod' });
    expect(key.aliasName).toBe('alias/ledger-ledger-prod');
  });

  test('allows a service scoped to this account and the source ARN', () => {
    const stack = stackIn(testApp(), 'prod');
    const key = new DataKey(stack, 'Key');
    key.allowService(KeyConsumer.CLOUDWATCH, { sourceArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*' });
    expect(keyPolicyStatements(Template.fromStack(stack))).toContainEqual({
      Sid: 'AllowCloudwatch',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '123456789012' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*' },
      },
    });
  });

  test('allows CloudWatch Logs through its regional principal and the log group encryption context', () => {
    const stack = stackIn(testApp(), 'prod');
    new DataKey(stack, 'Key').allowService(KeyConsumer.LOGS);
    const statement = keyPolicyStatements(Template.fromStack(stack)).find(s => s.Sid === 'AllowLogs');
    expect(statement.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
    expect(statement.Condition).toEqual({
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:123456789012:log-group:*']] } },
    });
  });

  test('adds each grant once: a source already covered by an earlier one adds nothing', () => {
    const stack = stackIn(testApp(), 'prod');
    const key = new DataKey(stack, 'Key');
    key.allowService(KeyConsumer.EVENTS, { sourceArn: 'arn:aws:events:eu-west-1:123456789012:rule/*' });
    key.allowService(KeyConsumer.EVENTS, { sourceArn: 'arn:aws:events:eu-west-1:123456789012:rule/*' });
    // Covered by the pattern above.
    key.allowService(KeyConsumer.EVENTS, { sourceArn: 'arn:aws:events:eu-west-1:123456789012:rule/payments-prod' });
    // Another region's rules are not: a second statement.
    key.allowService(KeyConsumer.EVENTS, { sourceArn: 'arn:aws:events:eu-central-1:123456789012:rule/x' });
    // The whole account (no source ARN) is not covered by a pattern, and covers every source after it.
    key.allowService(KeyConsumer.EVENTS);
    key.allowService(KeyConsumer.EVENTS, { sourceArn: 'arn:aws:events:eu-west-2:123456789012:rule/y' });
    const statements = keyPolicyStatements(Template.fromStack(stack)).filter(s => s.Principal?.Service === 'events.amazonaws.com');
    expect(statements.map(s => [s.Sid, s.Condition.ArnLike?.['aws:SourceArn']])).toEqual([
      ['AllowEvents', 'arn:aws:events:eu-west-1:123456789012:rule/*'],
      ['AllowEvents2', 'arn:aws:events:eu-central-1:123456789012:rule/x'],
      ['AllowEvents3', undefined],
    ]);
    expect(statements[2].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '123456789012' } });
  });
});
