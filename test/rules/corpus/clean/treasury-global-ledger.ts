import { App, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ENV, alertTopic, dataKey, dataStream, deadLetterQueue, errorRateAlarm, firstMessageAlarm, handler, isDurable, removalFor, tagWorkload } from '../careful-team';

/** The replica region of the treasury ledger, and the key the platform team keeps there for it. */
const REPLICA_REGION = 'eu-central-1';
const REPLICA_KEY_ARN = `arn:aws:kms:${REPLICA_REGION}:${ENV.account}:key/2f1e0d9c-8b7a-6543-2109-fedcba987654`;

/**
 * The treasury's global positions ledger: a DynamoDB global table (TableV2) replicated to a second region with a
 * customer key in each, its changes streamed to Kinesis and read by an enhanced fan-out consumer that recomputes
 * liquidity; the VPC of the recompute function writes flow logs to S3 for a year and a half and to CloudWatch Logs.
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `TreasuryLedger-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'treasury');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const changes = dataStream(stack, 'PositionChanges', key, stage);
  new dynamodb.TableV2(stack, 'Positions', {
    partitionKey: { name: 'accountId', type: dynamodb.AttributeType.STRING },
    sortKey: { name: 'valueDate', type: dynamodb.AttributeType.STRING },
    encryption: dynamodb.TableEncryptionV2.customerManagedKey(key, { [REPLICA_REGION]: REPLICA_KEY_ARN }),
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    deletionProtection: isDurable(stage),
    removalPolicy: removalFor(stage),
    kinesisStream: changes,
    replicas: [{ region: REPLICA_REGION, deletionProtection: isDurable(stage) }],
  });

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'compute', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    gatewayEndpoints: {
      S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
    },
  });
  vpc.addInterfaceEndpoint('Sns', { service: ec2.InterfaceVpcEndpointAwsService.SNS });
  vpc.addInterfaceEndpoint('Kms', { service: ec2.InterfaceVpcEndpointAwsService.KMS });
  const flowLogBucket = new s3.Bucket(stack, 'FlowLogs', {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    lifecycleRules: [{ expiration: Duration.days(isDurable(stage) ? 550 : 30) }],
    removalPolicy: removalFor(stage),
    autoDeleteObjects: !isDurable(stage),
  });
  vpc.addFlowLog('ToS3', { destination: ec2.FlowLogDestination.toS3(flowLogBucket), trafficType: ec2.FlowLogTrafficType.REJECT });
  const flowLogGroup = new logs.LogGroup(stack, 'FlowLogEvents', { retention: isDurable(stage) ? logs.RetentionDays.EIGHTEEN_MONTHS : logs.RetentionDays.ONE_MONTH, removalPolicy: removalFor(stage) });
  vpc.addFlowLog('ToLogs', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogGroup), trafficType: ec2.FlowLogTrafficType.ALL });

  const consumer = new kinesis.StreamConsumer(stack, 'LiquidityConsumer', { stream: changes, streamConsumerName: `liquidity-${stage}` });
  const failed = deadLetterQueue(stack, 'SkippedChanges', key, stage);
  const recompute = handler(stack, 'RecomputeLiquidity', stage, {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    timeout: Duration.seconds(60),
    environment: { ALERT_TOPIC_ARN: topic.topicArn },
  });
  topic.grantPublish(recompute);
  recompute.addEventSource(new sources.KinesisConsumerEventSource(consumer, {
    startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    batchSize: 100,
    bisectBatchOnError: true,
    reportBatchItemFailures: true,
    retryAttempts: 5,
    maxRecordAge: Duration.hours(2),
    onFailure: new sources.SqsDlq(failed),
  }));
  errorRateAlarm(stack, 'RecomputeLiquidityErrors', recompute, topic);
  firstMessageAlarm(stack, 'SkippedChangesAlarm', failed, topic);
}
