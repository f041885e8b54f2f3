import * as path from 'path';
import { App, CfnCondition, CfnOutput, CustomResource, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cfninc from 'aws-cdk-lib/cloudformation-include';
import { Construct } from 'constructs';
import { TracedFunction } from '../../../src/compute/traced-function';
import { SecureQueue } from '../../../src/data/secure-queue';
import { SecureTable } from '../../../src/data/secure-table';
import { SecureTopic } from '../../../src/data/secure-topic';
import { FintechVpc } from '../../../src/network/fintech-vpc';
import { FunctionServiceRoutes } from '../../../src/rules/network/function-service-routes';
import { GatewayEndpointPolicy } from '../../../src/rules/network/gateway-endpoint-policy';
import { stackIn, testApp } from '../../support/fintech-fixture';
import { findingsOf, lines, shop } from '../rule-harness';

const C17 = FunctionServiceRoutes.INFO.id;

function c17(app: App) {
  return findingsOf(app, [C17]);
}

function isolatedVpc(scope: Construct) {
  return new ec2.Vpc(scope, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
}

function handler(scope: Construct, id: string, props: Partial<lambda.FunctionProps> = {}) {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), ...props,
  });
}

function isolatedHandler(scope: Construct, id: string, vpc: ec2.IVpc, props: Partial<lambda.FunctionProps> = {}) {
  return handler(scope, id, { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, ...props });
}

function table(scope: Construct, id = 'Merchants') {
  return new dynamodb.Table(scope, id, { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
}

/** A raw VPC with one isolated subnet and its route table. */
function rawNetwork(stack: Stack, id: string) {
  const vpc = new ec2.CfnVPC(stack, `${id}Vpc`, { cidrBlock: '10.0.0.0/16' });
  const subnet = new ec2.CfnSubnet(stack, `${id}Subnet`, { vpcId: vpc.ref, cidrBlock: '10.0.0.0/24' });
  const routes = new ec2.CfnRouteTable(stack, `${id}Routes`, { vpcId: vpc.ref });
  new ec2.CfnSubnetRouteTableAssociation(stack, `${id}Association`, { subnetId: subnet.ref, routeTableId: routes.ref });
  return { vpc, subnet, routes };
}

function rawRole(stack: Stack, id: string, actions: string[] = []) {
  return new iam.CfnRole(stack, id, {
    assumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
    policies: actions.length ? [{ policyName: 'inline', policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*' }] } }] : undefined,
  });
}

function rawFunction(stack: Stack, id: string, role: iam.CfnRole, subnetIds: string[], props: Partial<lambda.CfnFunctionProps> = {}) {
  return new lambda.CfnFunction(stack, id, {
    runtime: 'nodejs22.x',
    handler: 'index.handler',
    role: role.attrArn,
    code: { zipFile: 'exports.handler = async () => ({})' },
    vpcConfig: { subnetIds, securityGroupIds: [] },
    ...props,
  });
}

describe('Fintech-C17-FunctionWithoutServiceRoute', () => {
  test('fails an L2 function in isolated subnets granted SQS and DynamoDB without endpoints, naming the action and the endpoint', () => {
    const { app, stack } = shop();
    const vpc = isolatedVpc(stack);
    const fn = isolatedHandler(stack, 'Scorer', vpc, { tracing: lambda.Tracing.ACTIVE });
    new sqs.Queue(stack, 'Review').grantSendMessages(fn);
    table(stack).grantReadData(fn);
    const findings = c17(app);
    expect(lines(findings)).toEqual([`${C17} Shop/Scorer/Resource`, `${C17} Shop/Scorer/Resource`]);
    expect(findings.map(f => f.message)).toEqual([
      expect.stringMatching(/^AWS::Lambda::Function Scorer[0-9A-F]{8} runs in subnets VpcisolatedSubnet1Subnet[0-9A-F]{8}, VpcisolatedSubnet2Subnet[0-9A-F]{8} of AWS::EC2::VPC Vpc[0-9A-F]{8}, which have no route to an internet or NAT gateway, and its role ScorerServiceRole[0-9A-F]{8} is granted sqs:SendMessage \(AWS::IAM::Policy ScorerServiceRoleDefaultPolicy[0-9A-F]{8}\), but the VPC has no sqs endpoint \(com\.amazonaws\.<region>\.sqs\), so those calls fail at run time\.$/),
      expect.stringMatching(/is granted dynamodb:BatchGetItem .* but the VPC has no dynamodb endpoint \(com\.amazonaws\.<region>\.dynamodb\)/),
    ]);
    expect(findings[0]).toMatchObject({ severity: 'error', locations: ['Properties/VpcConfig/SubnetIds', 'Properties/Role'], fix: expect.stringContaining("endpoints: [..., 'sqs']") });
    expect(findings[1].fix).toContain('gateway endpoint');
  });

  test('passes the same function once the VPC has the interface and gateway endpoints (CDK\'s Fn::Join service names)', () => {
    const { app, stack } = shop();
    const vpc = isolatedVpc(stack);
    vpc.addInterfaceEndpoint('Sqs', { service: ec2.InterfaceVpcEndpointAwsService.SQS });
    vpc.addGatewayEndpoint('Dynamo', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB });
    const fn = isolatedHandler(stack, 'Scorer', vpc, { tracing: lambda.Tracing.ACTIVE });
    new sqs.Queue(stack, 'Review').grantSendMessages(fn);
    table(stack).grantReadData(fn);
    expect(c17(app)).toEqual([]);
  });

  test('fails a gateway endpoint that is not on the route tables of the function\'s subnets', () => {
    const { app, stack } = shop();
    const vpc = new ec2.Vpc(stack, 'Vpc', {
      maxAzs: 1,
      natGateways: 0,
      subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }, { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    vpc.addGatewayEndpoint('Dynamo', { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB, subnets: [{ subnetGroupName: 'data' }] });
    const fn = handler(stack, 'Scorer', { vpc, vpcSubnets: { subnetGroupName: 'app' } });
    table(stack).grantReadData(fn);
    const findings = c17(app);
    expect(lines(findings)).toEqual([`${C17} Shop/Scorer/Resource`]);
    expect(findings[0].message).toMatch(/but its dynamodb gateway endpoint VpcDynamo[0-9A-F]{8} is not on route table VpcappSubnet1RouteTable[0-9A-F]{8} of those subnets/);
  });

  test('judges subnets without a route table association (the main route table): no gateway endpoint can be on it', () => {
    const { app, stack } = shop();
    const vpc = new ec2.CfnVPC(stack, 'Vpc', { cidrBlock: '10.0.0.0/16' });
    const subnet = new ec2.CfnSubnet(stack, 'Subnet', { vpcId: vpc.ref, cidrBlock: '10.0.0.0/24' });
    const routes = new ec2.CfnRouteTable(stack, 'Routes', { vpcId: vpc.ref });
    new ec2.CfnVPCEndpoint(stack, 'Dynamo', { vpcId: vpc.ref, serviceName: 'com.amazonaws.eu-west-1.dynamodb', routeTableIds: [routes.ref] });
    new ec2.CfnVPCEndpoint(stack, 'Sqs', { vpcId: vpc.ref, serviceName: 'com.amazonaws.eu-west-1.sqs', vpcEndpointType: 'Interface' });
    rawFunction(stack, 'Fn', rawRole(stack, 'Role', ['dynamodb:PutItem', 'sqs:SendMessage']), [subnet.ref]);
    const findings = c17(app);
    expect(lines(findings)).toEqual([`${C17} Shop/Fn`]);
    expect(findings[0].message).toContain('is granted dynamodb:PutItem (inline policies of AWS::IAM::Role Role), but its dynamodb gateway endpoint Dynamo cannot be on the VPC\'s main route table, ' +
      'which subnet Subnet uses (no AWS::EC2::SubnetRouteTableAssociation), so those calls fail at run time.');
  });

  test('leaves out what the Lambda service calls with the role: event source polling, destinations, dead-letter queues, keys a service encrypts with', () => {
    const build = (ownCalls: boolean) => {
      const { app, stack } = shop();
      const vpc = isolatedVpc(stack);
      const key = new kms.Key(stack, 'Key');
      const input = new sqs.Queue(stack, 'Input', { encryptionMasterKey: key });
      const failures = new sqs.Queue(stack, 'Failures', { encryptionMasterKey: key });
      const topic = new sns.Topic(stack, 'Done', { masterKey: key });
      const dlq = new sqs.Queue(stack, 'Dlq');
      const fn = isolatedHandler(stack, 'Consumer', vpc, {
        onFailure: new destinations.SqsDestination(failures), onSuccess: new destinations.SnsDestination(topic), deadLetterQueue: dlq,
      });
      fn.addEventSource(new sources.SqsEventSource(input));
      const stream = new dynamodb.Table(stack, 'Ledger', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING }, stream: dynamodb.StreamViewType.NEW_IMAGE });
      fn.addEventSource(new sources.DynamoEventSource(stream, { startingPosition: lambda.StartingPosition.LATEST }));
      const secret = new secretsmanager.Secret(stack, 'Secret', { encryptionKey: key });
      vpc.addInterfaceEndpoint('Secrets', { service: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER });
      secret.grantRead(fn);
      // Lambda invokes the next function and puts failures on the bus itself (lambda:InvokeFunction on `${Arn}:*` too).
      isolatedHandler(stack, 'Chained', vpc, {
        onSuccess: new destinations.LambdaDestination(handler(stack, 'Next')), onFailure: new destinations.EventBridgeDestination(new events.EventBus(stack, 'Bus')),
      });
      if (ownCalls) {
        // The code sends to a queue of its own choosing and calls KMS itself with a key only it uses.
        const own = new kms.Key(stack, 'OwnKey');
        own.grantEncryptDecrypt(fn);
        fn.addEnvironment('KEY_ID', own.keyId);
        new sqs.Queue(stack, 'Elsewhere').grantSendMessages(fn);
      }
      return c17(app);
    };
    expect(build(false)).toEqual([]);
    expect(build(true).map(f => f.message.replace(/^.* is granted (\S+) .* no (\S+) endpoint.*$/, '$1 $2'))).toEqual(['kms:Decrypt kms', 'sqs:SendMessage sqs']);
  });

  /** The endpoints the findings ask for, from a raw function in a raw isolated subnet granted `actions` on "*", beside interface `endpoints`. */
  function missingFor(actions: string[], endpoints: string[] = []) {
    const { app, stack } = shop();
    const { vpc, subnet } = rawNetwork(stack, 'Net');
    endpoints.forEach((name, i) => new ec2.CfnVPCEndpoint(stack, `Endpoint${i}`, { vpcId: vpc.ref, serviceName: `com.amazonaws.eu-west-1.${name}`, vpcEndpointType: 'Interface' }));
    rawFunction(stack, 'Fn', rawRole(stack, 'Role', actions), [subnet.ref]);
    return c17(app).map(finding => /is granted (\S+) .*, but the VPC has no (\S+) endpoint/.exec(finding.message)?.slice(1).join(' -> '));
  }

  test('judges a service whose API is split over several endpoints by action: SageMaker runtime and feature store, Payment Cryptography data plane, AppConfig data', () => {
    const split = ['sagemaker:InvokeEndpoint', 'sagemaker:PutRecord', 'payment-cryptography:VerifyPinData', 'appconfig:GetLatestConfiguration'];
    // The control plane's actions and wildcards of a split service name no one endpoint.
    const unknown = ['sagemaker:DescribeEndpoint', 'sagemaker:*', 'sagemaker:Invoke*', 'payment-cryptography:CreateKey', 'payment-cryptography:*', 'appconfig:Get*'];
    expect(missingFor([...split, ...unknown])).toEqual([
      'sagemaker:InvokeEndpoint -> sagemaker.runtime',
      'sagemaker:PutRecord -> sagemaker.featurestore-runtime',
      'payment-cryptography:VerifyPinData -> payment-cryptography.dataplane',
      'appconfig:GetLatestConfiguration -> appconfigdata',
    ]);
    expect(missingFor(unknown)).toEqual([]);
    // A FIPS endpoint serves the same calls.
    expect(missingFor(split, ['sagemaker.runtime-fips', 'sagemaker.featurestore-runtime', 'payment-cryptography.dataplane', 'appconfigdata'])).toEqual([]);
    expect(missingFor(split, ['sagemaker.api', 'appconfig', 'payment-cryptography.controlplane'])).toHaveLength(4);
  });

  test('leaves out grants a called service uses with the function\'s permissions: Athena\'s Glue and S3, the Data API\'s secret, Textract\'s S3, Polly\'s S3 and SNS', () => {
    const athena = ['athena:StartQueryExecution', 'athena:GetQueryResults', 'glue:GetTable', 's3:GetObject'];
    expect(missingFor(athena, ['athena'])).toEqual([]);
    expect(missingFor(athena)).toEqual(['athena:StartQueryExecution -> athena']);
    expect(missingFor(['rds-data:ExecuteStatement', 'secretsmanager:GetSecretValue'], ['rds-data'])).toEqual([]);
    expect(missingFor(['textract:AnalyzeDocument', 's3:GetObject'])).toEqual(['textract:AnalyzeDocument -> textract']);
    // Polly's synthesis task writes the audio and publishes its notice itself (the aws-solutions-constructs LambdaToPolly shape).
    expect(missingFor(['polly:StartSpeechSynthesisTask', 'polly:SynthesizeSpeech', 'sns:Publish', 's3:PutObject'], ['polly'])).toEqual([]);
    // Without the service that reads them, the same grants are the code's own calls.
    expect(missingFor(['s3:GetObject', 'secretsmanager:GetSecretValue'])).toEqual(['s3:GetObject -> s3', 'secretsmanager:GetSecretValue -> secretsmanager']);
  });

  test('judges Bedrock by action: model calls need bedrock-runtime, agents and knowledge bases bedrock-agent-runtime, the control plane and wildcards neither', () => {
    const model = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream', 'bedrock:ApplyGuardrail'];
    expect(missingFor(model)).toEqual(['bedrock:InvokeModel -> bedrock-runtime']);
    expect(missingFor(model, ['bedrock-runtime'])).toEqual([]);
    expect(missingFor(['bedrock:InvokeAgent'])).toEqual(['bedrock:InvokeAgent -> bedrock-agent-runtime']);
    expect(missingFor(['bedrock:GetFoundationModel', 'bedrock:ListFoundationModels', 'bedrock:*', 'bedrock:Invoke*', 'bedrock:CreateAgent'])).toEqual([]);
    // The model endpoint does not serve the agent runtime, nor the control plane's endpoint the model runtime.
    expect(missingFor(['bedrock:Retrieve', 'bedrock:InvokeModel'], ['bedrock-runtime', 'bedrock'])).toEqual(['bedrock:Retrieve -> bedrock-agent-runtime']);
  });

  test('leaves out the model grants Bedrock\'s agent runtime uses with the caller\'s permissions (retrieve-and-generate, inline agents, reranking)', () => {
    const ragAnswer = ['bedrock:RetrieveAndGenerate', 'bedrock:Retrieve', 'bedrock:InvokeModel', 'bedrock:ApplyGuardrail'];
    expect(missingFor(ragAnswer, ['bedrock-agent-runtime'])).toEqual([]);
    expect(missingFor(ragAnswer)).toEqual(['bedrock:RetrieveAndGenerate -> bedrock-agent-runtime']);
    // Without an agent runtime call, the same model grant is the code's own call.
    expect(missingFor(['bedrock:InvokeModel'], ['bedrock-agent-runtime'])).toEqual(['bedrock:InvokeModel -> bedrock-runtime']);
  });

  test('passes an L2 function using the Data API of an Aurora cluster through the rds-data endpoint alone, and fails it without', () => {
    const build = (endpoint: boolean) => {
      const { app, stack } = shop();
      const vpc = isolatedVpc(stack);
      if (endpoint) vpc.addInterfaceEndpoint('Data', { service: ec2.InterfaceVpcEndpointAwsService.RDS_DATA });
      const cluster = new rds.DatabaseCluster(stack, 'Ledger', {
        engine: rds.DatabaseClusterEngine.auroraPostgres({ version: rds.AuroraPostgresEngineVersion.VER_16_4 }),
        writer: rds.ClusterInstance.serverlessV2('Writer'),
        vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
        enableDataApi: true,
      });
      cluster.grantDataApiAccess(isolatedHandler(stack, 'Statements', vpc));
      return c17(app);
    };
    expect(build(true)).toEqual([]);
    expect(build(false).map(f => f.message)).toEqual([expect.stringMatching(/is granted rds-data:\w+ .*, but the VPC has no rds-data endpoint/)]);
  });

  test('judges raw Cfn resources: inline and attached policies, Fn::Sub service names, literal role names', () => {
    const { app, stack } = shop();
    const { vpc, subnet } = rawNetwork(stack, 'Private');
    const role = rawRole(stack, 'Role', ['sns:Publish', 'logs:CreateLogStream', 'ec2:CreateNetworkInterface']);
    role.roleName = 'scorer-role';
    new iam.CfnPolicy(stack, 'Attached', { policyName: 'attached', roles: ['scorer-role'], policyDocument: { Statement: [{ Effect: 'Allow', Action: 'states:StartExecution', Resource: '*' }] } });
    const managed = new iam.CfnManagedPolicy(stack, 'Managed', { policyDocument: { Statement: [{ Effect: 'Allow', Action: ['secretsmanager:GetSecretValue'], Resource: '*' }] } });
    role.managedPolicyArns = [managed.ref];
    new iam.CfnRolePolicy(stack, 'RolePolicy', { roleName: role.ref, policyName: 'more', policyDocument: { Statement: [{ Effect: 'Allow', Action: 'ssm:GetParameter', Resource: '*' }] } });
    rawFunction(stack, 'Scorer', role, [subnet.ref]);
    new ec2.CfnVPCEndpoint(stack, 'Sns', { vpcId: vpc.ref, serviceName: Fn.sub('com.amazonaws.${AWS::Region}.sns'), vpcEndpointType: 'Interface' });
    new ec2.CfnVPCEndpoint(stack, 'Ssm', { vpcId: vpc.ref, serviceName: 'com.amazonaws.eu-west-1.ssm', vpcEndpointType: 'Interface' });
    const findings = c17(app);
    expect(lines(findings)).toEqual([`${C17} Shop/Scorer`, `${C17} Shop/Scorer`]);
    expect(findings.map(f => f.message.replace(/^.* is granted (\S+) \(([^)]*)\).* no (\S+) endpoint.*$/, '$1 ($2) $3'))).toEqual([
      'states:StartExecution (AWS::IAM::Policy Attached) states',
      'secretsmanager:GetSecretValue (AWS::IAM::ManagedPolicy Managed) secretsmanager',
    ]);
  });

  test('reads raw event source mappings and invoke configs by literal function name or ARN, and by joins of unknown values', () => {
    const build = (functionName: unknown) => {
      const { app, stack } = shop();
      const { subnet } = rawNetwork(stack, 'Net');
      const role = rawRole(stack, 'Role', ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes']);
      new iam.CfnPolicy(stack, 'Publish', { policyName: 'p', roles: [role.ref], policyDocument: { Statement: [{ Effect: 'Allow', Action: 'sns:Publish', Resource: 'arn:aws:sns:eu-west-1:123456789012:done' }] } });
      rawFunction(stack, 'Consumer', role, [subnet.ref], { functionName: 'consumer' });
      new lambda.CfnEventSourceMapping(stack, 'Mapping', { functionName: 'x', eventSourceArn: 'arn:aws:sqs:eu-west-1:123456789012:input' })
        .addPropertyOverride('FunctionName', functionName);
      new lambda.CfnEventInvokeConfig(stack, 'Async', { functionName: 'x', qualifier: '$LATEST', destinationConfig: { onSuccess: { destination: 'arn:aws:sns:eu-west-1:123456789012:done' } } })
        .addPropertyOverride('FunctionName', functionName);
      return c17(app).map(f => f.message.replace(/^.* is granted (\S+) .*$/, '$1'));
    };
    expect(build('consumer')).toEqual([]);
    expect(build('arn:aws:lambda:eu-west-1:123456789012:function:consumer')).toEqual([]);
    expect(build({ 'Fn::Join': ['', ['arn:aws:lambda:', { Ref: 'AWS::Region' }, ':123456789012:function:consumer']] })).toEqual([]);
    expect(build('another')).toEqual(['sqs:ReceiveMessage', 'sns:Publish']);
    expect(build({ 'Fn::ImportValue': 'OtherFunction' })).toEqual(['sqs:ReceiveMessage', 'sns:Publish']);
  });

  test('judges a function in a nested stack with its VPC, and one whose subnets come from the parent with the parent\'s VPC', () => {
    const build = (siblingEndpoint: boolean) => {
      const { app, stack } = shop();
      const parentVpc = isolatedVpc(stack);
      const nested = new NestedStack(stack, 'Scoring');
      const fn = isolatedHandler(nested, 'Scorer', isolatedVpc(nested));
      new sqs.Queue(nested, 'Review').grantSendMessages(fn);
      const other = new NestedStack(stack, 'Review');
      new sqs.Queue(other, 'Review').grantSendMessages(isolatedHandler(other, 'Reviewer', parentVpc));
      // An endpoint a sibling nested stack adds to the parent's VPC serves the function too.
      if (siblingEndpoint) new ec2.InterfaceVpcEndpoint(new NestedStack(stack, 'Endpoints'), 'Sqs', { vpc: parentVpc, service: ec2.InterfaceVpcEndpointAwsService.SQS });
      return c17(app);
    };
    const findings = build(false);
    expect(lines(findings)).toEqual([`${C17} Shop/Review/Reviewer/Resource`, `${C17} Shop/Scoring/Scorer/Resource`]);
    expect(findings[0].message).toMatch(/runs in subnets VpcisolatedSubnet1Subnet[0-9A-F]{8}, VpcisolatedSubnet2Subnet[0-9A-F]{8} of AWS::EC2::VPC Vpc[0-9A-F]{8} in Shop,/);
    expect(lines(build(true))).toEqual([`${C17} Shop/Scoring/Scorer/Resource`]);
  });

  test('judges a function in another stack\'s VPC with the endpoints every stack of the app adds to it', () => {
    const build = (endpoint: 'none' | 'network stack' | 'function stack' | 'another stack') => {
      const app = testApp();
      const network = new Stack(app, 'Network');
      const vpc = isolatedVpc(network);
      const stack = new Stack(app, 'Payments');
      new sqs.Queue(stack, 'Review').grantSendMessages(isolatedHandler(stack, 'Scorer', vpc));
      const service = ec2.InterfaceVpcEndpointAwsService.SQS;
      if (endpoint === 'network stack') vpc.addInterfaceEndpoint('Sqs', { service });
      if (endpoint === 'function stack') new ec2.InterfaceVpcEndpoint(stack, 'Sqs', { vpc, service });
      if (endpoint === 'another stack') new ec2.InterfaceVpcEndpoint(new Stack(app, 'Endpoints'), 'Sqs', { vpc, service });
      return c17(app);
    };
    const findings = build('none');
    expect(lines(findings)).toEqual([`${C17} Payments/Scorer/Resource`]);
    expect(findings[0].message).toMatch(/of AWS::EC2::VPC Vpc[0-9A-F]{8} in Network, which .* is granted sqs:SendMessage .* but the VPC has no sqs endpoint/);
    expect(build('network stack')).toEqual([]);
    expect(build('function stack')).toEqual([]);
    expect(build('another stack')).toEqual([]);
  });

  test('judges gateway endpoints across stacks by the route tables of the function\'s subnets', () => {
    const build = (tables: 'all' | 'first') => {
      const app = testApp();
      const network = new Stack(app, 'Network');
      const vpc = isolatedVpc(network);
      const stack = new Stack(app, 'Payments');
      table(stack).grantReadData(isolatedHandler(stack, 'Scorer', vpc));
      const routeTableIds = vpc.isolatedSubnets.map(subnet => subnet.routeTable.routeTableId);
      new ec2.CfnVPCEndpoint(stack, 'DynamoDb', {
        vpcId: vpc.vpcId, serviceName: Fn.sub('com.amazonaws.${AWS::Region}.dynamodb'), routeTableIds: tables === 'all' ? routeTableIds : routeTableIds.slice(0, 1),
      });
      return c17(app);
    };
    expect(build('all')).toEqual([]);
    const findings = build('first');
    expect(lines(findings)).toEqual([`${C17} Payments/Scorer/Resource`]);
    expect(findings[0].message).toMatch(/its dynamodb gateway endpoint DynamoDb is not on route table VpcisolatedSubnet2RouteTable[0-9A-F]{8} in Network of those subnets/);
  });

  test('does not judge a VPC of another stack when its id or route tables leave the app: a named export, a custom resource', () => {
    const build = (leave: (network: Stack, vpc: ec2.Vpc) => void) => {
      const app = testApp();
      const network = new Stack(app, 'Network');
      const vpc = isolatedVpc(network);
      const stack = new Stack(app, 'Payments');
      new sqs.Queue(stack, 'Review').grantSendMessages(isolatedHandler(stack, 'Scorer', vpc));
      leave(network, vpc);
      return c17(app).length;
    };
    expect(build(() => undefined)).toBe(1);
    // What only reads the VPC (its CIDR, its default security group) changes nothing.
    expect(build(network => new CfnOutput(network, 'Cidr', { value: Fn.getAtt('Vpc8378EB38', 'CidrBlock').toString(), exportName: 'NetworkCidr' }))).toBe(1);
    expect(build((network, vpc) => new CfnOutput(network, 'VpcId', { value: vpc.vpcId, exportName: 'SharedVpcId' }))).toBe(0);
    expect(build((network, vpc) => new CfnOutput(new Stack(network.node.scope as App, 'Reader'), 'Tables', { value: Fn.join(',', vpc.isolatedSubnets.map(s => s.routeTable.routeTableId)) }))).toBe(0);
    expect(build((network, vpc) => new CustomResource(new Stack(network.node.scope as App, 'Peering'), 'AddsRoutes', {
      serviceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:routes', properties: { VpcId: vpc.vpcId },
    }))).toBe(0);
  });

  test('judges an included template: the VPC with an Fn::Sub SQS endpoint passes, the one without fails', () => {
    const { app, stack } = shop();
    new cfninc.CfnInclude(stack, 'Legacy', { templateFile: path.join(__dirname, '..', 'fixtures', 'included-private-functions.json') });
    const findings = c17(app);
    expect(lines(findings)).toEqual([`${C17} Shop/Legacy/Reviewer`]);
    expect(findings[0].message).toContain('AWS::EC2::VPC ReviewVpc');
  });

  test('passes a realistic app on a default ec2.Vpc (public and private subnets with NAT) with functions granted many services', () => {
    const { app, stack } = shop();
    const vpc = new ec2.Vpc(stack, 'Vpc');
    const fn = handler(stack, 'Api', { vpc });
    new sqs.Queue(stack, 'Queue').grantSendMessages(fn);
    new sns.Topic(stack, 'Topic').grantPublish(fn);
    table(stack).grantReadWriteData(fn);
    new secretsmanager.Secret(stack, 'Secret').grantRead(fn);
    const worker = handler(stack, 'Worker', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS } });
    new kms.Key(stack, 'Key').grantDecrypt(worker);
    handler(stack, 'Outside');
    expect(c17(app)).toEqual([]);
  });

  test('does not judge unknown paths: transit gateway, peering, VPN propagation, exported ids, PrivateLink services, conditional routes', () => {
    const build = (change: (stack: Stack, net: ReturnType<typeof rawNetwork>) => void) => {
      const { app, stack } = shop();
      const net = rawNetwork(stack, 'Net');
      rawFunction(stack, 'Fn', rawRole(stack, 'Role', ['sqs:SendMessage']), [net.subnet.ref]);
      change(stack, net);
      return c17(app).length;
    };
    expect(build(() => undefined)).toBe(1);
    expect(build((stack, net) => new ec2.CfnRoute(stack, 'Tgw', { routeTableId: net.routes.ref, destinationCidrBlock: '0.0.0.0/0', transitGatewayId: 'tgw-12345678' }))).toBe(0);
    expect(build((stack, net) => {
      const other = new ec2.CfnRouteTable(stack, 'Other', { vpcId: net.vpc.ref });
      new ec2.CfnRoute(stack, 'Peering', { routeTableId: other.ref, destinationCidrBlock: '10.1.0.0/16', vpcPeeringConnectionId: 'pcx-12345678' });
    })).toBe(0);
    expect(build((stack, net) => {
      const maybeOurs = new ec2.CfnRouteTable(stack, 'MaybeOurs', { vpcId: Fn.conditionIf('Shared', net.vpc.ref, 'vpc-12345678').toString() });
      new ec2.CfnRoute(stack, 'Shared', { routeTableId: maybeOurs.ref, destinationCidrBlock: '10.1.0.0/16', transitGatewayId: 'tgw-12345678' });
    })).toBe(0);
    expect(build((stack, net) => new ec2.CfnVPNGatewayRoutePropagation(stack, 'Vpn', { routeTableIds: [net.routes.ref], vpnGatewayId: 'vgw-12345678' }))).toBe(0);
    expect(build((stack, net) => new CfnOutput(stack, 'VpcId', { value: net.vpc.ref, exportName: 'VpcId' }))).toBe(0);
    expect(build((stack, net) => new CfnOutput(stack, 'Routes', { value: net.routes.ref }))).toBe(0);
    expect(build((stack, net) => new CustomResource(stack, 'AddsRoutes', { serviceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:routes', properties: { RouteTableId: net.routes.ref } }))).toBe(0);
    expect(build((stack, net) => new CustomResource(stack, 'AfterRoutes', { serviceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:x' }).node.addDependency(net.routes))).toBe(1);
    expect(build((stack, net) => new ec2.CfnVPCEndpoint(stack, 'Proxy', { vpcId: net.vpc.ref, serviceName: 'com.amazonaws.vpce.eu-west-1.vpce-svc-0123456789abcdef0', vpcEndpointType: 'Interface' }))).toBe(0);
    expect(build((stack, net) => new ec2.CfnVPCEndpoint(stack, 'Unknown', { vpcId: net.vpc.ref, serviceName: Fn.importValue('ServiceName') }))).toBe(0);
    expect(build((stack, net) => {
      const igw = new ec2.CfnInternetGateway(stack, 'Igw');
      const route = new ec2.CfnRoute(stack, 'MaybeOut', { routeTableId: net.routes.ref, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.ref });
      route.cfnOptions.condition = new CfnCondition(stack, 'Out', { expression: Fn.conditionEquals(Fn.ref('AWS::AccountId'), '123456789012') });
    })).toBe(0);
    expect(build((stack, net) => new ec2.CfnRoute(stack, 'Partial', { routeTableId: net.routes.ref, destinationCidrBlock: '52.0.0.0/8', gatewayId: 'igw-12345678' }))).toBe(0);
    expect(build(stack => new ec2.CfnRoute(stack, 'Unplaced', { routeTableId: Fn.importValue('Routes'), destinationCidrBlock: '0.0.0.0/0', transitGatewayId: 'tgw-1' }))).toBe(0);
  });

  test('does not judge functions with an internet route, imported subnets, imported roles, wildcards, denied actions or a proxy; judges subnets on the main route table', () => {
    const { app, stack } = shop();
    const net = rawNetwork(stack, 'Net');
    const own = (id: string) => rawRole(stack, `${id}Role`, ['sqs:SendMessage']);
    const publicNet = rawNetwork(stack, 'Public');
    const igw = new ec2.CfnInternetGateway(stack, 'Igw');
    new ec2.CfnRoute(stack, 'Out', { routeTableId: publicNet.routes.ref, destinationCidrBlock: '0.0.0.0/0', gatewayId: igw.ref });
    rawFunction(stack, 'Public', own('Public'), [publicNet.subnet.ref]);
    const natNet = rawNetwork(stack, 'Nat');
    new ec2.CfnRoute(stack, 'ToNat', { routeTableId: natNet.routes.ref, destinationIpv6CidrBlock: '::/0', egressOnlyInternetGatewayId: 'eigw-12345678' });
    rawFunction(stack, 'EgressOnly', own('EgressOnly'), [natNet.subnet.ref]);
    rawFunction(stack, 'Mixed', own('Mixed'), [net.subnet.ref, 'subnet-12345678']);
    const loose = new ec2.CfnSubnet(stack, 'Loose', { vpcId: net.vpc.ref, cidrBlock: '10.0.1.0/24' });
    rawFunction(stack, 'MainTable', own('MainTable'), [loose.ref]);
    new lambda.CfnFunction(stack, 'ImportedRole', { role: 'arn:aws:iam::123456789012:role/x', code: { zipFile: 'x' }, vpcConfig: { subnetIds: [net.subnet.ref] } });
    rawFunction(stack, 'Wildcards', rawRole(stack, 'Wild', ['*', 's*:SendMessage', '*:Get*']), [net.subnet.ref]);
    const denied = rawRole(stack, 'Denied', ['sqs:SendMessage']);
    new iam.CfnPolicy(stack, 'Deny', { policyName: 'deny', roles: [denied.ref], policyDocument: { Statement: [{ Effect: 'Deny', Action: 'sqs:*', Resource: '*' }] } });
    rawFunction(stack, 'DeniedFn', denied, [net.subnet.ref]);
    const notAction = new iam.CfnRole(stack, 'NotActionRole', {
      assumeRolePolicyDocument: {}, policies: [{ policyName: 'p', policyDocument: { Statement: [{ Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }] } }],
    });
    rawFunction(stack, 'NotActionFn', notAction, [net.subnet.ref]);
    rawFunction(stack, 'Proxied', rawRole(stack, 'ProxiedRole', ['sqs:SendMessage']), [net.subnet.ref], { environment: { variables: { HTTPS_PROXY: 'http://proxy.internal:3128' } } });
    // A role two functions share, or that another service may assume, holds grants this function may never use.
    const shared = rawRole(stack, 'Shared', ['sqs:SendMessage']);
    rawFunction(stack, 'SharingA', shared, [net.subnet.ref]);
    rawFunction(stack, 'SharingB', shared, [net.subnet.ref]);
    const workflowRole = rawRole(stack, 'WorkflowRole', ['sqs:SendMessage']);
    workflowRole.assumeRolePolicyDocument = { Statement: [{ Effect: 'Allow', Principal: { Service: ['lambda.amazonaws.com', 'states.amazonaws.com'] }, Action: 'sts:AssumeRole' }] };
    rawFunction(stack, 'WithWorkflow', workflowRole, [net.subnet.ref]);
    rawFunction(stack, 'OddConfig', rawRole(stack, 'OddRole', ['sqs:SendMessage']), [net.subnet.ref]).addPropertyOverride('VpcConfig', { 'Fn::If': ['C', {}, {}] });
    rawFunction(stack, 'Judged', rawRole(stack, 'JudgedRole', ['sqs:SendMessage']), [net.subnet.ref]);
    expect(lines(c17(app))).toEqual([`${C17} Shop/Judged`, `${C17} Shop/MainTable`]);
  });

  describe('on the library\'s FintechVpc and TracedFunction', () => {
    const entry = path.join(__dirname, '..', '..', 'compute', 'fixtures', 'echo.ts');
    const ids = [C17, GatewayEndpointPolicy.INFO.id];

    test('reports none of the C17 endpoint rules on a FintechVpc without internet access and TracedFunctions granted its endpoints, in either stage', () => {
      for (const stageName of ['dev', 'prod'] as const) {
        const app = testApp();
        const stack = stackIn(app, stageName);
        const vpc = new FintechVpc(stack, 'Network', { internetAccess: false, endpoints: ['sqs', 'sns', 'dynamodb', 's3', 'kms'] });
        const scorer = new TracedFunction(stack, 'Scorer', { entry, vpc });
        const merchants = new SecureTable(stack, 'Merchants', { partitionKey: { name: 'merchant', type: dynamodb.AttributeType.STRING }, stream: true });
        merchants.grantReadWriteData(scorer);
        const review = new SecureQueue(stack, 'Review');
        review.grantSendMessages(scorer);
        new SecureTopic(stack, 'Alerts').grantPublish(scorer);
        const reviewer = new TracedFunction(stack, 'Reviewer', { entry, vpc });
        reviewer.addSqsEventSource(review);
        merchants.addStreamConsumer(new TracedFunction(stack, 'Auditor', { entry, vpc }));
        expect(findingsOf(app, ids)).toEqual([]);
      }
    });

    test('reports the function a FintechVpc lacks an endpoint for (a plain lambda.Function: TracedFunction would fail its own synth check first)', () => {
      const app = testApp();
      const stack = stackIn(app, 'prod');
      const vpc = new FintechVpc(stack, 'Network', { internetAccess: false, endpoints: ['sqs', 'dynamodb'] });
      const fn = handler(stack, 'Scorer', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
      new SecureQueue(stack, 'Review').grantSendMessages(fn);
      new SecureTopic(stack, 'Alerts').grantPublish(fn);
      const findings = findingsOf(app, ids);
      expect(lines(findings)).toEqual([`${C17} prod/Workload/Scorer/Resource`]);
      expect(findings[0].message).toMatch(/is granted sns:Publish \(AWS::IAM::Policy ScorerServiceRoleDefaultPolicy[0-9A-F]{8}\), but the VPC has no sns endpoint/);
    });
  });
});
