import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { FailureQueue } from '../../src/data/failure-queue';
import { DataKey } from '../../src/encryption/data-key';
import { expectFirstMessageAlarm } from '../support/alarm-assertions';
import { stackIn, synthReport, testApp } from '../support/fintech-fixture';

const description = 'Failed invocations of the settlement function: fix the cause, then invoke them again.';

describe('FailureQueue', () => {
  test('an encrypted, TLS-only queue that keeps failures 14 days and has no dead-letter queue of its own', () => {
    const stack = stackIn(testApp(), 'prod');
    const queue = new FailureQueue(stack, 'Failed', { description, nameBase: 'settlement-failed' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SQS::Queue', 1);
    template.hasResourceProperties('AWS::SQS::Queue', {
      QueueName: 'ledger-settlement-failed-prod',
      KmsMasterKeyId: stack.resolve(queue.dataKey.key.keyArn),
      MessageRetentionPeriod: 14 * 24 * 3600,
      RedrivePolicy: Match.absent(),
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ledger-settlement-failed-queue-prod' });
  });

  test('pages the alert topic on the first message, with the description given', () => {
    const stack = stackIn(testApp(), 'prod');
    const queue = new FailureQueue(stack, 'Failed', { description });
    expectFirstMessageAlarm(stack, queue, description, AlertTopic.of(stack));
    expect(queue.alarm?.node.path).toBe('prod/Workload/Failed/DeadLettersAlarm');
  });

  test('takes a shared key, another alert topic, or no alarm', () => {
    const stack = stackIn(testApp(), 'dev');
    const key = new DataKey(stack, 'Shared', { aliasBase: 'shared' });
    const pager = new sns.Topic(stack, 'Pager');
    new FailureQueue(stack, 'Paged', { description, dataKey: key, monitoring: { alertTopic: pager } });
    const silent = new FailureQueue(stack, 'Silent', { description, dataKey: key, monitoring: { enabled: false } });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 1);
    const pagerRef = stack.resolve(pager.topicArn);
    template.resourceCountIs('AWS::CloudWatch::Alarm', 1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [pagerRef] });
    expect(silent.alarm).toBeUndefined();
  });

  test('is an IQueue: grants and metrics of the L2 work on it directly', () => {
    const stack = stackIn(testApp(), 'dev');
    const queue: sqs.IQueue = new FailureQueue(stack, 'Failed', { description });
    expect(queue.metricApproximateNumberOfMessagesVisible().metricName).toBe('ApproximateNumberOfMessagesVisible');
  });

  test('an empty description is refused, naming the construct', () => {
    expect(() => new FailureQueue(stackIn(testApp(), 'dev'), 'Failed', { description: ' ' }))
      .toThrow("FailureQueue at dev/Workload/Failed: description is empty; say what fails into the queue and what to do, e.g. 'Failed invocations of the processor: fix the cause, then invoke them again'.");
  });

  test('as a function\'s on-failure destination, passes the rule pack in both stages', () => {
    const app = testApp();
    for (const stage of ['dev', 'prod'] as const) {
      const stack = stackIn(app, stage);
      const fn = new lambda.Function(stack, 'Settle', {
        runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'),
      });
      fn.configureAsyncInvoke({ onFailure: new SqsDestination(new FailureQueue(stack, 'Failed', { description })) });
    }
    const errors = synthReport(app).violations.filter(v => v.severity === 'error' && /Failed/.test(v.constructPath));
    expect(errors).toEqual([]);
  });
});
