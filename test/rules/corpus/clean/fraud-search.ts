import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import { Construct } from 'constructs';
import { ENV, alertTopic, dataKey, dataStream, deadLetterQueue, errorRateAlarm, firstMessageAlarm, handler, isDurable, removalFor, tagWorkload } from '../careful-team';

/**
 * The fraud team's search domain: OpenSearch in the VPC's isolated subnets, encrypted at rest with the team's key and
 * between nodes, HTTPS with TLS 1.2 only, fine-grained access with an IAM master role, slow and audit logs retained.
 */
export class FraudSearchDomain extends Stack {
  public readonly vpc: ec2.Vpc;
  public readonly domain: opensearch.Domain;

  constructor(scope: Construct, id: string, stage: string, props: StackProps) {
    super(scope, id, props);
    tagWorkload(this, stage, 'fraud-search');
    const key = dataKey(this, 'Key', stage);
    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: 0,
      subnetConfiguration: [{ name: 'search', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
    });
    // The security team's role administers the domain; workloads get index permissions from their own IAM policies
    // (the domain's policy admits the account's principals) and an OpenSearch role mapping.
    const admin = new iam.Role(this, 'SearchAdmin', { assumedBy: new iam.AccountRootPrincipal(), description: 'Administers the fraud search domain' });
    const logGroup = (name: string) => new logs.LogGroup(this, name, { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: removalFor(stage) });
    this.domain = new opensearch.Domain(this, 'Domain', {
      version: opensearch.EngineVersion.OPENSEARCH_2_17,
      vpc: this.vpc,
      vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_ISOLATED }],
      capacity: isDurable(stage)
        ? { dataNodes: 2, dataNodeInstanceType: 'r7g.large.search', masterNodes: 3, masterNodeInstanceType: 'm7g.large.search', multiAzWithStandbyEnabled: false }
        : { dataNodes: 1, dataNodeInstanceType: 't3.small.search', multiAzWithStandbyEnabled: false },
      zoneAwareness: isDurable(stage) ? { enabled: true, availabilityZoneCount: 2 } : undefined,
      ebs: { volumeSize: 50, volumeType: ec2.EbsDeviceVolumeType.GP3 },
      encryptionAtRest: { enabled: true, kmsKey: key },
      nodeToNodeEncryption: true,
      enforceHttps: true,
      tlsSecurityPolicy: opensearch.TLSSecurityPolicy.TLS_1_2,
      fineGrainedAccessControl: { masterUserArn: admin.roleArn },
      logging: {
        slowSearchLogEnabled: true,
        slowSearchLogGroup: logGroup('SlowSearchLogs'),
        appLogEnabled: true,
        appLogGroup: logGroup('AppLogs'),
        auditLogEnabled: true,
        auditLogGroup: logGroup('AuditLogs'),
      },
      removalPolicy: removalFor(stage),
    });
    this.domain.addAccessPolicies(new iam.PolicyStatement({
      principals: [new iam.AccountPrincipal(this.account)],
      actions: ['es:ESHttpGet', 'es:ESHttpPost', 'es:ESHttpPut'],
      resources: [`${this.domain.domainArn}/*`],
    }));
  }
}

/**
 * Card transactions from a Kinesis stream, indexed into the fraud domain by a function in its VPC; batches that keep
 * failing are recorded in an SQS queue, and the function's error rate and the queue page the fraud team.
 */
export class FraudIndexer extends Stack {
  constructor(scope: Construct, id: string, stage: string, search: FraudSearchDomain, props: StackProps) {
    super(scope, id, props);
    tagWorkload(this, stage, 'fraud-search');
    const key = dataKey(this, 'Key', stage);
    const topic = alertTopic(this, key);
    const transactions = dataStream(this, 'Transactions', key, stage);
    const failed = deadLetterQueue(this, 'FailedBatches', key, stage);
    const index = handler(this, 'IndexTransaction', stage, {
      vpc: search.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      timeout: Duration.seconds(60),
      environment: { DOMAIN_ENDPOINT: search.domain.domainEndpoint },
    });
    index.addEventSource(new sources.KinesisEventSource(transactions, {
      startingPosition: lambda.StartingPosition.TRIM_HORIZON,
      batchSize: 200,
      maxBatchingWindow: Duration.seconds(5),
      parallelizationFactor: 2,
      bisectBatchOnError: true,
      reportBatchItemFailures: true,
      retryAttempts: 5,
      maxRecordAge: Duration.hours(6),
      onFailure: new sources.SqsDlq(failed),
    }));
    search.domain.grantIndexReadWrite('transactions', index);
    index.connections.allowToDefaultPort(search.domain, 'HTTPS to the fraud domain');
    errorRateAlarm(this, 'IndexTransactionErrors', index, topic);
    firstMessageAlarm(this, 'FailedBatchesAlarm', failed, topic);
  }
}

/** A search domain stack and an indexer stack that reads a stream into it. */
export function build(app: App, stage: string): void {
  const search = new FraudSearchDomain(app, `FraudSearch-${stage}`, stage, { env: ENV });
  new FraudIndexer(app, `FraudIndexer-${stage}`, stage, search, { env: ENV });
}
