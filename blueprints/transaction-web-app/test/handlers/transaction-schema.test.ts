import { checkAppRoleName, DEFAULT_APP_ROLE, migrateTransactionSchema, transactionSchemaStatements } from '../../src/handlers/transaction-schema';
import { PgliteDatabase } from '../pglite-database';

describe('transactionSchemaStatements', () => {
  test('creates the table and its index, the IAM-only role, and grants it exactly SELECT and INSERT', () => {
    const statements = transactionSchemaStatements('payments_api');
    expect(statements[0]).toMatch(/^CREATE TABLE IF NOT EXISTS transactions/);
    expect(statements).toContain('CREATE INDEX IF NOT EXISTS transactions_recent ON transactions (created_at DESC, id DESC)');
    expect(statements).toContain('GRANT rds_iam TO "payments_api"');
    expect(statements).toContain('ALTER ROLE "payments_api" LOGIN PASSWORD NULL');
    expect(statements.slice(-2)).toEqual(['REVOKE ALL ON TABLE transactions FROM "payments_api"', 'GRANT SELECT, INSERT ON TABLE transactions TO "payments_api"']);
    expect(statements.join('\n')).not.toMatch(/GRANT (ALL|UPDATE|DELETE|TRUNCATE)/);
  });

  test('the default role is transaction_api', () => {
    expect(transactionSchemaStatements()).toContain(`GRANT rds_iam TO "${DEFAULT_APP_ROLE}"`);
    expect(DEFAULT_APP_ROLE).toBe('transaction_api');
  });

  test.each([
    ['an injection', 'x"; DROP TABLE transactions; --'],
    ['capitals', 'TransactionApi'],
    ['a PostgreSQL role', 'pg_read_all_data'],
    ['an RDS role', 'rdsadmin'],
    ['rds_iam itself', 'rds_iam'],
    ['the superuser', 'postgres'],
    ['PUBLIC', 'public'],
    ['a leading digit', '1api'],
    ['an empty name', ''],
    ['64 characters', 'a'.repeat(64)],
  ])('refuses %s as the role name, saying what a good one looks like', (_, role) => {
    expect(() => checkAppRoleName(role)).toThrow(/is not a usable role name: use 1 to 63 lower-case letters.*such as "transaction_api"/);
    expect(() => transactionSchemaStatements(role)).toThrow(/not a usable role name/);
  });
});

describe('migrateTransactionSchema on PostgreSQL (PGlite)', () => {
  let db: PgliteDatabase;
  beforeAll(async () => { db = await PgliteDatabase.start(); }, PgliteDatabase.START_TIMEOUT_MS);
  afterAll(async () => db?.close());

  const one = <T = any>(sql: string, params: unknown[] = []): Promise<T> => db.one<T>(sql, params);

  test('a failing statement leaves nothing behind: the migration is one transaction', async () => {
    await db.exec('ALTER ROLE rds_iam RENAME TO rds_iam_elsewhere');
    try {
      await expect(migrateTransactionSchema(db, 'transaction_api')).rejects.toThrow(/role "rds_iam" does not exist/);
      expect(await one("SELECT to_regclass('public.transactions') AS t")).toEqual({ t: null });
      expect(await one("SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'transaction_api'")).toEqual({ n: 0 });
    } finally {
      await db.exec('ALTER ROLE rds_iam_elsewhere RENAME TO rds_iam');
    }
  });

  test('creates the table with its columns, constraints and index', async () => {
    await migrateTransactionSchema(db);
    const columns = await db.query(
      "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_name = 'transactions' ORDER BY ordinal_position");
    expect(columns.rows).toEqual([
      { column_name: 'id', data_type: 'uuid', is_nullable: 'NO' },
      { column_name: 'amount_minor', data_type: 'bigint', is_nullable: 'NO' },
      { column_name: 'currency', data_type: 'character', is_nullable: 'NO' },
      { column_name: 'reference', data_type: 'character varying', is_nullable: 'NO' },
      { column_name: 'idempotency_key', data_type: 'character varying', is_nullable: 'NO' },
      { column_name: 'created_at', data_type: 'timestamp with time zone', is_nullable: 'NO' },
    ]);
    expect(await one("SELECT indexdef FROM pg_indexes WHERE indexname = 'transactions_recent'"))
      .toEqual({ indexdef: 'CREATE INDEX transactions_recent ON public.transactions USING btree (created_at DESC, id DESC)' });
    // The constraints hold for anyone who writes, not only for the API.
    const insert = (amount: unknown, currency: string, reference: string, key: string) =>
      db.query('INSERT INTO transactions (amount_minor, currency, reference, idempotency_key) VALUES ($1, $2, $3, $4)', [amount, currency, reference, key]);
    await expect(insert(0, 'EUR', 'r', 'k-zero')).rejects.toThrow(/transactions_amount_positive/);
    await expect(insert('9007199254740992', 'EUR', 'r', 'k-big')).rejects.toThrow(/transactions_amount_positive/);
    await expect(insert(1, 'eur', 'r', 'k-lower')).rejects.toThrow(/transactions_currency_iso/);
    await expect(insert(1, 'EUR', '  ', 'k-blank')).rejects.toThrow(/transactions_reference_present/);
    await insert(1, 'EUR', 'r', 'k-dup');
    await expect(insert(2, 'EUR', 'r', 'k-dup')).rejects.toThrow(/transactions_idempotency_key_unique/);
    await db.exec('DELETE FROM transactions');
  });

  test('creates the application role: LOGIN, a member of rds_iam, SELECT and INSERT on transactions only', async () => {
    await migrateTransactionSchema(db);
    expect(await one("SELECT rolcanlogin, rolsuper, rolcreaterole, rolcreatedb, rolpassword IS NULL AS no_password FROM pg_authid WHERE rolname = 'transaction_api'"))
      .toEqual({ rolcanlogin: true, rolsuper: false, rolcreaterole: false, rolcreatedb: false, no_password: true });
    expect(await one("SELECT pg_has_role('transaction_api', 'rds_iam', 'member') AS member")).toEqual({ member: true });
    const privileges = await db.query<{ privilege_type: string }>(
      "SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = 'transaction_api' AND table_name = 'transactions' ORDER BY privilege_type");
    expect(privileges.rows.map(r => r.privilege_type)).toEqual(['INSERT', 'SELECT']);
  });

  test('as the application role, rows can be inserted and read but not changed or deleted', async () => {
    await migrateTransactionSchema(db);
    await db.exec('SET ROLE transaction_api');
    try {
      await db.query("INSERT INTO transactions (amount_minor, currency, reference, idempotency_key) VALUES (1250, 'EUR', 'Invoice 42', 'key-role')");
      expect(await one("SELECT amount_minor::text AS amount FROM transactions WHERE idempotency_key = 'key-role'")).toEqual({ amount: '1250' });
      await expect(db.query('UPDATE transactions SET amount_minor = 1')).rejects.toThrow(/permission denied for table transactions/);
      await expect(db.query('DELETE FROM transactions')).rejects.toThrow(/permission denied for table transactions/);
      await expect(db.query('TRUNCATE transactions')).rejects.toThrow(/permission denied for table transactions/);
      await expect(db.query('CREATE TABLE other (id int)')).rejects.toThrow(/permission denied for schema public/);
    } finally {
      await db.exec('RESET ROLE');
      await db.exec('DELETE FROM transactions');
    }
  });

  test('runs again on every deploy and converges: a role changed by hand loses its password and extra grants', async () => {
    await migrateTransactionSchema(db);
    await db.exec("ALTER ROLE transaction_api NOLOGIN PASSWORD 'typed-by-hand'; GRANT UPDATE, DELETE ON transactions TO transaction_api");
    await migrateTransactionSchema(db);
    expect(await one("SELECT rolcanlogin, rolpassword IS NULL AS no_password FROM pg_authid WHERE rolname = 'transaction_api'"))
      .toEqual({ rolcanlogin: true, no_password: true });
    expect(await one("SELECT has_table_privilege('transaction_api', 'transactions', 'UPDATE') AS u, has_table_privilege('transaction_api', 'transactions', 'DELETE') AS d"))
      .toEqual({ u: false, d: false });
    expect(await one("SELECT count(*)::int AS n FROM pg_indexes WHERE tablename = 'transactions'")).toEqual({ n: 3 });
  });
});
