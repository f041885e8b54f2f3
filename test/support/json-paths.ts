/** Every path into a JSON value, e.g. ['DistributionConfig', 'CacheBehaviors', 0]. */
export function paths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (Array.isArray(value)) return value.flatMap((item, i) => [[...prefix, i], ...paths(item, [...prefix, i])]);
  if (typeof value === 'object' && value !== null) return Object.entries(value).flatMap(([key, item]) => [[...prefix, key], ...paths(item, [...prefix, key])]);
  return [];
}

/** A deep copy of `value` with the value at `path` replaced. */
export function replaced<T>(value: T, path: Array<string | number>, replacement: unknown): T {
  const copy = JSON.parse(JSON.stringify(value));
  let at = copy;
  for (const key of path.slice(0, -1)) at = at[key];
  at[path[path.length - 1]] = replacement;
  return copy;
}
