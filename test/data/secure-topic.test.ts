import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { FailureQueue } from '../../src/data/failure-queue';
import { SecureQueue } from '../../src/data/secure-queue';
import { SecureTopic } from '../../src/data/secure-topic';
import { DataKey, KeyConsumer } from '../../src/encryption/data-key';
import { keyAliasesOfTwoStacks, stackIn, testApp } from '../support/fintech-fixture';

describe('SecureTopic', () => {
  test('is encrypted with a customer key and subscribes an email', () => {
    const stack = stackIn(testApp(), 'prod');
    const topic = new SecureTopic(stack, 'Alerts', { nameBase: 'alerts', email: 'oncall@example.com' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: 'ledger-alerts-prod', KmsMasterKeyId: stack.resolve(topic.dataKey.key.keyArn) });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
  });

  test('delivering to an encrypted queue grants SNS on the queue key, naming the topic by its name, never by a reference (C05)', () => {
    const stack = stackIn(testApp(), 'prod');
    const topic = new SecureTopic(stack, 'Events', { nameBase: 'events' });
    const queue = new SecureQueue(stack, 'Inbox');
    topic.subscribeQueue(queue);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', RawMessageDelivery: true, TopicArn: stack.resolve(topic.topicArn) });
    const keys = template.findResources('AWS::KMS::Key');
    const queueKey = keys[stack.getLogicalId(queue.dataKey.key.node.defaultChild as any)];
    expect(queueKey.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({
      Principal: { Service: 'sns.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': stack.resolve(`arn:${stack.partition}:sns:eu-west-1:123456789012:ledger-events-prod`) } },
    }));
    // Only SNS, from this topic, may send to the queue.
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': stack.resolve(topic.topicArn) } } })]) },
    });
  });

  test('a topic CloudFormation names is granted as this account\'s topics', () => {
    const stack = stackIn(testApp(), 'prod');
    const topic = new SecureTopic(stack, 'Events');
    const queue = new SecureQueue(stack, 'Inbox');
    topic.subscribeQueue(queue);
    const queueKey = Template.fromStack(stack).findResources('AWS::KMS::Key')[stack.getLogicalId(queue.dataKey.key.node.defaultChild as any)];
    expect(queueKey.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({
      Principal: { Service: 'sns.amazonaws.com' },
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': stack.resolve(`arn:${stack.partition}:sns:eu-west-1:123456789012:*`) } },
    }));
  });

  test('one key shared by a topic and the queue subscribed to it makes no dependency cycle', () => {
    const stack = stackIn(testApp(), 'prod');
    const key = new DataKey(stack, 'StageKey', { aliasBase: 'stage' });
    const topic = new SecureTopic(stack, 'Events', { dataKey: key, nameBase: 'events' });
    const unnamed = new SecureTopic(stack, 'Other', { dataKey: key });
    const queue = new SecureQueue(stack, 'Inbox', { dataKey: key });
    topic.subscribeQueue(queue);
    unnamed.subscribeQueue(queue);
    // Template.fromStack throws on a cycle between resources.
    expect(() => Template.fromStack(stack)).not.toThrow();
    // The shared key, the alert topic's (the queue's alarms) and one per subscription's own dead-letter queue.
    Template.fromStack(stack).resourceCountIs('AWS::KMS::Key', 4);
  });

  test('a message the queue rejects lands in a dead-letter queue of its own, alarmed on the first message, whose key SNS may use (C12)', () => {
    const stack = stackIn(testApp(), 'prod');
    const topic = new SecureTopic(stack, 'Events', { nameBase: 'events' });
    const queue = new SecureQueue(stack, 'Inbox');
    topic.subscribeQueue(queue);
    const dlq = stack.node.findChild('InboxEventsDeadLetterQueue') as FailureQueue;
    expect(dlq).toBeInstanceOf(FailureQueue);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sqs', RedrivePolicy: { deadLetterTargetArn: stack.resolve(dlq.queueArn) } });
    expect(dlq.alarm).toBeDefined();
    const dlqKey = template.findResources('AWS::KMS::Key')[stack.getLogicalId(dlq.dataKey.key.node.defaultChild as any)];
    expect(dlqKey.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({
      Principal: { Service: 'sns.amazonaws.com' },
      Condition: expect.objectContaining({ ArnLike: { 'aws:SourceArn': stack.resolve(`arn:${stack.partition}:sns:eu-west-1:123456789012:ledger-events-prod`) } }),
    }));
    // SNS, from this topic only, may send to the dead-letter queue.
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [stack.resolve(dlq.queueUrl)],
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'sns.amazonaws.com' }, Action: 'sqs:SendMessage', Condition: { ArnEquals: { 'aws:SourceArn': stack.resolve(topic.topicArn) } } })]) },
    });
  });

  test('subscribeQueue takes the options SNS offers: raw delivery, filter policies and a dead-letter queue', () => {
    const stack = stackIn(testApp(), 'prod');
    const topic = new SecureTopic(stack, 'Events');
    const queue = new SecureQueue(stack, 'Inbox');
    const dlq = new SecureQueue(stack, 'SubscriptionDlq');
    const subscription = topic.subscribeQueue(queue, {
      rawMessageDelivery: false,
      filterPolicy: { type: sns.SubscriptionFilter.stringFilter({ allowlist: ['payment.captured'] }) },
      deadLetterQueue: dlq,
    });
    expect(subscription).toBeInstanceOf(sns.Subscription);
    Template.fromStack(stack).hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      RawMessageDelivery: false,
      FilterPolicy: { type: ['payment.captured'] },
      RedrivePolicy: { deadLetterTargetArn: stack.resolve(dlq.queueArn) },
    });
    // The given dead-letter queue is used instead of a new one, and its key is opened to SNS too.
    expect(stack.node.tryFindChild('InboxEventsDeadLetterQueue')).toBeUndefined();
    const dlqKey = Template.fromStack(stack).findResources('AWS::KMS::Key')[stack.getLogicalId(dlq.dataKey.key.node.defaultChild as any)];
    expect(dlqKey.Properties.KeyPolicy.Statement).toContainEqual(expect.objectContaining({ Principal: { Service: 'sns.amazonaws.com' } }));
  });

  test('is an ITopic: the L2\'s grants work on it directly', () => {
    const stack = stackIn(testApp(), 'prod');
    const topic: sns.ITopic = new SecureTopic(stack, 'Events');
    const role = new iam.Role(stack, 'Publisher', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    topic.grantPublish(role);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Action: 'sns:Publish', Resource: stack.resolve(topic.topicArn) })]) },
    });
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
