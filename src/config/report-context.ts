/** Context key naming the directory FintechChecks writes SARIF and Markdown reports to; shared with the projen task that sets it. */
export const CHECKS_REPORT_DIR_CONTEXT = 'fintech:checks-report-dir';
