// What the account needs when deploying (integ:deploy stops before any AWS call, naming it, when unset):
//   FINTECH_INTEG_ACCOUNT   the 12-digit id of the account the test deploys to, bootstrapped in the home region and the
//                           replica region (a stage with replica regions needs its account at synth)
// Offline (integ:snapshot, integ:verify) the clearly fake placeholder 123456789012 stands in for it.
import * as path from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Aws, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import config from '../../src/fintech.config.json';
import { TRADE_DETAIL_TYPE, TradePipelineStack } from '../../src/trade-pipeline-stack';
import { FintechStage, IntegInput, NameKind, PhysicalName, TracedFunction } from 'fintech-infra-template';

const HOME = config.environments[0].region;
// Another region of the same partition for the replica.
const REPLICA = HOME === 'us-west-2' ? 'us-east-1' : 'us-west-2';
const ACCOUNT_INPUT = {
  name: 'FINTECH_INTEG_ACCOUNT',
  description: `the 12-digit id of the account the test deploys to, bootstrapped in ${HOME} and ${REPLICA}`,
  placeholder: '123456789012',
  pattern: '^[0-9]{12}$',
};
const BLOCKED_LEI = '529900T8BM49AURSDO55';

// A throwaway ephemeral stage with one replica region, so integ-runner can destroy everything it deployed.
const app = new App();
// The stage needs the account before any stack exists; IntegInput below records the input and checks the value.
const account = process.env[ACCOUNT_INPUT.name] || ACCOUNT_INPUT.placeholder;
const [stage] = FintechStage.fromConfig(app, {
  ...config,
  environments: [{ name: 'integ', account, region: HOME, durable: false, replicaRegions: [REPLICA] }],
});
const pipeline = new TradePipelineStack(stage, 'TradePipeline', { blockedCounterparties: [BLOCKED_LEI] });
IntegInput.value(pipeline, ACCOUNT_INPUT);

// A second rule whose target cannot be invoked: its role may not start the workflow (imported immutable, so the target
// cannot grant it), and no retries, so the event goes straight to that rule's dead-letter queue.
const powerless = new iam.Role(pipeline, 'PowerlessEventsRole', { assumedBy: new iam.ServicePrincipal('events.amazonaws.com') });
const undeliverable = pipeline.bus.addRule('Undeliverable', {
  nameBase: 'trade-undeliverable',
  description: 'Integ test only: a target EventBridge may not invoke, to prove undeliverable events reach the dead-letter queue',
  eventPattern: { source: [pipeline.tradeSource], detailType: ['TradeUndeliverable'] },
  retryAttempts: 0,
});
undeliverable.addStateMachineTarget(pipeline.workflow, { role: iam.Role.fromRoleArn(pipeline, 'PowerlessRole', powerless.roleArn, { mutable: false }) });

// Reads the table in either region and the dead-letter queue (awsApiCall has no region of its own).
const tableName = PhysicalName.of(pipeline, 'trades', { kind: NameKind.DYNAMODB_TABLE });
const probe = new TracedFunction(pipeline, 'TradeProbe', {
  entry: path.join(__dirname, 'handlers', 'trade-probe.ts'),
  nameBase: 'trade-probe',
  timeout: Duration.seconds(30),
  asynchronousInvocation: false,
  environment: { TRADES_TABLE_NAME: tableName, DEAD_LETTER_QUEUE_URL: undeliverable.ensureDeadLetterQueue().queueUrl },
});
pipeline.trades.grantReadData(probe);
undeliverable.ensureDeadLetterQueue().grantConsumeMessages(probe);
const replicaKey = pipeline.trades.replicaDataKeys[REPLICA];
probe.addToRolePolicy(new iam.PolicyStatement({
  actions: ['dynamodb:GetItem', 'dynamodb:ListTagsOfResource'],
  resources: [`arn:aws:dynamodb:${REPLICA}:${account}:table/${tableName}`],
}));
// The replica's key is in the replica region's stack: named by its alias, which IAM matches through kms:ResourceAliases.
probe.addToRolePolicy(new iam.PolicyStatement({
  actions: ['kms:Decrypt'],
  resources: [`arn:aws:kms:${REPLICA}:${account}:key/*`],
  conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': replicaKey.aliasName } },
}));

// Assertions name resources by physical name: a token would be a reference across the stage boundary.
const name = (base: string, kind: NameKind) => PhysicalName.of(pipeline, base, { kind });
const busName = name('trades', NameKind.GENERIC);
const workflowArn = `arn:${Aws.PARTITION}:states:${HOME}:${Aws.ACCOUNT_ID}:stateMachine:${name('trade-workflow', NameKind.STATE_MACHINE)}`;
const integ = new IntegTest(app, 'TradePipeline', { testCases: [Stack.of(replicaKey), pipeline], regions: [HOME] });
const ask = (request: object) => integ.assertions.invokeFunction({ functionName: name('trade-probe', NameKind.LAMBDA_FUNCTION), payload: JSON.stringify(request) });

const TRADE = {
  tradeId: 'T-INTEG-1',
  sourceSystem: 'integ-oms',
  counterpartyLei: '5493001KJTIIGC8Y1R12',
  isin: 'US0378331005',
  side: 'BUY',
  quantity: 100,
  price: '187.25',
  currency: 'USD',
  // A Friday: T+2 settles on the Tuesday after.
  tradeDate: '2026-11-27',
};
// `bus` is the bus's name or its ARN: the same trade sent twice needs two calls that integ-tests can tell apart.
const put = (detail: object, detailType = TRADE_DETAIL_TYPE, bus = busName) => {
  const call = integ.assertions.awsApiCall('EventBridge', 'putEvents', {
    Entries: [{ EventBusName: bus, Source: pipeline.tradeSource, DetailType: detailType, Detail: JSON.stringify(detail) }],
  });
  call.expect(ExpectedResult.objectLike({ FailedEntryCount: 0 }));
  return call;
};
// The workflow is new with the test: after the n-th trade it has exactly n executions, all SUCCEEDED (a rejection is a
// business outcome, which succeeds in the Rejected state). Newest first, so executions.0 is the n-th trade's.
const executions = (n: number, output: object) => {
  const settled = integ.assertions.awsApiCall('StepFunctions', 'listExecutions', { stateMachineArn: workflowArn, maxResults: 100 + n });
  settled.expect(ExpectedResult.objectLike({ executions: Array.from({ length: n }, () => Match.objectLike({ status: 'SUCCEEDED' })) }));
  settled.waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(5) });
  const newest = integ.assertions.awsApiCall('StepFunctions', 'listExecutions', { stateMachineArn: workflowArn, maxResults: n });
  const described = integ.assertions.awsApiCall('StepFunctions', 'describeExecution', { executionArn: newest.getAttString('executions.0.executionArn') });
  described.expect(ExpectedResult.objectLike({ status: 'SUCCEEDED', output: Match.serializedJson(Match.objectLike(output)) }));
  return [settled, newest, described] as const;
};

// 1. A valid trade put on the bus is validated, enriched and recorded: a SUCCEEDED execution and its item in the table.
const first = put(TRADE);
const [firstSettled, firstNewest, firstRecorded] = executions(1, { tradeId: 'T-INTEG-1', recorded: true, duplicate: false, settlementDate: '2026-12-01' });
const item = ask({ action: 'getItem', region: HOME, tradeId: 'T-INTEG-1' });
item.expect(ExpectedResult.objectLike({
  Payload: Match.serializedJson(Match.objectLike({
    found: true,
    item: Match.objectLike({ status: 'RECORDED', sourceSystem: 'integ-oms', tradeDate: '2026-11-27', notionalMinor: 1872500, settlementDate: '2026-12-01' }),
  })),
}));

// 2. The same trade again (by the bus's ARN this time): recorded once, the second execution answers duplicate.
const busArn = `arn:${Aws.PARTITION}:events:${HOME}:${Aws.ACCOUNT_ID}:event-bus/${busName}`;
const again = put(TRADE, TRADE_DETAIL_TYPE, busArn);
const [againSettled, againNewest, duplicate] = executions(2, { tradeId: 'T-INTEG-1', recorded: false, duplicate: true, sameTrade: true });

// 3. An invalid trade (blocked counterparty, an ISIN with a wrong check digit) ends in Rejected with its reasons, recorded.
const invalid = put({ ...TRADE, tradeId: 'T-INTEG-2', counterpartyLei: BLOCKED_LEI, isin: 'US0378331006' });
const [invalidSettled, invalidNewest, rejected] = executions(3, {
  tradeId: 'T-INTEG-2',
  status: 'REJECTED',
  recorded: true,
  reasons: [Match.stringLikeRegexp('^isin must be'), `counterparty ${BLOCKED_LEI} is blocked: trades with it must not be booked`],
});
const rejectedItem = ask({ action: 'getItem', region: HOME, tradeId: 'T-INTEG-2' });
rejectedItem.expect(ExpectedResult.objectLike({
  Payload: Match.serializedJson(Match.objectLike({ found: true, item: Match.objectLike({ status: 'REJECTED', reasons: Match.arrayWith([Match.stringLikeRegexp('is blocked')]) }) })),
}));

// 4. The recorded trade becomes readable in the replica region (replication takes about a second).
const replicated = ask({ action: 'getItem', region: REPLICA, tradeId: 'T-INTEG-1' });
replicated.expect(ExpectedResult.objectLike({
  Payload: Match.serializedJson(Match.objectLike({ region: REPLICA, found: true, item: Match.objectLike({ status: 'RECORDED', bookingKey: Match.stringLikeRegexp('^[0-9a-f]{32}$') }) })),
}));
replicated.waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(10) });

// 5. An event whose target cannot be invoked lands in its rule's dead-letter queue, with EventBridge's error code.
const undelivered = put({ ...TRADE, tradeId: 'T-INTEG-3' }, 'TradeUndeliverable');
const deadLettered = ask({ action: 'deadLetters' });
deadLettered.expect(ExpectedResult.objectLike({
  Payload: Match.serializedJson(Match.objectLike({ messages: [Match.objectLike({ detailType: 'TradeUndeliverable', tradeId: 'T-INTEG-3' })] })),
}));
deadLettered.waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(5) });

// 6. The deployed workflow: standard, traced, and every task retries with backoff and catches into the failure path.
const task = Match.objectLike({
  Type: 'Task',
  Resource: Match.stringLikeRegexp(':states:::lambda:invoke$'),
  Retry: [Match.objectLike({ BackoffRate: 2, JitterStrategy: 'FULL' })],
  Catch: [Match.objectLike({ ErrorEquals: ['States.ALL'] })],
});
const described = integ.assertions.awsApiCall('StepFunctions', 'describeStateMachine', { stateMachineArn: workflowArn });
described.expect(ExpectedResult.objectLike({
  type: 'STANDARD',
  tracingConfiguration: { enabled: true },
  definition: Match.serializedJson(Match.objectLike({
    States: Match.objectLike({ Validate: task, Enrich: task, Record: task, RecordRejection: task, RecordFailure: task }),
  })),
}));

// 7. Resources in the home region carry every required tag (the tagging API, by all tags at once), and so does the
// replica in the replica region (tags are set per replica).
const tagged = integ.assertions.awsApiCall('ResourceGroupsTaggingAPI', 'getResources', {
  TagFilters: Object.entries(stage.tags).map(([Key, Value]) => ({ Key, Values: [Value] })),
});
tagged.expect(ExpectedResult.objectLike({
  ResourceTagMappingList: Match.arrayWith([
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:table/${tableName}$`) }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:event-bus/${busName}$`) }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:rule/${busName}/${name('trade-submitted', NameKind.GENERIC)}$`) }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:stateMachine:${name('trade-workflow', NameKind.STATE_MACHINE)}$`) }),
    ...['validate', 'enrich', 'record', 'rejected'].map(fn =>
      Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:function:${name(`trade-${fn}`, NameKind.LAMBDA_FUNCTION)}$`) })),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:${name('trade-submitted-dlq', NameKind.SQS_QUEUE)}$`) }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(':key/') }),
  ]),
}));
const replicaTags = ask({ action: 'listTags', region: REPLICA });
replicaTags.expect(ExpectedResult.objectLike({
  Payload: Match.serializedJson(Match.objectLike({ region: REPLICA, tags: Match.objectLike(stage.tags) })),
}));

first.next(firstSettled).next(firstNewest).next(firstRecorded).next(item)
  .next(again).next(againSettled).next(againNewest).next(duplicate)
  .next(invalid).next(invalidSettled).next(invalidNewest).next(rejected).next(rejectedItem)
  .next(replicated)
  .next(undelivered).next(deadLettered)
  .next(described).next(tagged).next(replicaTags);

app.synth();
