import { App, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DataKey, KeyConsumer } from '../../../src/encryption/data-key';
import { encryptedLogGroup } from '../../../src/encryption/encrypted-log-group';
import { LogGroupKeyAccess } from '../../../src/rules/kms/log-group-key-access';
import { testApp } from '../../support/fintech-fixture';
import { findingsOf, lines, shop } from '../rule-harness';
import { keyWith, staged } from './key-harness';

const C05 = LogGroupKeyAccess.INFO.id;
const LOGS_ACTIONS = ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'];

function c05(app: App) {
  return findingsOf(app, [C05]);
}


function logGroup(stack: Stack, id: string, kmsKeyId: string) {
  return new logs.CfnLogGroup(stack, id, { kmsKeyId, retentionInDays: 30 });
}

describe('Fintech-C05-LogGroupKeyWithoutLogsAccess', () => {
  test('fails an L2 log group on a key that does not allow CloudWatch Logs, and passes the library\'s encrypted log group', () => {
    const { app, stack } = staged();
    new logs.LogGroup(stack, 'Audit', { encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }), retention: logs.RetentionDays.ONE_MONTH });
    encryptedLogGroup(new Construct(stack, 'Ingest'), { aliasBase: 'ingest-logs' });
    const findings = c05(app);
    expect(lines(findings)).toEqual([`${C05} dev/Workload/Audit/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/KmsKeyId'],
      message: expect.stringMatching(/^AWS::Logs::LogGroup Audit[0-9A-F]{8} is encrypted with AWS::KMS::Key Key[0-9A-F]{8}, whose key policy does not allow logs\.<region>\.amazonaws\.com .* so the deploy fails creating the log group\.$/),
      fix: expect.stringContaining('DataKey.allowService(KeyConsumer.LOGS)'),
    });
  });

  test('passes a DataKey granted to Logs with allowService', () => {
    const { app, stack } = staged();
    const key = new DataKey(stack, 'Key', { aliasBase: 'audit' });
    key.allowService(KeyConsumer.LOGS);
    new logs.LogGroup(stack, 'Audit', { encryptionKey: key.key, retention: logs.RetentionDays.ONE_MONTH });
    expect(c05(app)).toEqual([]);
  });

  test('L1: a literal regional principal, the Fn::Join and Fn::Sub CDK writes for a region token and the global form pass; another service or too few actions fail', () => {
    const { app, stack } = staged();
    const join = keyWith(stack, 'Join', {
      Effect: 'Allow', Principal: { Service: Fn.join('', ['logs.', Fn.ref('AWS::Region'), '.amazonaws.com']) }, Action: LOGS_ACTIONS, Resource: '*',
    });
    const literal = keyWith(stack, 'Literal', { Effect: 'Allow', Principal: { Service: 'logs.eu-west-1.amazonaws.com' }, Action: LOGS_ACTIONS, Resource: '*' });
    const sub = keyWith(stack, 'Sub', { Effect: 'Allow', Principal: { Service: Fn.sub('logs.${AWS::Region}.amazonaws.com') }, Action: LOGS_ACTIONS, Resource: '*' });
    const global = keyWith(stack, 'Global', { Effect: 'Allow', Principal: { Service: ['sns.amazonaws.com', 'logs.amazonaws.com'] }, Action: 'kms:*', Resource: '*' });
    const other = keyWith(stack, 'Other', { Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: LOGS_ACTIONS, Resource: '*' });
    const partial = keyWith(stack, 'Partial', { Effect: 'Allow', Principal: { Service: 'logs.eu-west-1.amazonaws.com' }, Action: ['kms:Decrypt*', 'kms:GenerateDataKey*'], Resource: '*' });
    logGroup(stack, 'ByJoin', join.attrArn);
    logGroup(stack, 'ByLiteral', literal.attrArn);
    logGroup(stack, 'BySub', sub.attrArn);
    logGroup(stack, 'ByGlobal', global.attrArn);
    logGroup(stack, 'ByOther', other.attrArn);
    logGroup(stack, 'ByPartial', partial.attrArn);
    expect(lines(c05(app))).toEqual([`${C05} dev/Workload/ByOther`, `${C05} dev/Workload/ByPartial`]);
  });

  test('passes the statement key.grantEncryptDecrypt writes for CloudWatch Logs (no kms:Describe*), regional or global; fails encrypt-only', () => {
    const { app, stack } = staged();
    const regional = new kms.Key(stack, 'Regional', { enableKeyRotation: true });
    regional.grantEncryptDecrypt(new iam.ServicePrincipal('logs.eu-west-1.amazonaws.com'));
    const global = new kms.Key(stack, 'Global', { enableKeyRotation: true });
    global.grantEncryptDecrypt(new iam.ServicePrincipal('logs.amazonaws.com'));
    const encryptOnly = new kms.Key(stack, 'EncryptOnly', { enableKeyRotation: true });
    encryptOnly.grantEncrypt(new iam.ServicePrincipal('logs.amazonaws.com'));
    for (const key of [regional, global, encryptOnly]) new logs.LogGroup(stack, `${key.node.id}Logs`, { encryptionKey: key, retention: logs.RetentionDays.ONE_MONTH });
    expect(lines(c05(app))).toEqual([`${C05} dev/Workload/EncryptOnlyLogs/Resource`]);
  });

  test('a key without a KeyPolicy allows only the account, so it fails; a key named through its alias is followed', () => {
    const { app, stack } = staged();
    const bare = new kms.CfnKey(stack, 'Bare', { enableKeyRotation: true });
    new kms.CfnAlias(stack, 'BareAlias', { aliasName: 'alias/ledger-bare-dev', targetKeyId: bare.ref });
    logGroup(stack, 'ByAliasName', 'alias/ledger-bare-dev');
    expect(lines(c05(app))).toEqual([`${C05} dev/Workload/ByAliasName`]);
  });

  test('an AWS managed key fails: CloudWatch Logs cannot use one', () => {
    const { app, stack } = staged();
    logGroup(stack, 'Managed', 'arn:aws:kms:eu-west-1:123456789012:alias/aws/logs');
    const [finding] = c05(app);
    expect(finding).toMatchObject({ message: expect.stringContaining('the AWS managed key "alias/aws/logs", which CloudWatch Logs cannot use') });
  });

  test('keys the template does not define and policies it cannot read are not judged', () => {
    const { app, stack } = staged();
    logGroup(stack, 'Imported', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    const unreadable = new kms.CfnKey(stack, 'Unreadable', { enableKeyRotation: true, keyPolicy: Fn.importValue('shared-key-policy') });
    logGroup(stack, 'ByUnreadable', unreadable.attrArn);
    const intrinsicPrincipal = keyWith(stack, 'Intrinsic', { Effect: 'Allow', Principal: { Service: Fn.importValue('logs-principal') }, Action: LOGS_ACTIONS, Resource: '*' });
    logGroup(stack, 'ByIntrinsic', intrinsicPrincipal.attrArn);
    new logs.CfnLogGroup(stack, 'Plain', { retentionInDays: 30 });
    expect(c05(app)).toEqual([]);
  });

  test('judges log groups of a nested stack encrypted with keys its parent passes in, by key and through an alias', () => {
    const { app, stack } = shop();
    const closed = keyWith(stack, 'Closed');
    const open = keyWith(stack, 'Open', { Effect: 'Allow', Principal: { Service: 'logs.eu-west-1.amazonaws.com' }, Action: LOGS_ACTIONS, Resource: '*' });
    const alias = new kms.CfnAlias(stack, 'ClosedAlias', { aliasName: 'alias/closed', targetKeyId: closed.ref });
    const jobs = new NestedStack(stack, 'Jobs');
    logGroup(jobs, 'ByKey', closed.attrArn);
    logGroup(jobs, 'ByAlias', alias.ref);
    logGroup(jobs, 'Allowed', open.attrArn);
    expect(lines(c05(app))).toEqual([`${C05} Shop/Jobs/ByAlias`, `${C05} Shop/Jobs/ByKey`]);
  });

  test('judges a log group encrypted with a key another stack exports', () => {
    const app = testApp();
    const keys = new Stack(app, 'Keys');
    const closed = keyWith(keys, 'Closed');
    const open = keyWith(keys, 'Open', { Effect: 'Allow', Principal: { Service: 'logs.eu-west-1.amazonaws.com' }, Action: LOGS_ACTIONS, Resource: '*' });
    const audit = new Stack(app, 'Audit');
    logGroup(audit, 'Closed', closed.attrArn);
    logGroup(audit, 'Open', open.attrArn);
    expect(lines(c05(app))).toEqual([`${C05} Audit/Closed`]);
  });
});
