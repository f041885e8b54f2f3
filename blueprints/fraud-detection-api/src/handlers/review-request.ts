import type { RiskLevel } from './fraud-score';

/** What the scorer sends to the review queue and the alert topic for a flagged transaction. */
export interface ReviewRequest {
  readonly transactionId: string;
  readonly merchantId: string;
  readonly amount: number;
  readonly currency: string;
  readonly country: string;
  readonly timestamp: string;
  readonly score: number;
  readonly level: RiskLevel;
  readonly reasons: string[];
}

/** Reads a queued review request; a body that is not one throws (it will never parse: it ends in the DLQ). */
export function parseReviewRequest(body: string): ReviewRequest {
  const request = JSON.parse(body) as Partial<ReviewRequest>;
  const missing = [
    ...(['transactionId', 'merchantId', 'currency', 'country', 'timestamp', 'level'] as const).filter(k => typeof request[k] !== 'string'),
    ...(['amount', 'score'] as const).filter(k => typeof request[k] !== 'number'),
    ...(Array.isArray(request.reasons) ? [] : ['reasons']),
  ];
  if (missing.length > 0) throw new Error(`review request lacks ${missing.join(', ')}: ${body.slice(0, 200)}`);
  return request as ReviewRequest;
}
