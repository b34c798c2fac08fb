import type Stripe from "stripe";
import { chargeDisputeClosed } from "./handlers/charge-dispute-closed";
import { chargeDisputeCreated } from "./handlers/charge-dispute-created";
import { chargeDisputeFundsReinstated } from "./handlers/charge-dispute-funds-reinstated";
import { chargeRefundUpdated } from "./handlers/charge-refund-updated";
import { chargeRefunded } from "./handlers/charge-refunded";
import { chargeSucceeded } from "./handlers/charge-succeeded";
import { checkoutSessionAsyncPaymentFailed } from "./handlers/checkout-session-async-payment-failed";
import { checkoutSessionAsyncPaymentSucceeded } from "./handlers/checkout-session-async-payment-succeeded";
import { checkoutSessionCompleted } from "./handlers/checkout-session-completed";
import { checkoutSessionExpired } from "./handlers/checkout-session-expired";
import { customerSubscriptionCreated } from "./handlers/customer-subscription-created";
import { customerSubscriptionDeleted } from "./handlers/customer-subscription-deleted";
import { customerSubscriptionPaused } from "./handlers/customer-subscription-paused";
import { customerSubscriptionResumed } from "./handlers/customer-subscription-resumed";
import { customerSubscriptionTrialWillEnd } from "./handlers/customer-subscription-trial-will-end";
import { customerSubscriptionUpdated } from "./handlers/customer-subscription-updated";
import { invoiceFinalized } from "./handlers/invoice-finalized";
import { invoiceMarkedUncollectible } from "./handlers/invoice-marked-uncollectible";
import { invoicePaid } from "./handlers/invoice-paid";
import { invoicePaymentFailed } from "./handlers/invoice-payment-failed";
import { invoicePaymentSucceeded } from "./handlers/invoice-payment-succeeded";
import { invoiceVoided } from "./handlers/invoice-voided";
import { paymentIntentPaymentFailed } from "./handlers/payment-intent-payment-failed";
import { paymentIntentSucceeded } from "./handlers/payment-intent-succeeded";
import { NotYetKnownError } from "../core/errors";
import { UnmatchedEventError } from "../events";
import { injectedFailureFor } from "./failure-injection";
import { isEventOfType, type EventOf, type FastPathApplication, type HandlerContext, type StoredEventValues, type WebhookHandler } from "./types";

/** For each Stripe event type, at most one handler, typed with that event's own SDK type. */
type HandlerTable = { [T in Stripe.Event.Type]?: WebhookHandler<EventOf<T>> };

const handlers: HandlerTable = {
  "checkout.session.completed": checkoutSessionCompleted,
  "checkout.session.async_payment_succeeded": checkoutSessionAsyncPaymentSucceeded,
  "checkout.session.async_payment_failed": checkoutSessionAsyncPaymentFailed,
  "checkout.session.expired": checkoutSessionExpired,
  "payment_intent.succeeded": paymentIntentSucceeded,
  "payment_intent.payment_failed": paymentIntentPaymentFailed,
  "charge.succeeded": chargeSucceeded,
  "charge.refunded": chargeRefunded,
  "charge.refund.updated": chargeRefundUpdated,
  "charge.dispute.created": chargeDisputeCreated,
  "charge.dispute.closed": chargeDisputeClosed,
  "charge.dispute.funds_reinstated": chargeDisputeFundsReinstated,
  "customer.subscription.created": customerSubscriptionCreated,
  "customer.subscription.updated": customerSubscriptionUpdated,
  "customer.subscription.deleted": customerSubscriptionDeleted,
  "customer.subscription.paused": customerSubscriptionPaused,
  "customer.subscription.resumed": customerSubscriptionResumed,
  "customer.subscription.trial_will_end": customerSubscriptionTrialWillEnd,
  "invoice.finalized": invoiceFinalized,
  "invoice.paid": invoicePaid,
  "invoice.payment_succeeded": invoicePaymentSucceeded,
  "invoice.payment_failed": invoicePaymentFailed,
  "invoice.voided": invoiceVoided,
  "invoice.marked_uncollectible": invoiceMarkedUncollectible,
};

/**
 * Event types Billfold receives (Stripe sends them alongside the ones above, or the CLI's fixtures
 * emit them) and ignores on purpose, each with the reason. Anything else is ignored too, but a type
 * listed here is a decision, checked by a test against the CLI's fixtures.
 */
export const IGNORED_ON_PURPOSE: { [T in Stripe.Event.Type]?: string } = {
  "billing_portal.session.created": "Billfold creates portal sessions itself; the event carries nothing to mirror.",
  "invoice.created": "A draft; the invoice is mirrored once finalized, and paid or failed.",
  "invoice.updated": "Every state Billfold shows arrives with finalized, paid, payment_failed, voided or marked_uncollectible.",
  "customer.created": "Billfold creates its customers and stores their ids when it does.",
  "customer.updated": "Nothing on the customer is mirrored.",
  "payment_method.attached": "Cards live in Stripe; the auto-recharge card's brand and last 4 come from its completed setup session.",
  "setup_intent.succeeded": "The card it saved is stored from checkout.session.completed (mode setup), which reads the SetupIntent.",
  "charge.failed": "Failed top-up payments arrive as payment_intent.payment_failed.",
  "payment_intent.created": "Nothing is owed until the PaymentIntent succeeds or fails.",
  "invoice_payment.paid": "The invoice's own events (invoice.paid) carry the same fact.",
};

export function isHandledEventType(type: string): boolean {
  return type in handlers;
}

/** Every event type with a handler: what a backfill asks Stripe's events API for. */
export function handledEventTypes(): string[] {
  return Object.keys(handlers);
}

/**
 * The one place a handler is looked up, for the fast path, the slow-event check and every run: an
 * injected failure (./failure-injection.ts, which only the e2e server's test hooks switch on)
 * replaces the handler here, so it fails on every path alike.
 */
function handlerFor<T extends Stripe.Event.Type>(type: T): WebhookHandler<EventOf<T>> | undefined {
  const failure = injectedFailureFor(type);
  if (failure) return failingHandler(failure);
  return handlers[type];
}

function failingHandler<E extends Stripe.Event>(failure: Error): WebhookHandler<E> {
  return {
    handle() {
      return Promise.reject(failure);
    },
  };
}

/** True when the event's handler will call Stripe, so the route should acknowledge before processing it. */
export function isSlowEvent(event: Stripe.Event): Promise<boolean> {
  return slowness(event, event.type);
}

async function slowness<T extends Stripe.Event.Type>(event: Stripe.Event, type: T): Promise<boolean> {
  const handler = handlerFor(type);
  if (!handler?.isSlow || !isEventOfType(event, type)) return false;
  return handler.isSlow(event);
}

/** Stores and applies the event in one statement when its handler has a fast path for it (see lib/events/fast-path.ts); null otherwise. */
export function storeAndApplyFast(event: Stripe.Event, stored: StoredEventValues): Promise<FastPathApplication | null> {
  return fastPath(event, event.type, stored);
}

function fastPath<T extends Stripe.Event.Type>(event: Stripe.Event, type: T, stored: StoredEventValues) {
  const handler = handlerFor(type);
  if (!handler?.storeAndApply || !isEventOfType(event, type)) return Promise.resolve(null);
  return handler.storeAndApply(event, stored);
}

/**
 * Runs the event's handler. Returns "ignored" without touching anything when no handler is
 * registered; otherwise the handler's effects are committed through `context.commit`. A domain that
 * does not know yet what the event names (NotYetKnownError) makes it an unmatched event, which
 * the inbox keeps waiting for those references.
 */
export async function dispatchEvent(event: Stripe.Event, context: HandlerContext): Promise<"handled" | "ignored"> {
  return run(event, event.type, context);
}

async function run<T extends Stripe.Event.Type>(event: Stripe.Event, type: T, context: HandlerContext): Promise<"handled" | "ignored"> {
  const handler = handlerFor(type);
  if (!handler || !isEventOfType(event, type)) return "ignored";
  try {
    await handler.handle(event, context);
  } catch (error) {
    if (error instanceof NotYetKnownError) throw new UnmatchedEventError(error);
    throw error;
  }
  return "handled";
}
