import { App, Fn, Stack } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { WAF_RATE_LIMIT_MINIMUM } from '../../../src/facts/waf-limits';
import { WebAclRules } from '../../../src/rules/waf/web-acl-rules';
import { findingsOf, lines, shop } from '../rule-harness';

const NO_RULES = WebAclRules.WITHOUT_RULES.id;
const NO_RATE = WebAclRules.WITHOUT_RATE_RULE.id;
const BOUNDS = WebAclRules.RATE_RULE_OUT_OF_BOUNDS.id;

function c19(app: App) {
  return findingsOf(app, [NO_RULES, NO_RATE, BOUNDS]);
}

const VISIBILITY = { cloudWatchMetricsEnabled: true, metricName: 'm', sampledRequestsEnabled: true };

function managed(priority = 0): wafv2.CfnWebACL.RuleProperty {
  return {
    name: 'common',
    priority,
    overrideAction: { none: {} },
    visibilityConfig: VISIBILITY,
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: 'AWSManagedRulesCommonRuleSet' } },
  };
}

function rate(limit: number, evaluationWindowSec?: number, priority = 1): wafv2.CfnWebACL.RuleProperty {
  return {
    name: 'rate',
    priority,
    action: { block: {} },
    visibilityConfig: VISIBILITY,
    statement: { rateBasedStatement: { limit, aggregateKeyType: 'IP', evaluationWindowSec } },
  };
}

function acl(stack: Stack, id: string, rules?: wafv2.CfnWebACL.RuleProperty[]) {
  return new wafv2.CfnWebACL(stack, id, { defaultAction: { allow: {} }, scope: 'REGIONAL', visibilityConfig: VISIBILITY, rules });
}

// WAFv2 has no L2 constructs in aws-cdk-lib: CfnWebACL is what every construct, ours included, synthesizes.
describe('C19 web ACL rules', () => {
  test('fails a web ACL without rules, one without a rate rule, and passes one with managed and rate rules', () => {
    const { app, stack } = shop();
    acl(stack, 'Empty');
    acl(stack, 'EmptyList', []);
    acl(stack, 'ManagedOnly', [managed()]);
    acl(stack, 'Good', [managed(), rate(3000, 300)]);
    const findings = c19(app);
    expect(lines(findings)).toEqual([`${NO_RATE} Shop/ManagedOnly`, `${NO_RULES} Shop/Empty`, `${NO_RULES} Shop/EmptyList`]);
    expect(findings.find(f => f.ruleId === NO_RULES)).toMatchObject({ severity: 'error', message: 'AWS::WAFv2::WebACL Empty has no Rules, so it applies only its default action and filters nothing.' });
    expect(findings.find(f => f.ruleId === NO_RATE)).toMatchObject({ message: 'AWS::WAFv2::WebACL ManagedOnly has no rule with a RateBasedStatement, so no client is ever rate limited.' });
  });

  test('fails rate rules below the minimum or with a window WAF rejects, in web ACLs and rule groups', () => {
    const { app, stack } = shop();
    acl(stack, 'PerSecond', [rate(WAF_RATE_LIMIT_MINIMUM - 1)]);
    acl(stack, 'OddWindow', [rate(1000, 30)]);
    acl(stack, 'Minimum', [rate(WAF_RATE_LIMIT_MINIMUM, 60)]);
    new wafv2.CfnRuleGroup(stack, 'Group', { capacity: 10, scope: 'REGIONAL', visibilityConfig: VISIBILITY, rules: [rate(5) as wafv2.CfnRuleGroup.RuleProperty] });
    const findings = c19(app);
    expect(lines(findings)).toEqual([`${BOUNDS} Shop/Group`, `${BOUNDS} Shop/OddWindow`, `${BOUNDS} Shop/PerSecond`]);
    expect(findings.find(f => f.constructPath === 'Shop/PerSecond')).toMatchObject({
      locations: ['Properties/Rules/0/Statement/RateBasedStatement'],
      message: `AWS::WAFv2::WebACL PerSecond rule "rate": Limit 9 is below the minimum of ${WAF_RATE_LIMIT_MINIMUM} requests per evaluation window.`,
    });
    expect(findings.find(f => f.constructPath === 'Shop/OddWindow')!.message).toContain('EvaluationWindowSec 30 is not one of 60, 120, 300, 600');
  });

  test('counts a rate rule in a rule group of the template, and treats other rule groups as unknown', () => {
    const { app, stack } = shop();
    const withRate = new wafv2.CfnRuleGroup(stack, 'WithRate', { capacity: 10, scope: 'REGIONAL', visibilityConfig: VISIBILITY, rules: [rate(2000) as wafv2.CfnRuleGroup.RuleProperty] });
    const without = new wafv2.CfnRuleGroup(stack, 'Without', { capacity: 10, scope: 'REGIONAL', visibilityConfig: VISIBILITY, rules: [] });
    const reference = (id: string, arn: string): wafv2.CfnWebACL.RuleProperty => ({
      name: id, priority: 0, overrideAction: { none: {} }, visibilityConfig: VISIBILITY, statement: { ruleGroupReferenceStatement: { arn } },
    });
    acl(stack, 'ViaGroup', [reference('g', withRate.attrArn)]);
    acl(stack, 'ViaEmptyGroup', [reference('g', without.attrArn)]);
    acl(stack, 'ViaImportedGroup', [reference('g', Fn.importValue('SharedRuleGroupArn'))]);
    expect(lines(c19(app))).toEqual([`${NO_RATE} Shop/ViaEmptyGroup`]);
  });

  test('catches escape hatches that remove or weaken the rules', () => {
    const { app, stack } = shop();
    acl(stack, 'Cleared', [managed(), rate(2000)]).addPropertyOverride('Rules', []);
    acl(stack, 'Weakened', [managed(), rate(2000)]).addOverride('Properties.Rules.1.Statement.RateBasedStatement.Limit', 5);
    expect(lines(c19(app))).toEqual([`${BOUNDS} Shop/Weakened`, `${NO_RULES} Shop/Cleared`]);
  });

  test('treats intrinsic rules and limits as unknown and does not crash on odd shapes', () => {
    const { app, stack } = shop();
    acl(stack, 'IfRules').addPropertyOverride('Rules', { 'Fn::If': ['C', [], []] });
    acl(stack, 'IfRule', [managed()]).addPropertyOverride('Rules.1', { 'Fn::If': ['C', rate(100), { Ref: 'AWS::NoValue' }] });
    acl(stack, 'IfLimit', [rate(2000)]).addPropertyOverride('Rules.0.Statement.RateBasedStatement.Limit', { Ref: 'Limit' });
    acl(stack, 'StringLimit', [rate(2000)]).addPropertyOverride('Rules.0.Statement.RateBasedStatement.Limit', '2000');
    acl(stack, 'OddRules').addPropertyOverride('Rules', 'none');
    acl(stack, 'OddRule', [rate(2000)]).addPropertyOverride('Rules.1', 42);
    new wafv2.CfnRuleGroup(stack, 'NoRules', { capacity: 10, scope: 'REGIONAL', visibilityConfig: VISIBILITY });
    expect(c19(app)).toEqual([]);
  });
});
