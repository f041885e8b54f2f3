import * as path from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import config from '../../src/fintech.config.json';
import { FraudDetectionApiStack } from '../../src/fraud-detection-api-stack';
import { FintechStage, NameKind, PhysicalName, SecureQueue, TracedFunction } from 'fintech-infra-template';

// A throwaway ephemeral stage, so integ-runner can destroy everything it deployed. One request per second per IP,
// so the WAF rate rule can be proven within a minute.
const app = new App();
const [stage] = FintechStage.fromConfig(app, { ...config, environments: [{ name: 'integ', region: config.environments[0].region, durable: false }] });
const fraud = new FraudDetectionApiStack(stage, 'FraudDetectionApi', { requestsPerSecondPerIp: 1 });

// What reaches the alert topic, for the test to read (the email subscription cannot be read back).
const alertProbe = new SecureQueue(fraud, 'AlertProbe', { nameBase: 'fraud-alert-probe' });
fraud.alerts.subscribeQueue(alertProbe);

// The payment system, played by a function next to the API but outside the VPC: it calls the public API like a client.
const probe = new TracedFunction(fraud, 'FraudProbe', {
  entry: path.join(__dirname, 'handlers', 'fraud-probe.ts'),
  nameBase: 'fraud-probe',
  timeout: Duration.minutes(2),
  environment: {
    TRANSACTIONS_URL: fraud.api.urlForPath('/transactions'),
    ALERT_PROBE_QUEUE_URL: alertProbe.queueUrl,
    TRANSACTIONS_TABLE_NAME: fraud.transactions.tableName,
  },
});
alertProbe.grantConsumeMessages(probe);
fraud.transactions.grantReadData(probe);

// Assertions name resources by physical name: a token would be a reference across the stage boundary.
const name = (base: string, kind: NameKind) => PhysicalName.of(fraud, base, { kind });
const probeName = name('fraud-probe', NameKind.LAMBDA_FUNCTION);
const integ = new IntegTest(app, 'FraudDetectionApi', { testCases: [fraud], regions: [stage.environment.region] });
const ask = (request: object) => integ.assertions.invokeFunction({ functionName: probeName, payload: JSON.stringify(request) });

// 1. A transaction of a merchant without history is scored LOW (every signal neutral) and not alerted.
const calm = ask({ post: [{ transactionId: 'tx-integ-calm', merchantId: 'm-integ-calm', amount: 1250 }] });
calm.expect(ExpectedResult.objectLike({ Payload: Match.serializedJson({ results: [{ transactionId: 'tx-integ-calm', status: 200, level: 'LOW' }] }) }));

// 2. A burst of ten transactions for one merchant within a minute: the tenth is HIGH on velocity (the fifth to ninth MEDIUM).
const burst = ask({
  post: Array.from({ length: 10 }, (_, i) => ({ transactionId: `tx-integ-burst-${i}`, merchantId: 'm-integ-burst', amount: 900 + i })),
});
burst.expect(ExpectedResult.objectLike({
  Payload: Match.serializedJson(Match.objectLike({
    results: Match.arrayWith([{ transactionId: 'tx-integ-burst-9', status: 200, level: 'HIGH' }]),
  })),
}));

// 3. The HIGH one, and only it, reached the alert topic: the normal transaction and the MEDIUM ones were not published.
const alerted = ask({ alertsSeconds: 40 });
alerted.expect(ExpectedResult.objectLike({ Payload: Match.serializedJson({ transactionIds: ['tx-integ-burst-9'] }) }));

// 4. It went through the review queue: the reviewer (in the VPC too) opened its review. The calm one has none.
const reviewed = ask({ review: 'tx-integ-burst-9' });
reviewed.expect(ExpectedResult.objectLike({ Payload: Match.serializedJson({ found: true, level: 'HIGH', alerted: true, reviewStatus: 'PENDING_REVIEW' }) }));
reviewed.waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(10) });
const notReviewed = ask({ review: 'tx-integ-calm' });
notReviewed.expect(ExpectedResult.objectLike({ Payload: Match.serializedJson({ found: true, level: 'LOW', alerted: null, reviewStatus: null }) }));

// 5. The functions' VPC has no route to the internet: no internet gateway, and no route table with an internet or NAT
// gateway route. Steps 1 to 4 show that they still reached DynamoDB, SQS and SNS, through the VPC endpoints.
// (A call whose attributes are read is asserted at a path: its response is flattened.)
const vpc = integ.assertions.awsApiCall('EC2', 'describeVpcs', { Filters: [{ Name: 'tag:Name', Values: [fraud.network.vpcNameTag] }] });
const vpcId = vpc.getAttString('Vpcs.0.VpcId');
const scorerVpc = integ.assertions.awsApiCall('Lambda', 'getFunctionConfiguration', { FunctionName: name('fraud-scorer', NameKind.LAMBDA_FUNCTION) });
scorerVpc.assertAtPath('VpcConfig.VpcId', ExpectedResult.exact(vpcId));
const gateways = integ.assertions.awsApiCall('EC2', 'describeInternetGateways', { Filters: [{ Name: 'attachment.vpc-id', Values: [vpcId] }] });
gateways.expect(ExpectedResult.objectLike({ InternetGateways: [] }));
const internetRoutes = integ.assertions.awsApiCall('EC2', 'describeRouteTables', {
  Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'route.gateway-id', Values: ['igw-*'] }],
});
internetRoutes.expect(ExpectedResult.objectLike({ RouteTables: [] }));
const natRoutes = integ.assertions.awsApiCall('EC2', 'describeRouteTables', {
  Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'route.nat-gateway-id', Values: ['nat-*'] }],
});
natRoutes.expect(ExpectedResult.objectLike({ RouteTables: [] }));
// A subnet of the scorer has a route table of its own with two routes, both inside: the VPC itself and the DynamoDB endpoint.
const scorerRoutes = integ.assertions.awsApiCall('EC2', 'describeRouteTables', {
  Filters: [{ Name: 'association.subnet-id', Values: [scorerVpc.getAttString('VpcConfig.SubnetIds.0')] }],
});
const insideOnly = Match.objectLike({ GatewayId: Match.stringLikeRegexp('^(local|vpce-[0-9a-f]+)$') });
scorerRoutes.expect(ExpectedResult.objectLike({ RouteTables: [Match.objectLike({ VpcId: vpcId, Routes: [insideOnly, insideOnly] })] }));

// 6. Every resource kind deployed carries all the stage's required tags (found through the tagging API by all tags at once).
const tagged = integ.assertions.awsApiCall('ResourceGroupsTaggingAPI', 'getResources', {
  TagFilters: Object.entries(stage.tags).map(([Key, Value]) => ({ Key, Values: [Value] })),
});
tagged.expect(ExpectedResult.objectLike({
  ResourceTagMappingList: Match.arrayWith([
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:table/${name('transactions', NameKind.DYNAMODB_TABLE)}$`) }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:${name('fraud-reviews', NameKind.SQS_QUEUE)}$`) }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:${name('fraud-alerts', NameKind.SNS_TOPIC)}$`) }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:function:${name('fraud-scorer', NameKind.LAMBDA_FUNCTION)}$`) }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(`:function:${name('fraud-reviewer', NameKind.LAMBDA_FUNCTION)}$`) }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(':vpc/vpc-') }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(':vpc-endpoint/vpce-') }),
    Match.objectLike({ ResourceARN: Match.stringLikeRegexp(':key/') }),
  ]),
}));

// 7. Last, because it gets the probe's IP blocked: requests beyond the WAF rate are refused with 403.
const blocked = ask({ burstSeconds: 100 });
blocked.expect(ExpectedResult.objectLike({ Payload: Match.serializedJson(Match.objectLike({ blocked: true })) }));

calm.next(burst).next(alerted).next(reviewed).next(notReviewed)
  .next(vpc).next(scorerVpc).next(gateways).next(internetRoutes).next(natRoutes).next(scorerRoutes)
  .next(tagged).next(blocked);

app.synth();
