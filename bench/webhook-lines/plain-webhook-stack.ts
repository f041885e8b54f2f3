import * as path from 'path';
import { Duration, RemovalPolicy, Stack, StackProps, Stage, Tags } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';

/** What the plain stack needs to know about its environment; the library reads it from the FintechStage. */
export interface PlainWebhookStackProps extends StackProps {
  /** First part of every physical name. */
  readonly application: string;
  /** Owning team, for the Team tag. */
  readonly team: string;
  /** Cost center, for the CostCenter tag. */
  readonly costCenter: string;
  /** Who is paged by the alarms. */
  readonly alarmEmail: string;
  /** Whether the stage's data must outlive its stacks. */
  readonly durable: boolean;
}

const MANAGED_RULE_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'];
const ALARM_PERIOD = Duration.minutes(5);

/** Webhooks with plain aws-cdk-lib: API (WAF) -> receiver -> encrypted queue (DLQ) -> processor -> encrypted table. */
export class PlainWebhookStack extends Stack {
  private readonly stageName: string;
  private readonly removalPolicy: RemovalPolicy;
  private readonly dataKey: kms.Key;
  private readonly alerts: sns.Topic;

  constructor(scope: Construct, id: string, private readonly config: PlainWebhookStackProps) {
    super(scope, id, config);
    this.stageName = Stage.of(this)!.stageName;
    this.removalPolicy = config.durable ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    Tags.of(this).add('Environment', this.stageName);
    Tags.of(this).add('Team', config.team);
    Tags.of(this).add('CostCenter', config.costCenter);
    Tags.of(this).add('Application', config.application);

    this.dataKey = this.key('DataKey', 'webhooks');
    const alertKey = this.key('AlertKey', 'alerts-topic');
    // CloudWatch publishes alarm notifications through the topic's key, so its key policy must allow it.
    alertKey.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: {
        StringEquals: { 'aws:SourceAccount': this.account },
        ArnLike: { 'aws:SourceArn': `arn:${this.partition}:cloudwatch:${this.region}:${this.account}:alarm:*` },
      },
    }));
    this.alerts = new sns.Topic(this, 'Alerts', { topicName: this.name('alerts'), masterKey: alertKey, enforceSSL: true });
    this.alerts.applyRemovalPolicy(this.removalPolicy);
    this.alerts.addSubscription(new subscriptions.EmailSubscription(config.alarmEmail));

    const events = new dynamodb.Table(this, 'Events', {
      tableName: this.name('webhook-events'),
      partitionKey: { name: 'eventId', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.dataKey,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: config.durable,
      removalPolicy: this.removalPolicy,
    });
    const throttles = new cloudwatch.MathExpression({
      expression: 'FILL(reads, 0) + FILL(writes, 0)',
      usingMetrics: {
        reads: events.metric('ReadThrottleEvents', { statistic: cloudwatch.Stats.SUM }),
        writes: events.metric('WriteThrottleEvents', { statistic: cloudwatch.Stats.SUM }),
      },
      period: ALARM_PERIOD,
    });
    this.alarm('EventsThrottles', throttles, 0, 'Webhook events table throttles reads or writes: check the key distribution.');
    const systemErrors = events.metricSystemErrorsForOperations({ operations: [dynamodb.Operation.PUT_ITEM], period: ALARM_PERIOD });
    this.alarm('EventsSystemErrors', systemErrors, 0, 'DynamoDB returns server errors for the webhook events table: check the AWS Health Dashboard.');

    const deadLetters = this.queue('InboundDlq', 'webhooks-inbound-dlq');
    const inbound = this.queue('Inbound', 'webhooks-inbound', {
      visibilityTimeout: Duration.seconds(30),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: 3 },
    });
    const dlqDepth = deadLetters.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1) });
    this.alarm('InboundDeadLetters', dlqDepth, 0, 'Webhooks failed 3 receives and wait in the DLQ: fix the cause, then redrive them.', 1);
    const oldestMessage = inbound.metricApproximateAgeOfOldestMessage({ statistic: cloudwatch.Stats.MAXIMUM, period: ALARM_PERIOD });
    this.alarm('InboundOldestMessage', oldestMessage, 900, 'Oldest webhook has waited 15 minutes: the processor is failing or behind.', 1);

    const receiver = this.tracedFunction('Receiver', 'webhook-receiver', 'receiver.ts', { QUEUE_URL: inbound.queueUrl });
    const processor = this.tracedFunction('Processor', 'webhook-processor', 'processor.ts', { TABLE_NAME: events.tableName });
    inbound.grantSendMessages(receiver);
    processor.addEventSource(new SqsEventSource(inbound, { batchSize: 10, reportBatchItemFailures: true }));
    events.grantWriteData(processor);

    const accessLogs = this.logGroup('ApiAccessLogs', this.name('webhooks-access-logs'), logs.RetentionDays.ONE_YEAR);
    const api = new apigateway.RestApi(this, 'Api', {
      restApiName: this.name('webhooks'),
      description: 'Payment provider webhooks',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      cloudWatchRole: true,
      deployOptions: {
        stageName: this.stageName,
        tracingEnabled: true,
        metricsEnabled: true,
        throttlingRateLimit: 100,
        throttlingBurstLimit: 200,
        accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      },
    });
    api.root.addResource('webhooks').addMethod('POST', new apigateway.LambdaIntegration(receiver));
    const stage = api.deploymentStage;
    this.errorRateAlarm('ApiServerErrors', stage.metricServerError(), stage.metricCount(), 1, 'More than 1% of webhook requests fail with 5XX.');
    this.errorRateAlarm('ApiClientErrors', stage.metricClientError(), stage.metricCount(), 10, 'More than 10% of webhook requests are refused with 4XX.');
    const latency = stage.metricLatency({ statistic: cloudwatch.Stats.p(99), period: ALARM_PERIOD });
    this.alarm('ApiLatency', latency, 3000, 'p99 latency of the webhook API is above 3 s: check the receiver traces.');

    const webAcl = new wafv2.CfnWebACL(this, 'WebAcl', {
      name: this.name('webhooks-waf'),
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      visibilityConfig: visibility('webhooks-waf'),
      rules: [
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: {} },
          // WAF counts per evaluation window: 10 requests per second per IP is 600 per 60-second window.
          statement: { rateBasedStatement: { limit: 600, evaluationWindowSec: 60, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility('rate-limit-per-ip'),
        },
        ...MANAGED_RULE_GROUPS.map((group, index) => ({
          name: group,
          priority: index + 1,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: group } },
          visibilityConfig: visibility(group),
        })),
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'WebAclAssociation', { resourceArn: stage.stageArn, webAclArn: webAcl.attrArn });
  }

  /** `<application>-<base>-<stage>`, so parallel stages never collide. */
  private name(base: string): string {
    return `${this.config.application}-${base}-${this.stageName}`;
  }

  private key(id: string, base: string): kms.Key {
    return new kms.Key(this, id, {
      alias: `alias/${this.name(base)}`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(this.config.durable ? 30 : 7),
      removalPolicy: this.removalPolicy,
    });
  }

  // Without props: a dead-letter or on-failure queue, kept the longest SQS allows for investigation and redrive.
  private queue(id: string, base: string, props: sqs.QueueProps = { retentionPeriod: Duration.days(14) }): sqs.Queue {
    return new sqs.Queue(this, id, {
      ...props,
      queueName: this.name(base),
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.dataKey,
      enforceSSL: true,
      removalPolicy: this.removalPolicy,
    });
  }

  /** A log group encrypted with the data key, whose policy must let CloudWatch Logs use it for this group only. */
  private logGroup(id: string, logGroupName: string, retention: logs.RetentionDays): logs.LogGroup {
    this.dataKey.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal(`logs.${this.region}.amazonaws.com`)],
      actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
      resources: ['*'],
      conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': `arn:${this.partition}:logs:${this.region}:${this.account}:log-group:${logGroupName}` } },
    }));
    return new logs.LogGroup(this, id, {
      logGroupName,
      encryptionKey: this.dataKey,
      retention,
      removalPolicy: this.removalPolicy,
      deletionProtectionEnabled: this.config.durable,
    });
  }

  private tracedFunction(id: string, base: string, handlerFile: string, environment: { [key: string]: string }): nodejs.NodejsFunction {
    const functionName = this.name(base);
    const retention = this.config.durable ? logs.RetentionDays.ONE_YEAR : logs.RetentionDays.ONE_WEEK;
    const onFailure = this.queue(`${id}Failed`, `${base}-failed`);
    const fn = new nodejs.NodejsFunction(this, id, {
      entry: path.join(__dirname, 'handlers', handlerFile),
      functionName,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      tracing: lambda.Tracing.ACTIVE,
      memorySize: 512,
      timeout: Duration.seconds(5),
      logGroup: this.logGroup(`${id}Logs`, `/aws/lambda/${functionName}`, retention),
      environment: {
        POWERTOOLS_SERVICE_NAME: id,
        POWERTOOLS_METRICS_NAMESPACE: this.config.application,
        LOG_LEVEL: 'INFO',
        NODE_OPTIONS: '--enable-source-maps',
        ...environment,
      },
      bundling: { minify: true, sourceMap: true, externalModules: ['@aws-sdk/*'] },
      onFailure: new SqsDestination(onFailure),
      retryAttempts: 2,
      maxEventAge: Duration.hours(1),
    });
    this.errorRateAlarm(`${id}ErrorRate`, fn.metricErrors(), fn.metricInvocations(), 1, `More than 1% of ${functionName} invocations fail.`);
    this.alarm(`${id}Throttles`, fn.metricThrottles({ period: ALARM_PERIOD }), 0, `Invocations of ${functionName} are throttled.`);
    const duration = fn.metricDuration({ statistic: cloudwatch.Stats.p(99), period: ALARM_PERIOD });
    this.alarm(`${id}Duration`, duration, 4000, `p99 duration of ${functionName} is above 80% of its timeout.`);
    const failed = onFailure.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period: Duration.minutes(1) });
    this.alarm(`${id}FailedInvocations`, failed, 0, `Failed asynchronous invocations of ${functionName} are waiting for redrive.`, 1);
    return fn;
  }

  /** `100 * errors / requests` through metric math, reported as 0 below 10 requests so quiet periods do not page. */
  private errorRateAlarm(id: string, errors: cloudwatch.IMetric, requests: cloudwatch.IMetric, percent: number, description: string): void {
    const rate = new cloudwatch.MathExpression({
      expression: 'IF(FILL(requests, 0) >= 10, 100 * FILL(errors, 0) / FILL(requests, 0), 0)',
      usingMetrics: { errors, requests },
      period: ALARM_PERIOD,
    });
    this.alarm(id, rate, percent, description);
  }

  /** An alarm with a description, a missing-data policy, datapoints-to-alarm, and alarm and OK actions on the subscribed topic. */
  private alarm(id: string, metric: cloudwatch.IMetric, threshold: number, description: string, evaluationPeriods = 3): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      alarmDescription: description,
      evaluationPeriods,
      datapointsToAlarm: Math.min(2, evaluationPeriods),
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.alerts));
    alarm.addOkAction(new actions.SnsAction(this.alerts));
  }
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}
