import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ENV, alertTopic, dataKey, dataTable, errorRateAlarm, handler, isDurable, removalFor, tagWorkload } from '../careful-team';

/**
 * FX quotes pushed to trading desks over a WebSocket API: connections in a DynamoDB table, the latest quotes in a
 * Valkey replication group (TLS, AUTH token from Secrets Manager, customer key, Multi-AZ in durable stages) that the
 * functions reach in the VPC's isolated subnets through endpoints.
 */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `RealtimeQuotes-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'fx-quotes');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    gatewayEndpoints: { DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } },
  });
  for (const [name, service] of [['SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER], ['Kms', ec2.InterfaceVpcEndpointAwsService.KMS],
    ['ExecuteApi', ec2.InterfaceVpcEndpointAwsService.APIGATEWAY]] as const) {
    vpc.addInterfaceEndpoint(name, { service });
  }

  const cacheGroup = new ec2.SecurityGroup(stack, 'CacheGroup', { vpc, allowAllOutbound: false, description: 'Quote cache, opened to the quote functions' });
  const cacheSubnets = new elasticache.CfnSubnetGroup(stack, 'CacheSubnets', {
    description: 'Isolated subnets of the quote cache',
    subnetIds: vpc.isolatedSubnets.map(subnet => subnet.subnetId),
  });
  const authToken = new secretsmanager.Secret(stack, 'CacheAuthToken', {
    encryptionKey: key,
    generateSecretString: { excludePunctuation: true, passwordLength: 64 },
    removalPolicy: removalFor(stage),
  });
  const cacheLogs = new logs.LogGroup(stack, 'CacheSlowLog', { retention: logs.RetentionDays.THREE_MONTHS, removalPolicy: removalFor(stage) });
  const cache = new elasticache.CfnReplicationGroup(stack, 'Quotes', {
    replicationGroupDescription: `Latest FX quotes (${stage})`,
    engine: 'valkey',
    engineVersion: '8.0',
    cacheNodeType: 'cache.t4g.small',
    numNodeGroups: 1,
    replicasPerNodeGroup: isDurable(stage) ? 1 : 0,
    automaticFailoverEnabled: isDurable(stage),
    multiAzEnabled: isDurable(stage),
    cacheSubnetGroupName: cacheSubnets.ref,
    securityGroupIds: [cacheGroup.securityGroupId],
    transitEncryptionEnabled: true,
    atRestEncryptionEnabled: true,
    kmsKeyId: key.keyId,
    authToken: authToken.secretValue.unsafeUnwrap(),
    snapshotRetentionLimit: isDurable(stage) ? 7 : 0,
    logDeliveryConfigurations: [{
      destinationType: 'cloudwatch-logs',
      logFormat: 'json',
      logType: 'slow-log',
      destinationDetails: { cloudWatchLogsDetails: { logGroup: cacheLogs.logGroupName } },
    }],
  });
  // Durable stages keep seven days of snapshots, and a final one when the group is deleted or replaced.
  cache.applyRemovalPolicy(isDurable(stage) ? RemovalPolicy.SNAPSHOT : RemovalPolicy.DESTROY);

  const connections = dataTable(stack, 'Connections', 'connectionId', key, stage, { timeToLiveAttribute: 'expiresAt' });
  const inVpc = { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } };
  const environment = { TABLE_NAME: connections.tableName, CACHE_HOST: cache.attrPrimaryEndPointAddress, AUTH_SECRET_ARN: authToken.secretArn };
  const connect = handler(stack, 'Connect', stage, { ...inVpc, environment });
  const disconnect = handler(stack, 'Disconnect', stage, { ...inVpc, environment });
  const subscribe = handler(stack, 'Subscribe', stage, { ...inVpc, environment, timeout: Duration.seconds(15) });
  for (const fn of [connect, disconnect, subscribe]) {
    connections.grantReadWriteData(fn);
    authToken.grantRead(fn);
    cacheGroup.addIngressRule(fn.connections.securityGroups[0], ec2.Port.tcp(6379), `Valkey from ${fn.node.id}`);
    errorRateAlarm(stack, `${fn.node.id}Errors`, fn, topic);
  }

  const api = new apigwv2.WebSocketApi(stack, 'QuotesApi', {
    connectRouteOptions: { integration: new integrations.WebSocketLambdaIntegration('ConnectIntegration', connect), authorizer: new authorizers.WebSocketIamAuthorizer() },
    disconnectRouteOptions: { integration: new integrations.WebSocketLambdaIntegration('DisconnectIntegration', disconnect) },
  });
  api.addRoute('subscribe', { integration: new integrations.WebSocketLambdaIntegration('SubscribeIntegration', subscribe) });
  const accessLogs = new logs.LogGroup(stack, 'ApiAccessLogs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
  const apiStage = new apigwv2.WebSocketStage(stack, 'QuotesStage', {
    webSocketApi: api,
    stageName: stage,
    autoDeploy: true,
    throttle: { rateLimit: 200, burstLimit: 400 },
    accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs) },
  });
  // The subscribe function pushes quotes back to the connected desks.
  apiStage.grantManagementApiAccess(subscribe);
}
