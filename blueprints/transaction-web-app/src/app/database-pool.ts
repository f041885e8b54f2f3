import * as fs from 'fs';
import { Signer } from '@aws-sdk/rds-signer';
import { Pool } from 'pg';
import { AuthTokenSigner, IamAuthToken } from './iam-auth-token';

/** Where and as whom the API connects; read from the environment the task definition sets. */
export interface DatabaseConfig {
  /** The cluster's writer endpoint; the TLS certificate is checked against it. */
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** The application role the schema migration creates (LOGIN, `rds_iam`, SELECT and INSERT only): never the master user. */
  readonly user: string;
  readonly region: string;
  /** PEM file of the certificate authorities the database's certificate must chain to (the RDS global bundle in the image). */
  readonly caBundlePath: string;
}

/** The environment variables `readDatabaseConfig` reads, with what each holds. */
export const DATABASE_ENVIRONMENT = {
  DATABASE_HOST: 'the cluster writer endpoint',
  DATABASE_PORT: 'the cluster port (5432 when unset)',
  DATABASE_NAME: 'the database name',
  DATABASE_USER: 'the application role, which authenticates with IAM tokens',
  AWS_REGION: 'the region of the cluster (ECS sets it)',
  DATABASE_CA_BUNDLE: 'the PEM file of the RDS certificate authorities (the image sets it)',
} as const;

/** The database settings from `env`; throws naming every missing variable and what it should hold. */
export function readDatabaseConfig(env: NodeJS.ProcessEnv): DatabaseConfig {
  const required = ['DATABASE_HOST', 'DATABASE_NAME', 'DATABASE_USER', 'AWS_REGION', 'DATABASE_CA_BUNDLE'] as const;
  const missing = required.filter(name => !env[name]);
  const port = Number(env.DATABASE_PORT ?? '5432');
  const problems = missing.map(name => `${name} is not set (${DATABASE_ENVIRONMENT[name]})`);
  if (!Number.isInteger(port) || port < 1 || port > 65535) problems.push(`DATABASE_PORT "${env.DATABASE_PORT}" is not a port number`);
  if (problems.length > 0) throw new Error(`Cannot connect to the database: ${problems.join('; ')}. The task definition sets them.`);
  return {
    host: env.DATABASE_HOST!,
    port,
    database: env.DATABASE_NAME!,
    user: env.DATABASE_USER!,
    region: env.AWS_REGION!,
    caBundlePath: env.DATABASE_CA_BUNDLE!,
  };
}

/** Connection pool limits: sized for one small task, recycled so connections move to a new writer after a failover. */
export const POOL_SETTINGS = {
  max: 10,
  idleTimeoutMillis: 30_000,
  connectionTimeoutMillis: 5_000,
  maxLifetimeSeconds: 600,
  // A runaway query fails the request instead of holding a connection; the API's queries take milliseconds.
  statement_timeout: 5_000,
} as const;

/**
 * A `pg` pool that connects as the application role with an IAM authentication token as the password, over TLS that
 * verifies the server: `ssl.ca` is the RDS certificate bundle and `rejectUnauthorized` is on, so the certificate must chain
 * to an RDS authority and name the host (node's `tls.connect` checks the host name; a token never goes to anyone else).
 */
export function createDatabasePool(config: DatabaseConfig, signer?: AuthTokenSigner): Pool {
  const token = new IamAuthToken(signer ?? new Signer({ hostname: config.host, port: config.port, username: config.user, region: config.region }));
  return new Pool({
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: () => token.get(),
    ssl: { ca: fs.readFileSync(config.caBundlePath, 'utf-8'), rejectUnauthorized: true },
    application_name: 'transaction-api',
    ...POOL_SETTINGS,
  });
}
