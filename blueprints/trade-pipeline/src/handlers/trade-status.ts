/** What a trade's item in the table says happened to it. */
export enum TradeStatus {
  /** Valid, enriched and booked: written once, never overwritten. */
  RECORDED = 'RECORDED',
  /** Refused by validation; the item carries the reasons. A corrected resend with the same trade id replaces it. */
  REJECTED = 'REJECTED',
  /** A state of the workflow failed after its retries; the item carries the error. A replay of the trade replaces it. */
  FAILED = 'FAILED',
}
