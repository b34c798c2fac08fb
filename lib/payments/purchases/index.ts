import "server-only";

export {
  billfoldPurchaseIdOf,
  findPurchase,
  isTopUpSession,
  lockChargedPurchase,
  lockPurchase,
  paymentIntentReference,
  referencesOf,
  rememberCharge,
  sessionReference,
  type PaymentReference,
} from "./references";
export { assertPurchaseCurrency, settlePaidPaymentIntent, settlePaidPurchase, settlePaidSession, topUpIdempotencyKey } from "./settle";
export { canMoveTo, completeSession, markPurchaseCanceled, markSessionExpired, markSessionFailed, recordPaymentFailure, updateUnpaidPurchase } from "./state";
export { findUserPurchase, listRecentPurchases } from "./queries";
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
