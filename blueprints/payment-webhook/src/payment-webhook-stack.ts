import * as path from 'path';
import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import {
  BusinessKpiAlarms, DataKey, FintechStage, NameKind, PhysicalName, ProtectedRestApi, SecureQueue, SecureTable, ServiceDashboard,
  TraceSamplingRule, TracedFunction,
} from 'fintech-infra-template';

/** Options of `PaymentWebhookStack`. */
export interface PaymentWebhookStackProps extends StackProps {
  /**
   * Requests per second one client IP may send before WAF blocks it (WAF counts per window: the construct converts).
   *
   * @default 20
   */
  readonly requestsPerSecondPerIp?: number;

  /**
   * Runs the handlers on AWS's Powertools layer of the version this repo pins, so each function package holds only
   * the handler (about 4 KB instead of about 200 KB with Powertools and the X-Ray SDK bundled; `TracedFunction`'s
   * `powertoolsLayer` explains the trade-off). Set it to false in AWS GovCloud (US) or China, where AWS does not
   * publish the layer, or to bundle Powertools with the dependencies of your lock file.
   *
   * @default true
   */
  readonly powertoolsLayer?: boolean;
}

/** Business metrics the handlers publish with Powertools Metrics (namespace: the application, dimension: service). */
export const BUSINESS_METRICS = ['WebhooksReceived', 'WebhooksRejected', 'WebhooksProcessed', 'WebhooksDuplicate', 'PaymentsAudited'];

/**
 * A payment provider's webhooks, done right: API Gateway behind WAF -> receiver (signature check, idempotency on the event id,
 * 202 at once) -> encrypted queue with a DLQ -> processor (partial batch failures, conditional writes) -> payments table ->
 * stream -> audit. One customer key per stage; tracing, error-rate alarms and a dashboard; every name carries the stage.
 */
export class PaymentWebhookStack extends Stack {
  public readonly api: ProtectedRestApi;
  public readonly payments: SecureTable;
  public readonly inbound: SecureQueue;
  public readonly receiver: TracedFunction;
  public readonly processor: TracedFunction;
  public readonly audit: TracedFunction;
  public readonly signingSecret: secretsmanager.Secret;
  /** `GET` answers `{"status":"ok"}` from API Gateway itself, through WAF and the stage: what a canary checks from outside. */
  public readonly healthUrl: string;

  constructor(scope: Construct, id: string, props: PaymentWebhookStackProps = {}) {
    super(scope, id, props);
    const stage = FintechStage.of(this);
    const dataKey = new DataKey(this, 'DataKey', { aliasBase: 'payment-webhook', description: `Payment webhook data of ${stage.application} in ${stage.environmentName}` });

    // The provider's signing secret: set its value once after the first deploy (aws secretsmanager put-secret-value).
    const signingSecretName = PhysicalName.of(this, 'webhook-signing-secret', { kind: NameKind.SECRET });
    this.signingSecret = new secretsmanager.Secret(this, 'SigningSecret', {
      secretName: signingSecretName,
      description: 'HMAC-SHA256 key the payment provider signs webhooks with',
      encryptionKey: dataKey.key,
      generateSecretString: { passwordLength: 48, excludePunctuation: true },
    });

    this.payments = new SecureTable(this, 'Payments', {
      nameBase: 'payments',
      dataKey,
      partitionKey: { name: 'paymentId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'eventId', type: dynamodb.AttributeType.STRING },
      stream: true,
    });
    // Powertools Idempotency's records: one per provider event id, expired by DynamoDB TTL after a day.
    const idempotency = new SecureTable(this, 'Idempotency', {
      nameBase: 'idempotency',
      dataKey,
      partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: 'expiration',
    });

    const handlers = path.join(__dirname, 'handlers');
    const powertoolsLayer = props.powertoolsLayer ?? true;
    this.receiver = new TracedFunction(this, 'Receiver', {
      entry: path.join(handlers, 'receiver.ts'),
      nameBase: 'webhook-receiver',
      powertoolsLayer,
      serviceName: 'payment-webhook',
      dataKey,
      // The provider waits for the answer: fail fast rather than make it retry a slow call.
      timeout: Duration.seconds(5),
      // Invoked by API Gateway only, which waits for the answer: a failure is the provider's to redeliver, no on-failure queue.
      asynchronousInvocation: false,
      environment: {
        SIGNING_SECRET_NAME: signingSecretName,
        IDEMPOTENCY_TABLE_NAME: idempotency.tableName,
      },
    });
    this.processor = new TracedFunction(this, 'Processor', {
      entry: path.join(handlers, 'processor.ts'),
      nameBase: 'webhook-processor',
      powertoolsLayer,
      serviceName: 'payment-webhook',
      dataKey,
      timeout: Duration.seconds(20),
      // Invoked by the queue's event source mapping only: failed messages go to the queue's DLQ.
      asynchronousInvocation: false,
      // FINTECH_STAGE: the stage dimension of the payment KPIs the processor publishes (PaymentKpis), which BusinessKpiAlarms select.
      environment: { PAYMENTS_TABLE_NAME: this.payments.tableName, ...BusinessKpiAlarms.stageEnvironment(this) },
    });
    this.audit = new TracedFunction(this, 'Audit', {
      entry: path.join(handlers, 'audit.ts'),
      nameBase: 'payment-audit',
      powertoolsLayer,
      serviceName: 'payment-webhook',
      dataKey,
      // Invoked by the table stream's event source mapping only: failed records go to the table's failure queue.
      asynchronousInvocation: false,
    });

    // Six times the processor's timeout, so a slow batch is never delivered twice while still in flight.
    this.inbound = new SecureQueue(this, 'Inbound', { nameBase: 'webhooks-inbound', dataKey, visibilityTimeout: Duration.seconds(120), maxReceiveCount: 3 });
    this.receiver.addEnvironment('QUEUE_URL', this.inbound.queueUrl);
    this.inbound.grantSendMessages(this.receiver);
    this.signingSecret.grantRead(this.receiver);
    idempotency.grantReadWriteData(this.receiver);
    this.inbound.addConsumer(this.processor, { batchSize: 10 });
    this.payments.grantWriteData(this.processor);
    this.payments.addStreamConsumer(this.audit);

    this.api = new ProtectedRestApi(this, 'Api', {
      nameBase: 'webhooks',
      description: 'Payment provider webhooks',
      requestsPerSecondPerIp: props.requestsPerSecondPerIp ?? 20,
    });
    this.api.root.addResource('webhooks').addMethod('POST', new apigateway.LambdaIntegration(this.receiver));
    // Answered by API Gateway without a function: proves DNS, TLS, WAF and the deployed stage, for canaries.
    this.healthUrl = this.api.addHealthRoute();

    // Sample 10% of requests beyond the first each second: enough to see every path, cheap at volume.
    new TraceSamplingRule(this, 'Sampling', { nameBase: 'webhooks', fixedRate: 0.1, serviceName: 'payment-webhook' });

    const dashboard = new ServiceDashboard(this, 'Dashboard', { nameBase: 'payment-webhook' });
    dashboard.addRestApi(this.api, this.api.deploymentStage);
    dashboard.addFunction(this.receiver);
    dashboard.addQueue(this.inbound, this.inbound.deadLetters);
    dashboard.addFunction(this.processor);
    dashboard.addTable(this.payments);
    dashboard.addFunction(this.audit);
    dashboard.addBusinessMetrics(stage.application, BUSINESS_METRICS, { service: 'payment-webhook' }, { title: 'Webhooks' });

    // What operators, other stacks and the integ test look up.
    new CfnOutput(this, 'WebhookUrl', { value: this.api.urlForPath('/webhooks'), description: 'POST payment provider webhooks here' });
    new CfnOutput(this, 'PaymentsTableName', { value: this.payments.tableName });
    new CfnOutput(this, 'SigningSecretName', { value: signingSecretName });
  }
}
