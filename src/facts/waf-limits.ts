// Facts about AWS WAF rate-based rules, used by ProtectedRestApi (to build its rate rule) and by the C19 rules.
// Source: AWS WAF Developer Guide, "Rate-based rule high-level settings"
// (https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based-high-level-settings.html), read 2026-11-23.

/** Lowest `Limit` a rate-based statement accepts, in requests per evaluation window. */
export const WAF_RATE_LIMIT_MINIMUM = 10;

/** Highest `Limit` a rate-based statement accepts (the API's documented maximum: 2,000,000,000). */
export const WAF_RATE_LIMIT_MAXIMUM = 2_000_000_000;

/** The evaluation windows a rate-based statement accepts, in seconds (`EvaluationWindowSec`). */
export const WAF_EVALUATION_WINDOWS_SECONDS: readonly number[] = [60, 120, 300, 600];

/** Window WAF uses when `EvaluationWindowSec` is absent, in seconds. */
export const WAF_DEFAULT_EVALUATION_WINDOW_SECONDS = 300;
