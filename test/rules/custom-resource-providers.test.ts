import * as fs from 'fs';
import * as path from 'path';
import { ExpectedResult, IntegTest } from '@aws-cdk/integ-tests-alpha';
import { App, CfnElement, CfnResource, CustomResource, Fn, NestedStack, RemovalPolicy, Resource, Stack } from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as eks from 'aws-cdk-lib/aws-eks';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as opensearch from 'aws-cdk-lib/aws-opensearchservice';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct, IConstruct } from 'constructs';
import { kubernetesCluster } from './kubernetes-harness';
import { deliveryPipeline } from './pipeline-harness';
import { loadTogether, testApp, validate, validateWithAndWithoutScope } from './rule-harness';
import { cdkProviderCreatedFor, functionLogGroupOf, isCustomResourceProvider, libraryFunctionCreatedFor, providerUsers } from '../../src/rules/custom-resource-providers';
import { FintechChecks } from '../../src/rules/fintech-checks';
import { StackTemplate } from '../../src/rules/stack-template';
import { TemplateIndex } from '../../src/rules/template-index';

function template(resources: Record<string, unknown>): StackTemplate {
  return new StackTemplate({ templatePath: '/tmp/cdk.out/Shop.template.json', template: { Resources: resources }, stageName: 'dev', durable: false, elements: new Map() });
}

/** CDK's S3 auto-delete provider, as synthesized: function, role, and a policy attached to the role. */
const AUTO_DELETE = {
  CustomS3AutoDeleteObjectsCustomResourceProviderRole3B1BD092: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: {} } },
  CustomS3AutoDeleteObjectsCustomResourceProviderHandler9D90184F: {
    Type: 'AWS::Lambda::Function',
    Properties: { Runtime: 'nodejs22.x', Role: { 'Fn::GetAtt': ['CustomS3AutoDeleteObjectsCustomResourceProviderRole3B1BD092', 'Arn'] } },
  },
  ProviderPolicy: { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: 'CustomS3AutoDeleteObjectsCustomResourceProviderRole3B1BD092' }] } },
  OrdersAutoDeleteObjectsCustomResource: {
    Type: 'Custom::S3AutoDeleteObjects',
    Properties: { ServiceToken: { 'Fn::GetAtt': ['CustomS3AutoDeleteObjectsCustomResourceProviderHandler9D90184F', 'Arn'] }, BucketName: { Ref: 'Orders' } },
  },
  Orders: { Type: 'AWS::S3::Bucket' },
};
const HANDLER = 'CustomS3AutoDeleteObjectsCustomResourceProviderHandler9D90184F';
const ROLE = 'CustomS3AutoDeleteObjectsCustomResourceProviderRole3B1BD092';

/** `providerUsers` with each user as its logical id. */
function usersOf(stack: StackTemplate): Map<string, string[]> {
  return new Map([...providerUsers(stack)].map(([provider, users]) => [provider, users.map(user => user.logicalId)]));
}

describe('providerUsers', () => {
  test('maps the provider function, its role and the role\'s policies to the custom resources that use them', () => {
    const users = usersOf(template(AUTO_DELETE));
    expect([...users.entries()]).toEqual([
      [HANDLER, ['OrdersAutoDeleteObjectsCustomResource']],
      [ROLE, ['OrdersAutoDeleteObjectsCustomResource']],
      ['ProviderPolicy', ['OrdersAutoDeleteObjectsCustomResource']],
    ]);
  });

  test('accepts a ServiceToken by Ref and by either form of Fn::GetAtt, users in template order', () => {
    const users = usersOf(template({
      Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
      ByRef: { Type: 'Custom::Thing', Properties: { ServiceToken: { Ref: 'Fn' } } },
      ByDottedGetAtt: { Type: 'AWS::CloudFormation::CustomResource', Properties: { ServiceToken: { 'Fn::GetAtt': 'Fn.Arn' } } },
      ByArrayGetAtt: { Type: 'Custom::Thing', Properties: { ServiceToken: { 'Fn::GetAtt': ['Fn', 'Arn'] } } },
    }));
    expect(users.get('Fn')).toEqual(['ByRef', 'ByDottedGetAtt', 'ByArrayGetAtt']);
  });

  test('ignores tokens that name no function of the template: imported ARNs, SNS topics, joins and missing resources', () => {
    const users = usersOf(template({
      Topic: { Type: 'AWS::SNS::Topic' },
      Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
      Imported: { Type: 'Custom::Thing', Properties: { ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:elsewhere' } },
      ViaTopic: { Type: 'Custom::Thing', Properties: { ServiceToken: { Ref: 'Topic' } } },
      Joined: { Type: 'Custom::Thing', Properties: { ServiceToken: { 'Fn::Join': ['', ['arn:aws:lambda:eu-west-1:123456789012:function:', { Ref: 'Fn' }]] } } },
      Missing: { Type: 'Custom::Thing', Properties: { ServiceToken: { 'Fn::GetAtt': ['Gone', 'Arn'] } } },
      NoToken: { Type: 'Custom::Thing', Properties: {} },
      IntrinsicProperties: { Type: 'Custom::Thing', Properties: { 'Fn::If': ['C', { ServiceToken: { Ref: 'Fn' } }, {}] } },
    }));
    expect(users.size).toBe(0);
  });

  test('does not extend to a role named by a literal ARN or to a non-role, nor to policies attached by role name', () => {
    const users = usersOf(template({
      Literal: { Type: 'AWS::Lambda::Function', Properties: { Role: 'arn:aws:iam::123456789012:role/provider' } },
      NotARole: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Bucket', 'Arn'] } } },
      Bucket: { Type: 'AWS::S3::Bucket' },
      Named: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['Role', 'Arn'] } } },
      Role: { Type: 'AWS::IAM::Role' },
      ByName: { Type: 'AWS::IAM::Policy', Properties: { Roles: ['provider-role'] } },
      NotAList: { Type: 'AWS::IAM::Policy', Properties: { Roles: { Ref: 'Role' } } },
      A: { Type: 'Custom::A', Properties: { ServiceToken: { 'Fn::GetAtt': ['Literal', 'Arn'] } } },
      B: { Type: 'Custom::B', Properties: { ServiceToken: { 'Fn::GetAtt': ['NotARole', 'Arn'] } } },
      C: { Type: 'Custom::C', Properties: { ServiceToken: { 'Fn::GetAtt': ['Named', 'Arn'] } } },
    }));
    expect([...users.keys()]).toEqual(['Literal', 'NotARole', 'Named', 'Role']);
    expect(users.get('Role')).toEqual(['C']);
  });

  test('lists a user once for a policy that names the provider role twice', () => {
    const users = usersOf(template({
      ...AUTO_DELETE,
      ProviderPolicy: { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: ROLE }, { Ref: ROLE }] } },
    }));
    expect(users.get('ProviderPolicy')).toEqual(['OrdersAutoDeleteObjectsCustomResource']);
  });

  test('two providers sharing one role: the role\'s policy serves the users of both', () => {
    const users = usersOf(template({
      R: { Type: 'AWS::IAM::Role', Properties: {} },
      P: { Type: 'AWS::IAM::Policy', Properties: { Roles: [{ Ref: 'R' }] } },
      Fn1: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['R', 'Arn'] } } },
      Fn2: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['R', 'Arn'] } } },
      A: { Type: 'Custom::Thing', Properties: { ServiceToken: { 'Fn::GetAtt': ['Fn1', 'Arn'] } } },
      B: { Type: 'Custom::Thing', Properties: { ServiceToken: { 'Fn::GetAtt': ['Fn2', 'Arn'] } } },
    }));
    expect(users.get('R')).toEqual(['A', 'B']);
    expect(users.get('P')).toEqual(['A', 'B']);
  });

  test('is computed once per template', () => {
    const stack = template(AUTO_DELETE);
    expect(providerUsers(stack)).toBe(providerUsers(stack));
  });

  test('is empty for an empty template', () => {
    expect(usersOf(template({})).size).toBe(0);
  });
});

describe('isCustomResourceProvider', () => {
  test('is true only for a function some custom resource uses', () => {
    const stack = template({
      ...AUTO_DELETE,
      Workload: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': [ROLE, 'Arn'] } } },
    });
    expect(isCustomResourceProvider(stack.resource(HANDLER)!)).toBe(true);
    expect(isCustomResourceProvider(stack.resource('Workload')!)).toBe(false);
    // The provider's role and policy have users too, but they are not functions.
    expect(isCustomResourceProvider(stack.resource(ROLE)!)).toBe(false);
    expect(isCustomResourceProvider(stack.resource('ProviderPolicy')!)).toBe(false);
  });
});

describe('cdkProviderCreatedFor', () => {
  test('names the constructs CDK created its own provider for, on the function, its role and policy; nothing for a user\'s provider', () => {
    const app = new App();
    const stack = new Stack(app, 'Shop');
    new s3.Bucket(stack, 'Orders', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    new s3.Bucket(stack, 'Refunds', { autoDeleteObjects: true, removalPolicy: RemovalPolicy.DESTROY });
    new lambda.Function(stack, 'Api', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), logRetention: logs.RetentionDays.ONE_WEEK,
    });
    const own = new lambda.Function(stack, 'OwnProvider', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    new CustomResource(stack, 'Seed', { serviceToken: own.functionArn });
    const assembly = app.synth();
    const file = path.join(assembly.directory, stack.templateFile);
    const elements = new Map(stack.node.findAll().filter(CfnElement.isCfnElement).map(e => [stack.resolve(e.logicalId) as string, e as IConstruct]));
    const synthesized = new StackTemplate({ templatePath: file, template: JSON.parse(fs.readFileSync(file, 'utf-8')), stack, stageName: 'dev', durable: false, elements });
    const byPath = (suffix: string) => synthesized.resources.find(r => r.constructPath.endsWith(suffix))!.logicalId;
    expect(cdkProviderCreatedFor(synthesized, byPath('Custom::S3AutoDeleteObjectsCustomResourceProvider/Handler'))).toEqual(['Shop/Orders', 'Shop/Refunds']);
    expect(cdkProviderCreatedFor(synthesized, byPath('Custom::S3AutoDeleteObjectsCustomResourceProvider/Role'))).toEqual(['Shop/Orders', 'Shop/Refunds']);
    expect(cdkProviderCreatedFor(synthesized, byPath('ServiceRole/DefaultPolicy/Resource'))).toEqual(['Shop/Api']);
    expect(cdkProviderCreatedFor(synthesized, byPath('OwnProvider/Resource'))).toBeUndefined();
    expect(cdkProviderCreatedFor(synthesized, byPath('Orders/Resource'))).toBeUndefined();
  });
});

describe('the log group CDK creates for a provider function (@aws-cdk/aws-lambda:useCdkManagedLogGroup)', () => {
  test('is the provider\'s, named after the constructs it serves; an app function\'s own is the app\'s', () => {
    const app = testApp();
    app.node.setContext('@aws-cdk/aws-lambda:useCdkManagedLogGroup', true);
    const stack = new Stack(app, 'Platform');
    new cr.AwsCustomResource(stack, 'ReadUrl', {
      onCreate: { service: 'SSM', action: 'getParameter', parameters: { Name: 'provider-url' }, physicalResourceId: cr.PhysicalResourceId.of('provider-url') },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: ['arn:aws:ssm:eu-west-1:123456789012:parameter/provider-url'] }),
    });
    const api = new lambda.Function(stack, 'Api', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    const { templates, resourceOf } = loadTogether(app);
    const [platform] = templates;
    const providerLogs = platform.resources.find(r => r.type === 'AWS::Logs::LogGroup' && /^Platform\/AWS[0-9a-f]{32}\/LogGroup\//.test(r.constructPath))!;
    expect(functionLogGroupOf(providerLogs)).toMatch(/^AWS[0-9a-f]{32}/);
    expect(cdkProviderCreatedFor(platform, providerLogs.logicalId)).toEqual(['Platform/ReadUrl']);
    const apiLogs = resourceOf(api.node.findChild('LogGroup'));
    expect(functionLogGroupOf(apiLogs)).toBe(resourceOf(api).logicalId);
    expect(cdkProviderCreatedFor(platform, apiLogs.logicalId)).toBeUndefined();
  });

  test('a log group named after a function by a literal, or by something else than a function, is no function\'s', () => {
    const stack = template({
      Fn: { Type: 'AWS::Lambda::Function', Properties: {} },
      Queue: { Type: 'AWS::SQS::Queue', Properties: {} },
      Literal: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: '/aws/lambda/fn' } },
      OfQueue: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: { 'Fn::Join': ['', ['/aws/lambda/', { Ref: 'Queue' }]] } } },
      Prefixed: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: { 'Fn::Join': ['', ['/aws/lambda/x-', { Ref: 'Fn' }]] } } },
      OfFn: { Type: 'AWS::Logs::LogGroup', Properties: { LogGroupName: { 'Fn::Join': ['', ['/aws/lambda/', { Ref: 'Fn' }]] } } },
    });
    expect(['Literal', 'OfQueue', 'Prefixed', 'OfFn'].map(id => functionLogGroupOf(stack.resource(id)!))).toEqual([undefined, undefined, undefined, 'Fn']);
  });
});

describe('a BucketDeployment\'s handler', () => {
  test('is CDK\'s provider: its invalidation statement on "*" is a warning naming the deployment, the same statement in an app function an error', () => {
    const app = testApp();
    const stack = new Stack(app, 'Portal');
    const site = new s3.Bucket(stack, 'Site');
    const cdn = new cloudfront.Distribution(stack, 'Cdn', { defaultBehavior: { origin: origins.S3BucketOrigin.withOriginAccessControl(site) } });
    new s3deploy.BucketDeployment(stack, 'Publish', {
      sources: [s3deploy.Source.data('index.html', '<html></html>')], destinationBucket: site, distribution: cdn, memoryLimit: 512,
    });
    const own = new lambda.Function(stack, 'Invalidate', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    own.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudfront:CreateInvalidation'], resources: ['*'] }));
    const wildcards = validate(app, { stage: 'prod' }).findings.filter(f => f.ruleId === 'Fintech-C06-WildcardResource');
    expect(wildcards.map(f => [f.severity, f.constructPath])).toEqual([
      ['warning', 'Portal/Custom::CDKBucketDeployment8693BB64968944B69AAFB0CC9EB8756C512MiB/ServiceRole/DefaultPolicy/Resource'],
      ['error', 'Portal/Invalidate/ServiceRole/DefaultPolicy/Resource'],
    ]);
    expect(wildcards[0].message).toContain('"cloudfront:GetInvalidation", "cloudfront:CreateInvalidation"');
    expect(wildcards[0].message).toContain('CDK created this resource for Portal/Publish;');
  });
});

describe('the log-group resource policy of an EventBridge CloudWatch Logs target', () => {
  test('its AwsCustomResource, created in the log group\'s stack, allows only actions that take no resource: nothing to report', () => {
    const app = testApp();
    const stack = new Stack(app, 'Audit');
    new events.Rule(stack, 'ArchiveAll', {
      eventPattern: { source: ['payments'] },
      targets: [new targets.CloudWatchLogGroup(new logs.LogGroup(stack, 'Archive'))],
    });
    const wildcards = validate(app, { stage: 'prod' }).findings.filter(f => f.ruleId === 'Fintech-C06-WildcardResource');
    // logs:PutResourcePolicy and logs:DeleteResourcePolicy, which it allows on "*", name no resource type (src/facts/resourceless-actions.ts).
    expect(wildcards).toEqual([]);
  });
});

describe('libraryFunctionCreatedFor', () => {
  test('SES\'s spam filter function, its role and policy: warnings naming the rule that calls it; the app\'s own function stays the app\'s', () => {
    const app = testApp();
    const stack = new Stack(app, 'Mail');
    new ses.ReceiptRuleSet(stack, 'Inbound', { dropSpam: true });
    new lambda.Function(stack, 'Own', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    const tracing = validate(app, { stage: 'prod' }).findings.filter(f => f.ruleId === 'Fintech-C11-FunctionWithoutTracing');
    expect(tracing.map(f => [f.severity, f.constructPath])).toEqual([
      ['error', 'Mail/Own/Resource'],
      ['warning', 'Mail/SingletonLambda224e77f9a32e4b4dac32983477abba16/Resource'],
    ]);
    expect(tracing[1].message).toContain('CDK created this resource for Mail/Inbound/DropSpam/Rule (ses.ReceiptRuleSet: the spam filter function of `dropSpam`');
  });

  test('ConfirmPermissionsBroadening\'s auto-approve function, its role and its log group: warnings naming the security check project that calls it', () => {
    const app = testApp();
    app.node.setContext('@aws-cdk/aws-lambda:useCdkManagedLogGroup', true);
    deliveryPipeline(app, { confirmBroadening: true });
    // (The harness tags nothing: C01 is left out.)
    const onFunction = validate(app, { stage: 'dev' }).findings.filter(f => f.constructPath.includes('/CDKPipelinesAutoApprove/') && !f.ruleId.startsWith('Fintech-C01-'));
    expect(onFunction.map(f => `${f.severity} ${f.ruleId} ${f.constructPath.replace('Delivery/Pipeline/PipelinesSecurityCheck/CDKPipelinesAutoApprove/', '')}`).sort()).toEqual([
      'warning Fintech-C02-EphemeralRetainsData LogGroup/Resource',
      'warning Fintech-C04-LogGroupWithoutCustomerKey LogGroup/Resource',
      'warning Fintech-C06-WildcardResource ServiceRole/DefaultPolicy/Resource',
      'warning Fintech-C09-UnmonitoredResource Resource',
      'warning Fintech-C11-FunctionWithoutTracing Resource',
      'warning Fintech-C20-FunctionWithDefaultSizing Resource',
    ]);
    expect(onFunction.every(f => f.message.includes('CDK created this resource for Delivery/Pipeline/PipelinesSecurityCheck/CDKSecurityCheck ' +
      '(pipelines.ConfirmPermissionsBroadening: '))).toBe(true);
  });

  test('events-targets.AwsApi\'s function and its rule targets: runtime findings are warnings naming the rules, its statements and the app\'s own targets stay the app\'s', () => {
    const app = testApp();
    const stack = new Stack(app, 'Ops', { env: { account: '123456789012', region: 'eu-west-1' } });
    const nightly = new events.Rule(stack, 'Nightly', { schedule: events.Schedule.cron({ minute: '0', hour: '2' }) });
    nightly.addTarget(new targets.AwsApi({ service: 'ECS', action: 'updateService', parameters: { service: 'settlement', forceNewDeployment: true } }));
    const own = new lambda.Function(stack, 'Report', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    nightly.addTarget(new targets.LambdaFunction(own));
    for (const checks of validateWithAndWithoutScope(app, { stage: 'prod' })) {
      const judged = (prefix: string) => checks.findings.filter(f => f.ruleId.startsWith(prefix) && !f.ruleId.startsWith('Fintech-C01-'))
        .map(f => `${f.severity} ${f.ruleId} ${f.constructPath.replace(/AWSb4cf1abd4e4f4bc699441af7ccd9ec37/, 'AwsApi')}`).sort();
      expect(judged('Fintech-C11-')).toEqual(['error Fintech-C11-FunctionWithoutTracing Ops/Report/Resource', 'warning Fintech-C11-FunctionWithoutTracing Ops/AwsApi/Resource']);
      // updateService on "*": the target's `policyStatement` scopes it, so it is the app's.
      expect(judged('Fintech-C06-')).toEqual(['error Fintech-C06-WildcardResource Ops/AwsApi/ServiceRole/DefaultPolicy/Resource']);
      // The rule's AwsApi target has no props for a dead-letter queue or retries; its LambdaFunction target has.
      const targetFindings = checks.findings.filter(f => f.ruleId.startsWith('Fintech-C12-RuleTarget'));
      expect(targetFindings.map(f => `${f.severity} ${f.ruleId} ${f.locations.join()}`).sort()).toEqual([
        'error Fintech-C12-RuleTargetWithoutDeadLetterQueue Properties/Targets/1/DeadLetterConfig',
        'error Fintech-C12-RuleTargetWithoutRetryPolicy Properties/Targets/1/RetryPolicy',
        'warning Fintech-C12-RuleTargetWithoutDeadLetterQueue Properties/Targets/0/DeadLetterConfig',
        'warning Fintech-C12-RuleTargetWithoutRetryPolicy Properties/Targets/0/RetryPolicy',
      ]);
      expect(targetFindings.find(f => f.severity === 'warning')!.message).toContain('The library made it (events-targets.AwsApi: ');
      expect(targetFindings.find(f => f.severity === 'warning')!.fix).toContain('make the call from a function of your own behind targets.LambdaFunction');
      const asyncFailure = checks.findings.find(f => f.ruleId === 'Fintech-C12-AsyncFunctionWithoutFailureDestination' && f.constructPath.includes('AWSb4cf1abd'));
      expect(asyncFailure?.severity).toBe('warning');
      expect(asyncFailure?.message).toContain('CDK created this resource for Ops/Nightly (events-targets.AwsApi: ');
    }
  });

  test('reads the template alone (aws:cdk:path); undefined outside such a function, and for one no rule calls', () => {
    const at = (below: string) => ({ 'aws:cdk:path': `Mail/${below}` });
    const filter = 'SingletonLambda224e77f9a32e4b4dac32983477abba16';
    // Logical ids as CDK derives them from the construct ids.
    const [fn, role] = [`${filter}4533EA15`, `${filter}ServiceRole3C01ACCB`];
    const resources = {
      [fn]: { Type: 'AWS::Lambda::Function', Metadata: at(`${filter}/Resource`), Properties: { Role: { 'Fn::GetAtt': [role, 'Arn'] } } },
      [role]: { Type: 'AWS::IAM::Role', Metadata: at(`${filter}/ServiceRole/Resource`), Properties: {} },
      Own: { Type: 'AWS::Lambda::Function', Metadata: at('Own/Resource'), Properties: {} },
    };
    const rule = { Type: 'AWS::SES::ReceiptRule', Metadata: at('Inbound/DropSpam/Rule/Resource'), Properties: { Rule: { Actions: [{ LambdaAction: { FunctionArn: { 'Fn::GetAtt': [fn, 'Arn'] } } }] } } };
    const called = template({ ...resources, DropSpamRule: rule });
    for (const id of [fn, role]) {
      expect(libraryFunctionCreatedFor(called, id)).toEqual({ constructs: ['Mail/Inbound/DropSpam/Rule'], how: expect.stringMatching(/^ses\.ReceiptRuleSet: /) });
    }
    expect(libraryFunctionCreatedFor(called, 'Own')).toBeUndefined();
    expect(libraryFunctionCreatedFor(template(resources), fn)).toBeUndefined();
  });
});

describe('an AwsCustomResource a library construct creates for itself', () => {
  test('its policy\'s findings are warnings naming that construct; an AwsCustomResource in the app\'s own stack, construct or resource stays the app\'s', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    // opensearch.Domain writes its log groups' resource policy through a private AwsCustomResource subclass, on Resource "*".
    new opensearch.Domain(stack, 'Search', {
      version: opensearch.EngineVersion.OPENSEARCH_2_17,
      logging: { appLogEnabled: true, appLogGroup: new logs.LogGroup(stack, 'SearchLogs') },
    });
    const call = (scope: Construct, id: string) => new cr.AwsCustomResource(scope, id, {
      onCreate: { service: 'SSM', action: 'getParameter', parameters: { Name: `/shop/${id}` }, physicalResourceId: cr.PhysicalResourceId.of(id) },
      policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    call(stack, 'OwnCall');
    class Bootstrap extends Construct {
      constructor(scope: Construct, id: string) {
        super(scope, id);
        call(this, 'Call');
      }
    }
    new Bootstrap(stack, 'Bootstrap');
    class Seeder extends Resource {
      constructor(scope: Construct, id: string) {
        super(scope, id);
        call(this, 'Call');
      }
    }
    new Seeder(stack, 'Seeder');
    const wildcards = validate(app, { stage: 'prod' }).findings.filter(f => f.ruleId === 'Fintech-C06-WildcardResource' || f.ruleId === 'Fintech-RuleFailed');
    const summary = wildcards.map(f => `${f.severity} ${f.constructPath.replace(/ESLogGroupPolicy[0-9a-f]+/, 'ESLogGroupPolicy')}`).sort();
    expect(summary).toEqual([
      'error Shop/Bootstrap/Call/CustomResourcePolicy/Resource',
      'error Shop/OwnCall/CustomResourcePolicy/Resource',
      'error Shop/Seeder/Call/CustomResourcePolicy/Resource',
    ]);
    // The domain's own log-group policy call allows logs:PutResourcePolicy and DeleteResourcePolicy on "*": actions that take
    // no resource (src/facts/resourceless-actions.ts), so it is not reported at all.
  });
});

describe('handlers behind a custom-resources Provider', () => {
  test('serve the custom resources of the framework function that calls them, and are not CDK\'s own', () => {
    const app = new App();
    const stack = new Stack(app, 'Shop');
    const code = lambda.Code.fromInline('exports.handler = async () => ({})');
    const onEvent = new lambda.Function(stack, 'Seed', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });
    const isComplete = new lambda.Function(stack, 'SeedDone', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });
    const provider = new cr.Provider(stack, 'SeedProvider', { onEventHandler: onEvent, isCompleteHandler: isComplete });
    new CustomResource(stack, 'Data', { serviceToken: provider.serviceToken });
    new lambda.Function(stack, 'Api', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });
    const assembly = app.synth();
    const file = path.join(assembly.directory, stack.templateFile);
    const elements = new Map(stack.node.findAll().filter(CfnElement.isCfnElement).map(e => [stack.resolve(e.logicalId) as string, e as IConstruct]));
    const synthesized = new StackTemplate({ templatePath: file, template: JSON.parse(fs.readFileSync(file, 'utf-8')), stack, stageName: 'dev', durable: false, elements });
    const resource = (suffix: string) => synthesized.resources.find(r => r.constructPath.endsWith(suffix))!;
    const data = resource('Data/Default').logicalId;
    expect(usersOf(synthesized).get(resource('Seed/Resource').logicalId)).toEqual([data]);
    expect(usersOf(synthesized).get(resource('SeedDone/Resource').logicalId)).toEqual([data]);
    expect(isCustomResourceProvider(resource('Seed/Resource'))).toBe(true);
    expect(isCustomResourceProvider(resource('Api/Resource'))).toBe(false);
    // The handler is the team's code: findings on it stay theirs; the framework function is CDK's.
    expect(cdkProviderCreatedFor(synthesized, resource('Seed/Resource').logicalId)).toBeUndefined();
    expect(cdkProviderCreatedFor(synthesized, resource('framework-onEvent/Resource').logicalId)).toEqual(['Shop/Data']);
  });
});

describe('the waiter of a custom-resources Provider with an isComplete handler', () => {
  test('the state machine, the framework functions it runs and its role serve the provider\'s users: warnings naming them, no runtime rule', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const code = lambda.Code.fromInline('exports.handler = async () => ({})');
    const handler = (id: string) => new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code, tracing: lambda.Tracing.ACTIVE, memorySize: 256,
    });
    const provider = new cr.Provider(stack, 'SeedProvider', { onEventHandler: handler('Seed'), isCompleteHandler: handler('SeedDone') });
    new CustomResource(stack, 'Data', { serviceToken: provider.serviceToken });
    const { templates } = loadTogether(app);
    const synthesized = templates.find(t => t.path === 'Shop')!;
    const resource = (suffix: string) => synthesized.resources.find(r => r.constructPath.endsWith(suffix))!;
    const waiter = resource('SeedProvider/waiter-state-machine/Resource');
    expect(waiter.type).toBe('AWS::StepFunctions::StateMachine');
    const data = [resource('Data/Default').logicalId];
    for (const part of ['waiter-state-machine/Resource', 'framework-isComplete/Resource', 'framework-onTimeout/Resource', 'waiter-state-machine/Role/Resource']) {
      expect([part, usersOf(synthesized).get(resource(`SeedProvider/${part}`).logicalId)]).toEqual([part, data]);
    }
    expect(isCustomResourceProvider(waiter)).toBe(true);
    expect(cdkProviderCreatedFor(synthesized, waiter.logicalId)).toEqual(['Shop/Data']);
    expect(cdkProviderCreatedFor(synthesized, resource('waiter-state-machine/Role/DefaultPolicy/Resource').logicalId)).toEqual(['Shop/Data']);
    // CDK's waiter calls its functions by bare ARN, without tracing or alarms, and its onTimeout task has no retry: none of it is the app's.
    const onProvider = validate(app).findings.filter(f => f.constructPath.startsWith('Shop/SeedProvider/') && f.severity === 'error');
    expect(onProvider.map(f => `${f.ruleId} ${f.constructPath}`)).toEqual([]);
  });

  test('the same waiter written by the app, in a state machine of its own, is judged as a workflow', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const code = lambda.Code.fromInline('exports.handler = async () => ({})');
    const check = new lambda.Function(stack, 'Check', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });
    new CfnResource(stack, 'Waiter', {
      type: 'AWS::StepFunctions::StateMachine',
      properties: {
        RoleArn: 'arn:aws:iam::123456789012:role/waiter',
        DefinitionString: Fn.join('', ['{"StartAt":"Check","States":{"Check":{"Type":"Task","End":true,"Resource":"', check.functionArn, '"}}}']),
      },
    });
    const ids = validate(app).findings.filter(f => f.constructPath === 'Shop/Waiter').map(f => f.ruleId).sort();
    expect(ids).toEqual(expect.arrayContaining(['Fintech-C11-StateMachineWithoutTracing', 'Fintech-C13-LambdaTaskByBareArn', 'Fintech-C13-TaskWithoutRetry']));
  });
});

describe('integ-tests-alpha\'s assertions', () => {
  test('their providers, waiter state machines, functions and roles are CDK\'s: warnings naming the assertion, with and without a scope', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const queue = new sqs.Queue(stack, 'Orders');
    const integ = new IntegTest(app, 'ShopInteg', { testCases: [stack] });
    integ.assertions.awsApiCall('SQS', 'getQueueAttributes', { QueueUrl: queue.queueUrl, AttributeNames: ['All'] });
    integ.assertions.awsApiCall('SQS', 'receiveMessage', { QueueUrl: queue.queueUrl })
      .expect(ExpectedResult.objectLike({ Messages: [{ Body: 'paid' }] }))
      .waitForAssertions();
    for (const checks of validateWithAndWithoutScope(app, { stage: 'dev' })) {
      const findings = checks.findings.filter(f => f.constructPath.startsWith('ShopInteg/DefaultTest/DeployAssert/'));
      expect(findings.filter(f => f.severity === 'error').map(f => `${f.ruleId} ${f.constructPath}`)).toEqual([]);
      // The assertions' SDK calls on "*", written by the library into its provider's role, name the assertions they serve.
      const wildcards = findings.find(f => f.ruleId === 'Fintech-C06-WildcardResource' && /SingletonFunction1488541a\w+\/Role$/.test(f.constructPath));
      expect(wildcards?.message).toMatch(/CDK created this resource for ShopInteg\/DefaultTest\/DeployAssert\/AwsApiCallSQSgetQueueAttributes\w+, ShopInteg\/DefaultTest\/DeployAssert\/AwsApiCallSQSreceiveMessage\w+;/);
      // The waiter: no runtime rule judges it, and its findings (tags) name the assertion that waits.
      // The waiter, its role and the functions it runs back the assertion only: neither runtime rules nor tags judge them.
      expect(findings.filter(f => /\/WaitFor\/|SingletonFunction(76b3e830|5c1898e0)\w+\/Handler$/.test(f.constructPath))).toEqual([]);
      const isCompleteRole = findings.find(f => /SingletonFunction76b3e830\w+\/Role$/.test(f.constructPath));
      expect(isCompleteRole?.message).toMatch(/allows "sqs:ReceiveMessage".* CDK created this resource for ShopInteg\/DefaultTest\/DeployAssert\/AwsApiCallSQSreceiveMessage\w+;/);
    }
  });

  test('a state machine the app\'s own custom resource names in its stateMachineArn stays the app\'s workflow', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const code = lambda.Code.fromInline('exports.handler = async () => ({})');
    const seed = new lambda.Function(stack, 'Seed', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });
    const flow = new CfnResource(stack, 'Flow', {
      type: 'AWS::StepFunctions::StateMachine',
      properties: { RoleArn: 'arn:aws:iam::123456789012:role/flow', DefinitionString: '{"StartAt":"Done","States":{"Done":{"Type":"Succeed"}}}' },
    });
    new CustomResource(stack, 'Start', { serviceToken: seed.functionArn, resourceType: 'Custom::StartFlow', properties: { stateMachineArn: flow.ref } });
    const ids = validate(app).findings.filter(f => f.constructPath === 'Shop/Flow').map(f => `${f.ruleId} ${f.severity}`);
    expect(ids).toContain('Fintech-C11-StateMachineWithoutTracing error');
  });
});

describe('a custom-resources Provider no custom resource uses yet', () => {
  test('its framework function and handler back custom resources only: no runtime rule judges them, security findings stay the app\'s', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const code = lambda.Code.fromInline('exports.handler = async () => ({})');
    const onEvent = new lambda.Function(stack, 'Seed', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });
    new cr.Provider(stack, 'SeedProvider', { onEventHandler: onEvent });
    new lambda.Function(stack, 'Api', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });
    const { templates } = loadTogether(app);
    const synthesized = templates.find(t => t.path === 'Shop')!;
    const resource = (suffix: string) => synthesized.resources.find(r => r.constructPath.endsWith(suffix))!;
    expect(isCustomResourceProvider(resource('Seed/Resource'))).toBe(true);
    expect(isCustomResourceProvider(resource('framework-onEvent/Resource'))).toBe(true);
    expect(isCustomResourceProvider(resource('Api/Resource'))).toBe(false);
    // Nobody asked for it: there is nobody to name, so findings on it are the app's as usual.
    expect(cdkProviderCreatedFor(synthesized, resource('framework-onEvent/Resource').logicalId)).toBeUndefined();
    const tracing = validate(app).findings.filter(f => f.ruleId === 'Fintech-C11-FunctionWithoutTracing').map(f => f.constructPath);
    expect(tracing).toEqual(['Shop/Api/Resource']);
  });
});

describe('a nested stack CDK adds once per stack (its id takes CDK\'s package scope)', () => {
  test('eks.Cluster\'s kubectl provider, which no manifest uses yet: its findings are warnings naming it; the app\'s own nested stack stays the app\'s', () => {
    const app = testApp();
    app.node.setContext('@aws-cdk/aws-lambda:useCdkManagedLogGroup', true);
    const stack = new Stack(app, 'Platform', { env: { account: '123456789012', region: 'eu-west-1' } });
    kubernetesCluster(stack, { authenticationMode: eks.AuthenticationMode.API });
    const own = new NestedStack(stack, 'Reports');
    new logs.LogGroup(own, 'Logs', { removalPolicy: RemovalPolicy.RETAIN });
    const { templates } = loadTogether(app);
    const kubectl = templates.find(t => t.path.includes('KubectlProvider'))!;
    const handlerLogs = kubectl.resources.find(r => r.constructPath.endsWith('KubectlProvider/Handler/LogGroup/Resource'))!;
    expect(providerUsers(kubectl).get(handlerLogs.logicalId)).toBeUndefined();
    expect(cdkProviderCreatedFor(kubectl, handlerLogs.logicalId)).toEqual(['Platform/@aws-cdk--aws-eks.KubectlProvider']);
    const retained = validate(app, { stage: 'dev' }).findings.filter(f => f.ruleId === 'Fintech-C02-EphemeralRetainsData');
    // The cluster-resource provider, which the cluster uses, is reported as the cluster's (as any used provider is).
    const [clusterResource, rest] = [retained.filter(f => f.constructPath.includes('ClusterResourceProvider')), retained.filter(f => !f.constructPath.includes('ClusterResourceProvider'))];
    expect(clusterResource.map(f => [f.severity, f.message.includes('CDK created this resource for Platform/Cluster;')])).toEqual(Array(5).fill(['warning', true]));
    expect(rest.map(f => `${f.severity} ${f.constructPath}`).sort()).toEqual([
      'error Platform/Reports/Logs/Resource',
      'warning Platform/@aws-cdk--aws-eks.KubectlProvider/Handler/LogGroup/Resource',
      'warning Platform/@aws-cdk--aws-eks.KubectlProvider/Provider/framework-onEvent/LogGroup/Resource',
    ]);
    expect(retained.find(f => f.constructPath.includes('/Handler/'))!.message).toContain('CDK created this resource for Platform/@aws-cdk--aws-eks.KubectlProvider;');
  });
});

describe('the resource of a nested stack CDK adds once per stack, in its parent\'s template', () => {
  test('is CDK\'s, named after that nested stack, whatever the parent is called, with and without a scope; the app\'s own nested stack\'s stays the app\'s', () => {
    const app = testApp();
    const stack = new Stack(app, 'Cards', { env: { account: '123456789012', region: 'eu-west-1' } });
    kubernetesCluster(stack, { authenticationMode: eks.AuthenticationMode.API, defaultCapacity: 0 });
    new logs.LogGroup(new NestedStack(stack, 'Reports'), 'Logs');
    const judged = (checks: FintechChecks) => checks.findings.filter(f => f.ruleId === 'Fintech-C01-RequiredTags' && f.resourceType === 'AWS::CloudFormation::Stack')
      .map(f => [f.severity, f.constructPath.split('/')[1], f.message.match(/CDK created this resource for ([^;]+);/)?.[1]]).sort();
    const expected = [
      ['error', 'Reports.NestedStack', undefined],
      ['warning', '@aws-cdk--aws-eks.ClusterResourceProvider.NestedStack', 'Cards/@aws-cdk--aws-eks.ClusterResourceProvider'],
      ['warning', '@aws-cdk--aws-eks.KubectlProvider.NestedStack', 'Cards/@aws-cdk--aws-eks.KubectlProvider'],
    ];
    for (const checks of validateWithAndWithoutScope(app, { stage: 'prod' })) expect(judged(checks)).toEqual(expected);
  });
});

describe('a CDK per-stack nested stack read without its app (fintech-check on a cloud assembly)', () => {
  test('is found from its template\'s file name and the resources\' aws:cdk:path; a template of the app\'s is not', () => {
    const resources = (root: string) => ({
      Handler: { Type: 'AWS::Lambda::Function', Metadata: { 'aws:cdk:path': `Platform/${root}/Handler/Resource` }, Properties: {} },
    });
    const nested = (file: string, root: string) => new StackTemplate({
      templatePath: `/tmp/cdk.out/${file}`, template: { Resources: resources(root) }, stageName: 'dev', durable: false, elements: new Map(),
    });
    const kubectl = nested('PlatformawscdkawseksKubectlProviderB77D6A98.nested.template.json', '@aws-cdk--aws-eks.KubectlProvider');
    expect(cdkProviderCreatedFor(kubectl, 'Handler')).toEqual(['Platform/@aws-cdk--aws-eks.KubectlProvider']);
    expect(cdkProviderCreatedFor(nested('PlatformReports1234ABCD.nested.template.json', 'Reports'), 'Handler')).toBeUndefined();
  });
});

describe('a provider of a platform stack whose service token other stacks import', () => {
  test('serves the custom resources of those stacks: no runtime rule judges its functions, findings on CDK\'s name who asked', () => {
    const app = testApp();
    const platform = new Stack(app, 'Platform');
    const code = lambda.Code.fromInline('exports.handler = async () => ({})');
    const onEvent = new lambda.Function(platform, 'Seed', { runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code });
    const provider = new cr.Provider(platform, 'SeedProvider', { onEventHandler: onEvent });
    new CustomResource(new Stack(app, 'Payments'), 'Data', { serviceToken: provider.serviceToken });
    new CustomResource(new NestedStack(platform, 'Reference'), 'Rates', { serviceToken: provider.serviceToken });
    const templates = TemplateIndex.load(app, app.synth().stacks.map(s => s.templateFullPath), { stage: 'dev', durableStages: [] });
    const synthesized = templates.find(t => t.path === 'Platform')!;
    const resource = (suffix: string) => synthesized.resources.find(r => r.constructPath.endsWith(suffix))!;
    expect(providerUsers(synthesized).get(resource('Seed/Resource').logicalId)!.map(user => user.constructPath).sort())
      .toEqual(['Payments/Data/Default', 'Platform/Reference/Rates/Default']);
    expect(isCustomResourceProvider(resource('Seed/Resource'))).toBe(true);
    expect(isCustomResourceProvider(resource('framework-onEvent/Resource'))).toBe(true);
    expect(cdkProviderCreatedFor(synthesized, resource('framework-onEvent/Resource').logicalId)!.sort()).toEqual(['Payments/Data', 'Platform/Reference/Rates']);
    // The runtime rules (tracing, alarms, log groups, sizing) leave both functions alone, as they do in one stack.
    const runtime = ['Fintech-C11-FunctionWithoutTracing', 'Fintech-C09-UnmonitoredResource', 'Fintech-C20-FunctionWithoutLogGroup', 'Fintech-C20-FunctionWithDefaultSizing'];
    expect(validate(app).findings.filter(f => runtime.includes(f.ruleId) && f.constructPath.startsWith('Platform/Seed'))).toEqual([]);
  });
});
