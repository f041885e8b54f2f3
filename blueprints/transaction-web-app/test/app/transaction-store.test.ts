import { IdempotencyConflictError, TransactionStore } from '../../src/app/transaction-store';
import { PgliteDatabase } from '../pglite-database';

// The store's SQL on PostgreSQL, as the application role the migration creates: proves its grants are enough and no more is needed.
let db: PgliteDatabase;
let store: TransactionStore;
beforeAll(async () => {
  db = await PgliteDatabase.migratedAsAppRole();
  store = new TransactionStore(db);
}, PgliteDatabase.START_TIMEOUT_MS);
afterAll(async () => db?.close());

const INPUT = { amountMinor: 1250, currency: 'EUR', reference: 'Invoice 42', idempotencyKey: 'store-key-1' };

describe('TransactionStore', () => {
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

  test('ping resolves while the database answers', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});
