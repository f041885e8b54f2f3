import { COUNT_STATISTICS, ERROR_COUNT_METRIC_NAMES } from './error-count-metrics';
import { TemplateValue } from '../template-value';

/** A metric math expression of an alarm that still evaluates an absolute failure count. */
export interface CountExpression {
  /** Template location of the expression entry, e.g. `Properties/Metrics/2`. */
  readonly location: string;
  /** The expression text. */
  readonly expression: string;
  /** The failure-count metrics it adds up, e.g. `AWS/Lambda Errors`. */
  readonly counts: readonly string[];
}

// Functions that keep a count a count: adding series, filling gaps. Everything else (IF, RATE, ANOMALY_DETECTION_BAND,
// SEARCH, METRICS, ...) is taken as a deliberate choice and not judged.
const COUNT_FUNCTIONS = new Set(['SUM', 'FILL']);
const FILL_KEYWORDS = new Set(['REPEAT', 'LINEAR']);
const TOKEN = /[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|\S/g;

/**
 * The expression an alarm evaluates (its `Metrics` entry with ReturnData true, the default) when that expression only adds,
 * subtracts, scales, sums or fills failure counts (`ERROR_COUNT_METRIC_NAMES` with Sum or SampleCount), e.g.
 * `m1 + m2` or `FILL(errors, 0)`: still an absolute count. A division anywhere (`100 * errors / requests`) makes it a rate;
 * any other function, an id that is not a failure count, or anything intrinsic makes it undefined (not judged).
 */
export function countExpressionOf(properties: { readonly [key: string]: unknown }): CountExpression | undefined {
  const entries = properties.Metrics;
  if (!Array.isArray(entries)) return undefined;
  const byId = new Map<string, { readonly entry: { readonly [key: string]: unknown }; readonly index: number }>();
  let returned: { readonly entry: { readonly [key: string]: unknown }; readonly index: number } | undefined;
  for (const [index, entry] of entries.entries()) {
    if (!TemplateValue.isObject(entry) || TemplateValue.isIntrinsic(entry)) return undefined;
    if (typeof entry.Id === 'string') byId.set(entry.Id, { entry, index });
    if (TemplateValue.booleanOf(entry.ReturnData) !== false) returned = returned ? undefined : { entry, index };
  }
  if (!returned || typeof returned.entry.Expression !== 'string') return undefined;
  const counts = countsOf(returned.entry.Expression, byId, new Set());
  if (!counts || counts.length === 0) return undefined;
  return { location: `Properties/Metrics/${returned.index}`, expression: returned.entry.Expression, counts: [...new Set(counts)] };
}

/** The failure-count metrics an expression adds up, or undefined when it is anything but a count. */
type Entries = ReadonlyMap<string, { readonly entry: { readonly [key: string]: unknown } }>;

function countsOf(expression: string, byId: Entries, visiting: Set<string>): string[] | undefined {
  const tokens = expression.match(TOKEN) ?? [];
  const counts: string[] = [];
  for (const [i, token] of tokens.entries()) {
    if (/^[\d.]+$/.test(token) || ['+', '-', '*', '(', ')', ',', '[', ']'].includes(token)) continue;
    if (!/^[A-Za-z_]/.test(token)) return undefined;
    if (COUNT_FUNCTIONS.has(token) && tokens[i + 1] === '(') continue;
    if (FILL_KEYWORDS.has(token)) continue;
    const input = byId.get(token);
    if (!input || visiting.has(token)) return undefined;
    const inner = countOfEntry(input.entry, byId, new Set([...visiting, token]));
    if (!inner) return undefined;
    counts.push(...inner);
  }
  return counts;
}

function countOfEntry(entry: { readonly [key: string]: unknown }, byId: Entries, visiting: Set<string>): string[] | undefined {
  if (typeof entry.Expression === 'string') return countsOf(entry.Expression, byId, visiting);
  const stat = entry.MetricStat;
  if (!TemplateValue.isObject(stat) || TemplateValue.isIntrinsic(stat)) return undefined;
  const metric = stat.Metric;
  if (!TemplateValue.isObject(metric) || TemplateValue.isIntrinsic(metric)) return undefined;
  const { MetricName: name, Namespace: namespace } = metric;
  if (typeof name !== 'string' || !ERROR_COUNT_METRIC_NAMES.has(name) || typeof stat.Stat !== 'string' || !COUNT_STATISTICS.has(stat.Stat)) return undefined;
  return [`${typeof namespace === 'string' ? `${namespace} ` : ''}${name}`];
}
