import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { QueueTlsOnly } from '../../../src/rules/sqs/queue-tls-only';
import { findingsOf, lines, shop } from '../rule-harness';

const ID = QueueTlsOnly.INFO.id;

describe('QueueTlsOnly', () => {
  test('passes a queue with enforceSSL, and one whose policy denies sqs:* without TLS alongside other statements', () => {
    const { app, stack } = shop();
    new sqs.Queue(stack, 'Inbound', { enforceSSL: true });
    const raw = new sqs.CfnQueue(stack, 'Raw');
    new sqs.CfnQueuePolicy(stack, 'RawPolicy', {
      queues: [raw.ref],
      policyDocument: {
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sqs:SendMessage', Resource: raw.attrArn },
          { Effect: 'Deny', Principal: { AWS: ['*'] }, Action: ['SQS:*'], Resource: raw.attrArn, Condition: { BoolIfExists: { 'aws:SecureTransport': false } } },
        ],
      },
    });
    expect(findingsOf(app, [ID])).toEqual([]);
  });

  test('fails a queue without a policy, and one whose policy allows without denying plain HTTP', () => {
    const { app, stack } = shop();
    new sqs.Queue(stack, 'Plain');
    const open = new sqs.Queue(stack, 'Granted');
    open.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ServicePrincipal('sns.amazonaws.com')], actions: ['sqs:SendMessage'], resources: [open.queueArn] }));
    // Denying only one action leaves the others open over HTTP.
    const partial = new sqs.Queue(stack, 'Partial');
    partial.addToResourcePolicy(new iam.PolicyStatement({
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ['sqs:SendMessage'],
      resources: [partial.queueArn],
      conditions: { Bool: { 'aws:SecureTransport': 'false' } },
    }));
    const findings = findingsOf(app, [ID]);
    expect(lines(findings)).toEqual([`${ID} Shop/Granted/Resource`, `${ID} Shop/Partial/Resource`, `${ID} Shop/Plain/Resource`]);
    expect(findings[0]).toMatchObject({ severity: 'error', fix: 'Use a SecureQueue, or set enforceSSL: true on the sqs.Queue.' });
    expect(findings.find(f => f.constructPath === 'Shop/Plain/Resource')!.message)
      .toMatch(/^AWS::SQS::Queue Plain[0-9A-F]{8} has no AWS::SQS::QueuePolicy denying requests where aws:SecureTransport is false with a Resource that covers its ARN, so it accepts plain HTTP\.$/);
  });

  test('reports nothing when a policy names its queues by something it cannot read; an import no stack exports is a queue outside the app', () => {
    const build = (queue: unknown) => {
      const { app, stack } = shop();
      new sqs.Queue(stack, 'Plain');
      new sqs.CfnQueuePolicy(stack, 'Other', {
        queues: [queue as string],
        policyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 'sqs:SendMessage', Resource: '*' }] },
      });
      return lines(findingsOf(app, [ID]));
    };
    expect(build({ 'Fn::Select': [0, { 'Fn::Split': [',', 'a,b'] }] })).toEqual([]);
    expect(build({ 'Fn::ImportValue': 'shared-queue-url' })).toEqual([`${ID} Shop/Plain/Resource`]);
  });

  test('finds the TLS-only policy another stack writes for the queue through an export', () => {
    const build = (deny: boolean) => {
      const { app, stack } = shop();
      const queue = new sqs.Queue(stack, 'Payments');
      const policy = new sqs.QueuePolicy(new Stack(app, 'Security'), 'PaymentsTlsOnly', { queues: [queue] });
      policy.document.addStatements(new iam.PolicyStatement({
        effect: deny ? iam.Effect.DENY : iam.Effect.ALLOW,
        principals: [new iam.AnyPrincipal()],
        actions: ['sqs:*'],
        resources: [queue.queueArn],
        conditions: { Bool: { 'aws:SecureTransport': 'false' } },
      }));
      return lines(findingsOf(app, [ID]));
    };
    expect(build(true)).toEqual([]);
    expect(build(false)).toEqual([`${ID} Shop/Payments/Resource`]);
  });
});
