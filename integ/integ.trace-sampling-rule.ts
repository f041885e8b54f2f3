import { ExpectedResult, IntegTest, Match } from '@aws-cdk/integ-tests-alpha';
import { App, Stack } from 'aws-cdk-lib';
import { TraceSamplingRule } from '../src';
import { integStage } from './integ-stage';

// The sampling rule X-Ray applies is the one the construct declares: name within 32 characters, rate 0.1.
const app = new App();
const stage = integStage(app, 'tracing');
const stack = new Stack(stage, 'TraceSamplingRule');
const rule = new TraceSamplingRule(stack, 'Sampling', { fixedRate: 0.1, reservoirSize: 2, serviceName: 'tracing-*-integ', priority: 9000 });

const integ = new IntegTest(app, 'TraceSamplingRuleInteg', { testCases: [stack], regions: [stage.environment.region] });

// The rule name is a literal string: a token would be a reference across the stage boundary.
integ.assertions
  .awsApiCall('XRay', 'getSamplingRules', {})
  .expect(ExpectedResult.objectLike({
    SamplingRuleRecords: Match.arrayWith([Match.objectLike({
      SamplingRule: Match.objectLike({ RuleName: rule.ruleName, FixedRate: 0.1, ReservoirSize: 2, ServiceName: 'tracing-*-integ', Priority: 9000 }),
    })]),
  }));

app.synth();
