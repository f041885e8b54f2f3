import * as path from 'path';
import { Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { DataKey, ProtectedRestApi, SecureQueue, SecureTable, TracedFunction } from '../../src';

/** Webhooks with the library: API (WAF) -> receiver -> encrypted queue (DLQ) -> processor -> encrypted table. */
export class LibraryWebhookStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    const dataKey = new DataKey(this, 'DataKey', { aliasBase: 'webhooks' });
    const events = new SecureTable(this, 'Events', {
      nameBase: 'webhook-events',
      dataKey,
      partitionKey: { name: 'eventId', type: dynamodb.AttributeType.STRING },
    });
    const inbound = new SecureQueue(this, 'Inbound', { nameBase: 'webhooks-inbound', dataKey });

    const receiver = new TracedFunction(this, 'Receiver', {
      entry: path.join(__dirname, 'handlers', 'receiver.ts'),
      nameBase: 'webhook-receiver',
      dataKey,
      environment: { QUEUE_URL: inbound.queueUrl },
    });
    const processor = new TracedFunction(this, 'Processor', {
      entry: path.join(__dirname, 'handlers', 'processor.ts'),
      nameBase: 'webhook-processor',
      dataKey,
      environment: { TABLE_NAME: events.tableName },
    });
    inbound.grantSendMessages(receiver);
    processor.addSqsEventSource(inbound);
    events.grantWriteData(processor);

    const api = new ProtectedRestApi(this, 'Api', { nameBase: 'webhooks', dataKey, description: 'Payment provider webhooks' });
    api.root.addResource('webhooks').addMethod('POST', new apigateway.LambdaIntegration(receiver));
  }
}
