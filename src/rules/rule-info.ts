import { RuleSeverity } from './rule-severity';

/** The compliance controls one rule helps meet, so a finding can answer "which control does this enforce?". */
export interface RuleControls {
  /**
   * AWS Control Tower proactive controls (`CT.<SERVICE>.PR.<n>`, as bundled by `@cdklabs/cdk-validator-cfnguard`) that
   * check the same thing on the same resource type, e.g. `CT.S3.PR.1`; empty when no control does.
   */
  readonly controlTower: string[];

  /** PCI DSS v4.0 requirements the rule helps meet, e.g. `3.5.1`; empty when it serves none. */
  readonly pciDss: string[];

  /**
   * Why a list is empty, or where the rule and a related control differ (a control that is stricter or looser is not
   * listed).
   *
   * @default - no remark: both lists are complete and need no explanation
   */
  readonly note?: string;
}

/** What one rule of `FintechChecks` checks, for reports and generated docs. */
export interface RuleInfo {
  /** Rule id, carrying the catalog id and a name, e.g. `Fintech-C01-RequiredTags`. Acknowledge findings with it. */
  readonly id: string;

  /** Class of the failure catalog the rule covers, e.g. `C01`. */
  readonly catalogId: string;

  /** One line: what the rule requires. */
  readonly title: string;

  /** Why it matters. */
  readonly description: string;

  /** The one-line fix. */
  readonly fix: string;

  /** Severity of its findings unless `FintechChecksProps.warningRules` lowers it. */
  readonly defaultSeverity: RuleSeverity;

  /** Whether an acknowledgement silences its findings in a durable stage; in ephemeral stages it always does. */
  readonly acknowledgeableInDurableStages: boolean;

  /**
   * The AWS Control Tower proactive controls and PCI DSS v4.0 requirements the rule helps meet.
   *
   * @default - none known: `FintechChecks.rules()` fills it for every rule of the pack; rules outside it have none
   */
  readonly controls?: RuleControls;
}
