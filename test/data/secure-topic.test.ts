import { Template } from 'aws-cdk-lib/assertions';
import { KeyConsumer } from '../../src/data/data-key';
import { SecureQueue } from '../../src/data/secure-queue';
import { SecureTopic } from '../../src/data/secure-topic';
import { keyAliasesOfTwoStacks, stackIn, testApp } from '../support/fintech-fixture';

describe('SecureTopic', () => {
  test('is encrypted with a customer key and subscribes an email', () => {
    const stack = stackIn(testApp(), 'prod');
    const topic = new SecureTopic(stack, 'Alerts', { nameBase: 'alerts', email: 'oncall@example.com' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'ledger-alerts-prod', KmsMasterKeyId: stack.resolve(topic.dataKey.key.keyArn) });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  test('delivering to an encrypted queue grants SNS on the queue key (C05)', () => {
    const stack = stackIn(testApp(), 'prod');
    const topic = new SecureTopic(stack, 'Events');
    const queue = new SecureQueue(stack, 'Inbox');
    topic.subscribeQueue(queue);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', RawMessageDelivery: true });
    const keys = template.findResources('AWS::KMS::Key');
    const queueKey = keys[stack.getLogicalId(queue.dataKey.key.node.defaultChild as any)];
    expect(queueKey.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({
      Principal: { Service: 'sns.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': stack.resolve(topic.topic.topicArn) } },
    }));
  });

  test('lets CloudWatch publish through the topic key', () => {
    const stack = stackIn(testApp(), 'prod');
    const topic = new SecureTopic(stack, 'Alerts');
    topic.allowPublisher(KeyConsumer.CLOUDWATCH);
    const [key] = Object.values(Template.fromStack(stack).findResources('AWS::KMS::Key'));
    expect(key.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' } }));
  });

  test('refuses an invalid email with the path', () => {
    expect(() => new SecureTopic(stackIn(testApp(), 'dev'), 'Alerts', { email: 'oncall' })).toThrow('SecureTopic at dev/Workload/Alerts: email "oncall" is not an email address; use e.g. \'oncall@example.com\' or omit email.');
  });
});

describe('SecureTopic key alias', () => {
  test('is unique in the stage when stacks use the same construct id', () => {
    expect(keyAliasesOfTwoStacks(stack => new SecureTopic(stack, 'Store'))).toEqual([['alias/ledger-ingest-store-topic-prod'], ['alias/ledger-settle-store-topic-prod']]);
  });
});
