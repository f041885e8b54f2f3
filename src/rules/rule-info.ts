/** How bad a finding is. */
export enum RuleSeverity {
  /** Fails synth. */
  ERROR = 'error',
  /** Reported, synth goes on. */
  WARNING = 'warning',
}

/** What a rule checks, for reports and docs. */
export interface RuleInfo {
  /** Rule id, carrying the catalog id: `Fintech-C03-BucketTlsOnly`. */
  readonly id: string;
  /** Catalog class of `failure-catalog.md`, e.g. `C03`. */
  readonly catalogId: string;
  /** One line: what the rule requires. */
  readonly title: string;
  /** Why it matters. */
  readonly description: string;
  /** The one-line fix. */
  readonly fix: string;
  /** Severity unless `FintechChecksProps.warningRules` lowers it. */
  readonly severity: RuleSeverity;
  /** Whether an acknowledgement silences the rule in a durable stage too. */
  readonly acknowledgeableInDurableStages: boolean;
}
