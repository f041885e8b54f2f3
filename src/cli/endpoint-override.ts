/**
 * The AWS endpoint variables in effect: `AWS_ENDPOINT_URL` and its per-service forms (`AWS_ENDPOINT_URL_STS`,
 * `AWS_ENDPOINT_URL_SSM`, `AWS_ENDPOINT_URL_CLOUDFORMATION`, ...), as the AWS SDK v3, the AWS CLI and the cdk CLI read
 * them, in name order. Empty when none is set, or when `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true` tells the SDK to
 * ignore them.
 *
 * The pre-checks need nothing more to honour them: their clients set no endpoint of their own, so the SDK resolves
 * each service's endpoint from these variables (`getEndpointUrlConfig` of @smithy/core, read 2026-12: the per-service
 * variable first, then `AWS_ENDPOINT_URL`).
 */
export function endpointOverrides(env: { readonly [name: string]: string | undefined }): Array<{ name: string; url: string }> {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true') return [];
  return Object.keys(env)
    .filter(name => /^AWS_ENDPOINT_URL(_[A-Z0-9_]+)?$/.test(name) && !!env[name])
    .sort()
    .map(name => ({ name, url: env[name]! }));
}

/**
 * The one line a command prints when endpoint variables are set, e.g.
 * `fintech-deploy: AWS_ENDPOINT_URL=http://localhost:4566 is set: targeting an emulator, not AWS`; undefined otherwise.
 */
export function emulatorNotice(command: string, env: { readonly [name: string]: string | undefined }): string | undefined {
  const overrides = endpointOverrides(env);
  if (overrides.length === 0) return undefined;
  const set = overrides.map(o => `${o.name}=${o.url}`).join(', ');
  return `${command}: ${set} ${overrides.length > 1 ? 'are' : 'is'} set: targeting an emulator, not AWS`;
}
