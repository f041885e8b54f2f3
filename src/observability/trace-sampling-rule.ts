import { Token } from 'aws-cdk-lib';
import * as xray from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import { NameKind, PhysicalName } from '../stage/physical-name';

/** Properties of a `TraceSamplingRule`. */
export interface TraceSamplingRuleProps {
  /**
   * Share of matching requests traced once the reservoir is used up, from 0 to 1.
   * The observability blueprint uses 0.1.
   *
   * @default 0.05
   */
  readonly fixedRate?: number;

  /**
   * Matching requests traced per second before `fixedRate` applies, shared by all instances of the services.
   *
   * @default 1
   */
  readonly reservoirSize?: number;

  /**
   * Service name the rule matches, as the service names itself in segments (a Lambda function's name,
   * an API's `<api-name>/<stage>`); `*` and `?` are wildcards. X-Ray rules apply to the whole account and
   * region, so in an account shared by stages narrow it, e.g. `ledger-*-dev`.
   *
   * @default '*'
   */
  readonly serviceName?: string;

  /**
   * HTTP method the rule matches; `*` and `?` are wildcards.
   *
   * @default '*'
   */
  readonly httpMethod?: string;

  /**
   * URL path the rule matches; `*` and `?` are wildcards.
   *
   * @default '*'
   */
  readonly urlPath?: string;

  /**
   * Evaluation order among the account's rules, 1 to 9999; lower is evaluated first.
   *
   * @default 1000
   */
  readonly priority?: number;

  /**
   * Base of the rule name, `<application>-<base>-<stage>`, shortened with a hash to X-Ray's 32 characters.
   *
   * @default 'sampling'
   */
  readonly nameBase?: string;
}

// X-Ray's own default rule traces 1 request per second plus 5%: the same cost until a team chooses more
// (X-Ray Developer Guide, "Configuring sampling rules", checked 2026-11).
const DEFAULT_FIXED_RATE = 0.05;
const DEFAULT_RESERVOIR_SIZE = 1;
// Leaves room before it for narrower rules (e.g. a hot path at a lower rate) and after it for catch-alls.
const DEFAULT_PRIORITY = 1000;
// X-Ray CreateSamplingRule: Priority 1-9999 (API reference, checked 2026-11); its name limits live in PhysicalName.
const MAX_PRIORITY = 9999;

/**
 * An X-Ray sampling rule for the stage's services (C11): a reservoir plus a fixed rate, with
 * service, method and path filters. The name carries the stage and fits X-Ray's 32 characters.
 */
export class TraceSamplingRule extends Construct {
  /** The sampling rule. */
  public readonly samplingRule: xray.CfnSamplingRule;
  /** The rule name, at most 32 characters. */
  public readonly ruleName: string;
  /** The rule ARN. */
  public readonly ruleArn: string;
  /** Share of requests traced after the reservoir. */
  public readonly fixedRate: number;

  constructor(scope: Construct, id: string, props: TraceSamplingRuleProps = {}) {
    super(scope, id);
    const at = `TraceSamplingRule at ${this.node.path}`;
    this.fixedRate = props.fixedRate ?? DEFAULT_FIXED_RATE;
    const reservoirSize = props.reservoirSize ?? DEFAULT_RESERVOIR_SIZE;
    const priority = props.priority ?? DEFAULT_PRIORITY;
    if (!Token.isUnresolved(this.fixedRate) && !(this.fixedRate >= 0 && this.fixedRate <= 1)) {
      throw new Error(`${at}: fixedRate ${this.fixedRate} is outside 0..1; it is the share of requests traced after the reservoir, e.g. 0.1 for 10%.`);
    }
    if (!Token.isUnresolved(priority) && !(Number.isInteger(priority) && priority >= 1 && priority <= MAX_PRIORITY)) {
      throw new Error(`${at}: priority ${priority} must be a whole number from 1 to ${MAX_PRIORITY} (lower is evaluated first); use the default ${DEFAULT_PRIORITY} unless another rule must come first.`);
    }
    if (!Token.isUnresolved(reservoirSize) && !(Number.isInteger(reservoirSize) && reservoirSize >= 0)) {
      throw new Error(`${at}: reservoirSize ${reservoirSize} must be a whole number of requests per second, 0 or more; use the default ${DEFAULT_RESERVOIR_SIZE}.`);
    }

    this.ruleName = PhysicalName.of(this, props.nameBase ?? 'sampling', { kind: NameKind.XRAY_SAMPLING_RULE });
    this.samplingRule = new xray.CfnSamplingRule(this, 'Resource', {
      samplingRule: {
        ruleName: this.ruleName,
        fixedRate: this.fixedRate,
        reservoirSize,
        priority,
        serviceName: props.serviceName ?? '*',
        httpMethod: props.httpMethod ?? '*',
        urlPath: props.urlPath ?? '*',
        host: '*',
        serviceType: '*',
        resourceArn: '*',
        version: 1,
      },
    });
    this.ruleArn = this.samplingRule.attrRuleArn;
  }
}
