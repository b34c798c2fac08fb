// Subscriptions: creation with a first invoice, renewals when the clock passes the
// period end, cancellation and plan switches. In this API version the billing period
// lives on each subscription item (`items.data[].current_period_start/end`).
import type Stripe from "stripe";
import type { Emulator, RequestContext } from "./emulator";
import { newId } from "./ids";
import {
  collectInvoice,
  createDraftInvoice,
  emitCollection,
  finalizeInvoiceState,
  snapshot,
  type InvoicePaymentRun,
} from "./invoice-engine";
import { changedAttributes } from "./resources/customers";

export function timeForCustomer(emulator: Emulator, customerId: string): number {
  const clockId = emulator.state.customers[customerId]?.test_clock;
  const clock = typeof clockId === "string" ? emulator.state.testClocks[clockId] : undefined;
  return clock ? clock.frozen_time : emulator.now();
}

export function addInterval(start: number, recurring: Stripe.Price.Recurring): number {
  const date = new Date(start * 1000);
  const count = recurring.interval_count;
  switch (recurring.interval) {
    case "day":
      date.setUTCDate(date.getUTCDate() + count);
      break;
    case "week":
      date.setUTCDate(date.getUTCDate() + 7 * count);
      break;
    case "month":
      date.setUTCMonth(date.getUTCMonth() + count);
      break;
    case "year":
      date.setUTCFullYear(date.getUTCFullYear() + count);
      break;
  }
  return Math.floor(date.getTime() / 1000);
}

export function planFromPrice(price: Stripe.Price): Stripe.Plan {
  const recurring = price.recurring ?? { interval: "month", interval_count: 1, meter: null, trial_period_days: null, usage_type: "licensed" };
  return {
    id: price.id,
    object: "plan",
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: recurring.interval,
    interval_count: recurring.interval_count,
    livemode: false,
    metadata: price.metadata,
    meter: null,
    nickname: price.nickname,
    product: typeof price.product === "string" ? price.product : price.product.id,
    tiers_mode: null,
    transform_usage: null,
    trial_period_days: null,
    usage_type: recurring.usage_type,
  };
}

export function buildSubscriptionItem(price: Stripe.Price, quantity: number, subscriptionId: string, periodStart: number, created: number): Stripe.SubscriptionItem {
  return {
    id: newId("si", 14),
    object: "subscription_item",
    billing_thresholds: null,
    created,
    current_period_end: price.recurring ? addInterval(periodStart, price.recurring) : periodStart,
    current_period_start: periodStart,
    current_trial: null,
    discounts: [],
    metadata: {},
    plan: planFromPrice(price),
    price,
    quantity,
    subscription: subscriptionId,
    tax_rates: [],
  };
}

export function currentPeriodEnd(subscription: Stripe.Subscription): number {
  return Math.min(...subscription.items.data.map((item) => item.current_period_end));
}

function invoiceLinesFor(subscription: Stripe.Subscription) {
  return subscription.items.data.map((item) => {
    const quantity = item.quantity ?? 1;
    const productId = typeof item.price.product === "string" ? item.price.product : item.price.product.id;
    return {
      amount: (item.price.unit_amount ?? 0) * quantity,
      quantity,
      description: `${quantity} × ${item.price.nickname ?? productId}`,
      price: item.price,
      period: { start: item.current_period_start, end: item.current_period_end },
      subscriptionId: subscription.id,
      subscriptionItemId: item.id,
      invoiceItemId: null,
    };
  });
}

export interface NewSubscription {
  customer: Stripe.Customer;
  items: Array<{ price: Stripe.Price; quantity: number }>;
  metadata: Stripe.Metadata;
  defaultPaymentMethod: string | null;
  cancelAtPeriodEnd: boolean;
  description: string | null;
}

/** Create a subscription and collect its first invoice; events are emitted by the caller via `emitSubscriptionStart`. */
export function startSubscription(
  emulator: Emulator,
  fields: NewSubscription,
  paymentMethod: Stripe.PaymentMethod | undefined,
  authenticated = false,
) {
  const now = timeForCustomer(emulator, fields.customer.id);
  const id = newId("sub");
  const firstPrice = fields.items[0]?.price;
  const subscription: Stripe.Subscription = {
    id,
    object: "subscription",
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: now,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: "classic" },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: fields.cancelAtPeriodEnd,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: "charge_automatically",
    created: now,
    currency: firstPrice?.currency ?? "usd",
    customer: fields.customer.id,
    customer_account: null,
    days_until_due: null,
    default_payment_method: fields.defaultPaymentMethod,
    default_source: null,
    description: fields.description,
    discounts: [],
    ended_at: null,
    invoice_settings: { account_tax_ids: null, custom_fields: null, description: null, footer: null, issuer: { type: "self" } },
    items: {
      object: "list",
      data: fields.items.map((item) => buildSubscriptionItem(item.price, item.quantity, id, now, now)),
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: fields.metadata,
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: "off" },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: now,
    status: "incomplete",
    test_clock: fields.customer.test_clock ?? null,
    transfer_data: null,
    trial_end: null,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: "create_invoice" } },
    trial_start: null,
  };
  emulator.state.subscriptions[id] = subscription;
  const invoice = createDraftInvoice(emulator, {
    customer: fields.customer,
    currency: subscription.currency,
    subscription,
    billingReason: "subscription_create",
    lines: invoiceLinesFor(subscription),
    description: null,
    periodStart: now,
    periodEnd: now,
    now,
  });
  subscription.latest_invoice = invoice.id;
  const created = snapshot(invoice);
  finalizeInvoiceState(emulator, invoice, now);
  const finalized = snapshot(invoice);
  const run = collectInvoice(emulator, invoice, now, { paymentMethod, offSession: false, authenticated });
  if (invoice.status === "paid") subscription.status = "active";
  return { subscription, run, invoiceSnapshots: { created, finalized } };
}

export function emitSubscriptionStart(
  emulator: Emulator,
  started: ReturnType<typeof startSubscription>,
  context: RequestContext,
): void {
  emulator.emit("customer.subscription.created", started.subscription, context);
  emulator.emit("invoice.created", started.invoiceSnapshots.created, context);
  emulator.emit("invoice.finalized", started.invoiceSnapshots.finalized, context);
  emitCollection(emulator, started.run, context);
}

export function cancelSubscriptionNow(emulator: Emulator, subscription: Stripe.Subscription, context: RequestContext, now: number): void {
  subscription.status = "canceled";
  subscription.canceled_at = subscription.canceled_at ?? now;
  subscription.ended_at = now;
  subscription.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason: "cancellation_requested" };
  emulator.emit("customer.subscription.deleted", subscription, context);
}

/** Roll one period forward: new period, a new invoice, collection; past_due on failure. */
function renewOnce(emulator: Emulator, subscription: Stripe.Subscription, periodEnd: number, context: RequestContext): void {
  const customer = emulator.state.customers[typeof subscription.customer === "string" ? subscription.customer : subscription.customer.id];
  if (!customer) return;
  if (subscription.cancel_at_period_end || (subscription.cancel_at !== null && subscription.cancel_at <= periodEnd)) {
    cancelSubscriptionNow(emulator, subscription, context, periodEnd);
    return;
  }
  const before = snapshot(subscription);
  for (const item of subscription.items.data) {
    item.current_period_start = periodEnd;
    item.current_period_end = item.price.recurring ? addInterval(periodEnd, item.price.recurring) : periodEnd;
  }
  const invoice = createDraftInvoice(emulator, {
    customer,
    currency: subscription.currency,
    subscription,
    billingReason: "subscription_cycle",
    lines: invoiceLinesFor(subscription),
    description: null,
    periodStart: before.items.data[0]?.current_period_start ?? periodEnd,
    periodEnd,
    now: periodEnd,
  });
  subscription.latest_invoice = invoice.id;
  emulator.emit("customer.subscription.updated", subscription, context, changedAttributes(before, subscription));
  emulator.emit("invoice.created", invoice, context);
  finalizeInvoiceState(emulator, invoice, periodEnd);
  emulator.emit("invoice.finalized", invoice, context);
  const run: InvoicePaymentRun = collectInvoice(emulator, invoice, periodEnd, { offSession: true });
  emitCollection(emulator, run, context);
  if (invoice.status !== "paid" && subscription.status !== "past_due") {
    const beforeStatus = snapshot(subscription);
    subscription.status = "past_due";
    emulator.emit("customer.subscription.updated", subscription, context, changedAttributes(beforeStatus, subscription));
  }
}

/** Run every renewal due up to `until` for subscriptions on the given test clock (null: the emulator clock). */
export function runRenewals(emulator: Emulator, clockId: string | null, until: number, context: RequestContext): number {
  let renewals = 0;
  for (const subscription of Object.values(emulator.state.subscriptions)) {
    const subscriptionClock = typeof subscription.test_clock === "string" ? subscription.test_clock : (subscription.test_clock?.id ?? null);
    if (subscriptionClock !== clockId) continue;
    // Guard against runaway loops (e.g. a daily plan advanced by ten years).
    for (let guard = 0; guard < 1000; guard++) {
      if (subscription.status !== "active" && subscription.status !== "past_due" && subscription.status !== "trialing") break;
      const periodEnd = currentPeriodEnd(subscription);
      if (periodEnd > until) break;
      renewOnce(emulator, subscription, periodEnd, context);
      renewals++;
    }
  }
  return renewals;
}

/** After an invoice is paid out of band, a past_due or incomplete subscription becomes active. */
export function reactivateAfterPayment(emulator: Emulator, invoice: Stripe.Invoice, context: RequestContext): void {
  const subscriptionId = invoice.parent?.subscription_details?.subscription;
  const subscription = typeof subscriptionId === "string" ? emulator.state.subscriptions[subscriptionId] : undefined;
  if (!subscription || invoice.status !== "paid") return;
  if (subscription.status !== "past_due" && subscription.status !== "incomplete") return;
  const before = snapshot(subscription);
  subscription.status = "active";
  emulator.emit("customer.subscription.updated", subscription, context, changedAttributes(before, subscription));
}
