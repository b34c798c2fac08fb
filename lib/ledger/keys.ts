// Every ledger idempotency key Billfold writes, in one place, so every way an effect can be named is
// visible at once. A key names the effect (derived from the Stripe object or the caller's own key),
// never the event that reported it, so two events about one refund still debit it once.

/** A top-up, by its Checkout Session: the same key whichever event (session or PaymentIntent) reports the payment. */
export function topUpKey(checkoutSessionId: string): string {
  return `topup:${checkoutSessionId}`;
}

/** A succeeded refund, debited once. */
export function refundKey(refundId: string): string {
  return `refund:${refundId}`;
}

/** The money of a refund that failed or was canceled after it was debited, credited back once. */
export function refundReversalKey(refundId: string): string {
  return `refund_reversal:${refundId}`;
}

export function disputeHoldKey(disputeId: string): string {
  return `dispute_hold:${disputeId}`;
}

export function disputeReleaseKey(disputeId: string): string {
  return `dispute_release:${disputeId}`;
}

/** A spend, scoped to the user so that one user's key can never collide with (or reveal) another's. */
export function usageKey(userId: string, callerKey: string): string {
  return `usage:${userId}:${callerKey}`;
}

/** A plan's monthly credit, granted once per paid subscription invoice whichever invoice event reports it. */
export function planGrantKey(invoiceId: string): string {
  return `plan_grant:${invoiceId}`;
}

/** An admin's manual adjustment, by the request key its form carried: a resubmitted form applies once. */
export function adjustmentKey(requestKey: string): string {
  return `adjustment:${requestKey}`;
}
