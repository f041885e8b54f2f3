import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

/** A transaction to post; the probe stamps it with the current time, so the scorer's clock check passes. */
interface ProbeTransaction {
  readonly transactionId: string;
  readonly merchantId: string;
  readonly amount: number;
  readonly currency?: string;
  readonly country?: string;
}

/** What the integ test asks the probe to do: one of the four. */
interface ProbeRequest {
  /** Post these transactions one after the other; answers each status and the scorer's level. */
  readonly post?: ProbeTransaction[];
  /** Keep posting new transactions for up to this many seconds until WAF answers 403 (rate rule). */
  readonly burstSeconds?: number;
  /** Read the alert probe queue (subscribed to the alert topic) for this many seconds; answers the transaction ids alerted. */
  readonly alertsSeconds?: number;
  /** Read one transaction's review state from the table. */
  readonly review?: string;
}

const sqs = new SQSClient({});
const dynamodb = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** Plays a payment system calling the fraud API in the integ test, and reads what came out of it. */
export const handler = async (request: ProbeRequest) => {
  if (request.post) {
    const results = [];
    for (const transaction of request.post) {
      const response = await post(transaction);
      const body = await response.json().catch(() => ({})) as { level?: string; score?: number };
      results.push({ transactionId: transaction.transactionId, status: response.status, level: body.level ?? null });
    }
    return { results };
  }
  if (request.burstSeconds) {
    const deadline = Date.now() + request.burstSeconds * 1000;
    let sent = 0;
    while (Date.now() < deadline) {
      sent++;
      const status = (await post({ transactionId: `burst-${Date.now()}-${sent}`, merchantId: 'm-integ-waf', amount: 100 })).status;
      if (status === 403) return { blocked: true, sent };
    }
    return { blocked: false, sent };
  }
  if (request.alertsSeconds) {
    const alerted = new Set<string>();
    const deadline = Date.now() + request.alertsSeconds * 1000;
    while (Date.now() < deadline) {
      const { Messages: messages = [] } = await sqs.send(new ReceiveMessageCommand({
        QueueUrl: process.env.ALERT_PROBE_QUEUE_URL, MaxNumberOfMessages: 10, WaitTimeSeconds: 5,
      }));
      for (const message of messages) alerted.add(JSON.parse(message.Body!).transactionId);
      if (messages.length > 0) {
        await sqs.send(new DeleteMessageBatchCommand({
          QueueUrl: process.env.ALERT_PROBE_QUEUE_URL,
          Entries: messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })),
        }));
      }
    }
    return { transactionIds: [...alerted].sort() };
  }
  if (request.review) {
    const { Item: item } = await dynamodb.send(new GetCommand({
      TableName: process.env.TRANSACTIONS_TABLE_NAME, Key: { transactionId: request.review }, ConsistentRead: true,
    }));
    return { found: item !== undefined, level: item?.level ?? null, alerted: item?.alerted ?? null, reviewStatus: item?.reviewStatus ?? null };
  }
  throw new Error(`nothing to do: ${JSON.stringify(request)}; give post, burstSeconds, alertsSeconds or review`);
};

function post(transaction: ProbeTransaction): Promise<Response> {
  return fetch(process.env.TRANSACTIONS_URL!, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ currency: 'EUR', country: 'DE', customerId: 'cus-integ', ...transaction, timestamp: new Date().toISOString() }),
  });
}
