import { App, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV, alertTopic, dataBucket, dataKey, isDurable, serviceLogBucket, tagWorkload } from '../careful-team';

/** The disaster-recovery region, where the replica of the records lives. */
const DR_ENV = { account: ENV.account, region: 'eu-central-1' };

/** The name of the role S3 replicates the records with: both stacks name it, so neither refers to the other's resources. */
const replicationRoleName = (stage: string) => `records-replication-${stage}`;

/**
 * The replica bucket and its key in the disaster-recovery region, and the role S3 replicates with: it may write
 * replicas into this bucket with this key; the records stack lets it read the source.
 */
export class RecordsReplica extends Stack {
  public readonly bucket: s3.Bucket;
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, stage: string, props: StackProps) {
    super(scope, id, props);
    tagWorkload(this, stage, 'records');
    this.key = dataKey(this, 'ReplicaKey', stage);
    this.bucket = dataBucket(this, 'Replica', this.key, stage, { bucketName: `bank-records-replica-${stage}-${DR_ENV.account}` });
    const role = new iam.Role(this, 'ReplicationRole', { roleName: replicationRoleName(stage), assumedBy: new iam.ServicePrincipal('s3.amazonaws.com') });
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags', 's3:ObjectOwnerOverrideToBucketOwner'],
      resources: [this.bucket.arnForObjects('*')],
    }));
    this.key.grantEncrypt(role);
  }
}

/**
 * Customer records kept for the retention period regulators ask for: a bucket with Object Lock in COMPLIANCE mode for
 * seven years in durable stages (none in dev, so the stage can be torn down), replicated with its key to the DR region,
 * its server access logs in an SSE-S3 bucket (server access logging cannot write with a customer key).
 */
export class CustomerRecords extends Stack {
  constructor(scope: Construct, id: string, stage: string, replica: RecordsReplica, props: StackProps) {
    super(scope, id, props);
    tagWorkload(this, stage, 'records');
    const key = dataKey(this, 'Key', stage);
    alertTopic(this, key);
    const accessLogs = serviceLogBucket(this, 'AccessLogs', stage);
    const records = dataBucket(this, 'Records', key, stage, {
      serverAccessLogsBucket: accessLogs,
      serverAccessLogsPrefix: 'records/',
      objectLockEnabled: isDurable(stage),
      objectLockDefaultRetention: isDurable(stage) ? s3.ObjectLockRetention.compliance(Duration.days(2557)) : undefined,
      replicationRole: iam.Role.fromRoleName(this, 'ReplicationRole', replicationRoleName(stage)),
      replicationRules: [{
        destination: replica.bucket,
        priority: 1,
        kmsKey: replica.key,
        sseKmsEncryptedObjects: true,
        replicationTimeControl: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
        metrics: s3.ReplicationTimeValue.FIFTEEN_MINUTES,
        deleteMarkerReplication: false,
      }],
    });
    const replicator = iam.Role.fromRoleName(this, 'Replicator', replicationRoleName(stage));
    replicator.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetReplicationConfiguration', 's3:ListBucket'], resources: [records.bucketArn],
    }));
    replicator.addToPrincipalPolicy(new iam.PolicyStatement({
      actions: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'], resources: [records.arnForObjects('*')],
    }));
    key.grantDecrypt(replicator);
    // The records service reads and writes through this role; nobody deletes (Object Lock would refuse in durable stages).
    const writer = new iam.Role(this, 'RecordsWriter', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    records.grantReadWrite(writer);
  }
}

/** Records in the workload region, their replica in the DR region. */
export function build(app: App, stage: string): void {
  const replica = new RecordsReplica(app, `RecordsReplica-${stage}`, stage, { env: DR_ENV, crossRegionReferences: true });
  new CustomerRecords(app, `CustomerRecords-${stage}`, stage, replica, { env: ENV, crossRegionReferences: true });
}
