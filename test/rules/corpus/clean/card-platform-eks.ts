import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ENV, dataKey, dataTable, removalFor, tagWorkload } from '../careful-team';

/** A mistake the defect corpus makes in this app. */
export interface CardPlatformEksDefects {
  /** The card API's service account may read every object in the account, for the statement files it renders. */
  readonly serviceAccountReadsAnyObject?: boolean;
}

/**
 * The card platform's Kubernetes cluster: a private EKS endpoint, secrets encrypted with the team's key, control-plane
 * logs in a log group the team creates first (kept a year, encrypted), Graviton managed nodes in private subnets, a
 * Fargate profile for batch jobs, the AWS Load Balancer Controller, and the card API's service account (IRSA) with
 * read-write access to its one table. The kubectl layer is the one the team publishes from
 * `@aws-cdk/lambda-layer-kubectl-v31`, imported by ARN. Everything CDK adds for the cluster (its cluster-resource and
 * kubectl providers, in nested stacks of their own; the controller's IAM policy that AWS publishes) is the library's.
 */
export function build(app: App, stage: string, defects: CardPlatformEksDefects = {}): void {
  const stack = new Stack(app, `CardPlatform-${stage}`, { env: ENV });
  tagWorkload(stack, stage, 'card-platform');
  const key = dataKey(stack, 'Key', stage);
  key.grant(new iam.ServicePrincipal(`logs.${ENV.region}.amazonaws.com`), 'kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*');
  const clusterName = `card-platform-${stage}`;

  const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 1, restrictDefaultSecurityGroup: true });
  const flowLogs = new logs.LogGroup(stack, 'FlowLogs', { retention: logs.RetentionDays.ONE_YEAR, encryptionKey: key, removalPolicy: removalFor(stage) });
  vpc.addFlowLog('Flow', { destination: ec2.FlowLogDestination.toCloudWatchLogs(flowLogs) });
  // EKS writes its control-plane logs here; created first so that it has a retention, a key and the stage's removal policy.
  const controlPlaneLogs = new logs.LogGroup(stack, 'ControlPlaneLogs', {
    logGroupName: `/aws/eks/${clusterName}/cluster`, retention: logs.RetentionDays.ONE_YEAR, encryptionKey: key, removalPolicy: removalFor(stage),
  });

  const cluster = new eks.Cluster(stack, 'Cluster', {
    clusterName,
    version: eks.KubernetesVersion.V1_31,
    kubectlLayer: lambda.LayerVersion.fromLayerVersionArn(stack, 'KubectlLayer', `arn:aws:lambda:${ENV.region}:${ENV.account}:layer:kubectl-v31:3`),
    vpc,
    vpcSubnets: [{ subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS }],
    endpointAccess: eks.EndpointAccess.PRIVATE,
    secretsEncryptionKey: key,
    defaultCapacity: 0,
    authenticationMode: eks.AuthenticationMode.API,
    clusterLogging: [eks.ClusterLoggingTypes.API, eks.ClusterLoggingTypes.AUDIT, eks.ClusterLoggingTypes.AUTHENTICATOR],
    albController: { version: eks.AlbControllerVersion.V2_8_2 },
  });
  cluster.node.addDependency(controlPlaneLogs);
  cluster.addNodegroupCapacity('Workers', {
    instanceTypes: [new ec2.InstanceType('m7g.large')],
    amiType: eks.NodegroupAmiType.AL2023_ARM_64_STANDARD,
    minSize: 2,
    maxSize: 6,
  });
  cluster.addFargateProfile('Batch', { selectors: [{ namespace: 'batch' }] });

  const namespace = cluster.addManifest('Payments', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'payments' } });
  const cardApi = cluster.addServiceAccount('CardApi', { name: 'card-api', namespace: 'payments' });
  cardApi.node.addDependency(namespace);
  dataTable(stack, 'Cards', 'cardId', key, stage).grantReadWriteData(cardApi);
  if (defects.serviceAccountReadsAnyObject) {
    cardApi.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
  }
}
