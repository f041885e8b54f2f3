import { listOf, resolveAcrossStacks } from '../events/deliveries';
import { TemplatePeers, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

/** How a CloudFront distribution reads a bucket it serves as an S3 origin. */
export type BucketOriginAccess = 'originAccessControl' | 'originAccessIdentity';

/** A CloudFront distribution reading a bucket of the validation as an S3 origin, signed by an OAC or an OAI. */
export interface BucketOrigin {
  /** The `AWS::CloudFront::Distribution`. */
  readonly distribution: TemplateResource;
  /** How it reads the bucket. */
  readonly access: BucketOriginAccess;
}

// The bucket attributes CloudFront's S3 origins are written with.
const DOMAIN_ATTRIBUTES = new Set(['DomainName', 'RegionalDomainName']);

/**
 * The distributions of the validation that read `bucket` as an S3 origin (`S3OriginConfig`, its `DomainName` the
 * bucket's `DomainName` or `RegionalDomainName`, followed across stacks), with an origin access control or an origin
 * access identity. An origin without either reads the bucket as anyone may, and a domain name written out as text, or
 * a website endpoint (a custom origin), is not followed; nor is a distribution with an origin-request function at the
 * edge (Lambda@Edge), which may sign its own requests to the bucket (the workaround the CloudFront Developer Guide
 * mentions for what an OAI does not support).
 */
export function bucketOrigins(bucket: TemplateResource): readonly BucketOrigin[] {
  return originsByBucket(bucket.stack.peers).get(bucket) ?? [];
}

function originsByBucket(peers: TemplatePeers): ReadonlyMap<TemplateResource, readonly BucketOrigin[]> {
  return peers.memo('cloudfront.bucket-origins', () => {
    const byBucket = new Map<TemplateResource, BucketOrigin[]>();
    for (const stack of peers.templates) {
      for (const distribution of stack.resourcesOfType('AWS::CloudFront::Distribution')) {
        const config = distribution.properties?.DistributionConfig;
        if (!TemplateValue.isObject(config) || TemplateValue.isIntrinsic(config) || signsAtTheEdge(config)) continue;
        const origins = listOf(config.Origins);
        for (const origin of origins) {
          if (!TemplateValue.isObject(origin) || TemplateValue.isIntrinsic(origin)) continue;
          const s3Config = origin.S3OriginConfig;
          if (!TemplateValue.isObject(s3Config) || TemplateValue.isIntrinsic(s3Config)) continue;
          const access = accessOf(origin.OriginAccessControlId, s3Config.OriginAccessIdentity);
          if (!access) continue;
          const named = resolveAcrossStacks(stack, origin.DomainName);
          const attribute = TemplateValue.getAtt(named.value)?.attribute;
          if (named.target.kind !== 'resource' || named.target.resource.type !== 'AWS::S3::Bucket' || !attribute || !DOMAIN_ATTRIBUTES.has(attribute)) continue;
          const list = byBucket.get(named.target.resource) ?? [];
          list.push({ distribution, access });
          byBucket.set(named.target.resource, list);
        }
      }
    }
    return byBucket;
  });
}

/** Whether any cache behavior of the distribution runs a function on origin requests (or the behaviors cannot be read). */
function signsAtTheEdge(config: Record<string, unknown>): boolean {
  const behaviors = [config.DefaultCacheBehavior, ...listOf(config.CacheBehaviors)];
  return behaviors.some(behavior => {
    if (behavior === undefined) return false;
    if (!TemplateValue.isObject(behavior) || TemplateValue.isIntrinsic(behavior)) return true;
    return listOf(behavior.LambdaFunctionAssociations).some(association =>
      !TemplateValue.isObject(association) || TemplateValue.isIntrinsic(association) || association.EventType === 'origin-request');
  });
}

/** An origin's signing: an access control id wins over an identity, as CloudFront uses it; an empty string is none. */
function accessOf(controlId: unknown, identity: unknown): BucketOriginAccess | undefined {
  if (controlId !== undefined && controlId !== '') return 'originAccessControl';
  if (identity !== undefined && identity !== '') return 'originAccessIdentity';
  return undefined;
}
