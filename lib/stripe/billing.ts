import "server-only";
import type Stripe from "stripe";
import { listAll, nullWhenMissing } from "./ids";
import { stripe } from "./client";
import { checkoutIdempotencyKey, checkoutPageParams, type CheckoutPage } from "./checkout";

// Every Stripe call behind plans and subscriptions: the Checkout Session that starts one, the
// portal that manages it, and the reads that the webhook handlers sync from.

/** The subscription as Stripe holds it now; null when Stripe no longer has it. */
export function retrieveSubscription(subscriptionId: string): Promise<Stripe.Subscription | null> {
  return nullWhenMissing(stripe().subscriptions.retrieve(subscriptionId));
}

/**
 * The invoice as Stripe holds it now, with each line's price expanded: in events a line names its
 * price only by id, and the plan is found by the price's lookup key.
 */
export function retrieveInvoiceWithPrices(invoiceId: string): Promise<Stripe.Invoice | null> {
  return nullWhenMissing(stripe().invoices.retrieve(invoiceId, { expand: ["lines.data.pricing.price_details.price"] }));
}

const LIVE_STATUSES: ReadonlySet<Stripe.Subscription.Status> = new Set(["active", "trialing", "past_due", "unpaid", "paused", "incomplete"]);

/** The customer's subscriptions that are not over, straight from Stripe (the mirror may not have caught up). */
export async function listLiveSubscriptions(customerId: string): Promise<Stripe.Subscription[]> {
  const subscriptions = await listAll(stripe().subscriptions.list({ customer: customerId, status: "all", limit: 100 }));
  return subscriptions.filter((subscription) => LIVE_STATUSES.has(subscription.status));
}

/** The active price with this lookup key, or null when the account has none (run `npm run stripe:setup`). */
export async function findPriceByLookupKey(lookupKey: string): Promise<Stripe.Price | null> {
  const prices = await stripe().prices.list({ lookup_keys: [lookupKey], active: true, limit: 1 });
  return prices.data[0] ?? null;
}

export interface CreateSubscriptionSessionOptions {
  /** One upgrade attempt: repeated calls with the same attempt get the same session back from Stripe. */
  attemptId: string;
  userId: string;
  customerId: string;
  planKey: string;
  priceId: string;
  page: CheckoutPage;
}

export async function createSubscriptionCheckoutSession(options: CreateSubscriptionSessionOptions): Promise<Stripe.Checkout.Session> {
  const metadata = { billfoldUserId: options.userId, purpose: "subscription", planKey: options.planKey };
  return stripe().checkout.sessions.create(
    {
      mode: "subscription",
      customer: options.customerId,
      client_reference_id: options.userId,
      line_items: [{ price: options.priceId, quantity: 1 }],
      metadata,
      subscription_data: { metadata },
      ...checkoutPageParams(options.page),
    },
    { idempotencyKey: checkoutIdempotencyKey(`subscription-checkout:${options.attemptId}`, options.page) },
  );
}

export async function createBillingPortalSession(customerId: string, returnUrl: string): Promise<Stripe.BillingPortal.Session> {
  return stripe().billingPortal.sessions.create({ customer: customerId, return_url: returnUrl });
}

/** A Checkout Session, to tell whose it was once its upgrade attempt is closed; null when Stripe has none by that id. */
export function retrieveCheckoutSessionIfAny(sessionId: string): Promise<Stripe.Checkout.Session | null> {
  return nullWhenMissing(stripe().checkout.sessions.retrieve(sessionId));
}
