import { App, Aws, CfnCondition, CfnParameter, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as amazonmq from 'aws-cdk-lib/aws-amazonmq';
import * as appconfig from 'aws-cdk-lib/aws-appconfig';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as codebuild from 'aws-cdk-lib/aws-codebuild';
import * as codepipeline from 'aws-cdk-lib/aws-codepipeline';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as mwaa from 'aws-cdk-lib/aws-mwaa';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as pipelines from 'aws-cdk-lib/pipelines';
import { PolicyWildcards } from '../../../src/rules/iam/policy-wildcards';
import { kubernetesCluster } from '../kubernetes-harness';
import { containerRollout, deliveryPipeline } from '../pipeline-harness';
import { findingsOf, lines, testApp } from '../rule-harness';
import { fraudModelTasks } from '../workflow-harness';

const ACTION = PolicyWildcards.WILDCARD_ACTION.id;
const RESOURCE = PolicyWildcards.WILDCARD_RESOURCE.id;

function c06(app: App) {
  return findingsOf(app, [ACTION, RESOURCE]);
}

/** A role Lambda and ECS tasks may both assume: no service's alone. */
function sharedRole(stack: Stack): iam.Role {
  return new iam.Role(stack, 'SharedRole', {
    assumedBy: new iam.CompositePrincipal(new iam.ServicePrincipal('lambda.amazonaws.com'), new iam.ServicePrincipal('ecs-tasks.amazonaws.com')),
  });
}

/** Each finding's severity, construct path and the actions it names on "*", without their statement locations. */
function onEverySummary(app: App): string[][] {
  return c06(app).map(f => [f.severity, f.constructPath, f.message.match(/allows (.*) on Resource/)![1].replace(/ \(PolicyDocument[^)]*\)/g, '')]);
}

function shop() {
  const app = testApp();
  const stack = new Stack(app, 'Shop');
  const role = new iam.Role(stack, 'Fn', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  return { app, stack, role };
}

describe('PolicyWildcards', () => {
  test('passes grants and allow-listed actions on "*"', () => {
    const { app, stack, role } = shop();
    new s3.Bucket(stack, 'Orders').grantRead(role);
    role.addToPolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'cloudwatch:PutMetricData'], resources: ['*'] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeSubnets', 'ec2:Describe*', 'STS:GetCallerIdentity'], resources: ['*'] }));
    expect(c06(app)).toEqual([]);
  });

  test('passes on "*" every action the Service Authorization Reference names no resource type for, and fails one that takes a resource', () => {
    const { app, role } = shop();
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['textract:StartDocumentTextDetection', 'textract:GetDocumentTextDetection', 'timestream:DescribeEndpoints', 'rekognition:DetectProtectiveEquipment'],
      resources: ['*'],
    }));
    // Polly speaks without a lexicon and Comprehend detects with its own model: their only resource types are optional.
    role.addToPolicy(new iam.PolicyStatement({ actions: ['polly:SynthesizeSpeech', 'comprehend:DetectEntities', 'translate:TranslateText'], resources: ['*'] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['polly:GetLexicon', 'textract:Get*'], resources: ['*'] }));
    // A cost report reads the account's own costs without a custom billing view; deleting an anomaly monitor names it.
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ce:GetCostAndUsage', 'ce:GetDimensionValues', 'ce:GetCostForecast'], resources: ['*'] }));
    role.addToPolicy(new iam.PolicyStatement({ actions: ['ce:DeleteAnomalyMonitor'], resources: ['*'] }));
    expect(c06(app).map(f => f.message)).toEqual([
      expect.stringMatching(/ allows "polly:GetLexicon", "textract:Get\*" \(PolicyDocument\/Statement\/2\); "ce:DeleteAnomalyMonitor" \(PolicyDocument\/Statement\/4\) on Resource "\*"/),
    ]);
  });

  test('an action the IAM data does not know (newer, or misspelt) on "*" is a warning saying so, apart from known actions that take resources', () => {
    const { app, role } = shop();
    role.addToPolicy(new iam.PolicyStatement({
      actions: ['lambda:RunMicrovm', 'lambda:InvokeFunction', 's3:GetObjects', 'xray:PutTraceSegments', 'glue:*Schema*', 'payments-ledger:Post*'],
      resources: ['*'],
    }));
    const findings = c06(app);
    expect(findings.map(f => [f.severity, f.message.replace(/^.* allows /, '')])).toEqual([
      ['warning', '"lambda:RunMicrovm", "s3:GetObjects", "payments-ledger:Post*" on "*" (PolicyDocument/Statement/0), actions the IAM action data of cfn-lint 1.51.0 does not know: ' +
        'newer than the data, or misspelt, so whether they accept resource ARNs cannot be told.'],
      ['error', '"lambda:InvokeFunction", "glue:*Schema*" (PolicyDocument/Statement/0) on Resource "*", though those actions accept specific resource ARNs.'],
    ]);
    expect(findings[0].fix).toMatch(/^Check the spelling against the Service Authorization Reference/);
  });

  test('passes reading X-Ray traces on "*", which names no group or sampling rule, and still fails a group read on "*"', () => {
    const reads = shop();
    reads.role.addToPolicy(new iam.PolicyStatement({ actions: ['xray:GetTraceSummaries', 'xray:BatchGetTraces'], resources: ['*'] }));
    expect(c06(reads.app)).toEqual([]);
    const group = shop();
    group.role.addToPolicy(new iam.PolicyStatement({ actions: ['xray:GetTraceSummaries', 'xray:GetGroup'], resources: ['*'] }));
    expect(c06(group.app).map(f => f.message)).toEqual([expect.stringMatching(/allows "xray:GetGroup" \(PolicyDocument\/Statement\/0\) on Resource "\*"/)]);
  });

  describe('Fintech-C06-WildcardAction', () => {
    test('fails "*" and "service:*" in an L2 policy, naming the statement', () => {
      const { app, role } = shop();
      role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:*'], resources: ['arn:aws:dynamodb:eu-west-1:123456789012:table/ledger'] }));
      role.addToPolicy(new iam.PolicyStatement({ actions: ['*'], resources: ['arn:aws:s3:::ledger/*'] }));
      const findings = c06(app);
      expect(lines(findings)).toEqual([`${ACTION} Shop/Fn/DefaultPolicy/Resource`]);
      expect(findings[0]).toMatchObject({
        severity: 'error',
        locations: ['Properties/PolicyDocument/Statement/0', 'Properties/PolicyDocument/Statement/1'],
        message: expect.stringMatching(/^AWS::IAM::Policy FnDefaultPolicy[0-9A-F]{8} allows "dynamodb:\*" \(PolicyDocument\/Statement\/0\); "\*" \(PolicyDocument\/Statement\/1\), i\.e\. every action/),
      });
    });

    test('judges inline policies of an L1 role and managed policies, and lets Deny statements use wildcards', () => {
      const { app, stack } = shop();
      new iam.CfnRole(stack, 'Raw', {
        assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        policies: [{ policyName: 'all', policyDocument: { Statement: [{ Effect: 'Allow', Action: 'sqs:*', Resource: 'arn:aws:sqs:eu-west-1:123456789012:q' }] } }],
      });
      new iam.ManagedPolicy(stack, 'Guard', { statements: [new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['*'], resources: ['*'] })] });
      const findings = c06(app);
      expect(lines(findings)).toEqual([`${ACTION} Shop/Raw`]);
      expect(findings[0].locations).toEqual(['Properties/Policies/0/PolicyDocument/Statement/0']);
      expect(findings[0].message).toBe('AWS::IAM::Role Raw allows "sqs:*" (Policies/0/PolicyDocument/Statement/0), i.e. every action of the service.');
    });
  });

  describe('NotAction and NotResource', () => {
    test('fail in Allow statements as the wildcards they amount to, and pass in Deny statements', () => {
      const { app, stack } = shop();
      new iam.ManagedPolicy(stack, 'Inverted', {
        statements: [
          new iam.PolicyStatement({ notActions: ['iam:*', 'organizations:*'], resources: ['arn:aws:s3:::ledger/*'] }),
          new iam.PolicyStatement({ actions: ['s3:GetObject'], notResources: ['arn:aws:s3:::audit/*'] }),
        ],
      });
      new iam.ManagedPolicy(stack, 'Guard', {
        statements: [new iam.PolicyStatement({ effect: iam.Effect.DENY, notActions: ['s3:GetObject'], notResources: ['arn:aws:s3:::ledger/*'] })],
      });
      const findings = c06(app);
      expect(lines(findings)).toEqual([`${ACTION} Shop/Inverted/Resource`, `${RESOURCE} Shop/Inverted/Resource`]);
      const byRule = Object.fromEntries(findings.map(f => [f.ruleId, f]));
      expect(byRule[ACTION]).toMatchObject({
        locations: ['Properties/PolicyDocument/Statement/0'],
        message: expect.stringMatching(/allows with NotAction "iam:\*", "organizations:\*" \(PolicyDocument\/Statement\/0\), i\.e\. every action of every service except those\.$/),
        fix: expect.stringContaining('use NotAction only in Deny statements'),
      });
      expect(byRule[RESOURCE]).toMatchObject({
        locations: ['Properties/PolicyDocument/Statement/1'],
        message: expect.stringMatching(/allows on NotResource "arn:aws:s3:::audit\/\*" \(PolicyDocument\/Statement\/1\), i\.e\. on every resource of the account except those\.$/),
      });
    });
  });

  describe('permissions boundaries', () => {
    /** A boundary in the shape of the IAM user guide's examples: the services the team may use, on "*", and what it may never do. */
    function boundary(scope: Stack, id: string) {
      return new iam.ManagedPolicy(scope, id, {
        statements: [
          new iam.PolicyStatement({ actions: ['s3:*', 'sqs:SendMessage', 'kms:Decrypt', 'logs:PutLogEvents'], resources: ['*'] }),
          new iam.PolicyStatement({ effect: iam.Effect.DENY, actions: ['iam:*', 'organizations:*'], resources: ['*'] }),
        ],
      });
    }

    test('a managed policy that only caps roles and users, in its stack or another, grants nothing and is not judged', () => {
      const { app, stack, role } = shop();
      const teamBoundary = boundary(stack, 'TeamBoundary');
      iam.PermissionsBoundary.of(role).apply(teamBoundary);
      new iam.User(stack, 'Operator', { permissionsBoundary: teamBoundary });
      const shared = boundary(new Stack(app, 'Shared'), 'SharedBoundary');
      new iam.Role(new Stack(app, 'Ledger'), 'Worker', { assumedBy: new iam.ServicePrincipal('ecs-tasks.amazonaws.com'), permissionsBoundary: shared });
      expect(c06(app)).toEqual([]);
    });

    test('a boundary that is also attached, by a role\'s managed policies or its own Roles, grants, and is judged; so is a policy nothing uses', () => {
      const { app, stack, role } = shop();
      const attached = boundary(stack, 'AttachedBoundary');
      iam.PermissionsBoundary.of(role).apply(attached);
      new iam.Role(stack, 'Batch', { assumedBy: new iam.ServicePrincipal('batch.amazonaws.com'), managedPolicies: [attached] });
      const own = boundary(stack, 'OwnRolesBoundary');
      new iam.Role(stack, 'Reports', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), permissionsBoundary: own });
      own.attachToRole(role);
      boundary(stack, 'Unused');
      expect(lines(c06(app))).toEqual(['AttachedBoundary', 'OwnRolesBoundary', 'Unused'].flatMap(id => [`${ACTION} Shop/${id}/Resource`, `${RESOURCE} Shop/${id}/Resource`]).sort());
    });
  });

  describe('Fintech-C06-WildcardResource', () => {
    test('fails actions that take resource ARNs on "*", listing only those actions', () => {
      const { app, role } = shop();
      role.addToPolicy(new iam.PolicyStatement({ actions: ['xray:PutTraceSegments', 's3:GetObject', 'logs:CreateLogGroup'], resources: ['*'] }));
      const findings = c06(app);
      expect(lines(findings)).toEqual([`${RESOURCE} Shop/Fn/DefaultPolicy/Resource`]);
      expect(findings[0].message).toMatch(/ allows "s3:GetObject", "logs:CreateLogGroup" \(PolicyDocument\/Statement\/0\) on Resource "\*", though those actions accept specific resource ARNs\.$/);
    });

    test('fails an ARN as broad as "*": every bucket or object, every resource of a type in every account, written literally, joined or raw in a nested stack', () => {
      const { app, stack, role } = shop();
      role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject', 'xray:PutTraceSegments'], resources: ['arn:aws:s3:::*/*'] }));
      role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [`arn:${stack.partition}:s3:::*`] }));
      role.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: ['arn:aws:dynamodb:*:*:table/*'] }));
      const nested = new NestedStack(stack, 'Reports');
      new iam.CfnManagedPolicy(nested, 'Raw', {
        policyDocument: {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Action: 'kms:Decrypt', Resource: ['arn:aws:kms:eu-west-1:123456789012:key/k', 'arn:*:kms:*:*:*'] },
            { Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::*/*' } },
            // Ends in an intrinsic, so it names something narrower than "*".
            { Effect: 'Allow', Action: 's3:GetObject', Resource: { 'Fn::Join': ['', ['arn:aws:s3:::*/', { Ref: 'AWS::AccountId' }]] } },
          ],
        },
      });
      const findings = c06(app);
      expect(lines(findings)).toEqual([`${RESOURCE} Shop/Fn/DefaultPolicy/Resource`, `${RESOURCE} Shop/Reports/Raw`]);
      expect(findings[0].message).toMatch(new RegExp(' allows "s3:GetObject" on "arn:aws:s3:::\\*/\\*" \\(PolicyDocument/Statement/0\\); "s3:ListBucket" on "arn:\\$\\{AWS::Partition\\}:s3:::\\*" ' +
        '\\(PolicyDocument/Statement/1\\); "dynamodb:GetItem" on "arn:aws:dynamodb:\\*:\\*:table/\\*" \\(PolicyDocument/Statement/2\\), which reaches every resource of the type in every account as "\\*" does'));
      expect(findings[1].message).toContain('"kms:Decrypt" on "arn:*:kms:*:*:*" (PolicyDocument/Statement/0); "s3:PutObject" on "arn:${AWS::Partition}:s3:::*/*" (PolicyDocument/Statement/1),');
      expect(findings[1].message).not.toContain('s3:GetObject');
    });

    test('passes ARNs narrower than "*": one account\'s resources of a type, a bucket prefix, a named role in any account, a statement with a condition', () => {
      const { app, stack, role } = shop();
      role.addToPolicy(new iam.PolicyStatement({ actions: ['ec2:DeleteNetworkInterface'], resources: [stack.formatArn({ service: 'ec2', resource: 'network-interface', resourceName: '*' })] }));
      role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::ledger-exports-*/*', 'arn:aws:s3:::ledger/*'] }));
      role.addToPolicy(new iam.PolicyStatement({ actions: ['sts:AssumeRole'], resources: ['arn:aws:iam::*:role/ledger-reader'] }));
      role.addToPolicy(new iam.PolicyStatement({
        actions: ['sts:AssumeRole'],
        resources: ['arn:*:iam::*:role/*'],
        conditions: { 'ForAnyValue:StringEquals': { 'iam:ResourceTag/aws-cdk:bootstrap-role': ['deploy'] } },
      }));
      const unknown = new CfnParameter(stack, 'Partition');
      role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${unknown.valueAsString}:s3:::*/*`] }));
      expect(c06(app)).toEqual([]);
    });

    test('passes an EFS mount on "*" pinned to one access point, as CDK writes for a function and as a raw nested policy; fails looser conditions', () => {
      const { app, stack } = shop();
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const accessPoint = new efs.FileSystem(stack, 'Files', { vpc }).addAccessPoint('Render', { path: '/render' });
      new lambda.Function(stack, 'Render', {
        runtime: lambda.Runtime.NODEJS_22_X,
        handler: 'index.handler',
        code: lambda.Code.fromInline('x'),
        vpc,
        filesystem: lambda.FileSystem.fromEfsAccessPoint(accessPoint, '/mnt/render'),
      });
      const nested = new NestedStack(stack, 'Batch');
      const pointArn = 'arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/fsap-0123456789abcdef0';
      const mount = (id: string, condition: unknown, actions = ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite']) =>
        new iam.CfnManagedPolicy(nested, id, { policyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: '*', Condition: condition }] } });
      mount('Pinned', { StringEquals: { 'elasticfilesystem:AccessPointArn': pointArn } });
      mount('PinnedArn', { ArnEquals: { 'elasticfilesystem:accesspointarn': [pointArn] } });
      mount('AnyPoint', { StringLike: { 'elasticfilesystem:AccessPointArn': 'arn:aws:elasticfilesystem:eu-west-1:123456789012:access-point/*' } });
      mount('WildValue', { StringEquals: { 'elasticfilesystem:AccessPointArn': `${pointArn}*` } });
      mount('AllButOne', { StringNotEquals: { 'elasticfilesystem:AccessPointArn': pointArn } });
      mount('OtherService', { StringEquals: { 'elasticfilesystem:AccessPointArn': pointArn } }, ['elasticfilesystem:ClientMount', 's3:GetObject']);
      mount('NoCondition', undefined);
      const findings = c06(app);
      expect(lines(findings)).toEqual(['AnyPoint', 'AllButOne', 'NoCondition', 'OtherService', 'WildValue'].map(id => `${RESOURCE} Shop/Batch/${id}`).sort());
      expect(findings.find(f => f.logicalId === 'OtherService')!.message).toContain('allows "s3:GetObject" (PolicyDocument/Statement/0) on Resource "*"');
    });

    test('passes ECS task actions on "*" pinned to one cluster by ecs:cluster, as CDK\'s drain hook writes them; fails a cluster pattern', () => {
      const { app, stack, role } = shop();
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 });
      const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
      // addCapacity adds a lifecycle drain hook whose function lists and drains the cluster's tasks on "*", pinned to the cluster.
      cluster.addCapacity('Default', {
        instanceType: new ec2.InstanceType('m7g.large'),
        machineImage: ecs.EcsOptimizedImage.amazonLinux2023(ecs.AmiHardwareType.ARM),
        vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC },
      });
      const pinned = (clusterArn: string) => ({ ArnEquals: { 'ecs:cluster': clusterArn } });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['ecs:ListTasks', 'ecs:StopTask'], resources: ['*'], conditions: pinned(cluster.clusterArn) }));
      role.addToPolicy(new iam.PolicyStatement({ actions: ['ecs:StopTask'], resources: ['*'], conditions: { ArnLike: { 'ecs:cluster': 'arn:aws:ecs:*:*:cluster/*' } } }));
      const findings = c06(app).filter(f => f.severity === 'error');
      expect(findings.map(f => [f.constructPath, f.message.match(/allows (.*) on Resource/)![1]])).toEqual([
        ['Shop/Fn/DefaultPolicy/Resource', '"ecs:StopTask" (PolicyDocument/Statement/1)'],
      ]);
    });

    test('allows a statement wildcard only when the allow-list names it verbatim', () => {
      const { app, role } = shop();
      role.addToPolicy(new iam.PolicyStatement({ actions: ['xray:Get*'], resources: ['*'] }));
      expect(c06(app).map(f => f.message)).toEqual([expect.stringContaining('allows "xray:Get*"')]);
    });

    test('catches an escape hatch that widens a generated policy to "*"', () => {
      const { app, stack, role } = shop();
      new s3.Bucket(stack, 'Orders').grantRead(role);
      const policy = role.node.findChild('DefaultPolicy').node.defaultChild as iam.CfnPolicy;
      policy.addPropertyOverride('PolicyDocument.Statement.0.Resource', '*');
      expect(lines(c06(app))).toEqual([`${RESOURCE} Shop/Fn/DefaultPolicy/Resource`]);
    });
  });

  describe('statements a library writes into a role it creates', () => {
    test('CDK Pipelines\' self-mutation and asset publishing statements are warnings naming the pipeline', () => {
      const app = testApp();
      deliveryPipeline(app);
      const findings = c06(app);
      expect(findings.map(f => [f.constructPath, f.severity])).toEqual([
        ['Delivery/Pipeline/Assets/DockerRole/DefaultPolicy/Resource', 'warning'],
        ['Delivery/Pipeline/Assets/FileRole/DefaultPolicy/Resource', 'warning'],
        ['Delivery/Pipeline/UpdatePipeline/SelfMutation/Role/DefaultPolicy/Resource', 'warning'],
      ]);
      expect(findings[2].message).toMatch(/allows "cloudformation:DescribeStacks" .*"s3:ListBucket" .* CDK created this resource for Delivery\/Pipeline \(pipelines\.CodePipeline: /);
    });

    test('the role of the security check project a ConfirmPermissionsBroadening step adds is the library\'s', () => {
      const app = testApp();
      deliveryPipeline(app, { confirmBroadening: true });
      const findings = c06(app).filter(f => f.constructPath.includes('/PipelinesSecurityCheck/'));
      expect(findings.map(f => [f.severity, f.constructPath, f.message.match(/allows (.*) on Resource/)![1].replace(/ \(PolicyDocument[^)]*\)/g, '')])).toEqual([
        // The auto-approve function's role, a library function's (named after the project that calls it).
        ['warning', 'Delivery/Pipeline/PipelinesSecurityCheck/CDKPipelinesAutoApprove/ServiceRole/DefaultPolicy/Resource',
          '"codepipeline:GetPipelineState", "codepipeline:PutApprovalResult"'],
        ['warning', 'Delivery/Pipeline/PipelinesSecurityCheck/CDKSecurityCheck/Role/DefaultPolicy/Resource', '"sts:AssumeRole"'],
      ]);
      expect(findings[1].message).toContain('CDK created this resource for Delivery/Pipeline (pipelines.CodePipeline: statements of the role of the security check project');
    });

    test('what the app adds to such a role, or grants in its own steps, stays an error', () => {
      const app = testApp();
      const smoke = new pipelines.CodeBuildStep('Smoke', {
        commands: ['npm run smoke'],
        rolePolicyStatements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] })],
      });
      const { pipeline } = deliveryPipeline(app, { post: [smoke] });
      pipeline.buildPipeline();
      pipeline.selfMutationProject.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:Scan', 's3:ListBucket'], resources: ['*'] }));
      const findings = c06(app).filter(f => !f.constructPath.includes('/Assets/'));
      expect(findings.map(f => [f.constructPath, f.severity, f.message.match(/allows (.*) on Resource/)![1].replace(/ \(PolicyDocument[^)]*\)/g, '')])).toEqual([
        [expect.stringMatching(/Smoke.*\/Role\/DefaultPolicy\/Resource$/), 'error', '"s3:GetObject"'],
        ['Delivery/Pipeline/UpdatePipeline/SelfMutation/Role/DefaultPolicy/Resource', 'error', '"dynamodb:Scan"'],
        ['Delivery/Pipeline/UpdatePipeline/SelfMutation/Role/DefaultPolicy/Resource', 'warning', '"cloudformation:DescribeStacks"; "s3:ListBucket"; "s3:ListBucket"'],
      ]);
    });
  });

  describe('a bastion host\'s Session Manager statement', () => {
    function bastion(): { app: App; host: ec2.BastionHostLinux } {
      const app = testApp();
      const stack = new Stack(app, 'Ops', { env: { account: '123456789012', region: 'eu-west-1' } });
      const host = new ec2.BastionHostLinux(stack, 'Bastion', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 }) });
      return { app, host };
    }

    test('is the library\'s: its service wildcards and its action on "*" are warnings naming the bastion', () => {
      const { app } = bastion();
      const findings = c06(app);
      expect(findings.map(f => [f.ruleId, f.severity, f.constructPath])).toEqual([
        [ACTION, 'warning', 'Ops/Bastion/Resource/InstanceRole/DefaultPolicy/Resource'],
        [RESOURCE, 'warning', 'Ops/Bastion/Resource/InstanceRole/DefaultPolicy/Resource'],
      ]);
      expect(findings[0].message).toMatch(/allows "ssmmessages:\*", "ec2messages:\*" .* CDK created this resource for Ops\/Bastion \(ec2\.BastionHostLinux: /);
      expect(findings[1].message).toMatch(/allows "ssm:UpdateInstanceInformation" \(PolicyDocument\/Statement\/0\) on Resource "\*"/);
    });

    test('a service wildcard or an action on "*" the app adds to the bastion\'s role stays an error', () => {
      const { app, host } = bastion();
      host.instance.addToRolePolicy(new iam.PolicyStatement({ actions: ['ssm:*', 'ssm:UpdateInstanceInformation'], resources: ['*'] }));
      host.instance.addToRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
      const summary = c06(app).map(f => [f.ruleId, f.severity, f.message.match(/allows (.*?)(, i\.e\.| on Resource)/)![1].replace(/ \(PolicyDocument[^)]*\)/g, '')]);
      expect(summary).toEqual([
        [ACTION, 'error', '"ssm:*"'],
        [ACTION, 'warning', '"ssmmessages:*", "ec2messages:*"'],
        [RESOURCE, 'error', '"s3:GetObject"'],
        [RESOURCE, 'warning', '"ssm:UpdateInstanceInformation"; "ssm:UpdateInstanceInformation"'],
      ]);
    });
  });

  describe('an ECS cluster\'s statements in its EC2 capacity\'s instance role', () => {
    function capacity(use: 'provider' | 'addCapacity' | 'none'): { app: App; stack: Stack } {
      const app = testApp();
      const stack = new Stack(app, 'Ledger', { env: { account: '123456789012', region: 'eu-west-1' } });
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 });
      const cluster = new ecs.Cluster(stack, 'Cluster', { vpc });
      const instanceType = new ec2.InstanceType('m7g.large');
      const machineImage = ecs.EcsOptimizedImage.amazonLinux2023(ecs.AmiHardwareType.ARM);
      if (use === 'addCapacity') {
        cluster.addCapacity('Default', { instanceType, machineImage, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC } });
        return { app, stack };
      }
      const instances = new autoscaling.AutoScalingGroup(stack, 'Instances', { vpc, vpcSubnets: { subnetType: ec2.SubnetType.PUBLIC }, instanceType, machineImage });
      if (use === 'provider') cluster.addAsgCapacityProvider(new ecs.AsgCapacityProvider(stack, 'Capacity', { autoScalingGroup: instances }));
      else instances.addToRolePolicy(new iam.PolicyStatement({ actions: ['ecs:Poll', 'logs:PutLogEvents'], resources: ['*'] }));
      return { app, stack };
    }

    test('are the library\'s, named after the capacity provider or the cluster that added the capacity', () => {
      for (const [use, owner, role] of [['provider', 'Ledger/Capacity', 'Ledger/Instances'], ['addCapacity', 'Ledger/Cluster', 'Ledger/Cluster/Default']] as const) {
        const findings = c06(capacity(use).app);
        expect([use, findings.map(f => [f.severity, f.constructPath])]).toEqual([use, [['warning', `${role}/InstanceRole/DefaultPolicy/Resource`]]]);
        expect(findings[0].message).toMatch(/allows "logs:CreateLogStream", "logs:PutLogEvents" \(PolicyDocument\/Statement\/\d\) on Resource "\*"/);
        expect(findings[0].message).toContain(`CDK created this resource for ${owner} (autoscaling.AutoScalingGroup: statements an ECS cluster writes`);
      }
    });

    test('the same actions in the role of a group no cluster takes are the app\'s', () => {
      const findings = c06(capacity('none').app);
      expect(findings.map(f => [f.severity, f.constructPath])).toEqual([['error', 'Ledger/Instances/InstanceRole/DefaultPolicy/Resource']]);
      expect(findings[0].message).toMatch(/allows "ecs:Poll", "logs:PutLogEvents" \(PolicyDocument\/Statement\/0\) on Resource "\*"/);
    });
  });

  test('a user pool\'s SMS role may publish on "*", the role CDK creates and one the app passes; a DnsValidatedCertificate\'s requestor is the library\'s', () => {
    const app = testApp();
    const stack = new Stack(app, 'Identity', { env: { account: '123456789012', region: 'eu-west-1' } });
    const sms = { signInAliases: { phone: true }, mfa: cognito.Mfa.REQUIRED, mfaSecondFactor: { sms: true, otp: false } };
    new cognito.UserPool(stack, 'Customers', sms);
    const smsRole = new iam.Role(stack, 'OwnSms', { assumedBy: new iam.ServicePrincipal('cognito-idp.amazonaws.com') });
    smsRole.addToPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
    new cognito.UserPool(stack, 'Staff', { ...sms, smsRole });
    const zone = route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', { hostedZoneId: 'Z0123456789ABCDEFGHIJ', zoneName: 'bank.example.com' });
    new acm.DnsValidatedCertificate(stack, 'EdgeCertificate', { domainName: 'signin.bank.example.com', hostedZone: zone, region: 'us-east-1' });
    const findings = c06(app);
    expect(findings.map(f => [f.severity, f.constructPath])).toEqual([
      ['warning', 'Identity/EdgeCertificate/CertificateRequestorFunction/ServiceRole/DefaultPolicy/Resource'],
    ]);
    expect(findings[0].message).toMatch(/"acm:DescribeCertificate".*"route53:GetChange".* CDK created this resource for Identity\/EdgeCertificate \(certificatemanager\.DnsValidatedCertificate: /);
  });

  test('a BucketDeployment\'s invalidation statement in a role the app passes it is the library\'s; what the app adds there, or writes alike into another role, is the app\'s', () => {
    const portal = (appAdds: boolean) => {
      const app = testApp();
      const stack = new Stack(app, 'Portal', { env: { account: '123456789012', region: 'eu-west-1' } });
      const site = new s3.Bucket(stack, 'Site', { enforceSSL: true });
      const distribution = new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(site) } });
      const role = new iam.Role(stack, 'PublishRole', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      new s3deploy.BucketDeployment(stack, 'Publish', { sources: [s3deploy.Source.data('index.html', '<h1>Portal</h1>')], destinationBucket: site, distribution, role });
      const invalidate = new iam.PolicyStatement({ actions: ['cloudfront:CreateInvalidation'], resources: ['*'] });
      new iam.Role(stack, 'Purger', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(invalidate);
      if (appAdds) role.addToPolicy(new iam.PolicyStatement({ actions: ['s3:DeleteObject'], resources: ['*'] }));
      return c06(app).map(f => [f.severity, f.constructPath, f.message.match(/allows (.*) on Resource/)![1].replace(/ \(PolicyDocument[^)]*\)/g, '')])
        .sort((a, b) => a.join(' ').localeCompare(b.join(' ')));
    };
    expect(portal(false)).toEqual([
      ['error', 'Portal/Purger/DefaultPolicy/Resource', '"cloudfront:CreateInvalidation"'],
      ['warning', 'Portal/PublishRole/DefaultPolicy/Resource', '"cloudfront:GetInvalidation", "cloudfront:CreateInvalidation"'],
    ]);
    expect(portal(true)).toEqual([
      ['error', 'Portal/PublishRole/DefaultPolicy/Resource', '"s3:DeleteObject"'],
      ['error', 'Portal/Purger/DefaultPolicy/Resource', '"cloudfront:CreateInvalidation"'],
      ['warning', 'Portal/PublishRole/DefaultPolicy/Resource', '"cloudfront:GetInvalidation", "cloudfront:CreateInvalidation"'],
    ]);
  });

  test('a key grant to a role of another account or region writes key actions on "*": an error whose fix says how to name the key', () => {
    const audit = (importByArn: boolean) => {
      const app = testApp();
      const ledger = new Stack(app, 'Ledger', { env: { account: '123456789012', region: 'eu-west-1' } });
      const key = new kms.Key(ledger, 'Key', { enableKeyRotation: true });
      const auditing = new Stack(app, 'Audit', { env: { account: '210987654321', region: 'eu-west-1' } });
      const reader = new iam.Role(auditing, 'Reader', { roleName: 'audit-reader-dev', assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      if (importByArn) {
        key.grantDecrypt(new iam.ArnPrincipal('arn:aws:iam::210987654321:role/audit-reader-dev'));
        kms.Key.fromKeyArn(auditing, 'LedgerKey', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab').grantDecrypt(reader);
      } else {
        key.grantDecrypt(reader);
      }
      return c06(app);
    };
    const findings = audit(false);
    expect(findings.map(f => [f.severity, f.constructPath])).toEqual([['error', 'Audit/Reader/DefaultPolicy/Resource']]);
    expect(findings[0].fix).toContain('import the key by ARN in the role\'s stack (kms.Key.fromKeyArn)');
    expect(audit(true)).toEqual([]);
    // Other actions on "*" keep the usual fix.
    const { app, role } = shop();
    role.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt', 's3:GetObject'], resources: ['*'] }));
    expect(c06(app)[0].fix).toBe(PolicyWildcards.WILDCARD_RESOURCE.fix);
  });

  test('a replicating bucket\'s own role, granted a destination key of another region on "*", is the library\'s; a replication role the app passes is the app\'s', () => {
    const statements = (ownRole: boolean) => {
      const app = testApp();
      const vault = new Stack(app, 'Vault', { env: { account: '123456789012', region: 'eu-central-1' } });
      const vaultKey = new kms.Key(vault, 'Key', { enableKeyRotation: true });
      const replica = new s3.Bucket(vault, 'Replica', { bucketName: 'statements-replica-123456789012', versioned: true, encryptionKey: vaultKey });
      const stack = new Stack(app, 'Statements', { env: { account: '123456789012', region: 'eu-west-1' }, crossRegionReferences: true });
      const replicationRole = ownRole ? new iam.Role(stack, 'Replicator', { roleName: 'statements-replicator-dev', assumedBy: new iam.ServicePrincipal('s3.amazonaws.com') }) : undefined;
      const source = new s3.Bucket(stack, 'Source', {
        versioned: true, replicationRole, replicationRules: [{ destination: replica, priority: 1, kmsKey: vaultKey, sseKmsEncryptedObjects: true }],
      });
      if (replicationRole) source.grantReplicationPermission(replicationRole, { destinations: [{ bucket: replica, encryptionKey: vaultKey }] });
      return c06(app).map(f => [f.severity, f.constructPath]);
    };
    expect(statements(false)).toEqual([['warning', 'Statements/Source/ReplicationRole/DefaultPolicy/Resource']]);
    expect(statements(true)).toEqual([['error', 'Statements/Replicator/DefaultPolicy/Resource']]);
  });

  test('the policy a replicated dynamodb.Table attaches to CDK\'s replica provider is the library\'s; the same service wildcard in the app\'s role stays an error', () => {
    const app = testApp();
    const stack = new Stack(app, 'Fx', { env: { account: '123456789012', region: 'eu-west-1' } });
    const rates = new dynamodb.Table(stack, 'Rates', { partitionKey: { name: 'pair', type: dynamodb.AttributeType.STRING }, replicationRegions: ['eu-central-1'] });
    rates.grant(new iam.Role(stack, 'Loader', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }), 'dynamodb:*');
    const findings = findingsOf(app, [ACTION]);
    expect(findings.map(f => [f.severity, f.constructPath.replace(/-Fxawscdk[A-Za-z0-9]+\//, '-*/')])).toEqual([
      ['error', 'Fx/Loader/DefaultPolicy/Resource'],
      ['warning', 'Fx/Rates/SourceTableAttachedManagedPolicy-*/Resource/Resource'],
    ]);
    expect(findings[1].message).toContain('CDK created this resource for Fx/Rates (dynamodb.Table: the policy it attaches to the role of CDK\'s replica provider');
  });

  test('eks.Cluster\'s creation role and its load balancer controller\'s service account are the library\'s; the app\'s own statements there stay errors', () => {
    // Findings as [severity, path, how many actions on "*"].
    const platform = (props: { clusterName?: string; appAdds?: boolean }) => {
      const app = testApp();
      const stack = new Stack(app, 'Platform', { env: { account: '123456789012', region: 'eu-west-1' } });
      const cluster = kubernetesCluster(stack, { clusterName: props.clusterName, albController: { version: eks.AlbControllerVersion.V2_8_2 } });
      // The team's own service account (IRSA), and what it adds to the controller's.
      const api = cluster.addServiceAccount('Api', { name: 'api', namespace: 'payments' });
      if (props.appAdds) {
        api.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: ['*'] }));
        (cluster.albController!.node.findChild('alb-sa') as eks.ServiceAccount).addToPrincipalPolicy(
          new iam.PolicyStatement({ actions: ['elasticloadbalancing:DeleteLoadBalancer', 'dynamodb:DeleteTable'], resources: ['*'] }));
      }
      return c06(app).map(f => [f.severity, f.constructPath.replace(/^Platform\/Platform[A-Za-z0-9]+-AlbController/, 'AlbController'),
        f.message.match(/allows (.*) on Resource/)![1].match(/"[a-z0-9-]+:[A-Za-z*]+"/g)!.length]).sort();
    };
    // The OIDC provider IRSA needs is CDK's own custom-resource provider, reported as the cluster's.
    const oidc = ['warning', 'Platform/Custom::AWSCDKOpenIdConnectProviderCustomResourceProvider/Role', 5];
    expect(platform({})).toEqual([
      ['warning', 'AlbController/alb-sa/Role/DefaultPolicy/Resource', 39],
      ['warning', 'Platform/Cluster/Resource/CreationRole/DefaultPolicy/Resource', 13],
      oidc,
    ]);
    // With a name, the eks: statements name the cluster: only the IAM ones stay on "*".
    expect(platform({ clusterName: 'card-platform' })).toEqual([
      ['warning', 'AlbController/alb-sa/Role/DefaultPolicy/Resource', 39],
      ['warning', 'Platform/Cluster/Resource/CreationRole/DefaultPolicy/Resource', 3],
      oidc,
    ]);
    // An action the library writes on "*" too (elasticloadbalancing:DeleteLoadBalancer) is counted with the library's.
    expect(platform({ appAdds: true })).toEqual([
      ['error', 'AlbController/alb-sa/Role/DefaultPolicy/Resource', 1],
      ['error', 'Platform/Cluster/Api/Role/DefaultPolicy/Resource', 1],
      ['warning', 'AlbController/alb-sa/Role/DefaultPolicy/Resource', 40],
      ['warning', 'Platform/Cluster/Resource/CreationRole/DefaultPolicy/Resource', 13],
      oidc,
    ]);
  });

  test('an IPv6 cluster\'s node group writes the VPC CNI statement on every account\'s network interfaces into the node role it creates: the library\'s; by hand, an error', () => {
    const CNI = ['ec2:AssignIpv6Addresses', 'ec2:UnassignIpv6Addresses'];
    const EVERY_INTERFACE = 'arn:aws:ec2:*:*:network-interface/*';
    const cards = (props: { ownRole?: boolean } = {}) => {
      const app = testApp();
      const stack = new Stack(app, 'Cards', { env: { account: '123456789012', region: 'eu-west-1' } });
      const cluster = kubernetesCluster(stack, { ipFamily: eks.IpFamily.IP_V6, defaultCapacity: 0 });
      const nodeRole = props.ownRole ? new iam.Role(stack, 'NodeRole', { assumedBy: new iam.ServicePrincipal('ec2.amazonaws.com') }) : undefined;
      nodeRole?.addToPrincipalPolicy(new iam.PolicyStatement({ actions: CNI, resources: [EVERY_INTERFACE] }));
      cluster.addNodegroupCapacity('Workers', { nodeRole });
      return c06(app).filter(f => f.message.includes('network-interface'));
    };
    const [library] = cards();
    expect([library.severity, library.constructPath]).toEqual(['warning', 'Cards/Cluster/NodegroupWorkers/NodeGroupRole/DefaultPolicy/Resource']);
    expect(library.message).toContain(`"ec2:AssignIpv6Addresses", "ec2:UnassignIpv6Addresses" on "${EVERY_INTERFACE}"`);
    expect(library.message).toContain('CDK created this resource for Cards/Cluster/NodegroupWorkers (eks.Nodegroup: the statement it writes into the node role');
    expect(cards({ ownRole: true }).map(f => [f.severity, f.constructPath])).toEqual([['error', 'Cards/NodeRole/DefaultPolicy/Resource']]);
  });

  describe('statements a library writes into a role for a service it sets up', () => {
    const env = { account: '123456789012', region: 'eu-west-1' };
    /** Findings as [severity, construct path, the actions on "*"], sorted. */
    const summary = (app: App) => c06(app)
      .map(f => [f.severity, f.constructPath, f.message.match(/allows (.*) on Resource/)![1].replace(/ \((Policies\/0\/)?PolicyDocument[^)]*\)/g, '')])
      .sort((a, b) => a.join(' ').localeCompare(b.join(' ')));

    test('a CodeBuild project\'s VPC policy is the library\'s, in a Project and a PipelineProject; an action the app adds, or the same one in a project outside the VPC, is the app\'s', () => {
      const app = testApp();
      const stack = new Stack(app, 'Builds', { env });
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
      const buildSpec = codebuild.BuildSpec.fromObject({ version: '0.2', phases: { build: { commands: ['npm run migrate'] } } });
      const migrate = new codebuild.Project(stack, 'Migrate', { vpc, buildSpec });
      new codebuild.PipelineProject(stack, 'IntegrationTests', { vpc, buildSpec });
      migrate.addToRolePolicy(new iam.PolicyStatement({ actions: ['ec2:DeleteSecurityGroup'], resources: ['*'] }));
      new codebuild.Project(stack, 'Lint', { buildSpec }).addToRolePolicy(new iam.PolicyStatement({ actions: ['ec2:CreateNetworkInterface'], resources: ['*'] }));
      const interfaces = '"ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"';
      expect(summary(app)).toEqual([
        ['error', 'Builds/Lint/Role/DefaultPolicy/Resource', '"ec2:CreateNetworkInterface"'],
        ['error', 'Builds/Migrate/Role/DefaultPolicy/Resource', '"ec2:DeleteSecurityGroup"'],
        ['warning', 'Builds/IntegrationTests/PolicyDocument/Resource', interfaces],
        ['warning', 'Builds/Migrate/PolicyDocument/Resource', interfaces],
      ]);
      const named = c06(app).filter(f => f.severity === 'warning').map(f => f.message.match(/CDK created this resource for (\S+) \(([^:]+):/)!.slice(1));
      expect(named.sort()).toEqual([['Builds/IntegrationTests', 'codebuild.PipelineProject'], ['Builds/Migrate', 'codebuild.Project']]);
    });

    test('an AppConfig environment\'s alarm role is the library\'s; an alarm role the app passes its monitor is the app\'s', () => {
      const app = testApp();
      const stack = new Stack(app, 'Flags', { env });
      const application = new appconfig.Application(stack, 'Payments');
      const errors = new cloudwatch.Alarm(stack, 'Errors', { metric: new cloudwatch.Metric({ namespace: 'Payments', metricName: 'Errors' }), threshold: 1, evaluationPeriods: 1 });
      new appconfig.Environment(stack, 'Prod', { application, monitors: [appconfig.Monitor.fromCloudWatchAlarm(errors)] });
      const alarmRole = new iam.Role(stack, 'AlarmReader', { assumedBy: new iam.ServicePrincipal('appconfig.amazonaws.com') });
      alarmRole.addToPolicy(new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: ['*'] }));
      new appconfig.Environment(stack, 'Staging', { application, monitors: [appconfig.Monitor.fromCloudWatchAlarm(errors, alarmRole)] });
      const found = summary(app);
      expect(found).toEqual([
        ['error', 'Flags/AlarmReader/DefaultPolicy/Resource', '"cloudwatch:DescribeAlarms"'],
        ['warning', expect.stringMatching(/^Flags\/Prod\/Role[0-9A-F]{5}\/Resource$/), '"cloudwatch:DescribeAlarms"'],
      ]);
      expect(c06(app).find(f => f.severity === 'warning')!.message).toMatch(/CDK created this resource for Flags\/Prod \(appconfig\.Environment: .*alarmRole/);
    });

    test('the ECS deploy actions\' statements are the library\'s, in the roles the pipeline creates and in one the app passes; what the app adds is the app\'s', () => {
      const rollout = (role?: (stack: Stack) => iam.Role) => {
        const app = testApp();
        const stack = new Stack(app, 'Releases', { env });
        const own = role?.(stack);
        containerRollout(stack, { role: own, blueGreen: true });
        own?.addToPolicy(new iam.PolicyStatement({ actions: ['ecs:DeleteService'], resources: ['*'] }));
        return app;
      };
      const created = rollout();
      // ecs:DescribeTaskDefinition names no resource type, so it may be on "*".
      const ecsActions = '"ecs:DescribeServices", "ecs:DescribeTasks", "ecs:ListTasks", "ecs:RegisterTaskDefinition", "ecs:TagResource", "ecs:UpdateService"; "iam:PassRole"';
      expect(summary(created)).toEqual([
        ['warning', 'Releases/Rollout/Deploy/BlueGreen/CodePipelineActionRole/DefaultPolicy/Resource', '"ecs:RegisterTaskDefinition"; "iam:PassRole"'],
        ['warning', 'Releases/Rollout/Deploy/Ecs/CodePipelineActionRole/DefaultPolicy/Resource', ecsActions],
      ]);
      const named = c06(created).map(f => f.message.match(/CDK created this resource for (\S+) \(([^:]+):/)!.slice(1));
      expect(named.sort()).toEqual([
        ['Releases/Rollout', 'codepipeline-actions.CodeDeployEcsDeployAction'], ['Releases/Rollout', 'codepipeline-actions.EcsDeployAction'],
      ]);
      // One role of the app's for both actions: both classes' statements are the library's, the app's own action is not.
      const passed = rollout(stack => new iam.Role(stack, 'DeployRole', { assumedBy: new iam.AccountRootPrincipal() }));
      const findings = c06(passed);
      expect(findings.map(f => [f.severity, f.constructPath, f.message.match(/allows (.*) on Resource/)![1].replace(/ \(PolicyDocument[^)]*\)/g, '')])).toEqual([
        ['error', 'Releases/DeployRole/DefaultPolicy/Resource', '"ecs:DeleteService"'],
        ['warning', 'Releases/DeployRole/DefaultPolicy/Resource', expect.stringContaining('"ecs:UpdateService"')],
      ]);
      expect(findings[1].message).toMatch(/for Releases\/Rollout \(codepipeline-actions\.EcsDeployAction, codepipeline-actions\.CodeDeployEcsDeployAction: /);
    });

    test('the statements of the Fluent Bit router a task definition adds for FireLens are the library\'s; what the app adds to its roles is the app\'s', () => {
      const app = testApp();
      const stack = new Stack(app, 'Cards', { env });
      const task = new ecs.FargateTaskDefinition(stack, 'Task');
      task.addContainer('card-api', {
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/card-api:1.4.2'),
        logging: ecs.LogDrivers.firelens({ options: { Name: 'firehose', region: 'eu-west-1', delivery_stream: 'card-api-logs' } }),
      });
      task.addToTaskRolePolicy(new iam.PolicyStatement({ actions: ['firehose:DeleteDeliveryStream'], resources: ['*'] }));
      // The same output statement in a task definition whose router the app chose: the app's.
      const own = new ecs.FargateTaskDefinition(stack, 'OwnRouter');
      own.addFirelensLogRouter('router', {
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/aws-observability/aws-for-fluent-bit:2.32.4'),
        firelensConfig: { type: ecs.FirelensLogRouterType.FLUENTBIT },
        memoryReservationMiB: 64,
      });
      own.addToTaskRolePolicy(new iam.PolicyStatement({ actions: ['firehose:PutRecordBatch'], resources: ['*'] }));
      expect(summary(app)).toEqual([
        ['error', 'Cards/OwnRouter/TaskRole/DefaultPolicy/Resource', '"firehose:PutRecordBatch"'],
        ['error', 'Cards/Task/TaskRole/DefaultPolicy/Resource', '"firehose:DeleteDeliveryStream"'],
        ['warning', 'Cards/Task/ExecutionRole/DefaultPolicy/Resource', '"ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"'],
        ['warning', 'Cards/Task/TaskRole/DefaultPolicy/Resource', '"firehose:PutRecordBatch"'],
      ]);
      expect(c06(app).find(f => f.constructPath === 'Cards/Task/TaskRole/DefaultPolicy/Resource' && f.severity === 'warning')!.message)
        .toMatch(/CDK created this resource for Cards\/Task \(ecs\.obtainDefaultFluentBitECRImage: .*addFirelensLogRouter/);
    });

    test('ECS Exec\'s session log statements and a FireLens router\'s in one task role are reported apart, each naming its library', () => {
      const app = testApp();
      const stack = new Stack(app, 'Cards', { env });
      const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
      const cluster = new ecs.Cluster(stack, 'Cluster', {
        vpc,
        executeCommandConfiguration: { logging: ecs.ExecuteCommandLogging.OVERRIDE, logConfiguration: { s3Bucket: new s3.Bucket(stack, 'SessionLogs', { enforceSSL: true }) } },
      });
      const task = new ecs.FargateTaskDefinition(stack, 'Task');
      task.addContainer('card-api', {
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/card-api:1.4.2'),
        logging: ecs.LogDrivers.firelens({ options: { Name: 'firehose', region: 'eu-west-1', delivery_stream: 'card-api-logs' } }),
      });
      new ecs.FargateService(stack, 'Service', { cluster, taskDefinition: task, enableExecuteCommand: true, vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED } });
      task.addToTaskRolePolicy(new iam.PolicyStatement({ actions: ['s3:GetBucketAcl'], resources: ['*'] }));
      const taskRole = c06(app).filter(f => f.constructPath === 'Cards/Task/TaskRole/DefaultPolicy/Resource');
      expect(taskRole.map(f => [f.severity, f.message.match(/allows (.*) on Resource/)![1].replace(/ \(PolicyDocument[^)]*\)/g, ''), f.message.match(/for (\S+) \(([^:]+):/)?.slice(1)])).toEqual([
        ['error', '"s3:GetBucketAcl"', undefined],
        ['warning', '"firehose:PutRecordBatch"', ['Cards/Task', 'ecs.obtainDefaultFluentBitECRImage']],
        ['warning', '"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"; "s3:GetBucketLocation"', ['Cards/Service', 'ecs.BaseService']],
      ]);
    });

    test('the same statements in the role of an ECS deploy action of a pipeline written as L1, as an included template has it, are the app\'s', () => {
      const app = testApp();
      const stack = new Stack(app, 'Releases', { env });
      const role = new iam.Role(stack, 'DeployRole', { assumedBy: new iam.AccountRootPrincipal() });
      role.addToPolicy(new iam.PolicyStatement({ actions: ['ecs:UpdateService', 'ecs:RegisterTaskDefinition'], resources: ['*'] }));
      const artifacts = new s3.Bucket(stack, 'Artifacts', { enforceSSL: true });
      new codepipeline.CfnPipeline(stack, 'Rollout', {
        roleArn: role.roleArn,
        artifactStore: { type: 'S3', location: artifacts.bucketName },
        stages: [
          { name: 'Source', actions: [{ name: 'Release', actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' }, configuration: { S3Bucket: artifacts.bucketName, S3ObjectKey: 'ledger.zip' }, outputArtifacts: [{ name: 'Image' }] }] },
          { name: 'Deploy', actions: [{ name: 'Ecs', actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'ECS', version: '1' }, roleArn: role.roleArn, inputArtifacts: [{ name: 'Image' }], configuration: { ClusterName: 'ledger', ServiceName: 'ledger' } }] },
        ],
      });
      expect(summary(app)).toEqual([['error', 'Releases/DeployRole/DefaultPolicy/Resource', '"ecs:UpdateService", "ecs:RegisterTaskDefinition"']]);
    });
  });

  test('sns:Publish on "*" stays an error in an SMS role another principal may assume too, in a policy also on another role, and beside other actions', () => {
    const app = testApp();
    const stack = new Stack(app, 'Identity', { env: { account: '123456789012', region: 'eu-west-1' } });
    const sms = { signInAliases: { phone: true }, mfa: cognito.Mfa.REQUIRED, mfaSecondFactor: { sms: true, otp: false } };
    const shared = new iam.Role(stack, 'SharedSms', {
      assumedBy: new iam.CompositePrincipal(new iam.ServicePrincipal('cognito-idp.amazonaws.com'), new iam.ServicePrincipal('lambda.amazonaws.com')),
    });
    shared.addToPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] }));
    new cognito.UserPool(stack, 'Shared', { ...sms, smsRole: shared });
    const own = new iam.Role(stack, 'OwnSms', { assumedBy: new iam.ServicePrincipal('cognito-idp.amazonaws.com') });
    new cognito.UserPool(stack, 'Staff', { ...sms, smsRole: own });
    const notifier = new iam.Role(stack, 'Notifier', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    new iam.Policy(stack, 'Texts', { roles: [own, notifier], statements: [new iam.PolicyStatement({ actions: ['sns:Publish'], resources: ['*'] })] });
    own.addToPolicy(new iam.PolicyStatement({ actions: ['sns:Publish', 'sns:DeleteTopic'], resources: ['*'] }));
    const summary = onEverySummary(app);
    expect(summary).toEqual([
      ['error', 'Identity/OwnSms/DefaultPolicy/Resource', '"sns:DeleteTopic"'],
      ['error', 'Identity/SharedSms/DefaultPolicy/Resource', '"sns:Publish"'],
      ['error', 'Identity/Texts/Resource', '"sns:Publish"'],
    ]);
  });

  test('an MWAA execution role may use keys outside the account through SQS, as the MWAA guide writes it (on "*" or NotResource, with kms:ViaService); without the condition, or in another role, it stays an error', () => {
    const app = testApp();
    const stack = new Stack(app, 'Airflow', { env: { account: '123456789012', region: 'eu-west-1' } });
    const airflow = () => new iam.CompositePrincipal(new iam.ServicePrincipal('airflow.amazonaws.com'), new iam.ServicePrincipal('airflow-env.amazonaws.com'));
    const viaSqs = { StringLike: { 'kms:ViaService': ['sqs.eu-west-1.amazonaws.com'] } };
    const KMS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey*', 'kms:Encrypt'];
    const environment = (id: string, role: iam.IRole) =>
      new mwaa.CfnEnvironment(stack, id, { name: id.toLowerCase(), executionRoleArn: role.roleArn });
    const guide = new iam.Role(stack, 'GuideRole', { assumedBy: airflow() });
    guide.addToPolicy(new iam.PolicyStatement({ actions: KMS, notResources: ['arn:aws:kms:*:123456789012:key/*'], conditions: viaSqs }));
    guide.addToPolicy(new iam.PolicyStatement({ actions: KMS, resources: ['*'], conditions: viaSqs }));
    environment('Reconciliation', guide);
    const loose = new iam.Role(stack, 'LooseRole', { assumedBy: airflow() });
    loose.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] }));
    loose.addToPolicy(new iam.PolicyStatement({ actions: ['kms:Decrypt', 'sqs:SendMessage'], notResources: ['arn:aws:kms:*:123456789012:key/*'], conditions: viaSqs }));
    environment('Reporting', loose);
    // The same statements in a role no MWAA environment names.
    const other = new iam.Role(stack, 'OtherRole', { assumedBy: airflow() });
    other.addToPolicy(new iam.PolicyStatement({ actions: KMS, resources: ['*'], conditions: viaSqs }));
    const findings = c06(app);
    expect(findings.map(f => [f.ruleId, f.constructPath])).toEqual([
      [RESOURCE, 'Airflow/LooseRole/DefaultPolicy/Resource'],
      [RESOURCE, 'Airflow/LooseRole/DefaultPolicy/Resource'],
      [RESOURCE, 'Airflow/OtherRole/DefaultPolicy/Resource'],
    ]);
    expect(findings.map(f => f.message)).toEqual(expect.arrayContaining([
      expect.stringContaining('allows "kms:Decrypt" (PolicyDocument/Statement/0) on Resource "*"'),
      expect.stringContaining('allows on NotResource "arn:aws:kms:*:123456789012:key/*"'),
    ]));
  });

  test('a VPC function\'s execution role may let Lambda manage its network interfaces on "*", as AWS\'s managed policy does; outside a VPC, in a shared role, or beside other actions it stays an error', () => {
    const ENI = ['ec2:CreateNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DeleteNetworkInterface', 'ec2:AssignPrivateIpAddresses', 'ec2:UnassignPrivateIpAddresses'];
    const app = testApp();
    const stack = new Stack(app, 'Ledger', { env: { account: '123456789012', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2, subnetConfiguration: [{ name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    const code = lambda.Code.fromInline('exports.handler = async () => ({})');
    // As AWS Solutions Constructs write it: the function's own role, the statement inline.
    const fn = (id: string, props: { inVpc: boolean; role?: iam.IRole; extra?: string[] }) => {
      const role = props.role ?? new iam.Role(stack, `${id}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...ENI, ...props.extra ?? []], resources: ['*'] }));
      return new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code, role, ...props.inVpc ? { vpc } : {} });
    };
    fn('Post', { inVpc: true });
    fn('Notify', { inVpc: false });
    fn('Export', { inVpc: true, extra: ['s3:PutObject'] });
    const shared = sharedRole(stack);
    fn('Match', { inVpc: true, role: shared });
    const summary = onEverySummary(app);
    const onEvery = '"ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"';
    expect(summary).toEqual([
      ['error', 'Ledger/ExportRole/DefaultPolicy/Resource', '"s3:PutObject"'],
      ['error', 'Ledger/NotifyRole/DefaultPolicy/Resource', onEvery],
      ['error', 'Ledger/SharedRole/DefaultPolicy/Resource', onEvery],
    ]);
  });

  test('a function whose VpcConfig a parameter\'s condition sets may be in a VPC; a wildcard action counts as the actions it covers, each needed or it stays an error', () => {
    const app = testApp();
    const stack = new Stack(app, 'Assistant', { env: { account: '123456789012', region: 'eu-west-1' } });
    const inVpc = new CfnCondition(stack, 'InVpc', { expression: Fn.conditionEquals(new CfnParameter(stack, 'VpcEnabled', { allowedValues: ['Yes', 'No'] }).valueAsString, 'Yes') });
    const subnets = new CfnParameter(stack, 'SubnetIds', { type: 'List<AWS::EC2::Subnet::Id>' });
    const code = lambda.Code.fromInline('exports.handler = async () => ({})');
    // As AWS's Generative AI Application Builder writes it: CreateNetworkInterface on the account's ARNs, the rest on "*".
    const fn = (id: string, actions: string[]) => {
      const role = new iam.Role(stack, `${id}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ec2:DescribeNetworkInterfaces', ...actions], resources: ['*'] }));
      const handler = new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code, role });
      (handler.node.defaultChild as lambda.CfnFunction).addPropertyOverride('VpcConfig',
        Fn.conditionIf(inVpc.logicalId, { SubnetIds: subnets.valueAsList, SecurityGroupIds: ['sg-0123456789abcdef0'] }, Aws.NO_VALUE));
    };
    fn('Chat', ['ec2:De*NetworkInterface', 'ec2:*ssignPrivateIpAddresses']);
    // Also covers AttachNetworkInterface and ModifyNetworkInterfaceAttribute's kin, which Lambda does not need.
    fn('Files', ['ec2:*NetworkInterface']);
    const summary = onEverySummary(app);
    expect(summary).toEqual([['error', 'Assistant/FilesRole/DefaultPolicy/Resource', '"ec2:*NetworkInterface"']]);
  });

  test('a function an event source mapping runs on an MQ broker, MSK cluster or DocumentDB change stream may let Lambda\'s poller manage network interfaces on "*"; on a queue, beside other actions or in a shared role it stays an error', () => {
    const app = testApp();
    const stack = new Stack(app, 'Settlement', { env: { account: '123456789012', region: 'eu-west-1' } });
    const broker = new amazonmq.CfnBroker(stack, 'Broker', {
      brokerName: 'settlement-dev',
      engineType: 'RABBITMQ',
      engineVersion: '3.13',
      hostInstanceType: 'mq.m5.large',
      deploymentMode: 'SINGLE_INSTANCE',
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      users: [{ username: 'settlement', password: '{{resolve:secretsmanager:mq-settlement}}' }],
    });
    const code = lambda.Code.fromInline('exports.handler = async () => ({})');
    // As cdklabs' cdk-amazonmq event sources write it: the function outside any VPC, the statement inline.
    const consumer = (id: string, source: string, props: { extra?: string[]; role?: iam.IRole } = {}) => {
      const role = props.role ?? new iam.Role(stack, `${id}Role`, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', ...props.extra ?? []], resources: ['*'] }));
      const fn = new lambda.Function(stack, id, { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code, role });
      new lambda.EventSourceMapping(stack, `${id}Source`, { target: fn, eventSourceArn: source, batchSize: 10 });
      return fn;
    };
    consumer('Settle', broker.attrArn);
    consumer('Clear', 'arn:aws:kafka:eu-west-1:123456789012:cluster/clearing/0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e-1');
    consumer('Audit', 'arn:aws:rds:eu-west-1:123456789012:cluster:audit-docs');
    consumer('Queue', 'arn:aws:sqs:eu-west-1:123456789012:payments');
    consumer('Export', broker.attrArn, { extra: ['s3:PutObject'] });
    const shared = sharedRole(stack);
    consumer('Match', broker.attrArn, { role: shared });
    const summary = onEverySummary(app);
    const onEvery = '"ec2:CreateNetworkInterface", "ec2:DeleteNetworkInterface"';
    expect(summary).toEqual([
      ['error', 'Settlement/ExportRole/DefaultPolicy/Resource', '"s3:PutObject"'],
      ['error', 'Settlement/QueueRole/DefaultPolicy/Resource', onEvery],
      ['error', 'Settlement/SharedRole/DefaultPolicy/Resource', onEvery],
    ]);
  });

  describe('statements Step Functions tasks write into a state machine\'s role', () => {
    function reporting(extra: (stack: Stack) => sfn.TaskStateBase[]): App {
      const app = testApp();
      const stack = new Stack(app, 'Reporting', { env: { account: '123456789012', region: 'eu-west-1' } });
      const steps = extra(stack);
      const definition = steps.slice(1).reduce((chain, step) => chain.next(step), sfn.Chain.start(steps[0]));
      new sfn.StateMachine(stack, 'Main', { definitionBody: sfn.DefinitionBody.fromChainable(definition) });
      return app;
    }
    const queryId = { queryExecutionId: sfn.JsonPath.stringAt('$.id') };

    test('are the library\'s, statement by statement: an ECS task run to completion, Athena results', () => {
      const app = reporting(stack => {
        const cluster = new ecs.Cluster(stack, 'Cluster', { vpc: new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 }) });
        const taskDefinition = new ecs.FargateTaskDefinition(stack, 'Extract');
        taskDefinition.addContainer('extract', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/extract:1.0.0') });
        return [
          new tasks.EcsRunTask(stack, 'RunExtract', {
            cluster,
            taskDefinition,
            subnets: { subnetType: ec2.SubnetType.PUBLIC },
            launchTarget: new tasks.EcsFargateLaunchTarget(),
            integrationPattern: sfn.IntegrationPattern.RUN_JOB,
          }),
          new tasks.AthenaGetQueryResults(stack, 'Results', queryId),
        ];
      });
      const findings = c06(app);
      expect(findings.map(f => [f.severity, f.constructPath])).toEqual([['warning', 'Reporting/Main/Role/DefaultPolicy/Resource']]);
      expect(findings[0].message).toMatch(/allows "ecs:StopTask", "ecs:DescribeTasks" .*"athena:getQueryResults" .*"s3:GetObject" .* CDK created this resource for Reporting\/Main \(stepfunctions\.StateMachine: /);
    });

    test('an action no task of the app writes, and results left to "*", are the app\'s, in the same statement as the library\'s too', () => {
      const app = reporting(stack => [
        new tasks.AthenaStartQueryExecution(stack, 'Query', { queryString: 'SELECT 1' }),
        new tasks.AthenaGetQueryExecution(stack, 'Status', queryId),
      ]);
      const machine = app.node.findAll().find((c): c is sfn.StateMachine => c instanceof sfn.StateMachine)!;
      // AthenaGetQueryResults writes athena:getQueryResults, and AthenaStopQueryExecution stopQueryExecution: the app has neither.
      machine.addToRolePolicy(new iam.PolicyStatement({ actions: ['athena:getQueryResults'], resources: ['*'] }));
      machine.addToRolePolicy(new iam.PolicyStatement({ actions: ['athena:getQueryExecution', 'athena:stopQueryExecution'], resources: ['*'] }));
      const summary = c06(app).map(f => [f.severity, f.message.match(/allows (.*) on Resource/)![1].replace(/ \(PolicyDocument[^)]*\)/g, '')]);
      expect(summary).toEqual([
        // No AthenaStartQueryExecution output location: its results may go to any bucket, the app's choice.
        ['error', '"s3:AbortMultipartUpload", "s3:ListBucketMultipartUploads", "s3:ListMultipartUploadParts", "s3:PutObject"; "athena:getQueryResults"; "athena:stopQueryExecution"'],
        ['warning', '"s3:CreateBucket", "s3:ListBucket", "s3:GetBucketLocation", "s3:GetObject"; "athena:getQueryExecution"; "athena:getQueryExecution"'],
      ]);
    });

    test('a fraud model\'s SageMaker tasks and an EMR cluster task: their statements and the execution roles the tasks create are the library\'s', () => {
      const fraudModel = (appAddsToRole: boolean) => {
        const app = reporting(stack => [
          ...fraudModelTasks(stack, new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 1 })),
          new tasks.EmrCreateCluster(stack, 'RiskCluster', { name: 'risk', instances: {}, releaseLabel: 'emr-7.5.0' }),
        ]);
        const machine = app.node.findAll().find((c): c is sfn.StateMachine => c instanceof sfn.StateMachine)!;
        if (appAddsToRole) machine.addToRolePolicy(new iam.PolicyStatement({ actions: ['sagemaker:DeleteModel'], resources: ['*'] }));
        return c06(app);
      };
      const findings = fraudModel(false);
      expect(findings.map(f => `${f.severity} ${f.constructPath}`).sort()).toEqual([
        'warning Reporting/CreateFraudModel/SagemakerRole/DefaultPolicy/Resource',
        'warning Reporting/CreateFraudModel/SagemakerRole/Resource',
        'warning Reporting/Main/Role/DefaultPolicy/Resource',
        'warning Reporting/TrainFraudModel/SagemakerRole/Resource',
      ]);
      const at = (path: string) => findings.find(f => f.constructPath === `Reporting/${path}`)!;
      expect(at('Main/Role/DefaultPolicy/Resource').message).toMatch(/"sagemaker:ListTags".*"elasticmapreduce:DescribeCluster"/);
      expect(at('TrainFraudModel/SagemakerRole/Resource').message).toMatch(/"logs:CreateLogStream".*"ec2:CreateNetworkInterface".* CDK created this resource for Reporting\/TrainFraudModel \(stepfunctions-tasks\.SageMakerCreateTrainingJob: /);
      // What the app adds to the workflow's role stays the app's.
      const errors = fraudModel(true).filter(f => f.severity === 'error');
      expect(errors.map(f => f.message.match(/allows (.*) on Resource/)![1].replace(/ \(PolicyDocument[^)]*\)/g, ''))).toEqual(['"sagemaker:DeleteModel"']);
    });

    test('a MediaConvert job task\'s statements are the library\'s; another MediaConvert action on "*" is the app\'s', () => {
      const app = reporting(stack => [new tasks.MediaConvertCreateJob(stack, 'RenderStatements', {
        createJobRequest: {
          Role: new iam.Role(stack, 'MediaConvertRole', { assumedBy: new iam.ServicePrincipal('mediaconvert.amazonaws.com') }).roleArn,
          Settings: { OutputGroups: [] },
        },
        integrationPattern: sfn.IntegrationPattern.RUN_JOB,
      })]);
      const machine = app.node.findAll().find((c): c is sfn.StateMachine => c instanceof sfn.StateMachine)!;
      machine.addToRolePolicy(new iam.PolicyStatement({ actions: ['mediaconvert:DeleteQueue'], resources: ['*'] }));
      const summary = c06(app).map(f => [f.severity, f.message.match(/allows (.*) on Resource/)![1].replace(/ \(PolicyDocument[^)]*\)/g, '')]);
      expect(summary).toEqual([
        ['error', '"mediaconvert:DeleteQueue"'],
        ['warning', '"mediaconvert:CreateJob"; "mediaconvert:GetJob", "mediaconvert:CancelJob"'],
      ]);
    });

    test('statements CDK merges (@aws-cdk/aws-iam:minimizePolicies) split action by action between the tasks and the app', () => {
      const app = reporting(stack => {
        stack.node.setContext('@aws-cdk/aws-iam:minimizePolicies', true);
        return [new tasks.AthenaGetQueryResults(stack, 'Results', queryId), new tasks.AthenaGetQueryExecution(stack, 'Status', queryId)];
      });
      const machine = app.node.findAll().find((c): c is sfn.StateMachine => c instanceof sfn.StateMachine)!;
      machine.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:Scan'], resources: ['*'] }));
      const summary = c06(app).map(f => [f.severity, f.message.match(/allows (.*) on Resource/)![1].replace(/ \(PolicyDocument[^)]*\)/g, '')]);
      expect(summary).toEqual([
        ['error', '"dynamodb:Scan"'],
        ['warning', '"athena:getQueryExecution", "athena:getQueryResults", "s3:GetObject"'],
      ]);
    });
  });

  test('treats intrinsic documents, statements, actions and resources as unknown', () => {
    const { app, stack } = shop();
    const action = new CfnParameter(stack, 'Action', { type: 'String' });
    new iam.CfnManagedPolicy(stack, 'Params', {
      policyDocument: {
        Statement: [
          { Effect: 'Allow', Action: action.valueAsString, Resource: '*' },
          { Effect: 'Allow', Action: 's3:GetObject', Resource: Fn.importValue('AnyArn') },
          { 'Fn::If': ['C', { Effect: 'Allow', Action: '*', Resource: '*' }, { Ref: 'AWS::NoValue' }] },
        ],
      },
    });
    new iam.CfnManagedPolicy(stack, 'Conditional', { policyDocument: { 'Fn::If': ['C', {}, {}] } });
    expect(c06(app)).toEqual([]);
  });
});
