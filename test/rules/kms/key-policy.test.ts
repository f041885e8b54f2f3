import { ENCRYPTION_CONTEXT, globalService, keyPolicyAllows, namedKey } from '../../../src/rules/kms/key-policy';
import { StackTemplate } from '../../../src/rules/stack-template';
import { templatesTogether } from '../rule-harness';

const NEEDED = ['kms:Decrypt', 'kms:GenerateDataKey*'];
const SNS = globalService('sns');

/** The account statement every CDK key policy starts with. */
const ACCOUNT_ROOT = {
  Action: 'kms:*',
  Effect: 'Allow',
  Principal: { AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::123456789012:root']] } },
  Resource: '*',
};

/** What `DataKey.allowService(KeyConsumer.SNS)` adds. */
const ALLOW_SNS = {
  Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
  Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' } },
  Effect: 'Allow',
  Principal: { Service: 'sns.amazonaws.com' },
  Resource: '*',
};

function template(resources: Record<string, unknown>): StackTemplate {
  return new StackTemplate({ templatePath: '/tmp/cdk.out/Shop.template.json', template: { Resources: resources }, stageName: 'prod', durable: true, elements: new Map() });
}

/** The verdict of keyPolicyAllows for SNS on a key with this KeyPolicy (the property left out when undefined). */
function allowsSns(keyPolicy: unknown, needed: readonly string[] = NEEDED): boolean | undefined {
  const properties = keyPolicy === undefined ? { EnableKeyRotation: true } : { EnableKeyRotation: true, KeyPolicy: keyPolicy };
  return keyPolicyAllows(template({ Key: { Type: 'AWS::KMS::Key', Properties: properties } }).resource('Key')!, SNS, needed);
}

const STACK = template({
  LedgerKey: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [ACCOUNT_ROOT] } } },
  LedgerKeyAlias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/ledger-data-prod', TargetKeyId: { 'Fn::GetAtt': ['LedgerKey', 'Arn'] } } },
  OrphanAlias: { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/orphan', TargetKeyId: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab' } },
  Orders: { Type: 'AWS::SQS::Queue', Properties: { QueueName: 'orders' } },
});

/** namedKey as one comparable string. */
function named(value: unknown): string {
  const key = namedKey(STACK, value);
  if (key.kind === 'customer') return `customer ${key.key.logicalId}`;
  return key.kind === 'awsManaged' ? `awsManaged ${key.alias}` : 'unknown';
}

describe('namedKey', () => {
  test('finds a key of the template by Ref, Fn::GetAtt, or a join or sub that references it', () => {
    expect(named({ Ref: 'LedgerKey' })).toBe('customer LedgerKey');
    expect(named({ 'Fn::GetAtt': ['LedgerKey', 'Arn'] })).toBe('customer LedgerKey');
    expect(named({ 'Fn::GetAtt': 'LedgerKey.KeyId' })).toBe('customer LedgerKey');
    expect(named({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-west-1:123456789012:key/', { Ref: 'LedgerKey' }]] })).toBe('customer LedgerKey');
    expect(named({ 'Fn::Sub': 'arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${LedgerKey}' })).toBe('customer LedgerKey');
  });

  test('follows an alias of the template to its key, named by Ref or by its literal name or ARN', () => {
    expect(named({ Ref: 'LedgerKeyAlias' })).toBe('customer LedgerKey');
    expect(named('alias/ledger-data-prod')).toBe('customer LedgerKey');
    expect(named('arn:aws:kms:eu-west-1:123456789012:alias/ledger-data-prod')).toBe('customer LedgerKey');
    // The ARN kms.Alias.fromAliasName writes: the partition as a pseudo parameter.
    expect(named({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-west-1:123456789012:alias/ledger-data-prod']] })).toBe('customer LedgerKey');
    expect(named({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-west-1:123456789012:alias/aws/sqs']] })).toBe('awsManaged alias/aws/sqs');
  });

  test('follows an alias name to the one alias another template of the stage declares', () => {
    const alias = { Type: 'AWS::KMS::Alias', Properties: { AliasName: 'alias/payments', TargetKeyId: { Ref: 'Key' } } };
    const { Platform: platform, Payments: payments } = templatesTogether({
      Platform: { Resources: { Key: { Type: 'AWS::KMS::Key', Properties: {} }, Alias: alias } },
      Payments: { Resources: {} },
    });
    const key = namedKey(payments, 'alias/payments');
    expect(key.kind === 'customer' && key.key).toBe(platform.resource('Key'));
    // Two aliases of one name elsewhere: which one is meant cannot be told.
    const twice = templatesTogether({ A: { Resources: { Key: { Type: 'AWS::KMS::Key' }, Alias: alias } }, B: { Resources: { Key: { Type: 'AWS::KMS::Key' }, Alias: alias } }, C: {} });
    expect(namedKey(twice.C, 'alias/payments').kind).toBe('unknown');
    expect(namedKey(twice.A, 'alias/payments')).toEqual({ kind: 'customer', key: twice.A.resource('Key') });
  });

  test('recognises AWS managed aliases, by name or ARN, and strips the ARN prefix', () => {
    expect(named('alias/aws/sqs')).toBe('awsManaged alias/aws/sqs');
    expect(named('arn:aws:kms:eu-west-1:123456789012:alias/aws/sns')).toBe('awsManaged alias/aws/sns');
    expect(named('arn:aws-cn:kms:cn-north-1:123456789012:alias/aws/logs')).toBe('awsManaged alias/aws/logs');
    // A customer alias that merely starts with "aws" is not AWS managed.
    expect(named('alias/aws-ledger')).toBe('unknown');
  });

  test('is unknown for imported keys, aliases whose target is imported, other resource types and unreadable values', () => {
    expect(named('arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab')).toBe('unknown');
    expect(named('alias/not-in-this-template')).toBe('unknown');
    expect(named('alias/orphan')).toBe('unknown');
    expect(named({ Ref: 'KeyArnParameter' })).toBe('unknown');
    expect(named({ 'Fn::ImportValue': 'SharedKeyArn' })).toBe('unknown');
    expect(named({ 'Fn::If': ['IsProd', { Ref: 'LedgerKey' }, 'alias/aws/sqs'] })).toBe('unknown');
    expect(named({ Ref: 'Orders' })).toBe('unknown');
    expect(named(undefined)).toBe('unknown');
    expect(named(42)).toBe('unknown');
  });
});

describe('globalService', () => {
  test('matches the global service principal, in any case, and the China partition\'s', () => {
    expect(SNS('sns.amazonaws.com')).toBe(true);
    expect(SNS('SNS.amazonaws.com')).toBe(true);
    expect(SNS('sns.amazonaws.com.cn')).toBe(true);
  });

  test('rejects other services and look-alikes; an intrinsic is unknown', () => {
    expect(SNS('sqs.amazonaws.com')).toBe(false);
    expect(SNS('sns.eu-west-1.amazonaws.com')).toBe(false);
    expect(SNS('notsns.amazonaws.com')).toBe(false);
    expect(SNS('sns.amazonaws.com.evil.example')).toBe(false);
    expect(SNS({ 'Fn::Join': ['', ['sns.', { Ref: 'AWS::URLSuffix' }]] })).toBeUndefined();
  });
});

describe('keyPolicyAllows', () => {
  test('is true when a statement allows the service every needed action', () => {
    expect(allowsSns({ Statement: [ACCOUNT_ROOT, ALLOW_SNS] })).toBe(true);
    // One statement object rather than a list.
    expect(allowsSns({ Statement: ALLOW_SNS })).toBe(true);
  });

  test('combines actions over statements and matches IAM wildcards case-insensitively', () => {
    expect(allowsSns({ Statement: [{ ...ALLOW_SNS, Action: 'kms:Decrypt' }, { ...ALLOW_SNS, Action: 'kms:GenerateDataKey*' }] })).toBe(true);
    expect(allowsSns({ Statement: [{ ...ALLOW_SNS, Action: 'kms:*' }] })).toBe(true);
    expect(allowsSns({ Statement: [{ ...ALLOW_SNS, Action: ['KMS:decrypt', 'kms:Generate*'] }] })).toBe(true);
    expect(allowsSns({ Statement: [{ ...ALLOW_SNS, Action: ['kms:Decryp?', 'kms:GenerateDataKey*'] }] })).toBe(true);
    expect(allowsSns({ Statement: [{ ...ALLOW_SNS, Action: '*' }] })).toBe(true);
  });

  test('counts "*" and an AWS "*" principal as covering the service, and a list of services', () => {
    expect(allowsSns({ Statement: [{ ...ALLOW_SNS, Principal: '*' }] })).toBe(true);
    expect(allowsSns({ Statement: [{ ...ALLOW_SNS, Principal: { AWS: '*' } }] })).toBe(true);
    expect(allowsSns({ Statement: [{ ...ALLOW_SNS, Principal: { AWS: ['arn:aws:iam::123456789012:root', '*'] } }] })).toBe(true);
    expect(allowsSns({ Statement: [{ ...ALLOW_SNS, Principal: { Service: ['events.amazonaws.com', 'sns.amazonaws.com'] } }] })).toBe(true);
  });

  test('is false when the policy leaves an action out, allows only the account, or names other services', () => {
    expect(allowsSns({ Statement: [ACCOUNT_ROOT, { ...ALLOW_SNS, Action: 'kms:Decrypt' }] })).toBe(false);
    expect(allowsSns({ Statement: [ACCOUNT_ROOT] })).toBe(false);
    expect(allowsSns({ Statement: [{ ...ALLOW_SNS, Principal: { Service: 'events.amazonaws.com' } }] })).toBe(false);
    expect(allowsSns({ Statement: [{ ...ALLOW_SNS, Action: ['kms:GenerateDataKey', 'kms:Decrypt'] }] })).toBe(false);
    expect(allowsSns({ Statement: [] })).toBe(false);
    // A statement that does not cover the service may use NotAction; it is simply not about the service.
    expect(allowsSns({ Statement: [ACCOUNT_ROOT, { ...ALLOW_SNS, Action: undefined, NotAction: 'kms:ScheduleKeyDeletion', Principal: { Service: 'events.amazonaws.com' } }] })).toBe(false);
  });

  test('is false without a KeyPolicy: the default key policy allows only the account', () => {
    expect(allowsSns(undefined)).toBe(false);
  });

  test('is unknown when a statement that might allow the service cannot be read', () => {
    const unreadable = [
      { 'Fn::If': ['IsProd', ALLOW_SNS, { Ref: 'AWS::NoValue' }] },
      { ...ALLOW_SNS, Effect: { Ref: 'Effect' } },
      { ...ALLOW_SNS, Principal: { Ref: 'Principal' } },
      { ...ALLOW_SNS, Principal: { Service: { 'Fn::Join': ['', ['sns.', { Ref: 'AWS::URLSuffix' }]] } } },
      { ...ALLOW_SNS, Action: { Ref: 'Actions' } },
      { ...ALLOW_SNS, Action: ['kms:Decrypt', { Ref: 'MoreActions' }] },
      { ...ALLOW_SNS, Action: undefined, NotAction: 'kms:ScheduleKeyDeletion' },
      { ...ALLOW_SNS, Principal: { Service: 'events.amazonaws.com' }, NotPrincipal: { AWS: 'arn:aws:iam::123456789012:root' } },
    ];
    for (const statement of unreadable) {
      expect(allowsSns({ Statement: [ACCOUNT_ROOT, statement] })).toBeUndefined();
    }
    expect(allowsSns({ 'Fn::If': ['IsProd', { Statement: [ALLOW_SNS] }, { Statement: [] }] })).toBeUndefined();
    expect(allowsSns({})).toBeUndefined();
  });

  test('a full allow wins over an unreadable statement', () => {
    expect(allowsSns({ Statement: [ALLOW_SNS, { 'Fn::If': ['IsProd', ACCOUNT_ROOT, { Ref: 'AWS::NoValue' }] }] })).toBe(true);
  });

  test('Deny statements with a literal Effect are not read as allows', () => {
    expect(allowsSns({ Statement: [ACCOUNT_ROOT, { ...ALLOW_SNS, Effect: 'Deny' }] })).toBe(false);
  });

  test('an unconditional Deny of a needed action to the service takes away what an Allow gave', () => {
    const denySns = (action: string) => ({ Effect: 'Deny', Principal: { Service: 'sns.amazonaws.com' }, Action: action, Resource: '*' });
    expect(allowsSns({ Statement: [{ ...ALLOW_SNS, Action: 'kms:*' }, denySns('kms:Decrypt')] })).toBe(false);
    // A Deny of anyone counts too; a Deny of something not needed does not.
    expect(allowsSns({ Statement: [ALLOW_SNS, { Effect: 'Deny', Principal: '*', Action: 'kms:Decrypt' }] })).toBe(false);
    expect(allowsSns({ Statement: [ALLOW_SNS, denySns('kms:ScheduleKeyDeletion')] })).toBe(true);
  });

  test('a conditional Deny is not judged: it may not apply to the producer', () => {
    expect(allowsSns({ Statement: [ALLOW_SNS, { ...ALLOW_SNS, Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }] })).toBe(true);
  });

  test('with an encryption context, an Allow that requires another context key does not count; IfExists, ForAllValues and the same key do', () => {
    const scoped = (operator: string, contextKey: string) => ({ ...ALLOW_SNS, Condition: { [operator]: { [contextKey]: 'arn:aws:events:eu-west-1:123456789012:event-bus/payments' } } });
    const verdict = (statement: unknown, context?: string) =>
      keyPolicyAllows(template({ Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [ACCOUNT_ROOT, statement] } } } }).resource('Key')!, SNS, NEEDED, context);
    const bus = 'kms:EncryptionContext:aws:events:event-bus:arn';
    expect(verdict(scoped('StringEquals', bus), ENCRYPTION_CONTEXT.queue)).toBe(false);
    expect(verdict(scoped('ArnLike', 'KMS:EncryptionContext:aws:events:event-bus:arn'), ENCRYPTION_CONTEXT.topic)).toBe(false);
    expect(verdict(scoped('ForAnyValue:StringEquals', bus), ENCRYPTION_CONTEXT.queue)).toBe(false);
    expect(verdict(scoped('StringEqualsIfExists', bus), ENCRYPTION_CONTEXT.queue)).toBe(true);
    expect(verdict(scoped('ForAllValues:StringEquals', bus), ENCRYPTION_CONTEXT.queue)).toBe(true);
    expect(verdict(scoped('ArnEquals', 'kms:EncryptionContext:aws:sqs:arn'), ENCRYPTION_CONTEXT.queue)).toBe(true);
    expect(verdict(scoped('ArnEquals', 'kms:encryptioncontext:AWS:SQS:ARN'), ENCRYPTION_CONTEXT.queue)).toBe(true);
    // Without a context the question is only whether the service is allowed, as before.
    expect(verdict(scoped('StringEquals', bus))).toBe(true);
  });

  test('is unknown when the key\'s properties are intrinsic', () => {
    const stack = template({ Key: { Type: 'AWS::KMS::Key', Properties: { 'Fn::If': ['IsProd', { KeyPolicy: { Statement: [ALLOW_SNS] } }, {}] } } });
    expect(keyPolicyAllows(stack.resource('Key')!, SNS, NEEDED)).toBeUndefined();
  });

  test('one key answers each service and list of actions on its own, however often and in whatever order asked', () => {
    const key = template({ Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [ACCOUNT_ROOT, ALLOW_SNS] } } } }).resource('Key')!;
    const sqs = globalService('sqs');
    expect(globalService('sqs')).toBe(sqs);
    const askedTwice = () => [
      keyPolicyAllows(key, SNS, NEEDED), keyPolicyAllows(key, sqs, NEEDED),
      keyPolicyAllows(key, SNS, ['kms:Encrypt']), keyPolicyAllows(key, SNS, NEEDED),
    ];
    expect(askedTwice()).toEqual([true, false, false, true]);
    expect(askedTwice()).toEqual([true, false, false, true]);
    const other = template({ Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [ACCOUNT_ROOT] } } } }).resource('Key')!;
    expect(keyPolicyAllows(other, SNS, NEEDED)).toBe(false);
  });

  test('with a source, an Allow whose aws:SourceArn names only other resources of the templates does not count', () => {
    const pinned = (values: unknown, operator = 'ArnEquals') => ({ ...ALLOW_SNS, Condition: { [operator]: { 'aws:SourceArn': values } } });
    const stack = (statement: unknown) => template({
      Key: { Type: 'AWS::KMS::Key', Properties: { KeyPolicy: { Statement: [ACCOUNT_ROOT, statement] } } },
      Payments: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'payments' } },
      Refunds: { Type: 'AWS::SNS::Topic', Properties: {} },
    });
    const verdicts = (statement: unknown) => {
      const t = stack(statement);
      return ['Payments', 'Refunds'].map(id => keyPolicyAllows(t.resource('Key')!, SNS, NEEDED, ENCRYPTION_CONTEXT.queue, t.resource(id)!));
    };
    expect(verdicts(pinned({ Ref: 'Payments' }))).toEqual([true, false]);
    expect(verdicts(pinned([{ Ref: 'Payments' }, { Ref: 'Refunds' }]))).toEqual([true, true]);
    // A literal ARN names the topic with that name; one the templates do not declare, or a wildcard, may be the source.
    expect(verdicts(pinned('arn:aws:sns:eu-west-1:123456789012:payments', 'StringEquals'))).toEqual([true, false]);
    expect(verdicts(pinned('arn:aws:sns:eu-west-1:123456789012:elsewhere'))).toEqual([true, true]);
    expect(verdicts(pinned('arn:aws:sns:eu-west-1:123456789012:*', 'ArnLike'))).toEqual([true, true]);
    // A join may name something else built on a referenced resource (a rule's ARN on a bus's name): it may be the source.
    expect(verdicts(pinned({ 'Fn::Join': ['', ['arn:aws:events:eu-west-1:123456789012:rule/', { Ref: 'Payments' }, '/booked']] }))).toEqual([true, true]);
    // Other operators (a negation) and other keys are not read as a pin.
    expect(verdicts(pinned({ Ref: 'Payments' }, 'ArnNotEquals'))).toEqual([true, true]);
    expect(verdicts(ALLOW_SNS)).toEqual([true, true]);
  });
});
