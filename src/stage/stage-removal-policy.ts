import { Annotations, CfnResource, IAspect, RemovalPolicy } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { IConstruct } from 'constructs';
import { acknowledgedRules } from '../rules/acknowledgements';
import { REMOVAL_RULE_PREFIX, STATEFUL_RESOURCE_TYPES } from './stateful-resources';

/** Properties of the `StageRemovalPolicy` aspect. */
export interface StageRemovalPolicyProps {
  /**
   * Whether the stage holds data that must outlive its stacks.
   * Durable: RETAIN (SNAPSHOT for RDS) and deletion protection on. Ephemeral: DESTROY,
   * deletion protection off, buckets emptied on delete, KMS keys gone after 7 days.
   */
  readonly durable: boolean;
}

/**
 * Applies stage-aware removal policies to every stateful resource, L2 or raw `Cfn*` (C02).
 *
 * To keep a different policy on one resource, set it yourself and acknowledge the C02 rule you
 * would otherwise break, with a reason: `Validations.of(resource).acknowledge({ id:
 * 'Fintech-C02-EphemeralRetainsData', reason })`. Any acknowledged `Fintech-C02-*` rule on the
 * resource or its parents makes this aspect leave the resource alone.
 */
export class StageRemovalPolicy implements IAspect {
  private readonly durable: boolean;

  constructor(props: StageRemovalPolicyProps) {
    this.durable = props.durable;
  }

  public visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) return;
    const spec = STATEFUL_RESOURCE_TYPES[node.cfnResourceType];
    if (!spec || removalRuleAcknowledged(node)) return;

    if (this.durable) {
      node.applyRemovalPolicy(spec.durablePolicy === 'Snapshot' ? RemovalPolicy.SNAPSHOT : RemovalPolicy.RETAIN);
      if (spec.deletionProtection) node.addPropertyOverride(spec.deletionProtection.property, spec.deletionProtection.on);
      return;
    }
    node.applyRemovalPolicy(RemovalPolicy.DESTROY);
    if (spec.deletionProtection) node.addPropertyOverride(spec.deletionProtection.property, spec.deletionProtection.off);
    for (const [property, value] of Object.entries(spec.ephemeralProperties ?? {})) node.addPropertyOverride(property, value);
    if (s3.CfnBucket.isCfnBucket(node)) emptyOnDelete(node);
  }
}

// A non-empty bucket cannot be deleted: CDK's auto-delete mixin empties it first (L2 and L1 alike).
function emptyOnDelete(bucket: s3.CfnBucket): void {
  const owner = bucket.node.scope;
  const alreadyEmptied = [bucket, owner].some(c => c?.node.tryFindChild('AutoDeleteObjectsCustomResource') !== undefined);
  if (alreadyEmptied) return;
  const mixin = new s3.mixins.BucketAutoDeleteObjects();
  if (!mixin.supports(bucket)) {
    Annotations.of(bucket).addWarningV2('fintech:bucket-not-emptied', 'This bucket is DESTROY in an ephemeral stage but is not emptied first, so deleting the stack fails while it holds objects. Use an s3.Bucket with autoDeleteObjects: true.');
    return;
  }
  mixin.applyTo(bucket);
}

function removalRuleAcknowledged(node: IConstruct): boolean {
  return [...acknowledgedRules(node).keys()].some(id => id.startsWith(REMOVAL_RULE_PREFIX));
}
