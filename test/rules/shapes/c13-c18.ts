import { Aws, Duration, Fn, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elasticache from 'aws-cdk-lib/aws-elasticache';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as msk from 'aws-cdk-lib/aws-msk';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as transfer from 'aws-cdk-lib/aws-transfer';
import { Construct } from 'constructs';
import { ShapeCase, shared } from '../rule-shapes';

const CERTIFICATE_ARN = 'arn:aws:acm:eu-west-1:123456789012:certificate/0f6e1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b';
const EDGE_CERTIFICATE_ARN = 'arn:aws:acm:us-east-1:123456789012:certificate/1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';

/** A small Node.js handler, inline so that nothing is bundled. */
function handler(scope: Construct, id: string, props: Partial<lambda.FunctionProps> = {}): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ ok: true });'),
    ...props,
  });
}

/** A VPC without NAT gateways: public subnets (for load balancers) and isolated ones, or isolated ones only. */
function vpc(scope: Construct, options: { publicSubnets?: boolean } = {}): ec2.Vpc {
  // In the shared stack, as teams keep one network stack: rules must follow the subnets and endpoints across stacks.
  return new ec2.Vpc(shared(scope), 'Network', {
    maxAzs: 2,
    natGateways: 0,
    restrictDefaultSecurityGroup: false,
    subnetConfiguration: [
      ...(options.publicSubnets === false ? [] : [{ name: 'Edge', subnetType: ec2.SubnetType.PUBLIC }]),
      { name: 'Data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    ],
  });
}

/** A settlement workflow whose one task is `task`. */
function workflow(scope: Construct, task: sfn.IChainable): sfn.StateMachine {
  return new sfn.StateMachine(scope, 'Flow', {
    definitionBody: sfn.DefinitionBody.fromChainable(task),
    timeout: Duration.minutes(5),
  });
}

/** A ledger database in `subnetType` of the VPC. */
function ledgerDatabase(scope: Construct, subnetType: ec2.SubnetType): rds.DatabaseInstance {
  return new rds.DatabaseInstance(scope, 'Ledger', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16 }),
    instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
    vpc: vpc(scope),
    vpcSubnets: { subnetType },
    storageEncrypted: true,
  });
}

/** An S3 gateway endpoint written as an L1, on `routeTableIds` when given. */
function s3GatewayEndpoint(scope: Construct, routeTableIds?: (network: ec2.Vpc) => string[]): void {
  const network = vpc(scope, { publicSubnets: false });
  new ec2.CfnVPCEndpoint(scope, 'S3Endpoint', {
    vpcId: network.vpcId,
    serviceName: `com.amazonaws.${Stack.of(scope).region}.s3`,
    vpcEndpointType: 'Gateway',
    routeTableIds: routeTableIds?.(network),
  });
}

/** An SQS interface endpoint written as an L1, in `securityGroupIds` when given. */
function sqsInterfaceEndpoint(scope: Construct, securityGroupIds?: (network: ec2.Vpc) => string[]): void {
  const network = vpc(scope, { publicSubnets: false });
  new ec2.CfnVPCEndpoint(scope, 'SqsEndpoint', {
    vpcId: network.vpcId,
    serviceName: `com.amazonaws.${Stack.of(scope).region}.sqs`,
    vpcEndpointType: 'Interface',
    privateDnsEnabled: true,
    subnetIds: network.isolatedSubnets.map(subnet => subnet.subnetId),
    securityGroupIds: securityGroupIds?.(network),
  });
}

/** A payment notifier in isolated subnets that sends to a queue, with or without an SQS endpoint in its VPC. */
function isolatedNotifier(scope: Construct, withSqsEndpoint: boolean): void {
  const network = vpc(scope, { publicSubnets: false });
  if (withSqsEndpoint) network.addInterfaceEndpoint('Sqs', { service: ec2.InterfaceVpcEndpointAwsService.SQS });
  const queue = new sqs.Queue(scope, 'Notifications', { enforceSSL: true });
  const notifier = handler(scope, 'Notifier', {
    vpc: network,
    vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    environment: { QUEUE_URL: queue.queueUrl },
  });
  queue.grantSendMessages(notifier);
}

/**
 * An SQS endpoint of the shared network behind a group that admits nothing by itself, and a function of the case's stack
 * that opens it on `port` (CDK writes the ingress rule in the function's stack).
 */
function endpointClient(scope: Construct, port: number): void {
  const network = vpc(scope, { publicSubnets: false });
  const group = new ec2.SecurityGroup(shared(scope), 'EndpointGroup', { vpc: network, allowAllOutbound: false, description: 'SQS endpoint, opened by its clients' });
  const endpoint = network.addInterfaceEndpoint('Sqs', { service: ec2.InterfaceVpcEndpointAwsService.SQS, securityGroups: [group], open: false });
  handler(scope, 'Client', { vpc: network }).connections.allowTo(endpoint, ec2.Port.tcp(port), 'HTTPS to the SQS endpoint');
}

/** A public application load balancer with an HTTP listener whose default action is `httpAction`. */
function webTier(scope: Construct, httpAction: (targets: elbv2.ApplicationTargetGroup) => elbv2.ListenerAction, withHttps: boolean): void {
  const network = vpc(scope);
  const lb = new elbv2.ApplicationLoadBalancer(scope, 'Lb', { vpc: network, internetFacing: true });
  const targets = new elbv2.ApplicationTargetGroup(scope, 'Api', {
    vpc: network,
    port: 8080,
    protocol: elbv2.ApplicationProtocol.HTTP,
    targetType: elbv2.TargetType.IP,
    healthCheck: { path: '/health' },
  });
  new elbv2.ApplicationListener(scope, 'Http', {
    loadBalancer: lb,
    port: 80,
    protocol: elbv2.ApplicationProtocol.HTTP,
    defaultAction: httpAction(targets),
  });
  if (withHttps) {
    new elbv2.ApplicationListener(scope, 'Https', {
      loadBalancer: lb,
      port: 443,
      protocol: elbv2.ApplicationProtocol.HTTPS,
      certificates: [elbv2.ListenerCertificate.fromArn(CERTIFICATE_ARN)],
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      defaultAction: elbv2.ListenerAction.forward([targets]),
    });
  }
}

/** A network load balancer terminating TLS with `sslPolicy`. */
function tlsTier(scope: Construct, sslPolicy: elbv2.SslPolicy): void {
  const network = vpc(scope);
  const lb = new elbv2.NetworkLoadBalancer(scope, 'Nlb', { vpc: network, internetFacing: false, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
  const targets = new elbv2.NetworkTargetGroup(scope, 'Brokers', { vpc: network, port: 9094, protocol: elbv2.Protocol.TLS, targetType: elbv2.TargetType.IP });
  new elbv2.NetworkListener(scope, 'Tls', {
    loadBalancer: lb,
    port: 443,
    protocol: elbv2.Protocol.TLS,
    certificates: [elbv2.ListenerCertificate.fromArn(CERTIFICATE_ARN)],
    sslPolicy,
    defaultAction: elbv2.NetworkListenerAction.forward([targets]),
  });
}

/** A Redis OSS replication group for sessions, written as an L1. */
function sessionCache(scope: Construct, transit: Pick<elasticache.CfnReplicationGroupProps, 'transitEncryptionEnabled' | 'transitEncryptionMode'>): void {
  const network = vpc(scope, { publicSubnets: false });
  const subnets = new elasticache.CfnSubnetGroup(scope, 'CacheSubnets', {
    description: 'Session cache subnets',
    subnetIds: network.isolatedSubnets.map(subnet => subnet.subnetId),
  });
  new elasticache.CfnReplicationGroup(scope, 'Sessions', {
    replicationGroupDescription: 'Checkout sessions',
    engine: 'redis',
    cacheNodeType: 'cache.t4g.small',
    numCacheClusters: 2,
    automaticFailoverEnabled: true,
    atRestEncryptionEnabled: true,
    cacheSubnetGroupName: subnets.ref,
    ...transit,
  });
}

/** An MSK cluster for payment events, written as an L1. */
function eventCluster(scope: Construct, encryptionInTransit: msk.CfnCluster.EncryptionInTransitProperty): void {
  const network = vpc(scope, { publicSubnets: false });
  new msk.CfnCluster(scope, 'Events', {
    clusterName: 'payment-events',
    kafkaVersion: '3.6.0',
    numberOfBrokerNodes: 2,
    brokerNodeGroupInfo: {
      instanceType: 'kafka.m7g.large',
      clientSubnets: network.isolatedSubnets.map(subnet => subnet.subnetId),
    },
    encryptionInfo: { encryptionInTransit },
  });
}

/** An S3 gateway endpoint written as an L1 with one Allow-all statement under `condition`. */
function s3GatewayEndpointWithPolicy(scope: Construct, condition: { [key: string]: unknown }): void {
  const network = vpc(scope, { publicSubnets: false });
  new ec2.CfnVPCEndpoint(scope, 'S3Endpoint', {
    vpcId: network.vpcId,
    serviceName: `com.amazonaws.${Stack.of(scope).region}.s3`,
    vpcEndpointType: 'Gateway',
    routeTableIds: network.isolatedSubnets.map(subnet => subnet.routeTable.routeTableId),
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*', ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}) }],
    },
  });
}

/** A CloudFront distribution written as an L1, on its own certificate with `minimumProtocolVersion`. */
function edgeDistribution(scope: Construct, minimumProtocolVersion: string | undefined): void {
  new cloudfront.CfnDistribution(scope, 'Edge', {
    distributionConfig: {
      enabled: true,
      aliases: ['pay.example.com'],
      origins: [{ id: 'api', domainName: 'api.payments.example.com', customOriginConfig: { originProtocolPolicy: 'https-only' } }],
      defaultCacheBehavior: {
        targetOriginId: 'api',
        viewerProtocolPolicy: 'redirect-to-https',
        cachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      },
      viewerCertificate: { acmCertificateArn: EDGE_CERTIFICATE_ARN, sslSupportMethod: 'sni-only', minimumProtocolVersion },
    },
  });
}

/** The partner banks' file exchange: a Transfer Family server with service-managed users on a VPC endpoint. */
function fileServer(scope: Construct, props: { protocols: string[]; securityPolicyName?: string }): void {
  const network = vpc(scope, { publicSubnets: false });
  new transfer.CfnServer(scope, 'PartnerFiles', {
    endpointType: 'VPC',
    endpointDetails: { vpcId: network.vpcId, subnetIds: network.isolatedSubnets.map(subnet => subnet.subnetId) },
    identityProviderType: props.protocols.includes('SFTP') ? 'SERVICE_MANAGED' : 'AWS_DIRECTORY_SERVICE',
    ...(props.protocols.includes('SFTP') ? {} : { identityProviderDetails: { directoryId: 'd-0123456789' } }),
    protocols: props.protocols,
    securityPolicyName: props.securityPolicyName,
  });
}

/** A payout state machine written as an L1 whose definition is an `Fn::Sub` naming the function, retrying or not. */
function subDefinedMachine(scope: Construct, retries: boolean): void {
  const payout = handler(scope, 'Payout');
  const role = new iam.Role(scope, 'PayoutsRole', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
  payout.grantInvoke(role);
  const retry = retries ? ', "Retry": [{ "ErrorEquals": ["States.ALL"], "MaxAttempts": 3 }]' : '';
  new sfn.CfnStateMachine(scope, 'Payouts', {
    roleArn: role.roleArn,
    definitionString: Fn.sub(
      `{ "StartAt": "Pay", "States": { "Pay": { "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Parameters": { "FunctionName": "\${PayoutArn}", "Payload.$": "$" }${retry}, "End": true } } }`,
      { PayoutArn: payout.functionArn },
    ),
  });
}

export const CASES: ShapeCase[] = [
  {
    ruleId: 'Fintech-C18-QueueTlsOnly',
    title: 'a queue without a TLS-only policy',
    fail: scope => { new sqs.Queue(scope, 'Inbound'); },
    at: ['Inbound'],
    pass: scope => { new sqs.Queue(scope, 'Inbound', { enforceSSL: true }); },
  },
  {
    ruleId: 'Fintech-C13-LambdaTaskByBareArn',
    title: 'a LambdaInvoke task that calls the function by its bare ARN (payloadResponseOnly)',
    fail: scope => {
      const charge = handler(scope, 'Charge');
      workflow(scope, new tasks.LambdaInvoke(scope, 'ChargeCard', { lambdaFunction: charge, payloadResponseOnly: true }));
    },
    at: ['Flow'],
    pass: scope => {
      const charge = handler(scope, 'Charge');
      workflow(scope, new tasks.LambdaInvoke(scope, 'ChargeCard', { lambdaFunction: charge, outputPath: '$.Payload' }));
    },
  },
  {
    ruleId: 'Fintech-C13-LambdaTaskByBareArn',
    title: 'a LambdaInvoke task calling a function of a shared stack by its bare ARN',
    fail: scope => {
      const charge = handler(shared(scope), 'Charge');
      workflow(scope, new tasks.LambdaInvoke(scope, 'ChargeCard', { lambdaFunction: charge, payloadResponseOnly: true }));
    },
    at: ['Flow'],
    pass: scope => {
      const charge = handler(shared(scope), 'Charge');
      workflow(scope, new tasks.LambdaInvoke(scope, 'ChargeCard', { lambdaFunction: charge, outputPath: '$.Payload' }));
    },
  },
  {
    ruleId: 'Fintech-C13-TaskWithoutRetry',
    title: 'an SqsSendMessage task without retries',
    fail: scope => {
      const queue = new sqs.Queue(scope, 'Settled', { enforceSSL: true });
      workflow(scope, new tasks.SqsSendMessage(scope, 'Notify', { queue, messageBody: sfn.TaskInput.fromJsonPathAt('$.payment') }));
    },
    at: ['Flow'],
    pass: scope => {
      const queue = new sqs.Queue(scope, 'Settled', { enforceSSL: true });
      const notify = new tasks.SqsSendMessage(scope, 'Notify', { queue, messageBody: sfn.TaskInput.fromJsonPathAt('$.payment') });
      notify.addRetry({ errors: ['States.ALL'], interval: Duration.seconds(2), maxAttempts: 3, backoffRate: 2 });
      workflow(scope, notify);
    },
  },
  {
    ruleId: 'Fintech-C14-DeprecatedRuntime',
    title: 'a function on a deprecated Python runtime',
    fail: scope => {
      new lambda.CfnFunction(scope, 'Reconcile', {
        runtime: 'python3.8',
        handler: 'index.handler',
        role: new iam.Role(scope, 'ReconcileRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).roleArn,
        code: { zipFile: 'def handler(event, context):\n    return {"ok": True}\n' },
      });
    },
    at: ['Reconcile'],
    pass: scope => {
      new lambda.CfnFunction(scope, 'Reconcile', {
        runtime: 'python3.13',
        handler: 'index.handler',
        role: new iam.Role(scope, 'ReconcileRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).roleArn,
        code: { zipFile: 'def handler(event, context):\n    return {"ok": True}\n' },
      });
    },
  },
  {
    ruleId: 'Fintech-C14-DeprecatedRuntime',
    title: 'an L2 function on Node.js 18',
    fail: scope => { handler(scope, 'Quote', { runtime: lambda.Runtime.NODEJS_18_X }); },
    at: ['Quote'],
    pass: scope => { handler(scope, 'Quote'); },
  },
  {
    ruleId: 'Fintech-C15-ReservedConcurrencyAboveLimit',
    title: 'functions reserving more concurrency than the account leaves',
    fail: scope => {
      handler(scope, 'Authorize', { reservedConcurrentExecutions: 600 });
      handler(scope, 'Capture', { reservedConcurrentExecutions: 400 });
    },
    at: ['Authorize', 'Capture'],
    pass: scope => {
      handler(scope, 'Authorize', { reservedConcurrentExecutions: 600 });
      handler(scope, 'Capture', { reservedConcurrentExecutions: 200 });
    },
  },
  {
    ruleId: 'Fintech-C16-PhysicalNameWithoutStage',
    title: 'a queue named without the stage name',
    props: { stage: 'dev' },
    fail: scope => { new sqs.Queue(scope, 'Refunds', { queueName: 'payments-refunds', enforceSSL: true }); },
    at: ['Refunds'],
    pass: scope => { new sqs.Queue(scope, 'Refunds', { queueName: 'payments-refunds-dev', enforceSSL: true }); },
  },
  {
    ruleId: 'Fintech-C16-DuplicatePhysicalName',
    title: 'two queues given the same name',
    fail: scope => {
      new sqs.Queue(scope, 'Refunds', { queueName: 'payments-refunds', enforceSSL: true });
      new sqs.Queue(scope, 'Chargebacks', { queueName: 'payments-refunds', enforceSSL: true });
    },
    at: ['Refunds', 'Chargebacks'],
    pass: scope => {
      new sqs.Queue(scope, 'Refunds', { queueName: 'payments-refunds', enforceSSL: true });
      new sqs.Queue(scope, 'Chargebacks', { queueName: 'payments-chargebacks', enforceSSL: true });
    },
  },
  {
    ruleId: 'Fintech-C16-InvalidPhysicalName',
    title: 'a FIFO queue whose name lacks .fifo',
    fail: scope => { new sqs.CfnQueue(scope, 'Ledger', { queueName: 'ledger-entries', fifoQueue: true, sqsManagedSseEnabled: true }); },
    at: ['Ledger'],
    pass: scope => { new sqs.CfnQueue(scope, 'Ledger', { queueName: 'ledger-entries.fifo', fifoQueue: true, sqsManagedSseEnabled: true }); },
  },
  {
    ruleId: 'Fintech-C17-DatabaseNotIsolated',
    title: 'a database placed in public subnets',
    fail: scope => { ledgerDatabase(scope, ec2.SubnetType.PUBLIC); },
    at: ['Ledger'],
    pass: scope => { ledgerDatabase(scope, ec2.SubnetType.PRIVATE_ISOLATED); },
  },
  {
    ruleId: 'Fintech-C17-GatewayEndpointWithoutRouteTables',
    title: 'an S3 gateway endpoint on no route table',
    fail: scope => { s3GatewayEndpoint(scope); },
    at: ['S3Endpoint'],
    pass: scope => { s3GatewayEndpoint(scope, network => network.isolatedSubnets.map(subnet => subnet.routeTable.routeTableId)); },
  },
  {
    ruleId: 'Fintech-C17-InterfaceEndpointWithoutHttps',
    title: 'an SQS interface endpoint without a security group',
    fail: scope => { sqsInterfaceEndpoint(scope); },
    at: ['SqsEndpoint'],
    pass: scope => {
      sqsInterfaceEndpoint(scope, network => {
        const group = new ec2.SecurityGroup(scope, 'EndpointGroup', { vpc: network, description: 'HTTPS from the VPC to the SQS endpoint' });
        group.addIngressRule(ec2.Peer.ipv4(network.vpcCidrBlock), ec2.Port.tcp(443), 'HTTPS from the VPC');
        return [group.securityGroupId];
      });
    },
  },
  {
    ruleId: 'Fintech-C17-GatewayEndpointOpenPolicy',
    title: 'an S3 gateway endpoint with the default (open) policy in a durable stage',
    durable: true,
    fail: scope => {
      vpc(scope, { publicSubnets: false }).addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
    },
    at: ['NetworkS3'],
    pass: scope => {
      const endpoint = vpc(scope, { publicSubnets: false }).addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
      endpoint.addToPolicy(new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:PutObject'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:ResourceAccount': Stack.of(scope).account } },
      }));
    },
  },
  {
    ruleId: 'Fintech-C17-GatewayEndpointOpenPolicy',
    title: 'an S3 gateway endpoint whose policy lets every principal put objects into any bucket, in a durable stage',
    durable: true,
    fail: scope => {
      vpc(scope, { publicSubnets: false }).addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 }).addToPolicy(new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject', 's3:PutObject'], resources: [`arn:${Stack.of(scope).partition}:s3:::*/*`],
      }));
    },
    at: ['NetworkS3'],
    pass: scope => {
      vpc(scope, { publicSubnets: false }).addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 }).addToPolicy(new iam.PolicyStatement({
        principals: [new iam.AnyPrincipal()], actions: ['s3:GetObject'], resources: [`arn:${Stack.of(scope).partition}:s3:::*/*`],
      }));
    },
  },
  {
    ruleId: 'Fintech-C17-FunctionWithoutServiceRoute',
    title: 'a function in isolated subnets granted SQS with no SQS endpoint',
    fail: scope => { isolatedNotifier(scope, false); },
    at: ['Notifier'],
    pass: scope => { isolatedNotifier(scope, true); },
  },
  {
    ruleId: 'Fintech-C17-SecurityGroupOpenToWorld',
    title: 'a security group that opens SSH to the internet',
    fail: scope => {
      const network = vpc(scope);
      const group = new ec2.SecurityGroup(scope, 'Bastion', { vpc: network, description: 'Bastion host' });
      group.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22), 'SSH');
    },
    at: ['Bastion'],
    pass: scope => {
      const network = vpc(scope);
      const group = new ec2.SecurityGroup(scope, 'Bastion', { vpc: network, description: 'Bastion host' });
      group.addIngressRule(ec2.Peer.ipv4(network.vpcCidrBlock), ec2.Port.tcp(22), 'SSH from the VPC');
    },
  },
  {
    ruleId: 'Fintech-C18-HttpListenerForwards',
    title: 'an HTTP listener that forwards to the targets',
    fail: scope => { webTier(scope, targets => elbv2.ListenerAction.forward([targets]), false); },
    at: ['Http'],
    pass: scope => { webTier(scope, () => elbv2.ListenerAction.redirect({ protocol: 'HTTPS', port: '443', permanent: true }), true); },
  },
  {
    ruleId: 'Fintech-C18-WeakListenerTlsPolicy',
    title: 'a TLS listener with a policy that allows TLS 1.1',
    fail: scope => { tlsTier(scope, elbv2.SslPolicy.TLS11); },
    at: ['Tls'],
    pass: scope => { tlsTier(scope, elbv2.SslPolicy.RECOMMENDED_TLS); },
  },
  {
    ruleId: 'Fintech-C18-WeakApiTlsPolicy',
    title: 'an API custom domain on the TLS 1.0 security policy',
    fail: scope => {
      new apigateway.DomainName(scope, 'ApiDomain', {
        domainName: 'api.payments.example.com',
        certificate: acm.Certificate.fromCertificateArn(scope, 'ApiCertificate', CERTIFICATE_ARN),
        endpointType: apigateway.EndpointType.REGIONAL,
        securityPolicy: apigateway.SecurityPolicy.TLS_1_0,
      });
    },
    at: ['ApiDomain'],
    pass: scope => {
      new apigateway.DomainName(scope, 'ApiDomain', {
        domainName: 'api.payments.example.com',
        certificate: acm.Certificate.fromCertificateArn(scope, 'ApiCertificate', CERTIFICATE_ARN),
        endpointType: apigateway.EndpointType.REGIONAL,
        securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
      });
    },
  },
  {
    ruleId: 'Fintech-C18-TopicTlsOnly',
    title: 'a topic without a TLS-only policy',
    fail: scope => { new sns.Topic(scope, 'PaymentEvents', { displayName: 'Payment events' }); },
    at: ['PaymentEvents'],
    pass: scope => { new sns.Topic(scope, 'PaymentEvents', { displayName: 'Payment events', enforceSSL: true }); },
  },
  {
    ruleId: 'Fintech-C18-SearchDomainWithoutTls',
    title: 'a search domain without node-to-node encryption or HTTPS enforced',
    fail: scope => {
      new opensearch.Domain(scope, 'Search', {
        version: opensearch.EngineVersion.OPENSEARCH_2_11,
        capacity: { dataNodes: 2, dataNodeInstanceType: 'r6g.large.search', multiAzWithStandbyEnabled: false },
        zoneAwareness: { enabled: true },
        encryptionAtRest: { enabled: true },
      });
    },
    at: ['Search'],
    pass: scope => {
      new opensearch.Domain(scope, 'Search', {
        version: opensearch.EngineVersion.OPENSEARCH_2_11,
        capacity: { dataNodes: 2, dataNodeInstanceType: 'r6g.large.search', multiAzWithStandbyEnabled: false },
        zoneAwareness: { enabled: true },
        encryptionAtRest: { enabled: true },
        nodeToNodeEncryption: true,
        enforceHttps: true,
        tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2,
      });
    },
  },
  {
    ruleId: 'Fintech-C18-CacheWithoutTls',
    title: 'a replication group without transit encryption',
    fail: scope => { sessionCache(scope, {}); },
    at: ['Sessions'],
    pass: scope => { sessionCache(scope, { transitEncryptionEnabled: true, transitEncryptionMode: 'required' }); },
  },
  {
    ruleId: 'Fintech-C18-PlaintextFileTransfer',
    title: 'a file transfer server that still accepts FTP beside FTPS',
    fail: scope => { fileServer(scope, { protocols: ['FTPS', 'FTP'], securityPolicyName: 'TransferSecurityPolicy-2024-01' }); },
    at: ['PartnerFiles'],
    pass: scope => { fileServer(scope, { protocols: ['FTPS'], securityPolicyName: 'TransferSecurityPolicy-2024-01' }); },
  },
  {
    ruleId: 'Fintech-C18-WeakFileTransferPolicy',
    title: 'an SFTP server left to CloudFormation\'s default security policy',
    fail: scope => { fileServer(scope, { protocols: ['SFTP'] }); },
    at: ['PartnerFiles'],
    pass: scope => { fileServer(scope, { protocols: ['SFTP'], securityPolicyName: 'TransferSecurityPolicy-FIPS-2024-01' }); },
  },
  {
    ruleId: 'Fintech-C18-KafkaWithoutTls',
    title: 'an MSK cluster that accepts plaintext clients',
    fail: scope => { eventCluster(scope, { clientBroker: 'TLS_PLAINTEXT', inCluster: true }); },
    at: ['Events'],
    pass: scope => { eventCluster(scope, { clientBroker: 'TLS', inCluster: true }); },
  },
  {
    ruleId: 'Fintech-C18-DistributionAllowsHttp',
    title: 'a distribution that serves viewers over HTTP',
    fail: scope => {
      new cloudfront.Distribution(scope, 'Cdn', {
        defaultBehavior: { origin: new origins.HttpOrigin('api.payments.example.com') },
      });
    },
    at: ['Cdn'],
    pass: scope => {
      new cloudfront.Distribution(scope, 'Cdn', {
        defaultBehavior: {
          origin: new origins.HttpOrigin('api.payments.example.com'),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        },
      });
    },
  },
  {
    ruleId: 'Fintech-C18-WeakDistributionTlsPolicy',
    title: 'a distribution with its own certificate on a TLS 1.0 minimum',
    fail: scope => {
      new cloudfront.Distribution(scope, 'Cdn', {
        defaultBehavior: {
          origin: new origins.HttpOrigin('api.payments.example.com'),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        },
        domainNames: ['pay.example.com'],
        certificate: acm.Certificate.fromCertificateArn(scope, 'EdgeCertificate', EDGE_CERTIFICATE_ARN),
        minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2016,
      });
    },
    at: ['Cdn'],
    pass: scope => {
      new cloudfront.Distribution(scope, 'Cdn', {
        defaultBehavior: {
          origin: new origins.HttpOrigin('api.payments.example.com'),
          viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        },
        domainNames: ['pay.example.com'],
        certificate: acm.Certificate.fromCertificateArn(scope, 'EdgeCertificate', EDGE_CERTIFICATE_ARN),
        minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
      });
    },
  },
  {
    ruleId: 'Fintech-C13-LambdaTaskByBareArn',
    title: 'an L1 state machine whose Definition object names the function ARN as a Task Resource',
    fail: scope => {
      const charge = handler(scope, 'Charge');
      const role = new iam.Role(scope, 'FlowRole', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
      charge.grantInvoke(role);
      new sfn.CfnStateMachine(scope, 'Payments', {
        roleArn: role.roleArn,
        definition: {
          StartAt: 'Charge',
          States: { Charge: { Type: 'Task', Resource: charge.functionArn, Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 3 }], End: true } },
        },
      });
    },
    at: ['Payments'],
    pass: scope => {
      const charge = handler(scope, 'Charge');
      const role = new iam.Role(scope, 'FlowRole', { assumedBy: new iam.ServicePrincipal('states.amazonaws.com') });
      charge.grantInvoke(role);
      new sfn.CfnStateMachine(scope, 'Payments', {
        roleArn: role.roleArn,
        definition: {
          StartAt: 'Charge',
          States: {
            Charge: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { 'FunctionName': charge.functionArn, 'Payload.$': '$' },
              Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 3 }],
              End: true,
            },
          },
        },
      });
    },
  },
  {
    ruleId: 'Fintech-C13-LambdaTaskByBareArn',
    title: 'a definition string that names the function ARN through a substitution',
    fail: scope => {
      const charge = handler(scope, 'Charge');
      new sfn.StateMachine(scope, 'Flow', {
        definitionBody: sfn.DefinitionBody.fromString(JSON.stringify({
          StartAt: 'Charge',
          States: { Charge: { Type: 'Task', Resource: '${ChargeArn}', Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 3 }], End: true } },
        })),
        definitionSubstitutions: { ChargeArn: charge.functionArn },
      });
    },
    at: ['Flow'],
    pass: scope => {
      const charge = handler(scope, 'Charge');
      new sfn.StateMachine(scope, 'Flow', {
        definitionBody: sfn.DefinitionBody.fromString(JSON.stringify({
          StartAt: 'Charge',
          States: {
            Charge: {
              Type: 'Task',
              Resource: 'arn:aws:states:::lambda:invoke',
              Parameters: { 'FunctionName': '${ChargeArn}', 'Payload.$': '$' },
              Retry: [{ ErrorEquals: ['States.ALL'], MaxAttempts: 3 }],
              End: true,
            },
          },
        })),
        definitionSubstitutions: { ChargeArn: charge.functionArn },
      });
    },
  },
  {
    ruleId: 'Fintech-C13-TaskWithoutRetry',
    title: 'a task without retries inside a Map',
    fail: scope => {
      const charge = handler(scope, 'Charge');
      const each = new sfn.Map(scope, 'EachPayment', { itemsPath: '$.payments' });
      each.itemProcessor(new tasks.LambdaInvoke(scope, 'ChargeOne', { lambdaFunction: charge, retryOnServiceExceptions: false }));
      workflow(scope, each);
    },
    at: ['Flow'],
    pass: scope => {
      const charge = handler(scope, 'Charge');
      const each = new sfn.Map(scope, 'EachPayment', { itemsPath: '$.payments' });
      each.itemProcessor(new tasks.LambdaInvoke(scope, 'ChargeOne', { lambdaFunction: charge }));
      workflow(scope, each);
    },
  },
  {
    ruleId: 'Fintech-C16-DuplicatePhysicalName',
    title: 'two roles given the same name built with the region',
    fail: scope => {
      new iam.Role(scope, 'Reader', { roleName: `ledger-reader-${Aws.REGION}`, assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      new iam.Role(scope, 'Auditor', { roleName: `ledger-reader-${Stack.of(scope).region}`, assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    },
    at: ['Reader', 'Auditor'],
    pass: scope => {
      new iam.Role(scope, 'Reader', { roleName: `ledger-reader-${Aws.REGION}`, assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      new iam.Role(scope, 'Auditor', { roleName: `ledger-auditor-${Stack.of(scope).region}`, assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    },
  },
  {
    ruleId: 'Fintech-C16-InvalidPhysicalName',
    title: 'a table name with a slash, which DynamoDB refuses',
    fail: scope => { new dynamodb.Table(scope, 'Entries', { tableName: 'ledger/entries', partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } }); },
    at: ['Entries'],
    pass: scope => { new dynamodb.Table(scope, 'Entries', { tableName: 'ledger-entries', partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } }); },
  },
  {
    ruleId: 'Fintech-C16-PhysicalNameWithoutStage',
    title: 'a table named without the stage name in a durable stage',
    props: { stage: 'prod' },
    durable: true,
    fail: scope => { new dynamodb.Table(scope, 'Entries', { tableName: 'ledger-entries', partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } }); },
    at: ['Entries'],
    pass: scope => { new dynamodb.Table(scope, 'Entries', { tableName: 'ledger-entries-prod', partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } }); },
  },
  {
    ruleId: 'Fintech-C17-DatabaseNotIsolated',
    title: 'an L1 cluster in a subnet group named by a literal name, over public subnets',
    fail: scope => {
      const network = vpc(scope);
      const group = new rds.CfnDBSubnetGroup(scope, 'LedgerSubnets', { dbSubnetGroupName: 'ledger-subnets', dbSubnetGroupDescription: 'Ledger', subnetIds: network.publicSubnets.map(s => s.subnetId) });
      const cluster = new rds.CfnDBCluster(scope, 'LedgerCluster', { engine: 'aurora-postgresql', dbSubnetGroupName: 'ledger-subnets', storageEncrypted: true, manageMasterUserPassword: true, masterUsername: 'ledger' });
      cluster.addDependency(group);
    },
    at: ['LedgerCluster'],
    pass: scope => {
      const network = vpc(scope);
      const group = new rds.CfnDBSubnetGroup(scope, 'LedgerSubnets', { dbSubnetGroupName: 'ledger-subnets', dbSubnetGroupDescription: 'Ledger', subnetIds: network.isolatedSubnets.map(s => s.subnetId) });
      const cluster = new rds.CfnDBCluster(scope, 'LedgerCluster', { engine: 'aurora-postgresql', dbSubnetGroupName: 'ledger-subnets', storageEncrypted: true, manageMasterUserPassword: true, masterUsername: 'ledger' });
      cluster.addDependency(group);
    },
  },
  {
    ruleId: 'Fintech-C17-DatabaseNotIsolated',
    title: 'a search domain with a public endpoint (no VPCOptions)',
    fail: scope => { new opensearch.CfnDomain(scope, 'Search', { engineVersion: 'OpenSearch_2.17' }); },
    at: ['Search'],
    pass: scope => {
      const network = vpc(scope);
      new opensearch.CfnDomain(scope, 'Search', { engineVersion: 'OpenSearch_2.17', vpcOptions: { subnetIds: [network.isolatedSubnets[0].subnetId] } });
    },
  },
  {
    ruleId: 'Fintech-C17-InterfaceEndpointWithoutHttps',
    title: 'an SQS endpoint behind a group of the shared network that its client opens on the wrong port',
    fail: scope => { endpointClient(scope, 8443); },
    at: ['NetworkSqs'],
    pass: scope => { endpointClient(scope, 443); },
  },
  {
    ruleId: 'Fintech-C17-SecurityGroupOpenToWorld',
    title: 'a standalone ingress rule that opens every port to the IPv6 internet',
    fail: scope => {
      const group = new ec2.SecurityGroup(scope, 'Workers', { vpc: vpc(scope), description: 'Workers' });
      new ec2.CfnSecurityGroupIngress(scope, 'WorkersIngress', { groupId: group.securityGroupId, ipProtocol: '-1', cidrIpv6: '::/0' });
    },
    at: ['WorkersIngress'],
    pass: scope => {
      const group = new ec2.SecurityGroup(scope, 'Workers', { vpc: vpc(scope), description: 'Workers' });
      new ec2.CfnSecurityGroupIngress(scope, 'WorkersIngress', { groupId: group.securityGroupId, ipProtocol: 'tcp', fromPort: 443, toPort: 443, cidrIpv6: '::/0' });
    },
  },
  {
    ruleId: 'Fintech-C17-FunctionWithoutServiceRoute',
    title: 'a function in isolated subnets granted a table with no DynamoDB endpoint',
    fail: scope => {
      const network = vpc(scope, { publicSubnets: false });
      const table = new dynamodb.Table(scope, 'Balances', { partitionKey: { name: 'account', type: dynamodb.AttributeType.STRING } });
      table.grantReadWriteData(handler(scope, 'Balance', { vpc: network, environment: { TABLE: table.tableName } }));
    },
    at: ['Balance'],
    pass: scope => {
      const network = vpc(scope, { publicSubnets: false });
      network.addGatewayEndpoint('DynamoDb', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
      const table = new dynamodb.Table(scope, 'Balances', { partitionKey: { name: 'account', type: dynamodb.AttributeType.STRING } });
      table.grantReadWriteData(handler(scope, 'Balance', { vpc: network, environment: { TABLE: table.tableName } }));
    },
  },
  {
    ruleId: 'Fintech-C18-HttpListenerForwards',
    title: 'an L1 HTTP listener with a target group action',
    fail: scope => {
      const network = vpc(scope);
      const lb = new elbv2.ApplicationLoadBalancer(scope, 'Lb', { vpc: network, internetFacing: true });
      const targets = new elbv2.ApplicationTargetGroup(scope, 'Api', { vpc: network, port: 8080, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
      new elbv2.CfnListener(scope, 'Http', { loadBalancerArn: lb.loadBalancerArn, port: 80, protocol: 'HTTP', defaultActions: [{ type: 'forward', targetGroupArn: targets.targetGroupArn }] });
    },
    at: ['Http'],
    pass: scope => {
      const network = vpc(scope);
      const lb = new elbv2.ApplicationLoadBalancer(scope, 'Lb', { vpc: network, internetFacing: true });
      new elbv2.ApplicationTargetGroup(scope, 'Api', { vpc: network, port: 8080, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
      new elbv2.CfnListener(scope, 'Http', { loadBalancerArn: lb.loadBalancerArn, port: 80, protocol: 'HTTP', defaultActions: [{ type: 'redirect', redirectConfig: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }] });
    },
  },
  {
    ruleId: 'Fintech-C18-HttpListenerForwards',
    title: 'an L1 listener rule that forwards the requests of an HTTP listener whose default action redirects',
    fail: scope => { httpListenerRule(scope, 'forward'); },
    at: ['Status'],
    pass: scope => { httpListenerRule(scope, 'fixed-response'); },
  },
  {
    ruleId: 'Fintech-C18-TopicTlsOnly',
    title: 'a topic with a resource policy that does not deny plain HTTP',
    fail: scope => {
      const topic = new sns.Topic(scope, 'Settlements');
      topic.grantPublish(new iam.ServicePrincipal('events.amazonaws.com'));
    },
    at: ['Settlements'],
    pass: scope => {
      const topic = new sns.Topic(scope, 'Settlements', { enforceSSL: true });
      topic.grantPublish(new iam.ServicePrincipal('events.amazonaws.com'));
    },
  },
  {
    ruleId: 'Fintech-C18-KafkaWithoutTls',
    title: 'an MSK cluster whose brokers replicate in plaintext',
    fail: scope => { eventCluster(scope, { clientBroker: 'TLS', inCluster: false }); },
    at: ['Events'],
    pass: scope => { eventCluster(scope, { clientBroker: 'TLS', inCluster: true }); },
  },
  {
    ruleId: 'Fintech-C18-CacheWithoutTls',
    title: 'a replication group in the preferred (mixed) transit mode',
    fail: scope => { sessionCache(scope, { transitEncryptionEnabled: true, transitEncryptionMode: 'preferred' }); },
    at: ['Sessions'],
    pass: scope => { sessionCache(scope, { transitEncryptionEnabled: true, transitEncryptionMode: 'required' }); },
  },
  {
    ruleId: 'Fintech-C17-InterfaceEndpointWithoutHttps',
    title: 'an interface endpoint whose security group admits the workers on port 80 only',
    fail: scope => {
      sqsInterfaceEndpoint(scope, network => {
        const workers = new ec2.SecurityGroup(scope, 'Workers', { vpc: network, description: 'Workers' });
        const group = new ec2.SecurityGroup(scope, 'EndpointGroup', { vpc: network, description: 'SQS endpoint', allowAllOutbound: false });
        group.addIngressRule(workers, ec2.Port.tcp(80), 'HTTP from the workers');
        return [group.securityGroupId];
      });
    },
    at: ['SqsEndpoint'],
    pass: scope => {
      sqsInterfaceEndpoint(scope, network => {
        const workers = new ec2.SecurityGroup(scope, 'Workers', { vpc: network, description: 'Workers' });
        const group = new ec2.SecurityGroup(scope, 'EndpointGroup', { vpc: network, description: 'SQS endpoint', allowAllOutbound: false });
        group.addIngressRule(workers, ec2.Port.tcp(443), 'HTTPS from the workers');
        return [group.securityGroupId];
      });
    },
  },
  {
    ruleId: 'Fintech-C17-GatewayEndpointOpenPolicy',
    title: 'an L1 S3 gateway endpoint whose policy allows everything, in a durable stage',
    durable: true,
    fail: scope => {
      s3GatewayEndpointWithPolicy(scope, {});
    },
    at: ['S3Endpoint'],
    pass: scope => {
      s3GatewayEndpointWithPolicy(scope, { StringEquals: { 'aws:ResourceAccount': Stack.of(scope).account } });
    },
  },
  {
    ruleId: 'Fintech-C18-WeakDistributionTlsPolicy',
    title: 'an L1 distribution with its own certificate and no minimum protocol version',
    fail: scope => { edgeDistribution(scope, undefined); },
    at: ['Edge'],
    pass: scope => { edgeDistribution(scope, 'TLSv1.2_2021'); },
  },
  {
    ruleId: 'Fintech-C13-TaskWithoutRetry',
    title: 'an L1 state machine whose definition is an Fn::Sub with a task without Retry',
    fail: scope => { subDefinedMachine(scope, false); },
    at: ['Payouts'],
    pass: scope => { subDefinedMachine(scope, true); },
  },
];

function httpListenerRule(scope: Construct, type: 'forward' | 'fixed-response'): void {
  const network = vpc(scope);
  const lb = new elbv2.ApplicationLoadBalancer(scope, 'Lb', { vpc: network, internetFacing: true });
  const targets = new elbv2.ApplicationTargetGroup(scope, 'Api', { vpc: network, port: 8080, protocol: elbv2.ApplicationProtocol.HTTP, targetType: elbv2.TargetType.IP });
  const http = new elbv2.CfnListener(scope, 'Http', {
    loadBalancerArn: lb.loadBalancerArn, port: 80, protocol: 'HTTP', defaultActions: [{ type: 'redirect', redirectConfig: { protocol: 'HTTPS', port: '443', statusCode: 'HTTP_301' } }],
  });
  new elbv2.CfnListenerRule(scope, 'Status', {
    listenerArn: http.ref,
    priority: 10,
    conditions: [{ field: 'path-pattern', values: ['/status'] }],
    actions: [type === 'forward' ? { type, targetGroupArn: targets.targetGroupArn } : { type, fixedResponseConfig: { statusCode: '200' } }],
  });
}
