import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
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

const durableDefaultWarnings = (stack: Stack) => Annotations.fromStack(stack).findWarning('*', Match.stringLikeRegexp('fintech:durable-default'));

describe('encryptedLogGroup outside a FintechStage', () => {
  test('with an ephemeral context stage: a week of logs, log group and key destroyed', () => {
    const app = testApp();
    app.node.setContext('fintech:stage', 'dev');
    const stack = new Stack(app, 'Loose');
    encryptedLogGroup(stack, { aliasBase: 'orders-function' });
    const template = Template.fromStack(stack);
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: { RetentionInDays: 7 } });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/orders-function-dev' });
  });

  test('without context: a year of logs, retained, and one warning however many groups', () => {
    const stack = new Stack(testApp(), 'Loose');
    encryptedLogGroup(new Construct(stack, 'A'), { aliasBase: 'a' });
    encryptedLogGroup(new Construct(stack, 'B'), { aliasBase: 'b' });
    const template = Template.fromStack(stack);
    expect(Object.values(template.findResources('AWS::Logs::LogGroup')).map(r => [r.DeletionPolicy, r.Properties.RetentionInDays]))
      .toEqual([['Retain', 365], ['Retain', 365]]);
    expect(durableDefaultWarnings(stack)).toHaveLength(1);
  });
});
