import { App, Duration, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { ENV, alertTopic, dataKey, errorRateAlarm, handler, isDurable, protectApiStage, removalFor, tagWorkload, restStageOptions } from '../careful-team';

/** An Aurora ledger in isolated subnets, read by a function in the VPC behind a REST API with a custom domain. */
export function build(app: App, stage: string): void {
  const stack = new Stack(app, `CardLedger-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'card-ledger');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [
      { name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
    gatewayEndpoints: { DynamoDb: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB } },
  });
  const appSubnets = { subnetGroupName: 'app' };
  for (const [id, service] of [['SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER], ['Kms', ec2.InterfaceVpcEndpointAwsService.KMS],
    ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS], ['XRay', ec2.InterfaceVpcEndpointAwsService.XRAY]] as const) {
    vpc.addInterfaceEndpoint(id, { service, subnets: appSubnets });
  }

  const credentials = new secretsmanager.Secret(stack, 'DbCredentials', {
    encryptionKey: key,
    generateSecretString: { secretStringTemplate: JSON.stringify({ username: 'ledger' }), generateStringKey: 'password', excludePunctuation: true },
    removalPolicy: removalFor(stage),
  });
  const cluster = new rds.DatabaseCluster(stack, 'Ledger', {
    engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
    credentials: rds.Credentials.fromSecret(credentials),
    writer: rds.ClusterInstance.serverlessV2('Writer'),
    serverlessV2MinCapacity: 0.5,
    serverlessV2MaxCapacity: 4,
    vpc,
    vpcSubnets: { subnetGroupName: 'data' },
    storageEncrypted: true,
    storageEncryptionKey: key,
    deletionProtection: isDurable(stage),
    removalPolicy: isDurable(stage) ? undefined : removalFor(stage),
    backup: { retention: Duration.days(isDurable(stage) ? 30 : 1) },
    cloudwatchLogsExports: ['postgresql'],
    cloudwatchLogsRetention: logs.RetentionDays.ONE_YEAR,
  });

  const reader = handler(stack, 'GetBalance', stage, {
    vpc,
    vpcSubnets: appSubnets,
    environment: { SECRET_ARN: credentials.secretArn, CLUSTER_ENDPOINT: cluster.clusterEndpoint.hostname },
  });
  credentials.grantRead(reader);
  cluster.connections.allowDefaultPortFrom(reader);
  errorRateAlarm(stack, 'GetBalanceErrors', reader, topic);

  const api = new apigateway.RestApi(stack, 'Api', {
    cloudWatchRole: false,
    endpointTypes: [apigateway.EndpointType.REGIONAL],
    deployOptions: restStageOptions(stack, stage, 50),
    domainName: {
      domainName: `ledger-${stage}.api.example.com`,
      certificate: acm.Certificate.fromCertificateArn(stack, 'Certificate', 'arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555'),
      securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
      endpointType: apigateway.EndpointType.REGIONAL,
    },
    disableExecuteApiEndpoint: true,
  });
  api.root.addResource('balance').addMethod('GET', new apigateway.LambdaIntegration(reader), { authorizationType: apigateway.AuthorizationType.IAM });
  protectApiStage(stack, 'card-ledger', api.deploymentStage.stageArn, 3000);
}
