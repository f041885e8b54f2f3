import { App, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { ENV, alertTopic, dataKey, deadLetterQueue, errorRateAlarm, firstMessageAlarm, handler, removalFor, tagWorkload, workQueue } from '../careful-team';

/**
 * FX pricing functions in the shapes a platform team's functions take: a Java pricer with SnapStart on a published
 * alias, ARM64, Lambda Insights and the ADOT layer; a Python rate-fetcher invoked asynchronously by an SNS topic, with
 * on-success and on-failure destinations, two retries and a maximum event age; a quote-publisher reading a queue with
 * a maximum concurrency and reserved concurrency; every function with its own log group and error-rate alarm.
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `FxPricing-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'fx-pricing');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const pricerLogs = new logs.LogGroup(stack, 'PriceLogs', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: removalFor(stage) });
  const pricer = new lambda.Function(stack, 'Price', {
    runtime: lambda.Runtime.JAVA_21,
    architecture: lambda.Architecture.ARM_64,
    handler: 'com.example.fx.PriceHandler::handleRequest',
    // The build pipeline publishes the pricer's jar to the artifacts bucket.
    code: lambda.Code.fromBucket(s3.Bucket.fromBucketName(stack, 'Artifacts', `fx-artifacts-${ENV.account}`), 'pricer/pricer-1.4.2.jar'),
    memorySize: 2048,
    timeout: Duration.seconds(15),
    snapStart: lambda.SnapStartConf.ON_PUBLISHED_VERSIONS,
    tracing: lambda.Tracing.ACTIVE,
    insightsVersion: lambda.LambdaInsightsVersion.VERSION_1_0_333_0,
    adotInstrumentation: {
      layerVersion: lambda.AdotLayerVersion.fromJavaSdkLayerVersion(lambda.AdotLambdaLayerJavaSdkVersion.LATEST),
      execWrapper: lambda.AdotLambdaExecWrapper.REGULAR_HANDLER,
    },
    logGroup: pricerLogs,
  });
  new lambda.Alias(stack, 'PriceLive', { aliasName: 'live', version: pricer.currentVersion });
  errorRateAlarm(stack, 'PriceErrors', pricer, topic);

  const fetched = new sns.Topic(stack, 'RatesFetched', { masterKey: key, enforceSSL: true });
  const fetchFailures = deadLetterQueue(stack, 'FetchFailures', key, stage);
  const fetchRates = handler(stack, 'FetchRates', stage, {
    runtime: lambda.Runtime.PYTHON_3_13,
    code: lambda.Code.fromInline('def handler(event, context):\n    return {"ok": True}\n'),
    onSuccess: new destinations.SnsDestination(fetched),
    onFailure: new destinations.SqsDestination(fetchFailures),
    retryAttempts: 2,
    maxEventAge: Duration.hours(1),
  });
  const schedule = new sns.Topic(stack, 'FetchSchedule', { masterKey: key, enforceSSL: true });
  // SNS writes messages it could not deliver to the function into the subscription's dead-letter queue with its key.
  key.grant(new iam.ServicePrincipal('sns.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const undelivered = deadLetterQueue(stack, 'UndeliveredFetches', key, stage);
  schedule.addSubscription(new subscriptions.LambdaSubscription(fetchRates, { deadLetterQueue: undelivered }));
  errorRateAlarm(stack, 'FetchRatesErrors', fetchRates, topic);
  firstMessageAlarm(stack, 'FetchFailuresAlarm', fetchFailures, topic);
  firstMessageAlarm(stack, 'UndeliveredFetchesAlarm', undelivered, topic);

  const { queue: quotes, dlq } = workQueue(stack, 'Quotes', key, stage);
  const publish = handler(stack, 'PublishQuotes', stage, { reservedConcurrentExecutions: 20 });
  publish.addEventSource(new sources.SqsEventSource(quotes, {
    batchSize: 25, maxBatchingWindow: Duration.seconds(2), maxConcurrency: 10, reportBatchItemFailures: true,
  }));
  errorRateAlarm(stack, 'PublishQuotesErrors', publish, topic);
  firstMessageAlarm(stack, 'QuotesDlqAlarm', dlq, topic);
}
