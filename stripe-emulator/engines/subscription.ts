// Subscriptions: creation (with or without a trial) and its first invoice, renewals when the clock passes the
// period end, trial ends, automatic collection with retries (dunning), cancellation, and invoicing a plan change
// now. In this API version the billing period lives on each subscription item (`items.data[].current_period_*`).
import type Stripe from "stripe";
import { scheduleNextAttempt } from "./dunning";
import type { Emulator, RequestContext } from "../emulator";
import { newId } from "../http/ids";
import {
  billingPaymentMethod,
  collectInvoice,
  createDraftInvoice,
  emitCollection,
  finalizeInvoiceState,
  linesFromInvoiceItems,
  pendingInvoiceItems,
  snapshot,
  type InvoiceLineSpec,
} from "./invoice";
import { formatMoney } from "../pages/html";
import { changedAttributes } from "../resources/customers";

export type MissingPaymentMethodBehavior = Stripe.Subscription.TrialSettings.EndBehavior.MissingPaymentMethod;

export function timeForCustomer(emulator: Emulator, customerId: string): number {
  const clockId = emulator.state.customers[customerId]?.test_clock;
  const clock = typeof clockId === "string" ? emulator.state.testClocks[clockId] : undefined;
  return clock ? clock.frozen_time : emulator.now();
}

export function customerIdOf(subscription: Stripe.Subscription): string {
  return typeof subscription.customer === "string" ? subscription.customer : subscription.customer.id;
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

export function currentPeriodStart(subscription: Stripe.Subscription): number {
  return Math.min(...subscription.items.data.map((item) => item.current_period_start));
}

export function currentPeriodEnd(subscription: Stripe.Subscription): number {
  return Math.min(...subscription.items.data.map((item) => item.current_period_end));
}

/** The name Stripe prints on invoice lines: the product's name. */
export function productName(emulator: Emulator, price: Stripe.Price): string {
  const productId = typeof price.product === "string" ? price.product : price.product.id;
  return emulator.state.products[productId]?.name ?? price.nickname ?? productId;
}

/** "1 × Pro (at $19.99 / month)", like Stripe's subscription lines. */
function subscriptionLineDescription(emulator: Emulator, price: Stripe.Price, quantity: number): string {
  const recurring = price.recurring;
  const every = recurring ? (recurring.interval_count === 1 ? ` / ${recurring.interval}` : ` every ${recurring.interval_count} ${recurring.interval}s`) : "";
  return `${quantity} × ${productName(emulator, price)} (at ${formatMoney(price.unit_amount ?? 0, price.currency)}${every})`;
}

/** One line per item for its current period. */
export function subscriptionItemLines(emulator: Emulator, subscription: Stripe.Subscription): InvoiceLineSpec[] {
  return subscription.items.data.map((item) => {
    const quantity = item.quantity ?? 1;
    return {
      amount: (item.price.unit_amount ?? 0) * quantity,
      quantity,
      description: subscriptionLineDescription(emulator, item.price, quantity),
      price: item.price,
      period: { start: item.current_period_start, end: item.current_period_end },
      subscriptionId: subscription.id,
      subscriptionItemId: item.id,
      invoiceItemId: null,
    };
  });
}

/** The free lines of a trial's first invoice: "Trial period for Pro", 0. */
function trialLines(emulator: Emulator, subscription: Stripe.Subscription): InvoiceLineSpec[] {
  return subscription.items.data.map((item) => ({
    amount: 0,
    quantity: item.quantity ?? 1,
    description: `Trial period for ${productName(emulator, item.price)}`,
    price: item.price,
    period: { start: item.current_period_start, end: item.current_period_end },
    subscriptionId: subscription.id,
    subscriptionItemId: item.id,
    invoiceItemId: null,
  }));
}

export interface NewSubscription {
  customer: Stripe.Customer;
  items: Array<{ price: Stripe.Price; quantity: number }>;
  metadata: Stripe.Metadata;
  defaultPaymentMethod: string | null;
  cancelAtPeriodEnd: boolean;
  description: string | null;
  /** End of a free trial (unix seconds), or null for none. */
  trialEnd: number | null;
  missingPaymentMethod: MissingPaymentMethodBehavior;
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
  const trialEnd = fields.trialEnd !== null && fields.trialEnd > now ? fields.trialEnd : null;
  const items = fields.items.map((item) => {
    const built = buildSubscriptionItem(item.price, item.quantity, id, now, now);
    // During a trial the items' current period is the trial; the first paid period starts at its end.
    if (trialEnd !== null) built.current_period_end = trialEnd;
    return built;
  });
  const subscription: Stripe.Subscription = {
    id,
    object: "subscription",
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: trialEnd ?? now,
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
    items: { object: "list", data: items, has_more: false, url: `/v1/subscription_items?subscription=${id}` },
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
    status: trialEnd !== null ? "trialing" : "incomplete",
    test_clock: fields.customer.test_clock ?? null,
    transfer_data: null,
    trial_end: trialEnd,
    trial_settings: { end_behavior: { billing_cycle_anchor: null, missing_payment_method: fields.missingPaymentMethod } },
    trial_start: trialEnd !== null ? now : null,
  };
  if (subscription.cancel_at_period_end) subscription.cancel_at = currentPeriodEnd(subscription);
  emulator.state.subscriptions[id] = subscription;
  // A trial still starts with an invoice, for 0, that is paid at once.
  const invoice = createDraftInvoice(emulator, {
    customer: fields.customer,
    currency: subscription.currency,
    subscription,
    billingReason: "subscription_create",
    lines: trialEnd !== null ? trialLines(emulator, subscription) : subscriptionItemLines(emulator, subscription),
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
  if (invoice.status === "paid" && trialEnd === null) subscription.status = "active";
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

function openInvoicesOf(emulator: Emulator, subscriptionId: string): Stripe.Invoice[] {
  return Object.values(emulator.state.invoices).filter(
    (invoice) => invoice.status === "open" && invoice.parent?.subscription_details?.subscription === subscriptionId,
  );
}

export function cancelSubscriptionNow(
  emulator: Emulator,
  subscription: Stripe.Subscription,
  context: RequestContext,
  now: number,
  reason: Stripe.Subscription.CancellationDetails.Reason = "cancellation_requested",
): void {
  subscription.status = "canceled";
  subscription.canceled_at = subscription.canceled_at ?? now;
  subscription.ended_at = now;
  subscription.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason };
  // Stripe stops automatic collection of a canceled subscription's open invoices; they stay open.
  for (const invoice of openInvoicesOf(emulator, subscription.id)) {
    invoice.next_payment_attempt = null;
    invoice.auto_advance = false;
  }
  emulator.emit("customer.subscription.deleted", subscription, context);
}

function setStatus(emulator: Emulator, subscription: Stripe.Subscription, status: Stripe.Subscription.Status, context: RequestContext): void {
  if (subscription.status === status) return;
  const before = snapshot(subscription);
  subscription.status = status;
  emulator.emit("customer.subscription.updated", subscription, context, changedAttributes(before, subscription));
}

/** After the final failed attempt: the billing settings decide the invoice's and the subscription's fate. */
function applyFinalFailure(emulator: Emulator, subscription: Stripe.Subscription, invoice: Stripe.Invoice, at: number, context: RequestContext): void {
  const settings = emulator.state.billingSettings;
  if (settings.invoiceAfterFinalFailure === "mark_uncollectible" && invoice.status === "open") {
    invoice.status = "uncollectible";
    invoice.status_transitions.marked_uncollectible_at = at;
    emulator.emit("invoice.marked_uncollectible", invoice, context);
  }
  if (subscription.status === "canceled") return;
  if (settings.subscriptionAfterFinalFailure === "cancel") cancelSubscriptionNow(emulator, subscription, context, at, "payment_failed");
  else if (settings.subscriptionAfterFinalFailure === "unpaid") setStatus(emulator, subscription, "unpaid", context);
  else setStatus(emulator, subscription, "past_due", context);
}

/**
 * Collect a subscription invoice automatically (renewal, trial end, plan change, retry): off-session, then the
 * retry schedule on failure (`past_due` until the final attempt), or back to `active` when it is paid.
 */
export function attemptAutomaticCollection(emulator: Emulator, subscription: Stripe.Subscription, invoice: Stripe.Invoice, at: number, context: RequestContext): void {
  const run = collectInvoice(emulator, invoice, at, { offSession: true });
  const followUp = run.error ? scheduleNextAttempt(emulator, invoice, run, at) : null;
  emitCollection(emulator, run, context);
  if (invoice.status === "paid") {
    reactivateAfterPayment(emulator, invoice, context);
    return;
  }
  if (followUp === "final") applyFinalFailure(emulator, subscription, invoice, at, context);
  else if (subscription.status === "active" || subscription.status === "trialing") setStatus(emulator, subscription, "past_due", context);
}

/** A draft invoice for a subscription: the customer's pending invoice items (prorations first), then `lines`. */
export function draftSubscriptionInvoice(
  emulator: Emulator,
  subscription: Stripe.Subscription,
  fields: { billingReason: Stripe.Invoice.BillingReason; lines: InvoiceLineSpec[]; periodStart: number; periodEnd: number; at: number },
): Stripe.Invoice | undefined {
  const customer = emulator.state.customers[customerIdOf(subscription)];
  if (!customer) return undefined;
  const pending = pendingInvoiceItems(emulator, customer.id, subscription.currency, subscription.id);
  const invoice = createDraftInvoice(emulator, {
    customer,
    currency: subscription.currency,
    subscription,
    billingReason: fields.billingReason,
    lines: [...linesFromInvoiceItems(emulator, pending), ...fields.lines],
    invoiceItems: pending,
    description: null,
    periodStart: fields.periodStart,
    periodEnd: fields.periodEnd,
    now: fields.at,
  });
  subscription.latest_invoice = invoice.id;
  return invoice;
}

/** Emit `invoice.created`, finalize, emit `invoice.finalized`, and collect unless told not to. */
export function finalizeAndCollect(
  emulator: Emulator,
  subscription: Stripe.Subscription,
  invoice: Stripe.Invoice,
  at: number,
  context: RequestContext,
  collect = true,
): void {
  emulator.emit("invoice.created", invoice, context);
  finalizeInvoiceState(emulator, invoice, at);
  emulator.emit("invoice.finalized", invoice, context);
  if (invoice.status === "paid") emitCollection(emulator, { invoice, attempt: null, error: null }, context);
  else if (collect) attemptAutomaticCollection(emulator, subscription, invoice, at, context);
}

/** Roll one period forward at its end: new period, a new invoice, automatic collection. */
export function renewOnce(emulator: Emulator, subscription: Stripe.Subscription, periodEnd: number, context: RequestContext): void {
  if (subscription.cancel_at_period_end || (subscription.cancel_at !== null && subscription.cancel_at <= periodEnd)) {
    cancelSubscriptionNow(emulator, subscription, context, periodEnd);
    return;
  }
  const before = snapshot(subscription);
  const previousStart = currentPeriodStart(subscription);
  for (const item of subscription.items.data) {
    item.current_period_start = periodEnd;
    item.current_period_end = item.price.recurring ? addInterval(periodEnd, item.price.recurring) : periodEnd;
  }
  const invoice = draftSubscriptionInvoice(emulator, subscription, {
    billingReason: "subscription_cycle",
    lines: subscriptionItemLines(emulator, subscription),
    periodStart: previousStart,
    periodEnd,
    at: periodEnd,
  });
  if (!invoice) return;
  emulator.emit("customer.subscription.updated", subscription, context, changedAttributes(before, subscription));
  // An `unpaid` subscription keeps invoicing, but Stripe no longer attempts payment.
  finalizeAndCollect(emulator, subscription, invoice, periodEnd, context, subscription.status !== "unpaid");
}

/**
 * The trial is over: with a payment method the first paid period starts (status `active`, a
 * `subscription_cycle` invoice collected like a renewal); without one, `trial_settings.end_behavior.
 * missing_payment_method` decides: `create_invoice` does the same (the attempt fails → `past_due`),
 * `pause` → `paused` with no invoice, `cancel` → canceled.
 */
export function endTrial(emulator: Emulator, subscription: Stripe.Subscription, at: number, context: RequestContext): void {
  if (subscription.cancel_at_period_end || (subscription.cancel_at !== null && subscription.cancel_at <= at)) {
    cancelSubscriptionNow(emulator, subscription, context, at);
    return;
  }
  const hasPaymentMethod = billingPaymentMethod(emulator, customerIdOf(subscription), subscription) !== undefined;
  const missing = subscription.trial_settings?.end_behavior.missing_payment_method ?? "create_invoice";
  if (!hasPaymentMethod && missing === "cancel") {
    cancelSubscriptionNow(emulator, subscription, context, at);
    return;
  }
  if (!hasPaymentMethod && missing === "pause") {
    setStatus(emulator, subscription, "paused", context);
    emulator.emit("customer.subscription.paused", subscription, context);
    return;
  }
  const before = snapshot(subscription);
  subscription.status = "active";
  subscription.trial_end = Math.min(subscription.trial_end ?? at, at);
  for (const item of subscription.items.data) {
    item.current_period_start = at;
    item.current_period_end = item.price.recurring ? addInterval(at, item.price.recurring) : at;
  }
  subscription.billing_cycle_anchor = at;
  const invoice = draftSubscriptionInvoice(emulator, subscription, {
    billingReason: "subscription_cycle",
    lines: subscriptionItemLines(emulator, subscription),
    periodStart: before.trial_start ?? at,
    periodEnd: at,
    at,
  });
  emulator.emit("customer.subscription.updated", subscription, context, changedAttributes(before, subscription));
  if (invoice) finalizeAndCollect(emulator, subscription, invoice, at, context);
}

/** After an invoice is paid (retry, portal, hosted page, API), a past_due / unpaid / incomplete subscription whose latest invoice it is becomes active. */
export function reactivateAfterPayment(emulator: Emulator, invoice: Stripe.Invoice, context: RequestContext): void {
  const subscriptionId = invoice.parent?.subscription_details?.subscription;
  const subscription = typeof subscriptionId === "string" ? emulator.state.subscriptions[subscriptionId] : undefined;
  if (!subscription || invoice.status !== "paid") return;
  if (subscription.status !== "past_due" && subscription.status !== "incomplete" && subscription.status !== "unpaid") return;
  if (openInvoicesOf(emulator, subscription.id).length > 0) return;
  setStatus(emulator, subscription, "active", context);
}
