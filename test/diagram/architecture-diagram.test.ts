import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as synthetics from 'aws-cdk-lib/aws-synthetics';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { architectureDocument, architectureFlowchart, referencedIds } from '../../src/diagram/architecture-diagram';
import { StackTemplate } from '../../src/rules/stack-template';

function fn(stack: Stack, id: string): lambda.Function {
  return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}') });
}

/** An app that records construct paths in the template, as the CDK CLI's synth does. */
function pathMetadataApp(): App {
  return new App({ context: { 'aws:cdk:enable-path-metadata': true } });
}

function flowchart(build: (stack: Stack) => void): string {
  const stack = new Stack(pathMetadataApp(), 'Shop');
  build(stack);
  const template = new StackTemplate({ templatePath: '/x/Shop.template.json', template: Template.fromStack(stack).toJSON(), stageName: '', durable: false, elements: new Map() });
  return architectureFlowchart(template, 'Shop');
}

/** `from -->|"label"| to` lines, with node ids replaced by their labels' last line, for readable expectations. */
function edges(chart: string): string[] {
  const edge = /^ {2}(\w+) (-->|-\.->)(?:\|"([^"]*)"\|)? (\w+)$/;
  const labels = new Map<string, string>();
  for (const line of chart.split('\n').filter(l => !edge.test(l))) {
    const node = /^ {2}(\w+)\W+"(?:[^"]*<br\/>)?([^"]+)"/.exec(line);
    if (node) labels.set(node[1], node[2]);
  }
  return chart.split('\n').map(line => edge.exec(line)).filter(m => m !== null)
    .map(m => `${labels.get(m![1]) ?? m![1]} ${m![2]} ${labels.get(m![4]) ?? m![4]}${m![3] ? ` (${m![3]})` : ''}`);
}

describe('architectureFlowchart', () => {
  test('draws the request path: clients through WAF to the API, its routes to functions, and what the function sends', () => {
    const chart = flowchart(stack => {
      const api = new apigateway.RestApi(stack, 'Api');
      const handler = fn(stack, 'Handler');
      api.root.addResource('orders').addResource('{id}').addMethod('PUT', new apigateway.LambdaIntegration(handler));
      const acl = new wafv2.CfnWebACL(stack, 'Acl', { defaultAction: { allow: {} }, scope: 'REGIONAL', visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'acl', sampledRequestsEnabled: true } });
      new wafv2.CfnWebACLAssociation(stack, 'AclAssociation', { resourceArn: api.deploymentStage.stageArn, webAclArn: acl.attrArn });
      const queue = new sqs.Queue(stack, 'Orders');
      queue.grantSendMessages(handler);
    });
    expect(chart.split('\n')[0]).toBe('flowchart LR');
    expect(edges(chart)).toEqual(expect.arrayContaining([
      'Clients --> Acl (HTTPS)',
      'Acl --> Api (allowed requests)',
      'Api --> Handler (PUT /orders/{id})',
      'Handler --> Orders (sends)',
    ]));
    expect(chart).toContain('(["API Gateway REST API<br/>Api"])');
    expect(chart).toContain('("Lambda function<br/>Handler")');
  });

  test('draws event sources, dead-letter queues after their receive count, and failure destinations dotted', () => {
    const chart = flowchart(stack => {
      const dlq = new sqs.Queue(stack, 'Dlq');
      const queue = new sqs.Queue(stack, 'Work', { deadLetterQueue: { queue: dlq, maxReceiveCount: 5 } });
      const worker = fn(stack, 'Worker');
      worker.addEventSource(new sources.SqsEventSource(queue));
      const table = new dynamodb.Table(stack, 'Ledger', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_IMAGE });
      table.grantWriteData(worker);
      const failures = new sqs.Queue(stack, 'StreamFailures');
      const auditor = fn(stack, 'Auditor');
      const onStreamFailure = new sources.SqsDlq(failures);
      auditor.addEventSource(new sources.DynamoEventSource(table, { startingPosition: lambda.StartingPosition.LATEST, onFailure: onStreamFailure }));
      const onFailure = new sqs.Queue(stack, 'WorkerFailures');
      new lambda.EventInvokeConfig(stack, 'WorkerAsync', { function: worker, onFailure: new SqsDestination(onFailure) });
    });
    expect(edges(chart)).toEqual(expect.arrayContaining([
      'Work --> Worker (messages)',
      'Work -.-> Dlq (after 5 receives)',
      'Worker --> Ledger (writes)',
      'Ledger --> Auditor (stream records)',
      'Auditor -.-> StreamFailures (failed batches)',
      'Worker -.-> WorkerFailures (failed events)',
    ]));
    // The grants behind the failure destinations are the dotted edges, not a second "sends".
    expect(edges(chart)).not.toContain('Worker --> WorkerFailures (sends)');
    expect(edges(chart)).not.toContain('Auditor --> StreamFailures (sends)');
    // Reading the queue and the stream is the event source edge, not a policy edge.
    expect(edges(chart).filter(e => e.startsWith('Worker --> Work') || e.startsWith('Auditor --> Ledger'))).toEqual([]);
  });

  test('draws EventBridge targets and their dead-letter queue, SNS subscriptions and the alarms that notify a topic', () => {
    const chart = flowchart(stack => {
      const target = fn(stack, 'OnChange');
      const dlq = new sqs.Queue(stack, 'Undelivered');
      new events.Rule(stack, 'Changes', { eventPattern: { source: ['aws.ecs'] }, targets: [new targets.LambdaFunction(target, { deadLetterQueue: dlq, retryAttempts: 2, maxEventAge: Duration.hours(1) })] });
      const topic = new sns.Topic(stack, 'Alerts');
      topic.addSubscription(new subscriptions.EmailSubscription('oncall@example.com'));
      topic.addSubscription(new subscriptions.SqsSubscription(new sqs.Queue(stack, 'AlertCopies')));
      for (const name of ['A', 'B']) {
        const alarm = new cloudwatch.Alarm(stack, name, { metric: target.metricErrors(), threshold: 1, evaluationPeriods: 1 });
        alarm.addAlarmAction(new actions.SnsAction(topic));
      }
    });
    expect(edges(chart)).toEqual(expect.arrayContaining([
      'Changes --> OnChange (matching events)',
      'Changes -.-> Undelivered (undeliverable events)',
      'Alerts --> email subscribers (notifications)',
      'Alerts --> AlertCopies (notifications)',
      'CloudWatch alarms (2) --> Alerts (state changes)',
    ]));
    expect(chart).toContain('alarms(("CloudWatch alarms (2)"))');
  });

  test('draws a rule\'s target bus named by ARN, such as a central monitoring account\'s, with its account', () => {
    const chart = flowchart(stack => {
      const central = events.EventBus.fromEventBusArn(stack, 'Central', 'arn:aws:events:eu-west-1:210987654321:event-bus/ledger-central-monitoring');
      new events.Rule(stack, 'Forward', { eventPattern: { source: ['aws.lambda'] }, targets: [new targets.EventBus(central)] });
    });
    expect(edges(chart)).toEqual(['Forward --> EventBridge bus ledger-central-monitoring (account 210987654321) (matching events)']);
    expect(chart).toContain('bus_210987654321_ledger_central_monitoring(("EventBridge bus ledger-central-monitoring (account 210987654321)"))');
  });

  test('draws a canary checking the public endpoints and writing its artifacts to its bucket', () => {
    const chart = flowchart(stack => {
      const artifacts = new s3.Bucket(stack, 'Artifacts');
      new synthetics.Canary(stack, 'Health', {
        runtime: synthetics.Runtime.SYNTHETICS_NODEJS_PUPPETEER_9_1,
        test: synthetics.Test.custom({ code: synthetics.Code.fromInline('exports.handler = async () => {};'), handler: 'index.handler' }),
        artifactsBucketLocation: { bucket: artifacts },
      });
    });
    expect(edges(chart)).toEqual(expect.arrayContaining([
      'Health --> public endpoints (checks status, content, latency)',
      'Health --> Artifacts (screenshots, HAR files)',
    ]));
    expect(chart).toContain('("Synthetics canary<br/>Health")');
  });

  test('draws HTTP API routes, and what a state machine invokes through its role', () => {
    const chart = flowchart(stack => {
      const quote = fn(stack, 'Quote');
      new apigatewayv2.HttpApi(stack, 'Public').addRoutes({ path: '/quotes', methods: [apigatewayv2.HttpMethod.GET], integration: new HttpLambdaIntegration('QuoteIntegration', quote) });
      const settle = fn(stack, 'Settle');
      new sfn.StateMachine(stack, 'Settlement', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Invoke', { lambdaFunction: settle })) });
    });
    expect(edges(chart)).toEqual(expect.arrayContaining([
      'Clients --> Public (HTTPS)',
      'Public --> Quote (GET /quotes)',
      'Settlement --> Settle (invokes)',
    ]));
  });

  test('draws what an ECS service sends through its task role', () => {
    const chart = flowchart(stack => {
      const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 }) });
      const definition = new ecs.FargateTaskDefinition(stack, 'Task');
      definition.addContainer('App', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest') });
      new ecs.FargateService(stack, 'Settler', { cluster, taskDefinition: definition });
      new sqs.Queue(stack, 'Settled').grantSendMessages(definition.taskRole);
    });
    expect(edges(chart)).toEqual(['Settler/Service --> Settled (sends)']);
  });

  test('draws a web app: clients through WAF to the distribution, its origins by path, the load balancer to its service, and the service to its database', () => {
    const chart = flowchart(stack => {
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
      const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
      const definition = new ecs.FargateTaskDefinition(stack, 'Task');
      definition.addContainer('App', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'), portMappings: [{ containerPort: 8080 }] });
      const service = new ecs.FargateService(stack, 'Api', { cluster, taskDefinition: definition });
      const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc, internetFacing: true });
      const listener = lb.addListener('Http', { port: 80, open: false });
      listener.addTargets('Service', { port: 8080, targets: [service] });
      const database = new rds.DatabaseCluster(stack, 'Db', {
        engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 }),
        writer: rds.ClusterInstance.serverlessV2('Writer'),
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        iamAuthentication: true,
      });
      database.connections.allowDefaultPortFrom(service);
      database.grantConnect(definition.taskRole, 'app');
      const assets = new s3.Bucket(stack, 'Assets');
      const acl = new wafv2.CfnWebACL(stack, 'EdgeAcl', { defaultAction: { allow: {} }, scope: 'CLOUDFRONT', visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'edge', sampledRequestsEnabled: true } });
      new cloudfront.Distribution(stack, 'Cdn', {
        defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(assets) },
        additionalBehaviors: { '/api/*': { origin: new origins.LoadBalancerV2Origin(lb) } },
        webAclId: acl.attrArn,
      });
      new iam.Role(stack, 'Unrelated', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    });
    expect(edges(chart)).toEqual(expect.arrayContaining([
      'Clients --> EdgeAcl (HTTPS)',
      'EdgeAcl --> Cdn (allowed requests)',
      'Cdn --> Assets (default)',
      'Cdn --> Lb (/api/*)',
      'Lb --> Api/Service (HTTP 80)',
      'Api/Service --> Db (database port, connects (IAM auth))',
    ]));
    // The load balancer is reached through the distribution, not straight from clients.
    expect(edges(chart).filter(e => e.startsWith('Clients'))).toEqual(['Clients --> EdgeAcl (HTTPS)']);
    expect(chart).toContain('(["CloudFront distribution<br/>Cdn"])');
    expect(chart).toContain('(["Load balancer<br/>Lb"])');
  });

  test('draws an internet-facing load balancer no distribution fronts as an entry point, behind its web ACL', () => {
    const chart = flowchart(stack => {
      const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc: new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 }), internetFacing: true });
      lb.addListener('Http', { port: 80, open: true, defaultAction: elbv2.ListenerAction.fixedResponse(404) });
      const acl = new wafv2.CfnWebACL(stack, 'Acl', { defaultAction: { allow: {} }, scope: 'REGIONAL', visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: 'acl', sampledRequestsEnabled: true } });
      new wafv2.CfnWebACLAssociation(stack, 'AclAssociation', { resourceArn: lb.loadBalancerArn, webAclArn: acl.attrArn });
    });
    expect(edges(chart)).toEqual(['Clients --> Acl (HTTPS)', 'Acl --> Lb (allowed requests)']);
  });

  test('an origin named by text reaches the bucket of that name, or the load balancer that checks the secret header it sends, else shows the domain', () => {
    const chart = flowchart(stack => {
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0 });
      const group = new ec2.SecurityGroup(stack, 'LbGroup', { vpc, allowAllOutbound: false });
      group.addIngressRule(ec2.Peer.prefixList('pl-3b927c52'), ec2.Port.tcp(443), 'CloudFront only');
      const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc, internetFacing: true, securityGroup: group });
      const listener = lb.addListener('Https', { port: 443, protocol: elbv2.ApplicationProtocol.HTTP, open: false, defaultAction: elbv2.ListenerAction.fixedResponse(403) });
      listener.addAction('FromCloudFront', {
        priority: 1, conditions: [elbv2.ListenerCondition.httpHeader('X-Origin-Verify', ['s3cr3t'])], action: elbv2.ListenerAction.fixedResponse(200),
      });
      const assets = new s3.Bucket(stack, 'Assets', { bucketName: `shop-assets-${stack.account}-dev` });
      new cloudfront.Distribution(stack, 'Cdn', {
        defaultBehavior: { origin: new origins.HttpOrigin(`shop-assets-${stack.account}-dev.s3.eu-west-1.amazonaws.com`) },
        additionalBehaviors: {
          '/api/*': { origin: new origins.HttpOrigin('origin.shop.example.com', { customHeaders: { 'X-Origin-Verify': 's3cr3t' } }) },
          '/partner/*': { origin: new origins.HttpOrigin('partner.example.net', { protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY }) },
        },
      });
      void assets;
    });
    expect(edges(chart)).toEqual(expect.arrayContaining([
      'Clients --> Cdn (HTTPS)', 'Cdn --> Assets (default)', 'Cdn --> Lb (/api/*)', 'Cdn --> origin partner.example.net (/partner/*)',
    ]));
    // Only CloudFront's prefix list may reach the load balancer: it is no entry point of its own.
    expect(edges(chart).filter(e => e.startsWith('Clients'))).toEqual(['Clients --> Cdn (HTTPS)']);
  });

  test('a custom origin no load balancer of the stack verifies is drawn as its domain', () => {
    const chart = flowchart(stack => {
      new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: new origins.HttpOrigin('partner.example.net') } });
    });
    expect(edges(chart)).toEqual(['Clients --> Cdn (HTTPS)', 'Cdn --> origin partner.example.net (default)']);
  });

  test("leaves CDK's custom resource providers out", () => {
    const chart = flowchart(stack => {
      new s3.Bucket(stack, 'Statements', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    });
    expect(chart).toContain('[("S3 bucket<br/>Statements")]');
    expect(chart).not.toContain('Lambda function');
  });

  test('draws a VPC around what runs in it, and a function\'s calls through the endpoints of its VPC; Lambda\'s own deliveries stay direct', () => {
    const chart = flowchart(stack => {
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      vpc.addGatewayEndpoint('Dynamo', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
      vpc.addInterfaceEndpoint('Sqs', { service: ec2.InterfaceVpcEndpointAwsService.SQS });
      const table = new dynamodb.Table(stack, 'Ledger', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
      const queue = new sqs.Queue(stack, 'Outbox');
      const topic = new sns.Topic(stack, 'Alerts');
      const failures = new sqs.Queue(stack, 'Failures');
      const inside = new lambda.Function(stack, 'Scorer', {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => {}'),
        vpc,
        onFailure: new SqsDestination(failures),
      });
      table.grantWriteData(inside);
      queue.grantSendMessages(inside);
      // No SNS endpoint in the VPC: the call is drawn straight to the topic.
      topic.grantPublish(inside);
      table.grantReadData(fn(stack, 'Outside'));
    });
    expect(chart).toMatch(/^ {2}subgraph vpc_Vpc\w+\["VPC Vpc<br\/>no internet gateway, no NAT: AWS services through endpoints only"\]$/m);
    const group = chart.slice(chart.indexOf('  subgraph'), chart.indexOf('  end\n'));
    expect(group.trimEnd().split('\n').slice(1).map(l => l.trim()).map(id => chart.split('\n').find(l => l.startsWith(`  ${id}[`) || l.startsWith(`  ${id}(`))))
      .toEqual([
        expect.stringContaining('"Lambda function<br/>Scorer"'),
        expect.stringContaining('["VPC endpoint (gateway)<br/>dynamodb"]'),
        expect.stringContaining('["VPC endpoint (interface)<br/>sqs"]'),
      ]);
    expect(edges(chart)).toEqual(expect.arrayContaining([
      'Scorer --> dynamodb (writes)',
      'dynamodb --> Ledger (writes)',
      'Scorer --> sqs (sends)',
      'sqs --> Outbox (sends)',
      'Scorer --> Alerts (publishes)',
      'Scorer -.-> Failures (failed events)',
      'Outside --> Ledger (reads)',
    ]));
    expect(edges(chart)).not.toContain('Scorer --> Ledger (writes)');
  });

  test('a VPC holds the load balancer, the service and the database cluster with its instances, by their subnets', () => {
    const chart = flowchart(stack => {
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1 });
      const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
      const definition = new ecs.FargateTaskDefinition(stack, 'Task');
      definition.addContainer('App', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/docker/library/busybox:latest'), portMappings: [{ containerPort: 8080 }] });
      const service = new ecs.FargateService(stack, 'Api', { cluster, taskDefinition: definition });
      const lb = new elbv2.ApplicationLoadBalancer(stack, 'Lb', { vpc, internetFacing: true });
      lb.addListener('Http', { port: 80, open: false }).addTargets('Service', { port: 8080, targets: [service] });
      new rds.DatabaseCluster(stack, 'Db', {
        engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_6 }),
        writer: rds.ClusterInstance.serverlessV2('Writer'),
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
      });
      new s3.Bucket(stack, 'Outside');
    });
    const group = chart.slice(chart.indexOf('  subgraph'), chart.indexOf('  end\n'));
    expect(group.split('\n')[0]).toMatch(/^ {2}subgraph vpc_Vpc\w+\["VPC Vpc"\]$/);
    const members = group.trimEnd().split('\n').slice(1).map(id => chart.split('\n').find(l => l.startsWith(`  ${id.trim()}`) && l.includes('<br/>'))!.replace(/^.*<br\/>|"\W*$/g, ''));
    expect(members.sort()).toEqual(['Api/Service', 'Db', 'Db/Writer', 'Lb']);
  });

  test('a VPC with an internet gateway is drawn without the no-internet note', () => {
    const chart = flowchart(stack => {
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0 });
      new lambda.Function(stack, 'Worker', {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('exports.handler = async () => {}'),
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
        allowPublicSubnet: true,
      });
    });
    expect(chart).toMatch(/^ {2}subgraph vpc_Vpc\w+\["VPC Vpc"\]\n {4}r_Worker\w+\n {2}end$/m);
  });
});

describe('referencedIds', () => {
  test('finds Ref, Fn::GetAtt and Fn::Sub references at any depth, pseudo parameters left out, each once', () => {
    const value = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, { 'Fn::GetAtt': ['Queue', 'Arn'] }, { 'Fn::Sub': 'x-${Table.Arn}-${AWS::Region}-${Queue}' }, { Ref: 'Topic' }]] };
    expect(referencedIds(value)).toEqual(['Queue', 'Table', 'Topic']);
    expect(referencedIds('literal')).toEqual([]);
  });
});

describe('architectureDocument', () => {
  test('writes one Mermaid block per stack under its path, and says where it was drawn from', () => {
    const stack = new Stack(pathMetadataApp(), 'Shop');
    new sqs.Queue(stack, 'Orders');
    const document = architectureDocument([{ path: 'Shop', templatePath: '/x/Shop.template.json', template: Template.fromStack(stack).toJSON() }], 'the `dev` stage of `cdk.out`');
    expect(document).toContain('the `dev` stage of `cdk.out`');
    expect(document).toMatch(/## Shop\n\n```mermaid\nflowchart LR\n[^`]*SQS queue<br\/>Orders[^`]*```/);
  });
});
