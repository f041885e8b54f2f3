import { Stack } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as lambda from 'aws-cdk-lib/aws-lambda';

/**
 * An EKS cluster (`eks.Cluster`, or `eks.FargateCluster` with `fargate`) as its docs write it, with the kubectl layer a
 * team publishes from `@aws-cdk/lambda-layer-kubectl-v31` imported by ARN, so that no layer package is needed to synthesize.
 */
export function kubernetesCluster(stack: Stack, props: Partial<eks.ClusterProps> & { readonly fargate?: boolean } = {}): eks.Cluster {
  const { fargate, ...clusterProps } = props;
  const kubectlLayer = lambda.LayerVersion.fromLayerVersionArn(stack, 'Kubectl', `arn:aws:lambda:${stack.region}:${stack.account}:layer:kubectl:1`);
  const Cluster = fargate ? eks.FargateCluster : eks.Cluster;
  return new Cluster(stack, 'Cluster', { version: eks.KubernetesVersion.V1_31, kubectlLayer, ...clusterProps });
}
