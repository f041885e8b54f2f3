import { App, Duration, Fn, NestedStack, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as cwActions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { SecureQueue } from '../../../src/data/secure-queue';
import { SecureTopic } from '../../../src/data/secure-topic';
import { DataKey, KeyConsumer } from '../../../src/encryption/data-key';
import { ProducerKeyAccess } from '../../../src/rules/kms/producer-key-access';
import { testApp } from '../../support/fintech-fixture';
import { findingsOf, lines, shop, validateWithAndWithoutScope } from '../rule-harness';
import { keyWith, staged } from './key-harness';

const C05 = ProducerKeyAccess.INFO.id;

function c05(app: App) {
  return findingsOf(app, [C05]);
}


function alarm(stack: Stack, id: string) {
  return new cloudwatch.Alarm(stack, id, {
    metric: new cloudwatch.Metric({ namespace: 'Ledger', metricName: 'Failures', period: Duration.minutes(1) }), threshold: 1, evaluationPeriods: 1,
  });
}


describe('Fintech-C05-ProducerWithoutKeyAccess', () => {
  test('an encrypted event bus\'s key statement (scoped to the bus\'s context) does not let EventBridge write its rule\'s dead-letter queue on that key', () => {
    const { app, stack } = shop();
    const key = new kms.Key(stack, 'Key', { enableKeyRotation: true });
    const bus = new events.EventBus(stack, 'Payments', { kmsKey: key });
    const onBusKey = new sqs.Queue(stack, 'OnBusKey', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: key });
    const ownKey = new kms.Key(stack, 'DlqKey', { enableKeyRotation: true });
    ownKey.grant(new iam.ServicePrincipal('events.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey*');
    const onOwnKey = new sqs.Queue(stack, 'OnOwnKey', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: ownKey });
    const target = new sqs.Queue(stack, 'Target');
    for (const [id, deadLetterQueue] of [['First', onBusKey], ['Second', onOwnKey]] as const) {
      new events.Rule(stack, id, { eventBus: bus, eventPattern: { source: ['payments'] }, targets: [new targets.SqsQueue(target, { deadLetterQueue })] });
    }
    expect(lines(c05(app))).toEqual([`${C05} Shop/OnBusKey/Resource`]);
  });

  test('fails an L2 alarm publishing to a topic whose key does not allow CloudWatch, and passes a SecureTopic that allows it', () => {
    const { app, stack } = staged();
    const topic = new sns.Topic(stack, 'Alerts', { masterKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
    alarm(stack, 'Failures').addAlarmAction(new cwActions.SnsAction(topic));
    const secure = new SecureTopic(stack, 'Secure');
    secure.allowPublisher(KeyConsumer.CLOUDWATCH);
    alarm(stack, 'Watched').addAlarmAction(new cwActions.SnsAction(secure));
    const findings = c05(app);
    expect(lines(findings)).toEqual([`${C05} dev/Workload/Alerts/Resource`]);
    expect(findings[0]).toMatchObject({
      severity: 'error',
      locations: ['Properties/KmsMasterKeyId'],
      message: expect.stringMatching(/^AWS::SNS::Topic Alerts[0-9A-F]{8} is encrypted with AWS::KMS::Key Key[0-9A-F]{8}, whose key policy does not allow cloudwatch\.amazonaws\.com \(AWS::CloudWatch::Alarm Failures[0-9A-F]{8}\) kms:GenerateDataKey\* and kms:Decrypt/),
      fix: expect.stringContaining('Allow cloudwatch.amazonaws.com kms:GenerateDataKey* and kms:Decrypt'),
    });
  });

  test('fails EventBridge targets and dead-letter queues on a key without events, and passes SecureTopic.subscribeQueue', () => {
    const { app, stack } = staged();
    // targets.SqsQueue grants EventBridge on the target queue's key, but not on the dead-letter queue's.
    const queue = new sqs.Queue(stack, 'Queue', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }) });
    const dlq = new sqs.Queue(stack, 'Dlq', { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: new kms.Key(stack, 'DlqKey', { enableKeyRotation: true }) });
    new events.Rule(stack, 'Rule', { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.SqsQueue(queue, { deadLetterQueue: dlq })] });
    const topic = new SecureTopic(stack, 'Topic');
    topic.subscribeQueue(new SecureQueue(stack, 'Subscribed'));
    const findings = c05(app);
    expect(lines(findings)).toEqual([`${C05} dev/Workload/Dlq/Resource`]);
    expect(findings[0].message).toMatch(/does not allow events\.amazonaws\.com \(AWS::Events::Rule Rule[0-9A-F]{8}\)/);
  });

  test('names every service that lacks access in one finding, and passes producers CDK grants itself', () => {
    const { app, stack } = staged();
    const queue = new SecureQueue(stack, 'Inbox');
    new s3.Bucket(stack, 'Uploads').addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(queue));
    alarm(stack, 'Watched').addAlarmAction(new cwActions.SnsAction(new SecureTopic(stack, 'Topic')));
    // A raw subscription and alarm bypass the grants L2 subscriptions make.
    const topic = new sns.Topic(stack, 'Plain', { masterKey: new kms.Key(stack, 'PlainKey', { enableKeyRotation: true }) });
    new sns.CfnSubscription(stack, 'RawSub', { topicArn: 'arn:aws:sns:eu-west-1:123456789012:t', protocol: 'sqs', endpoint: queue.queueArn });
    alarm(stack, 'Raw').addAlarmAction(new cwActions.SnsAction(topic));
    new events.CfnRule(stack, 'RawRule', { scheduleExpression: 'rate(1 hour)', targets: [{ id: 'a', arn: topic.topicArn }] });
    new events.Rule(stack, 'Rule', { schedule: events.Schedule.rate(Duration.hours(1)), targets: [new targets.SqsQueue(queue)] });
    const findings = c05(app);
    expect(lines(findings)).toEqual([`${C05} dev/Workload/Inbox/Resource`, `${C05} dev/Workload/Plain/Resource`, `${C05} dev/Workload/Topic/Resource`]);
    const message = (path: string) => findings.find(f => f.constructPath.startsWith(path))!.message;
    expect(message('dev/Workload/Inbox')).toMatch(/does not allow sns\.amazonaws\.com \(AWS::SNS::Subscription RawSub\) kms:GenerateDataKey\*/);
    expect(message('dev/Workload/Plain')).toMatch(
      /does not allow cloudwatch\.amazonaws\.com \(AWS::CloudWatch::Alarm Raw[0-9A-F]{8}\), events\.amazonaws\.com \(AWS::Events::Rule RawRule\) kms:GenerateDataKey\*/);
    expect(message('dev/Workload/Topic')).toMatch(/does not allow cloudwatch\.amazonaws\.com \(AWS::CloudWatch::Alarm Watched[0-9A-F]{8}\)/);
  });

  test('judges L1 key policies: service as string or list, kms:* and wildcards count, the account root does not', () => {
    const { app, stack } = shop();
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:t';
    const subscribe = (id: string, queue: sqs.CfnQueue) => new sns.CfnSubscription(stack, `${id}Sub`, { topicArn, protocol: 'sqs', endpoint: queue.attrArn });
    const asString = keyWith(stack, 'AsString', { Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: ['kms:GenerateDataKey*', 'kms:Decrypt'], Resource: '*' });
    subscribe('AsString', new sqs.CfnQueue(stack, 'AsStringQueue', { kmsMasterKeyId: asString.attrArn }));
    const asList = keyWith(stack, 'AsList', { Effect: 'Allow', Principal: { Service: ['events.amazonaws.com', 'sns.amazonaws.com'] }, Action: 'kms:*', Resource: '*' });
    subscribe('AsList', new sqs.CfnQueue(stack, 'AsListQueue', { kmsMasterKeyId: asList.ref }));
    const split = keyWith(stack, 'Split',
      { Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'kms:GenerateDataKey', Resource: '*' },
      { Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'kms:De?rypt', Resource: '*' });
    subscribe('Split', new sqs.CfnQueue(stack, 'SplitQueue', { kmsMasterKeyId: split.attrArn }));
    const rootOnly = keyWith(stack, 'RootOnly');
    subscribe('RootOnly', new sqs.CfnQueue(stack, 'RootOnlyQueue', { kmsMasterKeyId: rootOnly.attrArn }));
    const halfway = keyWith(stack, 'Halfway', { Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, Action: 'kms:Decrypt', Resource: '*' });
    subscribe('Halfway', new sqs.CfnQueue(stack, 'HalfwayQueue', { kmsMasterKeyId: halfway.attrArn }));
    const denied = keyWith(stack, 'Denied', { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*' });
    subscribe('Denied', new sqs.CfnQueue(stack, 'DeniedQueue', { kmsMasterKeyId: denied.attrArn }));
    const noPolicy = new kms.CfnKey(stack, 'NoPolicy');
    subscribe('NoPolicy', new sqs.CfnQueue(stack, 'NoPolicyQueue', { kmsMasterKeyId: noPolicy.attrArn }));
    const findings = c05(app);
    expect(lines(findings)).toEqual([`${C05} Shop/DeniedQueue`, `${C05} Shop/HalfwayQueue`, `${C05} Shop/NoPolicyQueue`, `${C05} Shop/RootOnlyQueue`]);
    expect(findings.find(f => f.logicalId === 'RootOnlyQueue')?.message)
      .toBe('AWS::SQS::Queue RootOnlyQueue is encrypted with AWS::KMS::Key RootOnly, whose key policy does not allow sns.amazonaws.com (AWS::SNS::Subscription RootOnlySub) kms:GenerateDataKey* and kms:Decrypt, so their deliveries fail.');
  });

  test('a service principal built with the region of a stack without one is another service when its letters cannot spell the producer\'s', () => {
    // A stack without an explicit region writes logs.${AWS::Region}.amazonaws.com: a logs principal in every region, never CloudWatch's.
    const { app, stack } = shop();
    const logsOnly = keyWith(stack, 'LogsOnly', {
      Effect: 'Allow', Principal: { Service: { 'Fn::Join': ['', ['logs.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } }, Action: 'kms:*', Resource: '*',
    });
    const alerts = new sns.CfnTopic(stack, 'Alerts', { kmsMasterKeyId: logsOnly.attrArn });
    alarm(stack, 'Failures').addAlarmAction({ bind: () => ({ alarmActionArn: alerts.ref }) });
    // Built from a pseudo parameter that may complete it, cloudwatch.${AWS::URLSuffix} may be CloudWatch's: not judged.
    const maybe = keyWith(stack, 'Maybe', {
      Effect: 'Allow', Principal: { Service: { 'Fn::Sub': 'cloudwatch.${AWS::URLSuffix}' } }, Action: 'kms:*', Resource: '*',
    });
    const pages = new sns.CfnTopic(stack, 'Pages', { kmsMasterKeyId: maybe.attrArn });
    alarm(stack, 'Latency').addAlarmAction({ bind: () => ({ alarmActionArn: pages.ref }) });
    for (const checks of validateWithAndWithoutScope(app)) {
      const findings = checks.findings.filter(f => f.ruleId === C05);
      expect(lines(findings)).toEqual([`${C05} Shop/Alerts`]);
      expect(findings[0].message).toMatch(/^AWS::SNS::Topic Alerts is encrypted with AWS::KMS::Key LogsOnly, whose key policy does not allow cloudwatch\.amazonaws\.com/);
    }
  });

  test('finds keys through alias resources and alias names, and fails AWS managed keys with a producer', () => {
    const { app, stack } = shop();
    const key = keyWith(stack, 'Key');
    const alias = new kms.CfnAlias(stack, 'Alias', { aliasName: 'alias/ledger-events', targetKeyId: key.ref });
    const byRef = new sqs.CfnQueue(stack, 'ByAliasRef', { kmsMasterKeyId: alias.ref });
    const byName = new sns.CfnTopic(stack, 'ByAliasName', { kmsMasterKeyId: 'alias/ledger-events' });
    const managed = new sqs.CfnQueue(stack, 'Managed', { kmsMasterKeyId: 'alias/aws/sqs' });
    new sqs.CfnQueue(stack, 'ManagedUnused', { kmsMasterKeyId: 'alias/aws/sqs' });
    new events.CfnRule(stack, 'Rule', {
      scheduleExpression: 'rate(1 hour)',
      targets: [{ id: 'a', arn: byRef.attrArn }, { id: 'b', arn: byName.ref }, { id: 'c', arn: managed.attrArn }],
    });
    const findings = c05(app);
    expect(lines(findings)).toEqual([`${C05} Shop/ByAliasName`, `${C05} Shop/ByAliasRef`, `${C05} Shop/Managed`]);
    expect(findings.find(f => f.logicalId === 'Managed')).toMatchObject({
      message: 'AWS::SQS::Queue Managed is encrypted with the AWS managed key "alias/aws/sqs", which no service can be allowed to use, so deliveries by events.amazonaws.com (AWS::Events::Rule Rule) fail.',
      fix: expect.stringContaining('customer key'),
    });
  });

  test('catches an escape hatch that rewrites the key policy of a SecureQueue subscribed to a SecureTopic', () => {
    const { app, stack } = staged();
    const queue = new SecureQueue(stack, 'Queue');
    new SecureTopic(stack, 'Topic').subscribeQueue(queue);
    // Without a KeyPolicy, KMS applies its default policy, which allows only the account.
    (queue.dataKey.key.node.defaultChild as kms.CfnKey).addPropertyDeletionOverride('KeyPolicy');
    expect(lines(c05(app))).toEqual([`${C05} dev/Workload/Queue/Resource`]);
  });

  test('reports nothing on keys it cannot see or policies it cannot read', () => {
    const { app, stack } = shop();
    const subscribe = (id: string, kmsMasterKeyId: string) => {
      const queue = new sqs.CfnQueue(stack, id, { kmsMasterKeyId });
      new sns.CfnSubscription(stack, `${id}Sub`, { topicArn: 'arn:aws:sns:eu-west-1:123456789012:t', protocol: 'sqs', endpoint: queue.attrArn });
    };
    subscribe('Imported', Fn.importValue('KeyArn'));
    subscribe('Literal', 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    subscribe('UnknownAlias', 'alias/someone-elses');
    const intrinsicPolicy = new kms.CfnKey(stack, 'IntrinsicPolicy', { keyPolicy: Fn.conditionIf('C', { Statement: [] }, { Statement: [] }) });
    subscribe('ByIntrinsicPolicy', intrinsicPolicy.attrArn);
    const intrinsicStatement = keyWith(stack, 'IntrinsicStatement', { 'Fn::If': ['C', { Effect: 'Allow' }, { Ref: 'AWS::NoValue' }] });
    subscribe('ByIntrinsicStatement', intrinsicStatement.attrArn);
    const intrinsicService = keyWith(stack, 'IntrinsicService', { Effect: 'Allow', Principal: { Service: [{ 'Fn::Join': ['', ['sns.', { Ref: 'AWS::URLSuffix' }]] }] }, Action: 'kms:*', Resource: '*' });
    subscribe('ByIntrinsicService', intrinsicService.attrArn);
    const notAction = keyWith(stack, 'NotAction', { Effect: 'Allow', Principal: { Service: 'sns.amazonaws.com' }, NotAction: 'kms:ScheduleKeyDeletion', Resource: '*' });
    subscribe('ByNotAction', notAction.attrArn);
    const anyone = keyWith(stack, 'Anyone', { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'kms:*', Resource: '*', Condition: { StringEquals: { 'kms:CallerAccount': '123456789012' } } });
    subscribe('ByAnyone', anyone.attrArn);
    expect(c05(app)).toEqual([]);
  });

  test('does not crash on odd but valid shapes', () => {
    const { app, stack } = shop();
    const odd = new kms.CfnKey(stack, 'Odd');
    odd.addPropertyOverride('KeyPolicy', { Statement: { Effect: 'Allow', Principal: 'not-a-principal-object', Action: 42 } });
    const queue = new sqs.CfnQueue(stack, 'Queue', { kmsMasterKeyId: odd.attrArn });
    new sns.CfnSubscription(stack, 'Sub', { topicArn: 'arn:aws:sns:eu-west-1:123456789012:t', protocol: 'sqs', endpoint: queue.attrArn });
    const notKey = new sqs.CfnQueue(stack, 'NotKey');
    const byQueue = new sqs.CfnQueue(stack, 'ByQueue', { kmsMasterKeyId: notKey.attrArn });
    new sns.CfnSubscription(stack, 'Sub2', { topicArn: 'arn:aws:sns:eu-west-1:123456789012:t', protocol: 'sqs', endpoint: byQueue.attrArn });
    new sns.CfnTopic(stack, 'OddTopic').addPropertyOverride('Subscription', [{ Protocol: 'sqs' }, 42]);
    expect(c05(app)).toEqual([]);
  });

  test('follows deliveries across nested stacks: a nested subscription into a queue of its parent, a parent\'s alarm into a nested topic', () => {
    const { app, stack } = shop();
    const orders = new sqs.Queue(stack, 'Orders', { encryptionMasterKey: new kms.Key(stack, 'OrdersKey', { enableKeyRotation: true }) });
    const allowed = new kms.Key(stack, 'AllowedKey', { enableKeyRotation: true });
    allowed.grant(new iam.ServicePrincipal('sns.amazonaws.com'), 'kms:GenerateDataKey*', 'kms:Decrypt');
    const audit = new sqs.Queue(stack, 'Audit', { encryptionMasterKey: allowed });
    const jobs = new NestedStack(stack, 'Jobs');
    const payments = new sns.Topic(jobs, 'Payments');
    for (const [id, queue] of [['ToOrders', orders], ['ToAudit', audit]] as const) {
      new sns.Subscription(jobs, id, { topic: payments, endpoint: queue.queueArn, protocol: sns.SubscriptionProtocol.SQS });
    }
    const alerts = new sns.Topic(jobs, 'Alerts', { masterKey: new kms.Key(jobs, 'AlertsKey', { enableKeyRotation: true }) });
    alarm(stack, 'Failures').addAlarmAction(new cwActions.SnsAction(alerts));
    const findings = c05(app);
    expect(lines(findings)).toEqual([`${C05} Shop/Jobs/Alerts/Resource`, `${C05} Shop/Orders/Resource`]);
    expect(findings.find(f => f.constructPath === 'Shop/Orders/Resource')!.message).toMatch(/does not allow sns\.amazonaws\.com \(AWS::SNS::Subscription ToOrders[0-9A-F]{8}\)/);
    expect(findings.find(f => f.constructPath === 'Shop/Jobs/Alerts/Resource')!.message).toMatch(/does not allow cloudwatch\.amazonaws\.com \(AWS::CloudWatch::Alarm Failures[0-9A-F]{8}\)/);
  });

  test('follows exports: a subscription of one stack into a queue another stack exports', () => {
    const app = testApp();
    const data = new Stack(app, 'Data');
    const orders = new sqs.Queue(data, 'Orders', { encryptionMasterKey: new kms.Key(data, 'OrdersKey', { enableKeyRotation: true }) });
    const publishing = new Stack(app, 'Publishing');
    new sns.CfnSubscription(publishing, 'ToOrders', { topicArn: new sns.Topic(publishing, 'Payments').topicArn, endpoint: orders.queueArn, protocol: 'sqs' });
    expect(lines(c05(app))).toEqual([`${C05} Data/Orders/Resource`]);
  });

  test('finds a key by an alias name another stack of the same account and region declares', () => {
    const build = (region: string) => {
      const app = testApp();
      const platform = new Stack(app, 'Platform', { env: { account: '123456789012', region: 'eu-west-1' } });
      new kms.Alias(platform, 'PaymentsAlias', { aliasName: 'alias/payments', targetKey: new kms.Key(platform, 'PaymentsKey', { enableKeyRotation: true }) });
      const payments = new Stack(app, 'Payments', { env: { account: '123456789012', region } });
      const inbox = new sqs.Queue(payments, 'Inbox', { encryptionMasterKey: kms.Alias.fromAliasName(payments, 'Key', 'alias/payments'), enforceSSL: true });
      new sns.Subscription(payments, 'ToInbox', { topic: new sns.Topic(payments, 'Settled'), endpoint: inbox.queueArn, protocol: sns.SubscriptionProtocol.SQS });
      return c05(app);
    };
    const findings = build('eu-west-1');
    expect(lines(findings)).toEqual([`${C05} Payments/Inbox/Resource`]);
    expect(findings[0].message).toContain('sns.amazonaws.com');
    // In another region the same name is another alias, outside the app: unknown.
    expect(build('us-east-1')).toEqual([]);
  });

  test('a key statement pinned by aws:SourceArn to one topic does not let SNS deliver for another topic', () => {
    const { app, stack } = shop();
    const key = new kms.Key(stack, 'Key');
    const payments = new sns.Topic(stack, 'Payments');
    const refunds = new sns.Topic(stack, 'Refunds');
    key.addToResourcePolicy(new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
      conditions: { ArnEquals: { 'aws:SourceArn': payments.topicArn } },
    }));
    const subscribe = (id: string, topic: sns.Topic) => new sns.Subscription(stack, id, {
      topic, endpoint: new sqs.Queue(stack, `${id}Queue`, { encryptionMasterKey: key }).queueArn, protocol: sns.SubscriptionProtocol.SQS,
    });
    subscribe('FromPayments', payments);
    subscribe('FromRefunds', refunds);
    const findings = c05(app);
    expect(lines(findings)).toEqual([`${C05} Shop/FromRefundsQueue/Resource`]);
    expect(findings[0].message).toMatch(/does not allow sns\.amazonaws\.com \(AWS::SNS::Subscription FromRefunds\w*\)/);
  });

  describe('roles that send by their identity policies', () => {
    function intake() {
      const { app, stack } = shop();
      const key = new kms.Key(stack, 'Key');
      const queue = new sqs.Queue(stack, 'Webhooks', { encryptionMasterKey: key });
      const role = new iam.Role(stack, 'ApiToQueue', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
      return { app, stack, key, queue, role };
    }
    const send = (queue: sqs.IQueue) => new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] });

    test('fails a role allowed sqs:SendMessage by hand on a queue whose customer key it may not use, and passes the grant method', () => {
      const failing = intake();
      failing.role.addToPolicy(send(failing.queue));
      const [finding] = c05(failing.app);
      expect(lines([finding])).toEqual([`${C05} Shop/Webhooks/Resource`]);
      expect(finding.message).toMatch(/but AWS::IAM::Role ApiToQueue\w+ \(AWS::IAM::Policy ApiToQueueDefaultPolicy\w+ allows sqs:SendMessage\) may not use that key/);
      expect(finding.fix).toContain('queue.grantSendMessages(role)');
      const granted = intake();
      granted.queue.grantSendMessages(granted.role);
      expect(c05(granted.app)).toEqual([]);
    });

    test('passes a key granted apart: on the role, in another policy, by a managed policy of the template, or in the key policy', () => {
      const apart = intake();
      apart.role.addToPolicy(send(apart.queue));
      apart.key.grantEncryptDecrypt(apart.role);
      expect(c05(apart.app)).toEqual([]);
      const otherPolicy = intake();
      otherPolicy.role.addToPolicy(send(otherPolicy.queue));
      new iam.Policy(otherPolicy.stack, 'KeyUse', { roles: [otherPolicy.role], statements: [new iam.PolicyStatement({ actions: ['kms:GenerateDataKey*'], resources: ['*'] })] });
      expect(c05(otherPolicy.app)).toEqual([]);
      const managed = intake();
      managed.role.addToPolicy(send(managed.queue));
      managed.role.addManagedPolicy(new iam.ManagedPolicy(managed.stack, 'KeyUse', {
        statements: [new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [managed.key.keyArn] })],
      }));
      expect(c05(managed.app)).toEqual([]);
      const keyPolicy = intake();
      keyPolicy.role.addToPolicy(send(keyPolicy.queue));
      keyPolicy.key.addToResourcePolicy(new iam.PolicyStatement({ principals: [keyPolicy.role], actions: ['kms:GenerateDataKey'], resources: ['*'] }));
      expect(c05(keyPolicy.app)).toEqual([]);
    });

    test('a grant on another key does not count, and a key policy that does not delegate to the account needs the role named', () => {
      const other = intake();
      other.role.addToPolicy(send(other.queue));
      new kms.Key(other.stack, 'OtherKey').grantEncryptDecrypt(other.role);
      expect(lines(c05(other.app))).toEqual([`${C05} Shop/Webhooks/Resource`]);
      const { app, stack } = shop();
      const key = new kms.CfnKey(stack, 'Key', { keyPolicy: { Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/admin' }, Action: 'kms:*', Resource: '*' }] } });
      const queue = new sqs.CfnQueue(stack, 'Queue', { kmsMasterKeyId: key.ref });
      new iam.CfnRole(stack, 'Sender', {
        assumeRolePolicyDocument: { Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }] },
        policies: [{
          policyName: 'send',
          policyDocument: {
            Statement: [
              { Effect: 'Allow', Action: 'sqs:SendMessage', Resource: queue.attrArn },
              { Effect: 'Allow', Action: 'kms:*', Resource: '*' },
            ],
          },
        }],
      });
      expect(c05(app).map(f => f.message)).toEqual([expect.stringMatching(/AWS::IAM::Role Sender \(its inline policy allows sqs:SendMessage\)/)]);
    });

    test('judges topics (sns:Publish) and roles in another stack; leaves AWS managed keys and roles whose other grants it cannot read', () => {
      const { app, stack } = shop();
      const key = new kms.Key(stack, 'Key');
      const topic = new sns.Topic(stack, 'Alerts', { masterKey: key });
      const publisher = new iam.Role(new Stack(app, 'Publishers'), 'Publisher', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
      publisher.addToPolicy(new iam.PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
      expect(c05(app).map(f => f.message)).toEqual([expect.stringMatching(/AWS::IAM::Role Publisher\w+ \(in Publishers\) .*every sns:Publish by it fails/)]);

      const managedKey = intake();
      const awsManaged = new sqs.Queue(managedKey.stack, 'Managed', { encryption: sqs.QueueEncryption.KMS_MANAGED });
      managedKey.role.addToPolicy(send(awsManaged));
      expect(c05(managedKey.app)).toEqual([]);

      const admin = intake();
      admin.role.addToPolicy(send(admin.queue));
      admin.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('AdministratorAccess'));
      expect(c05(admin.app)).toEqual([]);
      const basic = intake();
      basic.role.addToPolicy(send(basic.queue));
      basic.role.addManagedPolicy(iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'));
      expect(lines(c05(basic.app))).toEqual([`${C05} Shop/Webhooks/Resource`]);

      const imported = intake();
      imported.role.addToPolicy(send(imported.queue));
      new iam.Policy(imported.stack, 'OnImported', {
        roles: [iam.Role.fromRoleName(imported.stack, 'Legacy', 'legacy-role')],
        statements: [new iam.PolicyStatement({ actions: ['kms:Decrypt'], resources: ['*'] })],
      });
      expect(c05(imported.app)).toEqual([]);
    });

    test('fails a function\'s deadLetterQueue on a customer key (CDK grants the role sqs:SendMessage only, aws/aws-cdk#33153) until the key is granted', () => {
      for (const granted of [false, true]) {
        const { app, stack, key, queue } = intake();
        const fn = new lambda.Function(stack, 'Settle', {
          runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('x'), deadLetterQueue: queue,
        });
        if (granted) key.grantEncryptDecrypt(fn);
        expect(lines(c05(app))).toEqual(granted ? [] : [`${C05} Shop/Webhooks/Resource`]);
      }
    });

    test('fails a workflow\'s SnsPublish task to a topic on a customer key (CDK grants sns:Publish only, aws/aws-cdk#32303) until the key is granted', () => {
      for (const granted of [false, true]) {
        const { app, stack, key } = intake();
        const topic = new sns.Topic(stack, 'Settled', { masterKey: key });
        const machine = new sfn.StateMachine(stack, 'Settle', {
          definitionBody: sfn.DefinitionBody.fromChainable(new tasks.SnsPublish(stack, 'Announce', { topic, message: sfn.TaskInput.fromText('settled') })),
        });
        if (granted) key.grantEncryptDecrypt(machine);
        expect(lines(c05(app))).toEqual(granted ? [] : [`${C05} Shop/Settled/Resource`]);
      }
    });

    test('judges roles putting records into a Kinesis stream on a customer key, and leaves streams on the AWS managed key', () => {
      for (const [encryption, grant, expected] of [
        [kinesis.StreamEncryption.KMS, false, [`${C05} Shop/Trades/Resource`]],
        [kinesis.StreamEncryption.KMS, true, []],
        [kinesis.StreamEncryption.MANAGED, false, []],
      ] as const) {
        const { app, stack, key } = intake();
        const trades = new kinesis.Stream(stack, 'Trades', encryption === kinesis.StreamEncryption.KMS ? { encryption, encryptionKey: key } : { encryption });
        const producer = new iam.Role(stack, 'Producer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
        if (grant) trades.grantWrite(producer);
        else producer.addToPolicy(new iam.PolicyStatement({ actions: ['kinesis:PutRecord', 'kinesis:PutRecords'], resources: [trades.streamArn] }));
        const found = c05(app);
        expect(lines(found)).toEqual(expected);
        if (expected.length > 0) expect(found[0].message).toMatch(/every kinesis:PutRecord by it fails/);
      }
    });

    test('judges roles putting objects into a bucket whose default encryption is a customer key, and leaves SSE-S3 and aws/s3 buckets', () => {
      for (const [encryption, grant, expected] of [
        [s3.BucketEncryption.KMS, false, [`${C05} Shop/Reports/Resource`]],
        [s3.BucketEncryption.KMS, true, []],
        [s3.BucketEncryption.KMS_MANAGED, false, []],
        [s3.BucketEncryption.S3_MANAGED, false, []],
      ] as const) {
        const { app, stack, key } = intake();
        const reports = new s3.Bucket(stack, 'Reports', encryption === s3.BucketEncryption.KMS ? { encryption, encryptionKey: key } : { encryption });
        const writer = new iam.Role(stack, 'Writer', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
        if (grant) reports.grantPut(writer);
        else writer.addToPolicy(new iam.PolicyStatement({ actions: ['s3:PutObject'], resources: [reports.arnForObjects('daily/*')] }));
        const found = c05(app);
        expect([encryption, grant, lines(found)]).toEqual([encryption, grant, expected]);
        if (expected.length > 0) expect(found[0].message).toMatch(/every s3:PutObject by it fails with AccessDenied\.$/);
      }
    });

    test('fails a workflow whose Athena task writes results into a bucket on a customer key until the workflow may use the key', () => {
      for (const granted of [false, true]) {
        const { app, stack, key } = intake();
        const reports = new s3.Bucket(stack, 'Reports', { encryption: s3.BucketEncryption.KMS, encryptionKey: key });
        const machine = new sfn.StateMachine(stack, 'Report', {
          definitionBody: sfn.DefinitionBody.fromChainable(new tasks.AthenaStartQueryExecution(stack, 'Query', {
            queryString: 'SELECT 1', resultConfiguration: { outputLocation: { bucketName: reports.bucketName, objectKey: 'athena' } },
          })),
        });
        if (granted) key.grantEncryptDecrypt(machine);
        expect(lines(c05(app))).toEqual(granted ? [] : [`${C05} Shop/Reports/Resource`]);
      }
    });

    test('follows a role of a nested stack sending into its parent\'s queue', () => {
      const { app, stack, queue } = intake();
      const nested = new NestedStack(stack, 'Workers');
      new iam.Role(nested, 'Worker', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') }).addToPolicy(send(queue));
      expect(lines(c05(app))).toEqual([`${C05} Shop/Webhooks/Resource`]);
    });
  });

  describe('logs services writing into a bucket under its default key', () => {
    /** A bucket whose default encryption is a new customer key; with `logDelivery` the key lets delivery.logs.amazonaws.com use it, as the VPC guide shows. */
    function logBucket(scope: Construct, id: string, logDelivery = false): s3.Bucket {
      const key = new kms.Key(scope, `${id}Key`, { enableKeyRotation: true });
      if (logDelivery) {
        key.addToResourcePolicy(new iam.PolicyStatement({
          principals: [new iam.ServicePrincipal('delivery.logs.amazonaws.com')],
          actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
          resources: ['*'],
          conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(scope).account }, ArnLike: { 'aws:SourceArn': `arn:aws:logs:eu-west-1:${Stack.of(scope).account}:*` } },
        }));
      }
      return new s3.Bucket(scope, id, { encryptionKey: key, enforceSSL: true });
    }

    test('fails VPC flow logs into a bucket whose key does not allow delivery.logs (toS3 grants the bucket, not its key), and passes the guide\'s statement', () => {
      const { app, stack } = shop();
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 1, natGateways: 0, subnetConfiguration: [{ name: 'db', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      vpc.addFlowLog('Denied', { destination: ec2.FlowLogDestination.toS3(logBucket(stack, 'DeniedLogs'), 'flow/') });
      vpc.addFlowLog('Allowed', { destination: ec2.FlowLogDestination.toS3(logBucket(stack, 'AllowedLogs', true)) });
      vpc.addFlowLog('S3Managed', { destination: ec2.FlowLogDestination.toS3(new s3.Bucket(stack, 'ManagedLogs', { encryption: s3.BucketEncryption.S3_MANAGED })) });
      vpc.addFlowLog('AwsManaged', { destination: ec2.FlowLogDestination.toS3(new s3.Bucket(stack, 'AwsManagedLogs', { encryption: s3.BucketEncryption.KMS_MANAGED })) });
      const findings = c05(app);
      expect(lines(findings)).toEqual([`${C05} Shop/DeniedLogs/Resource`]);
      expect(findings[0]).toMatchObject({
        locations: ['Properties/BucketEncryption'],
        message: expect.stringMatching(/whose key policy does not allow delivery\.logs\.amazonaws\.com \(AWS::EC2::FlowLog VpcDeniedFlowLog\w*\) kms:GenerateDataKey\*, so their deliveries fail\.$/),
        fix: expect.stringContaining('S3-managed encryption'),
      });
    });

    test('judges WAF logging configurations and Network Load Balancer access logs; leaves Application Load Balancers and disabled access logs', () => {
      const { app, stack } = staged();
      new wafv2.CfnLoggingConfiguration(stack, 'WafLogging', {
        resourceArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/payments/1234', logDestinationConfigs: [logBucket(stack, 'WafLogs').bucketArn],
      });
      const vpc = new ec2.Vpc(stack, 'Vpc', { maxAzs: 2, natGateways: 0, subnetConfiguration: [{ name: 'app', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
      const network = new elbv2.NetworkLoadBalancer(stack, 'Network', { vpc });
      network.logAccessLogs(logBucket(stack, 'NetworkLogs'));
      const quiet = new elbv2.NetworkLoadBalancer(stack, 'Quiet', { vpc });
      quiet.setAttribute('access_logs.s3.bucket', logBucket(stack, 'QuietLogs').bucketName);
      quiet.setAttribute('access_logs.s3.enabled', 'false');
      const application = new elbv2.CfnLoadBalancer(stack, 'Application', {
        type: 'application',
        subnets: vpc.isolatedSubnets.map(subnet => subnet.subnetId),
        loadBalancerAttributes: [{ key: 'access_logs.s3.enabled', value: 'true' }, { key: 'access_logs.s3.bucket', value: logBucket(stack, 'ApplicationLogs').bucketName }],
      });
      void application;
      expect(lines(c05(app))).toEqual([`${C05} dev/Workload/NetworkLogs/Resource`, `${C05} dev/Workload/WafLogs/Resource`]);
    });

    test('fails server access logs written by hand into a bucket whose key does not allow logging.s3, and passes serverAccessLogsBucket, which grants it', () => {
      const { app, stack } = shop();
      new s3.CfnBucket(stack, 'Statements', { loggingConfiguration: { destinationBucketName: logBucket(stack, 'RawAccessLogs').bucketName, logFilePrefix: 'statements/' } });
      new s3.Bucket(stack, 'Receipts', { serverAccessLogsBucket: logBucket(stack, 'GrantedAccessLogs'), serverAccessLogsPrefix: 'receipts/' });
      const findings = c05(app);
      expect(lines(findings)).toEqual([`${C05} Shop/RawAccessLogs/Resource`]);
      expect(findings[0].message).toContain('logging.s3.amazonaws.com (AWS::S3::Bucket Statements)');
    });

    test('fails a trail without a key of its own writing into a bucket whose key does not allow CloudTrail; a trail with its own key is judged by its key', () => {
      const { app, stack } = staged();
      new cloudtrail.Trail(stack, 'Denied', { bucket: logBucket(stack, 'DeniedTrailLogs') });
      const openKey = new kms.Key(stack, 'OpenKey', { enableKeyRotation: true });
      openKey.grant(new iam.ServicePrincipal('cloudtrail.amazonaws.com'), 'kms:GenerateDataKey*');
      new cloudtrail.Trail(stack, 'Allowed', { bucket: new s3.Bucket(stack, 'AllowedTrailLogs', { encryptionKey: openKey, enforceSSL: true }) });
      // DataKey's statement for CloudTrail is scoped to a trail's own encryption context, which S3's default encryption never carries (it passes aws:s3:arn).
      const trailKey = new DataKey(stack, 'TrailKey', { aliasBase: 'trail' });
      trailKey.allowService(KeyConsumer.CLOUDTRAIL);
      new cloudtrail.Trail(stack, 'ScopedToTrails', { bucket: new s3.Bucket(stack, 'ScopedTrailLogs', { encryptionKey: trailKey.key, enforceSSL: true }) });
      // The bucket's key is never used: CloudTrail encrypts with the trail's own key (Fintech-C05-TrailKeyWithoutCloudTrailAccess judges that one).
      new cloudtrail.Trail(stack, 'OwnKey', { bucket: logBucket(stack, 'OwnKeyTrailLogs'), encryptionKey: trailKey.key });
      const findings = c05(app);
      expect(lines(findings)).toEqual([`${C05} dev/Workload/DeniedTrailLogs/Resource`, `${C05} dev/Workload/ScopedTrailLogs/Resource`]);
      expect(findings[0].message).toContain('cloudtrail.amazonaws.com (AWS::CloudTrail::Trail Denied');
    });

    test('follows a flow log of a nested stack into a prefix of its parent\'s bucket, and one of another stack through an export', () => {
      const { app, stack } = shop();
      const bucket = logBucket(stack, 'CentralLogs');
      const nested = new NestedStack(stack, 'Network');
      new ec2.CfnFlowLog(nested, 'Flow', { resourceId: 'vpc-12345678', resourceType: 'VPC', trafficType: 'ALL', logDestinationType: 's3', logDestination: `${bucket.bucketArn}/network/` });
      const other = new Stack(app, 'Edge', { env: stack.env });
      new ec2.CfnFlowLog(other, 'EdgeFlow', { resourceId: 'vpc-87654321', resourceType: 'VPC', trafficType: 'REJECT', logDestinationType: 's3', logDestination: `${bucket.bucketArn}/edge/` });
      new ec2.CfnFlowLog(other, 'ToLogs', { resourceId: 'vpc-87654321', resourceType: 'VPC', trafficType: 'ALL', logDestinationType: 'cloud-watch-logs', logDestination: bucket.bucketArn });
      const [finding] = c05(app);
      expect(lines([finding])).toEqual([`${C05} Shop/CentralLogs/Resource`]);
      expect(finding.message).toContain('delivery.logs.amazonaws.com (AWS::EC2::FlowLog Flow, AWS::EC2::FlowLog EdgeFlow)');
    });
  });
});
