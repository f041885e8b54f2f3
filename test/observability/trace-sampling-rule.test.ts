import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { TraceSamplingRule } from '../../src/observability/trace-sampling-rule';
import { FintechStage } from '../../src/stage/fintech-stage';
import { CONFIG, stackIn, synthReport, testApp } from '../support/fintech-fixture';

describe('TraceSamplingRule', () => {
  test('defaults: 1 request/s plus 5% of every service, method and path, priority 1000, named for the stage', () => {
    const stack = stackIn(testApp(), 'dev');
    const rule = new TraceSamplingRule(stack, 'Sampling');
    expect(rule.ruleName).toBe('ledger-sampling-dev');
    Template.fromStack(stack).hasResourceProperties('AWS::XRay::SamplingRule', {
      SamplingRule: {
        RuleName: 'ledger-sampling-dev',
        FixedRate: 0.05,
        ReservoirSize: 1,
        Priority: 1000,
        ServiceName: '*',
        HTTPMethod: '*',
        URLPath: '*',
        Host: '*',
        ServiceType: '*',
        ResourceARN: '*',
        Version: 1,
      },
    });
  });

  test('rate, reservoir, filters, priority and name are configurable', () => {
    const stack = stackIn(testApp(), 'prod');
    new TraceSamplingRule(stack, 'Sampling', {
      fixedRate: 0.1, reservoirSize: 5, serviceName: 'ledger-*-prod', httpMethod: 'POST', urlPath: '/payments/*', priority: 10, nameBase: 'payments',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::XRay::SamplingRule', {
      SamplingRule: {
        RuleName: 'ledger-payments-prod', FixedRate: 0.1, ReservoirSize: 5, ServiceName: 'ledger-*-prod', HTTPMethod: 'POST', URLPath: '/payments/*', Priority: 10,
      },
    });
  });

  test.each([0, 1])('accepts the bounds of fixedRate (%p)', fixedRate => {
    const stack = stackIn(testApp(), 'dev');
    new TraceSamplingRule(stack, 'Sampling', { fixedRate });
    Template.fromStack(stack).hasResourceProperties('AWS::XRay::SamplingRule', { SamplingRule: { FixedRate: fixedRate } });
  });

  test('a name longer than 32 characters is cut before the stage and gets a hash of the full name', () => {
    const stack = stackIn(testApp(), 'prod');
    const first = new TraceSamplingRule(stack, 'First', { nameBase: 'payments-authorisation-checkout' });
    const second = new TraceSamplingRule(stack, 'Second', { nameBase: 'payments-authorisation-refunds' });
    expect(first.ruleName).toMatch(/^ledger-payments-au-[0-9a-f]{8}-prod$/);
    expect(first.ruleName).toHaveLength(32);
    expect(second.ruleName).toMatch(/^ledger-payments-au-[0-9a-f]{8}-prod$/);
    expect(second.ruleName).not.toBe(first.ruleName);
    // Deterministic: the same inputs give the same name in another synth.
    const again = new TraceSamplingRule(stackIn(testApp(), 'prod'), 'First', { nameBase: 'payments-authorisation-checkout' });
    expect(again.ruleName).toBe(first.ruleName);
  });

  test('the longest stage name still leaves room for the application', () => {
    const config = { ...CONFIG, environments: [{ name: 'sixteen-chars-st', region: 'eu-west-1', durable: false }] };
    const environment = config.environments[0];
    const stack = new Stack(new FintechStage(testApp(), 'long', { config, environment }), 'Workload');
    const rule = new TraceSamplingRule(stack, 'Sampling', { nameBase: 'payments-authorisation' });
    expect(rule.ruleName).toMatch(/^ledger-[0-9a-f]{8}-sixteen-chars-st$/);
    expect(rule.ruleName).toHaveLength(32);
  });

  test.each([-0.1, 1.5])('refuses fixedRate %p', fixedRate => {
    expect(() => new TraceSamplingRule(stackIn(testApp(), 'dev'), 'Sampling', { fixedRate }))
      .toThrow(`TraceSamplingRule at dev/Workload/Sampling: fixedRate ${fixedRate} is outside 0..1; it is the share of requests traced after the reservoir, e.g. 0.1 for 10%.`);
  });

  test.each([0, 10000, 2.5])('refuses priority %p', priority => {
    expect(() => new TraceSamplingRule(stackIn(testApp(), 'dev'), 'Sampling', { priority }))
      .toThrow(`TraceSamplingRule at dev/Workload/Sampling: priority ${priority} must be a whole number from 1 to 9999 (lower is evaluated first); use the default 1000 unless another rule must come first.`);
  });

  test('refuses a negative or fractional reservoir', () => {
    expect(() => new TraceSamplingRule(stackIn(testApp(), 'dev'), 'Sampling', { reservoirSize: -1 }))
      .toThrow('TraceSamplingRule at dev/Workload/Sampling: reservoirSize -1 must be a whole number of requests per second, 0 or more; use the default 1.');
  });

  test('passes the rule pack', () => {
    const app = testApp();
    new TraceSamplingRule(stackIn(app, 'prod'), 'Sampling', { fixedRate: 0.1 });
    expect(synthReport(app).violations.filter(v => v.severity === 'error')).toEqual([]);
  });
});
