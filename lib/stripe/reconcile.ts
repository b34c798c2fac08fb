import "server-only";
import type Stripe from "stripe";
import { stripe } from "./client";
import { listAll, nullWhenMissing } from "./ids";

// What reconciliation and the backfill read from Stripe: lists by creation time, with the SDK's
// auto-pagination, and single objects for ledger entries the lists did not cover. The expansions
// bring the charge (and with it Billfold's metadata, copied from the PaymentIntent) in the same call.

export interface StripeTimeRange {
  from: Date;
  to: Date;
}

/** Stripe's `created` filter: from inclusive, to exclusive (whole seconds; `to` rounded up so its own second is in). */
function createdIn(range: StripeTimeRange): Stripe.RangeQueryParam {
  return { gte: Math.floor(range.from.getTime() / 1000), lt: Math.ceil(range.to.getTime() / 1000) };
}

// Three levels: the session's PaymentIntent and that PaymentIntent's charge, to cross-check the amount.
const SESSION_EXPAND = ["payment_intent.latest_charge"];
const CHARGED_EXPAND = ["charge"];
const inList = (paths: string[]) => paths.map((path) => `data.${path}`);

/** Completed Checkout Sessions created in the range, each with its PaymentIntent and latest charge. */
export function listCompletedCheckoutSessions(range: StripeTimeRange): Promise<Stripe.Checkout.Session[]> {
  return listAll(stripe().checkout.sessions.list({ created: createdIn(range), status: "complete", limit: 100, expand: inList(SESSION_EXPAND) }));
}

/** Refunds created in the range, each with its charge. */
export function listRefunds(range: StripeTimeRange): Promise<Stripe.Refund[]> {
  return listAll(stripe().refunds.list({ created: createdIn(range), limit: 100, expand: inList(CHARGED_EXPAND) }));
}

/** Disputes created in the range, each with its charge. */
export function listDisputes(range: StripeTimeRange): Promise<Stripe.Dispute[]> {
  return listAll(stripe().disputes.list({ created: createdIn(range), limit: 100, expand: inList(CHARGED_EXPAND) }));
}

/** PaymentIntents created in the range (recharges have no Checkout Session to list them by). */
export function listPaymentIntents(range: StripeTimeRange): Promise<Stripe.PaymentIntent[]> {
  return listAll(stripe().paymentIntents.list({ created: createdIn(range), limit: 100 }));
}

export function retrievePaymentIntentForReconciliation(id: string): Promise<Stripe.PaymentIntent | null> {
  return nullWhenMissing(stripe().paymentIntents.retrieve(id));
}

/** Stripe takes at most this many types in one events list call. */
const MAX_TYPES_PER_LIST = 20;

/** Events of the given types created in the range, oldest first (the order they happened in). */
export async function listEvents(range: StripeTimeRange, types: readonly string[]): Promise<Stripe.Event[]> {
  const events: Stripe.Event[] = [];
  for (let start = 0; start < types.length; start += MAX_TYPES_PER_LIST) {
    const chunk = types.slice(start, start + MAX_TYPES_PER_LIST);
    events.push(...(await listAll(stripe().events.list({ created: createdIn(range), types: chunk, limit: 100 }))));
  }
  // Lists are newest first; within one second, Stripe's order is the only tie-break there is.
  return events.reverse().sort((a, b) => a.created - b.created);
}

export function retrieveCheckoutSessionForReconciliation(id: string): Promise<Stripe.Checkout.Session | null> {
  return nullWhenMissing(stripe().checkout.sessions.retrieve(id, { expand: SESSION_EXPAND }));
}

export function retrieveRefundForReconciliation(id: string): Promise<Stripe.Refund | null> {
  return nullWhenMissing(stripe().refunds.retrieve(id, { expand: CHARGED_EXPAND }));
}

export function retrieveDisputeForReconciliation(id: string): Promise<Stripe.Dispute | null> {
  return nullWhenMissing(stripe().disputes.retrieve(id, { expand: CHARGED_EXPAND }));
}
