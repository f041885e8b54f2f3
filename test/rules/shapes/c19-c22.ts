import { CfnParameter, Duration, Fn } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { ShapeCase, shared } from '../rule-shapes';

/** How `restApi` builds its API. */
interface RestApiOptions {
  /** Throttle every method of the stage; default true. */
  readonly throttled?: boolean;
  /** Where the stage writes access logs; default a new log group kept a year. */
  readonly logGroup?: logs.ILogGroup;
  /** Default 'v1'. */
  readonly stageName?: string;
  readonly restApiName?: string;
}

/** A REST API with one mock `GET /` method, its stage throttled and logging unless told otherwise. */
function restApi(scope: Construct, id: string, options: RestApiOptions = {}): apigateway.RestApi {
  const { throttled = true, stageName = 'v1' } = options;
  const logGroup = options.logGroup ?? new logs.LogGroup(scope, `${id}AccessLogs`, { retention: logs.RetentionDays.ONE_YEAR });
  const api = new apigateway.RestApi(scope, id, {
    restApiName: options.restApiName,
    cloudWatchRole: false,
    deployOptions: {
      stageName,
      accessLogDestination: new apigateway.LogGroupLogDestination(logGroup),
      accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
      ...(throttled ? { throttlingRateLimit: 100, throttlingBurstLimit: 200 } : {}),
    },
  });
  api.root.addMethod('GET', new apigateway.MockIntegration({
    requestTemplates: { 'application/json': '{"statusCode": 200}' },
    integrationResponses: [{ statusCode: '200' }],
  }), { methodResponses: [{ statusCode: '200' }] });
  return api;
}

const VISIBILITY = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({
  cloudWatchMetricsEnabled: true,
  metricName,
  sampledRequestsEnabled: true,
});

/** AWS's common rule set, as the first rule of a web ACL. */
const COMMON_RULES: wafv2.CfnWebACL.RuleProperty = {
  name: 'common',
  priority: 0,
  overrideAction: { none: {} },
  statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
  visibilityConfig: VISIBILITY('common'),
};

/** A per-IP rate-based rule blocking above `limit` requests per `window` seconds. */
function rateRule(limit: number, window = 300): wafv2.CfnWebACL.RuleProperty {
  return {
    name: 'per-ip',
    priority: 1,
    action: { block: {} },
    statement: { rateBasedStatement: { limit, evaluationWindowSec: window, aggregateKeyType: 'IP' } },
    visibilityConfig: VISIBILITY('per-ip'),
  };
}

/** A regional web ACL allowing by default, with the given rules. */
function webAcl(scope: Construct, id: string, rules: wafv2.CfnWebACL.RuleProperty[]): wafv2.CfnWebACL {
  return new wafv2.CfnWebACL(scope, id, { scope: 'REGIONAL', defaultAction: { allow: {} }, visibilityConfig: VISIBILITY(id), rules });
}

/** A REST API of the case's stack, and the web ACL of the shared security stack associated there with the ARN `arnOf` gives. */
function sharedFirewall(scope: Construct, arnOf: (api: apigateway.RestApi) => string): void {
  const api = restApi(scope, 'Payments');
  const acl = webAcl(shared(scope), 'EdgeFirewall', [COMMON_RULES, rateRule(3000)]);
  new wafv2.CfnWebACLAssociation(shared(scope), 'EdgeFirewallAssociation', { resourceArn: arnOf(api), webAclArn: acl.attrArn });
}

/** The shared VPC of the account, imported by its ids (no lookup). */
function sharedVpc(scope: Construct): ec2.IVpc {
  return ec2.Vpc.fromVpcAttributes(scope, 'SharedVpc', {
    vpcId: 'vpc-0a1b2c3d4e5f60718',
    availabilityZones: ['eu-west-1a', 'eu-west-1b'],
    privateSubnetIds: ['subnet-0a1b2c3d4e5f60718', 'subnet-1a1b2c3d4e5f60718'],
  });
}

/** A Fargate service running one web container, built with the given settings. */
function fargateService(scope: Construct, options: { circuitBreaker?: boolean; healthCheck?: boolean } = {}): ecs.FargateService {
  const cluster = new ecs.Cluster(scope, 'Cluster', { vpc: sharedVpc(scope), containerInsightsV2: ecs.ContainerInsights.ENHANCED });
  const task = new ecs.FargateTaskDefinition(scope, 'Task', { cpu: 256, memoryLimitMiB: 512 });
  task.addContainer('web', {
    image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:1.27'),
    portMappings: [{ containerPort: 80 }],
    logging: ecs.LogDrivers.awsLogs({ streamPrefix: 'web', logGroup: new logs.LogGroup(scope, 'WebLogs', { retention: logs.RetentionDays.ONE_YEAR }) }),
    ...(options.healthCheck ?? true ? { healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] } } : {}),
  });
  return new ecs.FargateService(scope, 'Payments', {
    cluster,
    taskDefinition: task,
    desiredCount: 2,
    ...(options.circuitBreaker ?? true ? { circuitBreaker: { enable: true, rollback: true } } : {}),
  });
}

/** An L1 Fargate service registered in a target group of the shared load balancer, with or without a grace period. */
function serviceBehindSharedAlb(scope: Construct, gracePeriodSeconds?: number): void {
  const cluster = new ecs.CfnCluster(scope, 'Cluster', { clusterSettings: [{ name: 'containerInsights', value: 'enhanced' }] });
  const task = new ecs.CfnTaskDefinition(scope, 'Task', {
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    containerDefinitions: [{
      name: 'web',
      image: 'public.ecr.aws/nginx/nginx:1.27',
      essential: true,
      portMappings: [{ containerPort: 80 }],
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'] },
    }],
  });
  new ecs.CfnService(scope, 'Service', {
    cluster: cluster.ref,
    taskDefinition: task.ref,
    launchType: 'FARGATE',
    desiredCount: 2,
    deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: true } },
    networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-0a1b2c3d4e5f60718', 'subnet-1a1b2c3d4e5f60718'] } },
    loadBalancers: [{
      containerName: 'web',
      containerPort: 80,
      targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/payments-web/0123456789abcdef',
    }],
    ...(gracePeriodSeconds === undefined ? {} : { healthCheckGracePeriodSeconds: gracePeriodSeconds }),
  });
}

/** A function from inline code, sized and logging to its own log group unless told otherwise. */
function inlineFunction(scope: Construct, id: string, options: { sized?: boolean; logGroup?: boolean } = {}): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
    ...(options.sized ?? true ? { memorySize: 512, timeout: Duration.seconds(10) } : {}),
    ...(options.logGroup ?? true ? { logGroup: new logs.LogGroup(scope, `${id}Logs`, { retention: logs.RetentionDays.ONE_YEAR }) } : {}),
  });
}

/** A CloudFront distribution in front of the payments site, with or without a web ACL and access logs. */
function distribution(scope: Construct, options: { webAcl?: boolean; logs?: boolean }): void {
  const logBucket = options.logs
    ? new s3.Bucket(scope, 'EdgeLogs', { objectOwnership: s3.ObjectOwnership.OBJECT_WRITER, enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL })
    : undefined;
  new cloudfront.Distribution(scope, 'Edge', {
    defaultBehavior: { origin: new origins.HttpOrigin('pay.example.com'), viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS },
    minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
    ...(options.webAcl ? { webAclId: 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9' } : {}),
    ...(logBucket ? { enableLogging: true, logBucket, logFilePrefix: 'edge/' } : {}),
  });
}

/** An HTTP API whose explicit stage is throttled and writes access logs unless told otherwise (L2). */
function httpApi(scope: Construct, options: { accessLogs: boolean }): void {
  const api = new apigatewayv2.HttpApi(scope, 'Partners', { createDefaultStage: false });
  new apigatewayv2.HttpStage(scope, 'Live', {
    httpApi: api,
    stageName: 'live',
    autoDeploy: true,
    throttle: { rateLimit: 100, burstLimit: 200 },
    ...(options.accessLogs ? {
      accessLogSettings: {
        destination: new apigatewayv2.LogGroupLogDestination(new logs.LogGroup(scope, 'LiveAccessLogs', { retention: logs.RetentionDays.ONE_YEAR })),
      },
    } : {}),
  });
}

/** A raw WebSocket API stage writing access logs, throttled unless told otherwise (L1). */
function webSocketStage(scope: Construct, throttled: boolean): void {
  const api = new apigatewayv2.CfnApi(scope, 'Quotes', { name: 'quotes', protocolType: 'WEBSOCKET', routeSelectionExpression: '$request.body.action' });
  const logGroup = new logs.CfnLogGroup(scope, 'QuotesAccessLogs', { retentionInDays: 365 });
  new apigatewayv2.CfnStage(scope, 'QuotesStage', {
    apiId: api.ref,
    stageName: 'live',
    autoDeploy: true,
    accessLogSettings: { destinationArn: logGroup.attrArn, format: '$context.requestId $context.routeKey $context.status' },
    defaultRouteSettings: throttled ? { throttlingRateLimit: 50, throttlingBurstLimit: 100 } : { dataTraceEnabled: false },
  });
}

/**
 * A raw REST API for one mock method, in `apiIn` (by default the case's own stack), deployed from the case's stack: with
 * `explicitStage` through a stage of its own (logs, throttling), otherwise only through the stage its deployment's
 * StageName creates; `implicitStage` keeps that StageName beside an explicit stage.
 */
function rawRestApi(scope: Construct, { explicitStage, implicitStage = !explicitStage, apiIn = scope }: {
  readonly explicitStage: boolean; readonly implicitStage?: boolean; readonly apiIn?: Construct;
}): void {
  const api = new apigateway.CfnRestApi(apiIn, 'Ledger', { name: 'ledger', endpointConfiguration: { types: ['REGIONAL'] } });
  const method = new apigateway.CfnMethod(apiIn, 'LedgerGet', {
    restApiId: api.ref,
    resourceId: api.attrRootResourceId,
    httpMethod: 'GET',
    authorizationType: 'AWS_IAM',
    integration: { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
  });
  const deployment = new apigateway.CfnDeployment(scope, 'LedgerDeployment', { restApiId: api.ref, ...(implicitStage ? { stageName: 'v1' } : {}) });
  deployment.addDependency(method);
  if (!explicitStage) return;
  const logGroup = new logs.CfnLogGroup(scope, 'LedgerAccessLogs', { retentionInDays: 365 });
  new apigateway.CfnStage(scope, 'LedgerStage', {
    restApiId: api.ref,
    deploymentId: deployment.ref,
    stageName: implicitStage ? 'live' : 'v1',
    accessLogSetting: { destinationArn: logGroup.attrArn, format: '$context.requestId' },
    methodSettings: [{ resourcePath: '/*', httpMethod: '*', throttlingRateLimit: 100, throttlingBurstLimit: 200 }],
  });
}

/** A raw REST API stage for one mock method, with or without access logs (L1). */
function rawRestApiStage(scope: Construct, accessLogs: boolean): void {
  const api = new apigateway.CfnRestApi(scope, 'Refunds', { name: 'refunds', endpointConfiguration: { types: ['REGIONAL'] } });
  const method = new apigateway.CfnMethod(scope, 'RefundsGet', {
    restApiId: api.ref,
    resourceId: api.attrRootResourceId,
    httpMethod: 'GET',
    authorizationType: 'AWS_IAM',
    integration: { type: 'MOCK', requestTemplates: { 'application/json': '{"statusCode": 200}' } },
  });
  const deployment = new apigateway.CfnDeployment(scope, 'RefundsDeployment', { restApiId: api.ref });
  deployment.addDependency(method);
  const logGroup = accessLogs ? new logs.CfnLogGroup(scope, 'RefundsAccessLogs', { retentionInDays: 365 }) : undefined;
  new apigateway.CfnStage(scope, 'RefundsStage', {
    restApiId: api.ref,
    deploymentId: deployment.ref,
    stageName: 'v1',
    methodSettings: [{ resourcePath: '/*', httpMethod: '*', throttlingRateLimit: 100, throttlingBurstLimit: 200 }],
    ...(logGroup ? { accessLogSetting: { destinationArn: logGroup.attrArn, format: '$context.requestId' } } : {}),
  });
}

/** A bucket whose server access logs go to an audit bucket that archives them to GLACIER after `archiveAfterDays`. */
/** A raw GraphQL API behind Cognito: logging (a role of the account), X-Ray on, associated with a web ACL; `without` leaves one out. */
function graphqlApi(scope: Construct, without?: 'logs' | 'tracing' | 'webAcl'): void {
  const api = new appsync.CfnGraphQLApi(scope, 'Banking', {
    name: 'banking',
    authenticationType: 'AMAZON_COGNITO_USER_POOLS',
    userPoolConfig: { userPoolId: 'eu-west-1_abcdefghi', awsRegion: 'eu-west-1', defaultAction: 'ALLOW' },
    xrayEnabled: without !== 'tracing',
    logConfig: without === 'logs' ? undefined : { cloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/appsync-logs', fieldLogLevel: 'ERROR' },
  });
  if (without !== 'webAcl') {
    new wafv2.CfnWebACLAssociation(scope, 'BankingFirewallAssociation', { resourceArn: api.attrArn, webAclArn: webAcl(scope, 'BankingFirewall', [COMMON_RULES, rateRule(3000)]).attrArn });
  }
}

function eventApi(scope: Construct, logged: boolean): void {
  const iam = [{ authType: 'AWS_IAM' }];
  new appsync.CfnApi(scope, 'Notifications', {
    name: 'notifications',
    eventConfig: {
      authProviders: iam,
      connectionAuthModes: iam,
      defaultPublishAuthModes: iam,
      defaultSubscribeAuthModes: iam,
      logConfig: logged ? { cloudWatchLogsRoleArn: 'arn:aws:iam::123456789012:role/appsync-logs', logLevel: 'ERROR' } : undefined,
    },
  });
}

function accessLoggedBucket(scope: Construct, archiveAfterDays: number): void {
  const auditLogs = new s3.Bucket(scope, 'AuditLogs', {
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    lifecycleRules: [{
      id: 'archive',
      transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(archiveAfterDays) }],
      expiration: Duration.days(400),
    }],
  });
  new s3.Bucket(scope, 'Statements', {
    enforceSSL: true,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    serverAccessLogsBucket: auditLogs,
    serverAccessLogsPrefix: 'statements/',
  });
}

export const CASES: ShapeCase[] = [
  {
    ruleId: 'Fintech-C19-StageWithoutWebAcl',
    title: 'a REST API stage no web ACL is associated with',
    fail: scope => {
      restApi(scope, 'Payments');
      webAcl(scope, 'PaymentsFirewall', [COMMON_RULES, rateRule(3000)]);
    },
    at: ['PaymentsDeploymentStagev1'],
    pass: scope => {
      const api = restApi(scope, 'Payments');
      const acl = webAcl(scope, 'PaymentsFirewall', [COMMON_RULES, rateRule(3000)]);
      new wafv2.CfnWebACLAssociation(scope, 'PaymentsFirewallAssociation', { resourceArn: api.deploymentStage.stageArn, webAclArn: acl.attrArn });
    },
  },
  {
    ruleId: 'Fintech-C19-StageWithoutWebAcl',
    title: 'a REST API stage the shared security stack\'s web ACL is associated with by a mistyped stage name',
    fail: scope => { sharedFirewall(scope, api => Fn.sub('arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${Id}/stages/v2', { Id: api.restApiId })); },
    at: ['PaymentsDeploymentStagev1'],
    pass: scope => { sharedFirewall(scope, api => api.deploymentStage.stageArn); },
  },
  {
    ruleId: 'Fintech-C19-GraphqlApiWithoutWebAcl',
    title: 'a public GraphQL API no web ACL is associated with',
    fail: scope => { graphqlApi(scope, 'webAcl'); },
    at: ['Banking'],
    pass: scope => { graphqlApi(scope); },
  },
  {
    ruleId: 'Fintech-C19-GraphqlApiWithoutLogs',
    title: 'a GraphQL API without request logs',
    fail: scope => { graphqlApi(scope, 'logs'); },
    at: ['Banking'],
    pass: scope => { graphqlApi(scope); },
  },
  {
    ruleId: 'Fintech-C19-EventApiWithoutLogs',
    title: 'an AppSync Events API without request logs',
    fail: scope => { eventApi(scope, false); },
    at: ['Notifications'],
    pass: scope => { eventApi(scope, true); },
  },
  {
    ruleId: 'Fintech-C19-WebAclWithoutRules',
    title: 'a web ACL without rules',
    fail: scope => { webAcl(scope, 'Firewall', []); },
    at: ['Firewall'],
    pass: scope => { webAcl(scope, 'Firewall', [COMMON_RULES, rateRule(3000)]); },
  },
  {
    ruleId: 'Fintech-C19-WebAclWithoutRateRule',
    title: 'a web ACL with managed rules but no rate-based rule',
    fail: scope => { webAcl(scope, 'Firewall', [COMMON_RULES]); },
    at: ['Firewall'],
    pass: scope => { webAcl(scope, 'Firewall', [COMMON_RULES, rateRule(3000)]); },
  },
  {
    ruleId: 'Fintech-C19-RateRuleOutOfBounds',
    title: 'a rate-based rule whose limit is a per-second figure never multiplied by the window',
    fail: scope => { webAcl(scope, 'Firewall', [COMMON_RULES, rateRule(5, 60)]); },
    at: ['Firewall'],
    pass: scope => { webAcl(scope, 'Firewall', [COMMON_RULES, rateRule(5 * 60, 60)]); },
  },
  {
    ruleId: 'Fintech-C19-StageWithoutThrottling',
    title: 'a REST API stage without default method throttling',
    fail: scope => { restApi(scope, 'Payments', { throttled: false }); },
    at: ['PaymentsDeploymentStagev1'],
    pass: scope => { restApi(scope, 'Payments'); },
  },
  {
    ruleId: 'Fintech-C19-StageWithoutAccessLogs',
    title: 'a raw REST API stage without access logs',
    fail: scope => { rawRestApiStage(scope, false); },
    at: ['RefundsStage'],
    pass: scope => { rawRestApiStage(scope, true); },
  },
  {
    ruleId: 'Fintech-C19-StageNameHardCoded',
    title: 'a REST API left on CDK\'s default stage name "prod" in stage "dev"',
    props: { stage: 'dev' },
    fail: scope => { restApi(scope, 'Payments', { restApiName: 'payments-dev', stageName: 'prod' }); },
    at: ['PaymentsDeploymentStageprod'],
    pass: scope => { restApi(scope, 'Payments', { restApiName: 'payments-dev', stageName: 'dev' }); },
  },
  {
    ruleId: 'Fintech-C19-RestApiWithoutExplicitStage',
    title: 'a raw REST API served only by the stage its deployment creates from StageName',
    fail: scope => { rawRestApi(scope, { explicitStage: false }); },
    at: ['Ledger'],
    pass: scope => { rawRestApi(scope, { explicitStage: true }); },
  },
  {
    ruleId: 'Fintech-C19-RestApiWithoutExplicitStage',
    title: 'a raw REST API of the shared stack, deployed with StageName from another stack, which may also declare its stage',
    fail: scope => { rawRestApi(scope, { explicitStage: false, apiIn: shared(scope) }); },
    at: ['Ledger'],
    pass: scope => { rawRestApi(scope, { explicitStage: true, implicitStage: true, apiIn: shared(scope) }); },
  },
  {
    ruleId: 'Fintech-C19-HttpApiStageWithoutAccessLogs',
    title: 'an HTTP API stage without access logs',
    fail: scope => { httpApi(scope, { accessLogs: false }); },
    at: ['Live'],
    pass: scope => { httpApi(scope, { accessLogs: true }); },
  },
  {
    ruleId: 'Fintech-C19-HttpApiStageWithoutThrottling',
    title: 'a raw WebSocket API stage without default route throttling',
    fail: scope => { webSocketStage(scope, false); },
    at: ['QuotesStage'],
    pass: scope => { webSocketStage(scope, true); },
  },
  {
    ruleId: 'Fintech-C19-DistributionWithoutWebAcl',
    title: 'a CloudFront distribution without a web ACL',
    fail: scope => { distribution(scope, { webAcl: false, logs: true }); },
    at: ['Edge'],
    pass: scope => { distribution(scope, { webAcl: true, logs: true }); },
  },
  {
    ruleId: 'Fintech-C19-DistributionWithoutAccessLogs',
    title: 'a CloudFront distribution without access logs',
    fail: scope => { distribution(scope, { webAcl: true, logs: false }); },
    at: ['Edge'],
    pass: scope => { distribution(scope, { webAcl: true, logs: true }); },
  },
  {
    ruleId: 'Fintech-C20-LogGroupWithoutRetention',
    title: 'a log group told to keep its events forever',
    fail: scope => { new logs.LogGroup(scope, 'Settlements', { retention: logs.RetentionDays.INFINITE }); },
    at: ['Settlements'],
    pass: scope => { new logs.LogGroup(scope, 'Settlements', { retention: logs.RetentionDays.ONE_YEAR }); },
  },
  {
    ruleId: 'Fintech-C20-AuditLogHistoryTooShort',
    title: 'REST API access logs kept three months in a durable stage',
    durable: true,
    fail: scope => { restApi(scope, 'Payments', { logGroup: new logs.LogGroup(scope, 'AccessLogs', { retention: logs.RetentionDays.THREE_MONTHS }) }); },
    at: ['AccessLogs'],
    pass: scope => { restApi(scope, 'Payments', { logGroup: new logs.LogGroup(scope, 'AccessLogs', { retention: logs.RetentionDays.ONE_YEAR }) }); },
  },
  {
    ruleId: 'Fintech-C20-AuditLogsArchivedEarly',
    title: 'S3 server access logs moved to GLACIER after a month in a durable stage',
    durable: true,
    fail: scope => { accessLoggedBucket(scope, 30); },
    at: ['AuditLogs'],
    pass: scope => { accessLoggedBucket(scope, 90); },
  },
  {
    ruleId: 'Fintech-C20-ImageWithoutAsset',
    title: 'a container image function running an image by tag',
    fail: scope => {
      new lambda.DockerImageFunction(scope, 'Scorer', {
        code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(scope, 'ScorerImages', 'risk-scorer'), { tagOrDigest: 'v1.4.2' }),
        memorySize: 1024,
        timeout: Duration.seconds(30),
      });
    },
    at: ['Scorer'],
    pass: scope => {
      new lambda.DockerImageFunction(scope, 'Scorer', {
        code: lambda.DockerImageCode.fromEcr(ecr.Repository.fromRepositoryName(scope, 'ScorerImages', 'risk-scorer'), {
          tagOrDigest: 'sha256:4f0c1a8e3b6d2f5a7c9e1b3d5f7a9c1e3b5d7f9a1c3e5b7d9f1a3c5e7b9d1f3a',
        }),
        memorySize: 1024,
        timeout: Duration.seconds(30),
      });
    },
  },
  {
    ruleId: 'Fintech-C20-FunctionWithoutLogGroup',
    title: 'a function logging to the log group Lambda creates itself',
    fail: scope => { inlineFunction(scope, 'Notifier', { logGroup: false }); },
    at: ['Notifier'],
    pass: scope => { inlineFunction(scope, 'Notifier'); },
  },
  {
    ruleId: 'Fintech-C20-FunctionWithDefaultSizing',
    title: 'a function left at Lambda\'s default memory size and timeout',
    fail: scope => { inlineFunction(scope, 'Notifier', { sized: false }); },
    at: ['Notifier'],
    pass: scope => { inlineFunction(scope, 'Notifier'); },
  },
  {
    ruleId: 'Fintech-C21-ServiceWithoutCircuitBreaker',
    title: 'a Fargate service without the deployment circuit breaker',
    fail: scope => { fargateService(scope, { circuitBreaker: false }); },
    at: ['PaymentsService'],
    pass: scope => { fargateService(scope); },
  },
  {
    ruleId: 'Fintech-C21-ServiceWithoutGracePeriod',
    title: 'a raw ECS service behind a load balancer without a health check grace period',
    fail: scope => { serviceBehindSharedAlb(scope); },
    at: ['Service'],
    pass: scope => { serviceBehindSharedAlb(scope, 60); },
  },
  {
    ruleId: 'Fintech-C21-ContainerWithoutHealthCheck',
    title: 'a Fargate service whose essential container has no health check',
    fail: scope => { fargateService(scope, { healthCheck: false }); },
    at: ['PaymentsService'],
    pass: scope => { fargateService(scope); },
  },
  {
    ruleId: 'Fintech-C21-ClusterWithoutContainerInsights',
    title: 'an ECS cluster without Container Insights',
    fail: scope => { new ecs.Cluster(scope, 'Cluster', { vpc: sharedVpc(scope) }); },
    at: ['Cluster'],
    pass: scope => { new ecs.Cluster(scope, 'Cluster', { vpc: sharedVpc(scope), containerInsightsV2: ecs.ContainerInsights.ENHANCED }); },
  },
  {
    ruleId: 'Fintech-C22-UnvalidatedParameter',
    title: 'a free-text String parameter',
    fail: scope => {
      const email = new CfnParameter(scope, 'AlertEmail', { type: 'String', default: 'payments-oncall@example.com' });
      new sns.Topic(scope, 'Alerts', { enforceSSL: true }).addSubscription(new subscriptions.EmailSubscription(email.valueAsString));
    },
    at: ['AlertEmail'],
    pass: scope => {
      const email = new CfnParameter(scope, 'AlertEmail', { type: 'String', default: 'payments-oncall@example.com', allowedPattern: '^[^@\\s]+@example\\.com$' });
      new sns.Topic(scope, 'Alerts', { enforceSSL: true }).addSubscription(new subscriptions.EmailSubscription(email.valueAsString));
    },
  },
  {
    ruleId: 'Fintech-C22-MissingReference',
    title: 'a hand-written Ref to a bucket by a logical id it does not have',
    fail: scope => {
      new s3.Bucket(scope, 'Archive', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
      new ssm.CfnParameter(scope, 'ArchiveBucketName', { type: 'String', name: '/payments/archive-bucket', value: Fn.ref('Archive') });
    },
    at: ['ArchiveBucketName'],
    includeRefuses: /Element used in Ref expression with logical ID: 'Archive' not found/,
    pass: scope => {
      const bucket = new s3.Bucket(scope, 'Archive', { enforceSSL: true, blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL });
      new ssm.CfnParameter(scope, 'ArchiveBucketName', { type: 'String', name: '/payments/archive-bucket', value: bucket.bucketName });
    },
  },
];
