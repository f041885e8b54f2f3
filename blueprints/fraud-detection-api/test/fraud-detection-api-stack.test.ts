import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import config from '../src/fintech.config.json';
import { FRAUD_METRICS, FraudDetectionApiStack, MERCHANT_INDEX } from '../src/fraud-detection-api-stack';
import { FintechPlatformConfig, FintechStage } from 'fintech-infra-template';

// The project's own team and tags, with one ephemeral and one durable stage whatever .projenrc.ts declares.
// An alert email too, so the topic's subscription is asserted whatever the project set.
const testConfig: FintechPlatformConfig = {
  ...config,
  alarmEmail: (config as FintechPlatformConfig).alarmEmail ?? 'fraud-oncall@example.com',
  environments: [
    { name: 'dev', region: 'us-east-1', durable: false },
    { name: 'prod', region: 'us-east-1', durable: true },
  ],
};

function synthFraudApi() {
  const app = new App({
    context: {
      // Unit tests never bundle handlers, and read the rule pack's report instead of failing the process.
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
  const stacks = FintechStage.fromConfig(app, testConfig).map(stage => new FraudDetectionApiStack(stage, 'FraudDetectionApi'));
  const assembly = app.synth();
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'policy-validation-report.json'), 'utf-8'));
  return { stacks, dev: Template.fromStack(stacks[0]), prod: Template.fromStack(stacks[1]), report };
}

const { stacks, dev, prod, report } = synthFraudApi();
const application = config.application;
const findings = (report.pluginReports as any[])
  .flatMap(plugin => plugin.violations.map((v: any) => `${plugin.summary.pluginName} ${v.severity} ${v.ruleName}: ${v.description} ` +
    `(${v.violatingResources.map((r: any) => `${r.templatePath} ${r.resourceLogicalId}`).join(', ')})`));

test('the rule pack finds no error and no warning in either kind of stage', () => {
  expect(findings).toEqual([]);
});

describe.each([['dev', dev], ['prod', prod]])('the %s network', (_name, template) => {
  test('has no internet gateway, no NAT gateway, no public subnet and no route out of the VPC', () => {
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::VPCGatewayAttachment', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    for (const subnet of Object.values(template.findResources('AWS::EC2::Subnet'))) expect(subnet.Properties.MapPublicIpOnLaunch).not.toBe(true);
    for (const route of Object.values(template.findResources('AWS::EC2::Route'))) {
      expect(route.Properties).not.toHaveProperty('GatewayId');
      expect(route.Properties).not.toHaveProperty('NatGatewayId');
    }
  });

  test('has exactly the endpoints the functions call: DynamoDB as a gateway on every route table, SQS and SNS as interfaces with private DNS', () => {
    const endpoints = Object.values(template.findResources('AWS::EC2::VPCEndpoint')).map(e => e.Properties);
    const serviceOf = (e: any) => JSON.stringify(e.ServiceName).match(/\.(dynamodb|sqs|sns|s3|kms|logs|xray|sts|secretsmanager)"/)?.[1];
    expect(endpoints.map(serviceOf).sort()).toEqual(['dynamodb', 'sns', 'sqs']);
    const gateway = endpoints.find(e => serviceOf(e) === 'dynamodb')!;
    expect(gateway.VpcEndpointType).toBe('Gateway');
    expect(gateway.RouteTableIds).toHaveLength(Object.keys(template.findResources('AWS::EC2::RouteTable')).length);
    expect(gateway.RouteTableIds.length).toBeGreaterThan(0);
    expect(gateway.PolicyDocument).toBeDefined();
    for (const e of endpoints.filter(x => x.VpcEndpointType === 'Interface')) {
      expect(e).toMatchObject({ PrivateDnsEnabled: true, SecurityGroupIds: [expect.anything()] });
    }
  });
});

test('both functions run in the isolated subnets, each behind its own security group with no inbound rule and HTTPS out only', () => {
  const [stack] = stacks.slice(1);
  const isolated = stack.network.isolatedSubnets.map(s => stack.resolve(s.subnetId));
  expect(isolated.length).toBeGreaterThan(0);
  for (const fn of [stack.scorer, stack.reviewer]) {
    const properties = prod.toJSON().Resources[stack.getLogicalId(fn.node.defaultChild as any)].Properties;
    expect(properties.VpcConfig.SubnetIds).toEqual(isolated);
    expect(properties.VpcConfig.SecurityGroupIds).toEqual([stack.resolve(fn.securityGroup!.securityGroupId)]);
    const group = prod.toJSON().Resources[stack.getLogicalId(fn.securityGroup!.node.defaultChild as any)].Properties;
    expect(group.SecurityGroupIngress ?? []).toEqual([]);
  }
  const egress = [
    ...Object.values(prod.findResources('AWS::EC2::SecurityGroup')).flatMap(g => g.Properties.SecurityGroupEgress ?? []),
    ...Object.values(prod.findResources('AWS::EC2::SecurityGroupEgress')).map(e => e.Properties),
  ];
  // No rule anywhere lets traffic out to the internet.
  expect(egress.filter((rule: any) => rule.CidrIp === '0.0.0.0/0' && rule.IpProtocol !== 'icmp')).toEqual([]);
  // Out: HTTPS to the interface endpoints' group (SQS, SNS), and to DynamoDB's prefix list through the gateway endpoint.
  const [scorerGroup, reviewerGroup] = [stack.scorer, stack.reviewer].map(fn => stack.resolve(fn.securityGroup!.securityGroupId));
  const resources = prod.toJSON().Resources;
  const rulesOf = (group: any) => [
    ...(resources[group['Fn::GetAtt'][0]].Properties.SecurityGroupEgress ?? []),
    ...Object.values(prod.findResources('AWS::EC2::SecurityGroupEgress')).map(e => e.Properties)
      .filter((rule: any) => JSON.stringify(rule.GroupId) === JSON.stringify(group)),
  ];
  for (const group of [scorerGroup, reviewerGroup]) {
    const own = rulesOf(group);
    expect(own.length).toBeGreaterThan(0);
    expect(own.every((rule: any) => rule.IpProtocol === 'tcp' && rule.FromPort === 443 && rule.ToPort === 443)).toBe(true);
    expect(own.some((rule: any) => rule.DestinationSecurityGroupId !== undefined)).toBe(true);
    expect(own.some((rule: any) => rule.DestinationPrefixListId !== undefined)).toBe(true);
  }
});

test('the transactions table is keyed by transaction id with a merchant/time index that carries what the score reads', () => {
  prod.hasResourceProperties('AWS::DynamoDB::Table', {
    TableName: `${application}-transactions-prod`,
    KeySchema: [{ AttributeName: 'transactionId', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{
      IndexName: MERCHANT_INDEX,
      KeySchema: [{ AttributeName: 'merchantId', KeyType: 'HASH' }, { AttributeName: 'timestamp', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['amount', 'currency', 'country'] },
    }],
    SSESpecification: Match.objectLike({ SSEEnabled: true, SSEType: 'KMS' }),
    DeletionProtectionEnabled: true,
  });
});

test('POST /transactions goes through a stage named after the environment, with tracing, behind WAF with a rate rule', () => {
  prod.hasResourceProperties('AWS::ApiGateway::Method', { HttpMethod: 'POST', Integration: { Type: 'AWS_PROXY' } });
  prod.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'prod', TracingEnabled: true, AccessLogSetting: Match.objectLike({ DestinationArn: Match.anyValue() }) });
  dev.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'dev' });
  prod.hasResourceProperties('AWS::WAFv2::WebACL', {
    Rules: Match.arrayWith([Match.objectLike({ Statement: { RateBasedStatement: Match.objectLike({ Limit: 1200, EvaluationWindowSec: 60 }) } })]),
  });
  prod.resourceCountIs('AWS::WAFv2::WebACLAssociation', 1);
});

test('the scorer gets what its handler reads; high-risk results go to an email-subscribed topic and a review queue with a DLQ', () => {
  prod.hasResourceProperties('AWS::Lambda::Function', {
    FunctionName: `${application}-fraud-scorer-prod`,
    TracingConfig: { Mode: 'Active' },
    Environment: {
      Variables: Match.objectLike({
        STAGE_NAME: 'prod',
        TRANSACTIONS_TABLE_NAME: Match.anyValue(),
        MERCHANT_INDEX_NAME: MERCHANT_INDEX,
        ALERT_TOPIC_ARN: Match.anyValue(),
        REVIEW_QUEUE_URL: Match.anyValue(),
        POWERTOOLS_SERVICE_NAME: 'fraud-detection',
        POWERTOOLS_METRICS_NAMESPACE: application,
      }),
    },
  });
  prod.hasResourceProperties('AWS::SNS::Topic', { TopicName: `${application}-fraud-alerts-prod`, KmsMasterKeyId: Match.anyValue() });
  prod.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: testConfig.alarmEmail, TopicArn: { Ref: Match.stringLikeRegexp('^FraudAlerts') } });
  prod.hasResourceProperties('AWS::SQS::Queue', { QueueName: `${application}-fraud-reviews-prod`, RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }), VisibilityTimeout: 120 });
  prod.hasResourceProperties('AWS::Lambda::EventSourceMapping', { BatchSize: 10, FunctionResponseTypes: ['ReportBatchItemFailures'] });
});

test('the flag-rate alarm is metric math on the stage\'s flagged and scored counts, and goes to the alert topic', () => {
  prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
    AlarmName: `${application}-fraud-flag-rate-prod`,
    Threshold: 5,
    Metrics: Match.arrayWith([
      Match.objectLike({ Expression: 'IF(FILL(requests, 0) >= 20, 100 * FILL(errors, 0) / FILL(requests, 0), 0)' }),
      Match.objectLike({
        Id: 'errors',
        MetricStat: Match.objectLike({
          Metric: { Namespace: application, MetricName: 'TransactionsFlagged', Dimensions: Match.arrayWith([{ Name: 'service', Value: 'fraud-detection' }, { Name: 'stage', Value: 'prod' }]) },
          Stat: 'Sum',
        }),
      }),
      Match.objectLike({ Id: 'requests', MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'TransactionsScored' }) }) }),
    ]),
    AlarmActions: [{ Ref: Match.stringLikeRegexp('^FintechAlerts') }],
  });
});

test('the dashboard shows every business metric the handlers publish', () => {
  const body = JSON.stringify(prod.findResources('AWS::CloudWatch::Dashboard'));
  for (const metric of FRAUD_METRICS) expect(body).toContain(metric);
});
