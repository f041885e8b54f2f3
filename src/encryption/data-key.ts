import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { followStage } from '../stage/follow-stage';
import { NameKind, PhysicalName } from '../stage/physical-name';

/** AWS services that write to KMS-encrypted targets on a producer's behalf (C05). */
export enum KeyConsumer {
  /** SNS, publishing to an encrypted topic or delivering to an encrypted queue. */
  SNS = 'sns',
  /** SQS, for queues encrypted with the key. */
  SQS = 'sqs',
  /** EventBridge, delivering events to encrypted queues and topics. */
  EVENTS = 'events',
  /** CloudWatch alarms, publishing to an encrypted topic. */
  CLOUDWATCH = 'cloudwatch',
  /** CloudWatch Logs, encrypting log groups. */
  LOGS = 'logs',
  /** DynamoDB, encrypting tables and streams. */
  DYNAMODB = 'dynamodb',
  /** CloudTrail, encrypting a trail's log and digest files (a trail cannot be created without it). */
  CLOUDTRAIL = 'cloudtrail',
}

/** Options of `DataKey.allowService`. */
export interface AllowServiceOptions {
  /**
   * ARN (or ARN pattern) of the resource the service acts for, e.g. the alarm or rule ARN.
   * Narrows the grant with `aws:SourceArn`. Build it from names or a pattern (`stack.formatArn(...)`), not from a
   * reference such as `rule.ruleArn` when that resource writes to something this key encrypts in the same stack: the
   * key policy would then refer to the resource that refers to the key, a dependency cycle CloudFormation refuses
   * (`Fintech-C05-DependencyCycle`).
   *
   * @default - the grant is scoped to this account with `aws:SourceAccount` only
   */
  readonly sourceArn?: string;
}

/** Properties of a `DataKey`. */
export interface DataKeyProps {
  /**
   * Base of the alias: the alias becomes `alias/<application>-<base>-<stage>`.
   *
   * @default 'data'
   */
  readonly aliasBase?: string;

  /**
   * What the key protects, shown in the KMS console.
   *
   * @default - "<application> <base> key (<stage>)"
   */
  readonly description?: string;

  /**
   * Waiting period before a deleted key is gone. The stage's removal policy decides whether the key is deleted at all.
   *
   * @default Duration.days(7) in ephemeral stages, Duration.days(30) in durable ones
   */
  readonly pendingWindow?: Duration;
}

// The actions a service needs to encrypt (GenerateDataKey) and read back (Decrypt) what it writes.
const SERVICE_ACTIONS = ['kms:Decrypt', 'kms:GenerateDataKey*'];

/**
 * A customer managed KMS key with rotation on and an alias named after the stage. Services that
 * write to targets encrypted with it are allowed explicitly with `allowService`, scoped to this
 * account (and to a source ARN where known), so no producer is left unable to use the key (C04, C05).
 */
export class DataKey extends Construct {
  /** The KMS key. */
  public readonly key: kms.Key;
  /** The alias name, `alias/<application>-<base>-<stage>`. */
  public readonly aliasName: string;

  private readonly allowed = new Map<string, Set<string>>();

  constructor(scope: Construct, id: string, props: DataKeyProps = {}) {
    super(scope, id);
    followStage(this);
    const base = props.aliasBase ?? 'data';
    this.aliasName = PhysicalName.of(this, base, { kind: NameKind.KMS_ALIAS });
    this.key = new kms.Key(this, 'Key', {
      enableKeyRotation: true,
      alias: this.aliasName,
      description: props.description ?? `${this.aliasName.replace(/^alias\//, '')} data key`,
      ...(props.pendingWindow ? { pendingWindow: props.pendingWindow } : {}),
    });
  }

  /**
   * Lets an AWS service use the key for what it writes on behalf of this account.
   * A source already covered for that service (the same ARN, a pattern ending in `*` that matches it, or the
   * whole account) adds nothing.
   */
  public allowService(consumer: KeyConsumer, options: AllowServiceOptions = {}): void {
    const sources = this.allowed.get(consumer) ?? new Set<string>();
    const source = options.sourceArn ?? '*';
    if ([...sources].some(allowed => allowed === source || (allowed.endsWith('*') && source.startsWith(allowed.slice(0, -1))))) return;
    sources.add(source);
    this.allowed.set(consumer, sources);

    const sid = `Allow${consumer.charAt(0).toUpperCase()}${consumer.slice(1)}${sources.size > 1 ? sources.size : ''}`;
    for (const statement of serviceStatements(consumer, Stack.of(this), sid, options.sourceArn)) this.key.addToResourcePolicy(statement);
  }
}

/**
 * The key policy statements that let a service use the key, scoped to what it acts for (in a key policy "*" means this
 * key). CloudWatch Logs and CloudTrail sign their data-key requests with the log group's or trail's ARN in the
 * encryption context rather than `aws:SourceArn`; CloudTrail also describes the key (no encryption context there, so
 * that statement is scoped by `aws:SourceArn`, as the CloudTrail user guide shows) and never decrypts (its readers do);
 * the other services are scoped to the account and, with `sourceArn`, to that resource.
 */
function serviceStatements(consumer: KeyConsumer, stack: Stack, sid: string, sourceArn: string | undefined): iam.PolicyStatement[] {
  const principals = [servicePrincipal(consumer, stack)];
  const statement = (id: string, actions: string[], conditions: { [operator: string]: { [key: string]: string } }) =>
    new iam.PolicyStatement({ sid: id, principals, actions, resources: ['*'], conditions });
  switch (consumer) {
    case KeyConsumer.LOGS:
      return [statement(sid, [...SERVICE_ACTIONS, 'kms:Encrypt*', 'kms:ReEncrypt*', 'kms:Describe*'], {
        ArnLike: { 'kms:EncryptionContext:aws:logs:arn': sourceArn ?? `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*` },
      })];
    case KeyConsumer.CLOUDTRAIL: {
      // A multi-region trail encrypts in every region with its home region's ARN, hence the `*` region by default.
      const trails = sourceArn ?? `arn:${stack.partition}:cloudtrail:*:${stack.account}:trail/*`;
      return [
        statement(sid, ['kms:GenerateDataKey*'], { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trails } }),
        statement(`${sid}Describe`, ['kms:DescribeKey'], { ArnLike: { 'aws:SourceArn': trails } }),
      ];
    }
    default:
      return [statement(sid, SERVICE_ACTIONS, {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ...(sourceArn ? { ArnLike: { 'aws:SourceArn': sourceArn } } : {}),
      })];
  }
}

function servicePrincipal(consumer: KeyConsumer, stack: Stack): iam.IPrincipal {
  // CloudWatch Logs is the one service whose key-policy principal is regional.
  return consumer === KeyConsumer.LOGS
    ? new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)
    : new iam.ServicePrincipal(`${consumer}.amazonaws.com`);
}
