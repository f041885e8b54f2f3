import { App, Aws, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as sagemaker from 'aws-cdk-lib/aws-sagemaker';
import { ENV, alertTopic, dataBucket, dataKey, errorRateAlarm, firstMessageAlarm, handler, rateAlarm, tagWorkload, workQueue } from '../careful-team';

/**
 * The card fraud model, served by a SageMaker real-time endpoint (L1 only: aws-cdk-lib has no SageMaker L2) in isolated
 * subnets with network isolation, its storage and captured requests encrypted with the stage's key. The model's
 * execution role is written by hand with what SageMaker's documentation lists: the model artifact and image, logs and
 * metrics under SageMaker's own names, and the network interfaces of its subnets. A scoring function in the same subnets
 * reads card authorisations from a queue and calls the endpoint through the SageMaker runtime interface endpoint; the
 * function's error rate, the endpoint's 5XX rate and the dead-letter queue page the team.
 *
 * Defect option: `wholeBucketModelRole` lets the model's role read every object of every bucket.
 */
export function build(app: App, stage: string, { wholeBucketModelRole = false }: { readonly wholeBucketModelRole?: boolean } = {}): void {
  const stack = new Stack(app, `FraudModel-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'fraud-model');
  const key = dataKey(stack, 'Key', stage);
  const topic = alertTopic(stack, key);
  const models = dataBucket(stack, 'Models', key, stage);
  const capture = dataBucket(stack, 'Capture', key, stage);
  const image = ecr.Repository.fromRepositoryName(stack, 'ModelImage', 'fraud-model');

  const vpc = new ec2.Vpc(stack, 'Vpc', {
    maxAzs: 2,
    natGateways: 0,
    subnetConfiguration: [{ name: 'model', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  });
  vpc.addGatewayEndpoint('S3', {
    service: ec2.GatewayVpcEndpointAwsService.S3,
    subnets: [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
  }).addToPolicy(new iam.PolicyStatement({
    principals: [new iam.AnyPrincipal()],
    actions: ['s3:GetObject', 's3:PutObject', 's3:ListBucket'],
    resources: ['*'],
    conditions: { StringEquals: { 'aws:ResourceAccount': Aws.ACCOUNT_ID } },
  }));
  const endpoints: Array<[string, ec2.InterfaceVpcEndpointAwsService]> = [
    ['SageMakerRuntime', ec2.InterfaceVpcEndpointAwsService.SAGEMAKER_RUNTIME],
    ['EcrApi', ec2.InterfaceVpcEndpointAwsService.ECR],
    ['EcrDocker', ec2.InterfaceVpcEndpointAwsService.ECR_DOCKER],
    ['Logs', ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS],
    ['Sqs', ec2.InterfaceVpcEndpointAwsService.SQS],
    ['Kms', ec2.InterfaceVpcEndpointAwsService.KMS],
    ['XRay', ec2.InterfaceVpcEndpointAwsService.XRAY],
  ];
  for (const [id, service] of endpoints) vpc.addInterfaceEndpoint(id, { service, subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });

  const modelGroup = new ec2.SecurityGroup(stack, 'ModelGroup', { vpc, allowAllOutbound: false, description: 'Fraud model containers: no inbound, 443 to the VPC' });
  modelGroup.addEgressRule(ec2.Peer.ipv4(vpc.vpcCidrBlock), ec2.Port.tcp(443), 'AWS service endpoints');

  // The execution role, as SageMaker's developer guide lists it for a model in a VPC.
  const modelRole = new iam.Role(stack, 'ModelRole', { assumedBy: new iam.ServicePrincipal('sagemaker.amazonaws.com') });
  if (wholeBucketModelRole) {
    modelRole.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::*/*'] }));
  } else {
    models.grantRead(modelRole, 'fraud/*');
  }
  capture.grantPut(modelRole, 'capture/*');
  image.grantPull(modelRole);
  modelRole.addToPolicy(new iam.PolicyStatement({
    actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
    resources: [stack.formatArn({ service: 'logs', resource: 'log-group', resourceName: '/aws/sagemaker/Endpoints/*', arnFormat: 'arn:aws:logs:region:account:log-group:name' as any })],
  }));
  modelRole.addToPolicy(new iam.PolicyStatement({
    actions: ['cloudwatch:PutMetricData'],
    resources: ['*'],
    conditions: { StringLike: { 'cloudwatch:namespace': '/aws/sagemaker/*' } },
  }));
  modelRole.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeVpcs', 'ec2:DescribeDhcpOptions', 'ec2:DescribeSubnets', 'ec2:DescribeSecurityGroups'], resources: ['*'] }));
  const isolated = vpc.selectSubnets({ subnetType: ec2.SubnetType.PRIVATE_ISOLATED });
  modelRole.addToPolicy(new iam.PolicyStatement({
    actions: ['ec2:CreateNetworkInterface'],
    resources: [
      ...isolated.subnetIds.map(id => stack.formatArn({ service: 'ec2', resource: 'subnet', resourceName: id })),
      stack.formatArn({ service: 'ec2', resource: 'security-group', resourceName: modelGroup.securityGroupId }),
      stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' }),
    ],
  }));
  modelRole.addToPolicy(new iam.PolicyStatement({
    actions: ['ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission'],
    resources: [stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' })],
  }));

  const model = new sagemaker.CfnModel(stack, 'FraudModel', {
    executionRoleArn: modelRole.roleArn,
    enableNetworkIsolation: true,
    primaryContainer: { image: image.repositoryUriForTag('2026.11.3'), modelDataUrl: models.s3UrlForObject('fraud/2026.11.3/model.tar.gz') },
    vpcConfig: { subnets: isolated.subnetIds, securityGroupIds: [modelGroup.securityGroupId] },
  });
  model.node.addDependency(modelRole);
  const config = new sagemaker.CfnEndpointConfig(stack, 'FraudEndpointConfig', {
    kmsKeyId: key.keyArn,
    productionVariants: [{ variantName: 'AllTraffic', modelName: model.attrModelName, initialInstanceCount: 2, instanceType: 'ml.c6i.large', initialVariantWeight: 1 }],
    dataCaptureConfig: {
      enableCapture: true,
      initialSamplingPercentage: 20,
      destinationS3Uri: capture.s3UrlForObject('capture'),
      kmsKeyId: key.keyArn,
      captureOptions: [{ captureMode: 'Input' }, { captureMode: 'Output' }],
    },
  });
  const endpoint = new sagemaker.CfnEndpoint(stack, 'FraudEndpoint', { endpointConfigName: config.attrEndpointConfigName });
  // SageMaker uses the key for the instances' storage and captured data as the model's role.
  key.grantEncryptDecrypt(modelRole);

  const { queue: authorisations, dlq } = workQueue(stack, 'Authorisations', key, stage);
  const scorer = handler(stack, 'Scorer', stage, {
    vpc,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    environment: { POWERTOOLS_SERVICE_NAME: 'fraud-scorer', LOG_LEVEL: 'INFO', ENDPOINT_NAME: endpoint.attrEndpointName },
    timeout: Duration.seconds(10),
  });
  scorer.addEventSource(new SqsEventSource(authorisations, { batchSize: 10, reportBatchItemFailures: true }));
  scorer.addToRolePolicy(new iam.PolicyStatement({
    actions: ['sagemaker:InvokeEndpoint'],
    resources: [stack.formatArn({ service: 'sagemaker', resource: 'endpoint', resourceName: endpoint.attrEndpointName.toLowerCase() })],
  }));

  errorRateAlarm(stack, 'ScorerErrors', scorer, topic);
  firstMessageAlarm(stack, 'UnscoredAlarm', dlq, topic);
  const endpointMetric = (metricName: string) => new cloudwatch.Metric({
    namespace: 'AWS/SageMaker',
    metricName,
    dimensionsMap: { EndpointName: endpoint.attrEndpointName, VariantName: 'AllTraffic' },
    statistic: 'Sum',
  });
  rateAlarm(stack, 'EndpointFaults', endpointMetric('Invocation5XXErrors'), endpointMetric('Invocations'), {
    description: 'The fraud model endpoint answers more than 1% of requests with a 5XX: authorisations fall back to rules, runbook https://wiki.example.com/runbooks/fraud-model',
    threshold: 1,
    topic,
  });
}
