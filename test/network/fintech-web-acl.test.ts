import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { FintechWebAcl, WebAclScope } from '../../src/network/fintech-web-acl';
import { stackIn, synthReport, testApp } from '../support/fintech-fixture';

function plainStack(region?: string): Stack {
  return new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Edge', region ? { env: { region } } : {});
}

describe('FintechWebAcl', () => {
  test('a regional web ACL that allows by default, rate-limits each IP first, then runs the three base managed rule groups', () => {
    const stack = plainStack();
    const acl = new FintechWebAcl(stack, 'WebAcl');
    const [resource] = Object.values(Template.fromStack(stack).findResources('AWS::WAFv2::WebACL')) as any[];
    expect(resource.Properties).toMatchObject({
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Description: 'Protects Edge/WebAcl',
      VisibilityConfig: { CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: 'edge-web-acl' },
    });
    const rules = resource.Properties.Rules;
    expect(rules.map((rule: any) => [rule.Priority, rule.Name])).toEqual([
      [0, 'RateLimitPerIp'],
      [1, 'AWS-AWSManagedRulesCommonRuleSet'],
      [2, 'AWS-AWSManagedRulesKnownBadInputsRuleSet'],
      [3, 'AWS-AWSManagedRulesAmazonIpReputationList'],
    ]);
    // 10 requests per second per IP over the 60-second window WAF counts in.
    expect(rules[0]).toMatchObject({ Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 600, EvaluationWindowSec: 60, AggregateKeyType: 'IP' } } });
    expect(rules[1]).toMatchObject({ OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } } });
    expect(rules.every((rule: any) => rule.VisibilityConfig.CloudWatchMetricsEnabled && rule.VisibilityConfig.SampledRequestsEnabled)).toBe(true);
    expect([acl.rateLimitPerWindow, acl.rateEvaluationWindowSeconds]).toEqual([600, 60]);
    expect(acl.managedRuleGroups).toHaveLength(3);
  });

  test('a name, a per-second figure over a longer window and extra rule groups after the base ones', () => {
    const stack = plainStack();
    const acl = new FintechWebAcl(stack, 'WebAcl', {
      webAclName: 'ledger-web-waf-dev',
      requestsPerSecondPerIp: 2.5,
      rateEvaluationWindow: Duration.minutes(5),
      additionalManagedRuleGroups: ['AWSManagedRulesSQLiRuleSet'],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::WAFv2::WebACL', { Name: 'ledger-web-waf-dev', VisibilityConfig: { MetricName: 'ledger-web-waf-dev', CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true } });
    expect(acl.rateLimitPerWindow).toBe(750);
    expect(acl.managedRuleGroups[3]).toBe('AWSManagedRulesSQLiRuleSet');
  });

  test('associate() attaches a regional resource next to the web ACL', () => {
    const stack = plainStack();
    const acl = new FintechWebAcl(stack, 'WebAcl');
    const association = acl.associate('LoadBalancerWaf', 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1234');
    expect(association.node.path).toBe('Edge/LoadBalancerWaf');
    Template.fromStack(stack).hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1234',
      WebACLArn: stack.resolve(acl.attrArn),
    });
  });

  test('a CLOUDFRONT web ACL in us-east-1 or an environment-agnostic stack; it cannot be associated', () => {
    const acl = new FintechWebAcl(plainStack('us-east-1'), 'WebAcl', { scope: WebAclScope.CLOUDFRONT });
    expect(acl.scope).toBe('CLOUDFRONT');
    expect(() => new FintechWebAcl(plainStack(), 'WebAcl', { scope: WebAclScope.CLOUDFRONT })).not.toThrow();
    expect(() => acl.associate('Association', 'arn:aws:cloudfront::123456789012:distribution/E1'))
      .toThrow("FintechWebAcl at Edge/WebAcl: associate() attaches regional resources, but this web ACL's scope is CLOUDFRONT; give its attrArn to the distribution's webAclId instead.");
  });

  test('a CLOUDFRONT web ACL outside us-east-1 fails synth, naming the region and the fix', () => {
    expect(() => new FintechWebAcl(plainStack('eu-west-1'), 'WebAcl', { scope: WebAclScope.CLOUDFRONT }))
      .toThrow('FintechWebAcl at Edge/WebAcl: a CLOUDFRONT web ACL must be created in us-east-1, but its stack is in eu-west-1; ' +
        'create it in a stack of us-east-1 (SecureDistribution does this for you), or use WebAclScope.REGIONAL for a regional resource.');
  });

  describe('bad input fails synth with the option, the problem and the fix', () => {
    test.each([
      [{ requestsPerSecondPerIp: 0.1 }, "requestsPerSecondPerIp 0.1 gives a WAF rate limit of 6 requests per 60-second window, below WAF's minimum of 10; use requestsPerSecondPerIp of at least 0.17, or a longer rateEvaluationWindow."],
      [{ requestsPerSecondPerIp: 40_000_000 }, "requestsPerSecondPerIp 40000000 gives a WAF rate limit of 2400000000 requests per 60-second window, above WAF's maximum of 2000000000; use at most 33333333."],
      [{ requestsPerSecondPerIp: -1 }, 'requestsPerSecondPerIp -1 must be a positive number known at synth; use the default 10.'],
      [{ rateEvaluationWindow: Duration.seconds(30) }, 'rateEvaluationWindow 30 s is not a window WAF accepts; use one of 60, 120, 300, 600 seconds.'],
      [{ additionalManagedRuleGroups: ['AWSManagedRulesKnownBadInputsRuleSet'] }, 'additionalManagedRuleGroups names AWSManagedRulesKnownBadInputsRuleSet, but every FintechWebAcl has it already; drop it from additionalManagedRuleGroups.'],
      [{ additionalManagedRuleGroups: ['AWSManagedRulesSQLiRuleSet', 'AWSManagedRulesSQLiRuleSet'] }, 'additionalManagedRuleGroups names AWSManagedRulesSQLiRuleSet, but it is listed twice; drop it from additionalManagedRuleGroups.'],
      [{ additionalManagedRuleGroups: ['SQL injection'] }, "additionalManagedRuleGroups entry \"SQL injection\" is not a managed rule group name; use a name such as 'AWSManagedRulesSQLiRuleSet'."],
    ])('%j', (props, message) => {
      expect(() => new FintechWebAcl(plainStack(), 'WebAcl', props)).toThrow(`FintechWebAcl at Edge/WebAcl: ${message}`);
    });
  });

  test('raises no FintechChecks finding in a durable stage', () => {
    const app = testApp();
    new FintechWebAcl(stackIn(app, 'prod'), 'WebAcl', { webAclName: 'ledger-web-waf-prod' });
    expect(synthReport(app).violations).toEqual([]);
  });
});
