import { App, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { EventBusKeyAccess } from '../../../src/rules/kms/event-bus-key-access';
import { SecureEventBus } from '../../../src/workflow/secure-event-bus';
import { findingsOf, lines, shop } from '../rule-harness';
import { keyWith, staged } from './key-harness';

const C05 = EventBusKeyAccess.INFO.id;
const EVENTS = { Service: 'events.amazonaws.com' };
const BUS_CONTEXT = 'kms:EncryptionContext:aws:events:event-bus:arn';

function c05(app: App) {
  return findingsOf(app, [C05]);
}

/** A raw event bus named `<id>-dev`, encrypted with `kmsKeyIdentifier` when given. */
function bus(scope: Construct, id: string, kmsKeyIdentifier?: string) {
  return new events.CfnEventBus(scope, id, { name: `${id.toLowerCase()}-dev`, kmsKeyIdentifier });
}

describe('Fintech-C05-EventBusKeyWithoutEventsAccess', () => {
  test('fails a raw bus on a key that does not allow EventBridge, and passes an EventBus given its key (CDK adds the statement)', () => {
    const { app, stack } = staged();
    bus(stack, 'Payments', new kms.Key(stack, 'Key', { enableKeyRotation: true }).keyArn);
    new events.EventBus(stack, 'Trades', { kmsKey: new kms.Key(stack, 'TradesKey', { enableKeyRotation: true }) });
    const findings = c05(app);
    expect(lines(findings)).toEqual([`${C05} dev/Workload/Payments`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/KmsKeyIdentifier'],
      message: expect.stringMatching(/^AWS::Events::EventBus Payments is encrypted with AWS::KMS::Key Key[0-9A-F]{8}, whose key policy does not allow events\.amazonaws\.com kms:GenerateDataKey and kms:Decrypt, so EventBridge cannot encrypt the events put on the bus\.$/),
      fix: expect.stringContaining('kms:EncryptionContext:aws:events:event-bus:arn'),
    });
  });

  test('passes the user guide\'s statements: scoped by the bus\'s encryption context, by an aws:SourceArn that is the bus, by a wildcard, or unconditioned', () => {
    const { app, stack } = staged();
    const context = keyWith(stack, 'Context', {
      Effect: 'Allow',
      Principal: EVENTS,
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: { StringEquals: { [BUS_CONTEXT]: 'arn:aws:events:eu-west-1:123456789012:event-bus/bycontext-dev' } },
    });
    bus(stack, 'ByContext', context.attrArn);
    const own = bus(stack, 'BySourceArn');
    own.kmsKeyIdentifier = keyWith(stack, 'SourceArn', {
      Effect: 'Allow', Principal: EVENTS, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'aws:SourceArn': own.attrArn } },
    }).attrArn;
    bus(stack, 'ByWildcard', keyWith(stack, 'Wildcard', {
      Effect: 'Allow', Principal: EVENTS, Action: 'kms:*', Resource: '*', Condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:events:eu-west-1:123456789012:event-bus/*' } },
    }).attrArn);
    bus(stack, 'ByAnyService', keyWith(stack, 'AnyService', { Effect: 'Allow', Principal: { Service: ['sqs.amazonaws.com', 'events.amazonaws.com'] }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*' }).attrArn);
    expect(c05(app)).toEqual([]);
  });

  test('fails a key that allows EventBridge only to describe it, only another service, only another encryption context, or only another bus of the templates', () => {
    const { app, stack } = staged();
    const describeOnly = keyWith(stack, 'DescribeOnly', { Effect: 'Allow', Principal: EVENTS, Action: 'kms:DescribeKey', Resource: '*' });
    const sqsOnly = keyWith(stack, 'SqsOnly', { Effect: 'Allow', Principal: { Service: 'sqs.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*' });
    // Copied from a dead-letter queue's statement: the bus's requests never carry the SQS context.
    const queueContext = keyWith(stack, 'QueueContext', {
      Effect: 'Allow',
      Principal: EVENTS,
      Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      Resource: '*',
      Condition: { ArnLike: { 'kms:EncryptionContext:aws:sqs:arn': 'arn:aws:sqs:eu-west-1:123456789012:*' } },
    });
    const ledger = bus(stack, 'Ledger');
    const otherBus = keyWith(stack, 'OtherBus', {
      Effect: 'Allow', Principal: EVENTS, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*', Condition: { StringEquals: { 'aws:SourceArn': ledger.attrArn } },
    });
    const decryptOnly = keyWith(stack, 'DecryptOnly', { Effect: 'Allow', Principal: EVENTS, Action: 'kms:Decrypt', Resource: '*' });
    const denied = keyWith(stack, 'Denied',
      { Effect: 'Allow', Principal: EVENTS, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: 'kms:GenerateDataKey*', Resource: '*' });
    const bare = new kms.CfnKey(stack, 'Bare', { enableKeyRotation: true });
    for (const key of [describeOnly, sqsOnly, queueContext, otherBus, decryptOnly, denied, bare]) bus(stack, `By${key.node.id}`, key.attrArn);
    expect(lines(c05(app))).toEqual(['Bare', 'DecryptOnly', 'Denied', 'DescribeOnly', 'OtherBus', 'QueueContext', 'SqsOnly'].map(id => `${C05} dev/Workload/By${id}`));
  });

  test('judges archives by the key they name: a raw archive on a closed key fails, events.Archive and a SecureEventBus archive pass, "" is a key AWS owns', () => {
    const { app, stack } = staged();
    const source = new events.EventBus(stack, 'Source');
    const closed = new kms.Key(stack, 'ClosedKey', { enableKeyRotation: true });
    new events.CfnArchive(stack, 'Raw', { sourceArn: source.eventBusArn, kmsKeyIdentifier: closed.keyArn, retentionDays: 365 });
    new events.CfnArchive(stack, 'AwsOwned', { sourceArn: source.eventBusArn, kmsKeyIdentifier: '', retentionDays: 365 });
    new events.Archive(stack, 'L2', { sourceEventBus: source, eventPattern: { source: ['payments'] }, kmsKey: new kms.Key(stack, 'ArchiveKey', { enableKeyRotation: true }) });
    new SecureEventBus(stack, 'Trades', { archive: true });
    const findings = c05(app);
    expect(lines(findings)).toEqual([`${C05} dev/Workload/Raw`]);
    expect(findings[0].message).toMatch(/^AWS::Events::Archive Raw is encrypted with AWS::KMS::Key ClosedKey[0-9A-F]{8}, .* so EventBridge cannot encrypt the events sent to the archive\.$/);
  });

  test('keys the templates do not define, policies they cannot read, unreadable principals and buses without a key are not judged', () => {
    const { app, stack } = staged();
    bus(stack, 'Imported', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    bus(stack, 'Unreadable', new kms.CfnKey(stack, 'UnreadableKey', { enableKeyRotation: true, keyPolicy: Fn.importValue('shared-key-policy') }).attrArn);
    bus(stack, 'IntrinsicPrincipal', keyWith(stack, 'IntrinsicKey', { Effect: 'Allow', Principal: { Service: Fn.importValue('bus-principal') }, Action: 'kms:*', Resource: '*' }).attrArn);
    bus(stack, 'AwsOwned');
    new events.EventBus(stack, 'ImportedL2', { kmsKey: kms.Key.fromKeyArn(stack, 'ImportedKey', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab') });
    expect(c05(app)).toEqual([]);
  });

  test('judges a bus of a nested stack on a key its parent passes in, and one on a key another stack exports', () => {
    const { app, stack } = shop();
    const closed = keyWith(stack, 'Closed');
    const open = keyWith(stack, 'Open', { Effect: 'Allow', Principal: EVENTS, Action: ['kms:GenerateDataKey', 'kms:Decrypt'], Resource: '*' });
    const nested = new NestedStack(stack, 'Events');
    bus(nested, 'NestedClosed', closed.attrArn);
    bus(nested, 'NestedOpen', open.attrArn);
    const consumer = new Stack(app, 'Consumer');
    bus(consumer, 'ExportedClosed', closed.attrArn);
    expect(lines(c05(app))).toEqual([`${C05} Consumer/ExportedClosed`, `${C05} Shop/Events/NestedClosed`]);
  });
});
