// Receiver: accepts a webhook, queues it and answers 202 at once; the processor does the work.
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';

const sqs = new SQSClient({});

export async function handler(event: { body?: string | null }): Promise<{ statusCode: number; body: string }> {
  await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: event.body ?? '{}' }));
  return { statusCode: 202, body: '{"accepted":true}' };
}
