/** Context key naming the directory FintechChecks writes SARIF and Markdown reports to; shared with the projen task that sets it. */
export const CHECKS_REPORT_DIR_CONTEXT = 'fintech:checks-report-dir';

/**
 * Template metadata key under which a stack lists the inputs its integ test needs from the deploying account
 * (`IntegInput` writes it at synth, `fintech-integ deploy` reads it from the snapshot before deploying).
 */
export const INTEG_INPUTS_METADATA = 'fintech:integ-inputs';

/**
 * Template metadata key under which a stack lists the inputs it was synthesized without, with placeholders in their place
 * (`UnsetInput` writes it at synth; `fintech-deploy` and `fintech-integ deploy` refuse to deploy such a stack, naming each).
 */
export const UNSET_INPUTS_METADATA = 'fintech:unset-inputs';
