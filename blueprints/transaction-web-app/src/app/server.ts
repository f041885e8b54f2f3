import { randomUUID } from 'crypto';
import * as http from 'http';
import { JsonLogger } from './json-logger';
import { InvalidTransactionError, parseTransactionInput } from './transaction-input';
import { IdempotencyConflictError, TransactionStore } from './transaction-store';

/** Options of `createTransactionServer`. */
export interface TransactionServerOptions {
  readonly store: TransactionStore;
  readonly logger: JsonLogger;
  /**
   * How long `GET /health` waits for the database before answering 503.
   *
   * @default 2000
   */
  readonly healthTimeoutMs?: number;
}

/** Largest request body accepted: a transaction is a few hundred bytes. */
export const MAX_BODY_BYTES = 16 * 1024;
/** `GET /api/transactions` returns this many unless `limit` says otherwise, and never more than `MAX_LIMIT`. */
export const DEFAULT_LIMIT = 20;
export const MAX_LIMIT = 100;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A route's answer: status, JSON body, extra headers, and the route's name for the access log. */
interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
  readonly route: string;
}

/** An answer with a status and a JSON body `{ error }`. */
class HttpError extends Error {
  constructor(public readonly status: number, message: string, public readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/**
 * The transaction API on node:http:
 * - `GET /health`: 200 when the database answers `SELECT 1` within the timeout, else 503 (the load balancer's check);
 * - `GET /health/live`: 200 while the process serves requests, database or not (the container's own check, so a database
 *   outage does not make ECS replace every task);
 * - `POST /api/transactions`: records a transaction once per idempotency key: 201 with it, the same 201 for a retry
 *   (`Idempotent-Replayed: true`), 400/413/415 for bad input, 409 for a key reused for a different transaction;
 * - `GET /api/transactions/{id}`: 200 or 404; `GET /api/transactions?limit=n`: the n most recent (1 to 100, default 20).
 * Every answer is JSON and `no-store`; every request is logged once, as JSON, with its status and duration.
 */
export function createTransactionServer(options: TransactionServerOptions): http.Server {
  const { store, logger } = options;
  const healthTimeoutMs = options.healthTimeoutMs ?? 2000;

  async function route(request: http.IncomingMessage, url: URL): Promise<Answer> {
    const method = request.method ?? 'GET';
    const path = url.pathname;
    if (path === '/health') {
      allow(method, ['GET', 'HEAD']);
      try {
        await withTimeout(store.ping(), healthTimeoutMs);
        return { status: 200, body: { status: 'ok' }, route: path };
      } catch (error) {
        logger.warn('health check: the database did not answer', { error: (error as Error).message });
        return { status: 503, body: { status: 'unavailable', reason: 'database' }, route: path };
      }
    }
    if (path === '/health/live') {
      allow(method, ['GET', 'HEAD']);
      return { status: 200, body: { status: 'ok' }, route: path };
    }
    if (path === '/api/transactions') {
      allow(method, ['GET', 'POST']);
      if (method === 'POST') {
        const input = parseTransactionInput(await readJson(request));
        const { transaction, created } = await store.record(input);
        return {
          status: 201,
          body: transaction,
          headers: { location: `/api/transactions/${transaction.id}`, ...(created ? {} : { 'idempotent-replayed': 'true' }) },
          route: path,
        };
      }
      return { status: 200, body: { transactions: await store.recent(parseLimit(url.searchParams.get('limit'))) }, route: path };
    }
    const match = /^\/api\/transactions\/([^/]+)$/.exec(path);
    if (match) {
      allow(method, ['GET']);
      const id = match[1];
      if (!UUID.test(id)) throw new HttpError(400, `transaction id "${id.slice(0, 40)}" is not a UUID`);
      const transaction = await store.find(id.toLowerCase());
      if (!transaction) throw new HttpError(404, `no transaction ${id}`);
      return { status: 200, body: transaction, route: '/api/transactions/{id}' };
    }
    throw new HttpError(404, `no route ${path}`);
  }

  const server = http.createServer((request, response) => {
    const started = process.hrtime.bigint();
    const requestId = traceId(request.headers['x-amzn-trace-id']) ?? randomUUID();
    let routeName = 'unknown';
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const json = JSON.stringify(body);
      response.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': Buffer.byteLength(json),
        'cache-control': 'no-store',
        'x-content-type-options': 'nosniff',
        'x-request-id': requestId,
        ...headers,
      });
      response.end(request.method === 'HEAD' ? undefined : json);
      logger.info('request', {
        requestId,
        method: request.method,
        route: routeName,
        status,
        durationMs: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
      });
    };
    let url: URL;
    try {
      url = new URL(request.url ?? '/', 'http://localhost');
    } catch {
      send(400, { error: 'the request target is not a valid URL' });
      return;
    }
    route(request, url).then(
      result => {
        routeName = result.route;
        send(result.status, result.body, result.headers);
      },
      (error: unknown) => {
        if (error instanceof HttpError) {
          send(error.status, { error: error.message }, error.headers);
        } else if (error instanceof InvalidTransactionError) {
          send(400, { error: 'invalid transaction', details: error.problems });
        } else if (error instanceof IdempotencyConflictError) {
          send(409, { error: error.message });
        } else {
          logger.error('request failed', error, { requestId });
          send(500, { error: 'internal error', requestId });
        }
      },
    );
  });
  // Longer than the load balancer's idle timeout (60 s), so the ALB, not the task, closes idle connections.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = 30_000;
  return server;
}

function allow(method: string, methods: readonly string[]): void {
  if (!methods.includes(method)) throw new HttpError(405, `method ${method} is not allowed here; use ${methods.join(' or ')}`, { allow: methods.join(', ') });
}

function parseLimit(value: string | null): number {
  if (value === null) return DEFAULT_LIMIT;
  const limit = Number(value);
  if (!/^[0-9]+$/.test(value) || limit < 1 || limit > MAX_LIMIT) throw new HttpError(400, `limit must be an integer from 1 to ${MAX_LIMIT} (got "${value.slice(0, 20)}")`);
  return limit;
}

/** The body as JSON: 415 unless it is declared JSON, 413 when larger than `MAX_BODY_BYTES`, 400 when it does not parse. */
async function readJson(request: http.IncomingMessage): Promise<unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, `content-type must be application/json (got "${type.slice(0, 60)}")`);
  if (Number(request.headers['content-length'] ?? 0) > MAX_BODY_BYTES) throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `the body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf-8'));
  } catch (error) {
    throw new HttpError(400, `the body is not valid JSON: ${(error as Error).message}`);
  }
}

/** The ALB's trace id (`Root=1-...`), which ties a log line to the load balancer's access log. */
function traceId(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value ? /Root=([^;]+)/.exec(value)?.[1] : undefined;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
