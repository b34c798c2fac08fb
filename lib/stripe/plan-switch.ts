import "server-only";
import Stripe from "stripe";
import { stripe } from "./client";

// The Stripe calls behind "what's next on my bill": the next invoice of a subscription, the invoice a
// plan switch would make now, and the switch itself with the same proration date as its preview, so
// that Stripe charges exactly what the preview showed.

/** Stripe's answer when a subscription has no next invoice (it ends at the period end, or is over). */
function isNoUpcomingInvoice(error: unknown): boolean {
  return error instanceof Stripe.errors.StripeInvalidRequestError && error.code === "invoice_upcoming_none";
}

/**
 * The subscription's next invoice as Stripe would create it; null when none is coming. A page waits for
 * it, so it gives up sooner than the client's default: a plain sentence beats a slow page.
 */
export async function previewNextInvoice(customerId: string, subscriptionId: string): Promise<Stripe.Invoice | null> {
  try {
    return await stripe().invoices.createPreview({ customer: customerId, subscription: subscriptionId }, { timeout: 5_000, maxNetworkRetries: 1 });
  } catch (error) {
    if (isNoUpcomingInvoice(error)) return null;
    throw error;
  }
}

export interface PlanSwitchOptions {
  customerId: string;
  subscriptionId: string;
  /** The subscription item whose price changes. */
  itemId: string;
  priceId: string;
  /** Unix seconds the prorations are computed as of: the preview's, passed again to the switch; unset, Stripe's now. */
  prorationDate?: number;
}

/** The invoice switching the item to `priceId` would create now (`always_invoice`): the prorations due today. */
export function previewPlanSwitch(options: PlanSwitchOptions): Promise<Stripe.Invoice> {
  return stripe().invoices.createPreview({
    customer: options.customerId,
    subscription: options.subscriptionId,
    subscription_details: {
      items: [{ id: options.itemId, price: options.priceId }],
      proration_behavior: "always_invoice",
      ...(options.prorationDate !== undefined ? { proration_date: options.prorationDate } : {}),
    },
  });
}

/**
 * Switches the item to `priceId`, invoicing the prorations now as previewed. `switchId` names one
 * confirmation: submitting it twice changes and charges once.
 */
export function switchSubscriptionPrice(options: PlanSwitchOptions & { switchId: string }): Promise<Stripe.Subscription> {
  return stripe().subscriptions.update(
    options.subscriptionId,
    {
      items: [{ id: options.itemId, price: options.priceId }],
      proration_behavior: "always_invoice",
      ...(options.prorationDate !== undefined ? { proration_date: options.prorationDate } : {}),
    },
    { idempotencyKey: `plan-switch:${options.switchId}` },
  );
}
