import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

// CDK publishes an image asset to the bootstrap repository (`cdk-<qualifier>-container-assets-<account>-<region>`, or the
// synthesizer's imageAssetsRepositoryName) under a tag that is the asset's 64-digit hex hash (after the synthesizer's
// dockerTagPrefix): a tag no build can move, since another image would have another hash.
const CDK_ASSET_TAG = /[0-9a-f]{64}$/;
// An image pinned by digest cannot change under a deployed function.
const DIGEST = /@sha256:[0-9a-f]+$/i;

/**
 * C20, warning: container image functions (`PackageType: Image`) deploy an image CDK builds from
 * the repository (an image asset, tagged with its 64-digit hex hash). Decision: an image referenced by URI is accepted
 * only when pinned by digest (`@sha256:`), because then the deployed code is fixed and reviewable even if another
 * pipeline built it; a tag (`:latest`, `:v1`) is mutable and nothing in this repository builds it, whatever the
 * repository is called. A URI whose ending comes from a parameter or an import is unknown.
 */
export class ImageWithoutAsset implements FintechRule {
  /** Metadata of `Fintech-C20-ImageWithoutAsset`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C20-ImageWithoutAsset',
    catalogId: 'C20',
    title: 'Container image functions are built from an asset or pinned by digest',
    description: 'A function image referenced by tag is built somewhere CI does not see: the repository cannot rebuild it, the tag can move ' +
      'under a deployed function, and a rollback may not bring the old code back. ' +
      'Judged on functions with PackageType Image, their ImageUri read as a literal, join or sub: an image pinned by an @sha256 digest passes, ' +
      'and so does one tagged with a CDK image asset\'s 64-digit hex hash (the bootstrap container-assets repository, or a synthesizer\'s own). ' +
      'Not judged: zip functions, an intrinsic Code, and image URIs whose tag synth cannot read (a ' +
      'parameter, an import, a join or sub that ends in an intrinsic).',
    fix: 'Use lambda.DockerImageCode.fromImageAsset(<directory with the Dockerfile>), or pin the image by digest (tagOrDigest: "sha256:...").',
    defaultSeverity: RuleSeverity.WARNING,
    acknowledgeableInDurableStages: true,
  };

  public readonly name = 'ImageWithoutAsset';
  public readonly infos = [ImageWithoutAsset.INFO];
  public readonly resourceTypes = ['AWS::Lambda::Function'];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties || typeof properties.PackageType !== 'string' || properties.PackageType.toLowerCase() !== 'image') return [];
    const code = properties.Code;
    if (!TemplateValue.isObject(code) || TemplateValue.isIntrinsic(code)) return [];
    const tag = tagOf(code.ImageUri);
    if (tag === undefined || DIGEST.test(tag) || CDK_ASSET_TAG.test(tag)) return [];
    return [findingOn(resource, ImageWithoutAsset.INFO.id,
      `${resource.type} ${resource.logicalId} runs an image referenced by ${tag ? `tag "${tag.slice(1)}"` : 'a URI without tag or digest'}, not a CDK image asset, so CI neither builds it nor pins what runs.`,
      ['Properties/Code/ImageUri'])];
  }
}

/**
 * How an image URI ends after its repository: `:<tag>` or `@sha256:<digest>`, '' when it has neither; undefined when synth
 * cannot read its ending (an intrinsic last, as a tag from a parameter).
 */
function tagOf(uri: unknown): string | undefined {
  const parts = TemplateValue.stringParts(uri);
  const ending = parts?.[parts.length - 1];
  if (typeof ending !== 'string') return undefined;
  const lastSegment = ending.slice(ending.lastIndexOf('/') + 1);
  const at = lastSegment.indexOf('@');
  if (at >= 0) return lastSegment.slice(at);
  const colon = lastSegment.lastIndexOf(':');
  if (colon >= 0) return lastSegment.slice(colon);
  // A literal URI without either has no tag (Lambda rejects it, but it is certainly not an asset); a literal ending of a
  // join or sub without ':' may be the middle of a tag.
  return parts!.length === 1 ? '' : undefined;
}
