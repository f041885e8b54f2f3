import {
  WAF_DEFAULT_EVALUATION_WINDOW_SECONDS, WAF_EVALUATION_WINDOWS_SECONDS, WAF_RATE_LIMIT_MAXIMUM, WAF_RATE_LIMIT_MINIMUM,
} from '../../facts/waf-limits';
import { FintechRule, RuleFinding, findingOn } from '../rule';
import { RuleInfo } from '../rule-info';
import { RuleSeverity } from '../rule-severity';
import { StackTemplate, TemplateResource } from '../stack-template';
import { TemplateValue } from '../template-value';

const WEB_ACL = 'AWS::WAFv2::WebACL';
const RULE_GROUP = 'AWS::WAFv2::RuleGroup';

/**
 * C19: a WAFv2 web ACL has rules, one of them rate-based, and every rate-based statement (in a
 * web ACL or a rule group) has a Limit and EvaluationWindowSec WAF accepts (`data/waf-limits.ts`).
 * A rule that references an `AWS::WAFv2::RuleGroup` of the same template counts that group's
 * rules; a rule group referenced by an ARN that cannot be resolved, or an intrinsic rule, is unknown.
 */
export class WebAclRules implements FintechRule {
  /** Web ACL with no rules. */
  public static readonly WITHOUT_RULES: RuleInfo = {
    id: 'Fintech-C19-WebAclWithoutRules',
    catalogId: 'C19',
    title: 'Web ACLs have rules',
    description: 'A web ACL without rules applies only its default action: it is associated and billed but filters nothing, which reads as protection in a review while providing none. ' +
      'Judged on web ACLs (AWS::WAFv2::WebACL). Not judged: rule groups, what the rules do (a rule that only counts, or that references an empty ' +
      'rule group, is a rule), the default action, intrinsic rule lists.',
    fix: 'Use a ProtectedRestApi, or add AWS managed rule groups (e.g. AWSManagedRulesCommonRuleSet) and a rate-based rule to the wafv2.CfnWebACL.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  /** Web ACL without a rate-based rule. */
  public static readonly WITHOUT_RATE_RULE: RuleInfo = {
    id: 'Fintech-C19-WebAclWithoutRateRule',
    catalogId: 'C19',
    title: 'Web ACLs limit the request rate per client',
    description: 'Without a rate-based rule one client (a scraper, a credential-stuffing bot, a retry storm) can use the whole API capacity and the backend pays for every request. ' +
      'Judged on web ACLs with rules; a rate-based rule in a rule group of the same template counts. ' +
      'Not judged: web ACLs without rules (Fintech-C19-WebAclWithoutRules), web ACLs with a rule synth cannot read ' +
      'or that references a rule group of another template or by an ARN synth cannot resolve (it may hold a rate-based rule), ' +
      'the rate-based rule\'s action, scope-down statement and limit (Fintech-C19-RateRuleOutOfBounds judges the bounds), intrinsic rule lists.',
    fix: 'Use a ProtectedRestApi, or add a rule with a RateBasedStatement (Limit per evaluation window, aggregated by IP) to the wafv2.CfnWebACL.',
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: true,
  };

  /** Rate-based statement with a limit or window WAF rejects. */
  public static readonly RATE_RULE_OUT_OF_BOUNDS: RuleInfo = {
    id: 'Fintech-C19-RateRuleOutOfBounds',
    catalogId: 'C19',
    title: 'Rate-based rules use a limit and window WAF accepts',
    description: `WAF counts a rate-based rule's Limit per evaluation window (${WAF_EVALUATION_WINDOWS_SECONDS.join(', ')} seconds), not per second; a limit below ${WAF_RATE_LIMIT_MINIMUM} or a window outside that list fails the deployment, and is usually a per-second figure that was never multiplied by the window. ` +
      'Judged on the rate-based statements of web ACLs and rule groups. Not judged: whether a limit within the bounds suits the traffic, ' +
      `an absent EvaluationWindowSec (WAF uses ${WAF_DEFAULT_EVALUATION_WINDOW_SECONDS} seconds), intrinsic statements, limits and windows.`,
    fix: `Use a ProtectedRestApi (it derives the limit from a per-second rate), or set Limit = requests per second x EvaluationWindowSec, at least ${WAF_RATE_LIMIT_MINIMUM}.`,
    defaultSeverity: RuleSeverity.ERROR,
    acknowledgeableInDurableStages: false,
  };

  public readonly name = 'WebAclRules';
  public readonly infos = [WebAclRules.WITHOUT_RULES, WebAclRules.WITHOUT_RATE_RULE, WebAclRules.RATE_RULE_OUT_OF_BOUNDS];
  public readonly resourceTypes = [WEB_ACL, RULE_GROUP];

  public checkResource(resource: TemplateResource): RuleFinding[] {
    const properties = resource.properties;
    if (!properties || TemplateValue.isIntrinsic(properties.Rules)) return [];
    const rules = Array.isArray(properties.Rules) ? properties.Rules : [];
    const findings = rules.flatMap((rule, i) => outOfBounds(resource, rule, i));
    if (resource.type !== WEB_ACL) return findings;
    if (properties.Rules !== undefined && !Array.isArray(properties.Rules)) return findings;
    if (rules.length === 0) {
      return [...findings, findingOn(resource, WebAclRules.WITHOUT_RULES.id,
        `${resource.type} ${resource.logicalId} has no Rules, so it applies only its default action and filters nothing.`, ['Properties/Rules'])];
    }
    if (hasRateRule(resource.stack, rules) === false) {
      findings.push(findingOn(resource, WebAclRules.WITHOUT_RATE_RULE.id,
        `${resource.type} ${resource.logicalId} has no rule with a RateBasedStatement, so no client is ever rate limited.`, ['Properties/Rules']));
    }
    return findings;
  }
}

/** Whether a rule list holds a rate-based statement, directly or through a rule group of the template; undefined when unknown. */
function hasRateRule(stack: StackTemplate, rules: readonly unknown[], seen: ReadonlySet<string> = new Set()): boolean | undefined {
  let unknown = false;
  for (const rule of rules) {
    const statement = TemplateValue.isObject(rule) && !TemplateValue.isIntrinsic(rule) ? rule.Statement : undefined;
    if (!TemplateValue.isObject(statement) || TemplateValue.isIntrinsic(statement)) {
      unknown = true;
      continue;
    }
    if (statement.RateBasedStatement !== undefined) return true;
    const reference = statement.RuleGroupReferenceStatement;
    if (reference === undefined) continue;
    const group = TemplateValue.isObject(reference) ? TemplateValue.referencedId(reference.Arn) : undefined;
    const target = group ? stack.resource(group) : undefined;
    if (!group || target?.type !== RULE_GROUP || seen.has(group)) {
      // A rule group outside this template (or a cycle, which WAF rejects anyway) may hold a rate rule.
      unknown = true;
      continue;
    }
    const groupRules = target.properties?.Rules;
    if (!Array.isArray(groupRules)) {
      unknown ||= groupRules !== undefined;
      continue;
    }
    const inGroup = hasRateRule(stack, groupRules, new Set([...seen, group]));
    if (inGroup) return true;
    unknown ||= inGroup === undefined;
  }
  return unknown ? undefined : false;
}

function outOfBounds(resource: TemplateResource, rule: unknown, i: number): RuleFinding[] {
  const statement = TemplateValue.isObject(rule) && TemplateValue.isObject(rule.Statement) ? rule.Statement.RateBasedStatement : undefined;
  if (!TemplateValue.isObject(statement) || TemplateValue.isIntrinsic(statement)) return [];
  const name = typeof (rule as { Name?: unknown }).Name === 'string' ? ` "${(rule as { Name: string }).Name}"` : '';
  const location = `Properties/Rules/${i}/Statement/RateBasedStatement`;
  const problems: string[] = [];
  const limit = numberOf(statement.Limit);
  if (limit !== undefined && limit < WAF_RATE_LIMIT_MINIMUM) problems.push(`Limit ${limit} is below the minimum of ${WAF_RATE_LIMIT_MINIMUM} requests per evaluation window`);
  if (limit !== undefined && limit > WAF_RATE_LIMIT_MAXIMUM) problems.push(`Limit ${limit} is above the maximum of ${WAF_RATE_LIMIT_MAXIMUM}`);
  const window = numberOf(statement.EvaluationWindowSec);
  if (window !== undefined && !WAF_EVALUATION_WINDOWS_SECONDS.includes(window)) {
    problems.push(`EvaluationWindowSec ${window} is not one of ${WAF_EVALUATION_WINDOWS_SECONDS.join(', ')}`);
  }
  return problems.map(problem => findingOn(resource, WebAclRules.RATE_RULE_OUT_OF_BOUNDS.id,
    `${resource.type} ${resource.logicalId} rule${name}: ${problem}.`, [location]));
}

/** A literal number, or a numeric string; undefined (unknown) otherwise. */
function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && /^\d+(\.\d+)?$/.test(value.trim()) ? Number(value) : undefined;
}

