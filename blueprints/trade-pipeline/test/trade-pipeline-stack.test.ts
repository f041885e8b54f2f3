import * as fs from 'fs';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import config from '../src/fintech.config.json';
import { SOURCE_SYSTEM_INDEX, TRADE_DETAIL_TYPE, TradePipelineStack } from '../src/trade-pipeline-stack';
import { FintechPlatformConfig, FintechStage, ReplicaRegionStack } from 'fintech-infra-template';

// The project's own team and tags, with an ephemeral stage and a durable one that replicates to a second region
// (replicas need the account at synth), whatever .projenrc.ts declares.
const ACCOUNT = '123456789012';
const testConfig: FintechPlatformConfig = {
  ...config,
  environments: [
    { name: 'dev', region: 'us-east-1', durable: false },
    { name: 'prod', account: ACCOUNT, region: 'us-east-1', durable: true, replicaRegions: ['us-west-2'] },
  ],
};

function synthTradePipeline() {
  const app = new App({
    context: {
      // Unit tests never bundle handlers, and read the rule pack's report instead of failing the process.
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
  const stages = FintechStage.fromConfig(app, testConfig);
  const stacks = stages.map(stage => new TradePipelineStack(stage, 'TradePipeline'));
  const replicaStack = stages[1].node.children.find(ReplicaRegionStack.isReplicaRegionStack)!;
  const assembly = app.synth();
  const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'policy-validation-report.json'), 'utf-8'));
  return { stacks, dev: Template.fromStack(stacks[0]), prod: Template.fromStack(stacks[1]), replica: Template.fromStack(replicaStack), report };
}

const { stacks, dev, prod, replica, report } = synthTradePipeline();
const application = config.application;
// Every finding, acknowledged ones (reported as info) included: the blueprint acknowledges nothing.
const findings = (report.pluginReports as any[])
  .flatMap(plugin => plugin.violations.map((v: any) => `${plugin.summary.pluginName} ${v.severity} ${v.ruleName}: ${v.description} ` +
    `(${v.violatingConstructs?.map((c: any) => c.constructPath).join(', ')})`));

test('the rule pack finds no error and no warning in either kind of stage, the replica region\'s stack included', () => {
  expect(findings).toEqual([]);
});


/** The workflow's definition: the DefinitionString's Fn::Join with every token as a placeholder, parsed. */
function definitionOf(template: Template): { StartAt: string; TimeoutSeconds?: number; States: { [name: string]: any } } {
  const [machine] = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
  const definition = machine.Properties.DefinitionString;
  const text = typeof definition === 'string' ? definition : definition['Fn::Join'][1].map((part: unknown) => (typeof part === 'string' ? part : 'TOKEN')).join('');
  return JSON.parse(text);
}

describe.each([['dev', () => dev], ['prod', () => prod]])('the %s workflow', (_name, template) => {
  const { StartAt, States } = definitionOf(template());

  test('is a standard state machine with tracing and logs', () => {
    template().hasResourceProperties('AWS::StepFunctions::StateMachine', {
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: true }),
    });
  });

  test('has a timeout and alarms on its failure rate, which rejections do not raise (they succeed in Rejected)', () => {
    expect(definitionOf(template()).TimeoutSeconds).toBe(900);
    const [stack] = (template() === dev ? stacks : stacks.slice(1));
    expect(stack.workflow.alarms.length).toBeGreaterThan(0);
    template().hasResourceProperties('AWS::CloudWatch::Alarm', {
      Metrics: Match.arrayWith([Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'ExecutionsFailed', Namespace: 'AWS/States' }) }) })]),
    });
  });

  test('validates, then enriches and records a valid trade, and records an invalid one as rejected', () => {
    expect(StartAt).toBe('Validate');
    expect(States.Validate.Next).toBe('IsValid');
    expect(States.IsValid).toEqual({
      Type: 'Choice',
      Choices: [{
        And: [{ Variable: '$.validation.outcome.valid', IsPresent: true }, { Variable: '$.validation.outcome.valid', BooleanEquals: true }],
        Next: 'Enrich',
      }],
      Default: 'RecordRejection',
    });
    expect([States.Enrich.Next, States.Record.Next, States.RecordRejection.Next]).toEqual(['Record', 'Recorded', 'Rejected']);
    expect(States.Recorded).toEqual({ Type: 'Succeed', OutputPath: '$.recording.outcome' });
    expect(States.Rejected).toMatchObject({ Type: 'Succeed', OutputPath: '$.rejection.outcome' });
    expect(States.RecordRejection.Parameters.Payload).toEqual({
      'status': 'REJECTED', 'eventId.$': '$.id', 'detail.$': '$.detail', 'reasons.$': '$.validation.outcome.reasons',
    });
    expect(States.Record.Parameters.Payload).toEqual({ 'trade.$': '$.enrichment.outcome', 'eventId.$': '$.id' });
  });

  test('every task invokes Lambda through the service integration, with backoff Retry and a Catch that records the failure', () => {
    const tasks = Object.entries(States).filter(([, state]) => state.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(['Enrich', 'Record', 'RecordFailure', 'RecordRejection', 'Validate']);
    for (const [name, state] of tasks) {
      expect(state.Resource).toMatch(/:states:::lambda:invoke$/);
      expect(state.Retry).toEqual([expect.objectContaining({
        ErrorEquals: expect.arrayContaining(['Lambda.ServiceException', 'Lambda.TooManyRequestsException']),
        BackoffRate: 2,
        MaxAttempts: 6,
        JitterStrategy: 'FULL',
      })]);
      expect(state.Catch).toHaveLength(1);
      expect(state.Catch[0].ErrorEquals).toEqual(['States.ALL']);
      // The failure recorder catches into a Fail of its own; every other task into the recorder, keeping the error.
      expect(state.Catch[0]).toEqual(name === 'RecordFailure'
        ? { ErrorEquals: ['States.ALL'], ResultPath: '$.recordFailureError', Next: 'RecordFailure failed' }
        : { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'RecordFailure' });
    }
    expect(States.RecordFailure.Parameters.Payload).toEqual({ 'status': 'FAILED', 'eventId.$': '$.id', 'detail.$': '$.detail', 'error.$': '$.error' });
    expect(States.RecordFailure.Next).toBe('TradeFailed');
    expect(States.TradeFailed).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
  });
});

test('trade events from the source reach the workflow through a described rule on the bus, with retries and a dead-letter queue', () => {
  const [stack] = stacks.slice(1);
  prod.hasResourceProperties('AWS::Events::Rule', {
    EventBusName: stack.resolve(stack.bus.eventBusName),
    Description: Match.stringLikeRegexp(`${TRADE_DETAIL_TYPE} event from ${application}\\.trading`),
    EventPattern: { 'source': [`${application}.trading`], 'detail-type': [TRADE_DETAIL_TYPE] },
    Targets: [Match.objectLike({
      Arn: stack.resolve(stack.workflow.stateMachineArn),
      RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
      DeadLetterConfig: { Arn: stack.resolve(stack.rule.deadLetterQueue!.queueArn) },
    })],
  });
  // The events role may start this workflow and nothing else.
  prod.hasResourceProperties('AWS::IAM::Policy', {
    PolicyDocument: { Statement: [{ Action: 'states:StartExecution', Effect: 'Allow', Resource: stack.resolve(stack.workflow.stateMachineArn) }] },
  });
});

test('the bus is encrypted with a customer key and archives its events for a year in durable stages, a week in ephemeral ones', () => {
  for (const [template, days] of [[prod, 365], [dev, 7]] as const) {
    template.hasResourceProperties('AWS::Events::EventBus', { KmsKeyIdentifier: Match.anyValue(), DeadLetterConfig: Match.anyValue() });
    template.hasResourceProperties('AWS::Events::Archive', { RetentionDays: days, KmsKeyIdentifier: Match.anyValue(), EventPattern: Match.anyValue() });
  }
});

test('the trades table is global: a replica per region, each under a key of its region, with PITR, insights and the source-system index', () => {
  const replicaOf = (region: unknown) => Match.objectLike({
    Region: region,
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    ContributorInsightsSpecification: { Enabled: true },
    DeletionProtectionEnabled: true,
    GlobalSecondaryIndexes: [{ IndexName: SOURCE_SYSTEM_INDEX, ContributorInsightsSpecification: { Enabled: true } }],
  });
  prod.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
    TableName: `${application}-trades-prod`,
    KeySchema: [{ AttributeName: 'tradeId', KeyType: 'HASH' }],
    GlobalSecondaryIndexes: [{
      IndexName: SOURCE_SYSTEM_INDEX,
      KeySchema: [{ AttributeName: 'sourceSystem', KeyType: 'HASH' }, { AttributeName: 'tradeDate', KeyType: 'RANGE' }],
      Projection: { ProjectionType: 'ALL' },
    }],
    SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
    Replicas: [replicaOf('us-west-2'), replicaOf('us-east-1')],
  });
  const [table] = Object.values(prod.findResources('AWS::DynamoDB::GlobalTable'));
  const keys = Object.fromEntries(table.Properties.Replicas.map((r: any) => [r.Region, r.SSESpecification.KMSMasterKeyId]));
  expect(keys['us-west-2']).toBe(`arn:aws:kms:us-west-2:${ACCOUNT}:alias/${application}-trades-table-prod`);
  expect(keys['us-east-1']).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^TradesKey/), 'Arn'] });
  // The replica region's stack holds that key, under that alias, and the replica's alarms.
  replica.hasResourceProperties('AWS::KMS::Alias', {
    AliasName: `alias/${application}-trades-table-prod`,
    TargetKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Key'), 'Arn'] },
  });
  expect(Object.keys(replica.findResources('AWS::CloudWatch::Alarm')).length).toBeGreaterThanOrEqual(2);
  // An ephemeral stage without replica regions has the home replica only, unprotected so it is destroyed with the stage.
  dev.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
    Replicas: [Match.objectLike({ Region: 'us-east-1', DeletionProtectionEnabled: false })],
  });
});

test('only the record and reject functions may write trades, by PutItem on the table alone; the workflow invokes exactly its four functions', () => {
  const [stack] = stacks.slice(1);
  const statementsOf = (fn: { role?: { node: { tryFindChild(id: string): any } } }) => {
    const policy = fn.role!.node.tryFindChild('DefaultPolicy');
    return prod.toJSON().Resources[stack.getLogicalId(policy.node.defaultChild)].Properties.PolicyDocument.Statement;
  };
  const tableArn = stack.resolve(stack.trades.tableArn);
  for (const fn of [stack.recordFunction, stack.rejectFunction]) {
    const dynamo = statementsOf(fn).filter((s: any) => JSON.stringify(s.Action).includes('dynamodb:'));
    expect(dynamo).toEqual([{ Action: 'dynamodb:PutItem', Effect: 'Allow', Resource: tableArn }]);
  }
  for (const fn of [stack.validateFunction, stack.enrichFunction]) {
    expect(JSON.stringify(statementsOf(fn))).not.toMatch(/dynamodb:|kms:/);
  }
  const invoked = statementsOf(stack.workflow as any)
    .filter((s: any) => s.Action === 'lambda:InvokeFunction')
    .map((s: any) => s.Resource[0]['Fn::GetAtt'][0]);
  const functions = [stack.validateFunction, stack.enrichFunction, stack.recordFunction, stack.rejectFunction]
    .map(fn => stack.getLogicalId(fn.node.defaultChild as any));
  expect(invoked.sort()).toEqual(functions.sort());
});

test('the handlers get the stage\'s limits and the table from their environment', () => {
  const [stack] = stacks.slice(1);
  const environmentOf = (fn: any) => prod.toJSON().Resources[stack.getLogicalId(fn.node.defaultChild)].Properties.Environment.Variables;
  expect(environmentOf(stack.validateFunction)).toMatchObject({ MAX_TRADE_NOTIONAL: '100000000', BLOCKED_COUNTERPARTIES: '', STAGE_NAME: 'prod', POWERTOOLS_SERVICE_NAME: 'trade-pipeline' });
  expect(environmentOf(stack.enrichFunction)).toMatchObject({ SETTLEMENT_DAYS: '2' });
  for (const fn of [stack.recordFunction, stack.rejectFunction]) {
    expect(environmentOf(fn)).toMatchObject({ TRADES_TABLE_NAME: stack.resolve(stack.trades.tableName) });
  }
});

test('the rejection rate is alarmed as metric math over the stage\'s own business metrics', () => {
  prod.hasResourceProperties('AWS::CloudWatch::Alarm', {
    AlarmName: `${application}-trade-rejection-rate-prod`,
    Metrics: Match.arrayWith([
      Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'TradesRejected', Namespace: application, Dimensions: Match.arrayWith([{ Name: 'stage', Value: 'prod' }]) }) }) }),
      Match.objectLike({ MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'TradesValidated' }) }) }),
    ]),
  });
});

test('exports what source systems, other stacks and the integ test need, under stage-suffixed names', () => {
  const outputs = prod.toJSON().Outputs;
  expect(Object.fromEntries(Object.entries(outputs).map(([id, o]: [string, any]) => [id, o.Export.Name]))).toEqual({
    BusName: `${application}-trade-pipeline-bus-name-prod`,
    BusArn: `${application}-trade-pipeline-bus-arn-prod`,
    TradeSource: `${application}-trade-pipeline-trade-source-prod`,
    TradesTableName: `${application}-trade-pipeline-trades-table-name-prod`,
    WorkflowArn: `${application}-trade-pipeline-workflow-arn-prod`,
    RuleDeadLetterQueueUrl: `${application}-trade-pipeline-rule-dead-letter-queue-url-prod`,
  });
});

describe('bad options fail at synth, naming the option and the fix', () => {
  const stageOf = () => FintechStage.fromConfig(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), { ...testConfig, environments: [testConfig.environments[0]] })[0];
  test.each([
    [{ maxTradeNotional: 0 }, 'maxTradeNotional 0 must be above 0 and at most 9000000000000'],
    [{ maxTradeNotional: 1e13 }, 'maxTradeNotional 10000000000000 must be above 0'],
    [{ settlementDays: 1.5 }, 'settlementDays 1.5 must be a whole number of business days from 0 to 10'],
    [{ blockedCounterparties: ['5493001KJTIIGC8Y1R12', '5493001KJTIIGC8Y1R13'] }, 'blockedCounterparties "5493001KJTIIGC8Y1R13" is not an LEI'],
  ])('%j', (props, message) => {
    expect(() => new TradePipelineStack(stageOf(), 'TradePipeline', props)).toThrow(`TradePipelineStack at dev/TradePipeline: ${message}`);
  });

  test('blocked counterparties reach the validate function', () => {
    const stack = new TradePipelineStack(stageOf(), 'TradePipeline', { blockedCounterparties: ['5493001KJTIIGC8Y1R12', '529900T8BM49AURSDO55'], maxTradeNotional: 5e6 });
    Template.fromStack(stack).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ BLOCKED_COUNTERPARTIES: '5493001KJTIIGC8Y1R12,529900T8BM49AURSDO55', MAX_TRADE_NOTIONAL: '5000000' }) },
    });
  });
});
