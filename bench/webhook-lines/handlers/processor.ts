// Processor: writes each queued webhook to the table; failed records are reported, so only they are retried.
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

const dynamodb = new DynamoDBClient({});

interface SqsRecord { readonly messageId: string; readonly body: string }

export async function handler(event: { Records: SqsRecord[] }): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> {
  const batchItemFailures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    try {
      await dynamodb.send(new PutItemCommand({
        TableName: process.env.TABLE_NAME,
        Item: { eventId: { S: record.messageId }, body: { S: record.body } },
        ConditionExpression: 'attribute_not_exists(eventId)',
      }));
    } catch (error) {
      if ((error as Error).name !== 'ConditionalCheckFailedException') batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
}
