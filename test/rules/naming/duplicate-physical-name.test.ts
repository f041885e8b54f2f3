import { App, CfnParameter, Stack, StackProps } from 'aws-cdk-lib';
import * as batch from 'aws-cdk-lib/aws-batch';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as memorydb from 'aws-cdk-lib/aws-memorydb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AlertTopic } from '../../../src/alarms/alert-topic';
import { SecureQueue } from '../../../src/data/secure-queue';
import { DuplicatePhysicalName } from '../../../src/rules/naming/duplicate-physical-name';
import { NameKind, PhysicalName } from '../../../src/stage/physical-name';
import { stackIn, twoStacksIn } from '../../support/fintech-fixture';
import { findingsOf, lines, testApp } from '../rule-harness';

const C16 = DuplicatePhysicalName.INFO.id;
const IRELAND = { env: { account: '123456789012', region: 'eu-west-1' } };

function c16(app: App) {
  return findingsOf(app, [C16]);
}

function stacks(...props: Array<[string, StackProps]>) {
  const app = testApp();
  return { app, stacks: props.map(([id, p]) => new Stack(app, id, p)) };
}

describe('Fintech-C16-DuplicatePhysicalName', () => {
  test('fails both resources when two stacks of one stage give a topic the same name, naming the other', () => {
    const app = testApp();
    const [ingest, settle] = twoStacksIn(app, 'prod');
    for (const stack of [ingest, settle]) new sns.Topic(stack, 'Events', { topicName: PhysicalName.of(stack, 'events', { kind: NameKind.SNS_TOPIC }) });
    const findings = c16(app);
    expect(lines(findings)).toEqual([`${C16} prod/Ingest/Events/Resource`, `${C16} prod/Settle/Events/Resource`]);
    expect(findings.find(f => f.constructPath.startsWith('prod/Ingest'))).toMatchObject({
      severity: 'error',
      locations: ['Properties/TopicName'],
      message: expect.stringMatching(/^AWS::SNS::Topic Events[0-9A-F]{8} in prod\/Ingest has TopicName "ledger-events-prod", which Events[0-9A-F]{8} in prod\/Settle also has \(account 123456789012, region eu-west-1\), so CloudFormation cannot create both/),
    });
  });

  test('passes the library\'s own names in two stacks of one stage: alert topics, their keys, unnamed queue keys', () => {
    const app = testApp();
    for (const stack of twoStacksIn(app, 'prod')) {
      AlertTopic.of(stack);
      new SecureQueue(stack, 'Inbound');
    }
    expect(c16(app)).toEqual([]);
  });

  test('names are unique per account and region for most types, per account for IAM and per partition for buckets', () => {
    const { app, stacks: [ireland, frankfurt, otherAccount] } = stacks(
      ['Ireland', IRELAND], ['Frankfurt', { env: { account: '123456789012', region: 'eu-central-1' } }], ['Other', { env: { account: '210987654321', region: 'eu-west-1' } }]);
    for (const stack of [ireland, frankfurt, otherAccount]) {
      new sqs.Queue(stack, 'Queue', { queueName: 'ledger-inbound' });
      new iam.Role(stack, 'Role', { roleName: 'ledger-deployer', assumedBy: new iam.AccountRootPrincipal() });
      new s3.CfnBucket(stack, 'Bucket', { bucketName: 'ledger-statements' });
    }
    expect(lines(c16(app))).toEqual([
      `${C16} Frankfurt/Bucket`, `${C16} Frankfurt/Role/Resource`, `${C16} Ireland/Bucket`, `${C16} Ireland/Role/Resource`, `${C16} Other/Bucket`,
    ]);
  });

  test('compares streams, clusters, in-memory databases and Batch job queues too, not job definitions', () => {
    const { app, stacks: [ingest, settle] } = stacks(['Ingest', IRELAND], ['Settle', IRELAND]);
    for (const stack of [ingest, settle]) {
      new kinesis.CfnStream(stack, 'Postings', { name: 'ledger-postings', shardCount: 1 });
      new ecs.CfnCluster(stack, 'Cluster', { clusterName: 'ledger' });
      new memorydb.CfnCluster(stack, 'Balances', { clusterName: 'balances', nodeType: 'db.r7g.large', aclName: 'open-access' });
      new batch.CfnJobQueue(stack, 'RiskQueue', { jobQueueName: 'risk', priority: 1, computeEnvironmentOrder: [] });
      // The same job definition name twice is two revisions of one definition, which CloudFormation creates.
      new batch.CfnJobDefinition(stack, 'RiskJob', { type: 'container', jobDefinitionName: 'risk' });
    }
    expect(lines(c16(app))).toEqual(['Ingest', 'Settle'].flatMap(stack => [`${C16} ${stack}/Balances`, `${C16} ${stack}/Cluster`, `${C16} ${stack}/Postings`, `${C16} ${stack}/RiskQueue`]));
  });

  test('fills in known pseudo parameters: the same ${AWS::Region} name in two regions differs', () => {
    const { app, stacks: [ireland, frankfurt] } = stacks(['Ireland', IRELAND], ['Frankfurt', { env: { account: '123456789012', region: 'eu-central-1' } }]);
    for (const stack of [ireland, frankfurt]) new sqs.CfnQueue(stack, 'Queue', { queueName: `ledger-${stack.region}` });
    const sameRegion = stacks(['A', IRELAND], ['B', IRELAND]);
    for (const stack of sameRegion.stacks) new sqs.CfnQueue(stack, 'Queue', { queueName: `ledger-${Stack.of(stack).account}` });
    expect(c16(app)).toEqual([]);
    expect(lines(c16(sameRegion.app))).toEqual([`${C16} A/Queue`, `${C16} B/Queue`]);
  });

  test('stacks that name only their region, in two regions, do not share a regional name; in one region they do', () => {
    // A multi-region app (an EventBridge global endpoint's buses) that leaves the account to the CLI.
    const build = (second: string) => {
      const { app, stacks: [main, secondary] } = stacks(['Main', { env: { region: 'us-east-1' } }], ['Secondary', { env: { region: second } }]);
      for (const stack of [main, secondary]) new sns.Topic(stack, 'Events', { topicName: 'ledger-events' });
      return c16(app);
    };
    expect(build('eu-west-1')).toEqual([]);
    const findings = build('us-east-1');
    expect(lines(findings)).toEqual([`${C16} Main/Events/Resource`, `${C16} Secondary/Events/Resource`]);
    expect(findings[0].message).toContain('(the account of stage (app), region us-east-1)');
  });

  test('other stages and unknown names are not compared', () => {
    const app = testApp();
    new sns.Topic(stackIn(app, 'dev'), 'Events', { topicName: 'ledger-events' });
    new sns.Topic(stackIn(app, 'prod'), 'Events', { topicName: 'ledger-events' });
    const [ingest, settle] = twoStacksIn(testApp(), 'dev');
    for (const stack of [ingest, settle]) {
      new sns.Topic(stack, 'Events', { topicName: new CfnParameter(stack, 'Name', { type: 'String' }).valueAsString });
    }
    expect(c16(app)).toEqual([]);
    expect(c16(ingest.node.root as App)).toEqual([]);
  });
});
