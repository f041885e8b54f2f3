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
   * Construct path below that construct (ids joined by `/`) of the construct the resource is created in.
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
   * For a role: the actions the library's own statements allow on `Resource: "*"`. Only those are the library's; any
   * other action on `*` in the role's policies was added by the app and stays an error.
   * @default - every finding on the resource is the library's
   */
  readonly wildcardActions?: readonly string[];
  /** What the resource is, and how the app can choose otherwise, for the finding's message. */
  readonly how: string;
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
}

/**
 * The library internals the pack knows, read from aws-cdk-lib 2.257's source (pipelines/lib/codepipeline/codepipeline.js,
 * pipelines/lib/private/asset-singleton-role.js, aws-codepipeline/lib/pipeline.js). Listed one by one on purpose: a
 * construct's other resources (its own `Resource`, what its props configure) stay the app's, judged as usual.
 */
export const LIBRARY_INTERNALS: readonly LibraryInternal[] = [
  {
    library: 'aws-cdk-lib.aws_codepipeline.Pipeline',
    path: 'ArtifactsBucket',
    how: 'its artifact bucket, which the library always retains; pass your own `artifactBucket` to choose its removal policy',
  },
  {
    library: 'aws-cdk-lib.aws_codepipeline.Pipeline',
    path: 'ArtifactsBucketEncryptionKey',
    how: "its artifact bucket's key (crossAccountKeys), which the library always destroys with the stack; pass your own `artifactBucket` to choose",
  },
  {
    library: 'aws-cdk-lib.aws_codepipeline.Pipeline',
    support: { className: 'CrossRegionSupportConstruct', property: 'crossRegionSupport', resource: 'replicationBucket' },
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
];
