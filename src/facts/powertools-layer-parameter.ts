// No aws-cdk-lib import: the deploy CLIs read this too, and must start fast.

/**
 * Where AWS publishes the ARN of its Powertools for AWS Lambda (TypeScript) layer, one SSM parameter per released
 * version, in every commercial region (Powertools docs, "Lambda layers": lookup via SSM Parameter Store).
 */
export const POWERTOOLS_LAYER_PARAMETER_PATH = '/aws/service/powertools/typescript/generic/all';

/** The public SSM parameter holding the layer ARN of one Powertools version. */
export function powertoolsLayerParameter(version: string): string {
  return `${POWERTOOLS_LAYER_PARAMETER_PATH}/${version}`;
}
