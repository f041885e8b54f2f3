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

  test('reports nothing when a policy names its queues by something other than a Ref (unknown)', () => {
    const { app, stack } = shop();
    new sqs.Queue(stack, 'Plain');
    new sqs.CfnQueuePolicy(stack, 'Imported', {
      queues: [{ 'Fn::ImportValue': 'shared-queue-url' } as any],
      policyDocument: { Statement: [{ Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 'sqs:SendMessage', Resource: '*' }] },
    });
    expect(findingsOf(app, [ID])).toEqual([]);
  });
});
