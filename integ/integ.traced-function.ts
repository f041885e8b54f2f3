import * as path from 'path';
import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { NameKind, PhysicalName, TracedFunction } from '../src';
import { integStage } from './integ-stage';

// A TracedFunction bundled by the local esbuild runs on the current runtime, on arm64, with active tracing.
const app = new App();
const stage = integStage(app, 'functions', 'platform-alerts@example.com');
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
