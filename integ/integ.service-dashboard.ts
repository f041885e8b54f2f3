import * as path from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { NameKind, PhysicalName, SecureQueue, ServiceDashboard, TracedFunction } from '../src';
import { integStage } from './integ-stage';

// Deployed monitoring, as operators see it: a function's own alarms name it by dimension (C09), and the stage's
// dashboard graphs only metrics that carry their resource's dimensions (C10).
const app = new App();
const stage = integStage(app, 'dashboards', 'platform-alerts@example.com');
const stack = new Stack(stage, 'ServiceDashboard');
const fn = new TracedFunction(stack, 'Echo', { entry: path.join(__dirname, 'handlers', 'echo.ts'), nameBase: 'echo' });
const queue = new SecureQueue(stack, 'Jobs', { nameBase: 'jobs' });
const dashboard = new ServiceDashboard(stack, 'Dashboard', { nameBase: 'service' });
dashboard.addFunction(fn);
dashboard.addQueue(queue, queue.deadLetters);
dashboard.addBusinessMetrics('dashboards', ['JobsDone'], { service: 'Echo' });

// Assertions name resources by physical name: a token would be a reference across the stage boundary.
const functionName = PhysicalName.of(fn, 'echo', { kind: NameKind.LAMBDA_FUNCTION });
const dashboardName = PhysicalName.of(dashboard, 'service');
const integ = new IntegTest(app, 'ServiceDashboardInteg', { testCases: [stack], regions: [stage.environment.region] });

// C09: the function has alarms on its own metrics (throttles, duration), found by its FunctionName dimension.
integ.assertions
  .awsApiCall('CloudWatch', 'describeAlarmsForMetric', { Namespace: 'AWS/Lambda', MetricName: 'Throttles', Dimensions: [{ Name: 'FunctionName', Value: functionName }] })
  .expect(ExpectedResult.objectLike({ MetricAlarms: [Match.objectLike({ AlarmDescription: Match.stringLikeRegexp('.+'), TreatMissingData: Match.stringLikeRegexp('.+') })] }));

// C10: the deployed dashboard body graphs the function by name and the business metric with its service dimension.
integ.assertions
  .awsApiCall('CloudWatch', 'getDashboard', { DashboardName: dashboardName })
  .expect(ExpectedResult.objectLike({
    DashboardName: dashboardName,
    DashboardBody: Match.stringLikeRegexp(`"FunctionName","${functionName}"`),
  }));
integ.assertions
  .awsApiCall('CloudWatch', 'getDashboard', { DashboardName: dashboardName })
  .expect(ExpectedResult.objectLike({ DashboardBody: Match.stringLikeRegexp('"dashboards","JobsDone","service","Echo"') }));

app.synth();
