import { DEFAULT_ENVIRONMENTS } from './config-validation';

// Read at synth time by the constructs (src/stage) and by FintechChecks (src/rules): pure functions, no constructs.

/** Context key: the stage name constructs outside a `FintechStage` follow, e.g. `cdk synth -c fintech:stage=dev`. */
export const STAGE_CONTEXT = 'fintech:stage';
/** Context key: whether that stage is durable (`true`/`false`); defaults to whether the name is `staging` or `prod`. */
export const DURABLE_CONTEXT = 'fintech:durable';
/** Context key: the application name, first part of physical names outside a `FintechStage`. */
export const APPLICATION_CONTEXT = 'fintech:application';
/** Context key: the email subscribed to alert topics outside a `FintechStage` (C08: alarms page someone). */
export const ALARM_EMAIL_CONTEXT = 'fintech:alarm-email';
/** Metadata a stack outside a `FintechStage` carries once its constructs resolved their stage, read by FintechChecks. */
export const STAGE_SETTINGS_METADATA = 'fintech:stage-settings';
/** Id of the one warning a stack gets when its constructs fall back to the durable default; acknowledge it with this id. */
export const DURABLE_DEFAULT_WARNING = 'fintech:durable-default';

// Names become part of DNS-safe physical names, like FintechEnvironment names (config-validation).
const NAME = /^[a-z][a-z0-9-]{0,30}[a-z0-9]$|^[a-z]$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DEFAULT_DURABLE_NAMES = DEFAULT_ENVIRONMENTS.filter(env => env.durable).map(env => env.name);

/** A stage given by context values instead of an enclosing `FintechStage`. */
export interface StageFromContext {
  /** The stage name (`fintech:stage`). */
  readonly stageName: string;
  /** Whether it is durable (`fintech:durable`, else whether the name is a default durable stage). */
  readonly durable: boolean;
}

/** What a stack records in `STAGE_SETTINGS_METADATA`: the settings its constructs followed. */
export interface RecordedStageSettings {
  /** Stage name; '' for the durable default, which has none. */
  readonly stageName: string;
  /** Whether the constructs retained data and turned deletion protection on. */
  readonly durable: boolean;
}

/**
 * The stage set by context (`fintech:stage`, `fintech:durable`), or undefined when `fintech:stage` is unset.
 * Throws, naming `at`, the key and a fix, on a value that is not a valid stage name or boolean.
 *
 * @param tryGetContext reads one context value, e.g. `key => scope.node.tryGetContext(key)`
 * @param at the construct path errors name
 */
export function stageFromContext(tryGetContext: (key: string) => unknown, at: string): StageFromContext | undefined {
  const name = tryGetContext(STAGE_CONTEXT);
  const durable = tryGetContext(DURABLE_CONTEXT);
  if (name === undefined || name === null || name === '') {
    if (durable !== undefined) {
      throw new Error(`${at}: context ${DURABLE_CONTEXT} is set but ${STAGE_CONTEXT} is not; set both, e.g. -c ${STAGE_CONTEXT}=dev -c ${DURABLE_CONTEXT}=false.`);
    }
    return undefined;
  }
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new Error(`${at}: context ${STAGE_CONTEXT} is ${JSON.stringify(name)}; a stage name is lowercase letters, digits and hyphens, starting with a letter, e.g. "dev".`);
  }
  return { stageName: name, durable: durable === undefined ? DEFAULT_DURABLE_NAMES.includes(name) : parseBoolean(durable, DURABLE_CONTEXT, at) };
}

/**
 * The application name set by context (`fintech:application`), or undefined when unset.
 * Throws, naming `at`, on a value that is not a valid application name.
 */
export function applicationFromContext(tryGetContext: (key: string) => unknown, at: string): string | undefined {
  const name = tryGetContext(APPLICATION_CONTEXT);
  if (name === undefined || name === null || name === '') return undefined;
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new Error(`${at}: context ${APPLICATION_CONTEXT} is ${JSON.stringify(name)}; an application name is lowercase letters, digits and hyphens, starting with a letter, e.g. "payments".`);
  }
  return name;
}

/**
 * The alarm email set by context (`fintech:alarm-email`), or undefined when unset.
 * Throws, naming `at`, on a value that is not an email address.
 */
export function alarmEmailFromContext(tryGetContext: (key: string) => unknown, at: string): string | undefined {
  const email = tryGetContext(ALARM_EMAIL_CONTEXT);
  if (email === undefined || email === null || email === '') return undefined;
  if (typeof email !== 'string' || !EMAIL.test(email)) {
    throw new Error(`${at}: context ${ALARM_EMAIL_CONTEXT} is ${JSON.stringify(email)}; use an email address, e.g. "oncall@example.com".`);
  }
  return email;
}

/** The settings recorded in a construct's metadata entries (`STAGE_SETTINGS_METADATA`), if any. */
export function recordedStageSettings(
  metadata: ReadonlyArray<{ readonly type: string; readonly data?: unknown }>,
): RecordedStageSettings | undefined {
  const entry = metadata.find(m => m.type === STAGE_SETTINGS_METADATA);
  const data = entry?.data as { stageName?: unknown; durable?: unknown } | undefined;
  if (!data || typeof data !== 'object' || typeof data.stageName !== 'string' || typeof data.durable !== 'boolean') return undefined;
  return { stageName: data.stageName, durable: data.durable };
}

// The CLI passes -c values as strings.
function parseBoolean(value: unknown, key: string, at: string): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`${at}: context ${key} is ${JSON.stringify(value)}; use true or false.`);
}
