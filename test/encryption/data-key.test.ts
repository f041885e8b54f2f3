import * as path from 'path';
import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { ProtectedRestApi } from '../../src/api/protected-rest-api';
import { TracedFunction } from '../../src/compute/traced-function';
import { SecureBucket } from '../../src/data/secure-bucket';
import { SecureQueue } from '../../src/data/secure-queue';
import { SecureTable } from '../../src/data/secure-table';
import { SecureTopic } from '../../src/data/secure-topic';
import { DataKey, KeyConsumer } from '../../src/encryption/data-key';
import { InvokeFunctionTask } from '../../src/workflow/invoke-function-task';
import { SecureEventRule } from '../../src/workflow/secure-event-rule';
import { TracedStateMachine } from '../../src/workflow/traced-state-machine';
import { stackIn, testApp } from '../support/fintech-fixture';

function keyPolicyStatements(template: Template): any[] {
  const [key] = Object.values(template.findResources('AWS::KMS::Key'));
  return key.Properties.KeyPolicy.Statement;
}

describe('DataKey', () => {
  test('is a customer key with rotation and a stage-named alias', () => {
    const stack = stackIn(testApp(), 'prod');
    const key = new DataKey(stack, 'Ledger', { aliasBase: 'ledger' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ledger-ledger-prod' });
    expect(key.aliasName).toBe('alias/ledger-ledger-prod');
  });

  test('allows a service scoped to this account and the source ARN', () => {
    const stack = stackIn(testApp(), 'prod');
    const key = new DataKey(stack, 'Key');
    key.allowService(KeyConsumer.CLOUDWATCH, { sourceArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*' });
    expect(keyPolicyStatements(Template.fromStack(stack))).toContainEqual({
      Sid: 'AllowCloudwatch',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': '123456789012' },
        ArnLike: { 'aws:SourceArn': 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*' },
      },
    });
  });

  test('allows CloudWatch Logs through its regional principal and the log group encryption context', () => {
    const stack = stackIn(testApp(), 'prod');
    new DataKey(stack, 'Key').allowService(KeyConsumer.LOGS);
    const statement = keyPolicyStatements(Template.fromStack(stack)).find(s => s.Sid === 'AllowLogs');
    expect(statement.Principal).toEqual({ Service: 'logs.eu-west-1.amazonaws.com' });
    expect(statement.Condition).toEqual({
      ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:eu-west-1:123456789012:log-group:*']] } },
    });
  });

  test('allows CloudTrail to generate data keys for the account\'s trails in any region and to describe the key, never to decrypt', () => {
    const stack = stackIn(testApp(), 'prod');
    new DataKey(stack, 'Key').allowService(KeyConsumer.CLOUDTRAIL);
    const trails = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:*:123456789012:trail/*']] };
    expect(keyPolicyStatements(Template.fromStack(stack)).filter(s => s.Principal?.Service === 'cloudtrail.amazonaws.com')).toEqual([
      {
        Sid: 'AllowCloudtrail',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:GenerateDataKey*',
        Resource: '*',
        Condition: { StringLike: { 'kms:EncryptionContext:aws:cloudtrail:arn': trails } },
      },
      {
        Sid: 'AllowCloudtrailDescribe',
        Effect: 'Allow',
        Principal: { Service: 'cloudtrail.amazonaws.com' },
        Action: 'kms:DescribeKey',
        Resource: '*',
        Condition: { ArnLike: { 'aws:SourceArn': trails } },
      },
    ]);
  });

  test('adds each grant once: a source already covered by an earlier one adds nothing', () => {
    const stack = stackIn(testApp(), 'prod');
    const key = new DataKey(stack, 'Key');
    key.allowService(KeyConsumer.EVENTS, { sourceArn: 'arn:aws:events:eu-west-1:123456789012:rule/*' });
    key.allowService(KeyConsumer.EVENTS, { sourceArn: 'arn:aws:events:eu-west-1:123456789012:rule/*' });
    // Covered by the pattern above.
    key.allowService(KeyConsumer.EVENTS, { sourceArn: 'arn:aws:events:eu-west-1:123456789012:rule/payments-prod' });
    // Another region's rules are not: a second statement.
    key.allowService(KeyConsumer.EVENTS, { sourceArn: 'arn:aws:events:eu-central-1:123456789012:rule/x' });
    // The whole account (no source ARN) is not covered by a pattern, and covers every source after it.
    key.allowService(KeyConsumer.EVENTS);
    key.allowService(KeyConsumer.EVENTS, { sourceArn: 'arn:aws:events:eu-west-2:123456789012:rule/y' });
    const statements = keyPolicyStatements(Template.fromStack(stack)).filter(s => s.Principal?.Service === 'events.amazonaws.com');
    expect(statements.map(s => [s.Sid, s.Condition.ArnLike?.['aws:SourceArn']])).toEqual([
      ['AllowEvents', 'arn:aws:events:eu-west-1:123456789012:rule/*'],
      ['AllowEvents2', 'arn:aws:events:eu-central-1:123456789012:rule/x'],
      ['AllowEvents3', undefined],
    ]);
    expect(statements[2].Condition).toEqual({ StringEquals: { 'aws:SourceAccount': '123456789012' } });
  });
});

describe('one DataKey shared by every construct the blueprints combine', () => {
  // Template.fromStack throws on a cycle; CloudFormation would refuse the stack the same way, after synth said PASSED.
  function everythingOnOneKey(stack: Stack, key: DataKey): void {
    const named = new SecureTopic(stack, 'Events', { dataKey: key, nameBase: 'events' });
    const unnamed = new SecureTopic(stack, 'Changes', { dataKey: key });
    const inbound = new SecureQueue(stack, 'Inbound', { dataKey: key, nameBase: 'inbound', visibilityTimeout: Duration.seconds(120) });
    const fanOut = new SecureQueue(stack, 'FanOut', { dataKey: key });
    named.subscribeQueue(inbound);
    unnamed.subscribeQueue(fanOut);
    const entry = path.join(__dirname, '..', 'compute', 'fixtures', 'echo.ts');
    const receiver = new TracedFunction(stack, 'Receiver', { entry, dataKey: key, nameBase: 'receiver', asynchronousInvocation: false });
    const processor = new TracedFunction(stack, 'Processor', { entry, dataKey: key, timeout: Duration.seconds(20) });
    const notifier = new TracedFunction(stack, 'Notifier', { entry, dataKey: key, nameBase: 'notifier' });
    inbound.addConsumer(processor);
    inbound.grantSendMessages(receiver);
    named.grantPublish(receiver);
    const table = new SecureTable(stack, 'Payments', { dataKey: key, nameBase: 'payments', partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, stream: true });
    table.grantWriteData(processor);
    table.addStreamConsumer(notifier);
    new SecureBucket(stack, 'Archive', { dataKey: key, nameBase: 'archive' }).grantWrite(notifier);
    for (const [id, nameBase] of [['NamedRule', 'settled'], ['UnnamedRule', undefined]] as const) {
      const rule = new SecureEventRule(stack, id, { dataKey: key, ...(nameBase ? { nameBase } : {}), eventPattern: { source: ['ledger'] } });
      rule.addQueueTarget(fanOut);
      rule.addTopicTarget(named);
      rule.addTopicTarget(AlertTopic.of(stack));
      rule.addFunctionTarget(notifier);
    }
    const machine = new TracedStateMachine(stack, 'Settlement', {
      dataKey: key,
      definitionBody: sfn.DefinitionBody.fromChainable(new InvokeFunctionTask(stack, 'Settle', { lambdaFunction: processor })),
    });
    new SecureEventRule(stack, 'Nightly', { dataKey: key, schedule: events.Schedule.rate(Duration.days(1)) }).addStateMachineTarget(machine);
    const api = new ProtectedRestApi(stack, 'Api', { dataKey: key, nameBase: 'webhooks', description: 'webhooks' });
    api.root.addMethod('POST', new apigateway.LambdaIntegration(receiver));
  }

  test.each(['dev', 'prod'] as const)('%s: no dependency cycle, and every producer is let through the key', stageName => {
    const stack = stackIn(testApp(), stageName);
    const key = new DataKey(stack, 'StageKey', { aliasBase: 'stage' });
    everythingOnOneKey(stack, key);
    const template = Template.fromStack(stack);
    const [, shared] = Object.entries(template.findResources('AWS::KMS::Key')).find(([id]) => id === stack.getLogicalId(key.key.node.defaultChild as CfnResource))!;
    const services = shared.Properties.KeyPolicy.Statement.map((s: any) => s.Principal?.Service).filter(Boolean);
    expect(new Set(services)).toEqual(new Set(['sns.amazonaws.com', 'events.amazonaws.com', `logs.${stack.region}.amazonaws.com`]));
    // No statement of the key's policy refers to a resource of the stack: that is how a key joins a cycle.
    const policy = JSON.stringify(shared.Properties.KeyPolicy);
    const referenced = [...policy.matchAll(/"Ref":"([^"]+)"|"Fn::GetAtt":\["([^"]+)"/g)].map(m => m[1] ?? m[2]);
    expect(referenced.filter(id => !id.startsWith('AWS::'))).toEqual([]);
  });
});
