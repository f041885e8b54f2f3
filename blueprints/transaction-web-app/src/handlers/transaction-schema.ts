import type { Queryable } from '../app/transaction-store';

/** The role the API logs in as, unless the stack names another. */
export const DEFAULT_APP_ROLE = 'transaction_api';

/** Largest amount in minor units: the API returns amounts as JSON numbers, exact up to 2^53 - 1. */
const MAX_AMOUNT_MINOR = Number.MAX_SAFE_INTEGER;

// Lower-case PostgreSQL identifiers only, and none of the roles RDS or PostgreSQL reserve: the name is interpolated.
const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;
const RESERVED_ROLE = /^(pg_|rds|postgres$|public$|aurora)/;

/** Throws unless `role` is a role name the migration may create. */
export function checkAppRoleName(role: string): void {
  if (!ROLE_NAME.test(role) || RESERVED_ROLE.test(role)) {
    throw new Error(`AppRole "${role}" is not a usable role name: use 1 to 63 lower-case letters, digits and underscores, starting with a letter, ` +
      `not beginning with pg_, rds or aurora and not postgres or public (such as "${DEFAULT_APP_ROLE}").`);
  }
}

/**
 * The schema of the transaction API, as statements that can run any number of times and leave the same result: the
 * `transactions` table (with `seq`, its insertion order) and its index for recent reads, and the application role, which logs in with IAM tokens only
 * (`rds_iam`) and may only read and insert transactions (so a compromised task cannot rewrite history).
 */
export function transactionSchemaStatements(appRole: string = DEFAULT_APP_ROLE): string[] {
  checkAppRoleName(appRole);
  const role = `"${appRole}"`;
  return [
    `CREATE TABLE IF NOT EXISTS transactions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      amount_minor bigint NOT NULL CONSTRAINT transactions_amount_positive CHECK (amount_minor > 0 AND amount_minor <= ${MAX_AMOUNT_MINOR}),
      currency char(3) NOT NULL CONSTRAINT transactions_currency_iso CHECK (currency ~ '^[A-Z]{3}$'),
      reference varchar(140) NOT NULL CONSTRAINT transactions_reference_present CHECK (length(btrim(reference)) > 0),
      idempotency_key varchar(255) NOT NULL CONSTRAINT transactions_idempotency_key_unique UNIQUE,
      created_at timestamptz NOT NULL DEFAULT now(),
      seq bigint GENERATED ALWAYS AS IDENTITY
    )`,
    // Rows recorded within the clock's resolution share created_at: seq orders them as they were inserted.
    'ALTER TABLE transactions ADD COLUMN IF NOT EXISTS seq bigint GENERATED ALWAYS AS IDENTITY',
    'DROP INDEX IF EXISTS transactions_recent',
    'CREATE INDEX IF NOT EXISTS transactions_newest ON transactions (created_at DESC, seq DESC)',
    `DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '${appRole}') THEN CREATE ROLE ${role} LOGIN; END IF;
    END $$`,
    // A role made by hand may lack LOGIN or carry a password: IAM tokens are its only way in.
    `ALTER ROLE ${role} LOGIN PASSWORD NULL`,
    `GRANT rds_iam TO ${role}`,
    `GRANT USAGE ON SCHEMA public TO ${role}`,
    // Exactly SELECT and INSERT, whatever was granted before.
    `REVOKE ALL ON TABLE transactions FROM ${role}`,
    `GRANT SELECT, INSERT ON TABLE transactions TO ${role}`,
  ];
}

/** An arbitrary fixed key: concurrent migrations (two stacks updating at once) run one after the other. */
const MIGRATION_LOCK = 7_350_016;

/** Runs `transactionSchemaStatements` in one transaction under an advisory lock: all of it happens, or none. */
export async function migrateTransactionSchema(db: Queryable, appRole: string = DEFAULT_APP_ROLE): Promise<string[]> {
  const statements = transactionSchemaStatements(appRole);
  await db.query('BEGIN');
  try {
    await db.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    for (const statement of statements) await db.query(statement);
    await db.query('COMMIT');
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
  return statements;
}
