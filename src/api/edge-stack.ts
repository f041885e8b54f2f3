import { createHash } from 'crypto';
import { Duration, Stack, Stage, Token } from 'aws-cdk-lib';
import { Construct, IConstruct } from 'constructs';
import { FintechWebAcl, WebAclScope } from '../network/fintech-web-acl';
import { FintechStage } from '../stage/fintech-stage';

/**
 * The region where CloudFront's regional companions must live: CLOUDFRONT-scope web ACLs (AWS WAF Developer Guide,
 * "Using AWS WAF with Amazon CloudFront"), standard logging v2 delivery sources of distributions and the ACM
 * certificates viewers see (CloudFront Developer Guide, "Requirements for using SSL/TLS certificates", read 2026-11).
 */
export const CLOUDFRONT_HOME_REGION = 'us-east-1';

/** Construct id of the stage's edge stack (stack name `<stage>-Edge`). */
const EDGE_STACK_ID = 'Edge';
/** Construct id of the edge stack of an app or plain Stage (outside any `FintechStage`). */
const APP_EDGE_STACK_ID = 'FintechEdge';
/** Suffix of the id of a workload stack's access-log stack (`<workload id>-EdgeLogs`). */
const ACCESS_LOGS_SUFFIX = 'EdgeLogs';
/** Construct id of the web ACL with the defaults. */
const DEFAULT_WEB_ACL_ID = 'WebAcl';

/** Options of a CLOUDFRONT web ACL made for distributions; in an `EdgeStack`, distributions asking for the same options share one. */
export interface EdgeWebAclOptions {
  /**
   * Requests per second one client IP address may send before the web ACL blocks it (see `FintechWebAcl`).
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
   * AWS managed rule groups to add after the baseline ones, by name (e.g. `AWSManagedRulesSQLiRuleSet`).
   *
   * @default - none
   */
  readonly additionalManagedRuleGroups?: string[];
}

/**
 * A stack in us-east-1 for what CloudFront accepts only there, made on demand by `SecureDistribution` for a stack in
 * another region. Two kinds, so no two stacks ever refer to each other:
 * - `EdgeStack.ofStage(scope)`: one per `FintechStage` and account (outside a `FintechStage`, one per app or plain Stage
 *   and account), holding the CLOUDFRONT web ACLs every distribution of the stage shares. It is deployed before the
 *   workload stacks, which read a web ACL's ARN through aws-cdk-lib's cross-region references.
 * - `EdgeStack.accessLogsOf(stack)`: one per workload stack, `<stack id>-EdgeLogs`, holding the standard logging v2
 *   resources of that stack's distributions. It reads the distributions' ARNs the same way, so it is deployed after.
 * Both take the stage's tags and removal policies like any stack of the stage.
 */
export class EdgeStack extends Stack {
  /** The us-east-1 stack of the stage (or app) that holds the shared CLOUDFRONT web ACLs of `scope`'s account. */
  public static ofStage(scope: IConstruct): EdgeStack {
    const stack = Stack.of(scope);
    const stage = Stage.of(stack);
    const owner: Construct = stage ?? stack.node.root;
    const account = Token.isUnresolved(stack.account) ? undefined : stack.account;
    const inFintechStage = FintechStage.isFintechStage(stage);
    const sameAccount = !inFintechStage || account === stage.account;
    const base = inFintechStage ? EDGE_STACK_ID : APP_EDGE_STACK_ID;
    const id = sameAccount ? base : `${base}-${account}`;
    const existing = owner.node.tryFindChild(id);
    if (existing instanceof EdgeStack) return existing;
    const stageName = inFintechStage ? `stage ${stage.environmentName}` : `app ${owner.node.path || '(root)'}`;
    return new EdgeStack(owner, id, account, `CloudFront web ACLs (us-east-1) shared by every SecureDistribution of ${stageName}`);
  }

  /**
   * The us-east-1 stack that holds the access-log delivery of the distributions of `stack` (a stack outside us-east-1),
   * `<stack id>-EdgeLogs` beside it.
   */
  public static accessLogsOf(stack: Stack): EdgeStack {
    const owner = stack.node.scope as Construct;
    const id = `${stack.node.id}-${ACCESS_LOGS_SUFFIX}`;
    const existing = owner.node.tryFindChild(id);
    if (existing instanceof EdgeStack) return existing;
    const account = Token.isUnresolved(stack.account) ? undefined : stack.account;
    return new EdgeStack(owner, id, account, `CloudFront access log delivery (us-east-1) of the distributions of ${stack.node.path}`);
  }

  private readonly webAcls = new Map<string, FintechWebAcl>();

  private constructor(scope: Construct, id: string, account: string | undefined, description: string) {
    super(scope, id, {
      env: { ...(account ? { account } : {}), region: CLOUDFRONT_HOME_REGION },
      // The access-log stack reads distribution ARNs from its workload stack in another region.
      crossRegionReferences: true,
      description,
    });
  }

  /**
   * The CLOUDFRONT web ACL of this stack for `options`, created on first use: distributions asking for the same
   * options share one (WAF bills per web ACL), different options get their own.
   */
  public webAcl(options: EdgeWebAclOptions = {}): FintechWebAcl {
    const key = JSON.stringify([
      options.requestsPerSecondPerIp, options.rateEvaluationWindow?.toSeconds(), options.additionalManagedRuleGroups ?? [],
    ]);
    const found = this.webAcls.get(key);
    if (found) return found;
    // Named from the options, so an ACL keeps its logical id whatever order the distributions ask in.
    const id = isDefault(options) ? DEFAULT_WEB_ACL_ID : `${DEFAULT_WEB_ACL_ID}${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
    const acl = new FintechWebAcl(this, id, { ...options, scope: WebAclScope.CLOUDFRONT, description: `Protects the CloudFront distributions of ${this.node.scope?.node.path || 'the app'}` });
    this.webAcls.set(key, acl);
    return acl;
  }
}

function isDefault(options: EdgeWebAclOptions): boolean {
  return options.requestsPerSecondPerIp === undefined && options.rateEvaluationWindow === undefined
    && (options.additionalManagedRuleGroups ?? []).length === 0;
}
