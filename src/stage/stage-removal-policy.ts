import { Annotations, CfnResource, IAspect, RemovalPolicy, Stack, Stage, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { REMOVAL_RULE_PREFIX, STAGE_REMOVAL_POLICY_RULE_ID, STATEFUL_RESOURCE_TYPES, StatefulResourceType } from '../facts/stateful-resources';

/** Properties of the `StageRemovalPolicy` aspect. */
export interface StageRemovalPolicyProps {
  /**
   * Whether the stage holds data that must outlive its stacks.
   * Durable: RETAIN (SNAPSHOT for databases) and deletion protection on. Ephemeral: DESTROY,
   * deletion protection off, buckets emptied before deletion, KMS keys gone after 7 days.
   */
  readonly durable: boolean;
}

// Id of the custom resource that CDK's auto-delete (prop or mixin) adds next to a bucket.
const AUTO_DELETE_ID = 'AutoDeleteObjectsCustomResource';
// Acknowledging this rule means "do not empty this bucket", not "keep it".
const BUCKET_NOT_EMPTIED_RULE_ID = 'Fintech-C02-BucketNotEmptiedOnDelete';

/**
 * Applies stage-aware removal policies to every stateful resource, L2 or raw `Cfn*` (C02): the
 * stage decides, whatever the construct set. Every `FintechStage` adds it to itself.
 *
 * - ephemeral: DESTROY (deletion and update-replace), deletion protection off, KMS keys deleted
 *   after 7 days, ECR repositories emptied, `s3.Bucket`s emptied by CDK's auto-delete custom resource.
 * - durable: RETAIN, or SNAPSHOT for database clusters and instances, and deletion protection on.
 *
 * To take the decision yourself for one resource (and everything below it), acknowledge
 * `Fintech-C02-StageRemovalPolicy`, or the `Fintech-C02-*` rule your choice breaks, with a reason:
 * `Validations.of(resource).acknowledge({ id: 'Fintech-C02-StageRemovalPolicy', reason: '...' })`.
 * The aspect then leaves the resource exactly as you set it, and `FintechChecks` still judges it.
 * Acknowledging `Fintech-C02-BucketNotEmptiedOnDelete` only stops the aspect from emptying the bucket.
 *
 * Runs at `AspectPriority.MUTATING`: it adds constructs (the auto-delete custom resource and its
 * tag), which CDK's aspect stabilization then visits with the stage's tag aspects.
 */
export class StageRemovalPolicy implements IAspect {
  /** Rule id to acknowledge on a resource whose removal policy is your decision, not the stage's. */
  public static readonly ACKNOWLEDGEMENT_ID = STAGE_REMOVAL_POLICY_RULE_ID;

  /** Whether the stage holds data that must outlive its stacks. */
  public readonly durable: boolean;

  constructor(props: StageRemovalPolicyProps) {
    this.durable = props.durable;
  }

  /** Applies the stage's policy when `node` is a stateful `CfnResource` nobody acknowledged. */
  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const spec = STATEFUL_RESOURCE_TYPES[node.cfnResourceType];
    if (!spec) return;
    const acknowledged = acknowledgedRemovalRules(node);
    if ([...acknowledged].some(id => id !== BUCKET_NOT_EMPTIED_RULE_ID)) return;
    if (isClusterMember(node, spec)) {
      node.applyRemovalPolicy(RemovalPolicy.DESTROY);
      return;
    }
    if (this.durable) {
      keep(node, spec);
    } else {
      destroy(node, spec, !acknowledged.has(BUCKET_NOT_EMPTIED_RULE_ID));
    }
  }
}

function keep(node: CfnResource, spec: StatefulResourceType): void {
  node.applyRemovalPolicy(spec.durablePolicy === 'Snapshot' ? RemovalPolicy.SNAPSHOT : RemovalPolicy.RETAIN);
  if (spec.deletionProtection) node.addPropertyOverride(spec.deletionProtection.property, spec.deletionProtection.on);
  if (spec.elementDeletionProtection) protectElements(node, spec, true);
  if (s3.CfnBucket.isCfnBucket(node) && autoDeletes(node)) {
    // CDK's auto-delete empties a bucket when it leaves the stack: that must never happen in a durable stage.
    node.node.addValidation({
      validate: () => [`Bucket ${node.node.path} has autoDeleteObjects, so it would be emptied when removed from its stack, ` +
        `but stage "${Stage.of(node)?.stageName ?? ''}" is durable and retains it. Drop autoDeleteObjects (ephemeral FintechStages turn it on for you), ` +
        `or acknowledge ${STAGE_REMOVAL_POLICY_RULE_ID} on the bucket with a reason and set its removal policy yourself.`],
    });
  }
}

function destroy(node: CfnResource, spec: StatefulResourceType, emptyBuckets: boolean): void {
  node.applyRemovalPolicy(RemovalPolicy.DESTROY);
  if (spec.deletionProtection) node.addPropertyOverride(spec.deletionProtection.property, spec.deletionProtection.off);
  if (spec.elementDeletionProtection) protectElements(node, spec, false);
  for (const [property, value] of Object.entries(spec.ephemeralProperties ?? {})) node.addPropertyOverride(property, value);
  if (emptyBuckets && s3.CfnBucket.isCfnBucket(node)) emptyBeforeDelete(node);
}

// CloudFormation cannot delete a bucket that holds objects, so the bucket is emptied first.
function emptyBeforeDelete(bucket: s3.CfnBucket): void {
  if (autoDeletes(bucket)) return;
  if (rawOverride(bucket, 'DeletionPolicy') !== undefined) {
    // An escape hatch keeps the bucket: emptying it on stack deletion would lose the data it keeps.
    return;
  }
  const owner = bucket.node.scope;
  if (owner && owner.node.defaultChild === bucket && 'bucketArn' in owner) {
    // The L2 path of `autoDeleteObjects: true`: it also creates the L2's own bucket policy, so a
    // later grant cannot add a second AWS::S3::BucketPolicy that would replace the first.
    const enable = (owner as unknown as { enableAutoDeleteObjects?: () => void }).enableAutoDeleteObjects;
    if (typeof enable === 'function') {
      enable.call(owner);
      return;
    }
    new s3.mixins.BucketAutoDeleteObjects().applyTo(bucket);
    Annotations.of(bucket).addWarningV2('fintech:bucket-auto-delete-fallback',
      'This aws-cdk-lib has no Bucket.enableAutoDeleteObjects, so FintechStage emptied the bucket with s3.mixins.BucketAutoDeleteObjects, ' +
      'which adds its own bucket policy. If you also grant access to the bucket, set autoDeleteObjects: true and removalPolicy: DESTROY on it yourself.');
    return;
  }
  Annotations.of(bucket).addWarningV2('fintech:bucket-not-emptied',
    `Raw CfnBucket ${bucket.node.path} is deleted with ephemeral stage "${Stage.of(bucket)?.stageName ?? ''}", but nothing empties it first, ` +
    'so deleting the stack fails while it holds objects. Use an s3.Bucket (FintechStage turns on autoDeleteObjects for it), ' +
    'or apply s3.mixins.BucketAutoDeleteObjects to this bucket if no other bucket policy targets it.');
}

function autoDeletes(bucket: s3.CfnBucket): boolean {
  return [bucket, bucket.node.scope].some(c => c?.node.tryFindChild(AUTO_DELETE_ID) !== undefined);
}

// DynamoDB global tables: deletion protection is set per replica, and the replicas are often a Lazy list.
function protectElements(node: CfnResource, spec: StatefulResourceType, on: boolean): void {
  const element = spec.elementDeletionProtection!;
  const given = givenProperty(node, element.list);
  const typed = dynamodb.CfnGlobalTable.isCfnGlobalTable(node) ? node.replicas : undefined;
  const list = Stack.of(node).resolve(typed ?? given);
  if (!Array.isArray(list)) {
    Annotations.of(node).addWarningV2('fintech:element-deletion-protection',
      `Could not read ${element.list} of ${node.node.path}, so FintechStage did not turn ${element.property} ${on ? 'on' : 'off'} in each of them; set it yourself.`);
    return;
  }
  list.forEach((_, i) => node.addPropertyOverride(`${element.list}.${i}.${element.property}`, on ? element.on : element.off));
}

function isClusterMember(node: CfnResource, spec: StatefulResourceType): boolean {
  if (!spec.clusterMemberProperty) return false;
  if (rawOverride(node, `Properties.${spec.clusterMemberProperty}`) !== undefined) return true;
  if (rds.CfnDBInstance.isCfnDBInstance(node) && node.dbClusterIdentifier !== undefined) return true;
  return givenProperty(node, spec.clusterMemberProperty) !== undefined;
}

// A generic `new CfnResource(...)` keeps its properties as given, in a field CDK does not document; read it defensively.
function givenProperty(node: CfnResource, property: string): unknown {
  const given = (node as unknown as { _cfnProperties?: unknown })._cfnProperties;
  return given !== null && typeof given === 'object' ? (given as Record<string, unknown>)[property] : undefined;
}

// Escape hatches (`addOverride`) live in a private field of CfnResource; read it defensively.
function rawOverride(node: CfnResource, path: string): unknown {
  let current: unknown = (node as unknown as { rawOverrides?: unknown }).rawOverrides;
  for (const part of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

// Acknowledged Fintech-C02 rule ids on the node or a parent; CDK stores them as `<source>::<id>` (`annotation::` for bare ids).
function acknowledgedRemovalRules(node: IConstruct): Set<string> {
  const found = new Set<string>();
  for (let current: IConstruct | undefined = node; current; current = current.node.scope) {
    for (const entry of current.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !entry.data || typeof entry.data !== 'object') continue;
      for (const key of Object.keys(entry.data as Record<string, unknown>)) {
        const id = key.includes('::') ? key.slice(key.lastIndexOf('::') + 2) : key;
        if (id === STAGE_REMOVAL_POLICY_RULE_ID || id.startsWith(REMOVAL_RULE_PREFIX)) found.add(id);
      }
    }
  }
  return found;
}
