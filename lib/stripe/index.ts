import "server-only";

export { stripe, STRIPE_API_VERSION } from "./client";
export { createCustomer, type CreateCustomerOptions } from "./customers";
export {
  checkoutPage,
  createTopUpCheckoutSession,
  expireCheckoutSession,
  openedCheckout,
  retrieveCheckoutSession,
  retrieveEmbeddedClientSecret,
  type CheckoutPageUi,
  type CreateTopUpSessionOptions,
  type OpenedCheckout,
} from "./checkout";
export { createRefund, listRefundsForCharge, type CreateRefundOptions } from "./refunds";
export { retrieveCharge, retrieveChargeOfPayment } from "./charges";
export {
  chargeSavedCard,
  createCardSetupSession,
  retrieveSetupSession,
  type CardSetupResult,
  type ChargeSavedCardOptions,
  type CreateCardSetupSessionOptions,
  type SavedCard,
  type SavedCardCharge,
} from "./saved-cards";
export { stripeId } from "./ids";
export {
  assertEventModeMatchesKey,
  LivemodeMismatchError,
  parseStoredEvent,
  verifyWebhookEvent,
  webhookSecrets,
  WebhookSignatureError,
  WEBHOOK_TOLERANCE_SECONDS,
} from "./webhooks";
export { stripeKeyIsLive } from "./mode";
export { fromStripeTime } from "./ids";
export { type PlanPriceOutcome, ensurePlanPrices, ensurePortalConfiguration } from "./plan-prices";
export { createBillingPortalSession, createSubscriptionCheckoutSession, findPriceByLookupKey, listLiveSubscriptions, retrieveCheckoutSessionIfAny, retrieveInvoiceWithPrices, retrieveSubscription } from "./billing";
export { type PlanSwitchOptions, previewNextInvoice, previewPlanSwitch, switchSubscriptionPrice } from "./plan-switch";
export { listCompletedCheckoutSessions, listDisputes, listEvents, listPaymentIntents, listRefunds, retrieveCheckoutSessionForReconciliation, retrieveDisputeForReconciliation, retrievePaymentIntentForReconciliation, retrieveRefundForReconciliation } from "./reconcile";
