import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { DataKey } from '../encryption/data-key';
import { followStage } from '../stage/follow-stage';
import { NameKind, PhysicalName } from '../stage/physical-name';
import { stagePathBase } from '../stage/stage-path-base';

/** How a `SecureBucket` encrypts objects. */
export enum BucketEncryptionMode {
  /** A customer managed KMS key (a `DataKey`), with S3 Bucket Keys to cut KMS calls. */
  KMS = 'kms',
  /** S3 managed keys (SSE-S3), for data that needs no key policy of its own, e.g. access logs. */
  S3_MANAGED = 's3-managed',
}

/** Properties of a `SecureBucket`. */
export interface SecureBucketProps {
  /**
   * How objects are encrypted.
   *
   * @default BucketEncryptionMode.KMS
   */
  readonly encryption?: BucketEncryptionMode;

  /**
   * Key for `BucketEncryptionMode.KMS`.
   *
   * @default - a new `DataKey` for this bucket
   */
  readonly dataKey?: DataKey;

  /**
   * Base of an explicit bucket name. The name becomes `<application>-<base>-<account>-<stage>`:
   * bucket names are global, so they carry the account as well as the stage (C03, C16).
   *
   * @default - CloudFormation generates a unique name
   */
  readonly nameBase?: string;

  /**
   * Keep every version of every object.
   *
   * @default true
   */
  readonly versioned?: boolean;

  /**
   * Bucket that receives server access logs.
   *
   * @default - no access logs
   */
  readonly accessLogsBucket?: s3.IBucket;
}

/**
 * An S3 bucket with encryption, all public access blocked, TLS-only access, versioning and
 * explicit names that cannot collide (C03). Removal follows the enclosing stage. It is an `s3.Bucket`, so it
 * goes wherever an `IBucket` does, with the L2's grants and metrics. Its key is created next to it, as `<id>Key`.
 */
export class SecureBucket extends s3.Bucket {
  /** The key, when encryption is KMS. */
  public readonly dataKey?: DataKey;

  constructor(scope: Construct, id: string, props: SecureBucketProps = {}) {
    const mode = props.encryption ?? BucketEncryptionMode.KMS;
    if (props.dataKey && mode !== BucketEncryptionMode.KMS) {
      throw new Error(`SecureBucket at ${[scope.node.path, id].filter(Boolean).join('/')}: dataKey is set but encryption is ${mode}; drop dataKey or use BucketEncryptionMode.KMS.`);
    }
    // The key is a prop of the bucket, so it is made first, next to it.
    const dataKey = mode === BucketEncryptionMode.KMS
      ? props.dataKey ?? new DataKey(scope, `${id}Key`, { aliasBase: props.nameBase ? `${props.nameBase}-bucket` : `${stagePathBase(scope, id)}-bucket` })
      : undefined;
    const bucketName = props.nameBase ? PhysicalName.of(scope, props.nameBase, { kind: NameKind.S3_BUCKET }) : undefined;
    super(scope, id, {
      ...(bucketName ? { bucketName } : {}),
      ...(dataKey
        ? { encryption: s3.BucketEncryption.KMS, encryptionKey: dataKey.key, bucketKeyEnabled: true }
        : { encryption: s3.BucketEncryption.S3_MANAGED }),
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: props.versioned ?? true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    });
    followStage(this);
    this.dataKey = dataKey;
    if (props.accessLogsBucket) this.logTo(props.accessLogsBucket);
  }

  // Server access logs through a bucket policy for the logging service: ACLs are off (BUCKET_OWNER_ENFORCED).
  private logTo(target: s3.IBucket): void {
    const prefix = `${this.node.id}/`;
    (this.node.defaultChild as s3.CfnBucket).loggingConfiguration = { destinationBucketName: target.bucketName, logFilePrefix: prefix };
    target.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [target.arnForObjects(`${prefix}*`)],
      conditions: {
        ArnLike: { 'aws:SourceArn': this.bucketArn },
        StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
      },
    }));
  }
}
