import { App, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as cr from 'aws-cdk-lib/custom-resources';
import { ENV, alertTopic, dataKey, deadLetterQueue, errorRateAlarm, firstMessageAlarm, isDurable, removalFor, tagWorkload } from '../careful-team';

/**
 * The constructs that make CDK add resources of its own: AwsCustomResource (an SDK call), logRetention (the older
 * way to keep a function's logs), bucket notifications to a function, auto-delete in dev, and a custom-resources
 * Provider around the team's own seeding function.
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `Bootstrap-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'bootstrap');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const parameterName = `/payments/${stage}/fx-provider-url`;
  new cr.AwsCustomResource(stack, 'ReadProviderUrl', {
    onUpdate: {
      service: 'SSM',
      action: 'getParameter',
      parameters: { Name: parameterName },
      physicalResourceId: cr.PhysicalResourceId.of(parameterName),
    },
    policy: cr.AwsCustomResourcePolicy.fromStatements([new iam.PolicyStatement({
      actions: ['ssm:GetParameter'],
      resources: [stack.formatArn({ service: 'ssm', resource: 'parameter', resourceName: parameterName.slice(1) })],
    })]),
    installLatestAwsSdk: false,
  });

  const failures = deadLetterQueue(stack, 'ImportFailures', key, stage);
  const importer = new lambda.Function(stack, 'ImportStatement', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({})'),
    memorySize: 512,
    timeout: Duration.seconds(30),
    tracing: lambda.Tracing.ACTIVE,
    logRetention: logs.RetentionDays.ONE_YEAR,
    onFailure: new destinations.SqsDestination(failures),
  });
  const inbox = new s3.Bucket(stack, 'Inbox', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    removalPolicy: removalFor(stage),
    autoDeleteObjects: !isDurable(stage),
  });
  inbox.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(importer));
  inbox.grantRead(importer);
  errorRateAlarm(stack, 'ImportStatementErrors', importer, topic);
  firstMessageAlarm(stack, 'ImportFailuresAlarm', failures, topic);

  const seedLogs = new logs.LogGroup(stack, 'SeedLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: removalFor(stage) });
  const seed = new lambda.Function(stack, 'SeedReferenceData', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ PhysicalResourceId: "seed" })'),
    memorySize: 256,
    timeout: Duration.minutes(1),
    tracing: lambda.Tracing.ACTIVE,
    logGroup: seedLogs,
  });
  const providerLogs = new logs.LogGroup(stack, 'ProviderLogs', { retention: logs.RetentionDays.ONE_MONTH, removalPolicy: removalFor(stage) });
  const provider = new cr.Provider(stack, 'SeedProvider', { onEventHandler: seed, logGroup: providerLogs });
  new CustomResource(stack, 'Seed', { serviceToken: provider.serviceToken, properties: { version: '3' } });
}
