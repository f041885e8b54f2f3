import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';

// Runs in subnets without any route out of the VPC: the message can only reach SQS through the VPC's SQS endpoint.
const sqs = new SQSClient({});

export const handler = async (event: { readonly paymentId: string }): Promise<{ messageId?: string }> => {
  const result = await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(event) }));
  return { messageId: result.MessageId };
};
