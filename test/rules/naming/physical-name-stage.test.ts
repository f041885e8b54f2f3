import { App, Aws, CfnParameter, Fn, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { FintechChecksProps } from '../../../src/rules/fintech-checks';
import { PhysicalNameStage } from '../../../src/rules/naming/physical-name-stage';
import { NameKind, PhysicalName } from '../../../src/stage/physical-name';
import { stackIn } from '../../support/fintech-fixture';
import { lines, testApp, validate } from '../rule-harness';

const C16 = PhysicalNameStage.INFO.id;

function c16(app: App, props: FintechChecksProps = {}) {
  return validate(app, props).findings.filter(f => f.ruleId === C16 || f.ruleId === 'Fintech-RuleFailed');
}

describe('Fintech-C16-PhysicalNameWithoutStage', () => {
  test('passes PhysicalName names and generated names in a FintechStage', () => {
    const app = testApp();
    const stack = stackIn(app, 'dev');
    new sqs.Queue(stack, 'Queue', { queueName: PhysicalName.of(stack, 'settlements', { kind: NameKind.SQS_QUEUE, fifo: true }), fifo: true });
    new sns.Topic(stack, 'Topic', { topicName: PhysicalName.of(stack, 'alerts', { kind: NameKind.SNS_TOPIC }) });
    new dynamodb.Table(stack, 'Table', { partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new logs.LogGroup(stack, 'Logs', { logGroupName: `/ledger/${PhysicalName.of(stack, 'api', { kind: NameKind.LOG_GROUP })}` });
    expect(c16(app)).toEqual([]);
  });

  test('fails fixed names of each L2 type, naming the property and the stage', () => {
    const app = testApp();
    const stack = stackIn(app, 'prod');
    new dynamodb.Table(stack, 'Table', { tableName: 'entries', partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING } });
    new sqs.Queue(stack, 'Queue', { queueName: 'settlements' });
    new sns.Topic(stack, 'Topic', { topicName: 'alerts' });
    new lambda.Function(stack, 'Fn', { functionName: 'settle', runtime: lambda.Runtime.NODEJS_LATEST, handler: 'index.handler', code: lambda.Code.fromInline('x') });
    new sfn.StateMachine(stack, 'Flow', { stateMachineName: 'settlement', definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Start')) });
    new logs.LogGroup(stack, 'Logs', { logGroupName: '/ledger/api' });
    new secretsmanager.Secret(stack, 'Secret', { secretName: 'ledger/db' });
    const findings = c16(app);
    expect(lines(findings)).toEqual([
      `${C16} prod/Workload/Flow/Resource`,
      `${C16} prod/Workload/Fn/Resource`,
      `${C16} prod/Workload/Logs/Resource`,
      `${C16} prod/Workload/Queue/Resource`,
      `${C16} prod/Workload/Secret/Resource`,
      `${C16} prod/Workload/Table/Resource`,
      `${C16} prod/Workload/Topic/Resource`,
    ]);
    expect(findings.find(f => f.logicalId.startsWith('Table'))).toMatchObject({
      severity: 'error',
      locations: ['Properties/TableName'],
      message: expect.stringMatching(/^AWS::DynamoDB::Table Table[0-9A-F]{8} has TableName "entries", which lacks the stage name "prod", /),
      fix: expect.stringContaining('PhysicalName.of'),
    });
  });

  test('judges L1 resources and escape hatches, and skips stacks outside a stage', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    new sqs.CfnQueue(stack, 'Raw', { queueName: 'settlements' });
    new sqs.CfnQueue(stack, 'Staged', { queueName: 'ledger-settlements-dev' });
    const topic = new sns.Topic(stack, 'Topic');
    (topic.node.defaultChild as sns.CfnTopic).addPropertyOverride('TopicName', `alerts-${Aws.REGION}`);
    expect(lines(c16(app, { stage: 'dev' }))).toEqual([`${C16} Shop/Raw`, `${C16} Shop/Topic/Resource`]);
    expect(c16(app)).toEqual([]);
  });

  test('treats names built from parameters or other intrinsics as unknown', () => {
    const app = testApp();
    const stack = new Stack(app, 'Shop');
    const stage = new CfnParameter(stack, 'Stage', { type: 'String' });
    new sqs.CfnQueue(stack, 'Param', { queueName: stage.valueAsString });
    new sns.CfnTopic(stack, 'Joined', { topicName: Fn.join('-', ['alerts', stage.valueAsString]) });
    new logs.CfnLogGroup(stack, 'StackNamed', { logGroupName: `/ledger/${Aws.STACK_NAME}` });
    expect(c16(app, { stage: 'dev' })).toEqual([]);
  });
});
