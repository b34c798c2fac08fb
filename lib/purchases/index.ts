export {
  assertPurchaseCurrency,
  billfoldPurchaseIdOf,
  completeSession,
  findPurchase,
  getPurchaseBySession,
  isTopUpSession,
  listRecentPurchases,
  lockChargedPurchase,
  lockPurchase,
  markSessionExpired,
  markSessionFailed,
  paymentIntentReference,
  recordPaymentFailure,
  referencesOf,
  rememberCharge,
  sessionReference,
  settlePaidPaymentIntent,
  settlePaidPurchase,
  settlePaidSession,
  topUpIdempotencyKey,
  updateUnpaidPurchase,
  type PaymentReference,
} from "./purchases";
export { applyChargeRefunds, applyRefund, applyRefundUpdate, embeddedRefunds, refundCharge, refundsOfCharge } from "./refunds";
export { closeDispute, disputeCharge, holdDisputedAmount, openDispute } from "./disputes";
export { chargeNeedsLookup, chargeReference, type ChargeReference } from "./charge-reference";
