import { RuleSeverity } from './rule-severity';

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
}
