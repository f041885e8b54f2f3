// What the account needs when deploying (integ:deploy stops before any AWS call, naming it, when unset):
//   FINTECH_INTEG_ACCOUNT   the 12-digit id of the account the test deploys to, bootstrapped in us-east-1 and us-west-2
//                           (a stage with replica regions needs its account at synth)
// Offline (integ:snapshot, integ:verify) the clearly fake placeholder 123456789012 stands in for it.
import * as path from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { FintechStage, NameKind, PhysicalName, SecureGlobalTable, TracedFunction } from '../src';
import { integAccount } from './integ-stage';
import { IntegInput } from '../src/testing/integ-input';

const HOME = 'us-east-1';
const REPLICA = 'us-west-2';
const { input, account } = integAccount([HOME, REPLICA]);

// A trade written in the home region becomes readable in the replica region, where the replica is ACTIVE, encrypted
// with that region's key and has point-in-time recovery.
const app = new App();
// The stage needs the account before any stack exists; IntegInput below records the input and checks the value.
const environment = { name: 'integ', account, region: HOME, durable: false, replicaRegions: [REPLICA] };
const stage = new FintechStage(app, 'integ', {
  config: { application: 'trades', team: 'platform', costCenter: 'cc-0000', alarmEmail: 'oncall@example.com', environments: [environment] },
  environment,
});
const stack = new Stack(stage, 'SecureGlobalTable');
IntegInput.value(stack, input);

const table = new SecureGlobalTable(stack, 'Trades', {
  nameBase: 'trades',
  partitionKey: { name: 'tradeId', type: dynamodb.AttributeType.STRING },
  globalSecondaryIndexes: [{ indexName: 'bySource', partitionKey: { name: 'sourceSystem', type: dynamodb.AttributeType.STRING } }],
});
// Assertions run in the home region; this function calls DynamoDB in whichever region the event names.
const caller = new TracedFunction(stack, 'RegionalDynamoDb', {
  entry: path.join(__dirname, 'handlers', 'dynamodb-in-region.ts'),
  nameBase: 'regional-dynamodb',
  timeout: Duration.seconds(15),
});
table.grantWriteData(caller);
const tableName = PhysicalName.of(table, 'trades', { kind: NameKind.DYNAMODB_TABLE });
const replicaKey = table.replicaDataKeys[REPLICA];
caller.addToRolePolicy(new iam.PolicyStatement({
  actions: ['dynamodb:GetItem', 'dynamodb:DescribeTable', 'dynamodb:DescribeContinuousBackups'],
  resources: [`arn:aws:dynamodb:${REPLICA}:${account}:table/${tableName}`, table.tableArn],
}));
// The replica's key is in another region's stack: named by its alias, which IAM matches through kms:ResourceAliases.
caller.addToRolePolicy(new iam.PolicyStatement({
  actions: ['kms:Decrypt'],
  resources: [`arn:aws:kms:${REPLICA}:${account}:key/*`],
  conditions: { 'ForAnyValue:StringEquals': { 'kms:ResourceAliases': replicaKey.aliasName } },
}));

const replicaStack = Stack.of(replicaKey);
const integ = new IntegTest(app, 'SecureGlobalTableInteg', { testCases: [replicaStack, stack], regions: [HOME] });
const functionName = PhysicalName.of(caller, 'regional-dynamodb', { kind: NameKind.LAMBDA_FUNCTION });
const call = (payload: object) => integ.assertions.invokeFunction({ functionName, payload: JSON.stringify(payload) });
const key = { tradeId: { S: 'trade-1' } };

// Written in the home region, read back from the replica region (eventually consistent: replication takes about a second).
call({ region: HOME, action: 'putItem', input: { TableName: tableName, Item: { ...key, sourceSystem: { S: 'fix-gateway' }, amount: { N: '125.50' } } } })
  .expect(ExpectedResult.objectLike({ StatusCode: 200, Payload: Match.serializedJson(Match.objectLike({ region: HOME, action: 'putItem' })) }))
  .next(call({ region: REPLICA, action: 'getItem', input: { TableName: tableName, Key: key } })
    .expect(ExpectedResult.objectLike({ StatusCode: 200, Payload: Match.serializedJson(Match.objectLike({ region: REPLICA, output: { Item: { ...key, sourceSystem: { S: 'fix-gateway' }, amount: { N: '125.50' } } } })) }))
    .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(10) }));

// The home table lists the replica ACTIVE with a key of its own region.
integ.assertions
  .awsApiCall('DynamoDB', 'describeTable', { TableName: tableName })
  .expect(ExpectedResult.objectLike({
    Table: Match.objectLike({
      TableStatus: 'ACTIVE',
      SSEDescription: Match.objectLike({ Status: 'ENABLED', SSEType: 'KMS' }),
      Replicas: Match.arrayWith([Match.objectLike({ RegionName: REPLICA, ReplicaStatus: 'ACTIVE', KMSMasterKeyId: Match.stringLikeRegexp(`^arn:aws:kms:${REPLICA}:`) })]),
    }),
  }));

// The replica itself: encrypted with the customer key of its region, point-in-time recovery on, and so is the home table.
call({ region: REPLICA, action: 'describeTable', input: { TableName: tableName } })
  .expect(ExpectedResult.objectLike({
    StatusCode: 200,
    Payload: Match.serializedJson(Match.objectLike({
      region: REPLICA,
      output: { Table: Match.objectLike({ TableStatus: 'ACTIVE', SSEDescription: Match.objectLike({ Status: 'ENABLED', SSEType: 'KMS', KMSMasterKeyArn: Match.stringLikeRegexp(`^arn:aws:kms:${REPLICA}:[0-9]{12}:key/`) }) }) },
    })),
  }));
for (const region of [HOME, REPLICA]) {
  call({ region, action: 'describeContinuousBackups', input: { TableName: tableName } })
    .expect(ExpectedResult.objectLike({
      StatusCode: 200,
      Payload: Match.serializedJson(Match.objectLike({
        region,
        output: {
          ContinuousBackupsDescription: Match.objectLike({
            ContinuousBackupsStatus: 'ENABLED',
            PointInTimeRecoveryDescription: Match.objectLike({ PointInTimeRecoveryStatus: 'ENABLED' }),
          }),
        },
      })),
    }))
    // Point-in-time recovery reports ENABLED a little after the table turns ACTIVE.
    .waitForAssertions({ totalTimeout: Duration.minutes(5), interval: Duration.seconds(20) });
}

app.synth();
