import { CfnResource, Fn, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { SecureQueue } from '../../../src/data/secure-queue';
import { KeyConsumer } from '../../../src/encryption/data-key';
import { DependencyCycle } from '../../../src/rules/template/dependency-cycle';
import { stackIn } from '../../support/fintech-fixture';
import { findingsOf, lines, shop, testApp } from '../rule-harness';

const CYCLE = DependencyCycle.INFO.id;

function cycles(app: ReturnType<typeof testApp>) {
  return findingsOf(app, [CYCLE]);
}

function queue(scope: Stack, id: string, properties: Record<string, unknown> = {}, dependsOn: string[] = []): CfnResource {
  const resource = new CfnResource(scope, id, { type: 'AWS::SQS::Queue', properties });
  resource.overrideLogicalId(id);
  if (dependsOn.length > 0) resource.addOverride('DependsOn', dependsOn.length === 1 ? dependsOn[0] : dependsOn);
  return resource;
}

describe('Fintech-C05-DependencyCycle', () => {
  test('a key policy granting a role by ARN while a managed policy of that role names the key: one finding naming the circle', () => {
    const { app, stack } = shop();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    key.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ArnPrincipal(role.roleArn)], actions: ['kms:Decrypt'], resources: ['*'] }));
    role.addManagedPolicy(new iam.ManagedPolicy(stack, 'Policy', { statements: [new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: [key.keyArn] })] }));
    const findings = cycles(app);
    expect(lines(findings)).toEqual([`${CYCLE} Shop/Role/Resource`]);
    expect(findings[0]).toMatchObject({ severity: 'error', resourceType: 'AWS::IAM::Role' });
    expect(findings[0].message).toMatch(/^Resources Role[0-9A-F]{8} -> Policy[0-9A-F]{8} -> Key[0-9A-F]{8} -> Role[0-9A-F]{8} of Shop\.template\.json depend on one another/);
    expect(findings[0].message).toContain('(Fn::GetAtt at Properties/KeyPolicy/Statement/');
    expect(findings[0].locations).toEqual(['Properties/ManagedPolicyArns/0/Ref']);
  });

  test('passes the same key policy when the grant lands in the role\'s own default policy (key.grantDecrypt)', () => {
    const { app, stack } = shop();
    const role = new iam.Role(stack, 'Role', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    key.addToResourcePolicy(new iam.PolicyStatement({ principals: [new iam.ArnPrincipal(role.roleArn)], actions: ['kms:Decrypt'], resources: ['*'] }));
    key.grantDecrypt(role);
    expect(cycles(app)).toEqual([]);
  });

  test('sees references inside key-policy conditions: a key scoped to a function that the key encrypts', () => {
    const { app, stack } = shop();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => {}'), environmentEncryption: key,
    });
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('lambda.amazonaws.com')],
      actions: ['kms:Decrypt'],
      resources: ['*'],
      conditions: { ArnEquals: { 'aws:SourceArn': fn.functionArn } },
    }));
    const findings = cycles(app);
    expect(lines(findings)).toEqual([`${CYCLE} Shop/Key/Resource`]);
    expect(findings[0].message).toMatch(/^Resources Key[0-9A-F]{8} -> Fn[0-9A-F]{8} -> Key[0-9A-F]{8} /);
    expect(findings[0].locations[0]).toMatch(/^Properties\/KeyPolicy\/Statement\/\d+\/Condition\/ArnEquals\/aws:SourceArn\/Fn::GetAtt$/);
  });

  test('a topic and its subscribed queue on one key under restrictSqsDescryption (a `cdk init` default): the key policy names the topic', () => {
    const build = (restrict: boolean, ownTopicKey: boolean) => {
      const { app, stack } = shop();
      stack.node.setContext('@aws-cdk/aws-sns-subscriptions:restrictSqsDescryption', restrict);
      const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      const topic = new sns.Topic(stack, 'Payments', { masterKey: ownTopicKey ? new kms.Key(stack, 'TopicKey', { enableKeyRotation: true }) : key });
      topic.addSubscription(new subscriptions.SqsSubscription(new sqs.Queue(stack, 'Emails', { encryptionMasterKey: key })));
      return lines(findingsOf(app, [DependencyCycle.INFO.id]));
    };
    expect(build(true, false)).toEqual([`${DependencyCycle.INFO.id} Shop/Key/Resource`]);
    expect(build(false, false)).toEqual([]);
    expect(build(true, true)).toEqual([]);
  });

  test('a library queue whose key allows EventBridge by the ARN of the rule that targets it', () => {
    const app = testApp();
    const stack = stackIn(app, 'dev');
    const inbox = new SecureQueue(stack, 'Inbox');
    const rule = new events.Rule(stack, 'Settled', { eventPattern: { source: ['ledger'] } });
    rule.addTarget(new targets.SqsQueue(inbox));
    inbox.allowProducer(KeyConsumer.EVENTS, rule.ruleArn);
    const findings = cycles(app);
    expect(findings).toHaveLength(1);
    expect(findings[0].message).toMatch(/InboxKey[0-9A-F]+ -> Settled[0-9A-F]+ -> Inbox[0-9A-F]+ -> InboxKey|Settled[0-9A-F]+ -> Inbox[0-9A-F]+ -> InboxKey[0-9A-F]+ -> Settled/);
  });

  test('passes a library queue fed by a rule when the key allows EventBridge by a pattern', () => {
    const app = testApp();
    const stack = stackIn(app, 'dev');
    const inbox = new SecureQueue(stack, 'Inbox');
    const rule = new events.Rule(stack, 'Settled', { eventPattern: { source: ['ledger'] } });
    rule.addTarget(new targets.SqsQueue(inbox));
    inbox.allowProducer(KeyConsumer.EVENTS, stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' }));
    expect(cycles(app)).toEqual([]);
  });

  test('raw resources: Fn::Sub string and array forms, DependsOn string and list, both Fn::If branches, a self reference', () => {
    const { app, stack } = shop();
    queue(stack, 'A', { QueueName: Fn.sub('${B.QueueName}-a') });
    queue(stack, 'B', {}, ['C']);
    queue(stack, 'C', { Tags: [{ Key: 'k', Value: { 'Fn::Sub': ['${X}', { X: { Ref: 'A' } }] } }] });
    queue(stack, 'D', { QueueName: { 'Fn::If': ['IsProd', 'd', { 'Fn::GetAtt': ['E', 'QueueName'] }] } });
    queue(stack, 'E', {}, ['F', 'D']);
    queue(stack, 'F');
    queue(stack, 'G', { QueueName: { 'Fn::Join': ['', [{ Ref: 'G' }]] } });
    const findings = cycles(app);
    expect(findings.map(f => f.message.split(' of ')[0]).sort()).toEqual([
      'Resources A -> B -> C -> A',
      'Resources D -> E -> D',
      'Resources G -> G',
    ]);
    expect(findings.find(f => f.logicalId === 'A')!.message).toContain('A -> B (Fn::Sub at Properties/QueueName/Fn::Sub); B -> C (DependsOn at DependsOn); C -> A (Ref at Properties/Tags/0/Value/Fn::Sub/X/Ref)');
  });

  test('passes escapes, shadowed Fn::Sub variables, parameters, pseudo parameters and update policies', () => {
    const { app, stack } = shop();
    queue(stack, 'A', { QueueName: Fn.sub('${!B}-${AWS::Region}-${AWS::StackName}') });
    queue(stack, 'B', { QueueName: { 'Fn::Sub': ['${A}-b', { A: 'literal' }] } });
    queue(stack, 'C', { QueueName: { Ref: 'AWS::StackName' } }, ['A']);
    queue(stack, 'D', { QueueName: { Ref: 'E' } });
    queue(stack, 'E').addOverride('UpdatePolicy', { CodeDeployLambdaAliasUpdate: { ApplicationName: { Ref: 'D' } } });
    expect(cycles(app)).toEqual([]);
  });

  test('reports one finding per circle, naming the others tied into it', () => {
    const { app, stack } = shop();
    queue(stack, 'A', { QueueName: { Ref: 'B' } });
    queue(stack, 'B', { QueueName: { Ref: 'A' }, Tags: [{ Key: 'c', Value: { Ref: 'C' } }] });
    queue(stack, 'C', { QueueName: { Ref: 'A' } });
    queue(stack, 'X', { QueueName: { Ref: 'Y' } });
    queue(stack, 'Y', { QueueName: { Ref: 'X' } });
    const findings = cycles(app);
    expect(findings.map(f => f.message.split(' of ')[0]).sort()).toEqual(['Resources A -> B -> A', 'Resources X -> Y -> X']);
    expect(findings.find(f => f.logicalId === 'A')!.message).toContain('Also tied into the same circle: C.');
  });

  test('judges each nested template on its own: parameters cut the parent link', () => {
    const { app, stack } = shop();
    const parentQueue = new sqs.Queue(stack, 'Parent');
    const nested = new NestedStack(stack, 'Inner');
    new sqs.Queue(nested, 'Child', { queueName: Fn.join('-', [parentQueue.queueName, 'child']) });
    queue(nested, 'A', { QueueName: { Ref: 'B' } });
    queue(nested, 'B', { QueueName: { 'Fn::GetAtt': ['A', 'QueueName'] } });
    const findings = cycles(app);
    expect(findings).toHaveLength(1);
    expect(findings[0].templatePath).toMatch(/ShopInner[0-9A-F]+\.nested\.template\.json$/);
    expect(findings[0].message).toMatch(/^Resources A -> B -> A of ShopInner/);
  });

  test('a circle through a nested stack shows in the parent: a parameter in, an output out', () => {
    const { app, stack } = shop();
    const nested = new NestedStack(stack, 'Inner');
    const parentQueue = new sqs.Queue(stack, 'Parent');
    const child = new sqs.Queue(nested, 'Child', { queueName: Fn.join('-', [parentQueue.queueName, 'child']) });
    (parentQueue.node.defaultChild as sqs.CfnQueue).addPropertyOverride('Tags', [{ Key: 'child', Value: child.queueName }]);
    const findings = cycles(app);
    expect(findings).toHaveLength(1);
    expect(findings[0].templatePath).toMatch(/Shop\.template\.json$/);
    // CDK synthesizes it without complaint; CloudFormation would refuse it.
    expect(findings[0].message).toMatch(/^Resources InnerNestedStackInnerNestedStackResource[0-9A-F]{8} -> Parent[0-9A-F]{8} -> InnerNestedStackInnerNestedStackResource[0-9A-F]{8} of Shop\.template\.json/);
    expect(findings[0].message).toContain('(Fn::GetAtt at Properties/Parameters/');
  });

  test('skips templates with a transform, and cannot be acknowledged in a durable stage', () => {
    const { app, stack } = shop();
    stack.addTransform('AWS::Serverless-2016-10-31');
    queue(stack, 'A', { QueueName: { Ref: 'B' } });
    queue(stack, 'B', { QueueName: { Ref: 'A' } });
    expect(cycles(app)).toEqual([]);
    expect(DependencyCycle.INFO.acknowledgeableInDurableStages).toBe(false);

    const prodApp = testApp();
    const prod = stackIn(prodApp, 'prod');
    queue(prod, 'A', { QueueName: { Ref: 'B' } });
    queue(prod, 'B', { QueueName: { Ref: 'A' } });
    Validations.of(prod).acknowledge({ id: CYCLE, reason: 'we know' });
    const [finding] = cycles(prodApp);
    expect(finding.acknowledgedReason).toBeUndefined();
    expect(finding.message).toContain('cannot be acknowledged in durable stage "prod"');
  });
});
