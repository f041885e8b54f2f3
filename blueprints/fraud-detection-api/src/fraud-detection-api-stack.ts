import * as path from 'path';
import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import {
  DataKey, ErrorRateAlarm, FintechStage, FintechVpc, PhysicalName, ProtectedRestApi, SecureQueue, SecureTable, SecureTopic, ServiceDashboard,
  TraceSamplingRule, TracedFunction,
} from 'fintech-infra-template';

/** Options of `FraudDetectionApiStack`. */
export interface FraudDetectionApiStackProps extends StackProps {
  /**
   * Requests per second one client IP may send before WAF blocks it (WAF counts per window: the construct converts).
   *
   * @default 20
   */
  readonly requestsPerSecondPerIp?: number;

  /**
   * Percentage of scored transactions flagged HIGH above which the flag-rate alarm fires (over 5-minute periods with at
   * least `flagRateMinimumTransactions` scored). A jump means an attack on one merchant, or thresholds that need tuning.
   *
   * @default 5
   */
  readonly flagRateThresholdPercent?: number;

  /**
   * Scored transactions per 5 minutes below which the flag rate counts as 0, so two flags out of three never page.
   *
   * @default 20
   */
  readonly flagRateMinimumTransactions?: number;

  /**
   * Runs the handlers on AWS's Powertools layer of the version this repo pins, so each function package holds only the
   * handler. Set it to false in AWS GovCloud (US) or China, where AWS does not publish the layer, or to bundle Powertools
   * with the dependencies of your lock file.
   *
   * @default true
   */
  readonly powertoolsLayer?: boolean;
}

/** Business metrics the handlers publish with Powertools Metrics (namespace: the application; dimensions: service and stage). */
export const FRAUD_METRICS = ['TransactionsScored', 'TransactionsFlagged', 'TransactionsDuplicate', 'ReviewsOpened', 'ReviewsDuplicate'];

/** The merchant index of the transactions table: a merchant's transactions by time, for the scorer's history query. */
export const MERCHANT_INDEX = 'merchant-time';

/** The Powertools service name of both handlers: the `service` dimension of their metrics. */
export const FRAUD_SERVICE = 'fraud-detection';

/**
 * A fraud-scoring API whose functions never touch the internet: WAF and API Gateway in front of a scorer that runs in
 * the isolated subnets of a VPC with no internet or NAT gateway and reaches DynamoDB, SQS and SNS through VPC endpoints
 * only. The scorer reads the merchant's recent transactions from a merchant/time index, scores velocity, amount against
 * the merchant's usual range and new countries, records each transaction once, and sends HIGH scores to an alert topic
 * (email) and a review queue (DLQ) consumed by a reviewer in the same subnets. The flag rate is alarmed as metric math.
 */
export class FraudDetectionApiStack extends Stack {
  public readonly network: FintechVpc;
  public readonly api: ProtectedRestApi;
  public readonly transactions: SecureTable;
  public readonly alerts: SecureTopic;
  public readonly reviews: SecureQueue;
  public readonly scorer: TracedFunction;
  public readonly reviewer: TracedFunction;
  public readonly flagRateAlarm: ErrorRateAlarm;

  constructor(scope: Construct, id: string, props: FraudDetectionApiStackProps = {}) {
    super(scope, id, props);
    const stage = FintechStage.of(this);
    const dataKey = new DataKey(this, 'DataKey', { aliasBase: 'fraud-detection', description: `Fraud detection data of ${stage.application} in ${stage.environmentName}` });

    // No internet gateway, no NAT: the functions reach exactly the services they call, through endpoints. DynamoDB is a
    // free gateway endpoint; SQS and SNS are interface endpoints (billed per AZ-hour). KMS is called by SQS, SNS and
    // DynamoDB on the functions' behalf, logs and traces are delivered by Lambda: none of them needs an endpoint here.
    // Its own name base, so its flow log group does not collide with another blueprint's VPC in the same stage.
    this.network = new FintechVpc(this, 'Network', { nameBase: 'fraud-network', internetAccess: false, endpoints: ['dynamodb', 'sqs', 'sns'], dataKey });

    this.transactions = new SecureTable(this, 'Transactions', {
      nameBase: 'transactions',
      dataKey,
      partitionKey: { name: 'transactionId', type: dynamodb.AttributeType.STRING },
    });
    // What the score reads of a merchant's history, and nothing else: the keys, the amount, its currency and the country.
    this.transactions.addGlobalSecondaryIndex({
      indexName: MERCHANT_INDEX,
      partitionKey: { name: 'merchantId', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'timestamp', type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: ['amount', 'currency', 'country'],
    });

    this.alerts = new SecureTopic(this, 'FraudAlerts', { nameBase: 'fraud-alerts', dataKey, ...(stage.alarmEmail ? { email: stage.alarmEmail } : {}) });
    // Six times the reviewer's timeout, so a slow batch is never delivered twice while still in flight.
    this.reviews = new SecureQueue(this, 'Reviews', { nameBase: 'fraud-reviews', dataKey, visibilityTimeout: Duration.seconds(120), maxReceiveCount: 3 });

    const handlers = path.join(__dirname, 'handlers');
    const powertoolsLayer = props.powertoolsLayer ?? true;
    const environment = { STAGE_NAME: stage.environmentName, TRANSACTIONS_TABLE_NAME: this.transactions.tableName };
    this.scorer = new TracedFunction(this, 'Scorer', {
      entry: path.join(handlers, 'scorer.ts'),
      nameBase: 'fraud-scorer',
      powertoolsLayer,
      serviceName: FRAUD_SERVICE,
      dataKey,
      // The payment flow waits for the score: fail fast rather than hold a checkout.
      timeout: Duration.seconds(10),
      // Invoked by API Gateway only, which waits for the answer: the caller retries, no on-failure queue.
      asynchronousInvocation: false,
      // Isolated subnets of the VPC, and a security group with HTTPS out to its endpoints only (TracedFunction's defaults).
      vpc: this.network,
      environment: {
        ...environment,
        MERCHANT_INDEX_NAME: MERCHANT_INDEX,
        ALERT_TOPIC_ARN: this.alerts.topicArn,
        REVIEW_QUEUE_URL: this.reviews.queueUrl,
      },
    });
    this.reviewer = new TracedFunction(this, 'Reviewer', {
      entry: path.join(handlers, 'reviewer.ts'),
      nameBase: 'fraud-reviewer',
      powertoolsLayer,
      serviceName: FRAUD_SERVICE,
      dataKey,
      timeout: Duration.seconds(20),
      // Invoked by the queue's event source mapping only: failed messages go to the queue's DLQ.
      asynchronousInvocation: false,
      vpc: this.network,
      environment,
    });

    this.transactions.grantReadWriteData(this.scorer);
    this.alerts.grantPublish(this.scorer);
    this.reviews.grantSendMessages(this.scorer);
    this.transactions.grantReadWriteData(this.reviewer);
    this.reviews.addConsumer(this.reviewer, { batchSize: 10 });

    this.api = new ProtectedRestApi(this, 'Api', {
      nameBase: 'fraud',
      description: 'Fraud scoring of card transactions',
      requestsPerSecondPerIp: props.requestsPerSecondPerIp ?? 20,
    });
    this.api.root.addResource('transactions').addMethod('POST', new apigateway.LambdaIntegration(this.scorer));

    // The flag rate, 100 * flagged / scored over the stage's own metrics: a count would page on busy days and sleep on quiet ones.
    const dimensionsMap = { service: FRAUD_SERVICE, stage: stage.environmentName };
    const businessMetric = (metricName: string) => new cloudwatch.Metric({
      namespace: stage.application, metricName, dimensionsMap, statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5),
    });
    this.flagRateAlarm = new ErrorRateAlarm(this, 'FlagRateAlarm', {
      alarmName: PhysicalName.of(this, 'fraud-flag-rate'),
      description: `More than ${props.flagRateThresholdPercent ?? 5}% of the transactions scored by ${this.scorer.node.path} were flagged HIGH. ` +
        'Look at the reasons in the review queue and the scorer logs: an attack on one merchant shows as velocity, a change in ' +
        'the business (a new market, a price change) as amount or country reasons across merchants, which calls for tuning SCORING.',
      errors: businessMetric('TransactionsFlagged'),
      requests: businessMetric('TransactionsScored'),
      thresholdPercent: props.flagRateThresholdPercent ?? 5,
      minimumRequests: props.flagRateMinimumTransactions ?? 20,
    });

    // Sample 10% of requests beyond the first each second: enough to see every path, cheap at volume.
    new TraceSamplingRule(this, 'Sampling', { nameBase: 'fraud', fixedRate: 0.1, serviceName: FRAUD_SERVICE });

    const dashboard = new ServiceDashboard(this, 'Dashboard', { nameBase: 'fraud-detection' });
    dashboard.addRestApi(this.api, this.api.deploymentStage);
    dashboard.addFunction(this.scorer);
    dashboard.addTable(this.transactions);
    dashboard.addQueue(this.reviews, this.reviews.deadLetters);
    dashboard.addFunction(this.reviewer);
    dashboard.addBusinessMetrics(stage.application, FRAUD_METRICS, dimensionsMap, { title: 'Fraud' });

    // What operators, callers and the integ test look up.
    new CfnOutput(this, 'TransactionsUrl', { value: this.api.urlForPath('/transactions'), description: 'POST card transactions here to have them scored' });
    new CfnOutput(this, 'TransactionsTableName', { value: this.transactions.tableName });
    new CfnOutput(this, 'ReviewQueueUrl', { value: this.reviews.queueUrl });
    new CfnOutput(this, 'FraudAlertsTopicArn', { value: this.alerts.topicArn });
  }
}
