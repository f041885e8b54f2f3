import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { clearCaches } from '@aws-lambda-powertools/parameters';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { context, logEntries } from './migration-environment';
import { handler } from '../../src/handlers/schema-migration';
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
