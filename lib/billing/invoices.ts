import type Stripe from "stripe";
import type { Plan, Subscription } from "../generated/prisma/client";
import type { Tx } from "../core/db";
import { credit, planCreditDescription, planGrantKey } from "../ledger";
import { fromStripeTime, stripeId } from "../stripe";
import { NotYetKnownError } from "../core/errors";
import { enqueueEmail } from "../email";
import { lockStripeObject } from "./subscriptions";
import { mirroredItems, type SubscriptionItemMirror } from "./subscription-items";

// Subscription invoices: a light mirror for the billing page, the monthly plan credit, and the
// receipt (first and renewal) and payment-failed emails. Like subscriptions, invoices are re-fetched from Stripe on every
// event and written under a sync ticket, so their order does not matter.
//
// The plan credit is granted for invoices that start or renew a period (billing_reason
// subscription_create or subscription_cycle) once they are paid, keyed by the invoice id, so
// invoice.paid and invoice.payment_succeeded for one invoice grant once. A proration invoice from a
// plan change (subscription_update) grants nothing: the new plan's credit arrives with the next
// renewal. Granting the difference at once would let anyone switch up and down mid-period to mint
// credit while paying only the prorated price. A $0 invoice (a trial, a 100% coupon) grants nothing
// either: the credit is bought with the plan fee.

const GRANTING_REASONS: ReadonlySet<Stripe.Invoice.BillingReason> = new Set(["subscription_create", "subscription_cycle"]);

export function subscriptionIdOf(invoice: Pick<Stripe.Invoice, "parent">): string | null {
  return stripeId(invoice.parent?.subscription_details?.subscription);
}

function isProration(line: Stripe.InvoiceLineItem): boolean {
  return Boolean(line.parent?.subscription_item_details?.proration || line.parent?.invoice_item_details?.proration);
}

/** The lookup key of a line's price: from the expanded price, else from the mirrored subscription's items. */
function lookupKeyOf(line: Stripe.InvoiceLineItem, mirrored: SubscriptionItemMirror[]): string | null {
  const price = line.pricing?.price_details?.price;
  if (price && typeof price !== "string") return price.lookup_key;
  const priceId = stripeId(price);
  return mirrored.find((item) => item.priceId === priceId)?.lookupKey ?? null;
}

export interface PlanGrantLine {
  plan: Plan;
  quantity: number;
}

/** What an invoice pays for, plan by plan: every non-proration line whose price is a plan's. */
export function planLinesOf(invoice: Stripe.Invoice, plans: Plan[], mirrored: SubscriptionItemMirror[]): PlanGrantLine[] {
  const lines: PlanGrantLine[] = [];
  for (const line of invoice.lines?.data ?? []) {
    if (isProration(line)) continue;
    const lookupKey = lookupKeyOf(line, mirrored);
    const plan = lookupKey ? plans.find((candidate) => candidate.stripePriceLookupKey === lookupKey) : undefined;
    if (plan) lines.push({ plan, quantity: line.quantity ?? 1 });
  }
  return lines;
}

export function grantsCredit(invoice: Pick<Stripe.Invoice, "status" | "billing_reason" | "amount_paid">): boolean {
  return invoice.status === "paid" && invoice.amount_paid > 0 && invoice.billing_reason !== null && GRANTING_REASONS.has(invoice.billing_reason);
}

/**
 * The receipt a paid period invoice owes, one per invoice (the outbox key holds its id): a renewal's,
 * or the first invoice's when a subscription starts. A first invoice of nothing (a trial) is no payment.
 */
function receiptFor(invoice: Pick<Stripe.Invoice, "status" | "billing_reason" | "amount_paid">): { kind: "renewal_receipt" | "subscription_receipt"; keyPrefix: string } | null {
  if (invoice.status !== "paid") return null;
  if (invoice.billing_reason === "subscription_cycle") return { kind: "renewal_receipt", keyPrefix: "renewal-receipt" };
  if (invoice.billing_reason === "subscription_create" && invoice.amount_paid > 0) return { kind: "subscription_receipt", keyPrefix: "subscription-receipt" };
  return null;
}

export interface InvoiceSyncOptions {
  ticket: bigint;
  /** The event that made us look; only a payment failure owes the payment-failed email. */
  eventType: Stripe.Event.Type;
}

export type InvoiceSyncResult = { outcome: "synced"; grantedMinor: number } | { outcome: "stale" } | { outcome: "not_ours" };

/**
 * Writes a subscription invoice into the mirror, grants its plan credit once it is paid, and queues
 * the emails it owes. Its subscription must already be mirrored (the handler syncs it first when not).
 */
export async function syncInvoice(tx: Tx, invoice: Stripe.Invoice, { ticket, eventType }: InvoiceSyncOptions): Promise<InvoiceSyncResult> {
  const subscriptionId = subscriptionIdOf(invoice);
  if (!subscriptionId) return { outcome: "not_ours" };
  const subscription: Subscription | null = await tx.subscription.findUnique({ where: { id: subscriptionId } });
  if (!subscription) {
    if (!invoice.parent?.subscription_details?.metadata?.billfoldUserId) return { outcome: "not_ours" };
    throw new NotYetKnownError(`invoice ${invoice.id} is for subscription ${subscriptionId}, which is not mirrored yet`, [subscriptionId, stripeId(invoice.customer)]);
  }
  await lockStripeObject(tx, invoice.id);
  const existing = await tx.invoice.findUnique({ where: { id: invoice.id }, select: { syncTicket: true } });
  if (existing && existing.syncTicket > ticket) return { outcome: "stale" };

  const line = invoice.lines?.data?.[0];
  const data = {
    userId: subscription.userId,
    subscriptionId,
    number: invoice.number,
    status: invoice.status ?? "draft",
    billingReason: invoice.billing_reason,
    currency: invoice.currency.toUpperCase(),
    totalMinor: invoice.total,
    amountDueMinor: invoice.amount_due,
    amountPaidMinor: invoice.amount_paid,
    hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
    invoicePdfUrl: invoice.invoice_pdf ?? null,
    periodStart: fromStripeTime(line?.period?.start ?? invoice.period_start),
    periodEnd: fromStripeTime(line?.period?.end ?? invoice.period_end),
    stripeCreatedAt: fromStripeTime(invoice.created) ?? new Date(),
    syncTicket: ticket,
  };
  await tx.invoice.upsert({ where: { id: invoice.id }, create: { id: invoice.id, ...data }, update: data });

  const plans = await tx.plan.findMany();
  const planLines = planLinesOf(invoice, plans, mirroredItems(subscription.items));
  const planName = planLines[0]?.plan.name ?? plans.find((plan) => plan.key === subscription.planKey)?.name ?? "paid";
  let grantedMinor = 0;
  if (grantsCredit(invoice)) {
    for (const [currency, amountMinor] of creditByCurrency(planLines)) {
      if (amountMinor <= 0) continue;
      const result = await credit(tx, {
        userId: subscription.userId,
        currency,
        amountMinor,
        type: "PLAN_GRANT",
        idempotencyKey: planGrantKey(invoice.id),
        stripeObjectId: invoice.id,
        description: planCreditDescription(planName, invoice.number),
        // A period's plan credit is for that period: it expires at its end, unless the plan rolls some over.
        grant: { expiresAt: data.periodEnd, rolloverCapMinor: planLines[0]?.plan.creditRolloverCapMinor ?? null },
      });
      if (result.applied) grantedMinor += amountMinor;
    }
  }
  const receipt = receiptFor(invoice);
  if (receipt) {
    await enqueueEmail(tx, {
      key: `${receipt.keyPrefix}:${invoice.id}`,
      userId: subscription.userId,
      kind: receipt.kind,
      payload: {
        planName,
        amountPaidMinor: invoice.amount_paid,
        currency: invoice.currency.toUpperCase(),
        invoiceNumber: invoice.number,
        creditGrantedMinor: planLines.reduce((sum, { plan, quantity }) => sum + plan.monthlyCreditMinor * quantity, 0),
        hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
      },
    });
  }
  if (eventType === "invoice.payment_failed" && invoice.status === "open" && invoice.attempt_count > 0) {
    await enqueueEmail(tx, {
      key: `payment-failed:${invoice.id}:${invoice.attempt_count}`,
      userId: subscription.userId,
      kind: "payment_failed",
      payload: {
        planName,
        amountDueMinor: invoice.amount_remaining,
        currency: invoice.currency.toUpperCase(),
        nextAttemptAt: fromStripeTime(invoice.next_payment_attempt)?.toISOString() ?? null,
        hostedInvoiceUrl: invoice.hosted_invoice_url ?? null,
      },
    });
  }
  return { outcome: "synced", grantedMinor };
}

/**
 * The plan credit per wallet currency. A plan is priced in the wallet currency (lib/billing/catalog),
 * so one invoice normally grants in one currency, under one key; a second currency would need a
 * second key, and is refused loudly rather than granted twice under the same key.
 */
function creditByCurrency(lines: PlanGrantLine[]): Map<string, number> {
  const totals = new Map<string, number>();
  for (const { plan, quantity } of lines) totals.set(plan.currency, (totals.get(plan.currency) ?? 0) + plan.monthlyCreditMinor * quantity);
  if (totals.size > 1) throw new Error(`an invoice's plans are priced in several currencies (${[...totals.keys()].join(", ")})`);
  return totals;
}
