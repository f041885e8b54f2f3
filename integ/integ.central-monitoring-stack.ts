// What the account needs when deploying (integ:deploy stops before any AWS call, naming it, when unset):
//   FINTECH_INTEG_ACCOUNT   the 12-digit id of the account the test deploys to (it plays the monitoring account and the
//                           stage's account at once), bootstrapped in us-east-1
// Offline (integ:snapshot, integ:verify) the clearly fake placeholder 123456789012 stands in for it.
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Duration } from 'aws-cdk-lib';
import { integAccount } from './integ-stage';
import { CentralMonitoringStack } from '../src';
import { IntegInput } from '../src/testing/integ-input';

const REGION = 'us-east-1';
const { input, account } = integAccount([REGION], 'monitoring and stage account at once');

// The monitoring account's side as EventBridge and CloudWatch Logs see it: an event put on the central bus by an
// environment's account lands in the encrypted event log group through the rule's target and the log group's own
// resource policy (no custom resource), and the bus is named as the stages compute it.
const app = new App();
const stack = new CentralMonitoringStack(app, 'CentralMonitoring', {
  config: {
    application: 'monitor',
    team: 'platform',
    costCenter: 'cc-0000',
    alarmEmail: 'platform-alerts@example.com',
    environments: [{ name: 'integ', account, region: REGION, durable: false }],
    monitoring: { account, region: REGION },
  },
});
IntegInput.value(stack, input);
const integ = new IntegTest(app, 'CentralMonitoringInteg', { testCases: [stack], regions: [REGION] });

// Assertions name resources by physical name: the assertion stack is environment-agnostic, the monitoring stack is not.
const busName = 'monitor-central-monitoring';
const logGroupName = `/aws/events/${busName}`;
const marker = 'central-monitoring-integ-1';

integ.assertions
  .awsApiCall('EventBridge', 'describeEventBus', { Name: busName })
  .expect(ExpectedResult.objectLike({ Name: busName }))
  .next(integ.assertions
    .awsApiCall('EventBridge', 'putEvents', {
      Entries: [{ EventBusName: busName, Source: 'integ.monitoring', DetailType: 'Lambda Function Configuration Changed', Detail: JSON.stringify({ marker }) }],
    })
    .expect(ExpectedResult.objectLike({ FailedEntryCount: 0 })))
  .next(integ.assertions
    .awsApiCall('CloudWatchLogs', 'filterLogEvents', { logGroupName, filterPattern: `"${marker}"` })
    .expect(ExpectedResult.objectLike({ events: [Match.objectLike({ message: Match.stringLikeRegexp(marker) })] }))
    .waitForAssertions({ totalTimeout: Duration.minutes(3), interval: Duration.seconds(20) }));

app.synth();
