import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { DataKey } from '../../src/encryption/data-key';
import { encryptedLogGroup } from '../../src/encryption/encrypted-log-group';
import { stackIn, testApp } from '../support/fintech-fixture';

describe('encryptedLogGroup', () => {
  test('a named log group: its own customer key, Logs allowed on exactly that group, retention by stage kind', () => {
    const app = testApp();
    const dev = stackIn(app, 'dev');
    const prod = stackIn(app, 'prod');
    encryptedLogGroup(dev, { aliasBase: 'orders-function', logGroupName: '/aws/lambda/ledger-orders-dev' });
    encryptedLogGroup(prod, { aliasBase: 'orders-function', logGroupName: '/aws/lambda/ledger-orders-prod' });
    Template.fromStack(dev).hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/aws/lambda/ledger-orders-dev', RetentionInDays: 7, KmsKeyId: Match.anyValue() });
    const template = Template.fromStack(prod);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 365 });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
          Condition: Match.objectLike({ ArnLike: { 'kms:EncryptionContext:aws:logs:arn': Match.anyValue() } }),
        })]),
      },
    });
    // The condition names this log group only (the partition is a token, so the ARN is an Fn::Join).
    expect(JSON.stringify(template.toJSON())).toContain(':logs:eu-west-1:123456789012:log-group:/aws/lambda/ledger-orders-prod');
  });

  test('reuses a given key and retention, and lets CloudFormation name an unnamed group', () => {
    const stack = stackIn(testApp(), 'dev');
    const dataKey = new DataKey(stack, 'Shared', { aliasBase: 'shared' });
    const { dataKey: used } = encryptedLogGroup(stack, { dataKey, aliasBase: 'unused', retention: logs.RetentionDays.ONE_MONTH });
    expect(used).toBe(dataKey);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30, LogGroupName: Match.absent() });
  });
});
