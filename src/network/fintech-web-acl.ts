import { Duration, Stack, Token } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { WAF_EVALUATION_WINDOWS_SECONDS, WAF_RATE_LIMIT_MAXIMUM, WAF_RATE_LIMIT_MINIMUM } from '../facts/waf-limits';
import { followStage } from '../stage/follow-stage';
import { kebabId } from '../stage/stage-path-base';

/** Where a web ACL applies. */
export enum WebAclScope {
  /** Regional resources: Application Load Balancers, API Gateway REST API stages, AppSync, Cognito, App Runner. */
  REGIONAL = 'REGIONAL',
  /** CloudFront distributions. AWS accepts such a web ACL only in us-east-1. */
  CLOUDFRONT = 'CLOUDFRONT',
}

/** Properties of a `FintechWebAcl`. */
export interface FintechWebAclProps {
  /**
   * What the web ACL protects. A CLOUDFRONT web ACL must be created in a stack of us-east-1.
   *
   * @default WebAclScope.REGIONAL
   */
  readonly scope?: WebAclScope;

  /**
   * Physical name of the web ACL, also the base of its CloudWatch metric names.
   *
   * @default - CloudFormation generates a name; metrics are named after the construct id
   */
  readonly webAclName?: string;

  /**
   * Description of the web ACL.
   *
   * @default - "Protects <construct path>"
   */
  readonly description?: string;

  /**
   * Requests per second one client IP address may send before the web ACL blocks it. WAF counts
   * per evaluation window, so the rule's limit is this figure times `rateEvaluationWindow`; a figure
   * whose limit falls below WAF's minimum of 10 fails synth.
   *
   * @default 10
   */
  readonly requestsPerSecondPerIp?: number;

  /**
   * Window over which WAF counts each IP's requests: 60, 120, 300 or 600 seconds.
   *
   * @default Duration.seconds(60)
   */
  readonly rateEvaluationWindow?: Duration;

  /**
   * AWS managed rule groups to add to the three every web ACL gets (AWSManagedRulesCommonRuleSet,
   * AWSManagedRulesKnownBadInputsRuleSet, AWSManagedRulesAmazonIpReputationList), by name,
   * e.g. `AWSManagedRulesSQLiRuleSet`. Evaluated after those, in the order given.
   *
   * @default - none
   */
  readonly additionalManagedRuleGroups?: string[];
}

// A tenth of a typical stage rate: one address gets a fair share but cannot use up the service alone.
const DEFAULT_REQUESTS_PER_SECOND_PER_IP = 10;
// The shortest window WAF allows, so an abusive address is blocked within about a minute rather than five.
const DEFAULT_EVALUATION_WINDOW = Duration.seconds(60);
// AWS managed rule groups every web ACL gets: OWASP-style common attacks, known exploit inputs, addresses AWS threat intelligence flags.
const BASE_MANAGED_RULE_GROUPS = ['AWSManagedRulesCommonRuleSet', 'AWSManagedRulesKnownBadInputsRuleSet', 'AWSManagedRulesAmazonIpReputationList'];
// AWS WAF Developer Guide, "Using AWS WAF with Amazon CloudFront" (read 2026-11): CLOUDFRONT web ACLs exist in us-east-1 only.
const CLOUDFRONT_WEB_ACL_REGION = 'us-east-1';

/**
 * A WAFv2 web ACL with the house baseline (C19): a per-IP rate rule built from a per-second figure (WAF counts per
 * window, so the construct converts and checks WAF's limits at synth), evaluated first, then AWS managed rule groups
 * (common attacks, known bad inputs, IP reputation, and any named in `additionalManagedRuleGroups`); every rule with
 * CloudWatch metrics and sampled requests. Allows what no rule blocks. It is the `CfnWebACL` itself (`attrArn` is its
 * ARN): `ProtectedRestApi`, `FargateWebService` and `SecureDistribution` each create one, and it can protect any other
 * regional resource through `associate`.
 */
export class FintechWebAcl extends wafv2.CfnWebACL {
  /** The per-IP limit of the rate rule, in requests per evaluation window. */
  public readonly rateLimitPerWindow: number;
  /** The rate rule's evaluation window, in seconds. */
  public readonly rateEvaluationWindowSeconds: number;
  /** The managed rule groups, in evaluation order. */
  public readonly managedRuleGroups: string[];

  constructor(scope: Construct, id: string, props: FintechWebAclProps = {}) {
    const at = `FintechWebAcl at ${[scope.node.path, id].filter(Boolean).join('/')}`;
    const aclScope = props.scope ?? WebAclScope.REGIONAL;
    const region = Stack.of(scope).region;
    if (aclScope === WebAclScope.CLOUDFRONT && !Token.isUnresolved(region) && region !== CLOUDFRONT_WEB_ACL_REGION) {
      throw new Error(`${at}: a CLOUDFRONT web ACL must be created in ${CLOUDFRONT_WEB_ACL_REGION}, but its stack is in ${region}; ` +
        `create it in a stack of ${CLOUDFRONT_WEB_ACL_REGION} (SecureDistribution does this for you), or use WebAclScope.REGIONAL for a regional resource.`);
    }
    const windowSeconds = evaluationWindowSeconds(at, props.rateEvaluationWindow ?? DEFAULT_EVALUATION_WINDOW);
    const limit = rateLimitPerWindow(at, props.requestsPerSecondPerIp ?? DEFAULT_REQUESTS_PER_SECOND_PER_IP, windowSeconds);
    const groups = managedRuleGroups(at, props.additionalManagedRuleGroups ?? []);
    const metricBase = props.webAclName ?? kebabId(`${scope.node.id}-${id}`, 'web-acl');
    super(scope, id, {
      ...(props.webAclName ? { name: props.webAclName } : {}),
      description: props.description ?? `Protects ${[scope.node.path, id].filter(Boolean).join('/')}`,
      scope: aclScope,
      defaultAction: { allow: {} },
      visibilityConfig: visibility(metricBase),
      rules: [
        // First, so an address over its rate is blocked before the rule groups spend capacity on it.
        {
          name: 'RateLimitPerIp',
          priority: 0,
          action: { block: {} },
          statement: { rateBasedStatement: { limit, evaluationWindowSec: windowSeconds, aggregateKeyType: 'IP' } },
          visibilityConfig: visibility(`${metricBase}-rate-limit-per-ip`),
        },
        ...groups.map((group, index) => ({
          name: `AWS-${group}`,
          priority: index + 1,
          overrideAction: { none: {} },
          statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: group } },
          visibilityConfig: visibility(`${metricBase}-${group}`),
        })),
      ],
    });
    followStage(this);
    this.rateLimitPerWindow = limit;
    this.rateEvaluationWindowSeconds = windowSeconds;
    this.managedRuleGroups = groups;
  }

  /**
   * Protects a regional resource (an Application Load Balancer, an API Gateway stage, ...) with this web ACL.
   * A CLOUDFRONT web ACL is attached through the distribution's `webAclId` instead.
   */
  public associate(id: string, resourceArn: string): wafv2.CfnWebACLAssociation {
    if (this.scope !== WebAclScope.REGIONAL) {
      throw new Error(`FintechWebAcl at ${this.node.path}: associate() attaches regional resources, but this web ACL's scope is ${this.scope}; ` +
        'give its attrArn to the distribution\'s webAclId instead.');
    }
    return new wafv2.CfnWebACLAssociation(this.node.scope as Construct, id, { resourceArn, webAclArn: this.attrArn });
  }
}

function evaluationWindowSeconds(at: string, window: Duration): number {
  const seconds = window.toSeconds();
  if (!WAF_EVALUATION_WINDOWS_SECONDS.includes(seconds)) {
    throw new Error(`${at}: rateEvaluationWindow ${seconds} s is not a window WAF accepts; use one of ${WAF_EVALUATION_WINDOWS_SECONDS.join(', ')} seconds.`);
  }
  return seconds;
}

function rateLimitPerWindow(at: string, perSecond: number, windowSeconds: number): number {
  if (Token.isUnresolved(perSecond) || !Number.isFinite(perSecond) || perSecond <= 0) {
    throw new Error(`${at}: requestsPerSecondPerIp ${perSecond} must be a positive number known at synth; use the default ${DEFAULT_REQUESTS_PER_SECOND_PER_IP}.`);
  }
  // WAF counts per evaluation window, not per second (C19): the limit is the per-second figure times the window.
  const limit = Math.floor(perSecond * windowSeconds + 1e-9);
  if (limit < WAF_RATE_LIMIT_MINIMUM) {
    const smallest = Math.ceil((WAF_RATE_LIMIT_MINIMUM / windowSeconds) * 100) / 100;
    throw new Error(`${at}: requestsPerSecondPerIp ${perSecond} gives a WAF rate limit of ${limit} requests per ${windowSeconds}-second window, ` +
      `below WAF's minimum of ${WAF_RATE_LIMIT_MINIMUM}; use requestsPerSecondPerIp of at least ${smallest}, or a longer rateEvaluationWindow.`);
  }
  if (limit > WAF_RATE_LIMIT_MAXIMUM) {
    throw new Error(`${at}: requestsPerSecondPerIp ${perSecond} gives a WAF rate limit of ${limit} requests per ${windowSeconds}-second window, ` +
      `above WAF's maximum of ${WAF_RATE_LIMIT_MAXIMUM}; use at most ${Math.floor(WAF_RATE_LIMIT_MAXIMUM / windowSeconds)}.`);
  }
  return limit;
}

function managedRuleGroups(at: string, additional: readonly string[]): string[] {
  const groups = [...BASE_MANAGED_RULE_GROUPS];
  for (const group of additional) {
    if (Token.isUnresolved(group) || !/^[A-Za-z0-9_-]{1,128}$/.test(group)) {
      throw new Error(`${at}: additionalManagedRuleGroups entry "${group}" is not a managed rule group name; use a name such as 'AWSManagedRulesSQLiRuleSet'.`);
    }
    if (groups.includes(group)) {
      const why = BASE_MANAGED_RULE_GROUPS.includes(group) ? 'every FintechWebAcl has it already' : 'it is listed twice';
      throw new Error(`${at}: additionalManagedRuleGroups names ${group}, but ${why}; drop it from additionalManagedRuleGroups.`);
    }
    groups.push(group);
  }
  return groups;
}

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}
