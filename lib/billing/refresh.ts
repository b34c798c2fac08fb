import type Stripe from "stripe";
import { db } from "../core/db";
import { retrieveInvoiceWithPrices, retrieveSubscription } from "../stripe";
import { stripeId } from "../stripe";
import type { HandlerContext } from "../events";
import { subscriptionIdOf, syncInvoice } from "./invoices";
import { linkCheckoutCustomer, syncSubscription, takeSyncTicket } from "./subscriptions";

// What the subscription and invoice webhook handlers do: re-fetch the object the event names from
// Stripe (after taking a sync ticket), then write it in the event's one transaction. Emails the
// commit queued go out after it (the inbox sends them, lib/events/inbox.ts); the cron sweep retries any that fail.

/**
 * Mirrors the subscription an event names as Stripe holds it now. Stripe keeps every subscription,
 * ended ones included, so one it does not have (resource_missing) was never real: an event's own
 * copy of it is never stored (it would show a plan, or send a "plan ended" email, for nothing),
 * and the event is ignored with that reason rather than retried.
 */
export async function refreshSubscription(eventCopy: Stripe.Subscription, { commit, ignore }: HandlerContext): Promise<void> {
  const ticket = await takeSyncTicket(db());
  const subscription = await retrieveSubscription(eventCopy.id);
  if (!subscription) return ignore(`Stripe has no subscription ${eventCopy.id}; the event's own copy is not stored.`);
  await commit(async (tx) => {
    await syncSubscription(tx, subscription, { ticket });
  });
}

export async function refreshInvoice(eventCopy: Stripe.Invoice, eventType: Stripe.Event.Type, { commit }: HandlerContext): Promise<void> {
  const ticket = await takeSyncTicket(db());
  const invoice = (eventCopy.id ? await retrieveInvoiceWithPrices(eventCopy.id) : null) ?? eventCopy;
  const subscriptionId = subscriptionIdOf(invoice);
  // An invoice may beat its subscription's events here: then the subscription is fetched too.
  const mirrored = subscriptionId ? await db().subscription.findUnique({ where: { id: subscriptionId }, select: { id: true } }) : null;
  const subscriptionTicket = subscriptionId && !mirrored ? await takeSyncTicket(db()) : null;
  const subscription = subscriptionId && subscriptionTicket !== null ? await retrieveSubscription(subscriptionId) : null;
  await commit(async (tx) => {
    if (subscription && subscriptionTicket !== null) await syncSubscription(tx, subscription, { ticket: subscriptionTicket });
    await syncInvoice(tx, invoice, { ticket, eventType });
  });
}

/**
 * A completed subscription Checkout: link the customer to the user who started it (the browser may
 * never come back), mirror the subscription it created, and close the user's upgrade attempt.
 */
export async function completeSubscriptionCheckout(session: Stripe.Checkout.Session, { commit }: HandlerContext): Promise<void> {
  const subscriptionId = stripeId(session.subscription);
  const ticket = await takeSyncTicket(db());
  const subscription = subscriptionId ? await retrieveSubscription(subscriptionId) : null;
  await commit(async (tx) => {
    const userId = await linkCheckoutCustomer(tx, session);
    if (subscription) await syncSubscription(tx, subscription, { ticket });
    if (userId) await tx.subscriptionCheckout.deleteMany({ where: { userId, checkoutSessionId: session.id } });
  });
}
