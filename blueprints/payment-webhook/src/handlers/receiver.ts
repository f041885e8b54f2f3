import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyValidationError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { MalformedEventError, parseWebhookEvent, WebhookEvent } from './webhook-event';
import { checkSignature, header, SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook-signature';

// Created once per execution environment, reused by every invocation (Powertools' recommended shape).
const logger = new Logger();
const tracer = new Tracer();
const metrics = new Metrics();
const sqs = tracer.captureAWSv3Client(new SQSClient({}));
const idempotency = new IdempotencyConfig({
  eventKeyJmesPath: 'id',
  // Providers retry for up to a day; a redelivery within it is answered from the record, never enqueued twice.
  expiresAfterSeconds: 24 * 60 * 60,
  // The event minus its id (the key): a same-id redelivery with other content is refused, not answered from the record.
  payloadValidationJmesPath: '[type, createdAt, data]',
});

/** Enqueues an event once per event id; a duplicate delivery gets the first delivery's answer. */
const enqueueOnce = makeIdempotent(
  async (event: WebhookEvent): Promise<{ accepted: string }> => {
    await sqs.send(new SendMessageCommand({
      QueueUrl: process.env.QUEUE_URL,
      MessageBody: JSON.stringify(event),
      MessageAttributes: { eventType: { DataType: 'String', StringValue: event.type } },
    }));
    return { accepted: event.id };
  },
  { persistenceStore: new DynamoDBPersistenceLayer({ tableName: process.env.IDEMPOTENCY_TABLE_NAME! }), config: idempotency },
);

/**
 * POST /webhooks: verifies the provider's HMAC signature with the secret from Secrets Manager, validates the body,
 * enqueues the event once per event id and answers 202 at once; processing happens behind the queue.
 */
export const handler = async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
  if (!tracer.isTracingEnabled()) return receive(event, context);
  // Lambda's facade segment refuses annotations: they go on a handler subsegment, opened as captureLambdaHandler does.
  const facade = tracer.getSegment();
  const subsegment = facade?.addNewSubsegment(`## ${process.env._HANDLER}`);
  if (subsegment) tracer.setSegment(subsegment);
  tracer.annotateColdStart();
  tracer.addServiceNameAnnotation();
  try {
    const result = await receive(event, context);
    tracer.addResponseAsMetadata(result, process.env._HANDLER);
    return result;
  } catch (error) {
    tracer.addErrorAsMetadata(error as Error);
    throw error;
  } finally {
    subsegment?.close();
    if (facade) tracer.setSegment(facade);
  }
};

async function receive(event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> {
  idempotency.registerLambdaContext(context);
  logger.addContext(context);
  metrics.addMetric('WebhooksReceived', MetricUnit.Count, 1);
  try {
    const body = event.isBase64Encoded && event.body ? Buffer.from(event.body, 'base64').toString('utf-8') : event.body ?? '';
    // Cached for five minutes: a rotated secret is picked up without a cold start.
    const secret = await getSecret<string>(process.env.SIGNING_SECRET_NAME!, { maxAge: 300 });
    if (!secret) throw new Error('the signing secret is empty');
    const check = checkSignature({
      secret,
      body,
      timestamp: header(event.headers, TIMESTAMP_HEADER),
      signature: header(event.headers, SIGNATURE_HEADER),
      nowSeconds: Math.floor(Date.now() / 1000),
    });
    if (check !== 'valid') return reject(401, 'signature', `signature ${check}`);

    let webhook: WebhookEvent;
    try {
      webhook = parseWebhookEvent(body);
    } catch (error) {
      if (error instanceof MalformedEventError) return reject(400, 'malformed', error.reason);
      throw error;
    }
    logger.appendKeys({ eventId: webhook.id, paymentId: webhook.data.paymentId });
    tracer.putAnnotation('eventId', webhook.id);
    let result: { accepted: string };
    try {
      result = await enqueueOnce(webhook);
    } catch (error) {
      if (error instanceof IdempotencyValidationError) {
        return reject(422, 'payload-mismatch', `event ${webhook.id} was already received with a different body; send a new event id for new content`);
      }
      // 409 like Stripe's own API for a key in use: providers redeliver any non-2XX, and a 5XX would page on-call for a retry.
      if (error instanceof IdempotencyAlreadyInProgressError) {
        return reject(409, 'in-progress', `event ${webhook.id} is being accepted by another delivery; redeliver later`);
      }
      throw error;
    }
    logger.info('webhook accepted', { eventType: webhook.type });
    return respond(202, result);
  } finally {
    logger.removeKeys(['eventId', 'paymentId']);
    metrics.publishStoredMetrics();
  }
}

function reject(statusCode: number, reason: string, detail: string): APIGatewayProxyResult {
  logger.warn('webhook rejected', { reason, detail });
  const rejected = metrics.singleMetric();
  rejected.addDimension('reason', reason);
  rejected.addMetric('WebhooksRejected', MetricUnit.Count, 1);
  return respond(statusCode, { error: detail });
}

function respond(statusCode: number, body: object): APIGatewayProxyResult {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}
