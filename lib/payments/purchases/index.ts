import "server-only";

export {
  assertPurchaseCurrency,
  billfoldPurchaseIdOf,
  canMoveTo,
  completeSession,
  findPurchase,
  findUserPurchase,
  isTopUpSession,
  listRecentPurchases,
  lockChargedPurchase,
  lockPurchase,
  markPurchaseCancelled,
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
export { closeDispute, holdDisputedAmount, openDispute, reinstateDisputedFunds } from "./disputes";
export { chargeNeedsLookup, chargeReference, type ChargedObject, type ChargeReference } from "./charge-reference";
export { storeAndSettlePaidSession } from "./one-statement-settlement";
export {
  describePurchase,
  hasReceipt,
  isOpenPurchase,
  isUnsettled,
  purchaseName,
  purchaseState,
  purchaseView,
  type DisplayedPurchase,
  type PurchaseDisplay,
  type PurchaseState,
  type PurchaseTone,
  type PurchaseView,
  cardBrandName,
  paymentMethodLabel,
  receiptPath,
  topUpLabel,
} from "./labels";
export { queueTopUpReceipt, topUpReceiptKey, TOPUP_RECEIPT_KIND } from "./receipt-email";
export { markRechargeSucceeded } from "./recharge-settlement";
export { FAILURE_SENTENCES, failureReason, offSessionFailureMessage, paymentFailureMessage, type FailureReason } from "./failures";
