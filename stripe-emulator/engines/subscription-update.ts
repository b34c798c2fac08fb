// Changing a live subscription (the API's `POST /v1/subscriptions/:id` and the portal's buttons): item price
// and quantity changes with their prorations (`proration_behavior`), a change of billing interval, ending or
// moving a trial, and any other field the caller sets. Emits `customer.subscription.updated` with
// `previous_attributes`, the proration `invoiceitem.created` events and, when invoicing now, the invoice's events.
import type Stripe from "stripe";
import type { Emulator, RequestContext } from "../emulator";
import { invalidParam, invalidState, noSuchObject } from "../http/errors";
import { snapshot } from "./invoice";
import { createProrationItems, type ItemChange, type ProrationBehavior } from "./proration";
import { changedAttributes } from "../resources/customers";
import {
  addInterval,
  buildSubscriptionItem,
  currentPeriodEnd,
  currentPeriodStart,
  customerIdOf,
  draftSubscriptionInvoice,
  endTrial,
  finalizeAndCollect,
  planFromPrice,
  subscriptionItemLines,
  timeForCustomer,
} from "./subscription";

/** One `items[n]` entry: an existing item by id (new price / quantity / deleted), or a new item. */
export interface ItemUpdate {
  id?: string;
  price?: Stripe.Price;
  quantity?: number;
  deleted?: boolean;
}

export interface SubscriptionChange {
  items: ItemUpdate[];
  prorationBehavior: ProrationBehavior;
  /** When the prorations are computed as of; defaults to now. */
  prorationDate?: number;
  /** `"now"` ends the trial at once; a timestamp moves it. */
  trialEnd?: "now" | number;
  /** Other field changes (metadata, cancel_at_period_end, …), applied before `previous_attributes` is taken. */
  apply?: (subscription: Stripe.Subscription, now: number) => void;
}

/**
 * Since API version 2025-03-31 (basil), `cancel_at_period_end: true` also sets `cancel_at` to the end of the
 * current period; resuming clears both, with `canceled_at` and the cancellation reason.
 */
export function setCancelAtPeriodEnd(subscription: Stripe.Subscription, cancel: boolean, now: number): void {
  subscription.cancel_at_period_end = cancel;
  subscription.cancel_at = cancel ? currentPeriodEnd(subscription) : null;
  subscription.canceled_at = cancel ? now : null;
  subscription.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason: cancel ? "cancellation_requested" : null };
}

export function sameInterval(a: Stripe.Price, b: Stripe.Price): boolean {
  return a.recurring?.interval === b.recurring?.interval && a.recurring?.interval_count === b.recurring?.interval_count;
}

/** Apply the item updates to the subscription; returns what changed, for prorations. */
export function applyItemUpdates(emulator: Emulator, subscription: Stripe.Subscription, updates: readonly ItemUpdate[], now: number): ItemChange[] {
  const changes: ItemChange[] = [];
  updates.forEach((update, index) => {
    const existing = update.id ? subscription.items.data.find((item) => item.id === update.id) : undefined;
    if (update.id && !existing) throw noSuchObject("subscription_item", update.id, `items[${index}][id]`);
    if (existing) {
      const before = { price: existing.price, quantity: existing.quantity ?? 1 };
      if (update.deleted) {
        subscription.items.data = subscription.items.data.filter((item) => item.id !== existing.id);
        changes.push({ item: existing, before, after: null });
        return;
      }
      if (update.price) {
        if (!update.price.recurring) throw invalidParam(`items[${index}][price]`, "The price specified is set to `type=one_time` but this field only accepts prices with `type=recurring`.");
        existing.price = update.price;
        existing.plan = planFromPrice(update.price);
      }
      if (update.quantity !== undefined) existing.quantity = update.quantity;
      const after = { price: existing.price, quantity: existing.quantity ?? 1 };
      if (after.price.id !== before.price.id || after.quantity !== before.quantity) changes.push({ item: existing, before, after });
      return;
    }
    if (!update.price) throw invalidParam(`items[${index}][price]`, `Missing required param: items[${index}][price].`, "parameter_missing");
    const item = buildSubscriptionItem(update.price, update.quantity ?? 1, subscription.id, subscription.items.data[0] ? currentPeriodStart(subscription) : now, now);
    if (subscription.items.data[0]) item.current_period_end = currentPeriodEnd(subscription);
    subscription.items.data.push(item);
    changes.push({ item, before: null, after: { price: update.price, quantity: item.quantity ?? 1 } });
  });
  return changes;
}

/**
 * Apply a change and emit what Stripe emits. `create_prorations` leaves the proration items pending for the
 * next invoice; `always_invoice` invoices them now (`billing_reason: subscription_update`) and collects it;
 * `none` only changes the price. A new billing interval restarts the period now and is always invoiced now.
 */
export function changeSubscription(emulator: Emulator, subscription: Stripe.Subscription, change: SubscriptionChange, context: RequestContext): Stripe.Subscription {
  if (subscription.status === "canceled") throw invalidState("A canceled subscription can only update its cancellation_details and metadata.");
  const now = timeForCustomer(emulator, customerIdOf(subscription));
  const before = snapshot(subscription);
  const periodStart = currentPeriodStart(subscription);
  const periodEnd = currentPeriodEnd(subscription);
  change.apply?.(subscription, now);
  const changes = applyItemUpdates(emulator, subscription, change.items, now);
  const trialing = subscription.status === "trialing";
  const newInterval = changes.some((item) => item.before && item.after && !sameInterval(item.before.price, item.after.price));
  const prorationDate = change.prorationDate ?? now;
  let prorations: Stripe.InvoiceItem[] = [];
  let invoiceNow = false;
  // A trial costs nothing, so changing its price prorates nothing.
  if (changes.length > 0 && !trialing) {
    if (change.prorationBehavior !== "none" && (prorationDate < periodStart || prorationDate > periodEnd)) {
      throw invalidParam("proration_date", "The proration_date must be within the subscription's current billing period.");
    }
    if (change.prorationBehavior !== "none") prorations = createProrationItems(emulator, subscription, changes, prorationDate, { creditsOnly: newInterval });
    if (newInterval) {
      for (const item of subscription.items.data) {
        item.current_period_start = now;
        item.current_period_end = item.price.recurring ? addInterval(now, item.price.recurring) : now;
      }
      subscription.billing_cycle_anchor = now;
    }
    invoiceNow = newInterval || (change.prorationBehavior === "always_invoice" && prorations.length > 0);
  }
  if (change.trialEnd !== undefined && change.trialEnd !== "now") {
    if (!trialing) throw invalidState("Only a trialing subscription can change its trial_end.");
    subscription.trial_end = change.trialEnd;
    subscription.billing_cycle_anchor = change.trialEnd;
    for (const item of subscription.items.data) item.current_period_end = change.trialEnd;
  }
  for (const item of prorations) emulator.emit("invoiceitem.created", item, context);
  const invoice = invoiceNow
    ? draftSubscriptionInvoice(emulator, subscription, {
        billingReason: "subscription_update",
        lines: newInterval ? subscriptionItemLines(emulator, subscription) : [],
        periodStart: now,
        periodEnd: now,
        at: now,
      })
    : undefined;
  const changed = changedAttributes(before, subscription);
  if (Object.keys(changed).length > 0) emulator.emit("customer.subscription.updated", subscription, context, changed);
  if (invoice) finalizeAndCollect(emulator, subscription, invoice, now, context);
  if (change.trialEnd === "now" && subscription.status === "trialing") endTrial(emulator, subscription, now, context);
  return subscription;
}
