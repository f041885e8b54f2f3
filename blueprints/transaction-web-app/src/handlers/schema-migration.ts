import * as fs from 'fs';
import { Logger } from '@aws-lambda-powertools/logger';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import { Tracer } from '@aws-lambda-powertools/tracer';
import type { CloudFormationCustomResourceEvent, Context } from 'aws-lambda';
import { Client } from 'pg';
import { checkAppRoleName, DEFAULT_APP_ROLE, migrateTransactionSchema } from './transaction-schema';

// Created once per execution environment (Powertools' recommended shape).
const logger = new Logger();
const tracer = new Tracer();

/** The custom resource's properties, as the stack sets them. */
export interface SchemaMigrationProperties {
  /** ARN of the cluster's master secret: JSON with username and password (RDS-managed secrets hold only these). */
  readonly MasterSecretArn: string;
  /** The cluster's writer endpoint. @default the secret's host */
  readonly Host?: string;
  /** The cluster's port (CloudFormation passes properties as strings). @default the secret's port, else 5432 */
  readonly Port?: string;
  /** Database to migrate. @default the secret's dbname, else postgres */
  readonly DatabaseName?: string;
  /** The application role to create and grant. @default "transaction_api" */
  readonly AppRole?: string;
}

/** What the Provider framework's onEvent handler answers: the resource's id and the attributes `getAtt` reads. */
export interface SchemaMigrationResponse {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly AppRole: string; readonly Table: string };
}

/** The master secret's fields the migration reads; host, port and dbname only in secrets written by Secrets Manager rotation. */
interface MasterSecret {
  readonly host?: string;
  readonly port?: number | string;
  readonly username: string;
  readonly password: string;
  readonly dbname?: string;
}

/**
 * The schema migration, run on every deploy that creates or changes the custom resource: reads the cluster's master
 * secret (through the VPC's Secrets Manager endpoint), connects over TLS that verifies the server (the certificate authorities of `DATABASE_CA_BUNDLE`: the Lambda
 * runtime's Amazon bundle, which holds the RDS authorities), and runs the idempotent DDL of `transaction-schema.ts` in one
 * transaction. Delete leaves the schema alone: the data goes, or stays, with the cluster and its removal policy.
 */
export const handler = async (event: CloudFormationCustomResourceEvent, context: Context): Promise<SchemaMigrationResponse> => {
  logger.addContext(context);
  const properties = event.ResourceProperties as unknown as SchemaMigrationProperties & { ServiceToken: string };
  if (event.RequestType === 'Delete') {
    logger.info('delete: the schema stays with the cluster', { physicalResourceId: event.PhysicalResourceId });
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const appRole = properties.AppRole ?? DEFAULT_APP_ROLE;
  checkAppRoleName(appRole);
  if (!properties.MasterSecretArn) throw new Error('the custom resource has no MasterSecretArn property: pass the cluster\'s master secret ARN');

  const secret = await getSecret<MasterSecret>(properties.MasterSecretArn, { transform: 'json', forceFetch: true });
  if (!secret?.username || !secret.password) {
    throw new Error(`the secret ${properties.MasterSecretArn} lacks username or password: pass the cluster's master secret (SecureDatabase.masterSecret)`);
  }
  const host = properties.Host ?? secret.host;
  if (!host) throw new Error('the custom resource has no Host property and the secret no host: pass the cluster\'s writer endpoint as Host');
  const database = properties.DatabaseName ?? secret.dbname ?? 'postgres';
  const caBundle = process.env.DATABASE_CA_BUNDLE ?? '/var/runtime/ca-cert.pem';
  const client = new Client({
    host,
    port: Number(properties.Port ?? secret.port ?? 5432),
    database,
    user: secret.username,
    password: secret.password,
    ssl: { ca: fs.readFileSync(caBundle, 'utf-8'), rejectUnauthorized: true },
    connectionTimeoutMillis: 10_000,
    application_name: 'schema-migration',
  });
  const subsegment = tracer.isTracingEnabled() ? tracer.getSegment()?.addNewSubsegment('## migrate transaction schema') : undefined;
  await client.connect();
  try {
    const statements = await migrateTransactionSchema(client, appRole);
    logger.info('schema migrated', { database, appRole, statements: statements.length, requestType: event.RequestType });
  } catch (error) {
    logger.error('schema migration failed', { database, appRole, error: error as Error });
    throw error;
  } finally {
    subsegment?.close();
    await client.end();
  }
  return { PhysicalResourceId: `${database}/transactions`, Data: { AppRole: appRole, Table: 'transactions' } };
};
