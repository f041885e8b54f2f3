import { App, Duration, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as msk from 'aws-cdk-lib/aws-msk';
import { ENV, alertTopic, dataKey, dataTable, deadLetterQueue, errorRateAlarm, firstMessageAlarm, handler, isDurable, removalFor, tagWorkload } from '../careful-team';

/**
 * Card authorization events on a provisioned MSK cluster (TLS between clients and brokers and inside the cluster, IAM
 * client authentication, the team's key at rest, broker logs retained) in isolated subnets; a function consumes the
 * `authorizations` topic into a DynamoDB table (with provisioned pollers, bounded retries and partial batch responses in
 * durable stages), failed batches go to an SQS on-failure destination. The VPC has the
 * endpoints Lambda's Kafka pollers need without a NAT gateway (Lambda and STS).
 */
/** What a variant of the app leaves out (for the defect corpus). */
export interface CardEventsOptions {
  /** Drop the on-failure queue (and its alarm): "Kafka keeps the records anyway". */
  readonly withoutOnFailure?: boolean;
}

export function build(app: App, stage: string, options: CardEventsOptions = {}): void {
  const stack = new Stack(app, `CardEvents-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'card-events');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 3,
    natGateways: 0,
    subnetConfiguration: [{ name: 'streaming', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    gatewayEndpoints: { DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } },
  });
  for (const [name, service] of [['Lambda', ec2.InterfaceVpcEndpointAwsService.LAMBDA], ['Sts', ec2.InterfaceVpcEndpointAwsService.STS],
    ['Kms', ec2.InterfaceVpcEndpointAwsService.KMS]] as const) {
    vpc.addInterfaceEndpoint(name, { service });
  }

  const brokers = new ec2.SecurityGroup(stack, 'Brokers', { vpc, allowAllOutbound: false, description: 'MSK brokers, opened to their clients on the IAM port' });
  const brokerLogs = new logs.LogGroup(stack, 'BrokerLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  const cluster = new msk.CfnCluster(stack, 'Cluster', {
    clusterName: `card-events-${stage}`,
    kafkaVersion: '3.7.x',
    numberOfBrokerNodes: 3,
    brokerNodeGroupInfo: {
      instanceType: isDurable(stage) ? 'kafka.m7g.large' : 'kafka.t3.small',
      clientSubnets: vpc.isolatedSubnets.map(subnet => subnet.subnetId),
      securityGroups: [brokers.securityGroupId],
      storageInfo: { ebsStorageInfo: { volumeSize: 100 } },
    },
    clientAuthentication: { sasl: { iam: { enabled: true } }, unauthenticated: { enabled: false } },
    encryptionInfo: {
      encryptionAtRest: { dataVolumeKmsKeyId: key.keyArn },
      encryptionInTransit: { clientBroker: 'TLS', inCluster: true },
    },
    enhancedMonitoring: 'PER_TOPIC_PER_BROKER',
    loggingInfo: { brokerLogs: { cloudWatchLogs: { enabled: true, logGroup: brokerLogs.logGroupName } } },
  });
  cluster.applyRemovalPolicy(removalFor(stage));

  const authorizations = dataTable(stack, 'Authorizations', 'authorizationId', key, stage);
  const failed = options.withoutOnFailure ? undefined : deadLetterQueue(stack, 'FailedBatches', key, stage);
  const record = handler(stack, 'RecordAuthorization', stage, {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    timeout: Duration.seconds(30),
    environment: { TABLE_NAME: authorizations.tableName },
  });
  authorizations.grantWriteData(record);
  brokers.addIngressRule(record.connections.securityGroups[0], ec2.Port.tcp(9098), 'Kafka over TLS with IAM from the consumer');
  // Lambda's pollers connect from the function's security group; the brokers admit their own group for replication too.
  brokers.addIngressRule(brokers, ec2.Port.tcp(9098), 'Brokers among themselves');
  record.addToRolePolicy(new iam.PolicyStatement({
    actions: ['kafka-cluster:Connect', 'kafka-cluster:DescribeGroup', 'kafka-cluster:AlterGroup', 'kafka-cluster:DescribeTopic', 'kafka-cluster:ReadData'],
    resources: [
      cluster.attrArn,
      stack.formatArn({ service: 'kafka', resource: 'topic', resourceName: `card-events-${stage}/*/authorizations` }),
      stack.formatArn({ service: 'kafka', resource: 'group', resourceName: `card-events-${stage}/*/record-authorization` }),
    ],
  }));
  record.addEventSource(new sources.ManagedKafkaEventSource({
    clusterArn: cluster.attrArn,
    topic: 'authorizations',
    consumerGroupId: 'record-authorization',
    startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    batchSize: 100,
    // Durable stages poll with provisioned pollers for the card peaks; there Lambda offers Kafka retry controls.
    ...(isDurable(stage)
      ? { provisionedPollerConfig: { minimumPollers: 2, maximumPollers: 20 }, retryAttempts: 5, reportBatchItemFailures: true }
      : {}),
    ...(failed ? { onFailure: new sources.SqsDlq(failed) } : {}),
  }));
  errorRateAlarm(stack, 'RecordAuthorizationErrors', record, topic);
  if (failed) firstMessageAlarm(stack, 'FailedBatchesAlarm', failed, topic);
}
