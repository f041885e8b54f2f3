import { CfnParameter, CfnResource, Fn, NestedStack } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { InvalidPhysicalName } from '../../../src/rules/template/invalid-physical-name';
import { NameKind, PhysicalName } from '../../../src/stage/physical-name';
import { stackIn } from '../../support/fintech-fixture';
import { findingsOf, lines, shop, testApp } from '../rule-harness';

const INVALID = InvalidPhysicalName.INFO.id;

describe('Fintech-C16-InvalidPhysicalName', () => {
  test('passes names PhysicalName builds at the limit of each kind, and names within the limits', () => {
    const app = testApp();
    const stack = stackIn(app, 'dev');
    const long = 'a'.repeat(300);
    new sqs.Queue(stack, 'Queue', { queueName: PhysicalName.of(stack, long, { kind: NameKind.SQS_QUEUE, fifo: true }), fifo: true });
    new sns.Topic(stack, 'Topic', { topicName: PhysicalName.of(stack, long, { kind: NameKind.SNS_TOPIC }) });
    new logs.LogGroup(stack, 'Logs', { logGroupName: PhysicalName.of(stack, long, { kind: NameKind.LOG_GROUP }) });
    new iam.Role(stack, 'Role', { roleName: PhysicalName.of(stack, long, { kind: NameKind.IAM_ROLE }), path: '/ledger/', assumedBy: new iam.AccountRootPrincipal() });
    new events.Rule(stack, 'Rule', { ruleName: 'ledger-settled-dev', eventPattern: { source: ['ledger'] } });
    expect(findingsOf(app, [INVALID])).toEqual([]);
  });

  test('fails L2 names over the limit or with refused characters, naming the limit', () => {
    const { app, stack } = shop();
    new sqs.Queue(stack, 'Queue', { queueName: `ledger-${'q'.repeat(80)}` });
    new cloudwatch.Alarm(stack, 'Alarm', {
      alarmName: 'x'.repeat(256), metric: new cloudwatch.Metric({ namespace: 'Ledger', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1,
    });
    new logs.LogGroup(stack, 'Logs', { logGroupName: '/ledger/api:v1' });
    const findings = findingsOf(app, [INVALID]);
    expect(lines(findings)).toEqual([`${INVALID} Shop/Alarm/Resource`, `${INVALID} Shop/Logs/Resource`, `${INVALID} Shop/Queue/Resource`]);
    expect(findings.find(f => f.logicalId.startsWith('Queue'))).toMatchObject({
      severity: 'error',
      locations: ['Properties/QueueName'],
      message: expect.stringMatching(/has QueueName "ledger-q+", which is 87 characters long, over the 80 allowed, so the deployment fails \(SQS queue name: 1-80 characters, /),
    });
    expect(findings.find(f => f.logicalId.startsWith('Logs'))!.message).toContain('which holds characters or a shape the service refuses');
  });

  test('judges the short limits of data services: a DAX cluster over 20, an OpenSearch domain over 28, an RDS identifier with two hyphens', () => {
    const { app, stack } = shop();
    const dax = (id: string, clusterName: string) => new CfnResource(stack, id, { type: 'AWS::DAX::Cluster', properties: { ClusterName: clusterName, NodeType: 'dax.r5.large', ReplicationFactor: 3, IAMRoleARN: 'arn:aws:iam::123456789012:role/dax' } });
    dax('Quotes', 'ledger-quotes-staging');
    dax('Rates', 'ledger-rates-staging');
    new CfnResource(stack, 'Search', { type: 'AWS::OpenSearchService::Domain', properties: { DomainName: 'ledger-payments-search-staging' } });
    new CfnResource(stack, 'Ledger', { type: 'AWS::RDS::DBCluster', properties: { Engine: 'aurora-postgresql', DBClusterIdentifier: 'ledger--staging' } });
    new CfnResource(stack, 'Sessions', { type: 'AWS::ElastiCache::ReplicationGroup', properties: { ReplicationGroupDescription: 's', ReplicationGroupId: 'ledger-sessions-staging' } });
    new CfnResource(stack, 'Images', { type: 'AWS::ECR::Repository', properties: { RepositoryName: 'ledger/api-staging' } });
    new CfnResource(stack, 'Postings', { type: 'AWS::Kinesis::Stream', properties: { Name: 'ledger.postings_staging', ShardCount: 1 } });
    new CfnResource(stack, 'Repository', { type: 'AWS::ECR::Repository', properties: { RepositoryName: 'Ledger/API' } });
    // EventBridge archive names stop at 48 characters.
    const archive = (id: string, archiveName: string) => new CfnResource(stack, id, { type: 'AWS::Events::Archive', properties: { ArchiveName: archiveName, SourceArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/trades' } });
    archive('Replay', 'ledger-trades-replay-staging');
    archive('Audit', 'ledger-trades-booked-and-settled-replay-staging-eu');
    const findings = findingsOf(app, [INVALID]);
    expect(lines(findings)).toEqual([`${INVALID} Shop/Audit`, `${INVALID} Shop/Ledger`, `${INVALID} Shop/Quotes`, `${INVALID} Shop/Repository`, `${INVALID} Shop/Search`]);
    expect(findings.find(f => f.logicalId === 'Audit')!.message).toContain('which is 50 characters long, over the 48 allowed');
    expect(findings.find(f => f.logicalId === 'Quotes')!.message).toMatch(/has ClusterName "ledger-quotes-staging", which is 21 characters long, over the 20 allowed, so the deployment fails \(DAX cluster name: 1-20 characters/);
    expect(findings.find(f => f.logicalId === 'Search')!.message).toContain('which is 30 characters long, over the 28 allowed');
    expect(findings.find(f => f.logicalId === 'Ledger')!.locations).toEqual(['Properties/DBClusterIdentifier']);
  });

  test('judges SSM parameter names: the prefixes Systems Manager reserves, a hierarchy without its leading slash, more than 15 levels', () => {
    const { app, stack } = shop();
    const parameter = (id: string, name: string) => new ssm.StringParameter(stack, id, { parameterName: name, stringValue: 'x' });
    parameter('Endpoint', '/ledger/dev/api-url');
    parameter('Simple', 'ledger-api-url-dev');
    parameter('Word', '/ledger/aws-region');
    parameter('Reserved', '/aws/ledger/api-url');
    parameter('Prefixed', 'SSM-ledger-dev');
    // StringParameter refuses this one itself; CfnParameter (and raw templates) do not.
    new ssm.CfnParameter(stack, 'Relative', { name: 'ledger/dev/api-url', type: 'String', value: 'x' });
    parameter('Deep', `/${'level/'.repeat(15)}api-url`);
    new CfnResource(stack, 'Raw', { type: 'AWS::SSM::Parameter', properties: { Name: Fn.join('', ['/ledger/', 'api url']), Type: 'String', Value: 'x' } });
    new CfnResource(stack, 'Unknown', { type: 'AWS::SSM::Parameter', properties: { Name: Fn.join('/', ['', Fn.ref('AWS::StackName'), 'aws']), Type: 'String', Value: 'x' } });
    const findings = findingsOf(app, [INVALID]);
    expect(lines(findings)).toEqual([
      `${INVALID} Shop/Deep/Resource`, `${INVALID} Shop/Prefixed/Resource`, `${INVALID} Shop/Raw`, `${INVALID} Shop/Relative`, `${INVALID} Shop/Reserved/Resource`,
    ]);
    const message = (id: string) => findings.find(f => f.logicalId.startsWith(id))!.message;
    expect(message('Reserved')).toContain('has Name "/aws/ledger/api-url", which starts with "aws", a prefix Systems Manager reserves, so the deployment fails (SSM parameter name:');
    expect(message('Prefixed')).toContain('which starts with "SSM", a prefix Systems Manager reserves');
    expect(message('Relative')).toContain('which is a hierarchy that does not start with /');
    expect(message('Deep')).toContain('which holds characters or a shape the service refuses');
    expect(message('Deep')).toContain('in at most 15 levels');
    expect(findings.find(f => f.logicalId.startsWith('Reserved'))!.locations).toEqual(['Properties/Name']);
  });

  test('judges AWS Batch names: job queues, compute environments, job definitions and scheduling policies', () => {
    const { app, stack } = shop();
    const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const compute = new batch.FargateComputeEnvironment(stack, 'Compute', { vpc, computeEnvironmentName: 'risk-compute-dev' });
    new batch.JobQueue(stack, 'Queue', { jobQueueName: 'risk.queue.dev', computeEnvironments: [{ computeEnvironment: compute, order: 1 }] });
    new batch.CfnJobDefinition(stack, 'Definition', { type: 'container', jobDefinitionName: `risk-${'v'.repeat(130)}` });
    new batch.CfnSchedulingPolicy(stack, 'Policy', { name: 'risk fair share' });
    const findings = findingsOf(app, [INVALID]);
    expect(lines(findings)).toEqual([`${INVALID} Shop/Definition`, `${INVALID} Shop/Policy`, `${INVALID} Shop/Queue/Resource`]);
    expect(findings.find(f => f.logicalId.startsWith('Queue'))).toMatchObject({
      locations: ['Properties/JobQueueName'],
      message: expect.stringContaining('has JobQueueName "risk.queue.dev", which holds characters or a shape the service refuses, so the deployment fails (AWS Batch name: 1-128 characters'),
    });
    expect(findings.find(f => f.logicalId === 'Definition')!.message).toContain('which is 135 characters long, over the 128 allowed');
  });

  test('judges raw Cfn resources, nested paths, joins of literals and the .fifo ending', () => {
    const { app, stack } = shop();
    const raw = (id: string, type: string, properties: Record<string, unknown>) =>
      new CfnResource(stack, id, { type, properties }).overrideLogicalId(id);
    raw('Bucket', 'AWS::S3::Bucket', { BucketName: 'Ledger_Archive' });
    raw('Reserved', 'AWS::S3::Bucket', { BucketName: 'ledger-archive--ol-s3' });
    raw('Ip', 'AWS::S3::Bucket', { BucketName: '192.168.5.4' });
    raw('Table', 'AWS::DynamoDB::Table', { TableName: 'ab' });
    raw('Alias', 'AWS::KMS::Alias', { AliasName: 'ledger-key', TargetKeyId: 'k' });
    raw('Lb', 'AWS::ElasticLoadBalancingV2::LoadBalancer', { Name: Fn.join('-', ['ledger', 'payments', 'internal', 'balancer']) });
    raw('Tg', 'AWS::ElasticLoadBalancingV2::TargetGroup', { Name: 'ledger-api-' });
    raw('Api', 'AWS::ApiGateway::Stage', { StageName: 'prod.v1', RestApiId: 'r' });
    raw('Sampling', 'AWS::XRay::SamplingRule', { SamplingRule: { RuleName: 'x'.repeat(33) } });
    raw('Fifo', 'AWS::SQS::Queue', { QueueName: 'settlements', FifoQueue: true });
    raw('Standard', 'AWS::SNS::Topic', { TopicName: 'alerts.fifo' });
    raw('Path', 'AWS::IAM::Role', { Path: 'ledger', AssumeRolePolicyDocument: {} });
    raw('Machine', 'AWS::StepFunctions::StateMachine', { StateMachineName: 'settle flow', RoleArn: 'r' });
    raw('Fn', 'AWS::Lambda::Function', { FunctionName: Fn.sub('${!x}'.repeat(22)) });
    const findings = findingsOf(app, [INVALID]);
    expect(findings.map(f => `${f.logicalId} ${f.locations[0]}`).sort()).toEqual([
      'Alias Properties/AliasName',
      'Api Properties/StageName',
      'Bucket Properties/BucketName',
      'Fifo Properties/QueueName',
      'Fn Properties/FunctionName',
      'Ip Properties/BucketName',
      'Lb Properties/Name',
      'Machine Properties/StateMachineName',
      'Path Properties/Path',
      'Reserved Properties/BucketName',
      'Sampling Properties/SamplingRule/RuleName',
      'Standard Properties/TopicName',
      'Table Properties/TableName',
      'Tg Properties/Name',
    ]);
    expect(findings.find(f => f.logicalId === 'Table')!.message).toContain('which is 2 characters long, under the 3 required');
    expect(findings.find(f => f.logicalId === 'Reserved')!.message).toContain('which ends with "--ol-s3", which S3 reserves');
    expect(findings.find(f => f.logicalId === 'Ip')!.message).toContain('which is formatted as an IP address');
    expect(findings.find(f => f.logicalId === 'Fifo')!.message).toContain('which lacks the .fifo ending that FifoQueue requires');
    expect(findings.find(f => f.logicalId === 'Standard')!.message).toContain('which ends in .fifo while FifoTopic is not true');
    expect(findings.find(f => f.logicalId === 'Lb')!.message).toContain('"ledger-payments-internal-balancer", which is 33 characters long');
  });

  test('never judges a name holding an intrinsic, a FIFO ending when FIFO is an intrinsic, or a function ARN', () => {
    const { app, stack } = shop();
    const prefix = new CfnParameter(stack, 'Prefix', { allowedPattern: '[a-z]+' });
    new sqs.Queue(stack, 'Queue', { queueName: `${prefix.valueAsString}-${'q'.repeat(70)}` });
    new sqs.CfnQueue(stack, 'Fifo', { queueName: 'settlements', fifoQueue: Fn.conditionIf('IsFifo', true, false) as any });
    new sqs.CfnQueue(stack, 'Pseudo', { queueName: Fn.sub('${AWS::StackName}-settlements-${AWS::Region}') });
    new CfnResource(stack, 'ByArn', { type: 'AWS::Lambda::Function', properties: { FunctionName: 'arn:aws:lambda:eu-west-1:123456789012:function:settle' } });
    expect(findingsOf(app, [INVALID])).toEqual([]);
  });

  test('judges each nested template, and cannot be acknowledged in a durable stage', () => {
    const { app, stack } = shop();
    const nested = new NestedStack(stack, 'Inner');
    new sns.Topic(nested, 'Topic', { topicName: 'alerts topic' });
    expect(lines(findingsOf(app, [INVALID]))).toEqual([`${INVALID} Shop/Inner/Topic/Resource`]);
    expect(InvalidPhysicalName.INFO.acknowledgeableInDurableStages).toBe(false);
  });
});
