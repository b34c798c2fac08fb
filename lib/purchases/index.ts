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
export { applyChargeRefunds, applyRefund, applyRefundUpdate, embeddedRefunds, refundsOfCharge } from "./refunds";
export { closeDispute, holdDisputedAmount, openDispute } from "./disputes";
export { chargeNeedsLookup, chargeReference, type ChargedObject, type ChargeReference } from "./charge-reference";
export { storeAndSettlePaidSession } from "./one-statement-settlement";
