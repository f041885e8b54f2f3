import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { FraudScore, PastTransaction, SCORING, scoreTransaction } from './fraud-score';
import { onHandlerSubsegment } from './handler-subsegment';
import type { ReviewRequest } from './review-request';
import { InvalidTransactionError, parseTransaction, Transaction } from './transaction';

// Created once per execution environment, reused by every invocation (Powertools' recommended shape).
const logger = new Logger();
const tracer = new Tracer();
// The stage is a dimension next to the service: the flag-rate alarm of each stage reads its own stage's metrics.
const metrics = new Metrics({ defaultDimensions: { stage: process.env.STAGE_NAME ?? 'unknown' } });
const dynamodb = DynamoDBDocumentClient.from(tracer.captureAWSv3Client(new DynamoDBClient({})));
const sns = tracer.captureAWSv3Client(new SNSClient({}));
const sqs = tracer.captureAWSv3Client(new SQSClient({}));

/** A transaction as stored in the table: the input, its score, and whether its alerts went out. */
interface StoredTransaction extends Transaction, Omit<FraudScore, 'amountDeviation'> {
  readonly scoredAt: string;
  readonly flagged: boolean;
  readonly alerted?: boolean;
}

/**
 * POST /transactions: validates the transaction, reads the merchant's recent transactions from the merchant index, scores
 * it (velocity, amount against the merchant's usual range, new country), records it once per transaction id, and for a
 * HIGH score publishes an alert and queues it for review. Answers the score, its level and the reasons.
 */
export const handler = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> =>
  onHandlerSubsegment(tracer, () => score(event, context));

async function score(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  logger.addContext(context);
  try {
    const body = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf-8') : event.body ?? '';
    let transaction: Transaction;
    try {
      transaction = parseTransaction(body, Date.now());
    } catch (error) {
      if (error instanceof InvalidTransactionError) {
        logger.warn('transaction rejected', { detail: error.message });
        return respond(400, { error: error.message });
      }
      throw error;
    }
    logger.appendKeys({ transactionId: transaction.transactionId, merchantId: transaction.merchantId });
    tracer.putAnnotation('transactionId', transaction.transactionId);
    tracer.putAnnotation('merchantId', transaction.merchantId);

    const result = scoreTransaction(transaction, await merchantHistory(transaction));
    const stored: StoredTransaction = {
      ...transaction,
      score: result.score,
      level: result.level,
      reasons: result.reasons,
      velocity: result.velocity,
      newCountry: result.newCountry,
      scoredAt: new Date().toISOString(),
      flagged: result.level === 'HIGH',
      ...(result.level === 'HIGH' ? { alerted: false } : {}),
    };
    const recorded = await recordOnce(stored);
    if (recorded !== 'recorded') {
      if (!sameTransaction(recorded, transaction)) {
        return respond(409, { error: `transaction ${transaction.transactionId} was already scored with other details; send a new transactionId for a new transaction` });
      }
      // A retry after the first call recorded the score but failed before its alerts were out: send them now.
      if (recorded.flagged && recorded.alerted === false) await alert(recorded);
      metrics.addMetric('TransactionsDuplicate', MetricUnit.Count, 1);
      logger.info('transaction already scored', { level: recorded.level });
      return respond(200, answer(recorded, true));
    }
    metrics.addMetric('TransactionsScored', MetricUnit.Count, 1);
    // Zero when not flagged, so the flag rate's numerator and denominator have the same datapoints.
    metrics.addMetric('TransactionsFlagged', MetricUnit.Count, stored.flagged ? 1 : 0);
    tracer.putAnnotation('riskLevel', stored.level);
    if (stored.flagged) await alert(stored);
    logger.info('transaction scored', { score: stored.score, level: stored.level, reasons: stored.reasons, amountDeviation: result.amountDeviation });
    return respond(200, answer(stored, false));
  } finally {
    logger.removeKeys(['transactionId', 'merchantId']);
    metrics.publishStoredMetrics();
  }
}

/** The merchant's transactions of the history window before this one, newest first, from the merchant index. */
async function merchantHistory(transaction: Transaction): Promise<PastTransaction[]> {
  const from = new Date(Date.parse(transaction.timestamp) - SCORING.historyDays * 24 * 60 * 60 * 1000).toISOString();
  const page = await dynamodb.send(new QueryCommand({
    TableName: process.env.TRANSACTIONS_TABLE_NAME,
    IndexName: process.env.MERCHANT_INDEX_NAME,
    KeyConditionExpression: 'merchantId = :merchant AND #timestamp BETWEEN :from AND :to',
    ExpressionAttributeNames: { '#timestamp': 'timestamp' },
    ExpressionAttributeValues: { ':merchant': transaction.merchantId, ':from': from, ':to': transaction.timestamp },
    ScanIndexForward: false,
    // The newest ones: enough for velocity (a burst beyond it is high anyway) and a stable mean and spread.
    Limit: SCORING.historyLimit,
  }));
  return (page.Items ?? []) as PastTransaction[];
}

/** Writes the scored transaction unless its id is already in the table; then returns the stored one. */
async function recordOnce(item: StoredTransaction): Promise<'recorded' | StoredTransaction> {
  try {
    await dynamodb.send(new PutCommand({
      TableName: process.env.TRANSACTIONS_TABLE_NAME,
      Item: item,
      ConditionExpression: 'attribute_not_exists(transactionId)',
    }));
    return 'recorded';
  } catch (error) {
    if ((error as Error).name !== 'ConditionalCheckFailedException') throw error;
  }
  const existing = await dynamodb.send(new GetCommand({
    TableName: process.env.TRANSACTIONS_TABLE_NAME,
    Key: { transactionId: item.transactionId },
    ConsistentRead: true,
  }));
  if (!existing.Item) throw new Error(`transaction ${item.transactionId} failed its put condition but is not in the table`);
  return existing.Item as StoredTransaction;
}

function sameTransaction(stored: StoredTransaction, transaction: Transaction): boolean {
  return (['merchantId', 'amount', 'currency', 'country', 'timestamp', 'cardFingerprint', 'customerId'] as const)
    .every(field => stored[field] === transaction[field]);
}

/** Publishes the flagged transaction to the alert topic and queues it for review, then marks it alerted. */
async function alert(stored: StoredTransaction): Promise<void> {
  const request: ReviewRequest = {
    transactionId: stored.transactionId,
    merchantId: stored.merchantId,
    amount: stored.amount,
    currency: stored.currency,
    country: stored.country,
    timestamp: stored.timestamp,
    score: stored.score,
    level: stored.level,
    reasons: stored.reasons,
  };
  const message = JSON.stringify(request);
  await Promise.all([
    sns.send(new PublishCommand({
      TopicArn: process.env.ALERT_TOPIC_ARN,
      Subject: `High fraud risk: transaction ${stored.transactionId} of merchant ${stored.merchantId}`.slice(0, 100),
      Message: message,
      MessageAttributes: { level: { DataType: 'String', StringValue: stored.level } },
    })),
    sqs.send(new SendMessageCommand({ QueueUrl: process.env.REVIEW_QUEUE_URL, MessageBody: message })),
  ]);
  await dynamodb.send(new UpdateCommand({
    TableName: process.env.TRANSACTIONS_TABLE_NAME,
    Key: { transactionId: stored.transactionId },
    UpdateExpression: 'SET alerted = :true',
    ExpressionAttributeValues: { ':true': true },
  }));
  logger.info('transaction flagged for review', { score: stored.score, reasons: stored.reasons });
}

function answer(stored: StoredTransaction, duplicate: boolean): object {
  const { transactionId, score: points, level, reasons } = stored;
  return { transactionId, score: points, level, reasons, ...(duplicate ? { duplicate } : {}) };
}

function respond(statusCode: number, body: object): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
