// What the account needs when deploying (integ:deploy stops before any AWS call, naming it, when unset):
//   FINTECH_INTEG_ACCOUNT   the 12-digit id of the account the test deploys to, bootstrapped in the first environment's
//                           region; it plays the monitoring account and the stage's account at once (the central bus ARN
//                           needs it at synth)
// and a CloudTrail trail with management events logging in that account and region (most organisations have one):
// EventBridge receives "AWS API Call via CloudTrail" events only while one exists.
// Offline (integ:snapshot, integ:verify) the clearly fake placeholder 123456789012 stands in for it.
import * as path from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import config from '../../src/fintech.config.json';
import { ObservabilityStack } from '../../src/observability-stack';
import { ObservedPaymentServiceStack, OBSERVED_SERVICE } from '../observed-payment-service';
import {
  CentralMonitoringStack, ContentCanary, FintechPlatformConfig, FintechStage, IntegInput, NameKind, PhysicalName, TracedFunction,
} from 'fintech-infra-template';

const REGION = config.environments[0].region;
const ACCOUNT_INPUT = {
  name: 'FINTECH_INTEG_ACCOUNT',
  description: `the 12-digit id of the account the test deploys to (monitoring and stage account at once), bootstrapped in ${REGION}`,
  placeholder: '123456789012',
  pattern: '^[0-9]{12}$',
};

// A throwaway ephemeral stage whose monitoring account is its own, so the central bus's side deploys next to it.
const app = new App();
// The stage needs the account before any stack exists; IntegInput below records the input and checks the value.
const account = process.env[ACCOUNT_INPUT.name] || ACCOUNT_INPUT.placeholder;
const integConfig: FintechPlatformConfig = {
  ...config,
  monitoring: { account, region: REGION },
  environments: [{ name: 'integ', account, region: REGION, durable: false }],
};
const central = new CentralMonitoringStack(app, 'ObservabilityCentralMonitoring', { config: integConfig });
const [stage] = FintechStage.fromConfig(app, integConfig);
const service = new ObservedPaymentServiceStack(stage, 'Payments');
const observability = new ObservabilityStack(stage, 'Observability', {
  paymentServices: [{ serviceName: OBSERVED_SERVICE }],
  publicEndpoints: [{ name: 'health', url: service.healthUrl, expectedJsonPath: '$.status', expectedJsonValue: 'ok', schedule: Duration.minutes(1) }],
});
IntegInput.value(observability, ACCOUNT_INPUT);

// A canary pointed at a path the API does not have (API Gateway answers 403): it must fail.
new ContentCanary(observability, 'FailingCanary', {
  url: service.api.urlForPath('/missing'), expectedJsonPath: '$.status', expectedJsonValue: 'ok', nameBase: 'failing', schedule: Duration.minutes(1),
});

// The probe posts payments through the public API and reads X-Ray and Contributor Insights, which need time ranges.
const [lambdaTraces] = observability.observability.traceGroups.filter(group => group.node.id === 'LambdaTraces');
const topConsumers = observability.observability.contributorInsights!.topApiConsumers!;
const probe = new TracedFunction(observability, 'Probe', {
  entry: path.join(__dirname, 'handlers', 'observability-probe.ts'),
  nameBase: 'observability-probe',
  timeout: Duration.minutes(1),
  environment: { PAYMENTS_URL: service.api.urlForPath('/payments'), TRACE_GROUP_NAME: lambdaTraces.groupName!, TOP_CONSUMERS_RULE_NAME: topConsumers.ruleName },
});
// GetTraceSummaries has no resource-level permission: its resource is "*" whatever the policy says (X-Ray service authorization reference).
probe.addToRolePolicy(new iam.PolicyStatement({ actions: ['xray:GetTraceSummaries'], resources: ['*'] }));
probe.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudwatch:GetInsightRuleReport'], resources: [topConsumers.attrArn] }));

const integ = new IntegTest(app, 'Observability', { testCases: [central, service, observability], regions: [REGION] });

// Assertions name resources by physical name: a token would be a reference across the stage boundary.
const name = (base: string, kind: NameKind) => PhysicalName.of(observability, base, { kind });
const probeName = name('observability-probe', NameKind.LAMBDA_FUNCTION);
const paymentsFunction = PhysicalName.of(service, 'observed-payments', { kind: NameKind.LAMBDA_FUNCTION });
const ask = (request: object) => integ.assertions.invokeFunction({ functionName: probeName, payload: JSON.stringify(request) });
const wait = { totalTimeout: Duration.minutes(20), interval: Duration.minutes(1) };

// 1. Traffic: payments through WAF and API Gateway, one of them failed.
const traffic = ask({ action: 'pay', payments: 10, failed: 1 });
traffic.expect(ExpectedResult.objectLike({ Payload: Match.serializedJson({ statuses: Array(10).fill(201) }) }));

// 2. A trace of the workload is found under the sampling rule's X-Ray group of the functions.
const traced = ask({ action: 'traces' });
traced.expect(ExpectedResult.objectLike({ Payload: Match.serializedJson(Match.objectLike({ found: true })) }));
traced.waitForAssertions(wait);

// 3. The KPI metric the function published shows in CloudWatch with its service and stage dimensions.
const kpiMetric = integ.assertions.awsApiCall('CloudWatch', 'listMetrics', {
  Namespace: config.application,
  MetricName: 'PaymentSucceeded',
  Dimensions: [{ Name: 'service', Value: OBSERVED_SERVICE }, { Name: 'stage', Value: 'integ' }],
});
kpiMetric.expect(ExpectedResult.objectLike({ Metrics: Match.arrayWith([Match.objectLike({ MetricName: 'PaymentSucceeded' })]) }));
kpiMetric.waitForAssertions(wait);

// 4. The Contributor Insights rule on the API's access logs ranks the test's caller.
const ranked = ask({ action: 'rankedCaller' });
ranked.expect(ExpectedResult.objectLike({ Payload: Match.serializedJson(Match.objectLike({ ranked: true })) }));
ranked.waitForAssertions(wait);

// 5. A change to a function (UpdateFunctionConfiguration) becomes an event that reaches the central bus's log group.
const change = integ.assertions.awsApiCall('Lambda', 'updateFunctionConfiguration', { FunctionName: paymentsFunction, Description: 'changed by the observability integ test' });
const forwarded = integ.assertions.awsApiCall('CloudWatchLogs', 'filterLogEvents', {
  logGroupName: `/aws/events/${config.application}-central-monitoring`,
  filterPattern: `{ $.detail.requestParameters.functionName = "${paymentsFunction}" }`,
});
forwarded.expect(ExpectedResult.objectLike({ events: Match.arrayWith([Match.objectLike({ message: Match.stringLikeRegexp('UpdateFunctionConfiguration') })]) }));
forwarded.waitForAssertions(wait);

// 6. The health canary runs and passes; the canary on the missing path runs and fails.
const canaryRuns = (canary: string, state: 'PASSED' | 'FAILED') => {
  const runs = integ.assertions.awsApiCall('Synthetics', 'getCanaryRuns', { Name: name(canary, NameKind.SYNTHETICS_CANARY), MaxResults: 5 });
  runs.expect(ExpectedResult.objectLike({ CanaryRuns: Match.arrayWith([Match.objectLike({ Status: Match.objectLike({ State: state }) })]) }));
  runs.waitForAssertions(wait);
  return runs;
};
const healthy = canaryRuns('health', 'PASSED');
const failing = canaryRuns('failing', 'FAILED');

// 7. The deployed KPI alarms carry their metric math: failures and fraud triggers over all payments of the period.
const alarms = integ.assertions.awsApiCall('CloudWatch', 'describeAlarms', { AlarmNamePrefix: observability.stackName });
alarms.expect(ExpectedResult.objectLike({
  MetricAlarms: Match.arrayWith([Match.objectLike({
    Metrics: Match.arrayWith([Match.objectLike({ Expression: 'FILL(succeeded, 0) + FILL(failed, 0)' })]),
  })]),
}));

traffic.next(traced).next(kpiMetric).next(ranked).next(change).next(forwarded).next(healthy).next(failing).next(alarms);

app.synth();
