import * as path from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { FintechStage, NameKind, PhysicalName, TracedFunction } from '../src';

// A TracedFunction bundled by the local esbuild runs on the current runtime, on arm64, with active tracing.
const app = new App();
const stage = new FintechStage(app, 'integ', {
  config: { application: 'functions', team: 'platform', costCenter: 'cc-0000', alarmEmail: 'platform-alerts@example.com', environments: [{ name: 'integ', region: 'us-east-1', durable: false }] },
  environment: { name: 'integ', region: 'us-east-1', durable: false },
});
const stack = new Stack(stage, 'TracedFunction');
const fn = new TracedFunction(stack, 'Echo', { entry: path.join(__dirname, 'handlers', 'echo.ts'), nameBase: 'echo' });

// Assertions name the function by physical name: a token would be a reference across the stage boundary.
const functionName = PhysicalName.of(fn, 'echo', { kind: NameKind.LAMBDA_FUNCTION });
const integ = new IntegTest(app, 'TracedFunctionInteg', { testCases: [stack], regions: [stage.environment.region] });

integ.assertions
  .invokeFunction({ functionName, payload: JSON.stringify({ paymentId: 'pay-1' }) })
  .expect(ExpectedResult.objectLike({ StatusCode: 200, Payload: Match.serializedJson({ echoed: { paymentId: 'pay-1' } }) }));

integ.assertions
  .awsApiCall('Lambda', 'getFunctionConfiguration', { FunctionName: functionName })
  .expect(ExpectedResult.objectLike({
    TracingConfig: { Mode: 'Active' },
    Architectures: ['arm64'],
    Environment: { Variables: Match.objectLike({ POWERTOOLS_SERVICE_NAME: 'Echo', LOG_LEVEL: 'INFO', NODE_OPTIONS: '--enable-source-maps' }) },
  }));

app.synth();
