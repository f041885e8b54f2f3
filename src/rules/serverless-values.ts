import { TemplateValue } from './template-value';

/**
 * Whether a value is true in Python, as the AWS SAM transform tests its properties: not null, false, zero, or an empty
 * string, list or map.
 */
export function isTruthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (TemplateValue.isObject(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

/** The entries of `source` under `keys` that are set (not undefined), in the order of `keys`. */
export function pick(source: { readonly [key: string]: unknown }, keys: readonly string[]): { [key: string]: unknown } {
  const picked: { [key: string]: unknown } = {};
  for (const key of keys) if (source[key] !== undefined) picked[key] = source[key];
  return picked;
}
