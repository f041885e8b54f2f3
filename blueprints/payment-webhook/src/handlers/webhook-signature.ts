import { createHmac, timingSafeEqual } from 'crypto';

/** Header carrying the hex HMAC-SHA256 of `<timestamp>.<body>` under the shared secret. */
export const SIGNATURE_HEADER = 'x-webhook-signature';
/** Header carrying the Unix time (seconds) the provider signed at. */
export const TIMESTAMP_HEADER = 'x-webhook-timestamp';
/** Signatures older (or further in the future) than this are replays or clock trouble: rejected. */
export const SIGNATURE_TOLERANCE_SECONDS = 300;

/** Why a signature was refused, or `valid`. */
export type SignatureCheck = 'valid' | 'missing' | 'stale' | 'mismatch';

/** The signature a provider sends for `body` at `timestamp`. */
export function signWebhook(secret: string, timestamp: string, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** Checks a webhook signature in constant time; the timestamp is part of what is signed, so it cannot be replaced. */
export function checkSignature(options: {
  readonly secret: string;
  readonly body: string;
  readonly timestamp?: string;
  readonly signature?: string;
  readonly nowSeconds: number;
}): SignatureCheck {
  const { secret, body, timestamp, signature, nowSeconds } = options;
  if (!timestamp || !signature || !/^\d{1,12}$/.test(timestamp) || !/^[0-9a-f]{64}$/i.test(signature)) return 'missing';
  if (Math.abs(nowSeconds - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) return 'stale';
  const expected = Buffer.from(signWebhook(secret, timestamp, body), 'hex');
  return timingSafeEqual(expected, Buffer.from(signature, 'hex')) ? 'valid' : 'mismatch';
}

/** A header by name, whatever case API Gateway delivered it in. */
export function header(headers: { readonly [name: string]: string | undefined } | null | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const key = Object.keys(headers).find(k => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
