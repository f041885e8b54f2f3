import { Duration } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { monitorDeadLetterQueue, monitorQueue, oldestMessageThreshold } from '../../src/alarms/monitor-queue';
import { expectFirstMessageAlarm } from '../support/alarm-assertions';
import { stackIn, testApp } from '../support/fintech-fixture';

describe('monitorQueue', () => {
  test('works on plain queues: DLQ depth and oldest message age', () => {
    const stack = stackIn(testApp(), 'dev');
    const deadLetterQueue = new sqs.Queue(stack, 'Dlq');
    const queue = new sqs.Queue(stack, 'Settlements', { deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: 5 } });
    monitorQueue(queue, { queue, deadLetterQueue, retentionPeriod: Duration.days(4), maxReceiveCount: 5 });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: stack.resolve(deadLetterQueue.queueName) }],
      Threshold: 0,
      AlarmDescription: 'Dead-letter queue of dev/Workload/Settlements holds messages that failed 5 receives. Read them and the consumer logs, fix the cause, then redrive them to the queue.',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateAgeOfOldestMessage', Dimensions: [{ Name: 'QueueName', Value: stack.resolve(queue.queueName) }], Threshold: 900,
    });
  });

  test('a dead-letter queue on its own: any visible message, each minute, with the caller\'s description and topic', () => {
    const stack = stackIn(testApp(), 'dev');
    const deadLetterQueue = new sqs.Queue(stack, 'Undelivered');
    const pager = new sns.Topic(stack, 'Pager');
    const alarm = monitorDeadLetterQueue(stack, deadLetterQueue, { owner: 'Test', description: 'Undelivered events wait here; redeliver them.', alertTopic: pager });
    expectFirstMessageAlarm(stack, deadLetterQueue, 'Undelivered events wait here; redeliver them.', pager);
    expect(alarm.node.path).toBe('dev/Workload/DeadLettersAlarm');
  });

  test.each([
    [Duration.days(14), 900],
    [Duration.minutes(30), 900],
    [Duration.minutes(20), 600],
    [Duration.minutes(2), 60],
  ])('the age threshold for a retention of %p is %p seconds', (retention, seconds) => {
    expect(oldestMessageThreshold(retention).toSeconds()).toBe(seconds);
  });
});
