import * as http from 'http';
import { AddressInfo } from 'net';
import { JsonLogger } from '../../src/app/json-logger';
import { createTransactionServer, MAX_BODY_BYTES } from '../../src/app/server';
import { IdempotencyConflictError, Queryable, TransactionStore } from '../../src/app/transaction-store';
import { PgliteDatabase } from '../pglite-database';

/** A server on a free port of 127.0.0.1 and the JSON lines it logged. */
async function start(db: Queryable, healthTimeoutMs?: number): Promise<{ server: http.Server; base: string; logs: Array<Record<string, any>> }> {
  const logs: Array<Record<string, any>> = [];
  const server = createTransactionServer({ store: new TransactionStore(db), logger: new JsonLogger({ service: 'test' }, line => logs.push(JSON.parse(line))), healthTimeoutMs });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, logs };
}

function stop(server: http.Server): Promise<void> {
  server.closeAllConnections();
  return new Promise(resolve => server.close(() => resolve()));
}

/** The response's body as JSON, untyped: the assertions check its shape. */
async function json(response: Response): Promise<any> {
  return response.json();
}

const BODY = { amount: '12.50', currency: 'EUR', reference: 'Invoice 42', idempotencyKey: 'http-key-1' };

function post(base: string, body: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }): Promise<Response> {
  return fetch(`${base}/api/transactions`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

// One PostgreSQL (PGlite) for the store's SQL and the HTTP routes: starting it is the slowest part of these tests. Both run
// as the application role the migration creates, which proves its grants are enough and no more is needed.
let db: PgliteDatabase;
let store: TransactionStore;
beforeAll(async () => {
  db = await PgliteDatabase.migratedAsAppRole();
  store = new TransactionStore(db);
}, PgliteDatabase.START_TIMEOUT_MS);
afterAll(async () => db?.close());

const INPUT = { amountMinor: 1250, currency: 'EUR', reference: 'Invoice 42', idempotencyKey: 'store-key-1' };

describe('TransactionStore on PostgreSQL (PGlite), as the application role', () => {
  test('records a transaction and reads it back by id', async () => {
    const { transaction, created } = await store.record(INPUT);
    expect(created).toBe(true);
    expect(transaction).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/),
      amount: '12.50',
      amountMinor: 1250,
      currency: 'EUR',
      reference: 'Invoice 42',
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    });
    expect(await store.find(transaction.id)).toEqual(transaction);
  });

  test('the same idempotency key and content again returns the first transaction and stores nothing', async () => {
    const first = await store.record({ ...INPUT, idempotencyKey: 'store-key-2' });
    const again = await store.record({ ...INPUT, idempotencyKey: 'store-key-2' });
    expect(again).toEqual({ transaction: first.transaction, created: false });
    expect(await db.one("SELECT count(*)::int AS n FROM transactions WHERE idempotency_key = 'store-key-2'")).toEqual({ n: 1 });
  });

  test.each([
    ['amount', { amountMinor: 1251 }], ['currency', { currency: 'USD' }], ['reference', { reference: 'Invoice 43' }],
  ])('the same idempotency key with another %s is a conflict, and the first transaction stays', async (_, change) => {
    const key = `store-conflict-${Object.keys(change)[0]}`;
    const first = await store.record({ ...INPUT, idempotencyKey: key });
    await expect(store.record({ ...INPUT, ...change, idempotencyKey: key })).rejects.toThrow(IdempotencyConflictError);
    await expect(store.record({ ...INPUT, ...change, idempotencyKey: key })).rejects.toThrow(`idempotency key "${key}" was already used for a different transaction`);
    expect(await store.find(first.transaction.id)).toEqual(first.transaction);
  });

  test('amounts keep the currency\'s minor units and the largest safe amount exactly', async () => {
    expect((await store.record({ ...INPUT, amountMinor: 500, currency: 'JPY', idempotencyKey: 'store-jpy' })).transaction.amount).toBe('500');
    expect((await store.record({ ...INPUT, amountMinor: 1234, currency: 'KWD', idempotencyKey: 'store-kwd' })).transaction.amount).toBe('1.234');
    const largest = await store.record({ ...INPUT, amountMinor: Number.MAX_SAFE_INTEGER, idempotencyKey: 'store-largest' });
    expect(await store.find(largest.transaction.id)).toMatchObject({ amountMinor: Number.MAX_SAFE_INTEGER, amount: '90071992547409.91' });
  });

  test('an unknown id is undefined', async () => {
    expect(await store.find('00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  test('recent lists the newest first, at most limit', async () => {
    for (const n of [1, 2, 3]) await store.record({ ...INPUT, reference: `Recent ${n}`, idempotencyKey: `store-recent-${n}` });
    const recent = await store.recent(2);
    expect(recent.map(t => t.reference)).toEqual(['Recent 3', 'Recent 2']);
    const all = await store.recent(100);
    expect(all.length).toBe((await db.one('SELECT count(*)::int AS n FROM transactions')).n);
    const times = all.map(t => t.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
  });

  test('recent orders rows with the same created_at (one database transaction) newest first', async () => {
    // now() is the start of the database transaction: every row inserted in it has the same created_at.
    await db.query('BEGIN');
    for (const n of [1, 2, 3]) await store.record({ ...INPUT, reference: `Same instant ${n}`, idempotencyKey: `store-same-instant-${n}` });
    await db.query('COMMIT');
    const recent = await store.recent(3);
    expect(new Set(recent.map(t => t.createdAt)).size).toBe(1);
    expect(recent.map(t => t.reference)).toEqual(['Same instant 3', 'Same instant 2', 'Same instant 1']);
  });

  test('ping resolves while the database answers', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

describe('the transaction API on PostgreSQL (PGlite), as the application role', () => {
  let server: http.Server;
  let base: string;
  let logs: Array<Record<string, any>>;
  beforeAll(async () => {
    ({ server, base, logs } = await start(db));
  });
  afterAll(async () => {
    if (server) await stop(server);
  });

  test('GET /health answers 200 when the database answers', async () => {
    const response = await fetch(`${base}/health`);
    expect(response.status).toBe(200);
    expect(await json(response)).toEqual({ status: 'ok' });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  test('POST records a transaction: 201, its location, and the transaction as stored', async () => {
    const response = await post(base, BODY);
    expect(response.status).toBe(201);
    const transaction = await json(response);
    expect(transaction).toEqual({ id: expect.any(String), amount: '12.50', amountMinor: 1250, currency: 'EUR', reference: 'Invoice 42', createdAt: expect.any(String) });
    expect(response.headers.get('location')).toBe(`/api/transactions/${transaction.id}`);
    expect(response.headers.get('idempotent-replayed')).toBeNull();
    expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');

    const read = await fetch(`${base}${response.headers.get('location')}`);
    expect(read.status).toBe(200);
    expect(await json(read)).toEqual(transaction);
  });

  test('the same POST again (a retry) answers the same transaction and stores one row', async () => {
    const body = { ...BODY, amountMinor: 999, amount: undefined, idempotencyKey: 'http-retry' };
    const first = await post(base, body);
    const again = await post(base, body);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await json(again)).toEqual(await json(first));
    expect(await db.one("SELECT count(*)::int AS n FROM transactions WHERE idempotency_key = 'http-retry'")).toEqual({ n: 1 });
  });

  test('concurrent retries of one POST store one row and all answer the same transaction', async () => {
    const body = { ...BODY, idempotencyKey: 'http-concurrent' };
    const responses = await Promise.all(Array.from({ length: 5 }, () => post(base, body)));
    expect(responses.map(r => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(await Promise.all(responses.map(async r => (await json(r)).id))).size).toBe(1);
    expect(await db.one("SELECT count(*)::int AS n FROM transactions WHERE idempotency_key = 'http-concurrent'")).toEqual({ n: 1 });
  });

  test('the same key for a different transaction is 409 and stores nothing', async () => {
    await post(base, { ...BODY, idempotencyKey: 'http-conflict' });
    const response = await post(base, { ...BODY, amount: '13.00', idempotencyKey: 'http-conflict' });
    expect(response.status).toBe(409);
    expect(await json(response)).toEqual({ error: 'idempotency key "http-conflict" was already used for a different transaction; use a new key for a new transaction' });
    expect(await db.one("SELECT amount_minor::int AS amount FROM transactions WHERE idempotency_key = 'http-conflict'")).toEqual({ amount: 1250 });
  });

  test('an invalid transaction is 400 with every problem, and nothing is stored', async () => {
    const response = await post(base, { amount: '12.505', currency: 'EUR', reference: '', idempotencyKey: 'http-invalid' });
    expect(response.status).toBe(400);
    expect(await json(response)).toEqual({
      error: 'invalid transaction',
      details: [
        'amount "12.505" has 3 decimal places; this currency has 2',
        'reference must be a string of 1 to 140 characters without control characters, such as "Invoice 42"',
      ],
    });
    expect(await db.one("SELECT count(*)::int AS n FROM transactions WHERE idempotency_key = 'http-invalid'")).toEqual({ n: 0 });
  });

  test.each([
    ['a body that is not JSON', '{"amount":', { 'content-type': 'application/json' }, 400, /^the body is not valid JSON/],
    ['form data', 'amount=12.50', { 'content-type': 'application/x-www-form-urlencoded' }, 415, /content-type must be application\/json \(got "application\/x-www-form-urlencoded"\)/],
    ['no content type', JSON.stringify(BODY), {}, 415, /content-type must be application\/json/],
    ['a body over 16 KiB', JSON.stringify({ ...BODY, reference: 'x'.repeat(MAX_BODY_BYTES) }), { 'content-type': 'application/json' }, 413, /the body is larger than 16384 bytes/],
  ])('%s is refused', async (_, body, headers, status, message) => {
    const response = await post(base, body, headers as Record<string, string>);
    expect(response.status).toBe(status);
    expect((await json(response)).error).toMatch(message);
  });

  test('GET /api/transactions lists the newest first; limit picks how many', async () => {
    for (const n of [1, 2, 3]) expect((await post(base, { ...BODY, reference: `List ${n}`, idempotencyKey: `http-list-${n}` })).status).toBe(201);
    const response = await fetch(`${base}/api/transactions?limit=2`);
    expect(response.status).toBe(200);
    const { transactions } = await json(response);
    expect(transactions.map((t: { reference: string }) => t.reference)).toEqual(['List 3', 'List 2']);
    const all = (await json(await fetch(`${base}/api/transactions`))).transactions;
    expect(all.length).toBe(Math.min(20, (await db.one('SELECT count(*)::int AS n FROM transactions')).n));
  });

  test.each(['0', '101', 'ten', '2.5', '-1', ''])('limit=%s is 400', async limit => {
    const response = await fetch(`${base}/api/transactions?limit=${limit}`);
    expect(response.status).toBe(400);
    expect((await json(response)).error).toMatch(/^limit must be an integer from 1 to 100/);
  });

  test('a transaction id that is not a UUID is 400; an unknown one is 404', async () => {
    const malformed = await fetch(`${base}/api/transactions/42'%20OR%201=1`);
    expect(malformed.status).toBe(400);
    expect((await json(malformed)).error).toMatch(/is not a UUID/);
    const unknown = await fetch(`${base}/api/transactions/00000000-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
    expect(await json(unknown)).toEqual({ error: 'no transaction 00000000-0000-4000-8000-000000000000' });
  });

  test('a method a route does not take is 405 with Allow; an unknown path is 404', async () => {
    const response = await fetch(`${base}/api/transactions`, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
    expect((await fetch(`${base}/api/accounts`)).status).toBe(404);
    expect((await fetch(`${base}/`)).status).toBe(404);
  });

  test('every request is logged once as JSON with the ALB trace id, route, status and duration; bodies are not logged', async () => {
    const before = logs.length;
    const response = await post(base, { ...BODY, reference: 'Secret reference', idempotencyKey: 'http-logged' }, {
      'content-type': 'application/json',
      'x-amzn-trace-id': 'Root=1-67891233-abcdef012345678912345678;Sampled=1',
    });
    expect(response.headers.get('x-request-id')).toBe('1-67891233-abcdef012345678912345678');
    const lines = logs.slice(before);
    expect(lines).toEqual([{
      level: 'INFO',
      message: 'request',
      timestamp: expect.any(String),
      service: 'test',
      requestId: '1-67891233-abcdef012345678912345678',
      method: 'POST',
      route: '/api/transactions',
      status: 201,
      durationMs: expect.any(Number),
    }]);
    expect(JSON.stringify(lines)).not.toContain('Secret reference');
  });
});

describe('the transaction API when the database fails', () => {
  test('GET /health answers 503 when the database does not answer in time; /health/live still 200', async () => {
    const { server, base, logs } = await start({ query: () => new Promise(() => undefined) }, 50);
    try {
      const response = await fetch(`${base}/health`);
      expect(response.status).toBe(503);
      expect(await json(response)).toEqual({ status: 'unavailable', reason: 'database' });
      expect(logs).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'health check: the database did not answer', error: 'no answer within 50 ms' }));
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
    } finally {
      await stop(server);
    }
  });

  test('an unexpected database error is 500 with the request id; the error is logged, not returned', async () => {
    const failure = Object.assign(new Error('connection terminated unexpectedly'), { code: 'ECONNRESET' });
    const { server, base, logs } = await start({ query: () => Promise.reject(failure) });
    try {
      const response = await post(base, BODY);
      expect(response.status).toBe(500);
      const body = await json(response);
      expect(body).toEqual({ error: 'internal error', requestId: response.headers.get('x-request-id') });
      expect(JSON.stringify(body)).not.toContain('terminated');
      expect(logs).toContainEqual(expect.objectContaining({
        level: 'ERROR',
        message: 'request failed',
        requestId: body.requestId,
        error: expect.objectContaining({ name: 'Error', message: 'connection terminated unexpectedly', code: 'ECONNRESET' }),
      }));
    } finally {
      await stop(server);
    }
  });
});
