import { db } from "../core/db";
import { log } from "../core/log";
import { fromStripeTime, previewNextInvoice } from "../stripe";
import type { SubscriptionView } from "./queries";

// "What's next on my bill" on /billing: the subscription's next invoice as Stripe would create it
// (invoices.createPreview), one call per page view. The page must show even when Stripe does not
// answer, so every failure here becomes `unavailable`, never an error.

export type NextInvoice =
  /** `amountDueMinor` after the account credit Stripe will apply (`creditAppliedMinor`); `totalMinor` before it. */
  | { kind: "due"; amountDueMinor: number; totalMinor: number; creditAppliedMinor: number; currency: string; on: Date }
  /** Nothing is coming: no subscription, or it ends at the period end. */
  | { kind: "none" }
  | { kind: "unavailable" };

/** The next invoice of the subscription /billing talks about (the overview's), from Stripe. */
export async function getNextInvoice(userId: string, subscription: Pick<SubscriptionView, "id" | "status"> | null): Promise<NextInvoice> {
  if (!subscription || subscription.status === "incomplete" || subscription.status === "incomplete_expired" || subscription.status === "canceled") {
    return { kind: "none" };
  }
  try {
    // The mirror's row, looked up with the user as well: only the user's own subscription is previewed.
    const row = await db().subscription.findFirst({ where: { id: subscription.id, userId }, select: { stripeCustomerId: true } });
    if (!row) return { kind: "none" };
    const invoice = await previewNextInvoice(row.stripeCustomerId, subscription.id);
    if (!invoice) return { kind: "none" };
    const on = fromStripeTime(invoice.next_payment_attempt ?? invoice.created);
    if (!on) return { kind: "unavailable" };
    return {
      kind: "due",
      amountDueMinor: invoice.amount_due,
      totalMinor: invoice.total,
      creditAppliedMinor: Math.max(0, invoice.total - invoice.amount_due),
      currency: invoice.currency.toUpperCase(),
      on,
    };
  } catch (error) {
    log.warn("next_invoice_preview_failed", { userId, subscriptionId: subscription.id, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    return { kind: "unavailable" };
  }
}
