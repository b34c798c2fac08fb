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

/** A grant's remainder leaving on its expiry date: once per grant. */
export function expiryKey(grantId: string): string {
  return `expiry:${grantId}`;
}

/** The part of a plan grant that expired when the rest rolled over (the grant's final expiry is expiryKey). */
export function rolloverExpiryKey(grantId: string): string {
  return `expiry:${grantId}:rollover`;
}

/** An admin's void of a promotional grant: once per grant. */
export function voidKey(grantId: string): string {
  return `void:${grantId}`;
}

/** An admin's promotional grant, by the request key its form carried. */
export function promotionalGrantKey(requestKey: string): string {
  return `promotional:${requestKey}`;
}

/** A reservation, scoped to the user like a spend: the same caller key holds once. */
export function reservationKey(userId: string, callerKey: string): string {
  return `reservation:${userId}:${callerKey}`;
}

/** The USAGE debit a reservation's commit writes: once per reservation. */
export function reservationCommitKey(reservationId: string): string {
  return `reservation_commit:${reservationId}`;
}

/** An auto-recharge's credit, by its purchase (it has no Checkout Session): the same key whichever event reports the payment. */
export function rechargeKey(purchaseId: string): string {
  return `recharge:${purchaseId}`;
}
