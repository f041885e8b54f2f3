import { App, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as pipes from 'aws-cdk-lib/aws-pipes';
import { ENV, alertTopic, dataKey, dataTable, deadLetterQueue, firstMessageAlarm, tagWorkload, workQueue } from '../careful-team';

/** An EventBridge Pipe from a DynamoDB stream to a queue; records it cannot deliver go to the pipe's DLQ. */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `Outbox-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'outbox');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  const table = dataTable(stack, 'Outbox', 'id', key, stage, { stream: dynamodb.StreamViewType.NEW_IMAGE });
  const { queue, dlq } = workQueue(stack, 'Published', key, stage);
  const undelivered = deadLetterQueue(stack, 'PipeDlq', key, stage);
  const role = new iam.Role(stack, 'PipeRole', { assumedBy: new iam.ServicePrincipal('pipes.amazonaws.com') });
  table.grantStreamRead(role);
  queue.grantSendMessages(role);
  undelivered.grantSendMessages(role);
  new pipes.CfnPipe(stack, 'OutboxPipe', {
    roleArn: role.roleArn,
    source: table.tableStreamArn!,
    sourceParameters: {
      dynamoDbStreamParameters: {
        startingPosition: 'LATEST',
        batchSize: 10,
        maximumRetryAttempts: 3,
        deadLetterConfig: { arn: undelivered.queueArn },
      },
    },
    target: queue.queueArn,
  });
  firstMessageAlarm(stack, 'PublishedDlqAlarm', dlq, topic);
  firstMessageAlarm(stack, 'PipeDlqAlarm', undelivered, topic);
}
