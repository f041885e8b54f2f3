import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';

/**
 * Asserts the alarm every dead-letter or failure queue gets (monitorDeadLetterQueue): any visible message, sampled each
 * minute, pages at once, with `description`, alarm and OK actions on `topic`.
 */
export function expectFirstMessageAlarm(stack: Stack, queue: sqs.IQueue, description: string, topic: sns.ITopic): void {
  const topicRef = stack.resolve(topic.topicArn);
  Template.fromStack(stack).hasResourceProperties('AWS::CloudWatch::Alarm', {
    Namespace: 'AWS/SQS',
    MetricName: 'ApproximateNumberOfMessagesVisible',
    Dimensions: [{ Name: 'QueueName', Value: stack.resolve(queue.queueName) }],
    Statistic: 'Maximum',
    Period: 60,
    Threshold: 0,
    ComparisonOperator: 'GreaterThanThreshold',
    EvaluationPeriods: 1,
    DatapointsToAlarm: 1,
    AlarmDescription: description,
    AlarmActions: [topicRef],
    OKActions: [topicRef],
  });
}
