// POST /v1/invoices/create_preview: the invoice Stripe would create, computed and never stored (its id
// starts `upcoming_in_`, and no list or retrieve finds it). For a subscription as it is, its next
// invoice: pending invoice items plus the next period's lines, created and attempted at the period end.
// With `subscription_details[items]`, the same for the changed subscription, with the prorations the
// change makes as of `subscription_details[proration_date]` (default now); with
// `proration_behavior=always_invoice` (or a change of billing interval) the invoice the change creates now.
import type Stripe from "stripe";
import type { Emulator } from "../emulator";
import { invalidParam, noSuchObject, StripeApiError } from "../http/errors";
import type { FormObject } from "../http/form";
import { newId } from "../http/ids";
import { jsonClone } from "../http/json";
import { objectArray, optionalBoolean, optionalEnum, optionalInteger, optionalObject, optionalString } from "../http/params";
import { route, type ApiRequest, type Route } from "../http/router";
import { createDraftInvoice, linesFromInvoiceItems, pendingInvoiceItems, type InvoiceLineSpec } from "../engines/invoice";
import { createProrationItems, PRORATION_BEHAVIORS } from "../engines/proration";
import { addInterval, currentPeriodEnd, currentPeriodStart, customerIdOf, productName, subscriptionItemLines, timeForCustomer } from "../engines/subscription";
import { applyItemUpdates, sameInterval, type ItemUpdate } from "../engines/subscription-update";
import { requirePrice } from "./catalog";
import { requireCustomer } from "./customers";

/** Stripe's answer when there is nothing to preview (no subscription to renew, or it ends at the period end). */
function noUpcomingInvoice(customerId: string): StripeApiError {
  return new StripeApiError(404, {
    type: "invalid_request_error",
    code: "invoice_upcoming_none",
    message: `No upcoming invoices for customer: ${customerId}`,
  });
}

function itemUpdates(emulator: Emulator, details: FormObject | undefined): ItemUpdate[] {
  if (!details) return [];
  return objectArray(details, "items", "subscription_details[items]").map((item, index) => {
    const path = (key: string) => `subscription_details[items][${index}][${key}]`;
    const priceId = optionalString(item, "price", path("price"));
    return {
      id: optionalString(item, "id", path("id")),
      price: priceId ? requirePrice(emulator, priceId, path("price")) : undefined,
      quantity: optionalInteger(item, "quantity", path("quantity")),
      deleted: optionalBoolean(item, "deleted", path("deleted")),
    };
  });
}

/** The subscription to preview: the one named, else the customer's only live one, else none (pending items alone). */
function subjectSubscription(emulator: Emulator, customerId: string | undefined, subscriptionId: string | undefined): Stripe.Subscription | null {
  if (subscriptionId) {
    const subscription = emulator.state.subscriptions[subscriptionId];
    if (!subscription) throw noSuchObject("subscription", subscriptionId, "subscription");
    if (customerId && customerIdOf(subscription) !== customerId) {
      throw invalidParam("subscription", `The subscription ${subscriptionId} does not belong to the customer ${customerId}.`);
    }
    return subscription;
  }
  const live = Object.values(emulator.state.subscriptions).filter(
    (subscription) => customerIdOf(subscription) === customerId && subscription.status !== "canceled" && subscription.status !== "incomplete_expired",
  );
  return live.length === 1 ? (live[0] ?? null) : null;
}

interface PreviewPlan {
  lines: InvoiceLineSpec[];
  currency: string;
  periodStart: number;
  periodEnd: number;
  /** When the invoice would be created (and its payment attempted). */
  at: number;
  prorationDate: number | null;
}

/** A subscription's preview, computed on a copy of it: the API's subscription stays as it is. */
function subscriptionPreview(emulator: Emulator, subscription: Stripe.Subscription, details: FormObject | undefined, now: number): PreviewPlan {
  const customerId = customerIdOf(subscription);
  const draft = jsonClone(subscription);
  const updates = itemUpdates(emulator, details);
  const behavior = (details && optionalEnum(details, "proration_behavior", PRORATION_BEHAVIORS, "subscription_details[proration_behavior]")) ?? "create_prorations";
  const prorationDate = (details && optionalInteger(details, "proration_date", "subscription_details[proration_date]")) ?? now;
  if (subscription.status === "canceled" || subscription.status === "incomplete_expired") throw noUpcomingInvoice(customerId);
  const periodStart = currentPeriodStart(draft);
  const periodEnd = currentPeriodEnd(draft);
  const changes = applyItemUpdates(emulator, draft, updates, now);
  const newInterval = changes.some((change) => change.before && change.after && !sameInterval(change.before.price, change.after.price));
  let prorations: InvoiceLineSpec[] = [];
  let invoiceNow = false;
  // A trial costs nothing, so changing its price prorates nothing (as subscriptions.update).
  if (changes.length > 0 && draft.status !== "trialing") {
    if (behavior !== "none" && (prorationDate < periodStart || prorationDate > periodEnd)) {
      throw invalidParam("subscription_details[proration_date]", "The proration_date must be within the subscription's current billing period.");
    }
    if (behavior !== "none") {
      const items = createProrationItems(emulator, draft, changes, prorationDate, { creditsOnly: newInterval });
      // The engine records the items it makes; a preview keeps none of them.
      for (const item of items) delete emulator.state.invoiceItems[item.id];
      prorations = linesFromInvoiceItems(emulator, items);
    }
    invoiceNow = newInterval || (behavior === "always_invoice" && prorations.length > 0);
  }
  const pending = linesFromInvoiceItems(emulator, pendingInvoiceItems(emulator, customerId, draft.currency, draft.id));
  const previewedProrations = prorations.length > 0 ? prorationDate : null;
  if (invoiceNow) {
    if (newInterval) {
      for (const item of draft.items.data) {
        item.current_period_start = now;
        item.current_period_end = item.price.recurring ? addInterval(now, item.price.recurring) : now;
      }
    }
    const lines = [...pending, ...prorations, ...(newInterval ? subscriptionItemLines(emulator, draft) : [])];
    return { lines, currency: draft.currency, periodStart: now, periodEnd: now, at: now, prorationDate: previewedProrations };
  }
  const endsAtPeriodEnd = draft.cancel_at_period_end || (draft.cancel_at !== null && draft.cancel_at <= periodEnd);
  if (endsAtPeriodEnd) throw noUpcomingInvoice(customerId);
  // The next invoice: the period after this one (after the trial, for a trialing subscription).
  const renewsAt = draft.status === "trialing" && draft.trial_end !== null ? draft.trial_end : periodEnd;
  for (const item of draft.items.data) {
    item.current_period_start = renewsAt;
    item.current_period_end = item.price.recurring ? addInterval(renewsAt, item.price.recurring) : renewsAt;
  }
  return {
    lines: [...pending, ...prorations, ...subscriptionItemLines(emulator, draft)],
    currency: draft.currency,
    periodStart,
    periodEnd: renewsAt,
    at: renewsAt,
    prorationDate: previewedProrations,
  };
}

/** A new subscription's first invoice (`subscription_details[items]` without `subscription`): a full period from now. */
function newSubscriptionPreview(emulator: Emulator, customerId: string, details: FormObject, now: number): PreviewPlan {
  const updates = itemUpdates(emulator, details);
  const lines = updates.map((update, index): InvoiceLineSpec => {
    if (update.id) throw invalidParam(`subscription_details[items][${index}][id]`, "An item of a new subscription has no id.");
    const price = update.price;
    if (!price?.recurring) throw invalidParam(`subscription_details[items][${index}][price]`, "A subscription item needs a recurring price.");
    const quantity = update.quantity ?? 1;
    return {
      amount: (price.unit_amount ?? 0) * quantity,
      quantity,
      description: `${quantity} × ${productName(emulator, price)}`,
      price,
      period: { start: now, end: addInterval(now, price.recurring) },
      subscriptionId: null,
      subscriptionItemId: null,
      invoiceItemId: null,
    };
  });
  const pending = linesFromInvoiceItems(emulator, pendingInvoiceItems(emulator, customerId, lines[0]?.price?.currency ?? null, null));
  return { lines: [...pending, ...lines], currency: lines[0]?.price?.currency ?? "usd", periodStart: now, periodEnd: now, at: now, prorationDate: null };
}

function createPreview(emulator: Emulator, request: ApiRequest): Stripe.Invoice {
  const params = request.params;
  const subscriptionId = optionalString(params, "subscription");
  const details = optionalObject(params, "subscription_details");
  const named = subscriptionId ? emulator.state.subscriptions[subscriptionId] : undefined;
  const customerId = optionalString(params, "customer") ?? (named ? customerIdOf(named) : undefined);
  if (!customerId && !subscriptionId) throw invalidParam("customer", "Missing required param: customer.", "parameter_missing");
  const subscription = subjectSubscription(emulator, customerId, subscriptionId);
  const customer = requireCustomer(emulator, customerId ?? (subscription ? customerIdOf(subscription) : ""), "customer");
  const now = timeForCustomer(emulator, customer.id);
  let plan: PreviewPlan;
  if (subscription) plan = subscriptionPreview(emulator, subscription, details, now);
  else if (details && objectArray(details, "items", "subscription_details[items]").length > 0) plan = newSubscriptionPreview(emulator, customer.id, details, now);
  else {
    const pending = pendingInvoiceItems(emulator, customer.id, null, null);
    if (pending.length === 0) throw noUpcomingInvoice(customer.id);
    plan = { lines: linesFromInvoiceItems(emulator, pending), currency: pending[0]?.currency ?? "usd", periodStart: now, periodEnd: now, at: now, prorationDate: null };
  }
  return previewInvoice(emulator, customer, subscription, plan);
}

/** The invoice built as a draft would be, then taken back out of the emulator's tables and given a preview id. */
function previewInvoice(emulator: Emulator, customer: Stripe.Customer, subscription: Stripe.Subscription | null, plan: PreviewPlan): Stripe.Invoice {
  const draft = createDraftInvoice(emulator, {
    customer,
    currency: plan.currency,
    subscription,
    billingReason: "upcoming",
    lines: plan.lines,
    description: null,
    periodStart: plan.periodStart,
    periodEnd: plan.periodEnd,
    now: plan.at,
  });
  delete emulator.state.invoices[draft.id];
  const id = `upcoming_${draft.id}`;
  // The customer's balance is applied at finalization; the preview shows what would then be due.
  const owed = draft.total + customer.balance;
  const parent = draft.parent?.subscription_details
    ? {
        ...draft.parent,
        subscription_details: {
          ...draft.parent.subscription_details,
          ...(plan.prorationDate !== null ? { subscription_proration_date: plan.prorationDate } : {}),
        },
      }
    : draft.parent;
  return {
    ...draft,
    id,
    lines: { ...draft.lines, data: draft.lines.data.map((line) => ({ ...line, id: newId("il_tmp"), invoice: id })), url: `/v1/invoices/${id}/lines` },
    parent,
    starting_balance: customer.balance,
    amount_due: Math.max(0, owed),
    amount_remaining: Math.max(0, owed),
    next_payment_attempt: plan.at,
  };
}

export const invoicePreviewRoute: Route = route("POST", "/v1/invoices/create_preview", createPreview);
