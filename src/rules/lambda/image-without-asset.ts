import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

// CDK publishes image assets to the bootstrap repository `cdk-<qualifier>-container-assets-<account>-<region>`.
const CDK_IMAGE_ASSET = /container-assets/;
// An image pinned by digest cannot change under a deployed function.
const DIGEST = /@sha256:[0-9a-f]+/i;

/**
 * C20, warning: container image functions (`PackageType: Image`) deploy an image CDK builds from
 * the repository (an image asset). Decision: an image referenced by URI is accepted only when pinned
 * by digest (`@sha256:`), because then the deployed code is fixed and reviewable even if another
 * pipeline built it; a tag (`:latest`, `:v1`) is mutable and nothing in this repository builds it.
 * A URI that comes from a parameter or an import is unknown.
 */
export class ImageWithoutAsset implements FintechRule {
  /** Metadata of `Fintech-C20-ImageWithoutAsset`. */
  public static readonly INFO: RuleInfo = {
    id: 'Fintech-C20-ImageWithoutAsset',
    catalogId: 'C20',
    title: 'Container image functions are built from an asset or pinned by digest',
    description: 'A function image referenced by tag is built somewhere CI does not see: the repository cannot rebuild it, the tag can move ' +
      'under a deployed function, and a rollback may not bring the old code back. ' +
      'Judged on functions with PackageType Image: an image in CDK\'s container-assets repository or pinned by an @sha256 digest passes. ' +
      'Not judged: zip functions, an intrinsic Code, and image URIs whose tag synth cannot read (a ' +
      'parameter, an import, a join that ends in an intrinsic).',
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
    const uri = code.ImageUri;
    const text = JSON.stringify(uri ?? '');
    if (CDK_IMAGE_ASSET.test(text) || DIGEST.test(text)) return [];
    const tag = tagOf(uri);
    if (tag === undefined) return [];
    return [findingOn(resource, ImageWithoutAsset.INFO.id,
      `${resource.type} ${resource.logicalId} runs an image referenced by ${tag ? `tag "${tag}"` : 'a URI without tag or digest'}, not a CDK image asset, so CI neither builds it nor pins what runs.`,
      ['Properties/Code/ImageUri'])];
  }
}

/** The tag of an image URI ('' when it has none); undefined when the URI's ending cannot be read (unknown). */
function tagOf(uri: unknown): string | undefined {
  let ending = uri;
  const join = TemplateValue.isObject(uri) ? uri['Fn::Join'] : undefined;
  if (Array.isArray(join) && Array.isArray(join[1])) ending = join[1][join[1].length - 1];
  if (typeof ending !== 'string') return undefined;
  const lastSegment = ending.slice(ending.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  if (colon >= 0) return lastSegment.slice(colon + 1);
  // A bare literal URI has no tag (Lambda rejects it, but it is certainly not an asset); a Join's literal ending without ':' may be the middle of a tag.
  return ending === uri ? '' : undefined;
}
