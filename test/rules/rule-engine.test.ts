import { CfnResource, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { lines, testApp } from './rule-harness';
import { providerUsers } from '../../src/rules/custom-resource-providers';
import { FintechRule, RuleFinding, findingOn } from '../../src/rules/rule';
import { RULE_FAILED, RuleEngine } from '../../src/rules/rule-engine';
import { RuleInfo } from '../../src/rules/rule-info';
import { RuleSeverity } from '../../src/rules/rule-severity';
import { StackTemplate, TemplateResource } from '../../src/rules/stack-template';
import { TemplateIndex } from '../../src/rules/template-index';

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
      sourceLine: 36,
      stageName: 'dev',
      durable: false,
    });
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
    const users = providerUsers(template);
    expect(users.get('ProviderFn')).toEqual(['ByGetAtt', 'ByRef']);
    expect(users.get('ProviderRole')).toEqual(['ByGetAtt', 'ByRef']);
    expect(users.get('ProviderPolicy')).toEqual(['ByGetAtt', 'ByRef']);
    expect(users.has('Imported')).toBe(false);
  });
});
