/**
 * A resource that an aws-cdk-lib construct creates inside itself, with values none of the construct's props set, or the
 * statements such a construct writes into a role it creates. The app did not write them and cannot change them where
 * they are, so the rule pack reports findings on them as warnings naming the construct (the way it reports CDK's own
 * custom-resource providers).
 */
export interface LibraryInternal {
  /** jsii name of the construct class that creates the resource, e.g. `aws-cdk-lib.pipelines.CodePipeline`. */
  readonly library: string;
  /**
   * Construct path below that construct (ids joined by `/`) of the construct the resource is created in; a `*` stands for
   * any characters within one id (an id the library derives from a hash).
   * @default - only with `support`: anywhere in the support construct
   */
  readonly path?: string;
  /**
   * For resources the library creates outside itself, in a construct of a private class it adds to another stack
   * (codepipeline.Pipeline's cross-region support, in a support stack of its own or in a cross-region action's stack).
   * @default - the resource is below the library construct, at `path`
   */
  readonly support?: LibrarySupport;
  /**
   * For a resource the library creates inside a construct that is not its own and records no library class (an imported
   * one, whose anonymous class passes for `aws-cdk-lib.Resource`), named after the library construct: the id the
   * resource's construct has there, where `{uniqueId}` stands for the library construct's unique id
   * (`Names.nodeUniqueId`) and `*` for any characters within the id.
   * @default - the resource is below the library construct, at `path`, or in a support construct
   */
  readonly namedAfter?: string;
  /**
   * For a role or a policy: the actions, as the library writes them (`ssmmessages:*` included), that its own statements
   * allow on `Resource: "*"`, and the service wildcards it allows on any resource (`dynamodb:*` on a table it replicates).
   * Only those are the library's; any other action on `*`, or service wildcard, in the role's policies was added by the
   * app and stays an error.
   * @default - every finding on the resource is the library's
   */
  readonly wildcardActions?: readonly string[];
  /**
   * For a role that other library constructs write statements into (a state machine's role, which its tasks fill): the
   * statements they allow on `Resource: "*"`. Their actions are the library's only in an app that has a construct of the
   * class that writes them; any other action on `*` stays the app's.
   * @default - none: `wildcardActions` decides, or the entry is no role's
   */
  readonly wildcardStatements?: readonly LibraryStatement[];
  /**
   * For a library construct whose internal another library construct writes, once it takes the first one in a property
   * (an ECS cluster writing its agent's statements into the role of an Auto Scaling group it takes as capacity): the
   * entry applies only to a construct held so, and findings name the holder.
   * @default - the entry applies to every construct of `library`
   */
  readonly heldBy?: readonly LibraryHolder[];
  /**
   * Prefixes of the rule ids whose findings on the resource are the library's doing (`Fintech-C02-`: its removal
   * policy); findings of other rules stay the app's, judged as usual, since props the app passes may decide them.
   * @default - every rule's findings on the resource are the library's
   */
  readonly rules?: readonly string[];
  /** What the resource is, and how the app can choose otherwise, for the finding's message. */
  readonly how: string;
}

/** A statement a library class writes into a role of another construct. */
export interface LibraryStatement {
  /** The statement's actions, as the library writes them. */
  readonly actions: readonly string[];
  /** jsii name of the class that writes it, e.g. `aws-cdk-lib.aws_stepfunctions_tasks.EcsRunTask`. */
  readonly writtenBy: string;
}

/** A library class whose constructs take another library construct in a public property. */
export interface LibraryHolder {
  /** jsii name of the holding class, e.g. `aws-cdk-lib.aws_ecs.AsgCapacityProvider`. */
  readonly library: string;
  /**
   * The public property that holds the other construct, e.g. `autoScalingGroup`.
   * @default - the holder is the other construct's scope: it created it inside itself
   */
  readonly property?: string;
}

/** A construct of a private library class that holds the resources a library construct created outside itself. */
export interface LibrarySupport {
  /** The private class's name (the library's JavaScript class name, which jsii does not export). */
  readonly className: string;
  /**
   * The library construct's public property that reaches each support construct: a map whose values name a resource
   * of the support construct (`{ [region]: { replicationBucket } }`), used to name the library construct in findings.
   */
  readonly property: string;
  /** The key of those values that holds a resource created directly in the support construct. */
  readonly resource: string;
  /**
   * How the library names a support construct in its stack, as `<stack id>/<construct id>`: how one rebuilt from a cloud
   * assembly, whose construct tree file records no class name for a private class, is told.
   */
  readonly stackAndId: RegExp;
}

// The removal rules (C02), which judge what a library decides for a resource it creates without a removalPolicy prop.
const REMOVAL_RULES = 'Fintech-C02-';

// The store-encryption rule that asks for a customer key (C04).
const STORE_KEY_RULE = 'Fintech-C04-StoreWithoutCustomerKey';

// The rule-target rules (C12), which judge the dead-letter queue and retry policy of a rule's targets.
const RULE_TARGET_RULES = 'Fintech-C12-RuleTargetWithout';

// What holds an Auto Scaling group an ECS cluster takes as EC2 capacity: a capacity provider, or the cluster itself, in which
// cluster.addCapacity() creates the group.
const ECS_CAPACITY_HOLDERS: readonly LibraryHolder[] = [
  { library: 'aws-cdk-lib.aws_ecs.AsgCapacityProvider', property: 'autoScalingGroup' },
  { library: 'aws-cdk-lib.aws_ecs.Cluster' },
];

// The EKS cluster classes, which create the same internals.
const EKS_CLUSTERS = ['aws-cdk-lib.aws_eks.Cluster', 'aws-cdk-lib.aws_eks.FargateCluster'];

/**
 * Entries for the stores a library construct creates, at the given paths below it, with their class's default removal
 * policy (retained), each described by what it is and how the app passes its own.
 */
function retainedDefaults(library: string, stores: Readonly<Record<string, string>>): LibraryInternal[] {
  return Object.entries(stores).map(([path, what]) => ({
    library, path, rules: [REMOVAL_RULES], how: `${what}, to choose its removal policy (the library always retains it)`,
  }));
}

/**
 * The library internals the pack knows, read from aws-cdk-lib 2.257's source: pipelines/lib/codepipeline/codepipeline.js,
 * pipelines/lib/private/asset-singleton-role.js, aws-codepipeline/lib/pipeline.js, aws-ec2/lib/bastion-host.js,
 * aws-s3-deployment/lib/bucket-deployment.js, aws-certificatemanager/lib/dns-validated-certificate.js, aws-ecs/lib/cluster.js,
 * aws-ecs-patterns/lib/base/scheduled-task-base.js, aws-stepfunctions-tasks/lib/ecs/run-ecs-task-base.js,
 * aws-stepfunctions-tasks/lib/athena/*.js, aws-stepfunctions-tasks/lib/sagemaker/*.js,
 * aws-stepfunctions-tasks/lib/emr/emr-create-cluster.js, aws-eks/lib/cluster-resource.js, aws-eks/lib/managed-nodegroup.js,
 * aws-eks/lib/alb-controller.js,
 * aws-dynamodb/lib/table.js, aws-codepipeline-actions/lib/{s3,ecr}/source-action.js, aws-lambda-destinations/lib/lambda.js,
 * aws-s3/lib/bucket.js,
 * aws-ec2/lib/vpc-flow-logs.js, aws-ecs/lib/log-drivers/aws-log-driver.js, aws-synthetics/lib/canary.js, aws-cloudtrail/lib/cloudtrail.js,
 * aws-opensearchservice/lib/domain.js, custom-resources/lib/provider-framework/waiter-state-machine.js, aws-rds/lib/private/util.js,
 * aws-docdb/lib/cluster.js, aws-ecs/lib/base/base-service.js, aws-sqs/lib/queue.js, aws-kinesis/lib/stream.js,
 * aws-cloudfront/lib/{distribution,web-distribution}.js, aws-stepfunctions-tasks/lib/emrcontainers/start-job-run.js and
 * aws-ecs/lib/drain-hook/instance-drain-hook.js. Listed one by one on purpose: a construct's other resources (its own `Resource`, what its props
 * configure) stay the app's, judged as usual.
 */
export const LIBRARY_INTERNALS: readonly LibraryInternal[] = [
  {
    library: 'aws-cdk-lib.aws_codepipeline.Pipeline',
    path: 'ArtifactsBucket',
    rules: [REMOVAL_RULES],
    how: 'its artifact bucket, which the library always retains; pass your own `artifactBucket` to choose its removal policy',
  },
  {
    library: 'aws-cdk-lib.aws_codepipeline.Pipeline',
    path: 'ArtifactsBucketEncryptionKey',
    rules: [REMOVAL_RULES],
    how: "its artifact bucket's key (crossAccountKeys), which the library always destroys with the stack; pass your own `artifactBucket` to choose",
  },
  {
    library: 'aws-cdk-lib.aws_codepipeline.Pipeline',
    support: {
      className: 'CrossRegionSupportConstruct',
      property: 'crossRegionSupport',
      resource: 'replicationBucket',
      // A support stack of its own (`cross-region-stack-<account or stack name>:<region>`), or the action's resource stack.
      stackAndId: /^cross-region-stack-[^/]+\/Default$|^[^/]+\/CrossRegionReplicationSupport-d823f1d8-a990-4e5c-be18-4ac698532e65-[^/]+$/,
    },
    how: 'the replication bucket and key of a cross-region support stack it adds to the app, which the app\'s stack tags do not reach; ' +
      'tag the app or stage with `Tags.of`, or pass your own `crossRegionReplicationBuckets`',
  },
  {
    library: 'aws-cdk-lib.aws_codepipeline.Pipeline',
    path: 'Role',
    // The replication buckets' keys live in other regions' support stacks, whose ARNs the pipeline's stack cannot name.
    wildcardActions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
    how: 'statements its role gets for the keys of its cross-region replication buckets',
  },
  {
    library: 'aws-cdk-lib.pipelines.CodePipeline',
    path: 'PipelinesSecurityCheck/CDKSecurityCheck/Role',
    // `cdk diff --security-only` assumes the bootstrap deploy roles of whatever accounts the stage deploys to, found by tag.
    wildcardActions: ['sts:AssumeRole'],
    how: 'statements of the role of the security check project a `ConfirmPermissionsBroadening` step adds, which assumes the ' +
      'CDK bootstrap deploy roles (pinned by their `aws-cdk:bootstrap-role` tag) to run `cdk diff --security-only`',
  },
  {
    library: 'aws-cdk-lib.pipelines.CodePipeline',
    path: 'UpdatePipeline/SelfMutation/Role',
    // `cdk deploy` of the pipeline stack reads stack states and the bootstrap bucket, which the library cannot name.
    wildcardActions: ['cloudformation:DescribeStacks', 's3:ListBucket'],
    how: 'statements its self-mutation step (cdk deploy of the pipeline stack) always has; `selfMutation: false` leaves them out',
  },
  ...['FileRole', 'DockerRole'].map(role => ({
    library: 'aws-cdk-lib.pipelines.CodePipeline',
    path: `Assets/${role}`,
    // The asset publishing role starts and watches its own CodeBuild builds, created after the role.
    wildcardActions: ['codebuild:BatchGetBuilds', 'codebuild:StartBuild', 'codebuild:StopBuild'],
    how: 'statements its asset publishing role always has',
  })),
  {
    library: 'aws-cdk-lib.aws_ec2.BastionHostLinux',
    path: 'Resource/InstanceRole',
    // What Session Manager's agent calls (the AWS managed policy AmazonSSMManagedInstanceCore allows the same on "*").
    wildcardActions: ['ssmmessages:*', 'ssm:UpdateInstanceInformation', 'ec2messages:*'],
    how: 'statements its instance role always has for Session Manager; an `ec2.Instance` with `ssmSessionPermissions: true` ' +
      'attaches the AWS managed policy AmazonSSMManagedInstanceCore instead',
  },
  {
    library: 'aws-cdk-lib.aws_autoscaling.AutoScalingGroup',
    path: 'InstanceRole',
    // The awslogs driver writes into log groups the cluster cannot know. The agent's other statements on "*" accept only
    // "*" (ecs:DiscoverPollEndpoint, ecr:GetAuthorizationToken) or are pinned to the cluster by an ecs:cluster condition.
    wildcardActions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
    heldBy: ECS_CAPACITY_HOLDERS,
    how: 'statements an ECS cluster writes into the instance role of the Auto Scaling group it takes as capacity, for its ' +
      'container agent and the awslogs log driver; Fargate capacity needs none',
  },
  {
    library: 'aws-cdk-lib.aws_autoscaling.AutoScalingGroup',
    path: 'DrainECSHook',
    // The function, its role and the subscription of the lifecycle hook's topic (aws-ecs/lib/drain-hook/instance-drain-hook.js):
    // no prop sets the function's tracing, failure destination, sizing or alarms. The topic's key is `topicEncryptionKey`'s.
    rules: ['Fintech-C09-', 'Fintech-C11-', 'Fintech-C12-', 'Fintech-C20-'],
    heldBy: ECS_CAPACITY_HOLDERS,
    how: 'the function an ECS cluster adds to the Auto Scaling group it takes as EC2 capacity, to drain an instance\'s tasks before ' +
      'it terminates, none of whose settings a prop sets; an `AsgCapacityProvider` with managed draining (its default) does without it',
  },
  {
    library: 'aws-cdk-lib.aws_autoscaling.AutoScalingGroup',
    path: 'LifecycleHookDrainHook',
    // The topic the drain hook's lifecycle hook notifies its function through: no prop gives it a TLS-only policy. Its key is
    // `topicEncryptionKey`'s, its tags the app's.
    rules: ['Fintech-C18-'],
    heldBy: ECS_CAPACITY_HOLDERS,
    how: 'the topic of the lifecycle hook an ECS cluster adds with its drain hook, whose policy no prop sets; an ' +
      '`AsgCapacityProvider` with managed draining (its default) does without it',
  },
  {
    library: 'aws-cdk-lib.aws_iam.Role',
    path: 'DefaultPolicy',
    // BucketDeployment writes its distribution's invalidation on "*" into its handler's role; a role the app passes gets it
    // too (its own handler role is a CDK provider's, reported as such).
    wildcardActions: ['cloudfront:GetInvalidation', 'cloudfront:CreateInvalidation'],
    heldBy: [{ library: 'aws-cdk-lib.aws_s3_deployment.BucketDeployment', property: 'handlerRole' }],
    how: 'statements a BucketDeployment writes into the role you pass it as `role`, to invalidate its `distribution` after each ' +
      'upload; leave out `distribution` and invalidate from your own pipeline step to choose',
  },
  {
    library: 'aws-cdk-lib.aws_certificatemanager.DnsValidatedCertificate',
    path: 'CertificateRequestorFunction/ServiceRole',
    // The requestor creates the certificate it then validates, so it cannot name it (nor the Route 53 change it waits for).
    wildcardActions: ['acm:DescribeCertificate', 'acm:DeleteCertificate', 'acm:AddTagsToCertificate', 'route53:GetChange'],
    how: 'statements of its certificate requestor function\'s role (the construct is deprecated); an `acm.Certificate` validated ' +
      'with `CertificateValidation.fromDns(zone)`, in a us-east-1 stack for CloudFront, needs no function',
  },
  // Stores a construct creates with the defaults of their own class (retained) when the app passes none of its own: no prop
  // of the construct reaches their removal policy, only passing one's own store instead.
  ...retainedDefaults('aws-cdk-lib.aws_ec2.FlowLog', {
    LogGroup: 'the log group it creates when its destination names none; pass your own to `FlowLogDestination.toCloudWatchLogs(logGroup)`',
    Bucket: 'the bucket it creates when its S3 destination names none; pass your own to `FlowLogDestination.toS3(bucket)`',
  }),
  // The awslogs driver creates its log group in the construct it is bound to: a container (a FireLens log router is one of
  // its own class) or, for Service Connect's proxy, the service.
  ...['ContainerDefinition', 'FirelensLogRouter', 'FargateService', 'Ec2Service'].flatMap(construct => retainedDefaults(`aws-cdk-lib.aws_ecs.${construct}`, {
    LogGroup: 'the log group its awslogs driver creates when given none; pass your own to `LogDrivers.awsLogs({ logGroup, streamPrefix })`',
  })),
  // The key a store creates for its customer-managed encryption when given none.
  ...[['aws_s3.Bucket', 'encryptionKey'], ['aws_sqs.Queue', 'encryptionMasterKey'], ['aws_dynamodb.Table', 'encryptionKey'], ['aws_kinesis.Stream', 'encryptionKey']]
    .flatMap(([construct, prop]) => retainedDefaults(`aws-cdk-lib.${construct}`, {
      Key: `the KMS key it creates for its customer-managed encryption when \`${prop}\` names none; pass your own`,
    })),
  ...['Distribution', 'CloudFrontWebDistribution'].flatMap(construct => retainedDefaults(`aws-cdk-lib.aws_cloudfront.${construct}`, {
    LoggingBucket: 'the bucket it creates for its access logs when given none; pass your own as `logBucket` (`loggingConfig.bucket`)',
  })),
  ...retainedDefaults('aws-cdk-lib.aws_stepfunctions_tasks.EmrContainersStartJobRun', {
    'Monitoring Bucket': 'the bucket it creates for `monitoring.logging` when `monitoring.logBucket` names none; pass your own',
    'Monitoring Log Group': 'the log group it creates for `monitoring.logging` when `monitoring.logGroup` names none; pass your own',
  }),
  ...retainedDefaults('aws-cdk-lib.aws_synthetics.Canary', {
    ArtifactsBucket: 'its artifacts bucket, created when `artifactsBucketLocation` names none; pass your own bucket there',
  }),
  ...retainedDefaults('aws-cdk-lib.aws_cloudtrail.Trail', {
    S3: 'the bucket it creates when `bucket` names none; pass your own',
    LogGroup: 'the log group it creates for `sendToCloudWatchLogs` when `cloudWatchLogGroup` names none; pass your own',
  }),
  ...retainedDefaults('aws-cdk-lib.custom_resources.Provider', {
    'waiter-state-machine/LogGroup': 'the log group its waiter state machine logs to, with `disableWaiterStateMachineLogging: false`, when ' +
      '`waiterStateMachineLogOptions` names no destination; pass your own as that destination',
  }),
  ...retainedDefaults('aws-cdk-lib.aws_opensearchservice.Domain', Object.fromEntries(
    [['SlowSearchLogs', 'slowSearchLogGroup'], ['SlowIndexLogs', 'slowIndexLogGroup'], ['AppLogs', 'appLogGroup'], ['AuditLogs', 'auditLogGroup']]
      .map(([id, prop]) => [id, `the log group it creates for its \`logging\` when \`${prop}\` names none; pass your own`]),
  )),
  {
    library: 'aws-cdk-lib.aws_certificatemanager.DnsValidatedCertificate',
    path: 'CertificateRequestorFunction',
    // With @aws-cdk/aws-lambda:useCdkManagedLogGroup its function gets a log group that no prop of the construct reaches.
    rules: [REMOVAL_RULES],
    how: 'the log group of its certificate requestor function, which the library always retains (the construct is deprecated); ' +
      'an `acm.Certificate` validated with `CertificateValidation.fromDns(zone)` needs no function',
  },
  {
    library: 'aws-cdk-lib.aws_stepfunctions.StateMachine',
    path: 'Role',
    // Written by aws-stepfunctions-tasks: EcsRunTask's .sync polling of the task it started, and Athena's query tasks (the
    // query's results and execution, whose ids come at run time, and the buckets a query reads, which the task cannot know).
    wildcardStatements: ([
      ['EcsRunTask', ['ecs:StopTask', 'ecs:DescribeTasks']],
      ['AthenaStartQueryExecution', ['s3:CreateBucket', 's3:ListBucket', 's3:GetBucketLocation', 's3:GetObject']],
      ['AthenaGetQueryExecution', ['athena:getQueryExecution']],
      ['AthenaGetQueryResults', ['athena:getQueryResults']],
      ['AthenaGetQueryResults', ['s3:GetObject']],
      ['AthenaStopQueryExecution', ['athena:stopQueryExecution']],
      // SageMaker tasks read the tags of the job, model or endpoint configuration they create, whose ARN comes at run time.
      ...['SageMakerCreateTrainingJob', 'SageMakerCreateTransformJob', 'SageMakerCreateModel', 'SageMakerCreateEndpointConfig']
        .map(task => [task, ['sagemaker:ListTags']] as const),
      // EmrCreateCluster watches, tags and ends the cluster it starts, whose id comes at run time.
      ['EmrCreateCluster', ['elasticmapreduce:DescribeCluster', 'elasticmapreduce:TerminateJobFlows', 'elasticmapreduce:AddTags']],
      // MediaConvertCreateJob creates a job in whatever queue, preset or template its request names, and with .sync watches
      // the job, whose id comes at run time.
      ['MediaConvertCreateJob', ['mediaconvert:CreateJob']],
      ['MediaConvertCreateJob', ['mediaconvert:GetJob', 'mediaconvert:CancelJob']],
    ] as const).map(([task, actions]) => ({ actions, writtenBy: `aws-cdk-lib.aws_stepfunctions_tasks.${task}` })),
    how: 'statements its Step Functions tasks (EcsRunTask with .sync, Athena query tasks, SageMaker jobs, models and endpoint ' +
      'configurations, EmrCreateCluster, MediaConvertCreateJob) write into its role; a `CallAwsService` task with your own `iamResources` does the same call ' +
      'with the resources you name',
  },
  // The execution role a SageMaker task creates for the job or model when none is passed: CloudWatch Logs and metrics,
  // image pulls, and in a VPC the job's network interfaces, none of which exist before the job runs.
  ...(['SageMakerCreateTrainingJob', 'SageMakerCreateModel'] as const).map(task => ({
    library: `aws-cdk-lib.aws_stepfunctions_tasks.${task}`,
    path: 'SagemakerRole',
    wildcardActions: [
      // cloudwatch:PutMetricData, ecr:GetAuthorizationToken and the ec2:Describe* reads, also in them, accept only "*".
      'logs:CreateLogStream', 'logs:PutLogEvents', 'logs:CreateLogGroup', 'logs:DescribeLogStreams',
      'ec2:CreateNetworkInterface', 'ec2:CreateNetworkInterfacePermission', 'ec2:DeleteNetworkInterface', 'ec2:DeleteNetworkInterfacePermission',
    ],
    how: 'statements of the SageMaker execution role it creates when no `role` is passed; pass your own role, scoped to the job\'s ' +
      'log group and image repository, to choose',
  })),
  // A CodeBuild project in a VPC: CodeBuild creates and deletes the build's network interfaces, which exist only while it
  // runs (the CodeBuild User Guide's VPC policy allows them on "*"); the permission on the interfaces it creates is pinned
  // to the project's subnets by a condition, in a statement of its own.
  ...['Project', 'PipelineProject'].map(project => ({
    library: `aws-cdk-lib.aws_codebuild.${project}`,
    path: 'PolicyDocument',
    // ec2:Describe* actions, also in it, accept only "*".
    wildcardActions: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface'],
    how: 'statements of the VPC policy it gives its role when it runs in a `vpc`, for the network interfaces each build creates; ' +
      'to choose, pass a `role` imported with `mutable: false`, whose own policy names the project\'s subnets, security groups and ' +
      '`network-interface/*`',
  })),
  // A dynamodb.Table with replicationRegions (a global table of version 2017) attaches a managed policy to the role of
  // CDK's replica provider (a nested stack) allowing every DynamoDB action on the table, its indexes and its replicas.
  {
    library: 'aws-cdk-lib.aws_dynamodb.Table',
    path: 'SourceTableAttachedManagedPolicy-*OnEventHandlerServiceRole*',
    wildcardActions: ['dynamodb:*'],
    how: 'the policy it attaches to the role of CDK\'s replica provider, with every DynamoDB action on the table and its ' +
      'replicas, when it has `replicationRegions`; a `dynamodb.TableV2` with `replicas` is a global table without a provider',
  },
  // eks.Cluster creates the cluster through a custom resource whose handlers assume a creation role. Until the cluster has
  // a name the library can write, its eks: statements are on "*"; the IAM reads of the cluster role, and the service-linked
  // roles EKS creates on first use, are on "*" whatever the app passes (its ec2:Describe* calls, also on "*", accept only "*").
  ...EKS_CLUSTERS.flatMap(cluster => [{
    library: cluster,
    path: 'Resource/CreationRole',
    wildcardActions: [
      'eks:DescribeCluster', 'eks:DescribeUpdate', 'eks:DeleteCluster', 'eks:UpdateClusterVersion',
      'eks:UpdateClusterConfig', 'eks:CreateFargateProfile', 'eks:TagResource', 'eks:UntagResource',
      'eks:DescribeFargateProfile', 'eks:DeleteFargateProfile',
      'iam:GetRole', 'iam:listAttachedRolePolicies', 'iam:CreateServiceLinkedRole',
    ],
    how: 'statements of the role its cluster-resource handlers assume to create and update the cluster; set `clusterName` ' +
      'so that its eks: statements name the cluster (the IAM reads of the cluster role and iam:CreateServiceLinkedRole stay on "*")',
  },
  {
    library: cluster,
    path: 'KubectlReadyBarrier',
    rules: ['Fintech-C01-'],
    how: 'an SSM parameter the library writes as a raw CfnResource, which `Tags.of` does not reach; give the stack `tags` to choose',
  }]),
  // A managed node group that creates its own node role, in a cluster of the IPv6 family, lets the VPC CNI plugin on its
  // nodes assign and release IPv6 addresses on network interfaces of every account and region; the role the app passes as
  // `nodeRole` gets no statement.
  {
    library: 'aws-cdk-lib.aws_eks.Nodegroup',
    path: 'NodeGroupRole',
    wildcardActions: ['ec2:AssignIpv6Addresses', 'ec2:UnassignIpv6Addresses'],
    how: 'the statement it writes into the node role it creates when the cluster\'s `ipFamily` is IPv6, for the VPC CNI ' +
      'plugin, on network interfaces of every account; pass your own `nodeRole`, allowing those actions on the account\'s ' +
      'network interfaces, to choose',
  },
  // eks.Cluster's albController gives the controller's service account the IAM policy AWS publishes for that controller
  // version (bundled in aws-eks/lib/addons): it creates and tags load balancers, target groups and security groups whose
  // ARNs exist only once Kubernetes asks for them, most pinned to the cluster's tag by conditions. The actions of the latest
  // bundled version (2.8.2), as written there, which hold those of every earlier one but 2.0.0's target registration on
  // "*" (narrowed in 2.0.1: that stays an error).
  {
    library: 'aws-cdk-lib.aws_eks.AlbController',
    path: 'alb-sa/Role',
    // Its Describe*, List* and account-level reads (and elasticloadbalancing:SetWebAcl, shield:CreateProtection) take no
    // resource, so they may be on "*" (src/facts/resourceless-actions.ts); these take one.
    wildcardActions: [
      'acm:DescribeCertificate', 'cognito-idp:DescribeUserPoolClient', 'iam:CreateServiceLinkedRole', 'iam:GetServerCertificate',
      ...['AuthorizeSecurityGroupIngress', 'CreateSecurityGroup', 'DeleteSecurityGroup', 'GetCoipPoolUsage', 'RevokeSecurityGroupIngress']
        .map(action => `ec2:${action}`),
      ...['AddListenerCertificates', 'CreateListener', 'CreateLoadBalancer', 'CreateRule', 'CreateTargetGroup', 'DeleteListener',
        'DeleteLoadBalancer', 'DeleteRule', 'DeleteTargetGroup', 'ModifyListener', 'ModifyLoadBalancerAttributes', 'ModifyRule', 'ModifyTargetGroup',
        'ModifyTargetGroupAttributes', 'RemoveListenerCertificates', 'SetIpAddressType', 'SetSecurityGroups', 'SetSubnets']
        .map(action => `elasticloadbalancing:${action}`),
      'shield:DeleteProtection', 'shield:DescribeProtection',
      ...['waf-regional', 'wafv2'].flatMap(service => ['AssociateWebACL', 'DisassociateWebACL', 'GetWebACL', 'GetWebACLForResource']
        .map(action => `${service}:${action}`)),
    ],
    how: 'statements of the IAM policy AWS publishes for the AWS Load Balancer Controller version, which the library gives the ' +
      'controller\'s service account; pass your own `policy` in `albController` to choose',
  },
  // An AppConfig environment with alarm monitors and no alarm role creates one role (its id derives from the environment's
  // name) that AppConfig assumes to read the alarms' states.
  {
    library: 'aws-cdk-lib.aws_appconfig.Environment',
    path: 'Role*',
    wildcardActions: ['cloudwatch:DescribeAlarms'],
    how: 'statements of the role it creates for AppConfig to read its monitors\' alarms; pass your own role to ' +
      '`Monitor.fromCloudWatchAlarm(alarm, alarmRole)`, allowing cloudwatch:DescribeAlarms on those alarms, to choose',
  },
  // aws-ecs-patterns' scheduled tasks add their task to their rule as a target without a dead-letter queue or retry
  // policy, and none of their props sets one.
  ...['ScheduledFargateTask', 'ScheduledEc2Task'].map(pattern => ({
    library: `aws-cdk-lib.aws_ecs_patterns.${pattern}`,
    path: 'ScheduledEventRule',
    rules: [RULE_TARGET_RULES],
    how: 'its schedule rule\'s target, which none of its props gives a dead-letter queue or retry policy; run the task from an ' +
      '`events.Rule` with `targets.EcsTask({ deadLetterQueue, retryAttempts })`, or from an EventBridge Scheduler schedule with a DLQ',
  })),
  // A bucket with replicationRules and no replicationRole creates one and grants it the destinations' keys; a key in another
  // region or account is granted on "*", since the bucket's stack cannot name it.
  {
    library: 'aws-cdk-lib.aws_s3.Bucket',
    path: 'ReplicationRole',
    wildcardActions: ['kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'],
    how: 'statements of the replication role it creates, which allow a destination key in another region or account on "*"; ' +
      'pass your own `replicationRole`, whose policy names that key\'s ARN, to choose',
  },
  {
    library: 'aws-cdk-lib.aws_s3.Bucket',
    path: 'ReplicationRole/Resource',
    rules: ['Fintech-C06-RoleNameWithoutStage'],
    how: 'the name it gives the replication role it creates, `CDKReplicationRole`, the same for every bucket and stage of the ' +
      'account; turn on the feature flag @aws-cdk/aws-s3:setUniqueReplicationRoleName (`cdk init` sets it), or pass your own ' +
      '`replicationRole`',
  },
  // CodePipeline source actions that start their pipeline on an event add the rule themselves, targeting the pipeline
  // without a dead-letter queue or retry policy: an S3SourceAction with `trigger: S3Trigger.EVENTS` inside its bucket
  // (one the app created or imported), a CodeCommitSourceAction inside a repository of the app's, an EcrSourceAction inside the
  // pipeline, below its stage and action.
  ...['Bucket', 'BucketBase'].map(bucket => ({
    library: `aws-cdk-lib.aws_s3.${bucket}`,
    path: '*SourceEventRule*',
    rules: [RULE_TARGET_RULES],
    how: 'the rule an S3SourceAction with `trigger: S3Trigger.EVENTS` adds to the bucket to start its pipeline, whose target none ' +
      'of its props gives a dead-letter queue or retry policy; use `S3Trigger.NONE` and start the pipeline from your own ' +
      '`bucket.onCloudTrailWriteObject` rule with `targets.CodePipeline(pipeline, { deadLetterQueue, retryAttempts })`',
  })),
  // A CodeCommitSourceAction, whose trigger is EVENTS unless told otherwise, adds its rule to the repository, with an id made
  // of the pipeline's unique id, then the branch when one is given, then `EventRule`
  // (aws-codepipeline-actions/lib/codecommit/source-action.js, generateEventId).
  {
    library: 'aws-cdk-lib.aws_codecommit.Repository',
    path: '*EventRule',
    rules: [RULE_TARGET_RULES],
    how: 'the rule a CodeCommitSourceAction (trigger EVENTS, its default) adds to the repository to start its pipeline, whose target ' +
      'it gives no dead-letter queue or retry policy; pass `customEventRule` with `targets.CodePipeline(pipeline, { deadLetterQueue, retryAttempts })` to choose',
  },
  // The same rule in an imported repository (`Repository.fromRepositoryName`), an anonymous class that records no library
  // class of its own: told by its id, which only the pipeline's source action derives from the pipeline's unique id.
  {
    library: 'aws-cdk-lib.aws_codepipeline.Pipeline',
    namedAfter: '{uniqueId}*EventRule',
    rules: [RULE_TARGET_RULES],
    how: 'the rule a CodeCommitSourceAction (trigger EVENTS, its default) adds to the imported repository it reads, to start this ' +
      'pipeline, whose target it gives no dead-letter queue or retry policy; pass `customEventRule` with ' +
      '`targets.CodePipeline(pipeline, { deadLetterQueue, retryAttempts })` to choose',
  },
  {
    library: 'aws-cdk-lib.aws_codepipeline.Pipeline',
    path: '*/*/*SourceEventRule',
    rules: [RULE_TARGET_RULES],
    how: 'the rule an EcrSourceAction adds to start the pipeline on an image push, whose target none of its props gives a ' +
      'dead-letter queue or retry policy; acknowledge the rule on the pipeline, or set them on the rule with an escape hatch',
  },
  // A LambdaDestination with `responseOnly: true` passes only the invocation's response: through an EventBridge rule it adds
  // below the function's async invoke configuration (one per success and failure), whose target none of its props gives a
  // dead-letter queue or retry policy.
  ...['Success', 'Failure'].map(type => ({
    library: 'aws-cdk-lib.aws_lambda.EventInvokeConfig',
    path: type,
    rules: [RULE_TARGET_RULES],
    how: `the rule a LambdaDestination with \`responseOnly: true\` adds to pass the response of each ${type.toLowerCase()} to the destination ` +
      'function, whose target none of its props gives a dead-letter queue or retry policy; without `responseOnly` Lambda invokes ' +
      'the destination itself, with the whole invocation record',
  })),
  // An OpenSearch domain with fine-grained access control and a master user name generates that user's password in a
  // secret none of its props gives a key or a removal policy (CDK's default: deleted with the stack)
  // (aws-opensearchservice/lib/domain.js, createMasterUserPassword).
  {
    library: 'aws-cdk-lib.aws_opensearchservice.Domain',
    path: 'MasterUser',
    rules: [STORE_KEY_RULE, REMOVAL_RULES],
    how: 'the secret it generates for the fine-grained access control master user, which none of its props gives a customer key ' +
      'or a removal policy: pass your own `fineGrainedAccessControl.masterUserPassword` from a secret on your key, or use an IAM ' +
      'master user (`masterUserArn`)',
  },
  // A database construct that generates its master secret gives it CDK's default removal policy (deleted with the stack),
  // which none of its props changes; a restored snapshot still needs the password the secret holds.
  ...([
    ['aws_rds.DatabaseCluster', '; or pass your own with `credentials: rds.Credentials.fromSecret(secret)`'],
    ['aws_rds.DatabaseInstance', '; or pass your own with `credentials: rds.Credentials.fromSecret(secret)`'],
    ['aws_docdb.DatabaseCluster', ''],
  ] as const).map(([library, ownSecret]) => ({
    library: `aws-cdk-lib.${library}`,
    path: 'Secret',
    rules: [REMOVAL_RULES],
    how: 'the master secret it generates, which no prop retains: retain it with ' +
      `\`(database.node.findChild('Secret') as secretsmanager.Secret).applyRemovalPolicy(RemovalPolicy.RETAIN)\`${ownSecret}`,
  })),
];

/**
 * A function a library adds once per stack, outside the construct that needs it, and that runs when the workload runs
 * (so it is no custom-resource provider): the rules judge its tracing, sizing, logs and role like an app's function, but
 * the app cannot change them, so findings on it are warnings naming the constructs that call it.
 */
export interface LibraryFunction {
  /**
   * The construct id the library gives the function (a SingletonFunction's `SingletonLambda<uuid>` in the stack,
   * `CDKPipelinesAutoApprove` below a pipeline), which the logical ids CDK derives below it contain.
   */
  readonly id: string;
  /** The resource type of the callers: resources of it in the same template that name the function are what it was created for. */
  readonly usedBy: string;
  /**
   * Prefixes of the rule ids whose findings on the function, its role and their policies are the library's doing
   * (`Fintech-C11-`: its tracing); findings of other rules stay the app's, since props the app passes decide them.
   * @default - every rule's findings are the library's
   */
  readonly rules?: readonly string[];
  /**
   * Whether the callers' targets naming the function are the library's too: an EventBridge rule's target of this function,
   * whose dead-letter queue and retry policy no prop of the library's target sets.
   * @default false
   */
  readonly targetIsLibrary?: boolean;
  /** What the function is, and how the app can choose otherwise, for the finding's message. */
  readonly how: string;
}

/**
 * The library functions the pack knows, read from aws-cdk-lib 2.257's source (aws-ses/lib/receipt-rule.js,
 * pipelines/lib/private/application-security-check.js, aws-events-targets/lib/aws-api.js).
 */
export const LIBRARY_FUNCTIONS: readonly LibraryFunction[] = [
  {
    // A SingletonFunction (purpose `AWS`, uuid b4cf1abd-…): one per stack, for every AwsApi target of its rules.
    id: 'AWSb4cf1abd4e4f4bc699441af7ccd9ec37',
    usedBy: 'AWS::Events::Rule',
    // Its statements are the app's: the target's `policyStatement` scopes them to resources.
    rules: ['Fintech-C09-', 'Fintech-C11-', 'Fintech-C12-', 'Fintech-C20-'],
    targetIsLibrary: true,
    how: 'events-targets.AwsApi: the function that makes the target\'s AWS API call, none of whose settings (tracing, failure ' +
      'destination, sizing) nor its rule target\'s dead-letter queue and retries a prop sets; a function of your own behind ' +
      '`targets.LambdaFunction(fn, { deadLetterQueue, retryAttempts, maxEventAge })` makes the same call',
  },
  {
    id: 'SingletonLambda224e77f9a32e4b4dac32983477abba16',
    usedBy: 'AWS::SES::ReceiptRule',
    how: 'ses.ReceiptRuleSet: the spam filter function of `dropSpam`, which SES calls for every message and none of whose settings ' +
      'a prop sets; a receipt rule of your own with a `Lambda` action on a function you configure does the same',
  },
  {
    id: 'CDKPipelinesAutoApprove',
    usedBy: 'AWS::CodeBuild::Project',
    how: 'pipelines.ConfirmPermissionsBroadening: the function its security check project calls to approve a stage whose ' +
      'permissions do not broaden, none of whose settings a prop sets; its role may approve in any pipeline tagged ' +
      '`SECURITY_CHECK: ALLOW_APPROVE`. A manual approval step of your own does without it',
  },
];

/**
 * An AwsCustomResource subclass a library puts into a stack for one of its constructs, outside that construct, so the
 * construct tree does not lead from the call to whom it serves; its construct id does.
 */
export interface LibrarySdkCall {
  /** The private subclass's JavaScript class name (jsii does not export it). */
  readonly className: string;
  /** The start of its construct id; the rest is `Names.nodeUniqueId` of the construct it serves. */
  readonly idPrefix: string;
  /** jsii name of the class of the construct it serves, which findings on the call name. */
  readonly serves: string;
}

/** The library SDK calls the pack knows, read from aws-cdk-lib 2.257's source (aws-events-targets/lib/log-group.js). */
export const LIBRARY_SDK_CALLS: readonly LibrarySdkCall[] = [
  // events-targets' CloudWatchLogGroup writes the log group's resource policy for EventBridge, in the log group's stack.
  { className: 'LogGroupResourcePolicy', idPrefix: 'EventsLogGroupPolicy', serves: 'aws-cdk-lib.aws_events.Rule' },
];

/**
 * A CodePipeline action class of the library that writes statements on `Resource: "*"` into the role its action runs
 * with: the role the pipeline creates for the action, or the `role` the app passes it. Actions are no constructs, so the
 * pipeline's template names them: an action of type `Deploy`/`AWS`/`provider` whose `RoleArn` is the role.
 */
export interface LibraryPipelineAction {
  /** jsii name of the action class, e.g. `aws-cdk-lib.aws_codepipeline_actions.EcsDeployAction`. */
  readonly library: string;
  /** The `ActionTypeId.Provider` of its actions (category `Deploy`, owner `AWS`). */
  readonly provider: string;
  /** The actions, as the library writes them, that it allows on `*` in the role; any other action on `*` there stays the app's. */
  readonly wildcardActions: readonly string[];
  /** What the statements are, and how the app can choose otherwise, for the finding's message. */
  readonly how: string;
}

/**
 * The pipeline actions the pack knows, read from aws-cdk-lib 2.257's source (aws-codepipeline-actions/lib/ecs/deploy-action.js
 * and codedeploy/ecs-deploy-action.js). The ECS deploy actions register task definition revisions, whose ARNs come at run
 * time, and pass the task's roles, which the action cannot know; the CodePipeline User Guide's service role policy for the
 * ECS action allows the same on "*".
 */
export const LIBRARY_PIPELINE_ACTIONS: readonly LibraryPipelineAction[] = [
  {
    library: 'aws-cdk-lib.aws_codepipeline_actions.EcsDeployAction',
    provider: 'ECS',
    wildcardActions: [
      'ecs:DescribeServices', 'ecs:DescribeTasks', 'ecs:ListTasks', 'ecs:RegisterTaskDefinition', 'ecs:TagResource',
      'ecs:UpdateService', 'iam:PassRole',
    ],
    how: 'statements it writes into the role its action runs with, for the service it updates and the task definition revision it ' +
      'registers (iam:PassRole only to ec2 and ecs-tasks); to choose, pass a `role` imported with `mutable: false` whose own policy ' +
      'names the service, the task definition family and the task\'s roles',
  },
  {
    library: 'aws-cdk-lib.aws_codepipeline_actions.CodeDeployEcsDeployAction',
    provider: 'CodeDeployToECS',
    wildcardActions: ['ecs:RegisterTaskDefinition', 'iam:PassRole'],
    how: 'statements it writes into the role its action runs with, for the task definition revision it registers (iam:PassRole ' +
      'only to ecs-tasks); to choose, pass a `role` imported with `mutable: false` whose own policy names the task definition ' +
      'family and the task\'s roles',
  },
];

/**
 * What aws-cdk-lib's `ecs.obtainDefaultFluentBitECRImage` writes, read from aws-cdk-lib 2.257's source
 * (aws-ecs/lib/firelens-log-router.js, base/task-definition.js). A task definition with a container that logs through
 * FireLens and no log router of the app's gets one from the library at synth (`log-router`, an AWS for Fluent Bit image
 * named by an SSM parameter, its own logs in a log group without retention); the function that picks that image also writes
 * statements on "*" into the task definition's roles: image pulls into its execution role, and, for the FireLens output the
 * first such container names, writes to any log group, delivery stream or data stream into its task role.
 */
export const LIBRARY_FLUENT_BIT = {
  /** jsii-style name of the function, for findings. */
  library: 'aws-cdk-lib.aws_ecs.obtainDefaultFluentBitECRImage',
  /** The SSM parameter path prefix of the image it picks (`/aws/service/aws-for-fluent-bit/<tag>`). */
  imageParameter: '/aws/service/aws-for-fluent-bit/',
  /** The container id the task definition gives the log router it adds. */
  routerId: 'log-router',
  /** Actions it allows on "*" in the execution role (ecr:GetAuthorizationToken, also there, accepts only "*"). */
  executionRoleActions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
  /** Actions it allows on "*" in the task role, by the FireLens output's `Name` option. */
  outputActions: {
    cloudwatch: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents', 'logs:PutRetentionPolicy'],
    firehose: ['firehose:PutRecordBatch'],
    kinesis: ['kinesis:PutRecords'],
  } as Readonly<Record<string, readonly string[]>>,
  /** What the role statements are, and how the app chooses otherwise, for the findings' messages. */
  rolesHow: 'statements on "*" it writes for the AWS for Fluent Bit image it picks and for the FireLens output, into the task ' +
    'definition\'s roles (a task definition calls it for the log router it adds when a container logs through FireLens and the app ' +
    'added none); to choose, add the router yourself (`taskDefinition.addFirelensLogRouter`) with the image from Amazon ECR Public ' +
    '(public.ecr.aws/aws-observability/aws-for-fluent-bit), which needs no ECR permission, and grant the output stream yourself',
  /**
   * Prefixes of the rule ids whose findings on the router's log group are the library's doing: its removal policy, retention
   * and encryption. Its tags stay the app's, since the app's tags reach it.
   */
  logGroupRules: ['Fintech-C02-', 'Fintech-C20-', 'Fintech-C04-'],
  /**
   * Why the router's log group and the execution role it needs may lack the app's tags, and how the app chooses otherwise:
   * the task definition adds them while CDK synthesizes, after the app's `Tags.of` aspects ran; without the feature flag
   * `@aws-cdk/core:explicitStackTags` those tags also reach the stack, and CloudFormation gives them to every resource.
   */
  lateTagsHow: 'the log router a task definition adds, while CDK synthesizes, when a container logs through FireLens and the app ' +
    'added none: it and the execution role it needs are created after the app\'s `Tags.of` aspects ran, so with ' +
    '@aws-cdk/core:explicitStackTags on they carry none of those tags; give the stack its tags (`new Stack(app, id, { tags })`), ' +
    'which CloudFormation applies to every resource, or add the router yourself (`taskDefinition.addFirelensLogRouter`)',
  /** What the log group is, and how the app chooses otherwise. */
  logGroupHow: 'the log group of the log router a task definition adds when a container logs through FireLens and the app added ' +
    'none; to choose its retention and removal policy, add the router yourself (`taskDefinition.addFirelensLogRouter`) with ' +
    '`logging: ecs.LogDrivers.awsLogs({ logGroup, streamPrefix })`',
} as const;

/**
 * What a CodeBuild project with `ssmSessionPermissions` (Session Manager sessions into a build paused at a breakpoint) writes
 * into its role, read from aws-cdk-lib 2.257's source (aws-codebuild/lib/project.js): one statement on "*" with the
 * Session Manager channel actions and the writes of the session logs, whose bucket and log group the account's Session
 * Manager preferences choose, not the project.
 */
export const LIBRARY_CODEBUILD_SESSIONS = {
  /** jsii name of the class that writes the statement. */
  library: 'aws-cdk-lib.aws_codebuild.Project',
  /** The project classes whose constructs write it. */
  projects: ['Project', 'PipelineProject'].map(project => `aws-cdk-lib.aws_codebuild.${project}`),
  /** The channel actions the statement holds (they accept only "*"): how a role is told to have it. */
  channelActions: ['ssmmessages:CreateControlChannel', 'ssmmessages:CreateDataChannel', 'ssmmessages:OpenControlChannel', 'ssmmessages:OpenDataChannel'],
  /** Its actions that accept a resource ARN (logs:DescribeLogGroups, also there, accepts only "*"). */
  logActions: ['logs:CreateLogStream', 'logs:PutLogEvents', 's3:GetEncryptionConfiguration', 's3:PutObject'],
  /** What the statement is, and how the app chooses otherwise. */
  how: 'the statement it writes into its role for Session Manager sessions into paused builds (`ssmSessionPermissions`), whose ' +
    'logs go to the bucket and log group the account\'s Session Manager preferences name; leave `ssmSessionPermissions` off outside ' +
    'debugging, or pass a role whose own policy names that bucket and log group',
} as const;

/**
 * What an ECS service with `enableExecuteCommand` writes on "*" into its task definition's task role for the sessions'
 * logs, read from aws-cdk-lib 2.257's source (aws-ecs/lib/base/base-service.js), unless its cluster's
 * executeCommandConfiguration turns logging off (`NONE`).
 */
export const LIBRARY_EXECUTE_COMMAND = {
  /** jsii name of the class that writes the statements. */
  library: 'aws-cdk-lib.aws_ecs.BaseService',
  /** The service classes whose constructs write them. */
  services: ['FargateService', 'Ec2Service', 'ExternalService'].map(service => `aws-cdk-lib.aws_ecs.${service}`),
  /** Actions it allows on "*" when the cluster logs sessions to an S3 bucket. */
  s3Actions: ['s3:GetBucketLocation'],
  /**
   * Actions it allows on "*" when the cluster names no CloudWatch log group for sessions and the feature flag
   * `@aws-cdk/aws-ecs:reduceEc2FargateCloudWatchPermissions` is off (logs:DescribeLogGroups, also there, accepts "*").
   */
  logsActions: ['logs:CreateLogStream', 'logs:DescribeLogStreams', 'logs:PutLogEvents'],
  /** What the statements are, and how the app chooses otherwise. */
  how: 'statements it writes into its task role for ECS Exec session logs: s3:GetBucketLocation when the cluster logs sessions to ' +
    'S3, and, unless the cluster\'s `executeCommandConfiguration` names a `cloudWatchLogGroup`, log writes to every log group ' +
    'while the feature flag @aws-cdk/aws-ecs:reduceEc2FargateCloudWatchPermissions is off; turn the flag on (cdk.json), name the ' +
    'log group, or leave `enableExecuteCommand` off in durable stages',
} as const;
