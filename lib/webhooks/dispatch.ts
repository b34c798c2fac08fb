import type Stripe from "stripe";
import { chargeDisputeClosed } from "./handlers/charge-dispute-closed";
import { chargeDisputeCreated } from "./handlers/charge-dispute-created";
import { chargeRefundUpdated } from "./handlers/charge-refund-updated";
import { chargeRefunded } from "./handlers/charge-refunded";
import { checkoutSessionAsyncPaymentFailed } from "./handlers/checkout-session-async-payment-failed";
import { checkoutSessionAsyncPaymentSucceeded } from "./handlers/checkout-session-async-payment-succeeded";
import { checkoutSessionCompleted } from "./handlers/checkout-session-completed";
import { checkoutSessionExpired } from "./handlers/checkout-session-expired";
import { paymentIntentPaymentFailed } from "./handlers/payment-intent-payment-failed";
import { paymentIntentSucceeded } from "./handlers/payment-intent-succeeded";
import { isEventOfType, type EventOf, type HandlerContext, type WebhookHandler } from "./types";

/** For each Stripe event type, at most one handler, typed with that event's own SDK type. */
type HandlerTable = { [T in Stripe.Event.Type]?: WebhookHandler<EventOf<T>> };

const handlers: HandlerTable = {
  "checkout.session.completed": checkoutSessionCompleted,
  "checkout.session.async_payment_succeeded": checkoutSessionAsyncPaymentSucceeded,
  "checkout.session.async_payment_failed": checkoutSessionAsyncPaymentFailed,
  "checkout.session.expired": checkoutSessionExpired,
  "payment_intent.succeeded": paymentIntentSucceeded,
  "payment_intent.payment_failed": paymentIntentPaymentFailed,
  "charge.refunded": chargeRefunded,
  "charge.refund.updated": chargeRefundUpdated,
  "charge.dispute.created": chargeDisputeCreated,
  "charge.dispute.closed": chargeDisputeClosed,
  // Subscriptions (their own issue) register here the same way, one file per event:
  // "customer.subscription.created" / ".updated" / ".deleted" and "invoice.paid" / "invoice.payment_failed",
  // e.g. `"invoice.paid": invoicePaid` from ./handlers/invoice-paid.ts.
};

function handlerFor<T extends Stripe.Event.Type>(type: T): WebhookHandler<EventOf<T>> | undefined {
  return handlers[type];
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

/**
 * Runs the event's handler. Returns "ignored" without touching anything when no handler is
 * registered; otherwise the handler's effects are committed through `context.commit`.
 */
export async function dispatchEvent(event: Stripe.Event, context: HandlerContext): Promise<"handled" | "ignored"> {
  return run(event, event.type, context);
}

async function run<T extends Stripe.Event.Type>(event: Stripe.Event, type: T, context: HandlerContext): Promise<"handled" | "ignored"> {
  const handler = handlerFor(type);
  if (!handler || !isEventOfType(event, type)) return "ignored";
  await handler.handle(event, context);
  return "handled";
}
