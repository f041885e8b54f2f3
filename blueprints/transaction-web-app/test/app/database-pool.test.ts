import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
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
