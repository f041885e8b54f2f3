import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { clearCaches } from '@aws-lambda-powertools/parameters';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { context, logEntries } from './migration-environment';
import { handler } from '../../src/handlers/schema-migration';
import { migrateTransactionSchema } from '../../src/handlers/transaction-schema';
import { PgliteDatabase } from '../pglite-database';

// node-postgres's Client, replaced by one that records how it was configured and runs its SQL on PGlite.
const mockClients: Array<{ config: Record<string, any>; connected: boolean; ended: boolean }> = [];
let mockDatabase: PgliteDatabase;
jest.mock('pg', () => ({
  Client: jest.fn().mockImplementation((config: Record<string, any>) => {
    const client = {
      config,
      connected: false,
      ended: false,
      connect: async () => { client.connected = true; },
      query: (sql: string, params?: unknown[]) => mockDatabase.query(sql, params),
      end: async () => { client.ended = true; },
    };
    mockClients.push(client);
    return client;
  }),
}));

const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:transactions-master-AbCdEf';
// An RDS-managed master secret holds only the user name and password; the stack passes the endpoint as properties.
const MASTER = { username: 'postgres_admin', password: 'master-password' };
const HOST = 'transactions.cluster-abc.eu-west-1.rds.amazonaws.com';
const secrets = mockClient(SecretsManagerClient);

function event(requestType: 'Create' | 'Update' | 'Delete', properties: Record<string, unknown> = {}): CloudFormationCustomResourceEvent {
  return {
    RequestType: requestType,
    ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider',
    ResponseURL: 'https://cloudformation-custom-resource-response-euwest1.s3.amazonaws.com/x',
    StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/TransactionWebApp/1',
    RequestId: 'req-1',
    LogicalResourceId: 'Schema',
    ResourceType: 'Custom::TransactionSchema',
    ResourceProperties: {
      ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:provider',
      MasterSecretArn: SECRET_ARN,
      Host: HOST,
      Port: '5432',
      DatabaseName: 'transactions',
      ...properties,
    },
    ...(requestType === 'Create' ? {} : { PhysicalResourceId: 'transactions/transactions', OldResourceProperties: {} }),
  } as CloudFormationCustomResourceEvent;
}

let caDir: string;
beforeAll(async () => {
  mockDatabase = await PgliteDatabase.start();
  caDir = fs.mkdtempSync(path.join(os.tmpdir(), 'schema-migration-'));
  fs.writeFileSync(path.join(caDir, 'ca-cert.pem'), '-----BEGIN CERTIFICATE-----\nAmazon RDS root\n-----END CERTIFICATE-----\n');
  process.env.DATABASE_CA_BUNDLE = path.join(caDir, 'ca-cert.pem');
}, PgliteDatabase.START_TIMEOUT_MS);
afterAll(async () => {
  await mockDatabase?.close();
  fs.rmSync(caDir, { recursive: true, force: true });
});
beforeEach(() => {
  mockClients.length = 0;
  secrets.reset();
  clearCaches();
  secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: JSON.stringify(MASTER) });
});

describe('migrateTransactionSchema on PostgreSQL (PGlite)', () => {
  // The file's database, still empty: these run before the custom resource's tests below.
  const db = { exec: (sql: string) => mockDatabase.exec(sql), query: (sql: string, params?: unknown[]) => mockDatabase.query(sql, params) };
  const one = <T = any>(sql: string, params: unknown[] = []): Promise<T> => mockDatabase.one<T>(sql, params);

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
      { column_name: 'seq', data_type: 'bigint', is_nullable: 'NO' },
    ]);
    expect(await one("SELECT indexdef FROM pg_indexes WHERE indexname = 'transactions_newest'"))
      .toEqual({ indexdef: 'CREATE INDEX transactions_newest ON public.transactions USING btree (created_at DESC, seq DESC)' });
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
    const privileges = await mockDatabase.query<{ privilege_type: string }>(
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

  test('a table of the first schema (no seq, index on id) gains seq for its rows and the new index', async () => {
    await db.exec('DROP TABLE transactions');
    await db.exec(`CREATE TABLE transactions (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(), amount_minor bigint NOT NULL, currency char(3) NOT NULL,
      reference varchar(140) NOT NULL, idempotency_key varchar(255) NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now())`);
    await db.exec('CREATE INDEX transactions_recent ON transactions (created_at DESC, id DESC)');
    await db.exec("INSERT INTO transactions (amount_minor, currency, reference, idempotency_key) VALUES (1, 'EUR', 'old', 'k-old')");
    await migrateTransactionSchema(db);
    expect(await one('SELECT reference, seq::int AS seq FROM transactions')).toEqual({ reference: 'old', seq: 1 });
    expect((await mockDatabase.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'transactions' ORDER BY indexname")).rows
      .map(r => r.indexname)).toEqual(['transactions_idempotency_key_key', 'transactions_newest', 'transactions_pkey']);
    await db.exec('DELETE FROM transactions');
  });
});

describe('schema migration custom resource', () => {
  test('Create connects as the master user over verified TLS and creates the schema and the application role', async () => {
    const response = await handler(event('Create', { AppRole: 'transaction_api' }), context);
    expect(response).toEqual({ PhysicalResourceId: 'transactions/transactions', Data: { AppRole: 'transaction_api', Table: 'transactions' } });
    expect(mockClients).toHaveLength(1);
    expect(mockClients[0].config).toMatchObject({
      host: HOST,
      port: 5432,
      database: 'transactions',
      user: 'postgres_admin',
      password: 'master-password',
      ssl: { ca: '-----BEGIN CERTIFICATE-----\nAmazon RDS root\n-----END CERTIFICATE-----\n', rejectUnauthorized: true },
    });
    expect(mockClients[0]).toMatchObject({ connected: true, ended: true });
    expect(await mockDatabase.one("SELECT to_regclass('public.transactions')::text AS t")).toEqual({ t: 'transactions' });
    expect(await mockDatabase.one("SELECT pg_has_role('transaction_api', 'rds_iam', 'member') AS m")).toEqual({ m: true });
    expect(logEntries()).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'schema migrated', database: 'transactions', appRole: 'transaction_api', requestType: 'Create' }));
    // The secret's password is never logged.
    expect(JSON.stringify(logEntries())).not.toContain('master-password');
  });

  test('Update runs the migration again and keeps the data', async () => {
    await handler(event('Create'), context);
    await mockDatabase.query("INSERT INTO transactions (amount_minor, currency, reference, idempotency_key) VALUES (100, 'EUR', 'kept', 'update-key')");
    const response = await handler(event('Update'), context);
    expect(response.PhysicalResourceId).toBe('transactions/transactions');
    expect(await mockDatabase.one("SELECT reference FROM transactions WHERE idempotency_key = 'update-key'")).toEqual({ reference: 'kept' });
  });

  test('without Host, Port and DatabaseName it takes them from a secret that has them, else port 5432 and postgres; the default role is transaction_api', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: JSON.stringify({ ...MASTER, host: 'other.example', port: 6432, dbname: 'ledger' }) });
    await handler(event('Create', { Host: undefined, Port: undefined, DatabaseName: undefined }), context);
    expect(mockClients[0].config).toMatchObject({ host: 'other.example', port: 6432, database: 'ledger' });
    clearCaches();
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: JSON.stringify(MASTER) });
    const response = await handler(event('Create', { Port: undefined, DatabaseName: undefined }), context);
    expect(mockClients[1].config).toMatchObject({ host: HOST, port: 5432, database: 'postgres' });
    expect(response).toEqual({ PhysicalResourceId: 'postgres/transactions', Data: { AppRole: 'transaction_api', Table: 'transactions' } });
  });

  test('Delete leaves the schema and never connects', async () => {
    const response = await handler(event('Delete'), context);
    expect(response).toEqual({ PhysicalResourceId: 'transactions/transactions' });
    expect(mockClients).toHaveLength(0);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  test('a failing statement fails the deploy, and the connection is closed', async () => {
    await mockDatabase.exec('ALTER ROLE rds_iam RENAME TO rds_iam_elsewhere');
    try {
      await expect(handler(event('Create', { AppRole: 'other_api' }), context)).rejects.toThrow(/role "rds_iam" does not exist/);
      expect(mockClients[0].ended).toBe(true);
      expect(await mockDatabase.one("SELECT count(*)::int AS n FROM pg_roles WHERE rolname = 'other_api'")).toEqual({ n: 0 });
      expect(logEntries()).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'schema migration failed', appRole: 'other_api' }));
    } finally {
      await mockDatabase.exec('ALTER ROLE rds_iam_elsewhere RENAME TO rds_iam');
    }
  });

  test('a role name that is not a plain identifier is refused before anything connects', async () => {
    await expect(handler(event('Create', { AppRole: 'x"; DROP TABLE transactions; --' }), context)).rejects.toThrow(/AppRole .* is not a usable role name/);
    expect(mockClients).toHaveLength(0);
  });

  test('without MasterSecretArn or Host, or with a secret that is not a master secret, it fails saying what to pass', async () => {
    await expect(handler(event('Create', { MasterSecretArn: undefined }), context)).rejects.toThrow('the custom resource has no MasterSecretArn property');
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: JSON.stringify({ apiKey: 'x' }) });
    await expect(handler(event('Create'), context)).rejects.toThrow(`the secret ${SECRET_ARN} lacks username or password: pass the cluster's master secret`);
    clearCaches();
    secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: JSON.stringify(MASTER) });
    await expect(handler(event('Create', { Host: undefined }), context)).rejects.toThrow('the custom resource has no Host property and the secret no host');
    expect(mockClients).toHaveLength(0);
  });
});
