import { App, ArnFormat, CfnCondition, CfnParameter, Duration, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { ProtectedRestApi } from '../../../src/api/protected-rest-api';
import { FintechVpc } from '../../../src/network/fintech-vpc';
import { AuditLogHistory } from '../../../src/rules/logs/audit-log-history';
import { stackIn } from '../../support/fintech-fixture';
import { findingsOf, lines, shop, testApp } from '../rule-harness';

const SHORT = AuditLogHistory.HISTORY_TOO_SHORT.id;
const EARLY = AuditLogHistory.ARCHIVED_EARLY.id;

function audit(app: App, stage = 'prod') {
  return findingsOf(app, [SHORT, EARLY], { stage });
}

/** A REST API whose stage writes access logs to `logGroup`. */
function restApi(stack: Stack, id: string, logGroup: logs.ILogGroup) {
  const api = new apigateway.RestApi(stack, id, {
    cloudWatchRole: false,
    deployOptions: { accessLogDestination: new apigateway.LogGroupLogDestination(logGroup), accessLogFormat: apigateway.AccessLogFormat.clf() },
  });
  api.root.addMethod('GET');
  return api;
}

/** A bucket whose server access logs go to `target` under `prefix`. */
function loggedBucket(stack: Stack, id: string, target: s3.IBucket, prefix?: string) {
  return new s3.Bucket(stack, id, { serverAccessLogsBucket: target, serverAccessLogsPrefix: prefix });
}

describe('log groups receiving audit trails', () => {
  test('fails REST API access logs kept three months and passes a year and no retention (never expires)', () => {
    const { app, stack } = shop();
    restApi(stack, 'Short', new logs.LogGroup(stack, 'ShortLogs', { retention: logs.RetentionDays.THREE_MONTHS }));
    restApi(stack, 'Year', new logs.LogGroup(stack, 'YearLogs', { retention: logs.RetentionDays.ONE_YEAR }));
    restApi(stack, 'Forever', new logs.LogGroup(stack, 'ForeverLogs', { retention: logs.RetentionDays.INFINITE }));
    const findings = audit(app);
    expect(lines(findings)).toEqual([`${SHORT} Shop/ShortLogs/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/RetentionInDays'],
      message: expect.stringMatching(/^AWS::Logs::LogGroup ShortLogs[0-9A-F]{8} keeps events 90 days \(RetentionInDays\), but it receives access logs of AWS::ApiGateway::Stage ShortDeploymentStageprod[0-9A-F]{8}, and PCI DSS 10\.5\.1 asks for at least 12 months of audit log history in durable stage "prod"\.$/),
      fix: expect.stringContaining('EncryptedLogGroup keeps a year in durable stages'),
    });
  });

  test('does not judge ephemeral stages, log groups nobody routes audit records to, nor Lambda function log groups', () => {
    const { app, stack } = shop();
    restApi(stack, 'Api', new logs.LogGroup(stack, 'ApiLogs', { retention: logs.RetentionDays.ONE_WEEK }));
    new logs.LogGroup(stack, 'Unrouted', { retention: logs.RetentionDays.ONE_DAY });
    new lambda.Function(stack, 'Handler', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
      logGroup: new logs.LogGroup(stack, 'HandlerLogs', { retention: logs.RetentionDays.ONE_MONTH }),
    });
    expect(audit(app, 'dev')).toEqual([]);
    expect(lines(audit(app, 'prod'))).toEqual([`${SHORT} Shop/ApiLogs/Resource`]);
  });

  test('judges raw HTTP API stages, Deployment stage descriptions and intrinsic retention as unknown', () => {
    const { app, stack } = shop();
    const http = new logs.CfnLogGroup(stack, 'HttpLogs', { retentionInDays: 30 });
    const httpApi = new apigatewayv2.CfnApi(stack, 'Http', { name: 'http', protocolType: 'HTTP' });
    new apigatewayv2.CfnStage(stack, 'HttpStage', { apiId: httpApi.ref, stageName: '$default', accessLogSettings: { destinationArn: http.attrArn, format: '$context.requestId' } });
    const legacy = new logs.CfnLogGroup(stack, 'LegacyLogs', { retentionInDays: 180 });
    const rest = new apigateway.CfnRestApi(stack, 'Rest', { name: 'rest' });
    new apigateway.CfnDeployment(stack, 'Deployment', { restApiId: rest.ref, stageName: 'v1', stageDescription: { accessLogSetting: { destinationArn: legacy.attrArn, format: '$context.requestId' } } });
    const long = new CfnParameter(stack, 'Long', { allowedValues: ['yes', 'no'] });
    const isLong = new CfnCondition(stack, 'IsLong', { expression: Fn.conditionEquals(long.valueAsString, 'yes') });
    const unknown = new logs.CfnLogGroup(stack, 'UnknownLogs', { retentionInDays: Fn.conditionIf(isLong.logicalId, 400, 30) as unknown as number });
    new apigatewayv2.CfnStage(stack, 'OtherStage', { apiId: httpApi.ref, stageName: 'other', accessLogSettings: { destinationArn: unknown.attrArn, format: '$context.requestId' } });
    expect(lines(audit(app))).toEqual([`${SHORT} Shop/HttpLogs`, `${SHORT} Shop/LegacyLogs`]);
  });

  test('fails VPC flow logs to a short log group, by L2 and by a raw flow log naming the group by its literal name', () => {
    const { app, stack } = shop();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    vpc.addFlowLog('Flow', { destination: ec2.FlowLogDestination.toCloudWatchLogs(new logs.LogGroup(stack, 'FlowLogs', { retention: logs.RetentionDays.ONE_MONTH })) });
    new logs.CfnLogGroup(stack, 'NamedFlowLogs', { logGroupName: 'payments-flow-logs-prod', retentionInDays: 14 });
    new ec2.CfnFlowLog(stack, 'RawFlow', {
      resourceId: vpc.vpcId, resourceType: 'VPC', trafficType: 'ALL', logGroupName: 'payments-flow-logs-prod', deliverLogsPermissionArn: 'arn:aws:iam::123456789012:role/flow',
    });
    new ec2.CfnFlowLog(stack, 'ToFirehose', {
      resourceId: vpc.vpcId, resourceType: 'VPC', trafficType: 'ALL', logDestinationType: 'kinesis-data-firehose', logDestination: 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/flows',
    });
    expect(lines(audit(app))).toEqual([`${SHORT} Shop/FlowLogs/Resource`, `${SHORT} Shop/NamedFlowLogs`]);
  });

  test('follows a WAF log destination given as an ARN string built with Fn::Join, and a literal ARN to a group of another stack', () => {
    const app = testApp();
    const logging = new Stack(app, 'Logging', { env: { account: '123456789012', region: 'eu-west-1' } });
    new logs.CfnLogGroup(logging, 'CentralWafLogs', { logGroupName: 'aws-waf-logs-central-prod', retentionInDays: 90 });
    const stack = new Stack(app, 'Edge', { env: { account: '123456789012', region: 'eu-west-1' } });
    const group = new logs.LogGroup(stack, 'WafLogs', { logGroupName: 'aws-waf-logs-payments-prod', retention: logs.RetentionDays.SIX_MONTHS });
    const acl = (id: string) => new wafv2.CfnWebACL(stack, id, {
      scope: 'REGIONAL', defaultAction: { allow: {} }, visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: id, sampledRequestsEnabled: true },
    });
    new wafv2.CfnLoggingConfiguration(stack, 'Logging', {
      resourceArn: acl('Acl').attrArn,
      logDestinationConfigs: [stack.formatArn({ service: 'logs', resource: 'log-group', arnFormat: ArnFormat.COLON_RESOURCE_NAME, resourceName: group.logGroupName })],
    });
    new wafv2.CfnLoggingConfiguration(stack, 'CentralLogging', {
      resourceArn: acl('OtherAcl').attrArn,
      logDestinationConfigs: ['arn:aws:logs:eu-west-1:123456789012:log-group:aws-waf-logs-central-prod'],
    });
    expect(lines(audit(app))).toEqual([`${SHORT} Logging/CentralWafLogs`, `${SHORT} Edge/WafLogs/Resource`].sort());
  });

  test('fails Step Functions execution history kept a week, and passes a state machine that logs nothing', () => {
    const { app, stack } = shop();
    new sfn.StateMachine(stack, 'Logged', {
      definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Step')),
      logs: { destination: new logs.LogGroup(stack, 'WorkflowLogs', { retention: logs.RetentionDays.ONE_WEEK }), level: sfn.LogLevel.ALL },
    });
    const off = new logs.CfnLogGroup(stack, 'OffLogs', { retentionInDays: 7 });
    new sfn.CfnStateMachine(stack, 'Quiet', {
      roleArn: 'arn:aws:iam::123456789012:role/sfn',
      definitionString: '{}',
      loggingConfiguration: { level: 'OFF', destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: off.attrArn } }] },
    });
    expect(lines(audit(app))).toEqual([`${SHORT} Shop/WorkflowLogs/Resource`]);
  });

  test('passes the house constructs in a durable FintechStage, and fails a ProtectedRestApi told to keep access logs three months', () => {
    const app = testApp();
    const stack = stackIn(app, 'prod');
    new FintechVpc(stack, 'Network');
    const ping = (created: ProtectedRestApi) => created.root.addResource('ping').addMethod('GET', new apigateway.MockIntegration({
      requestTemplates: { 'application/json': '{"statusCode": 200}' }, integrationResponses: [{ statusCode: '200' }],
    }), { methodResponses: [{ statusCode: '200' }] });
    ping(new ProtectedRestApi(stack, 'Payments'));
    ping(new ProtectedRestApi(stack, 'Refunds', { nameBase: 'refunds', accessLogRetention: logs.RetentionDays.THREE_MONTHS }));
    expect(lines(findingsOf(app, [SHORT, EARLY]))).toEqual([`${SHORT} prod/Workload/Refunds/AccessLogs/Resource`]);
  });

  test('does not judge a log group a subscription filter ships elsewhere', () => {
    const { app, stack } = shop();
    const group = new logs.LogGroup(stack, 'ApiLogs', { retention: logs.RetentionDays.ONE_MONTH });
    restApi(stack, 'Api', group);
    new logs.CfnSubscriptionFilter(stack, 'ToArchive', {
      logGroupName: group.logGroupName, filterPattern: '', destinationArn: 'arn:aws:firehose:eu-west-1:123456789012:deliverystream/archive',
    });
    expect(audit(app)).toEqual([]);
  });

  test('follows a log group of the parent passed into a nested stack, and one exported by another stack', () => {
    const app = testApp();
    const shared = new Stack(app, 'Shared');
    const exported = new logs.LogGroup(shared, 'ExportedLogs', { retention: logs.RetentionDays.TWO_MONTHS });
    const parent = new Stack(app, 'Parent');
    const parentLogs = new logs.LogGroup(parent, 'ParentLogs', { retention: logs.RetentionDays.FOUR_MONTHS });
    const nested = new NestedStack(parent, 'Api');
    restApi(nested, 'Nested', parentLogs);
    restApi(parent, 'Imported', exported);
    expect(lines(audit(app))).toEqual([`${SHORT} Parent/ParentLogs/Resource`, `${SHORT} Shared/ExportedLogs/Resource`]);
  });
});

describe('buckets receiving access logs', () => {
  test('fails S3 server access logs expired after 90 days or archived to GLACIER after 30; passes GLACIER_IR and GLACIER after 90', () => {
    const { app, stack } = shop();
    const expiring = new s3.Bucket(stack, 'Expiring', { lifecycleRules: [{ expiration: Duration.days(90) }] });
    const archived = new s3.Bucket(stack, 'Archived', {
      lifecycleRules: [{ id: 'archive', transitions: [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: Duration.days(30) }] }],
    });
    const kept = new s3.Bucket(stack, 'Kept', {
      lifecycleRules: [{
        expiration: Duration.days(400),
        transitions: [
          { storageClass: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(30) },
          { storageClass: s3.StorageClass.DEEP_ARCHIVE, transitionAfter: Duration.days(90) },
        ],
      }],
    });
    const unrouted = new s3.Bucket(stack, 'Unrouted', { lifecycleRules: [{ expiration: Duration.days(1) }] });
    loggedBucket(stack, 'Data1', expiring);
    loggedBucket(stack, 'Data2', archived);
    loggedBucket(stack, 'Data3', kept);
    expect(unrouted).toBeDefined();
    const findings = audit(app);
    expect(lines(findings)).toEqual([`${SHORT} Shop/Expiring/Resource`, `${EARLY} Shop/Archived/Resource`]);
    expect(findings.find(f => f.ruleId === EARLY)).toMatchObject({
      locations: ['Properties/LifecycleConfiguration/Rules/0/Transitions/0'],
      message: expect.stringMatching(/^AWS::S3::Bucket Archived[0-9A-F]{8} moves objects to GLACIER after 30 days \(lifecycle rule "archive"\), but it receives server access logs of AWS::S3::Bucket Data2[0-9A-F]{8}: objects there must be restored/),
    });
    expect(findings.find(f => f.ruleId === SHORT)).toMatchObject({ locations: ['Properties/LifecycleConfiguration/Rules/0/ExpirationInDays'] });
    expect(audit(app, 'dev')).toEqual([]);
  });

  test('judges only enabled lifecycle rules that cover the logs: prefix, tags and size filters', () => {
    const { app, stack } = shop();
    const rules: Array<[string, s3.LifecycleRule, string | undefined]> = [
      ['Disabled', { enabled: false, expiration: Duration.days(30) }, undefined],
      ['OtherPrefix', { prefix: 'exports/', expiration: Duration.days(30) }, 'access/'],
      ['SamePrefix', { prefix: 'access/', expiration: Duration.days(30) }, 'access/'],
      ['Tagged', { tagFilters: { temporary: 'true' }, expiration: Duration.days(30) }, undefined],
      ['Small', { objectSizeLessThan: 1024, expiration: Duration.days(30) }, undefined],
    ];
    for (const [id, rule, prefix] of rules) loggedBucket(stack, `${id}Source`, new s3.Bucket(stack, id, { lifecycleRules: [rule] }), prefix);
    expect(lines(audit(app))).toEqual([`${SHORT} Shop/SamePrefix/Resource`]);
  });

  test('counts noncurrent versions in a versioned bucket, and does not judge a bucket that replicates', () => {
    const { app, stack } = shop();
    const short = new s3.Bucket(stack, 'VersionedShort', { versioned: true, lifecycleRules: [{ expiration: Duration.days(200), noncurrentVersionExpiration: Duration.days(100) }] });
    const long = new s3.Bucket(stack, 'VersionedLong', { versioned: true, lifecycleRules: [{ expiration: Duration.days(200), noncurrentVersionExpiration: Duration.days(200) }] });
    const kept = new s3.Bucket(stack, 'VersionedKept', { versioned: true, lifecycleRules: [{ expiration: Duration.days(30) }] });
    const replicated = new s3.CfnBucket(stack, 'Replicated', {
      lifecycleConfiguration: { rules: [{ status: 'Enabled', expirationInDays: 30 }] },
      versioningConfiguration: { status: 'Enabled' },
      replicationConfiguration: { role: 'arn:aws:iam::123456789012:role/replication', rules: [{ status: 'Enabled', destination: { bucket: 'arn:aws:s3:::archive' } }] },
    });
    for (const [i, target] of [short, long, kept].entries()) loggedBucket(stack, `Source${i}`, target);
    new s3.CfnBucket(stack, 'Source3', { loggingConfiguration: { destinationBucketName: replicated.ref } });
    const findings = audit(app);
    expect(lines(findings)).toEqual([`${SHORT} Shop/VersionedShort/Resource`]);
    expect(findings[0].message).toContain('deletes objects after 300 days (lifecycle rule 0: ExpirationInDays 200 plus NoncurrentDays 100)');
  });

  test('fails load balancer access logs expired under their prefix, judging raw attributes too', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop', { env: { account: '123456789012', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'public', subnetType: ec2.SubnetType.PUBLIC }] });
    const albLogs = new s3.Bucket(stack, 'AlbLogs', { lifecycleRules: [{ prefix: 'alb/AWSLogs/', expiration: Duration.days(60) }] });
    new elbv2.ApplicationLoadBalancer(stack, 'Alb', { vpc, internetFacing: true }).logAccessLogs(albLogs, 'alb');
    new s3.CfnBucket(stack, 'NlbLogs', {
      bucketName: 'nlb-logs-prod',
      lifecycleConfiguration: { rules: [{ status: 'Enabled', prefix: 'other/', expirationInDays: 30 }, { status: 'Enabled', prefix: 'nlb/', expirationInDays: 100 }] },
    });
    new elbv2.CfnLoadBalancer(stack, 'Nlb', {
      type: 'network',
      subnets: vpc.publicSubnets.map(s => s.subnetId),
      loadBalancerAttributes: [
        { key: 'access_logs.s3.enabled', value: 'true' }, { key: 'access_logs.s3.bucket', value: 'nlb-logs-prod' }, { key: 'access_logs.s3.prefix', value: 'nlb' },
      ],
    });
    const findings = audit(app);
    expect(lines(findings)).toEqual([`${SHORT} Shop/AlbLogs/Resource`, `${SHORT} Shop/NlbLogs`]);
    expect(findings.find(f => f.constructPath === 'Shop/NlbLogs')?.locations).toEqual(['Properties/LifecycleConfiguration/Rules/1/ExpirationInDays']);
  });

  test('fails CloudFront standard logs and CloudTrail events, named by domain and by bucket name, and flow logs to S3 by ARN', () => {
    const { app, stack } = shop();
    new s3.CfnBucket(stack, 'CdnLogs', { bucketName: 'cdn-logs-prod', lifecycleConfiguration: { rules: [{ status: 'Enabled', expirationInDays: 60 }] } });
    new cloudfront.CfnDistribution(stack, 'Cdn', {
      distributionConfig: {
        enabled: true,
        defaultCacheBehavior: { targetOriginId: 'origin', viewerProtocolPolicy: 'https-only', cachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6' },
        origins: [{ id: 'origin', domainName: 'example.com', customOriginConfig: { originProtocolPolicy: 'https-only' } }],
        logging: { bucket: 'cdn-logs-prod.s3.amazonaws.com', prefix: 'cdn/' },
      },
    });
    const trailBucket = new s3.Bucket(stack, 'TrailBucket', { lifecycleRules: [{ expiration: Duration.days(180) }] });
    new cloudtrail.Trail(stack, 'Trail', { bucket: trailBucket, sendToCloudWatchLogs: true, cloudWatchLogsRetention: logs.RetentionDays.THREE_MONTHS });
    const flowBucket = new s3.Bucket(stack, 'FlowBucket', { lifecycleRules: [{ prefix: 'flows/', transitions: [{ storageClass: s3.StorageClass.DEEP_ARCHIVE, transitionAfter: Duration.days(60) }] }] });
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'isolated', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    vpc.addFlowLog('ToS3', { destination: ec2.FlowLogDestination.toS3(flowBucket, 'flows') });
    expect(lines(audit(app))).toEqual([
      `${SHORT} Shop/CdnLogs`,
      `${SHORT} Shop/Trail/LogGroup/Resource`,
      `${SHORT} Shop/TrailBucket/Resource`,
      `${EARLY} Shop/FlowBucket/Resource`,
    ]);
  });

  test('judges WAF logs in a bucket by whole-bucket rules only (WAF chooses the keys), and not a trail that is not logging', () => {
    const { app, stack } = shop();
    const acl = (id: string) => new wafv2.CfnWebACL(stack, id, {
      scope: 'REGIONAL', defaultAction: { allow: {} }, visibilityConfig: { cloudWatchMetricsEnabled: true, metricName: id, sampledRequestsEnabled: true },
    }).attrArn;
    const whole = new s3.Bucket(stack, 'WafWhole', { bucketName: 'aws-waf-logs-whole-prod', lifecycleRules: [{ expiration: Duration.days(30) }] });
    const prefixed = new s3.Bucket(stack, 'WafPrefixed', { bucketName: 'aws-waf-logs-prefixed-prod', lifecycleRules: [{ prefix: 'AWSLogs/', expiration: Duration.days(30) }] });
    new wafv2.CfnLoggingConfiguration(stack, 'Whole', { resourceArn: acl('AclA'), logDestinationConfigs: [whole.bucketArn] });
    new wafv2.CfnLoggingConfiguration(stack, 'Prefixed', { resourceArn: acl('AclB'), logDestinationConfigs: [prefixed.bucketArn] });
    const stopped = new s3.CfnBucket(stack, 'StoppedTrailBucket', { lifecycleConfiguration: { rules: [{ status: 'Enabled', expirationInDays: 30 }] } });
    new cloudtrail.CfnTrail(stack, 'Stopped', { isLogging: false, s3BucketName: stopped.ref });
    expect(lines(audit(app))).toEqual([`${SHORT} Shop/WafWhole/Resource`]);
  });

  test('treats intrinsic lifecycle values and an intrinsic prefix as unknown', () => {
    const { app, stack } = shop();
    const days = new CfnParameter(stack, 'Days', { type: 'Number', allowedValues: ['30', '400'] });
    const prefix = new CfnParameter(stack, 'Prefix', { allowedPattern: '[a-z/]*' });
    const target = new s3.CfnBucket(stack, 'Target', {
      lifecycleConfiguration: {
        rules: [
          { status: 'Enabled', expirationInDays: days.valueAsNumber },
          { status: 'Enabled', prefix: prefix.valueAsString, expirationInDays: 30 },
        ],
      },
    });
    new s3.CfnBucket(stack, 'Source', { loggingConfiguration: { destinationBucketName: target.ref, logFilePrefix: 'logs/' } });
    expect(audit(app)).toEqual([]);
  });
});
