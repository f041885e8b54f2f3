import { StageWebAcl } from '../../src/rules/apigateway/stage-web-acl';
import { HttpApiStageSettings } from '../../src/rules/apigatewayv2/stage-settings';
import { GraphqlApiLogs } from '../../src/rules/appsync/graphql-api-logs';
import { DistributionProtection } from '../../src/rules/cloudfront/distribution-protection';
import { DistributionTls } from '../../src/rules/cloudfront/distribution-tls';
import { AlarmOnErrorCount } from '../../src/rules/cloudwatch/alarm-on-error-count';
import { CacheTls } from '../../src/rules/elasticache/cache-tls';
import { StoreEncryption } from '../../src/rules/encryption/store-encryption';
import { TrailKeyAccess } from '../../src/rules/kms/trail-key-access';
import { ImageWithoutAsset } from '../../src/rules/lambda/image-without-asset';
import { StreamEventSource } from '../../src/rules/lambda/stream-event-source';
import { KafkaClusterTls } from '../../src/rules/msk/cluster-tls';
import { DatabaseSubnets } from '../../src/rules/network/database-subnets';
import { GatewayEndpointPolicy } from '../../src/rules/network/gateway-endpoint-policy';
import { SearchDomainTls } from '../../src/rules/opensearch/domain-tls';
import { PipeStreamFailures } from '../../src/rules/pipes/pipe-stream-failures';
import { FintechRule } from '../../src/rules/rule';
import { ScheduleDeadLetter } from '../../src/rules/scheduler/schedule-dead-letter';
import { SubscriptionDeadLetter } from '../../src/rules/sns/subscription-dead-letter';
import { StackTemplate } from '../../src/rules/stack-template';
import { XRayTracing } from '../../src/rules/tracing/xray-tracing';
import { FileTransferServer } from '../../src/rules/transfer/file-transfer-server';
import { paths, replaced } from '../support/json-paths';

// Fuzz-style: every property (at any depth) of a realistic resource of each workload type, replaced in turn by an intrinsic
// or an odd value, must never make a rule throw; an intrinsic where a defect was must never add a finding.
const SETTINGS = { requiredTagKeys: [], accountConcurrencyLimit: 1000 };
const REPLACEMENTS: unknown[] = [{ Ref: 'Param' }, { 'Fn::If': ['C', 'a', { Ref: 'AWS::NoValue' }] }, { 'Fn::GetAtt': ['Other', 'Arn'] }, null, 42, 'text', [], {}, [{ Ref: 'Param' }]];

const SAMPLES: Array<[FintechRule[], string, { readonly [key: string]: unknown }]> = [
  [[new StoreEncryption()], 'AWS::EFS::FileSystem', { Encrypted: true, KmsKeyId: 'alias/aws/elasticfilesystem' }],
  [[new StoreEncryption()], 'AWS::Kinesis::Stream', { StreamEncryption: { EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' } }],
  [[new StoreEncryption(), new SearchDomainTls()], 'AWS::OpenSearchService::Domain', {
    EncryptionAtRestOptions: { Enabled: true }, NodeToNodeEncryptionOptions: { Enabled: false }, DomainEndpointOptions: { EnforceHTTPS: false, TLSSecurityPolicy: 'Policy-Min-TLS-1-0-2019-07' },
  }],
  [[new StoreEncryption(), new CacheTls()], 'AWS::ElastiCache::ReplicationGroup', { AtRestEncryptionEnabled: false, TransitEncryptionEnabled: true, TransitEncryptionMode: 'preferred' }],
  [[new StoreEncryption()], 'AWS::ElastiCache::ServerlessCache', { Engine: 'valkey' }],
  [[new StoreEncryption()], 'AWS::DocDB::DBCluster', { StorageEncrypted: true, KmsKeyId: 'alias/aws/rds', RestoreType: 'full-copy' }],
  [[new StoreEncryption()], 'AWS::RDS::GlobalCluster', { Engine: 'aurora-postgresql', StorageEncrypted: false }],
  [[new StoreEncryption(), new CacheTls()], 'AWS::DAX::Cluster', { NodeType: 'dax.r5.large', ReplicationFactor: 3, SSESpecification: { SSEEnabled: false }, ClusterEndpointEncryptionType: 'NONE' }],
  [[new StoreEncryption()], 'AWS::Redshift::Cluster', { NodeType: 'ra3.xlplus', Encrypted: true, KmsKeyId: 'alias/aws/redshift' }],
  [[new StoreEncryption()], 'AWS::Cassandra::Table', { KeyspaceName: 'ledger', EncryptionSpecification: { EncryptionType: 'CUSTOMER_MANAGED_KMS_KEY', KmsKeyIdentifier: 'alias/aws/cassandra' } }],
  [[new StoreEncryption()], 'AWS::KinesisFirehose::DeliveryStream', { DeliveryStreamType: 'DirectPut', DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: 'alias/aws/firehose' } }],
  [[new StoreEncryption(), new CacheTls()], 'AWS::MemoryDB::Cluster', { NodeType: 'db.r7g.large', KmsKeyId: 'alias/aws/memorydb', TLSEnabled: false }],
  [[new StoreEncryption(), new KafkaClusterTls()], 'AWS::MSK::Cluster', { EncryptionInfo: { EncryptionInTransit: { ClientBroker: 'PLAINTEXT', InCluster: false } } }],
  [[new StoreEncryption()], 'AWS::FSx::FileSystem', { FileSystemType: 'LUSTRE', LustreConfiguration: { DeploymentType: 'PERSISTENT_2' }, KmsKeyId: 'alias/aws/fsx' }],
  [[new StoreEncryption()], 'AWS::Events::Archive', { SourceArn: 'arn:aws:events:eu-west-1:123456789012:event-bus/trades', KmsKeyIdentifier: '' }],
  [[new FileTransferServer()], 'AWS::Transfer::Server', { Protocols: ['SFTP', 'FTP'], SecurityPolicyName: 'TransferSecurityPolicy-2018-11' }],
  [[new DistributionTls(), new DistributionProtection()], 'AWS::CloudFront::Distribution', {
    DistributionConfig: {
      DefaultCacheBehavior: { ViewerProtocolPolicy: 'allow-all' },
      CacheBehaviors: [{ ViewerProtocolPolicy: 'allow-all' }],
      ViewerCertificate: { AcmCertificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/x', MinimumProtocolVersion: 'TLSv1' },
    },
  }],
  [[new HttpApiStageSettings()], 'AWS::ApiGatewayV2::Stage', { ApiId: { Ref: 'Api' }, StageName: '$default', DefaultRouteSettings: { ThrottlingRateLimit: 1 }, AccessLogSettings: { Format: 'x' } }],
  [[new ScheduleDeadLetter()], 'AWS::Scheduler::Schedule', { Target: { Arn: 'a', RoleArn: 'r', DeadLetterConfig: {}, RetryPolicy: {} } }],
  [[new PipeStreamFailures()], 'AWS::Pipes::Pipe', { SourceParameters: { KinesisStreamParameters: { StartingPosition: 'LATEST', MaximumRetryAttempts: -1, DeadLetterConfig: {} } } }],
  [[new SubscriptionDeadLetter()], 'AWS::SNS::Subscription', { Protocol: 'sqs', Endpoint: 'arn:aws:sqs:eu-west-1:123456789012:q', RedrivePolicy: {} }],
  [[new StreamEventSource()], 'AWS::Lambda::EventSourceMapping', {
    EventSourceArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/payments', MaximumRetryAttempts: -1, DestinationConfig: { OnFailure: {} }, FunctionResponseTypes: [],
  }],
  [[new StreamEventSource()], 'AWS::Lambda::EventSourceMapping', {
    EventSourceArn: 'arn:aws:kafka:eu-west-1:123456789012:cluster/cards/x',
    Topics: ['authorizations'],
    ProvisionedPollerConfig: { MinimumPollers: 1 },
    MaximumRetryAttempts: -1,
    DestinationConfig: { OnFailure: {} },
    FunctionResponseTypes: [],
  }],
  [[new XRayTracing(), new StageWebAcl(), new GraphqlApiLogs()], 'AWS::AppSync::GraphQLApi', { Name: 'banking', AuthenticationType: 'AWS_IAM', XrayEnabled: false, Visibility: 'GLOBAL' }],
  [[new GraphqlApiLogs()], 'AWS::AppSync::Api', { Name: 'notifications', EventConfig: { AuthProviders: [{ AuthType: 'AWS_IAM' }], DefaultPublishAuthModes: [{ AuthType: 'AWS_IAM' }] } }],
  [[new StoreEncryption()], 'AWS::Bedrock::Agent', { AgentName: 'advisor', MemoryConfiguration: { EnabledMemoryTypes: ['SESSION_SUMMARY'], StorageDays: 30 }, CustomerEncryptionKeyArn: 'alias/aws/bedrock' }],
  [[new DatabaseSubnets(), new SearchDomainTls()], 'AWS::Elasticsearch::Domain', { ElasticsearchVersion: '7.10', NodeToNodeEncryptionOptions: { Enabled: false } }],
  [[new DatabaseSubnets()], 'AWS::MSK::Cluster', { BrokerNodeGroupInfo: { ClientSubnets: ['subnet-1'], ConnectivityInfo: { PublicAccess: { Type: 'SERVICE_PROVIDED_EIPS' } } } }],
  [[new GatewayEndpointPolicy()], 'AWS::EC2::VPCEndpoint', {
    ServiceName: 'com.amazonaws.eu-west-1.s3',
    VpcEndpointType: 'Gateway',
    PolicyDocument: { Statement: [{ Effect: 'Allow', Principal: '*', NotAction: ['s3:DeleteObject'], Resource: ['arn:aws:s3:::*/*'] }] },
  }],
  [[new ImageWithoutAsset()], 'AWS::Lambda::Function', {
    PackageType: 'Image', Role: 'arn:aws:iam::123456789012:role/fn', Code: { ImageUri: { 'Fn::Sub': '${AWS::AccountId}.dkr.ecr.${AWS::Region}.${AWS::URLSuffix}/payouts:latest' } },
  }],
  [[new TrailKeyAccess()], 'AWS::CloudTrail::Trail', { IsLogging: true, S3BucketName: 'audit-logs', KMSKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } }],
  [[new AlarmOnErrorCount()], 'AWS::CloudWatch::Alarm', {
    Metrics: [
      { Id: 'm1', ReturnData: false, MetricStat: { Metric: { Namespace: 'AWS/Lambda', MetricName: 'Errors' }, Period: 60, Stat: 'Sum' } },
      { Id: 'e', Expression: 'SUM([m1, m1])' },
    ],
  }],
];

// A customer key whose policy allows only the account: what a rule on a resource encrypted with it may judge.
const KEY = {
  Type: 'AWS::KMS::Key',
  Properties: { KeyPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'kms:*', Resource: '*' }] } },
};

function findings(rules: FintechRule[], type: string, properties: unknown): string[] {
  const stack = new StackTemplate({
    templatePath: '/tmp/Fuzz.template.json',
    template: { Resources: { Resource: { Type: type, Properties: properties }, Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } }, Key: KEY } },
    stageName: 'prod',
    durable: true,
    elements: new Map(),
  });
  return rules.flatMap(rule => rule.checkResource!(stack.resource('Resource')!, SETTINGS)).flatMap(f => f.locations.map(location => `${f.ruleId} ${location}`));
}

describe.each(SAMPLES)('%#: rules on %s', (rules, type, properties) => {
  test('the sample has findings, and no rule throws when any property is an intrinsic or an odd value', () => {
    expect(findings(rules, type, properties).length).toBeGreaterThan(0);
    for (const path of paths(properties)) {
      for (const replacement of REPLACEMENTS) {
        expect(() => findings(rules, type, replaced(properties, path, replacement))).not.toThrow();
      }
    }
    for (const replacement of [undefined, { Ref: 'Param' }, { 'Fn::If': ['C', {}, {}] }, 'text', []]) {
      expect(() => findings(rules, type, replacement)).not.toThrow();
    }
  });

  test('an intrinsic in place of a property never adds a finding', () => {
    const before = new Set(findings(rules, type, properties));
    for (const path of paths(properties)) {
      const after = findings(rules, type, replaced(properties, path, { Ref: 'Param' }));
      expect([path.join('/'), after.filter(f => !before.has(f))]).toEqual([path.join('/'), []]);
    }
  });
});
