import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as logs from 'aws-cdk-lib/aws-logs';
import {
  ENV, alertTopic, dataKey, dataTable, deadLetterQueue, errorRateAlarm, firstMessageAlarm, handler, protectApiStage, removalFor, tagWorkload,
} from '../careful-team';

/** The payout engine's image, built and scanned by the platform team's pipeline, pinned by digest. */
const ENGINE_DIGEST = 'sha256:9f2c4e1b7a3d5f60812e4c9b0a7d3e5f1c2b4a6d8e0f1a3c5e7b9d1f3a5c7e9b';

/** What the team may change in the defect corpus. */
export interface PayoutReleaseDefects {
  /** The release function's on-failure destination is set on the function ($LATEST) while the rule targets the alias. */
  readonly destinationOnFunctionOnly?: boolean;
  /** The S3 gateway endpoint lets every principal put objects into any bucket. */
  readonly endpointWritesAnywhere?: boolean;
}

/**
 * Payout release, in two stacks. The payouts stack holds the REST API's methods (deployed by no stage of its own), the
 * approved-payouts table, and two functions: the release function, invoked through its `live` alias by an EventBridge
 * rule at the daily cut-off (on-failure destination and retries set on the alias, the rule's own dead-letter queue),
 * and the payout engine, a container image pinned by digest, in isolated subnets whose gateway endpoints reach only
 * the account's tables and buckets (plus the ECR layer bucket). The release stack owns what goes live: the API's
 * deployment and its explicit stage (logs, tracing, throttling), behind a web ACL.
 */
export function build(app: App, stage: string, defects: PayoutReleaseDefects = {}): void {
  const stack = new Stack(app, `Payouts-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'payouts');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  const payouts = dataTable(stack, 'ApprovedPayouts', 'payoutId', key, stage);

  // The release function runs through its alias, so a bad version can be rolled back by moving `live`.
  const failures = deadLetterQueue(stack, 'ReleaseFailures', key, stage);
  firstMessageAlarm(stack, 'ReleaseFailuresAlarm', failures, topic);
  const onFailure = new destinations.SqsDestination(failures);
  const release = handler(stack, 'ReleasePayouts', stage, {
    environment: { POWERTOOLS_SERVICE_NAME: 'payouts', LOG_LEVEL: 'INFO', TABLE_NAME: payouts.tableName },
    ...(defects.destinationOnFunctionOnly ? { onFailure, retryAttempts: 1 } : {}),
  });
  payouts.grantReadWriteData(release);
  errorRateAlarm(stack, 'ReleasePayoutsErrors', release, topic);
  const live = new lambda.Alias(stack, 'ReleaseLive', {
    aliasName: 'live',
    version: release.currentVersion,
    ...(defects.destinationOnFunctionOnly ? {} : { onFailure, retryAttempts: 1 }),
  });
  // EventBridge writes what it cannot deliver into the rule's dead-letter queue, encrypted with the team's key.
  key.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
  const ruleDlq = deadLetterQueue(stack, 'CutOffDlq', key, stage);
  firstMessageAlarm(stack, 'CutOffDlqAlarm', ruleDlq, topic);
  new events.Rule(stack, 'DailyCutOff', {
    description: 'Releases the day\'s approved payouts at the 16:00 UTC cut-off',
    schedule: events.Schedule.cron({ minute: '0', hour: '16', weekDay: 'MON-FRI' }),
    targets: [new targets.LambdaFunction(live, { deadLetterQueue: ruleDlq, retryAttempts: 4, maxEventAge: Duration.hours(2) })],
  });

  // The payout engine: no route out of its subnets; DynamoDB and S3 through gateway endpoints limited to the account.
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    gatewayEndpoints: {
      DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
    },
  });
  vpc.addFlowLog('Flow', {
    destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(stack, 'VpcFlowLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) })),
  });
  const everyone = [new iam.AnyPrincipal()];
  const accountOnly = { StringEquals: { 'aws:ResourceAccount': stack.account } };
  const dynamo = vpc.node.findChild('DynamoDb') as ec2.GatewayVpcEndpoint;
  dynamo.addToPolicy(new iam.PolicyStatement({ principals: everyone, actions: ['dynamodb:*'], resources: ['*'], conditions: accountOnly }));
  const s3 = vpc.node.findChild('S3') as ec2.GatewayVpcEndpoint;
  s3.addToPolicy(defects.endpointWritesAnywhere
    ? new iam.PolicyStatement({ principals: everyone, actions: ['s3:GetObject', 's3:PutObject'], resources: ['*'] })
    : new iam.PolicyStatement({ principals: everyone, actions: ['s3:GetObject', 's3:PutObject'], resources: ['*'], conditions: accountOnly }));
  s3.addToPolicy(new iam.PolicyStatement({
    principals: everyone,
    actions: ['s3:GetObject'],
    resources: [`arn:${stack.partition}:s3:::prod-${stack.region}-starport-layer-bucket/*`],
  }));

  const images = ecr.Repository.fromRepositoryName(stack, 'EngineImages', 'platform/payout-engine');
  const engine = handler(stack, 'PayoutEngine', stage, {
    runtime: lambda.Runtime.FROM_IMAGE,
    handler: lambda.Handler.FROM_IMAGE,
    code: lambda.Code.fromEcrImage(images, { tagOrDigest: ENGINE_DIGEST }),
    memorySize: 1024,
    timeout: Duration.seconds(29),
    vpc,
    vpcSubnets: { subnetGroupName: 'app' },
    environment: { POWERTOOLS_SERVICE_NAME: 'payout-engine', LOG_LEVEL: 'INFO', TABLE_NAME: payouts.tableName },
  });
  payouts.grantReadData(engine);
  errorRateAlarm(stack, 'PayoutEngineErrors', engine, topic);

  // The API's methods; what is live is the release stack's decision.
  const api = new apigateway.RestApi(stack, 'Api', { deploy: false, cloudWatchRole: false, description: 'Payout quotes and status' });
  const quotes = api.root.addResource('quotes');
  quotes.addMethod('POST', new apigateway.LambdaIntegration(engine), { authorizationType: apigateway.AuthorizationType.IAM });

  const releaseStack = new Stack(app, `PayoutsRelease-${stage}`, { env: ENV });
  tagWorkload(releaseStack, stage, 'payouts');
  const deployment = new apigateway.Deployment(releaseStack, 'Deployment', { api, description: 'Payouts API as released' });
  const accessLogs = new logs.LogGroup(releaseStack, 'AccessLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  const apiStage = new apigateway.Stage(releaseStack, 'Stage', {
    deployment,
    stageName: stage,
    tracingEnabled: true,
    throttlingRateLimit: 50,
    throttlingBurstLimit: 100,
    metricsEnabled: true,
    accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
    accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
  });
  protectApiStage(releaseStack, 'payouts-api', apiStage.stageArn, 3000);
}
