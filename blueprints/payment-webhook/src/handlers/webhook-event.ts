/** A payment provider's webhook event, as the receiver accepts it and the processor stores it. */
export interface WebhookEvent {
  /** The provider's unique event id: the idempotency key. */
  readonly id: string;
  /** What happened, e.g. `payment.succeeded`. */
  readonly type: string;
  /** When the provider created the event (ISO 8601). */
  readonly createdAt: string;
  readonly data: {
    readonly paymentId: string;
    /** Amount in minor units (cents): integers only, never floats, for money. */
    readonly amount: number;
    /** ISO 4217 code, e.g. `EUR`. */
    readonly currency: string;
    readonly status: string;
  };
}

/** A body that is not a well-formed webhook event; `reason` says what is wrong. */
export class MalformedEventError extends Error {
  constructor(public readonly reason: string) {
    super(`malformed webhook event: ${reason}`);
    this.name = 'MalformedEventError';
  }
}

const ID = /^[A-Za-z0-9_-]{1,128}$/;
const CURRENCY = /^[A-Z]{3}$/;

/** Parses and validates a webhook body; throws `MalformedEventError` naming the first problem. */
export function parseWebhookEvent(body: string | null | undefined): WebhookEvent {
  if (!body) throw new MalformedEventError('empty body');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new MalformedEventError('body is not JSON');
  }
  const event = parsed as Partial<WebhookEvent> | null;
  if (typeof event !== 'object' || event === null) throw new MalformedEventError('body is not a JSON object');
  if (typeof event.id !== 'string' || !ID.test(event.id)) throw new MalformedEventError('id must be 1-128 letters, digits, _ or -');
  if (typeof event.type !== 'string' || event.type.length === 0) throw new MalformedEventError('type is missing');
  if (typeof event.createdAt !== 'string' || Number.isNaN(Date.parse(event.createdAt))) throw new MalformedEventError('createdAt must be an ISO 8601 date');
  const data = event.data;
  if (typeof data !== 'object' || data === null) throw new MalformedEventError('data is missing');
  if (typeof data.paymentId !== 'string' || !ID.test(data.paymentId)) throw new MalformedEventError('data.paymentId must be 1-128 letters, digits, _ or -');
  if (!Number.isSafeInteger(data.amount) || data.amount < 0) throw new MalformedEventError('data.amount must be a non-negative integer in minor units');
  if (typeof data.currency !== 'string' || !CURRENCY.test(data.currency)) throw new MalformedEventError('data.currency must be an ISO 4217 code such as EUR');
  if (typeof data.status !== 'string' || data.status.length === 0) throw new MalformedEventError('data.status is missing');
  return {
    id: event.id,
    type: event.type,
    createdAt: event.createdAt,
    data: { paymentId: data.paymentId, amount: data.amount, currency: data.currency, status: data.status },
  };
}
