import "server-only";
export { type PlanAction, planActionsFor } from "./plan-actions";
export { PORTAL_LOOK_COOKIE, billingReturnFor, portalLookCookie } from "./returns";
export { type BillingOverview, type InvoiceView, type SubscriptionView, getBillingOverview, getEffectivePlan, getEffectivePlans, hasFeature, planCapTerms, listActivePlans, requireFeature } from "./queries";
export { cancelPlanCheckout, openBillingPortal, startPlanCheckout, type PlanCheckout } from "./upgrade";
export { RECHARGE_PACK_KEY, creditPacksFor, findCreditPack, isAutoRechargePack, planHighlights, plansFor } from "./catalog";
export { ensureStripeCustomer } from "./customer";
export { completeSubscriptionCheckout, refreshInvoice, refreshSubscription } from "./refresh";
export { isMetadataOnlyUpdate } from "./subscriptions";
