import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as events from 'aws-cdk-lib/aws-events';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { SecureQueue } from '../../src/data/secure-queue';
import { DataKey } from '../../src/encryption/data-key';
import { EventBusRuleProps, SecureEventBus, SecureEventBusProps } from '../../src/workflow/secure-event-bus';
import { SecureEventRule } from '../../src/workflow/secure-event-rule';
import { TracedStateMachine } from '../../src/workflow/traced-state-machine';
import { stackIn, synthReport, testApp } from '../support/fintech-fixture';

const tradeBooked = { source: ['trading.booking'], detailType: ['TradeBooked'] };

function bus(stack: Stack, props: SecureEventBusProps = {}): SecureEventBus {
  return new SecureEventBus(stack, 'Trades', props);
}

function ruleProps(props: Partial<EventBusRuleProps> = {}): EventBusRuleProps {
  return { description: 'Booked trades start the settlement workflow', eventPattern: tradeBooked, ...props };
}

// The key policy statements of the key whose logical id starts with `prefix` that name EventBridge.
function eventsStatements(template: Template, prefix: string): any[] {
  const keys = Object.entries(template.findResources('AWS::KMS::Key')).filter(([id]) => id.startsWith(prefix));
  expect(keys).toHaveLength(1);
  return keys[0][1].Properties.KeyPolicy.Statement.filter((s: any) => s.Principal?.Service === 'events.amazonaws.com');
}

function busArnOf(name: string): object {
  return { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:events:eu-west-1:123456789012:event-bus/${name}`]] };
}

function archiveOf(template: Template): any {
  const archives = Object.values(template.findResources('AWS::Events::Archive'));
  expect(archives).toHaveLength(1);
  return archives[0].Properties;
}

describe('SecureEventBus', () => {
  test('encrypts the bus with its DataKey, which lets EventBridge use it for this bus only (the statement CDK adds)', () => {
    const stack = stackIn(testApp(), 'prod');
    const b = bus(stack, { nameBase: 'trades' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::EventBus', { Name: 'ledger-trades-prod', KmsKeyIdentifier: stack.resolve(b.dataKey.key.keyArn) });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/ledger-trades-bus-prod' });
    expect(eventsStatements(template, 'TradesKey')).toContainEqual({
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      Resource: '*',
      Condition: {
        StringEquals: {
          'aws:SourceAccount': '123456789012',
          'aws:SourceArn': busArnOf('ledger-trades-prod'),
          'kms:EncryptionContext:aws:events:event-bus:arn': busArnOf('ledger-trades-prod'),
        },
      },
    });
    expect(b).toBeInstanceOf(events.EventBus);
  });

  test('a given DataKey encrypts the bus and the archive; no other key is made for them', () => {
    const stack = stackIn(testApp(), 'dev');
    const key = new DataKey(stack, 'TradeData', { aliasBase: 'trade-data' });
    const b = bus(stack, { dataKey: key });
    expect(b.dataKey).toBe(key);
    const template = Template.fromStack(stack);
    const keyArn = stack.resolve(key.key.keyArn);
    template.hasResourceProperties('AWS::Events::EventBus', { KmsKeyIdentifier: keyArn });
    expect(archiveOf(template).KmsKeyIdentifier).toEqual(keyArn);
    // Besides the given key, only the dead-letter queue's own key (and the stage's alert topic key).
    const keys = Object.keys(template.findResources('AWS::KMS::Key')).filter(id => id.startsWith('Trades'));
    expect(keys).toHaveLength(1);
    expect(keys[0]).toMatch(/^TradesDeadLettersKey/);
  });

  test('events the bus cannot process go to its own dead-letter queue, on a key of its own, open to this bus only, with an alarm', () => {
    const stack = stackIn(testApp(), 'prod');
    const b = bus(stack, { nameBase: 'trades' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Events::EventBus', { DeadLetterConfig: { Arn: stack.resolve(b.deadLetterQueue.queueArn) } });
    template.hasResourceProperties('AWS::SQS::Queue', { QueueName: 'ledger-trades-bus-dlq-prod', KmsMasterKeyId: stack.resolve(b.deadLetterQueue.dataKey.key.keyArn) });
    // Not the bus's key: the bus dead-letters exactly when its key is disabled or closed to EventBridge.
    expect(b.deadLetterQueue.dataKey).not.toBe(b.dataKey);
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      Queues: [stack.resolve(b.deadLetterQueue.queueUrl)],
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: 'sqs:SendMessage',
          Condition: { ArnEquals: { 'aws:SourceArn': stack.resolve(b.eventBusArn) } },
        })]),
      },
    });
    expect(eventsStatements(template, 'TradesDeadLettersKey')).toEqual([expect.objectContaining({
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Condition: { StringEquals: { 'aws:SourceAccount': '123456789012' }, ArnLike: { 'aws:SourceArn': busArnOf('ledger-trades-prod') } },
    })]);
    expect(b.alarms).toHaveLength(1);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: stack.resolve(b.deadLetterQueue.queueName) }],
    });
  });

  test('monitoring: false drops the dead-letter alarm', () => {
    const stack = stackIn(testApp(), 'dev');
    const b = bus(stack, { monitoring: { enabled: false } });
    expect(b.alarms).toEqual([]);
    Template.fromStack(stack).resourceCountIs('AWS::CloudWatch::Alarm', 0);
  });

  test('the description is given or names the construct', () => {
    const given = stackIn(testApp(), 'dev');
    bus(given, { description: 'Trades booked, amended and cancelled' });
    Template.fromStack(given).hasResourceProperties('AWS::Events::EventBus', { Description: 'Trades booked, amended and cancelled' });
    const defaulted = stackIn(testApp(), 'dev');
    bus(defaulted);
    Template.fromStack(defaulted).hasResourceProperties('AWS::Events::EventBus', { Description: 'Events of dev/Workload/Trades' });
  });

  test('without nameBase, the bus name is generated, and key policies name it without a reference (no dependency cycle)', () => {
    const stack = stackIn(testApp(), 'dev');
    bus(stack);
    const template = Template.fromStack(stack);
    const [busResource] = Object.values(template.findResources('AWS::Events::EventBus'));
    const name = busResource.Properties.Name;
    expect(typeof name).toBe('string');
    for (const prefix of ['TradesKey', 'TradesDeadLettersKey']) {
      const policy = JSON.stringify(eventsStatements(template, prefix));
      expect(policy).toContain(`:event-bus/${name}`);
      expect(policy).not.toContain('Fn::GetAtt');
      expect(policy).not.toContain('"Ref":"Trades');
    }
  });

  describe('archive', () => {
    test('keeps the account\'s events of the bus, encrypted with the bus\'s key, a year in a durable stage', () => {
      const stack = stackIn(testApp(), 'prod');
      const b = bus(stack, { nameBase: 'trades' });
      const template = Template.fromStack(stack);
      expect(archiveOf(template)).toMatchObject({
        SourceArn: stack.resolve(b.eventBusArn),
        EventPattern: { account: ['123456789012'] },
        RetentionDays: 365,
        KmsKeyIdentifier: stack.resolve(b.dataKey.key.keyArn),
      });
      expect(b.eventArchive).toBeInstanceOf(events.Archive);
      // The archive's statements, by the bus's name: CDK's own would reference the bus, which references the key.
      expect(eventsStatements(template, 'TradesKey')).toEqual(expect.arrayContaining([
        {
          Sid: 'AllowEventsArchive',
          Effect: 'Allow',
          Principal: { Service: 'events.amazonaws.com' },
          Action: ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:ReEncrypt*'],
          Resource: '*',
          Condition: { StringEquals: { 'kms:EncryptionContext:aws:events:event-bus:arn': busArnOf('ledger-trades-prod') } },
        },
        { Sid: 'AllowEventsDescribeKey', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'kms:DescribeKey', Resource: '*' },
      ]));
    });

    test('a week in an ephemeral stage', () => {
      const stack = stackIn(testApp(), 'dev');
      bus(stack);
      expect(archiveOf(Template.fromStack(stack)).RetentionDays).toBe(7);
    });

    test('is retained with the stack in a durable stage, like the key, and deleted with an ephemeral one', () => {
      const prod = stackIn(testApp(), 'prod');
      bus(prod);
      Template.fromStack(prod).hasResource('AWS::Events::Archive', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      const dev = stackIn(testApp(), 'dev');
      bus(dev);
      const [archive] = Object.values(Template.fromStack(dev).findResources('AWS::Events::Archive'));
      expect(archive.DeletionPolicy ?? 'Delete').toBe('Delete');
    });

    test('archiveRetention overrides the stage default', () => {
      const stack = stackIn(testApp(), 'dev');
      bus(stack, { archiveRetention: Duration.days(30) });
      expect(archiveOf(Template.fromStack(stack)).RetentionDays).toBe(30);
    });

    test('archive: false leaves it out, and the archive statements of the key with it', () => {
      const stack = stackIn(testApp(), 'prod');
      const b = bus(stack, { archive: false });
      expect(b.eventArchive).toBeUndefined();
      const template = Template.fromStack(stack);
      template.resourceCountIs('AWS::Events::Archive', 0);
      expect(eventsStatements(template, 'TradesKey').map(s => s.Sid)).toEqual([undefined]);
    });

    test('archive() adds another archive, encrypted with the bus\'s key and bounded like the first unless told otherwise', () => {
      const stack = stackIn(testApp(), 'prod');
      const b = bus(stack, { archive: false });
      b.archive('Cancelled', { eventPattern: { detailType: ['TradeCancelled'] } });
      b.archive('Amended', { eventPattern: { detailType: ['TradeAmended'] }, kmsKey: b.dataKey.key });
      const other = new DataKey(stack, 'AuditKey', { aliasBase: 'audit' });
      b.archive('Audit', { eventPattern: { source: ['trading.audit'] }, kmsKey: other.key, retention: Duration.days(3650), description: 'Audit copy' });
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Events::Archive', {
        EventPattern: { 'detail-type': ['TradeCancelled'] },
        RetentionDays: 365,
        KmsKeyIdentifier: stack.resolve(b.dataKey.key.keyArn),
      });
      template.hasResourceProperties('AWS::Events::Archive', { Description: 'Audit copy', RetentionDays: 3650, KmsKeyIdentifier: stack.resolve(other.key.keyArn) });
      template.hasResourceProperties('AWS::Events::Archive', { EventPattern: { 'detail-type': ['TradeAmended'] }, KmsKeyIdentifier: stack.resolve(b.dataKey.key.keyArn) });
      // Two archives on the bus's key, its statements once.
      expect(eventsStatements(template, 'TradesKey').map(s => s.Sid)).toEqual([undefined, 'AllowEventsArchive', 'AllowEventsDescribeKey']);
      expect(() => b.archive('Hourly', { eventPattern: { source: ['x'] }, retention: Duration.hours(1) }))
        .toThrow(/^SecureEventBus at prod\/Workload\/Trades: archive\("Hourly"\) retention 1 hour is not what EventBridge allows; use whole days/);
    });

    test('outside a FintechStage, follows FintechStage.settingsOf: durable by default, ephemeral by context', () => {
      const plain = new Stack(testApp(), 'Plain');
      bus(plain);
      expect(archiveOf(Template.fromStack(plain)).RetentionDays).toBe(365);

      const app = new App({ context: { 'fintech:stage': 'sandbox', 'fintech:durable': 'false' } });
      const sandbox = new Stack(app, 'Sandbox');
      bus(sandbox, { nameBase: 'trades' });
      const template = Template.fromStack(sandbox);
      expect(archiveOf(template).RetentionDays).toBe(7);
      template.hasResourceProperties('AWS::Events::EventBus', { Name: 'trades-sandbox' });
    });
  });

  describe('addRule', () => {
    test('makes a SecureEventRule on this bus, with its description; targets get retries and the rule\'s dead-letter queue', () => {
      const stack = stackIn(testApp(), 'dev');
      const b = bus(stack);
      const r = b.addRule('Booked', ruleProps({ nameBase: 'trade-booked', retryAttempts: 3 }));
      expect(r).toBeInstanceOf(SecureEventRule);
      const queue = new SecureQueue(stack, 'Settlements');
      r.addQueueTarget(queue);
      const template = Template.fromStack(stack);
      template.hasResourceProperties('AWS::Events::Rule', {
        Name: 'ledger-trade-booked-dev',
        EventBusName: stack.resolve(b.eventBusName),
        Description: 'Booked trades start the settlement workflow',
        EventPattern: { 'source': ['trading.booking'], 'detail-type': ['TradeBooked'] },
        Targets: [Match.objectLike({
          Arn: stack.resolve(queue.queueArn),
          RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: stack.resolve(r.deadLetterQueue!.queueArn) },
        })],
      });
      // The queue's key lets EventBridge in for this rule of this bus.
      const policy = JSON.stringify(eventsStatements(template, 'SettlementsKey'));
      expect(policy).toContain(':rule/');
      expect(policy).toContain(JSON.stringify(stack.resolve(b.eventBusName)));
    });

    test('a state machine target starts executions with retries and the rule\'s dead-letter queue', () => {
      const stack = stackIn(testApp(), 'dev');
      const r = bus(stack).addRule('Booked', ruleProps());
      const machine = new TracedStateMachine(stack, 'Settle', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')) });
      r.addStateMachineTarget(machine);
      Template.fromStack(stack).hasResourceProperties('AWS::Events::Rule', {
        Targets: [Match.objectLike({
          Arn: stack.resolve(machine.stateMachineArn),
          RoleArn: Match.anyValue(),
          RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
          DeadLetterConfig: { Arn: stack.resolve(r.deadLetterQueue!.queueArn) },
        })],
      });
    });

    test('without a description, fails with the path and an example', () => {
      const stack = stackIn(testApp(), 'dev');
      const b = bus(stack);
      expect(() => b.addRule('Booked', { eventPattern: tradeBooked } as EventBusRuleProps))
        .toThrow('SecureEventBus at dev/Workload/Trades: addRule("Booked"): description is missing; say what the rule does and for whom, ' +
          'e.g. \'Trades from the booking system start the settlement workflow\'.');
      expect(() => b.addRule('Blank', ruleProps({ description: '  ' })))
        .toThrow('SecureEventBus at dev/Workload/Trades: addRule("Blank"): description is empty; say what it carries or does, or drop it for the default.');
      expect(() => b.addRule('Long', ruleProps({ description: 'x'.repeat(513) })))
        .toThrow('SecureEventBus at dev/Workload/Trades: addRule("Long"): description is 513 characters, more than the 512 EventBridge allows; shorten it.');
      expect(() => b.addRule('Unmatched', { description: 'd' } as EventBusRuleProps))
        .toThrow(/addRule\("Unmatched"\): eventPattern is missing; give the events of the bus the rule matches/);
      expect(() => b.addRule('Hourly', { ...ruleProps(), schedule: events.Schedule.rate(Duration.hours(1)) } as EventBusRuleProps))
        .toThrow('SecureEventBus at dev/Workload/Trades: addRule("Hourly"): schedule is given, but EventBridge runs scheduled rules on the default bus only; ' +
          'use new SecureEventRule(scope, id, { schedule }) without eventBus, or EventBridge Scheduler.');
      expect(b.addRule('AtTheLimit', ruleProps({ description: 'x'.repeat(512) }))).toBeInstanceOf(SecureEventRule);
    });

    test('passes the rule\'s own checks through (retry bounds)', () => {
      const stack = stackIn(testApp(), 'dev');
      expect(() => bus(stack).addRule('Booked', ruleProps({ retryAttempts: 186 })))
        .toThrow('SecureEventRule at dev/Workload/Trades/Booked: retryAttempts 186 is not what EventBridge allows; use a whole number from 0 to 185, or drop it for the default 10.');
    });
  });

  test('a bus with a rule, a queue target and a state machine target passes the rule pack in both kinds of stage', () => {
    const app = testApp();
    for (const stageName of ['dev', 'prod'] as const) {
      const stack = stackIn(app, stageName);
      const b = bus(stack, { nameBase: 'trades', description: 'Trades booked by the front office' });
      const booked = b.addRule('Booked', ruleProps({ nameBase: 'trade-booked' }));
      booked.addQueueTarget(new SecureQueue(stack, 'Settlements', { nameBase: 'settlements' }));
      booked.addStateMachineTarget(new TracedStateMachine(stack, 'Settle', {
        nameBase: 'settle',
        definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')),
      }));
      b.addRule('Unnamed', ruleProps({ description: 'Every trade, for the audit copy' })).addQueueTarget(new SecureQueue(stack, 'Audit'));
    }
    const { violations } = synthReport(app);
    // The bus's own dead-letter queue counts as one (its DeadLetterConfig), so the queue needs no DLQ of its own.
    expect(violations.map(v => `${v.severity} ${v.ruleName} ${v.constructPath}`)).toEqual([]);
  });

  describe('bad input fails with the construct path and the fix', () => {
    test.each([Duration.hours(36), Duration.hours(12), Duration.days(0), Duration.minutes(90)])('archiveRetention %p', archiveRetention => {
      expect(() => bus(stackIn(testApp(), 'dev'), { archiveRetention }))
        .toThrow(/^SecureEventBus at dev\/Workload\/Trades: archiveRetention .* is not what EventBridge allows; use whole days, at least Duration.days\(1\) .*or drop it for the stage default.$/);
    });

    test('archiveRetention with archive: false', () => {
      expect(() => bus(stackIn(testApp(), 'dev'), { archive: false, archiveRetention: Duration.days(30) }))
        .toThrow('SecureEventBus at dev/Workload/Trades: archiveRetention is given with archive: false, so nothing would be kept; drop archiveRetention, or drop archive: false.');
    });

    test('a description over 512 characters, or blank', () => {
      expect(() => bus(stackIn(testApp(), 'dev'), { description: 'd'.repeat(600) }))
        .toThrow('SecureEventBus at dev/Workload/Trades: description is 600 characters, more than the 512 EventBridge allows; shorten it.');
      expect(() => bus(stackIn(testApp(), 'dev'), { description: '' }))
        .toThrow('SecureEventBus at dev/Workload/Trades: description is empty; say what it carries or does, or drop it for the default.');
    });

    test('a nameBase PhysicalName cannot use', () => {
      expect(() => bus(stackIn(testApp(), 'dev'), { nameBase: 'Trades Bus' })).toThrow('PhysicalName at dev/Workload: base "Trades Bus" is not valid for generic names; use lowercase letters, digits and hyphens, ' +
        'starting and ending with a letter or digit, e.g. "trades-bus".');
    });
  });
});
