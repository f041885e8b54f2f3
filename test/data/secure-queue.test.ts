import { Duration } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KeyConsumer } from '../../src/data/data-key';
import { SecureQueue } from '../../src/data/secure-queue';
import { stackIn, testApp } from '../support/fintech-fixture';

function consumer(scope: any, timeout: Duration) {
  return new lambda.Function(scope, 'Consumer', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), timeout });
}

describe('SecureQueue', () => {
  test('encrypts queue and DLQ with one customer key, TLS only, redrive after 3 receives', () => {
    const stack = stackIn(testApp(), 'prod');
    const q = new SecureQueue(stack, 'Payments', { nameBase: 'payments' });
    const template = Template.fromStack(stack);
    const keyId = stack.resolve(q.dataKey.key.keyArn);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'ledger-payments-prod',
      KmsMasterKeyId: keyId,
      RedrivePolicy: { maxReceiveCount: 3, deadLetterTargetArn: stack.resolve(q.deadLetterQueue.queueArn) },
    });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'ledger-payments-dlq-prod', KmsMasterKeyId: keyId, MessageRetentionPeriod: 1209600 });
    template.resourcePropertiesCountIs('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    }, 2);
  });

  test('adds consumers with partial batch failure reporting', () => {
    const stack = stackIn(testApp(), 'dev');
    const q = new SecureQueue(stack, 'Q', { visibilityTimeout: Duration.seconds(60) });
    q.addConsumer(consumer(stack, Duration.seconds(10)));
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', { FunctionResponseTypes: ['ReportBatchItemFailures'], BatchSize: 10 });
  });

  test('refuses a visibility timeout shorter than six times the consumer timeout, with the fix', () => {
    const stack = stackIn(testApp(), 'dev');
    const q = new SecureQueue(stack, 'Q');
    expect(() => q.addConsumer(consumer(stack, Duration.seconds(30))))
      .toThrow('SecureQueue at dev/Workload/Q: visibilityTimeout 30 s is shorter than 6 x the timeout of consumer dev/Workload/Consumer (30 s), so messages would be delivered twice while still in work. Set visibilityTimeout: Duration.seconds(180) or shorten the function timeout.');
  });

  test.each([0, 1.5, 1001])('refuses maxReceiveCount %p', count => {
    expect(() => new SecureQueue(stackIn(testApp(), 'dev'), 'Q', { maxReceiveCount: count })).toThrow(/maxReceiveCount .* must be a whole number from 1 to 1000/);
  });

  test('lets a producer service use its key', () => {
    const stack = stackIn(testApp(), 'prod');
    const q = new SecureQueue(stack, 'Q');
    q.allowProducer(KeyConsumer.EVENTS, 'arn:aws:events:eu-west-1:123456789012:rule/payments');
    const [key] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({ Principal: { Service: 'events.amazonaws.com' } }));
  });
});
