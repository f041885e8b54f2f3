import * as fs from 'fs';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { migrateTransactionSchema } from '../src/handlers/transaction-schema';

// PGlite loads node modules with dynamic import(), which jest's module sandbox refuses without --experimental-vm-modules:
// it runs in a worker thread, outside the sandbox, and the tests talk to it through messages.
// Initialising a cluster (initdb) takes PGlite seconds of CPU, every test file again; the first start writes the
// initialised data directory (with Aurora's rds_iam role) to node_modules/.cache, and later starts load it in a
// fraction of that time. The image is keyed by the PGlite version, so an upgrade initialises afresh.
const WORKER_SOURCE = `
const fs = require('fs');
const { parentPort, workerData } = require('worker_threads');
const { PGlite } = require(workerData.pglite);
async function start(image) {
  if (fs.existsSync(image)) {
    try {
      return await PGlite.create({ loadDataDir: new Blob([fs.readFileSync(image)]) });
    } catch {
      // A damaged image (an interrupted write): initialise afresh and write it again below.
    }
  }
  const db = await PGlite.create();
  await db.exec('CREATE ROLE rds_iam NOLOGIN');
  const dump = Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer());
  // Written beside and renamed, so a test file starting at the same time never reads half an image.
  const partial = image + '.' + process.pid + '.' + Date.now();
  fs.mkdirSync(require('path').dirname(image), { recursive: true });
  fs.writeFileSync(partial, dump);
  fs.renameSync(partial, image);
  return db;
}
let db;
parentPort.on('message', async ({ id, op, sql, params }) => {
  try {
    let result = null;
    if (op === 'start') db = await start(workerData.image);
    else if (op === 'exec') await db.exec(sql);
    else if (op === 'query') result = { rows: (await db.query(sql, params)).rows };
    else if (op === 'close') await db.close();
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: error.message, code: error.code } });
  }
});
`;

/** An error PostgreSQL raised, with its SQLSTATE code as node-postgres gives it. */
export class PostgresError extends Error {
  constructor(message: string, public readonly code?: string) {
    super(message);
  }
}

/**
 * A real PostgreSQL engine in this process: PGlite (PostgreSQL compiled to WebAssembly; no server, no network, no Docker).
 * Its `query` has the shape of node-postgres's, so the API's store and the migration run on it unchanged. It has no
 * `rds_iam` role, which Aurora provides: `start` creates it as Aurora has it (a NOLOGIN group role).
 */
export class PgliteDatabase {
  /** Timeout for the hooks that start a database (seconds on a quiet machine, more on a busy one). */
  public static readonly START_TIMEOUT_MS = 120_000;

  /**
   * Starts an empty database; starting PGlite takes seconds, so hooks that call it get `START_TIMEOUT_MS`.
   * `image`: the file that keeps the initialised data directory (default: per PGlite version in node_modules/.cache).
   */
  public static async start(image?: string): Promise<PgliteDatabase> {
    const database = new PgliteDatabase(image);
    await database.send('start');
    return database;
  }

  /** A database migrated by the schema migration whose session runs as the application role, like the API's connections. */
  public static async migratedAsAppRole(appRole = 'transaction_api'): Promise<PgliteDatabase> {
    const database = await PgliteDatabase.start();
    await migrateTransactionSchema(database, appRole);
    await database.exec(`SET ROLE ${appRole}`);
    return database;
  }

  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: any) => void; reject: (error: Error) => void }>();
  private nextId = 0;

  private constructor(image?: string) {
    const pglite = require.resolve('@electric-sql/pglite');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { pglite, image: image ?? initialisedImagePath(pglite) } });
    this.worker.on('message', ({ id, result, error }: { id: number; result?: unknown; error?: { message: string; code?: string } }) => {
      const call = this.pending.get(id)!;
      this.pending.delete(id);
      if (error) call.reject(new PostgresError(error.message, error.code));
      else call.resolve(result);
    });
    this.worker.on('error', (error: Error) => {
      for (const call of this.pending.values()) call.reject(error);
      this.pending.clear();
    });
  }

  /** Runs one statement with `$1`-style parameters. */
  public query<T = any>(sql: string, params: unknown[] = []): Promise<{ rows: T[] }> {
    return this.send('query', sql, params);
  }

  /** Runs a script of statements without parameters. */
  public async exec(sql: string): Promise<void> {
    await this.send('exec', sql);
  }

  /** The first row of a query. */
  public async one<T = any>(sql: string, params: unknown[] = []): Promise<T> {
    return (await this.query<T>(sql, params)).rows[0];
  }

  public async close(): Promise<void> {
    await this.send('close');
    await this.worker.terminate();
  }

  private send(op: string, sql?: string, params?: unknown[]): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, op, sql, params });
    });
  }
}

/** Where the initialised data directory of this PGlite version is kept: `node_modules/.cache/pglite/<version>.tar`. */
function initialisedImagePath(pgliteEntry: string): string {
  for (let dir = path.dirname(pgliteEntry); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      const { name, version } = JSON.parse(fs.readFileSync(manifest, 'utf-8')) as { name?: string; version?: string };
      if (name === '@electric-sql/pglite') return path.join(dir, '..', '..', '.cache', 'pglite', `${version}.tar`);
    }
  }
  throw new Error(`PgliteDatabase: no package.json of @electric-sql/pglite above ${pgliteEntry}; reinstall it (npm ci).`);
}
