import { DynamoDBClient, GetItemCommand, ListTagsOfResourceCommand } from '@aws-sdk/client-dynamodb';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context } from 'aws-lambda';

/** What the integ test asks the probe: one of the three. Assertions run in the home region; the probe reaches any region. */
export type ProbeRequest =
  /** Read one trade's item from the trades table (or its replica) in `region`. */
  | { readonly action: 'getItem'; readonly region: string; readonly tradeId: string }
  /** List the tags of the trades table's replica in `region`. */
  | { readonly action: 'listTags'; readonly region: string }
  /** Receive what reached the dead-letter queue of the undeliverable rule, for up to 20 seconds. */
  | { readonly action: 'deadLetters' };

const dynamodb = new Map<string, DynamoDBClient>();
const sqs = new SQSClient({});

function dynamodbIn(region: string): DynamoDBClient {
  const client = dynamodb.get(region) ?? new DynamoDBClient({ region });
  dynamodb.set(region, client);
  return client;
}

/** Reads what the trade pipeline did, for the integ test's assertions. */
export const handler = async (request: ProbeRequest, context: Context) => {
  const tableName = process.env.TRADES_TABLE_NAME!;
  switch (request.action) {
    case 'getItem': {
      // Replicas are read eventually consistent; the test waits for the item to arrive.
      const { Item } = await dynamodbIn(request.region).send(new GetItemCommand({ TableName: tableName, Key: { tradeId: { S: request.tradeId } } }));
      return { region: request.region, found: Item !== undefined, item: Item ? unmarshall(Item) : null };
    }
    case 'listTags': {
      const account = context.invokedFunctionArn.split(':')[4];
      const { Tags } = await dynamodbIn(request.region).send(new ListTagsOfResourceCommand({
        ResourceArn: `arn:aws:dynamodb:${request.region}:${account}:table/${tableName}`,
      }));
      return { region: request.region, tags: Object.fromEntries((Tags ?? []).map(tag => [tag.Key, tag.Value])) };
    }
    case 'deadLetters': {
      const queueUrl = process.env.DEAD_LETTER_QUEUE_URL!;
      const { Messages = [] } = await sqs.send(new ReceiveMessageCommand({
        QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 20, MessageAttributeNames: ['All'],
      }));
      if (Messages.length > 0) {
        const entries = Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! }));
        await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }));
      }
      // EventBridge puts the event as the body and why it failed in the ERROR_CODE and ERROR_MESSAGE attributes.
      return {
        messages: Messages.map(m => ({
          detailType: JSON.parse(m.Body ?? '{}')['detail-type'],
          tradeId: JSON.parse(m.Body ?? '{}').detail?.tradeId,
          errorCode: m.MessageAttributes?.ERROR_CODE?.StringValue,
        })),
      };
    }
  }
};
