import { CfnOutput, CfnParameter, CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sources from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { deliveryPipeline } from './pipeline-harness';
import { lines, quietSynth, testApp, validateWithAndWithoutScope } from './rule-harness';
import { providerUsers } from '../../src/rules/custom-resource-providers';
import { FintechChecks, FintechFinding } from '../../src/rules/fintech-checks';
import { FINTECH_RULES } from '../../src/rules/fintech-rules';
import { FintechRule, RuleFinding, findingOn } from '../../src/rules/rule';
import { RULE_FAILED, RuleEngine } from '../../src/rules/rule-engine';
import { RuleInfo } from '../../src/rules/rule-info';
import { RuleSeverity } from '../../src/rules/rule-severity';
import { StackTemplate, TemplateResource } from '../../src/rules/stack-template';
import { TemplateIndex } from '../../src/rules/template-index';
import { TemplateValue } from '../../src/rules/template-value';

function info(id: string, overrides: Partial<RuleInfo> = {}): RuleInfo {
  return { id, catalogId: 'C99', title: id, description: id, fix: `fix ${id}`, defaultSeverity: RuleSeverity.ERROR, acknowledgeableInDurableStages: true, ...overrides };
}

/** A rule that reports every resource of the given types. */
function everyResource(id: string, resourceTypes?: string[], overrides: Partial<RuleInfo> = {}): FintechRule & { seen: string[] } {
  const seen: string[] = [];
  return {
    name: `Every${id}`,
    infos: [info(id, overrides)],
    resourceTypes,
    seen,
    checkResource(resource: TemplateResource): RuleFinding[] {
      seen.push(resource.logicalId);
      return [findingOn(resource, id, `${resource.type} ${resource.logicalId} found`, ['Properties'])];
    },
  };
}

/** An app with a bucket and a queue in stack Shop, judged as `stage`. */
function shop(stage: string, durableStages: string[] = ['prod']) {
  const app = testApp();
  const stack = new Stack(app, 'Shop');
  const bucket = new s3.Bucket(stack, 'Orders');
  const queue = new sqs.Queue(stack, 'Jobs');
  const load = () => TemplateIndex.load(app, app.synth().stacks.map(s => s.templateFullPath), { stage, durableStages });
  return { app, stack, bucket, queue, load };
}

function engine(rules: FintechRule[], warningRules: string[] = []) {
  return new RuleEngine({ rules, settings: { requiredTagKeys: [], accountConcurrencyLimit: 1000 }, warningRules: new Set(warningRules) });
}

describe('RuleEngine', () => {
  test('walks each resource once and dispatches it only to the rules for its type', () => {
    const { load } = shop('dev');
    const buckets = everyResource('Fintech-C98-Buckets', ['AWS::S3::Bucket']);
    const all = everyResource('Fintech-C99-All');
    const findings = engine([buckets, all]).run(load());
    expect(buckets.seen).toEqual([expect.stringMatching(/^Orders/)]);
    expect(all.seen).toHaveLength(new Set(all.seen).size);
    expect(all.seen).toEqual(expect.arrayContaining([expect.stringMatching(/^Orders/), expect.stringMatching(/^Jobs/)]));
    expect(lines(findings.filter(f => f.ruleId === 'Fintech-C98-Buckets'))).toEqual(['Fintech-C98-Buckets Shop/Orders/Resource']);
  });

  test('fills in the finding from the rule info, the template and the stage', () => {
    const { load } = shop('dev');
    const [finding] = engine([everyResource('Fintech-C98-Buckets', ['AWS::S3::Bucket'])]).run(load());
    expect(finding).toEqual({
      ruleId: 'Fintech-C98-Buckets',
      catalogId: 'C99',
      severity: 'error',
      message: expect.stringMatching(/^AWS::S3::Bucket Orders[0-9A-F]{8} found$/),
      fix: 'fix Fintech-C98-Buckets',
      constructPath: 'Shop/Orders/Resource',
      logicalId: expect.stringMatching(/^Orders/),
      resourceType: 'AWS::S3::Bucket',
      templatePath: expect.stringMatching(/Shop\.template\.json$/),
      locations: ['Properties'],
      // The line of shop() above that created the bucket: reports point users at their code.
      sourceFile: 'test/rules/rule-engine.test.ts',
      sourceLine: 57,
      stageName: 'dev',
      durable: false,
    });
    // Read from the creation stack only when asked, and then like any other field: copies and JSON carry it.
    expect({ ...finding }).toMatchObject({ sourceFile: 'test/rules/rule-engine.test.ts', sourceLine: 57 });
    expect(JSON.parse(JSON.stringify(finding))).toMatchObject({ sourceFile: 'test/rules/rule-engine.test.ts', sourceLine: 57 });
  });

  test('a finding on a resource that exists only in the template has no source location', () => {
    const templateOnly = engine([everyResource('Fintech-C98-Buckets', ['AWS::S3::Bucket'])])
      .run([new StackTemplate({ templatePath: '/tmp/T.template.json', template: { Resources: { B: { Type: 'AWS::S3::Bucket' } } }, stageName: '', durable: false, elements: new Map() })]);
    expect(templateOnly[0].sourceFile).toBeUndefined();
    expect(JSON.parse(JSON.stringify(templateOnly[0]))).not.toHaveProperty('sourceFile');
  });

  test('a rule that throws becomes a Fintech-RuleFailed warning naming the rule and the resource; other rules still run', () => {
    const { load } = shop('dev');
    const broken: FintechRule = {
      name: 'Broken',
      infos: [info('Fintech-C97-Broken')],
      resourceTypes: ['AWS::SQS::Queue'],
      checkResource: () => {
        throw new TypeError("Cannot read properties of undefined (reading 'length')");
      },
    };
    const findings = engine([broken, everyResource('Fintech-C98-Buckets', ['AWS::S3::Bucket'])]).run(load());
    expect(lines(findings)).toEqual(['Fintech-C98-Buckets Shop/Orders/Resource', 'Fintech-RuleFailed Shop/Jobs/Resource']);
    expect(findings[1]).toMatchObject({
      severity: 'warning',
      resourceType: 'AWS::SQS::Queue',
      message: expect.stringMatching(/^Rule Broken \(Fintech-C97-Broken\) failed on AWS::SQS::Queue Jobs[0-9A-F]{8}: Cannot read properties of undefined \(reading 'length'\)\. It was not checked by that rule\.$/),
      fix: RULE_FAILED.fix,
    });
  });

  test('a rule that reports an id it does not own is reported as failed', () => {
    const { load } = shop('dev');
    const sloppy: FintechRule = {
      name: 'Sloppy',
      infos: [info('Fintech-C97-Sloppy')],
      resourceTypes: ['AWS::S3::Bucket'],
      checkResource: resource => [findingOn(resource, 'Fintech-C01-RequiredTags', 'x', [])],
    };
    expect(engine([sloppy]).run(load()).map(f => [f.ruleId, f.message])).toEqual([
      ['Fintech-RuleFailed', expect.stringContaining('reported rule id "Fintech-C01-RequiredTags", which is not one of its own')],
    ]);
  });

  test('runs template and app checks once, and guards them too', () => {
    const { load } = shop('dev');
    const calls: string[] = [];
    const scoped: FintechRule = {
      name: 'Scoped',
      infos: [info('Fintech-C96-Scoped')],
      checkTemplate: (stack: StackTemplate) => {
        calls.push(`template ${stack.templateFile}`);
        return [{ ruleId: 'Fintech-C96-Scoped', stack, logicalId: '', message: 'template-wide', locations: [] }];
      },
      checkApp: stacks => {
        calls.push(`app ${stacks.length}`);
        throw new Error('boom');
      },
    };
    const findings = engine([scoped]).run(load());
    expect(calls).toEqual(['template Shop.template.json', 'app 1']);
    expect(findings.map(f => [f.ruleId, f.constructPath, f.message])).toEqual([
      ['Fintech-C96-Scoped', 'Shop', 'template-wide'],
      ['Fintech-RuleFailed', 'Shop', 'Rule Scoped (Fintech-C96-Scoped) failed on the templates together: boom. It was not checked by that rule.'],
    ]);
  });

  test('warningRules lowers the severity of the named rule only', () => {
    const { load } = shop('dev');
    const findings = engine([everyResource('Fintech-C98-Buckets', ['AWS::S3::Bucket']), everyResource('Fintech-C95-Queues', ['AWS::SQS::Queue'])], ['Fintech-C98-Buckets']).run(load());
    expect(findings.map(f => [f.ruleId, f.severity])).toEqual([['Fintech-C95-Queues', 'error'], ['Fintech-C98-Buckets', 'warning']]);
  });

  test('an error on a resource of one of CDK\'s own providers is a warning naming the construct it was created for', () => {
    const { stack, load } = shop('dev');
    new s3.Bucket(stack, 'Emptied', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    const findings = engine([everyResource('Fintech-C97-Functions', ['AWS::Lambda::Function'])]).run(load());
    expect(findings.map(f => [f.constructPath, f.severity])).toEqual([['Shop/Custom::S3AutoDeleteObjectsCustomResourceProvider/Handler', 'warning']]);
    expect(findings[0].message).toContain('CDK created this resource for Shop/Emptied; it is not in your code, so it is reported as a warning');
  });

  test('an error on a resource a library creates whole is a warning naming that construct and how to choose otherwise', () => {
    const app = testApp();
    const { stack } = deliveryPipeline(app);
    new kms.Key(stack, 'OwnKey');
    const load = () => TemplateIndex.load(app, quietSynth(app).stacksRecursively.map(s => s.templateFullPath), { stage: 'prod', durableStages: ['prod'] });
    // The library decides the artifact key's removal policy (C02 rules); what other rules judge there is the app's to set.
    const findings = engine([everyResource('Fintech-C02-Keys', ['AWS::KMS::Key']), everyResource('Fintech-C96-Keys', ['AWS::KMS::Key'])]).run(load());
    expect(findings.map(f => [f.ruleId, f.constructPath, f.severity])).toEqual([
      ['Fintech-C02-Keys', 'Delivery/OwnKey/Resource', 'error'],
      ['Fintech-C02-Keys', 'Delivery/Pipeline/Pipeline/ArtifactsBucketEncryptionKey/Resource', 'warning'],
      ['Fintech-C96-Keys', 'Delivery/OwnKey/Resource', 'error'],
      ['Fintech-C96-Keys', 'Delivery/Pipeline/Pipeline/ArtifactsBucketEncryptionKey/Resource', 'error'],
    ]);
    expect(findings[1].message).toContain('CDK created this resource for Delivery/Pipeline/Pipeline (codepipeline.Pipeline: its artifact bucket\'s key');
    expect(findings[1].message).toContain('pass your own `artifactBucket`');
  });

  test('a database\'s generated master secret: its removal policy is the library\'s, a name the app gives it stays the app\'s', () => {
    const app = testApp();
    const stack = new Stack(app, 'Ledger', { env: { account: '123456789012', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
    new rds.DatabaseInstance(stack, 'Postgres', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_16_4 }),
      credentials: rds.Credentials.fromGeneratedSecret('ledger_admin', { secretName: 'ledger-admin' }),
      vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
    });
    const load = () => TemplateIndex.load(app, quietSynth(app).stacksRecursively.map(s => s.templateFullPath), { stage: 'prod', durableStages: ['prod'] });
    const secrets = ['AWS::SecretsManager::Secret'];
    const findings = engine([everyResource('Fintech-C02-Secrets', secrets), everyResource('Fintech-C16-Secrets', secrets)]).run(load());
    expect(findings.map(f => [f.ruleId, f.constructPath, f.severity])).toEqual([
      ['Fintech-C02-Secrets', 'Ledger/Postgres/Secret/Resource', 'warning'],
      ['Fintech-C16-Secrets', 'Ledger/Postgres/Secret/Resource', 'error'],
    ]);
    expect(findings[0].message).toContain("CDK created this resource for Ledger/Postgres (rds.DatabaseInstance: the master secret it generates, which no prop retains: retain it with `(database.node.findChild('Secret')");
  });

  test('the drain hook an ECS cluster adds to the capacity it creates: its runtime findings are the library\'s, its tags the app\'s', () => {
    const app = testApp();
    const stack = new Stack(app, 'Cards', { env: { account: '123456789012', region: 'eu-west-1' } });
    const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, maxAzs: 2 });
    const cluster = new ecs.Cluster(stack, 'Cluster', { vpc, containerInsightsV2: ecs.ContainerInsights.ENABLED });
    cluster.addCapacity('Capacity', { instanceType: new ec2.InstanceType('m7g.large'), machineImage: ecs.EcsOptimizedImage.amazonLinux2023(ecs.AmiHardwareType.ARM) });
    for (const checks of validateWithAndWithoutScope(app, { stage: 'prod' })) {
      const hook = checks.findings.filter(f => f.constructPath.startsWith('Cards/Cluster/Capacity/DrainECSHook/'));
      const byRule = (prefix: string) => [...new Set(hook.filter(f => f.ruleId.startsWith(prefix)).map(f => f.severity))];
      expect([byRule('Fintech-C11-'), byRule('Fintech-C12-'), byRule('Fintech-C01-')]).toEqual([['warning'], ['warning'], ['error']]);
      // Its lifecycle hook's topic: no prop gives it a TLS-only policy; its key is the cluster's `topicEncryptionKey` option's.
      const topic = checks.findings.filter(f => f.constructPath === 'Cards/Cluster/Capacity/LifecycleHookDrainHook/Topic/Resource');
      expect(topic.filter(f => !f.ruleId.startsWith('Fintech-C01-')).map(f => [f.ruleId, f.severity]).sort()).toEqual([
        ['Fintech-C04-UnencryptedStore', 'error'], ['Fintech-C18-TopicTlsOnly', 'warning'],
      ]);
      expect(hook.find(f => f.ruleId === 'Fintech-C11-FunctionWithoutTracing')!.message)
        .toContain('CDK created this resource for Cards/Cluster (autoscaling.AutoScalingGroup: the function an ECS cluster adds');
    }
  });

  test('the log group of a FireLens router a task definition adds: its retention and removal are the library\'s, its tags the app\'s', () => {
    const app = testApp();
    const stack = new Stack(app, 'Cards', { env: { account: '123456789012', region: 'eu-west-1' } });
    const task = new ecs.FargateTaskDefinition(stack, 'Task');
    task.addContainer('card-api', {
      image: ecs.ContainerImage.fromRegistry('public.ecr.aws/example/card-api:1.4.2'),
      logging: ecs.LogDrivers.firelens({ options: { Name: 'firehose', region: 'eu-west-1', delivery_stream: 'card-api-logs' } }),
    });
    new logs.LogGroup(stack, 'OwnLogs');
    const load = () => TemplateIndex.load(app, quietSynth(app).stacksRecursively.map(s => s.templateFullPath), { stage: 'prod', durableStages: ['prod'] });
    const groups = ['AWS::Logs::LogGroup'];
    const findings = engine([everyResource('Fintech-C20-Groups', groups), everyResource('Fintech-C01-Groups', groups)]).run(load());
    expect(findings.map(f => [f.ruleId, f.constructPath, f.severity]).sort()).toEqual([
      ['Fintech-C01-Groups', 'Cards/OwnLogs/Resource', 'error'],
      ['Fintech-C01-Groups', 'Cards/Task/log-router/LogGroup/Resource', 'error'],
      ['Fintech-C20-Groups', 'Cards/OwnLogs/Resource', 'error'],
      ['Fintech-C20-Groups', 'Cards/Task/log-router/LogGroup/Resource', 'warning'],
    ]);
    expect(findings.find(f => f.severity === 'warning')!.message).toContain('CDK created this resource for Cards/Task (ecs.obtainDefaultFluentBitECRImage: the log group of the log router');
  });

  test('a finding whose rule says whom CDK created it for is a warning naming them', () => {
    const { load } = shop('dev');
    const rule: FintechRule = {
      name: 'Library',
      infos: [info('Fintech-C92-Library')],
      resourceTypes: ['AWS::SQS::Queue'],
      checkResource: resource => [{ ...findingOn(resource, 'Fintech-C92-Library', 'found', []), createdFor: { constructs: ['Shop/Library'], how: 'its queue' } }],
    };
    const [finding] = engine([rule]).run(load());
    expect([finding.severity, finding.message]).toEqual(['warning', expect.stringContaining('found CDK created this resource for Shop/Library (its queue); it is not in your code')]);
  });

  test('an acknowledgement silences the rule on that construct and its children only, keeping the reason', () => {
    const { load, bucket, queue } = shop('dev');
    Validations.of(bucket).acknowledge({ id: 'Fintech-C99-All', reason: 'bucket reviewed' });
    const findings = engine([everyResource('Fintech-C99-All'), everyResource('Fintech-C98-Buckets', ['AWS::S3::Bucket'])]).run(load());
    const reasons = Object.fromEntries(findings.map(f => [`${f.ruleId} ${f.constructPath}`, f.acknowledgedReason]));
    expect(reasons['Fintech-C99-All Shop/Orders/Resource']).toBe('bucket reviewed');
    expect(reasons['Fintech-C98-Buckets Shop/Orders/Resource']).toBeUndefined();
    expect(reasons[`Fintech-C99-All ${queue.node.path}/Resource`]).toBeUndefined();
  });

  test('a rule not acknowledgeable in durable stages ignores acknowledgements there, but not in ephemeral stages', () => {
    for (const [stage, expected] of [['dev', 'accepted'], ['prod', undefined]] as const) {
      const { load, bucket } = shop(stage);
      Validations.of(bucket).acknowledge({ id: 'Fintech-C94-Strict', reason: 'accepted' });
      const [finding] = engine([everyResource('Fintech-C94-Strict', ['AWS::S3::Bucket'], { acknowledgeableInDurableStages: false })]).run(load());
      expect(finding.acknowledgedReason).toBe(expected);
      expect(finding.message.includes('cannot be acknowledged in durable stage "prod"')).toBe(stage === 'prod');
    }
  });

  test('a resource that exists only in the template is acknowledged through its stack', () => {
    const { app, stack } = shop('dev');
    Validations.of(stack).acknowledge({ id: 'Fintech-C93-Extra', reason: 'stack-wide' });
    const [templatePath] = app.synth().stacks.map(s => s.templateFullPath);
    const template = new StackTemplate({
      templatePath, template: { Resources: { Extra: { Type: 'AWS::SNS::Topic' } } }, stack, stageName: 'dev', durable: false, elements: new Map(),
    });
    const [finding] = engine([everyResource('Fintech-C93-Extra')]).run([template]);
    expect(finding).toMatchObject({ constructPath: 'Shop/Extra', acknowledgedReason: 'stack-wide' });
  });
});

describe('acknowledgements of CDK-created custom resource providers', () => {
  const LAMBDA_RULE = 'Fintech-C98-Functions';

  function twoBuckets(acknowledge: Array<'first' | 'second'>) {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const first = new s3.Bucket(stack, 'First', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    const second = new s3.Bucket(stack, 'Second', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    const buckets = { first, second };
    for (const which of acknowledge) Validations.of(buckets[which]).acknowledge({ id: LAMBDA_RULE, reason: `${which} empties itself on delete` });
    const stacks = TemplateIndex.load(app, app.synth().stacks.map(s => s.templateFullPath), { stage: 'dev', durableStages: ['prod'] });
    return engine([everyResource(LAMBDA_RULE, ['AWS::Lambda::Function', 'AWS::IAM::Role'])]).run(stacks);
  }

  test('a provider shared by two buckets is acknowledged only when both buckets acknowledge the rule', () => {
    const provider = /^Shop\/Custom::S3AutoDeleteObjectsCustomResourceProvider\/(Handler|Role)$/;
    const half = twoBuckets(['first']);
    expect(half.map(f => f.constructPath)).toEqual([expect.stringMatching(provider), expect.stringMatching(provider)]);
    expect(half.every(f => f.acknowledgedReason === undefined)).toBe(true);

    const both = twoBuckets(['first', 'second']);
    expect(both).toHaveLength(2);
    for (const finding of both) {
      expect(finding.acknowledgedReason).toBe('first empties itself on delete (acknowledged on Shop/First/AutoDeleteObjectsCustomResource/Default, which uses this CDK-created provider)');
    }
  });

  test('finds the users of a provider by ServiceToken, and its role and role policies through the function', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const role = new CfnResource(stack, 'ProviderRole', { type: 'AWS::IAM::Role', properties: { AssumeRolePolicyDocument: {} } });
    const fn = new CfnResource(stack, 'ProviderFn', { type: 'AWS::Lambda::Function', properties: { Role: role.getAtt('Arn') } });
    new CfnResource(stack, 'ProviderPolicy', { type: 'AWS::IAM::Policy', properties: { Roles: [role.ref], PolicyDocument: {} } });
    new CfnResource(stack, 'ByGetAtt', { type: 'Custom::Thing', properties: { ServiceToken: fn.getAtt('Arn') } });
    new CfnResource(stack, 'ByRef', { type: 'Custom::Thing', properties: { ServiceToken: fn.ref } });
    new CfnResource(stack, 'Imported', { type: 'Custom::Thing', properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:elsewhere' } });
    const [template] = TemplateIndex.load(app, app.synth().stacks.map(s => s.templateFullPath), { stage: 'dev', durableStages: [] });
    const users = new Map([...providerUsers(template)].map(([provider, of]) => [provider, of.map(user => user.logicalId)]));
    expect(users.get('ProviderFn')).toEqual(['ByGetAtt', 'ByRef']);
    expect(users.get('ProviderRole')).toEqual(['ByGetAtt', 'ByRef']);
    expect(users.get('ProviderPolicy')).toEqual(['ByGetAtt', 'ByRef']);
    expect(users.has('Imported')).toBe(false);
  });
});

describe('bad input: intrinsics, empty and odd values in every property the rules read', () => {
  // Values a template may hold where a rule expects a literal: deploy-time intrinsics, empty and wrong shapes.
  const ODD_VALUES: unknown[] = [
    { Ref: 'OddParameter' },
    { 'Fn::GetAtt': ['OddResource', 'Arn'] },
    { 'Fn::If': ['OddCondition', { Ref: 'AWS::NoValue' }, 'x'] },
    { 'Fn::Sub': '${OddResource.Arn}/${AWS::Region}' },
    { 'Fn::Join': ['', [{ Ref: 'AWS::Partition' }, ':x']] },
    { 'Fn::ImportValue': 'Shared-Odd' },
    {},
    null,
    [],
    [null, {}, { Ref: 'OddParameter' }],
    '',
    42,
  ];
  const settings = { requiredTagKeys: ['Team'], accountConcurrencyLimit: 1000 };
  const pack = new RuleEngine({ rules: FINTECH_RULES, settings, warningRules: new Set() });
  const ruleTypes = [...new Set(FINTECH_RULES.flatMap(rule => rule.resourceTypes ?? []))].sort();

  /** A realistic template to mutate: the L2s and raw resources the rules judge, synthesized by CDK. */
  function baseTemplate(): { [key: string]: unknown } {
    const app = testApp();
    const stack = new Stack(app, 'Shop', { env: { account: '123456789012', region: 'eu-west-1' } });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const dlq = new sqs.Queue(stack, 'Dlq', { encryptionMasterKey: key });
    const queue = new sqs.Queue(stack, 'Queue', { enforceSSL: true, deadLetterQueue: { queue: dlq, maxReceiveCount: 3 } });
    const bucket = new s3.Bucket(stack, 'Bucket', { enforceSSL: true, encryptionKey: key, removalPolicy: RemovalPolicy.DESTROY, autoDeleteObjects: true });
    const table = new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
    const topic = new sns.Topic(stack, 'Topic', { masterKey: key });
    topic.addSubscription(new subscriptions.SqsSubscription(queue));
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({})'),
      logGroup: new logs.LogGroup(stack, 'FnLogs', { encryptionKey: key }),
      deadLetterQueue: dlq,
    });
    fn.addEventSource(new sources.SqsEventSource(queue, { reportBatchItemFailures: true }));
    bucket.grantRead(fn);
    table.grantReadWriteData(fn);
    new cloudwatch.Alarm(stack, 'Errors', { metric: fn.metricErrors(), threshold: 1, evaluationPeriods: 1 }).addAlarmAction(new cwActions.SnsAction(topic));
    new events.Rule(stack, 'Nightly', { schedule: events.Schedule.rate(Duration.days(1)), targets: [new targets.LambdaFunction(fn, { deadLetterQueue: dlq })] });
    new sfn.StateMachine(stack, 'Machine', { definitionBody: sfn.DefinitionBody.fromChainable(new tasks.LambdaInvoke(stack, 'Invoke', { lambdaFunction: fn })) });
    new apigateway.LambdaRestApi(stack, 'Api', { handler: fn });
    new CfnParameter(stack, 'Mode', { type: 'String' });
    new CfnOutput(stack, 'QueueUrl', { value: queue.queueUrl });
    const template = JSON.parse(JSON.stringify(quietSynth(app).getStackByName('Shop').template));
    // Every type a rule registers, also those the app above does not create, as a raw resource.
    ruleTypes.forEach((type, i) => {
      template.Resources[`Raw${i}`] = { Type: type, Properties: { Name: 'raw', Tags: [{ Key: 'Team', Value: 'x' }] } };
    });
    return template;
  }

  /** The property paths of a resource's properties, two levels deep. */
  function propertyPaths(properties: unknown): string[][] {
    if (!TemplateValue.isObject(properties)) return [];
    return Object.entries(properties).flatMap(([key, value]) => [
      [key],
      ...(TemplateValue.isObject(value) && !TemplateValue.isIntrinsic(value) ? Object.keys(value).map(inner => [key, inner]) : []),
      ...(Array.isArray(value) && TemplateValue.isObject(value[0]) ? Object.keys(value[0]).map(inner => [key, '0', inner]) : []),
    ]);
  }

  function setPath(properties: { [key: string]: unknown }, at: readonly string[], value: unknown): void {
    let target: any = properties;
    for (const key of at.slice(0, -1)) target = target[key];
    target[at[at.length - 1]] = value;
  }

  // Durable and ephemeral stages take different paths through the rules (retention, emptying on delete): both are judged.
  function judge(template: unknown, name = 'Odd'): FintechFinding[] {
    return [['prod', true], ['dev', false]].flatMap(([stageName, durable]) => {
      const stack = new StackTemplate({ templatePath: `/tmp/${name}.template.json`, template, stageName: stageName as string, durable: durable as boolean, elements: new Map() });
      return pack.run([stack], [stack]);
    });
  }

  test('the templates to mutate cover every resource type a rule registers', () => {
    const types = new Set(Object.values(baseTemplate().Resources as { [id: string]: { Type: string } }).map(r => r.Type));
    expect(ruleTypes.filter(type => !types.has(type))).toEqual([]);
  });

  test('no rule throws when any property, two levels deep, of any resource holds an intrinsic or an odd value', () => {
    const base = baseTemplate();
    const resources = base.Resources as { [id: string]: { Type: string; Properties?: unknown } };
    const failed = new Set<string>();
    let judged = 0;
    // Round r puts the odd value at the r-th property path of every resource at once: each path of each resource meets
    // each odd value once, beside realistic values in the other resources.
    const pathsOf = new Map(Object.entries(resources).map(([id, resource]) => [id, propertyPaths(resource.Properties)]));
    const rounds = Math.max(...[...pathsOf.values()].map(paths => paths.length));
    for (let round = 0; round < rounds; round++) {
      for (const value of ODD_VALUES) {
        const template = JSON.parse(JSON.stringify(base));
        for (const [id, paths] of pathsOf) if (paths[round]) setPath(template.Resources[id].Properties, paths[round], value);
        for (const finding of judge(template)) if (finding.ruleId === RULE_FAILED.id) failed.add(finding.message);
        judged++;
      }
    }
    // Whole property bags and other sections replaced by odd values too.
    for (const value of ODD_VALUES) {
      const template = JSON.parse(JSON.stringify(base));
      for (const resource of Object.values(template.Resources) as Array<{ [key: string]: unknown }>) {
        resource.Properties = value;
        resource.DeletionPolicy = value;
        resource.Metadata = value;
        resource.DependsOn = value;
      }
      for (const section of ['Parameters', 'Conditions', 'Outputs', 'Mappings']) template[section] = value;
      for (const finding of judge(template)) if (finding.ruleId === RULE_FAILED.id) failed.add(finding.message);
      judged++;
    }
    expect(judged).toBeGreaterThan(100);
    expect([...failed]).toEqual([]);
  });

  test('a huge template of odd resources is judged, one RuleFailed warning per failing rule and resource at most', () => {
    const resources: { [id: string]: unknown } = {};
    for (let i = 0; i < 3000; i++) {
      resources[`R${i}`] = { Type: ruleTypes[i % ruleTypes.length], Properties: ODD_VALUES[i % ODD_VALUES.length] === null ? {} : { Odd: ODD_VALUES[i % ODD_VALUES.length] } };
    }
    const findings = judge({ Resources: resources }, 'Huge');
    const failures = findings.filter(f => f.ruleId === RULE_FAILED.id).map(f => `${f.message.split(' ')[1]} ${f.logicalId}`);
    expect(new Set(failures).size).toBe(failures.length);
    expect(failures).toEqual([]);
  });

  test('synth with the registered pack never throws on a template of intrinsics', () => {
    const app = testApp();
    const stack = new Stack(app, 'Odd');
    ruleTypes.forEach((type, i) => new CfnResource(stack, `R${i}`, { type, properties: { Tags: { 'Fn::If': ['C', [], []] }, Name: { 'Fn::ImportValue': 'X' } } }));
    const checks = new FintechChecks(app, { durableStages: [''] });
    Validations.of(app).addPlugins(checks);
    expect(() => quietSynth(app)).not.toThrow();
    expect(checks.findings.filter(f => f.ruleId === RULE_FAILED.id)).toEqual([]);
  });
});
