/** How bad a `FintechChecks` finding is. */
export enum RuleSeverity {
  /** Fails the synth: CDK sets a non-zero exit code. */
  ERROR = 'error',
  /** Reported; the synth still succeeds. */
  WARNING = 'warning',
}
