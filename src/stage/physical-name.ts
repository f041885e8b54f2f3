import { createHash } from 'crypto';
import { Aws, Stack, Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { FintechStage, StageSettingsSource } from './fintech-stage';
import { NAME_LIMITS, S3_BUCKET_RESERVED_PREFIXES, S3_BUCKET_RESERVED_SUFFIXES } from '../facts/name-limits';

/** The AWS service a physical name is for: each has its own length and character limits. */
export enum NameKind {
  /** Lowercase letters, digits and hyphens, at most 64 characters. */
  GENERIC = 'generic',
  /** 3-63 lowercase letters, digits and hyphens; global, so the account id is part of the name. */
  S3_BUCKET = 's3-bucket',
  /** 3-255 of letters, digits, `_ - .`. */
  DYNAMODB_TABLE = 'dynamodb-table',
  /** 1-80 of letters, digits, `_ -` (a FIFO queue's `.fifo` included). */
  SQS_QUEUE = 'sqs-queue',
  /** 1-256 of letters, digits, `_ -` (a FIFO topic's `.fifo` included). */
  SNS_TOPIC = 'sns-topic',
  /** 1-64 of letters, digits, `_ -`. */
  LAMBDA_FUNCTION = 'lambda-function',
  /** 1-64 of letters, digits, `+ = , . @ _ -`. */
  IAM_ROLE = 'iam-role',
  /** 1-512 of letters, digits, `_ - / . #`. */
  LOG_GROUP = 'log-group',
  /** `alias/` plus letters, digits, `/ _ -`, at most 256 characters in all. */
  KMS_ALIAS = 'kms-alias',
  /** 1-80 of letters, digits, `_ -`. */
  STATE_MACHINE = 'state-machine',
  /** 1-512 of letters, digits, `/ _ + = . @ -`. */
  SECRET = 'secret',
  /** 1-32 of letters, digits, `_ -` (X-Ray sampling rules). */
  XRAY_SAMPLING_RULE = 'xray-sampling-rule',
  /** 1-21 of lowercase letters, digits, `_ -` (CloudWatch Synthetics canaries). */
  SYNTHETICS_CANARY = 'synthetics-canary',
}

/** Options of `PhysicalName.of`. */
export interface PhysicalNameOptions {
  /**
   * The service the name is for; decides the length limit and the allowed characters.
   *
   * @default NameKind.GENERIC
   */
  readonly kind?: NameKind;

  /**
   * Append `.fifo`, which FIFO queues and topics require. Only for `NameKind.SQS_QUEUE` and `NameKind.SNS_TOPIC`.
   *
   * @default false
   */
  readonly fifo?: boolean;
}

interface NameRule {
  /** Longest name the service accepts, prefix and suffixes included. */
  readonly maxLength: number;
  /** Characters allowed in the base, after lowercasing. */
  readonly allowed: RegExp;
  /** How to describe `allowed` in an error message. */
  readonly describe: string;
  readonly prefix?: string;
  readonly fifo?: boolean;
  /** Hex digits of the hash a shortened name gets; fewer where the limit is tight. */
  readonly hashLength?: number;
}

// Lengths from src/facts/name-limits.ts, which the rules judge literal names by too; the characters are the subset we
// build names from. Names are built lowercase.
// S3 allows dots too, but a dotted bucket name breaks virtual-hosted TLS, so we never make one.
const RULES: Record<NameKind, NameRule> = {
  [NameKind.GENERIC]: { maxLength: 64, allowed: /^[a-z0-9-]+$/, describe: 'lowercase letters, digits and hyphens' },
  [NameKind.S3_BUCKET]: { maxLength: NAME_LIMITS.s3Bucket.maxLength, allowed: /^[a-z0-9-]+$/, describe: 'lowercase letters, digits and hyphens' },
  [NameKind.DYNAMODB_TABLE]: { maxLength: NAME_LIMITS.dynamodbTable.maxLength, allowed: /^[a-z0-9_.-]+$/, describe: 'letters, digits and _ . -' },
  [NameKind.SQS_QUEUE]: { maxLength: NAME_LIMITS.sqsQueue.maxLength, allowed: /^[a-z0-9_-]+$/, describe: 'letters, digits, hyphens and underscores', fifo: true },
  [NameKind.SNS_TOPIC]: { maxLength: NAME_LIMITS.snsTopic.maxLength, allowed: /^[a-z0-9_-]+$/, describe: 'letters, digits, hyphens and underscores', fifo: true },
  [NameKind.LAMBDA_FUNCTION]: { maxLength: NAME_LIMITS.lambdaFunction.maxLength, allowed: /^[a-z0-9_-]+$/, describe: 'letters, digits, hyphens and underscores' },
  [NameKind.IAM_ROLE]: { maxLength: NAME_LIMITS.iamRole.maxLength, allowed: /^[a-z0-9+=,.@_-]+$/, describe: 'letters, digits and + = , . @ _ -' },
  [NameKind.LOG_GROUP]: { maxLength: NAME_LIMITS.logGroup.maxLength, allowed: /^[a-z0-9_\-/.#]+$/, describe: 'letters, digits and _ - / . #' },
  [NameKind.KMS_ALIAS]: { maxLength: NAME_LIMITS.kmsAlias.maxLength, allowed: /^[a-z0-9/_-]+$/, describe: 'letters, digits and / _ -', prefix: 'alias/' },
  [NameKind.STATE_MACHINE]: { maxLength: NAME_LIMITS.stateMachine.maxLength, allowed: /^[a-z0-9_-]+$/, describe: 'letters, digits, hyphens and underscores' },
  [NameKind.SECRET]: { maxLength: NAME_LIMITS.secret.maxLength, allowed: /^[a-z0-9/_+=.@-]+$/, describe: 'letters, digits and / _ + = . @ -' },
  [NameKind.XRAY_SAMPLING_RULE]: { maxLength: NAME_LIMITS.xraySamplingRule.maxLength, allowed: /^[a-z0-9_-]+$/, describe: 'letters, digits, hyphens and underscores' },
  // Synthetics names the canary's function cwsyn-<name>-<uuid>: we keep canary names to 21 characters, well below the
  // service's limit (NAME_LIMITS.syntheticsCanary), so that name stays short; a 6-digit hash leaves room for stage names up to 12.
  [NameKind.SYNTHETICS_CANARY]: { maxLength: 21, allowed: /^[a-z0-9_-]+$/, describe: 'lowercase letters, digits, hyphens and underscores', hashLength: 6 },
};

// S3 reserves these for its own features; one list with the rule that judges literal bucket names.
const S3_RESERVED_PREFIXES = S3_BUCKET_RESERVED_PREFIXES;
const S3_RESERVED_SUFFIXES = S3_BUCKET_RESERVED_SUFFIXES;

const ACCOUNT_ID_LENGTH = 12;
const HASH_LENGTH = 8;

/**
 * Explicit physical names that never collide between stages or accounts (C16):
 * `<application>-<base>-<stage>`, from the enclosing `FintechStage`, lowercase. S3 bucket names are
 * `<application>-<base>-<account>-<stage>`, since bucket names are global (C03). A name too long for
 * its service is cut before the account and stage (never those) and gets a hash of the full name, so
 * two long names that share a beginning stay different.
 *
 * Outside a `FintechStage` the parts come from `FintechStage.settingsOf`: the `fintech:application` and `fintech:stage`
 * context values; a part without a value is left out (the durable default has no stage: `<base>`, or
 * `<application>-<base>`), so such names are unique in one account and region only when the bases are.
 */
export class PhysicalName {
  /**
   * Builds the physical name of `base` for the stage settings at `scope` (`FintechStage.settingsOf`).
   * Throws, naming the construct path, when `base` is not valid for the kind.
   *
   * @param scope the construct the name is for, or its scope
   * @param base what the resource is, e.g. `entries`
   * @param options the kind of name
   */
  public static of(scope: IConstruct, base: string, options: PhysicalNameOptions = {}): string {
    const kind = options.kind ?? NameKind.GENERIC;
    const rule = RULES[kind];
    const stage = FintechStage.settingsOf(scope);
    const at = `PhysicalName at ${scope.node.path || '(app)'}`;

    if (typeof base === 'string' && Token.isUnresolved(base)) {
      throw new Error(`${at}: base "${base}" is a token, so its length and characters cannot be checked at synth; pass a literal string such as "entries".`);
    }
    const clean = typeof base === 'string' ? base.trim().toLowerCase() : '';
    if (clean.length === 0 || !rule.allowed.test(clean) || !/^[a-z0-9].*[a-z0-9]$|^[a-z0-9]$/.test(clean)) {
      throw new Error(`${at}: base "${base}" is not valid for ${kind} names; use ${rule.describe}, starting and ending with a letter or digit, e.g. "${suggest(base)}".`);
    }
    if (options.fifo && !rule.fifo) {
      throw new Error(`${at}: fifo is set for a ${kind} name; only NameKind.SQS_QUEUE and NameKind.SNS_TOPIC names end in .fifo. Drop fifo or change the kind.`);
    }

    const prefix = rule.prefix ?? '';
    const account = kind === NameKind.S3_BUCKET ? accountOf(scope) : undefined;
    const suffix = `${account !== undefined ? `-${account}` : ''}${stage.stageName ? `-${stage.stageName}` : ''}${options.fifo ? '.fifo' : ''}`;
    const suffixLength = suffix.length + (account !== undefined && Token.isUnresolved(account) ? ACCOUNT_ID_LENGTH - account.length : 0);
    const budget = rule.maxLength - prefix.length - suffixLength;

    let middle = stage.application ? `${stage.application}-${clean}` : clean;
    if (middle.length > budget) {
      const hashLength = rule.hashLength ?? HASH_LENGTH;
      const room = budget - hashLength - 1;
      if (room < 1) {
        throw new Error(`${at}: stage "${stage.stageName}" leaves no room for "${base}" in a ${kind} name of at most ${rule.maxLength} characters; use a shorter stage name.`);
      }
      const digest = createHash('sha256').update(`${kind}:${middle}-${stage.stageName}`).digest('hex').slice(0, hashLength);
      middle = `${middle.slice(0, room).replace(/[^a-z0-9]+$/, '')}-${digest}`;
    }
    const name = `${prefix}${middle}${suffix}`;

    if (kind === NameKind.S3_BUCKET) {
      const reservedPrefix = S3_RESERVED_PREFIXES.find(p => name.startsWith(p));
      const reservedSuffix = S3_RESERVED_SUFFIXES.find(s => name.endsWith(s));
      if (reservedPrefix || reservedSuffix) {
        throw new Error(`${at}: bucket name "${name}" ${reservedPrefix ? `starts with "${reservedPrefix}"` : `ends with "${reservedSuffix}"`}, which S3 reserves; ` +
          `rename the ${reservedPrefix ? 'application' : 'stage'} in .projenrc.ts${stage.source === StageSettingsSource.FINTECH_STAGE ? '' : ' (or the fintech:application / fintech:stage context)'}.`);
      }
    }
    return name;
  }

  private constructor() {}
}

// The stack's account when it is known at synth, otherwise the deploy-time account (a token).
function accountOf(scope: IConstruct): string {
  const stack = scope.node.scopes.slice().reverse().find(Stack.isStack);
  const account = stack ? stack.account : Stage.of(scope)?.account;
  return account !== undefined && !Token.isUnresolved(account) ? account : Aws.ACCOUNT_ID;
}

function suggest(base: unknown): string {
  const cleaned = String(base ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned || 'entries';
}
