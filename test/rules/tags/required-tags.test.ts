import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, CfnResource, NestedStack, RemovalPolicy, Stack, Tags } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import { Construct, IConstruct } from 'constructs';
import { FintechChecks, FintechChecksProps } from '../../../src/rules/fintech-checks';
import { RequiredTags } from '../../../src/rules/tags/required-tags';
import { stackIn } from '../../support/fintech-fixture';
import { kubernetesCluster } from '../kubernetes-harness';
import { lines, quietSynth, testApp, validate, violationsOf } from '../rule-harness';

const C01 = RequiredTags.INFO.id;

function c01(app: App, props: FintechChecksProps = {}) {
  return violationsOf(validate(app, props), C01);
}

function tagAll(scope: IConstruct, keys = ['Environment', 'Team', 'CostCenter', 'Application']) {
  for (const key of keys) Tags.of(scope).add(key, `${key.toLowerCase()}-value`);
}

describe('Fintech-C01-RequiredTags', () => {
  test('passes an L2 resource tagged through its scope', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new s3.Bucket(stack, 'Orders');
    tagAll(stack);
    expect(c01(app)).toEqual([]);
  });

  test('passes resources tagged by their FintechStage', () => {
    const app = testApp();
    new s3.Bucket(stackIn(app, 'prod'), 'Archive');
    expect(c01(app)).toEqual([]);
  });

  test('fails an L2 resource missing tags, naming the keys, the construct path and the fix', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new s3.Bucket(stack, 'Orders');
    tagAll(stack, ['Environment', 'Application']);
    const [finding, ...rest] = c01(app);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      constructPath: 'Shop/Orders/Resource',
      severity: 'error',
      locations: ['Properties/Tags'],
      message: expect.stringMatching(/^AWS::S3::Bucket Orders[0-9A-F]{8} lacks the tags Team, CostCenter \(required: Environment, Team, CostCenter, Application\)\.$/),
      fix: expect.stringContaining("Tags.of(stack).add('Team', '<value>')"),
    });
    expect(finding.fix).toContain('FintechStage');
  });

  test('a FintechStage resource whose tag was removed still gets it from its stack\'s tags; an empty value of its own is reported', () => {
    const app = testApp();
    const stack = stackIn(app, 'prod');
    Tags.of(new s3.Bucket(stack, 'Archive')).remove('CostCenter');
    Tags.of(new s3.Bucket(stack, 'Exports')).add('CostCenter', '');
    expect(lines(c01(app))).toEqual([`${C01} prod/Workload/Exports/Resource`]);
  });

  test('fails an untagged L1 resource and passes a tagged one', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new s3.CfnBucket(stack, 'Untagged');
    new s3.CfnBucket(stack, 'Tagged', { tags: [{ key: 'Team', value: 'payments' }] });
    expect(lines(c01(app, { requiredTagKeys: ['Team'] }))).toEqual([`${C01} Shop/Untagged`]);
  });

  test('judges each resource on its own tags: tags applied inside one construct do not cover its siblings', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const ingest = new Construct(stack, 'Ingest');
    new sqs.Queue(ingest, 'Inbox');
    tagAll(ingest);
    new sqs.Queue(stack, 'Sibling');
    new sqs.CfnQueue(stack, 'RawSibling');
    expect(lines(c01(app))).toEqual([`${C01} Shop/RawSibling`, `${C01} Shop/Sibling/Resource`]);
  });

  test('judges raw CfnResource resources of taggable types, which Tags.of never reaches, and not untaggable ones', () => {
    const app = testApp();
    // Tagged through a construct, not the stack: the stack passes no tags for CloudFormation to propagate.
    const scope = new Construct(new Stack(app, 'Shop'), 'Payments');
    tagAll(scope);
    new CfnResource(scope, 'RawQueue', { type: 'AWS::SQS::Queue', properties: {} });
    new CfnResource(scope, 'RawTaggedQueue', { type: 'AWS::SQS::Queue', properties: { Tags: ['Environment', 'Team', 'CostCenter', 'Application'].map(Key => ({ Key, Value: 'x' })) } });
    new CfnResource(scope, 'RawPool', { type: 'AWS::Cognito::UserPool', properties: { UserPoolTags: { Team: 'payments' } } });
    new CfnResource(scope, 'RawPolicy', { type: 'AWS::SQS::QueuePolicy', properties: { Queues: [], PolicyDocument: {} } });
    new sqs.CfnQueuePolicy(scope, 'L1Policy', { queues: [], policyDocument: {} });
    const findings = c01(app);
    expect(lines(findings)).toEqual([`${C01} Shop/Payments/RawPool`, `${C01} Shop/Payments/RawQueue`]);
    expect(findings.find(f => f.constructPath === 'Shop/Payments/RawPool')!.message).toContain('lacks the tags Environment, CostCenter, Application');
  });

  test('counts the stack\'s own tags, which CloudFormation propagates to its resources and nested stacks; a resource\'s own value wins', () => {
    const app = testApp();
    const tagged = new Stack(app, 'Tagged', { tags: { Environment: 'prod', Team: 'payments', CostCenter: 'cc-4711', Application: 'ledger' } });
    new sqs.Queue(tagged, 'Queue');
    new sqs.CfnQueue(new NestedStack(tagged, 'Nested'), 'NestedQueue');
    Tags.of(new sqs.Queue(tagged, 'Emptied')).add('Team', '');
    const partly = new Stack(app, 'Partly', { tags: { Environment: 'prod', Team: 'payments' } });
    new sqs.Queue(partly, 'Queue');
    const blank = new Stack(app, 'Blank', { tags: { Environment: 'prod', Team: '', CostCenter: 'cc-4711', Application: 'ledger' } });
    new sqs.Queue(blank, 'Queue');
    const findings = c01(app);
    expect(lines(findings)).toEqual([`${C01} Blank/Queue/Resource`, `${C01} Partly/Queue/Resource`, `${C01} Tagged/Emptied/Resource`]);
    expect(findings.find(f => f.constructPath === 'Blank/Queue/Resource')!.message).toContain('has an empty Team');
    expect(findings.find(f => f.constructPath === 'Partly/Queue/Resource')!.message).toContain('lacks the tags CostCenter, Application');
    expect(findings.find(f => f.constructPath === 'Tagged/Emptied/Resource')!.message).toContain('has an empty Team');
  });

  test('judges the synthesized template: an escape hatch that overwrites the tags is caught', () => {
    const app = testApp();
    const scope = new Construct(new Stack(app, 'Shop'), 'Payments');
    const bucket = new s3.Bucket(scope, 'Orders');
    tagAll(scope);
    (bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride('Tags', [{ Key: 'Environment', Value: 'dev' }]);
    expect(c01(app).map(f => f.message)).toEqual([expect.stringContaining('lacks the tags Team, CostCenter, Application')]);
  });

  test('an escape hatch that adds the tags passes', () => {
    const app = testApp();
    const bucket = new s3.CfnBucket(new Stack(app, 'Shop'), 'Raw');
    bucket.addPropertyOverride('Tags', [{ Key: 'Team', Value: 'payments' }]);
    expect(c01(app, { requiredTagKeys: ['Team'] })).toEqual([]);
  });

  test('reads tags in the map form (SSM parameters)', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new ssm.CfnParameter(stack, 'Complete', { type: 'String', value: 'x', tags: { Team: 'a', Environment: 'dev' } });
    new ssm.CfnParameter(stack, 'Partial', { type: 'String', value: 'y', tags: { Environment: 'dev' } });
    const findings = c01(app, { requiredTagKeys: ['Team', 'Environment'] });
    expect(lines(findings)).toEqual([`${C01} Shop/Partial`]);
    expect(findings[0].message).toMatch(/^AWS::SSM::Parameter Partial lacks the tag Team /);
  });

  test('reads tags from the property the tag manager names (Cognito UserPoolTags)', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new cognito.UserPool(stack, 'Users');
    Tags.of(stack).add('Team', 'payments');
    expect(c01(app, { requiredTagKeys: ['Team'] })).toEqual([]);
    const untagged = testApp();
    new cognito.UserPool(new Stack(untagged, 'Shop'), 'Users');
    expect(c01(untagged, { requiredTagKeys: ['Team'] })).toEqual([expect.objectContaining({ locations: ['Properties/UserPoolTags'] })]);
  });

  test('reports an empty required tag', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new s3.CfnBucket(stack, 'Raw', { tags: [{ key: 'Team', value: '' }] });
    expect(c01(app, { requiredTagKeys: ['Team'] }).map(f => f.message)).toEqual([expect.stringContaining('has an empty Team')]);
  });

  test('uses the required keys it is given', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new s3.CfnBucket(stack, 'Raw', { tags: [{ key: 'Team', value: 'payments' }] });
    expect(c01(app, { requiredTagKeys: ['Team'] })).toEqual([]);
    expect(c01(app, { requiredTagKeys: ['Team', 'DataClassification'] }).map(f => f.message)).toEqual([expect.stringContaining('lacks the tag DataClassification')]);
  });

  test('skips custom resources, types it does not know to take tags, and CDK\'s own raw provider function and role', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    tagAll(stack);
    new CfnResource(stack, 'Custom', { type: 'Custom::Thing', properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:x' } });
    new CfnResource(stack, 'Unknown', { type: 'AWS::Example::Thing' });
    // autoDeleteObjects adds a raw provider function and role that Tags.of cannot reach.
    new s3.Bucket(stack, 'Emptied', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    expect(c01(app)).toEqual([]);
  });

  test('judged from the cloud assembly alone, CDK\'s raw provider resources are skipped and its L1 provider functions, and the tagged function of its bucket notifications handler, reported as with a scope', () => {
    const findingsWith = (withScope: boolean) => {
      const app = testApp();
      const stack = new Stack(app, 'Shop');
      new s3.Bucket(stack, 'Emptied', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
      new s3.Bucket(stack, 'Uploads').addObjectCreatedNotification(new s3n.SqsDestination(new sqs.Queue(stack, 'Scans')));
      new s3deploy.BucketDeployment(stack, 'Publish', { sources: [s3deploy.Source.data('index.html', '<html/>')], destinationBucket: new s3.Bucket(stack, 'Site') });
      const checks = withScope ? new FintechChecks(app, { requiredTagKeys: ['Team'] }) : FintechChecks.fromProps({ requiredTagKeys: ['Team'] });
      checks.validate({ templatePaths: quietSynth(app).stacks.map(s => s.templateFullPath) });
      return checks.findings.filter(f => f.ruleId === C01).map(f => `${f.severity} ${f.constructPath}`).sort();
    };
    const withScope = findingsWith(true);
    // The deployment's handler is a lambda.CfnFunction of CDK's, reported once as the library's; autoDeleteObjects' raw provider is skipped.
    expect(withScope).toContainEqual(expect.stringMatching(/^warning Shop\/Custom::CDKBucketDeployment[0-9A-Fa-f]+\/Resource$/));
    expect(withScope.filter(line => line.includes('Custom::S3AutoDeleteObjects'))).toEqual([]);
    // The notifications handler's function is a private CfnResource subclass with a tag manager, which tree.json records as a raw CfnResource.
    expect(withScope).toContainEqual(expect.stringMatching(/^warning Shop\/BucketNotificationsHandler[0-9a-f]{32}\/Resource$/));
    expect(findingsWith(false)).toEqual(withScope);
  });

  test('a template judged outside any assembly has no CDK providers: the function and role behind its own custom resource are its author\'s, as CfnInclude shows them', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'raw-template-'));
    const template = {
      Resources: {
        SeedRole: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] } } },
        SeedFunction: {
          Type: 'AWS::Lambda::Function',
          Properties: { Runtime: 'nodejs22.x', Handler: 'index.handler', Role: { 'Fn::GetAtt': ['SeedRole', 'Arn'] }, Code: { ZipFile: 'exports.handler = async () => ({})' } },
        },
        Seed: { Type: 'Custom::Seed', Properties: { ServiceToken: { 'Fn::GetAtt': ['SeedFunction', 'Arn'] } } },
      },
    };
    const file = path.join(dir, 'ledger.template.json');
    fs.writeFileSync(file, JSON.stringify(template));
    const alone = FintechChecks.fromProps({ requiredTagKeys: ['Team'] });
    alone.validate({ templatePaths: [file] });
    const included = testApp();
    new CfnInclude(new Stack(included, 'Ledger'), 'Template', { templateFile: file });
    const taggedIds = (findings: readonly { ruleId: string; logicalId: string }[]) =>
      findings.filter(f => f.ruleId === C01).map(f => f.logicalId).sort();
    expect(taggedIds(alone.findings)).toEqual(['SeedFunction', 'SeedRole']);
    expect(taggedIds(validate(included, { requiredTagKeys: ['Team'] }).findings)).toEqual(['SeedFunction', 'SeedRole']);
  });

  test('treats intrinsic tags as unknown instead of failing', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new s3.CfnBucket(stack, 'Conditional').addPropertyOverride('Tags', { 'Fn::If': ['IsProd', [{ Key: 'Team', Value: 'a' }], { Ref: 'AWS::NoValue' }] });
    new s3.CfnBucket(stack, 'OneConditional').addPropertyOverride('Tags', [{ Key: 'Environment', Value: 'dev' }, { 'Fn::If': ['IsProd', { Key: 'Team', Value: 'a' }, { Ref: 'AWS::NoValue' }] }]);
    new s3.CfnBucket(stack, 'OddShape').addPropertyOverride('Tags', 'not-a-list');
    new s3.CfnBucket(stack, 'ConditionalProperties').addOverride('Properties', { 'Fn::If': ['IsProd', {}, {}] });
    const checks = validate(app, { requiredTagKeys: ['Environment', 'Team'] });
    expect(checks.findings.filter(f => f.ruleId === C01 || f.ruleId === 'Fintech-RuleFailed')).toEqual([]);
  });

  test('an intrinsic entry does not hide an empty required tag', () => {
    const app = testApp();
    new s3.CfnBucket(new Stack(app, 'Shop'), 'Raw').addPropertyOverride('Tags', [{ Key: 'Team', Value: '' }, { 'Fn::If': ['C', { Key: 'X', Value: 'y' }, { Ref: 'AWS::NoValue' }] }]);
    expect(c01(app, { requiredTagKeys: ['Team', 'Environment'] }).map(f => f.message)).toEqual([expect.stringMatching(/has an empty Team \(/)]);
  });

  test('the FireLens router a task definition adds while CDK synthesizes, and its execution role, miss the aspects\' tags: the library\'s when the task definition has them', () => {
    const cards = (tagged: boolean) => {
      const app = testApp();
      app.node.setContext('@aws-cdk/core:explicitStackTags', true);
      const stack = new Stack(app, 'Cards');
      if (tagged) tagAll(stack);
      const task = new ecs.FargateTaskDefinition(stack, 'Task');
      task.addContainer('card-api', {
        image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/card-api:1.4.2'),
        logging: ecs.LogDrivers.firelens({ options: { Name: 'firehose', region: 'eu-west-1', delivery_stream: 'card-api-logs' } }),
      });
      return validate(app).findings.filter(f => f.ruleId === C01).map(f => [f.severity, f.constructPath]).sort();
    };
    expect(cards(true)).toEqual([
      ['warning', 'Cards/Task/ExecutionRole/Resource'],
      ['warning', 'Cards/Task/log-router/LogGroup/Resource'],
    ]);
    // An app that tags nothing: every resource is its own error, the late ones included.
    expect(cards(false)).toEqual(expect.arrayContaining([
      ['error', 'Cards/Task/ExecutionRole/Resource'], ['error', 'Cards/Task/Resource'], ['error', 'Cards/Task/log-router/LogGroup/Resource'],
    ]));
  });

  test('eks.Cluster\'s kubectl barrier, a raw SSM parameter, misses the aspects\' tags: the library\'s under explicitStackTags, covered by stack tags', () => {
    const platform = (stackTags: boolean) => {
      const app = testApp();
      app.node.setContext('@aws-cdk/core:explicitStackTags', true);
      const tags = { Environment: 'dev', Team: 'payments', CostCenter: 'cc-4711', Application: 'card-platform' };
      const stack = new Stack(app, 'Platform', { env: { account: '123456789012', region: 'eu-west-1' }, tags: stackTags ? tags : undefined });
      tagAll(stack);
      kubernetesCluster(stack);
      return validate(app).findings.filter(f => f.ruleId === C01).map(f => [f.severity, f.constructPath]);
    };
    expect(platform(false)).toEqual([['warning', 'Platform/Cluster/KubectlReadyBarrier']]);
    expect(platform(true)).toEqual([]);
  });
});
