import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { IMPOSTOR_SERVER, startFakePostgres, TEST_CA, TRUSTED_SERVER } from './fake-postgres';
import { createDatabasePool, DatabaseConfig, POOL_SETTINGS, readDatabaseConfig } from '../../src/app/database-pool';

const ENV = {
  DATABASE_HOST: 'transactions.cluster-abc.eu-west-1.rds.amazonaws.com',
  DATABASE_NAME: 'transactions',
  DATABASE_USER: 'transaction_api',
  AWS_REGION: 'eu-west-1',
  DATABASE_CA_BUNDLE: '/app/rds-global-bundle.pem',
};

describe('readDatabaseConfig', () => {
  test('reads the task definition\'s variables; the port defaults to 5432', () => {
    expect(readDatabaseConfig(ENV)).toEqual({
      host: ENV.DATABASE_HOST, port: 5432, database: 'transactions', user: 'transaction_api', region: 'eu-west-1', caBundlePath: '/app/rds-global-bundle.pem',
    });
    expect(readDatabaseConfig({ ...ENV, DATABASE_PORT: '6432' }).port).toBe(6432);
  });

  test('names every missing variable and what it holds', () => {
    expect(() => readDatabaseConfig({ AWS_REGION: 'eu-west-1' })).toThrow(
      'Cannot connect to the database: DATABASE_HOST is not set (the cluster writer endpoint); DATABASE_NAME is not set (the database name); ' +
      'DATABASE_USER is not set (the application role, which authenticates with IAM tokens); DATABASE_CA_BUNDLE is not set (the PEM file of the RDS ' +
      'certificate authorities (the image sets it)). The task definition sets them.');
  });

  test.each(['0', '70000', 'postgres', '54.32'])('refuses port %s', port => {
    expect(() => readDatabaseConfig({ ...ENV, DATABASE_PORT: port })).toThrow(`DATABASE_PORT "${port}" is not a port number`);
  });
});

describe('createDatabasePool', () => {
  let dir: string;
  let config: DatabaseConfig;
  const CA = '-----BEGIN CERTIFICATE-----\nMIIB...RDS root\n-----END CERTIFICATE-----\n';
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'database-pool-'));
    fs.writeFileSync(path.join(dir, 'ca.pem'), CA);
    config = { ...readDatabaseConfig(ENV), caBundlePath: path.join(dir, 'ca.pem') };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('verifies the server against the RDS bundle: the CA from the file, unauthorized certificates refused', async () => {
    const pool = createDatabasePool(config, { getAuthToken: async () => 'token' });
    try {
      expect(pool.options).toMatchObject({
        host: config.host,
        port: 5432,
        database: 'transactions',
        user: 'transaction_api',
        application_name: 'transaction-api',
        ssl: { ca: CA, rejectUnauthorized: true },
        ...POOL_SETTINGS,
      });
    } finally {
      await pool.end();
    }
  });

  test('the password is an IAM token, signed when a connection opens and reused while valid', async () => {
    let signings = 0;
    const pool = createDatabasePool(config, { getAuthToken: async () => `iam-token-${++signings}` });
    try {
      const password = pool.options.password as () => Promise<string>;
      expect(typeof password).toBe('function');
      expect(await password()).toBe('iam-token-1');
      expect(await password()).toBe('iam-token-1');
      expect(signings).toBe(1);
    } finally {
      await pool.end();
    }
  });

  test('without a signer it signs with the SDK for the configured host, port, role and region', async () => {
    const pool = createDatabasePool(config);
    const env = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_EC2_METADATA_DISABLED: 'true' });
    try {
      const token = await (pool.options.password as () => Promise<string>)();
      expect(token).toMatch(/^transactions\.cluster-abc\.eu-west-1\.rds\.amazonaws\.com:5432\/\?Action=connect&DBUser=transaction_api&/);
      expect(token).toContain('X-Amz-Credential=AKIDEXAMPLE%2F');
      expect(token).toContain('%2Feu-west-1%2Frds-db%2Faws4_request');
    } finally {
      process.env = env;
      await pool.end();
    }
  });

  test('a missing CA bundle fails at start, naming the file', () => {
    expect(() => createDatabasePool({ ...config, caBundlePath: path.join(dir, 'missing.pem') })).toThrow(/ENOENT.*missing\.pem/);
  });
});

describe('createDatabasePool over TLS against a PostgreSQL-speaking server', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'database-tls-'));
    fs.writeFileSync(path.join(dir, 'ca.pem'), TEST_CA);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function connect(server: { cert: string; key: string }, host: string): Promise<{ result: Promise<unknown>; passwords: string[] }> {
    const fake = await startFakePostgres(server);
    const pool = createDatabasePool(
      { host, port: fake.port, database: 'transactions', user: 'transaction_api', region: 'eu-west-1', caBundlePath: path.join(dir, 'ca.pem') },
      { getAuthToken: async () => 'iam-token-1' },
    );
    const result = pool.query('SELECT 1').finally(async () => {
      await pool.end();
      await fake.close();
    });
    result.catch(() => undefined);
    return { result, passwords: fake.passwords };
  }

  test('a server whose certificate chains to the bundle and names the host gets the IAM token as the password', async () => {
    const { result, passwords } = await connect(TRUSTED_SERVER, 'localhost');
    await expect(result).resolves.toMatchObject({ command: 'SELECT' });
    expect(passwords).toEqual(['iam-token-1']);
  });

  test('a server with a certificate from another authority is refused before the token is sent', async () => {
    const { result, passwords } = await connect(IMPOSTOR_SERVER, 'localhost');
    await expect(result).rejects.toThrow(/self[- ]signed certificate/);
    expect(passwords).toEqual([]);
  });

  test('a trusted certificate for another host name is refused before the token is sent', async () => {
    const { result, passwords } = await connect(TRUSTED_SERVER, '127.0.0.1');
    await expect(result).rejects.toThrow(/Hostname\/IP does not match certificate's altnames: IP: 127\.0\.0\.1 is not in the cert's list/);
    expect(passwords).toEqual([]);
  });
});
