import { createHash } from 'crypto';
import { Aws, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { FintechStage } from './fintech-stage';

/** The AWS service a physical name is for: each has its own length and character limits. */
export enum NameKind {
  /** Lowercase letters, digits and hyphens, at most 64 characters. */
  GENERIC = 'generic',
  /** 3-63 lowercase letters, digits and hyphens; global, so the account id is part of the name. */
  S3_BUCKET = 's3-bucket',
  /** 3-255 of letters, digits, `_ - .`. */
  DYNAMODB_TABLE = 'dynamodb-table',
  /** 1-80 of letters, digits, `_ -`. */
  SQS_QUEUE = 'sqs-queue',
  /** 1-256 of letters, digits, `_ -`. */
  SNS_TOPIC = 'sns-topic',
  /** 1-64 of letters, digits, `_ -`. */
  LAMBDA_FUNCTION = 'lambda-function',
  /** 1-64 of letters, digits, `+ = , . @ _ -`. */
  IAM_ROLE = 'iam-role',
  /** 1-512 of letters, digits, `_ - / . #`. */
  LOG_GROUP = 'log-group',
  /** `alias/` plus 1-250 of letters, digits, `/ _ -`. */
  KMS_ALIAS = 'kms-alias',
  /** 1-80 of letters, digits, `_ -`. */
  STATE_MACHINE = 'state-machine',
  /** 1-512 of letters, digits, `/ _ + = . @ -`. */
  SECRET = 'secret',
}

/** Options of `PhysicalName.of`. */
export interface PhysicalNameOptions {
  /**
   * The service the name is for.
   *
   * @default NameKind.GENERIC
   */
  readonly kind?: NameKind;
}

interface NameRule {
  readonly maxLength: number;
  readonly allowed: RegExp;
  readonly prefix?: string;
}

// Limits from each service's API reference (CreateBucket, CreateTable, CreateQueue, CreateTopic,
// CreateFunction, CreateRole, CreateLogGroup, CreateAlias, CreateStateMachine, CreateSecret), checked 2026-11.
// Names are built lowercase, so the allowed characters are checked after lowercasing.
const RULES: Record<NameKind, NameRule> = {
  [NameKind.GENERIC]: { maxLength: 64, allowed: /^[a-z0-9-]+$/ },
  [NameKind.S3_BUCKET]: { maxLength: 63, allowed: /^[a-z0-9-]+$/ },
  [NameKind.DYNAMODB_TABLE]: { maxLength: 255, allowed: /^[a-z0-9_.-]+$/ },
  [NameKind.SQS_QUEUE]: { maxLength: 80, allowed: /^[a-z0-9_-]+$/ },
  [NameKind.SNS_TOPIC]: { maxLength: 256, allowed: /^[a-z0-9_-]+$/ },
  [NameKind.LAMBDA_FUNCTION]: { maxLength: 64, allowed: /^[a-z0-9_-]+$/ },
  [NameKind.IAM_ROLE]: { maxLength: 64, allowed: /^[a-z0-9+=,.@_-]+$/ },
  [NameKind.LOG_GROUP]: { maxLength: 512, allowed: /^[a-z0-9_\-/.#]+$/ },
  [NameKind.KMS_ALIAS]: { maxLength: 256, allowed: /^[a-z0-9/_-]+$/, prefix: 'alias/' },
  [NameKind.STATE_MACHINE]: { maxLength: 80, allowed: /^[a-z0-9_-]+$/ },
  [NameKind.SECRET]: { maxLength: 512, allowed: /^[a-z0-9/_+=.@-]+$/ },
};

const ACCOUNT_ID_LENGTH = 12;
const HASH_LENGTH = 8;

/**
 * Explicit physical names that never collide between stages or accounts (C16):
 * `<application>-<base>-<stage>`, from the enclosing `FintechStage`. S3 bucket names also carry
 * the account id, since bucket names are global (C03). A name that would be too long for its
 * service keeps the application and the stage and shortens the base, adding a hash of the full name.
 */
export class PhysicalName {
  /**
   * Builds the physical name of `base` for the stage enclosing `scope`.
   *
   * @param scope any construct inside a `FintechStage`
   * @param base what the resource is, e.g. `entries`
   */
  public static of(scope: IConstruct, base: string, options: PhysicalNameOptions = {}): string {
    const kind = options.kind ?? NameKind.GENERIC;
    const rule = RULES[kind];
    const stage = FintechStage.of(scope);
    const cleanBase = typeof base === 'string' ? base.trim().toLowerCase() : '';
    if (cleanBase.length === 0 || !rule.allowed.test(cleanBase) || !/^[a-z0-9]/.test(cleanBase)) {
      throw new Error(`PhysicalName at ${scope.node.path}: base "${base}" is not valid for ${kind} names; ` +
        `use lowercase letters and digits${kind === NameKind.GENERIC || kind === NameKind.S3_BUCKET ? ' with hyphens' : ', hyphens or underscores'}, starting with a letter or digit, e.g. "${suggest(base)}".`);
    }
    const head = stage.application;
    const tail = kind === NameKind.S3_BUCKET ? [accountOf(scope), stage.environmentName] : [stage.environmentName];
    const fixedLength = (rule.prefix?.length ?? 0) + head.length + tail.reduce((n, part) => n + 1 + (Token.isUnresolved(part) ? ACCOUNT_ID_LENGTH : part.length), 0) + 1;
    let middle = cleanBase;
    if (fixedLength + middle.length > rule.maxLength) {
      const room = rule.maxLength - fixedLength - HASH_LENGTH - 1;
      if (room < 1) {
        throw new Error(`PhysicalName at ${scope.node.path}: application "${head}" and stage "${stage.environmentName}" leave no room for "${base}" in a ${kind} name of at most ${rule.maxLength} characters; shorten the application or stage name.`);
      }
      const digest = createHash('sha256').update(`${head}/${cleanBase}/${stage.environmentName}`).digest('hex').slice(0, HASH_LENGTH);
      middle = `${cleanBase.slice(0, room).replace(/[-_.]+$/, '')}-${digest}`;
    }
    return `${rule.prefix ?? ''}${[head, middle, ...tail].join('-')}`;
  }

  private constructor() {}
}

function accountOf(scope: IConstruct): string {
  const account = Stack.of(scope).account;
  return Token.isUnresolved(account) ? Aws.ACCOUNT_ID : account;
}

function suggest(base: unknown): string {
  const cleaned = String(base ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return cleaned || 'entries';
}
