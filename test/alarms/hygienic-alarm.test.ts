import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { AlertTopic } from '../../src/alarms/alert-topic';
import { monitorFunction } from '../../src/alarms/monitor-function';
import { monitorRestApi } from '../../src/alarms/monitor-rest-api';
import { monitorStateMachine } from '../../src/alarms/monitor-state-machine';
import { SecureQueue } from '../../src/data/secure-queue';
import { SecureTable } from '../../src/data/secure-table';
import { ServiceDashboard } from '../../src/observability/service-dashboard';
import { CONFIG, stackIn, synthReport, testApp } from '../support/fintech-fixture';

// A payments service in both stages: every resource monitored the way the library does it.
function paymentsService(stack: Stack) {
  const handler = (id: string) => new lambda.Function(stack, id, {
    runtime: lambda.Runtime.NODEJS_22_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = async () => ({})'), timeout: Duration.seconds(10),
  });
  const capture = handler('Capture');
  const settle = handler('Settle');
  const queue = new SecureQueue(stack, 'Settlements', { nameBase: 'settlements', visibilityTimeout: Duration.seconds(60) });
  queue.addConsumer(settle);
  const table = new SecureTable(stack, 'Entries', { nameBase: 'entries', partitionKey: { name: 'id', type: dynamodb.AttributeType.STRING }, stream: true });
  table.addStreamConsumer(settle);
  const api = new apigateway.RestApi(stack, 'Api', { restApiName: 'ledger-api' });
  api.root.addMethod('POST', new apigateway.LambdaIntegration(capture));
  const workflow = new sfn.StateMachine(stack, 'Settlement', { definitionBody: sfn.DefinitionBody.fromChainable(new sfn.Pass(stack, 'Done')) });
  for (const fn of [capture, settle]) monitorFunction(fn, fn);
  monitorRestApi(api, api);
  monitorStateMachine(workflow, workflow);
  const dashboard = new ServiceDashboard(stack, 'Dashboard');
  dashboard.addFunction(capture);
  dashboard.addQueue(queue, queue.deadLetters);
  dashboard.addRestApi(api);
}

// Queue 2, table 2, the table's stream-failure queue 1 (its first message), functions 2 x 3, API 3, state machine 2.
const ALARMS_PER_STAGE = 16;

describe('alarm hygiene over a whole app (C08)', () => {
  const app = testApp();
  const config = { ...CONFIG, alarmEmail: 'oncall@example.com' };
  const stacks = (['dev', 'prod'] as const).map(stage => {
    const stack = stackIn(app, stage, config);
    paymentsService(stack);
    return stack;
  });

  test.each(stacks.map(stack => [stack.node.path, stack] as const))('%s: every alarm has a description, a missing-data policy, M of N, and both actions on the encrypted, subscribed alert topic', (_path, stack) => {
    const template = Template.fromStack(stack);
    const topic = AlertTopic.of(stack);
    const topicRef = stack.resolve(topic.topicArn);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: stack.resolve(topic.dataKey.key.keyArn) });
    template.hasResourceProperties('AWS::SNS::Subscription', { TopicArn: topicRef, Protocol: 'email', Endpoint: 'oncall@example.com' });

    const alarms = Object.entries(template.findResources('AWS::CloudWatch::Alarm'));
    expect(alarms).toHaveLength(ALARMS_PER_STAGE);
    const unhygienic = alarms.filter(([, alarm]) => {
      const p = alarm.Properties;
      return !(typeof p.AlarmDescription === 'string' && p.AlarmDescription.trim().length > 0
        && ['notBreaching', 'breaching', 'ignore', 'missing'].includes(p.TreatMissingData)
        && Number.isInteger(p.DatapointsToAlarm) && p.DatapointsToAlarm >= 1 && p.DatapointsToAlarm <= p.EvaluationPeriods
        && JSON.stringify(p.AlarmActions) === JSON.stringify([topicRef])
        && JSON.stringify(p.OKActions) === JSON.stringify([topicRef]));
    }).map(([logicalId]) => logicalId);
    expect(unhygienic).toEqual([]);
    template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
  });

  test('the rule pack finds nothing to say about these alarms (C07, C08, C09, C10)', () => {
    const { violations } = synthReport(app);
    expect(violations.filter(v => /^Fintech-C(07|08|09|10)-/.test(v.ruleName)).map(v => `${v.ruleName} ${v.constructPath}`)).toEqual([]);
  });
});
