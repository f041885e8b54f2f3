import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { endpointOverrides } from './endpoint-override';

/** Where AWS credentials can come from, checked without any network call. */
export interface CredentialEnvironment {
  readonly env: { readonly [name: string]: string | undefined };
  readonly homeDir: string;
}

/** The outcome of the pre-check. */
export interface PrecheckResult {
  readonly ok: boolean;
  /** The account the credentials belong to, when `ok`. */
  readonly account?: string;
  /** What is wrong and how to fix it, when not `ok`. */
  readonly message?: string;
}

/** Calls STS GetCallerIdentity once; injected so tests run without AWS. */
export type CallerIdentity = (region: string) => Promise<{ Account?: string }>;

const WAYS_TO_AUTHENTICATE = [
  'Provide AWS credentials in one of these ways, then run the command again:',
  '  - aws sso login --profile <profile>, then export AWS_PROFILE=<profile>',
  '  - export AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... (and AWS_SESSION_TOKEN for temporary keys)',
  '  - in GitHub Actions: aws-actions/configure-aws-credentials with role-to-assume (OIDC, no long-lived keys)',
  '  - on EC2, ECS or CodeBuild: the instance or task role is used automatically',
  'Without an account, everything else still runs offline: npx projen build (synth, unit tests, rule pack),',
  'npx projen integ:snapshot and npx projen integ:verify.',
].join('\n');

// What STS (and an emulator imitating it) answers when it does not accept the keys, and what each answer means.
const REJECTED_CREDENTIALS_MEANING: { readonly [name: string]: string } = {
  InvalidClientTokenId: 'the access key ID is unknown there',
  UnrecognizedClientException: 'the access key ID or session token is unknown there',
  SignatureDoesNotMatch: 'the secret access key does not belong to the access key ID',
  InvalidSignatureException: 'the secret access key does not belong to the access key ID',
  IncompleteSignature: 'the request signature is incomplete: a key or session token is empty or malformed',
};
const REJECTED_CREDENTIALS = Object.keys(REJECTED_CREDENTIALS_MEANING);

/** The STS endpoint the SDK calls: the endpoint variables' (per-service first, as the SDK reads them), else AWS's regional one. */
export function stsEndpoint(env: { readonly [name: string]: string | undefined }, region: string): { url: string; overridden: boolean } {
  const override = endpointOverrides(env);
  const url = override.find(o => o.name === 'AWS_ENDPOINT_URL_STS')?.url ?? override.find(o => o.name === 'AWS_ENDPOINT_URL')?.url;
  return url ? { url, overridden: true } : { url: `https://sts.${region}.amazonaws.com`, overridden: false };
}

/** For a command without credentials that targets an emulator: the SDK still signs requests, and any keys do. */
function emulatorKeys(env: { readonly [name: string]: string | undefined }): string {
  const endpoint = endpointOverrides(env)[0];
  return endpoint ? `\nAgainst the emulator at ${endpoint.url} (${endpoint.name}) any keys do: export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing` : '';
}

/** Names of the credential sources present, from the environment and the shared config files only. */
export function findCredentialSources(where: CredentialEnvironment): string[] {
  const { env } = where;
  const sources: string[] = [];
  if (env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) sources.push('environment variables');
  if (env.AWS_WEB_IDENTITY_TOKEN_FILE && env.AWS_ROLE_ARN) sources.push('web identity token');
  if (env.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || env.AWS_CONTAINER_CREDENTIALS_FULL_URI) sources.push('container credentials');
  const profile = env.AWS_PROFILE ?? env.AWS_DEFAULT_PROFILE ?? 'default';
  const credentialsFile = env.AWS_SHARED_CREDENTIALS_FILE ?? path.join(where.homeDir, '.aws', 'credentials');
  const configFile = env.AWS_CONFIG_FILE ?? path.join(where.homeDir, '.aws', 'config');
  if (hasSection(credentialsFile, profile)) sources.push(`profile "${profile}" in ${credentialsFile}`);
  if (hasSection(configFile, profile === 'default' ? 'default' : `profile ${profile}`)) sources.push(`profile "${profile}" in ${configFile}`);
  return sources;
}

/**
 * Fails in a few seconds, with the ways to authenticate, when no usable credentials exist.
 * (Deploying without credentials otherwise fails only after about 70 s of SDK retries.)
 */
export async function precheckCredentials(region: string, callerIdentity: CallerIdentity, where: CredentialEnvironment = {
  env: process.env,
  homeDir: os.homedir(),
}): Promise<PrecheckResult> {
  const sources = findCredentialSources(where);
  if (sources.length === 0 && where.env.AWS_EC2_METADATA_DISABLED === 'true') {
    return { ok: false, message: `No AWS credentials found (no environment variables, profile, web identity or container credentials).\n${WAYS_TO_AUTHENTICATE}${emulatorKeys(where.env)}` };
  }
  try {
    const identity = await callerIdentity(region);
    return { ok: true, account: identity.Account };
  } catch (error) {
    const name = (error as { name?: string }).name ?? 'Error';
    const detail = (error as Error).message ?? String(error);
    const found = sources.length > 0 ? `Credentials were found (${sources.join(', ')}) but` : 'No AWS credentials were found, and';
    if (/Expired|expired/.test(name + detail)) {
      return { ok: false, message: `${found} they have expired (${name}). Refresh them, e.g. aws sso login, and run the command again.\n${WAYS_TO_AUTHENTICATE}` };
    }
    if (REJECTED_CREDENTIALS.includes(name)) {
      const endpoint = stsEndpoint(where.env, region);
      const emulator = endpoint.overridden
        ? ` The endpoint variables point at ${endpoint.url}: use the keys that endpoint expects.`
        : ' Keys of an emulator (e.g. testing/testing) are not AWS keys: unset them, or set AWS_ENDPOINT_URL to the emulator.';
      return {
        ok: false,
        message: `${found} the endpoint ${endpoint.url} does not accept them: STS GetCallerIdentity in ${region} answered ${name} ` +
          `(${REJECTED_CREDENTIALS_MEANING[name]}).${emulator}\n${WAYS_TO_AUTHENTICATE}`,
      };
    }
    return { ok: false, message: `${found} STS GetCallerIdentity in ${region} failed: ${name}: ${detail}\n${WAYS_TO_AUTHENTICATE}${sources.length > 0 ? '' : emulatorKeys(where.env)}` };
  }
}

/** GetCallerIdentity with one attempt and short timeouts, using the project's own AWS SDK. */
export function stsCallerIdentity(projectDir: string): CallerIdentity {
  return async (region: string) => {
    const { sdk, clientConfig } = projectSdk(projectDir, '@aws-sdk/client-sts', region);
    return new sdk.STSClient(clientConfig).send(new sdk.GetCallerIdentityCommand({}));
  };
}

/** Reads the version CDK bootstrap records in SSM; resolves undefined when the parameter does not exist. Injected in tests. */
export type BootstrapVersion = (region: string) => Promise<string | undefined>;

/**
 * Whether `region` of `account` is bootstrapped for the CDK: refused, with the bootstrap command, when the version
 * parameter does not exist; allowed, with a warning in `message`, when it cannot be read (a least-privilege role may
 * not read SSM; the deploy itself will tell).
 */
export async function precheckBootstrap(region: string, account: string | undefined, bootstrapVersion: BootstrapVersion): Promise<PrecheckResult> {
  let version: string | undefined;
  try {
    version = await bootstrapVersion(region);
  } catch (error) {
    return { ok: true, message: `could not read the CDK bootstrap version in ${region} (${(error as Error).name ?? 'Error'}); going on.` };
  }
  if (version !== undefined) return { ok: true };
  const target = account ?? '<account>';
  return {
    ok: false,
    message: `${region} of account ${target} is not bootstrapped for the CDK (no /cdk-bootstrap/hnb659fds/version parameter). ` +
      `Bootstrap it once, then run the command again: npx cdk bootstrap aws://${target}/${region}`,
  };
}

/** The bootstrap version parameter of CDK's default qualifier, read with the project's own SDK (one attempt, short timeouts). */
export function ssmBootstrapVersion(projectDir: string, qualifier: string = 'hnb659fds'): BootstrapVersion {
  return async (region: string) => {
    const { sdk, clientConfig } = projectSdk(projectDir, '@aws-sdk/client-ssm', region);
    try {
      const result = await new sdk.SSMClient(clientConfig).send(new sdk.GetParameterCommand({ Name: `/cdk-bootstrap/${qualifier}/version` }));
      return result.Parameter?.Value;
    } catch (error) {
      if ((error as { name?: string }).name === 'ParameterNotFound') return undefined;
      throw error;
    }
  };
}

/** Which of `names` do not exist as SSM parameters in a region; injected in tests. */
export type MissingParameters = (region: string, names: string[]) => Promise<string[]>;

// GetParameters takes at most 10 names per call (SSM API reference).
const GET_PARAMETERS_BATCH = 10;

/** Looks `names` up with SSM GetParameters, with the project's own SDK (one attempt, short timeouts). */
export function ssmMissingParameters(projectDir: string): MissingParameters {
  return async (region: string, names: string[]) => {
    const { sdk, clientConfig } = projectSdk(projectDir, '@aws-sdk/client-ssm', region);
    const client = new sdk.SSMClient(clientConfig);
    const missing: string[] = [];
    for (let i = 0; i < names.length; i += GET_PARAMETERS_BATCH) {
      const result = await client.send(new sdk.GetParametersCommand({ Names: names.slice(i, i + GET_PARAMETERS_BATCH) }));
      missing.push(...(result.InvalidParameters ?? []));
    }
    return missing;
  };
}

/** An SDK client package of the project, with a client config that gives up fast: no retries, one-second metadata probe. */
export function projectSdk(projectDir: string, pkg: string, region: string): { sdk: any; clientConfig: object } {
  let sdkPath: string;
  try {
    sdkPath = require.resolve(pkg, { paths: [projectDir] });
  } catch {
    // A repo generated before this pre-check existed lacks the client until projen adds it.
    throw Object.assign(new Error(`${pkg} is not installed in ${projectDir}; run npx projen to add it`), { name: `${pkg} not installed, run npx projen` });
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require(sdkPath);
  const providerPath = require.resolve('@aws-sdk/credential-provider-node', { paths: [path.dirname(sdkPath), projectDir] });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { defaultProvider } = require(providerPath);
  return {
    sdk,
    clientConfig: {
      region,
      maxAttempts: 1,
      // The instance metadata probe is the slow part offline: one try, one second.
      credentials: defaultProvider({ timeout: 1000, maxRetries: 0 }),
      requestHandler: { connectionTimeout: 2000, requestTimeout: 3000 },
    },
  };
}

function hasSection(file: string, section: string): boolean {
  try {
    return fs.readFileSync(file, 'utf-8').split(/\r?\n/).some(line => line.trim() === `[${section}]`);
  } catch {
    return false;
  }
}
