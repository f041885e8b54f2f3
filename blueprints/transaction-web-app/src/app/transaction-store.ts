import { CURRENCY_MINOR_UNITS } from './currencies';
import { formatAmount, TransactionInput } from './transaction-input';

/** What the store needs of a database: `pg`'s `Pool` and `Client` fit, and so does an in-process engine in tests. */
export interface Queryable {
  query(text: string, values?: unknown[]): Promise<{ rows: any[] }>;
}

/** A recorded transaction, as the API returns it. */
export interface Transaction {
  readonly id: string;
  /** Decimal string in major units, such as "12.50". */
  readonly amount: string;
  /** Integer in minor units, such as 1250. */
  readonly amountMinor: number;
  readonly currency: string;
  readonly reference: string;
  /** ISO 8601 time the database recorded it. */
  readonly createdAt: string;
}

/** The outcome of `record`: the transaction, and whether this call created it or an earlier one with the same key did. */
export interface RecordResult {
  readonly transaction: Transaction;
  readonly created: boolean;
}

/** An idempotency key reused for a different transaction: the client must use a new key for a new transaction. */
export class IdempotencyConflictError extends Error {
  constructor(public readonly idempotencyKey: string) {
    super(`idempotency key "${idempotencyKey}" was already used for a different transaction; use a new key for a new transaction`);
    this.name = 'IdempotencyConflictError';
  }
}

// amount_minor as text: node-postgres reads bigint as a string and other drivers as a number; text reads the same everywhere.
const COLUMNS = 'id::text AS id, amount_minor::text AS amount_minor, currency, reference, created_at';

/**
 * Records and reads transactions in the `transactions` table the schema migration creates. Needs SELECT and INSERT
 * only: a retried request with the same idempotency key inserts nothing and reads the first row back.
 */
export class TransactionStore {
  constructor(private readonly db: Queryable) {}

  /**
   * Records a transaction once per idempotency key. A repeat with the same key and the same content returns the first
   * transaction (`created: false`); with other content it throws `IdempotencyConflictError`.
   */
  public async record(input: TransactionInput): Promise<RecordResult> {
    const inserted = await this.db.query(
      `INSERT INTO transactions (amount_minor, currency, reference, idempotency_key) VALUES ($1, $2, $3, $4)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING ${COLUMNS}`,
      [input.amountMinor, input.currency, input.reference, input.idempotencyKey],
    );
    if (inserted.rows.length > 0) return { transaction: toTransaction(inserted.rows[0]), created: true };
    // A separate statement on purpose: it takes a new snapshot, so it sees a row a concurrent request committed meanwhile.
    const existing = await this.db.query(`SELECT ${COLUMNS} FROM transactions WHERE idempotency_key = $1`, [input.idempotencyKey]);
    if (existing.rows.length === 0) throw new Error(`no transaction for idempotency key "${input.idempotencyKey}" after a conflicting insert`);
    const transaction = toTransaction(existing.rows[0]);
    if (transaction.amountMinor !== input.amountMinor || transaction.currency !== input.currency || transaction.reference !== input.reference) {
      throw new IdempotencyConflictError(input.idempotencyKey);
    }
    return { transaction, created: false };
  }

  /** The transaction with this id (a UUID), or undefined. */
  public async find(id: string): Promise<Transaction | undefined> {
    const result = await this.db.query(`SELECT ${COLUMNS} FROM transactions WHERE id = $1`, [id]);
    return result.rows.length > 0 ? toTransaction(result.rows[0]) : undefined;
  }

  /** The `limit` most recent transactions, newest first (rows with the same `created_at` in insertion order, newest first). */
  public async recent(limit: number): Promise<Transaction[]> {
    const result = await this.db.query(`SELECT ${COLUMNS} FROM transactions ORDER BY created_at DESC, seq DESC LIMIT $1`, [limit]);
    return result.rows.map(toTransaction);
  }

  /** Resolves when the database answers a trivial query. */
  public async ping(): Promise<void> {
    await this.db.query('SELECT 1');
  }
}

function toTransaction(row: { id: string; amount_minor: string; currency: string; reference: string; created_at: Date | string }): Transaction {
  const amountMinor = Number(row.amount_minor);
  const currency = row.currency.trim();
  return {
    id: row.id,
    amount: formatAmount(amountMinor, CURRENCY_MINOR_UNITS.get(currency) ?? 2),
    amountMinor,
    currency,
    reference: row.reference,
    createdAt: new Date(row.created_at).toISOString(),
  };
}
