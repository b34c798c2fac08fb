// The hosted billing portal at a portal session's `url`, driven by the session's configuration: the customer's
// subscriptions (switch plan with the configuration's proration behaviour, cancel at period end or now, resume),
// the card on file with an "Update card" form, and the invoice history linking to the hosted invoice pages.
import type Stripe from "stripe";
import { findTestCard } from "../engines/cards";
import type { Emulator, RequestContext } from "../emulator";
import { invalidState } from "../http/errors";
import type { FormObject } from "../http/form";
import { collectInvoice, emitCollection, snapshot } from "../engines/invoice";
import { optionalString } from "../http/params";
import { requirePrice } from "../resources/catalog";
import { changedAttributes } from "../resources/customers";
import { attachPaymentMethod, createCardPaymentMethod } from "../resources/payment-methods";
import { defaultPortalConfiguration } from "../resources/portal-configurations";
import { cardBehaviourOf } from "../engines/payments";
import { PRORATION_BEHAVIORS } from "../engines/proration";
import { cancelSubscriptionNow, currentPeriodEnd, productName, reactivateAfterPayment, timeForCustomer } from "../engines/subscription";
import { changeSubscription, setCancelAtPeriodEnd } from "../engines/subscription-update";
import { escapeHtml, formatDate, formatMoney, page } from "./html";

function priceLabel(emulator: Emulator, price: Stripe.Price): string {
  const name = price.nickname ?? productName(emulator, price);
  const interval = price.recurring ? ` / ${price.recurring.interval}` : "";
  return `${name} (${formatMoney(price.unit_amount ?? 0, price.currency)}${interval})`;
}

function configurationOf(emulator: Emulator, session: Stripe.BillingPortal.Session): Stripe.BillingPortal.Configuration {
  const id = typeof session.configuration === "string" ? session.configuration : session.configuration.id;
  return emulator.state.portalConfigurations[id] ?? defaultPortalConfiguration(emulator);
}

/** Subscriptions the portal shows: everything not ended. */
function portalSubscriptions(emulator: Emulator, customerId: string): Stripe.Subscription[] {
  return Object.values(emulator.state.subscriptions).filter(
    (subscription) => subscription.customer === customerId && subscription.status !== "canceled" && subscription.status !== "incomplete_expired",
  );
}

/** Prices a subscription item may switch to: the configuration's product list, or any active recurring price. */
function switchablePrices(emulator: Emulator, configuration: Stripe.BillingPortal.Configuration, current: Stripe.Price): Stripe.Price[] {
  const update = configuration.features.subscription_update;
  if (!update.enabled || !update.default_allowed_updates.includes("price")) return [];
  const allowed = update.products ? new Set(update.products.flatMap((product) => product.prices)) : undefined;
  return Object.values(emulator.state.prices).filter(
    (price) => price.active && price.recurring && price.id !== current.id && price.currency === current.currency && (!allowed || allowed.has(price.id)),
  );
}

function defaultCardOf(emulator: Emulator, customer: Stripe.Customer | undefined): Stripe.PaymentMethod | undefined {
  const reference = customer?.invoice_settings.default_payment_method;
  const id = typeof reference === "string" ? reference : reference?.id;
  return id ? emulator.state.paymentMethods[id] : undefined;
}

function subscriptionSection(emulator: Emulator, session: Stripe.BillingPortal.Session, configuration: Stripe.BillingPortal.Configuration, subscription: Stripe.Subscription): string {
  const item = subscription.items.data[0];
  const action = `/portal/${encodeURIComponent(session.id)}/subscriptions/${encodeURIComponent(subscription.id)}`;
  const periodEnd = formatDate(currentPeriodEnd(subscription));
  const cancel = configuration.features.subscription_cancel;
  const switches = item
    ? switchablePrices(emulator, configuration, item.price)
        .map(
          (price) =>
            `<form method="post" action="${action}/switch"><input type="hidden" name="price" value="${escapeHtml(price.id)}"><button type="submit">Switch to ${escapeHtml(priceLabel(emulator, price))}</button></form>`,
        )
        .join("")
    : "";
  const schedule = subscription.cancel_at_period_end
    ? `<p>Cancels on ${periodEnd}.</p><form method="post" action="${action}/resume"><button type="submit">Resume subscription</button></form>`
    : `<p>${subscription.status === "trialing" && subscription.trial_end ? `Trial ends on ${formatDate(subscription.trial_end)}.` : `Renews on ${periodEnd}.`}</p>${
        cancel.enabled
          ? `<form method="post" action="${action}/cancel"><input type="hidden" name="when" value="period_end"><button type="submit" class="secondary">Cancel at period end</button></form>`
          : ""
      }`;
  const pastDue =
    subscription.status === "past_due" || subscription.status === "unpaid"
      ? `<p role="alert">Your last payment failed. Update your card to pay the open invoice.</p>`
      : "";
  return `<section aria-label="Subscription ${escapeHtml(subscription.id)}">
<h2>${item ? escapeHtml(priceLabel(emulator, item.price)) : "Subscription"}</h2>
<p>Status: <strong data-testid="subscription-status">${escapeHtml(subscription.status)}</strong>. Current period ends ${periodEnd}.</p>
${pastDue}
${schedule}
${cancel.enabled ? `<form method="post" action="${action}/cancel"><input type="hidden" name="when" value="now"><button type="submit" class="secondary">Cancel now</button></form>` : ""}
${switches}
</section>`;
}

function paymentMethodSection(emulator: Emulator, session: Stripe.BillingPortal.Session, customer: Stripe.Customer | undefined): string {
  const card = defaultCardOf(emulator, customer)?.card;
  return `<section aria-labelledby="payment-method-title">
<h2 id="payment-method-title">Payment method</h2>
<p data-testid="default-card">${card ? `${escapeHtml(card.brand)} •••• ${escapeHtml(card.last4)}` : "No card on file."}</p>
<form method="post" action="/portal/${encodeURIComponent(session.id)}/payment_method">
<label for="card-number">Card number</label>
<input type="text" id="card-number" name="card_number" inputmode="numeric" autocomplete="cc-number" placeholder="4242 4242 4242 4242">
<button type="submit">Update card</button>
</form>
</section>`;
}

function invoiceHistorySection(emulator: Emulator, customerId: string): string {
  const invoices = Object.values(emulator.state.invoices)
    .filter((invoice) => invoice.customer === customerId && invoice.status !== "draft")
    .reverse();
  const rows = invoices
    .map(
      (invoice) =>
        `<tr><td>${formatDate(invoice.status_transitions.finalized_at ?? invoice.created)}</td><td><a href="${escapeHtml(invoice.hosted_invoice_url ?? "#")}">${escapeHtml(invoice.number ?? invoice.id)}</a></td><td class="amount">${formatMoney(invoice.total, invoice.currency)}</td><td>${escapeHtml(invoice.status ?? "")}</td></tr>`,
    )
    .join("");
  return `<section aria-labelledby="invoice-history-title">
<h2 id="invoice-history-title">Invoice history</h2>
${rows ? `<table><thead><tr><th>Date</th><th>Invoice</th><th class="amount">Amount</th><th>Status</th></tr></thead><tbody>${rows}</tbody></table>` : "<p>No invoices yet.</p>"}
</section>`;
}

export function renderPortalPage(emulator: Emulator, session: Stripe.BillingPortal.Session, notice?: string): string {
  const configuration = configurationOf(emulator, session);
  const customer = emulator.state.customers[session.customer];
  const subscriptions = portalSubscriptions(emulator, session.customer)
    .map((subscription) => subscriptionSection(emulator, session, configuration, subscription))
    .join("");
  const body = `<h1>Billing</h1>
<p>${escapeHtml(customer?.email ?? session.customer)}</p>
<div role="status">${notice ? escapeHtml(notice) : ""}</div>
${subscriptions || "<p>No active subscriptions.</p>"}
${configuration.features.payment_method_update.enabled ? paymentMethodSection(emulator, session, customer) : ""}
${configuration.features.invoice_history.enabled ? invoiceHistorySection(emulator, session.customer) : ""}
${session.return_url ? `<a class="button secondary" href="${escapeHtml(session.return_url)}">Return to ${escapeHtml(emulator.config.brand)}</a>` : ""}`;
  return page("Billing portal", body);
}

/** Apply a subscription button: cancel (period_end | now), resume, or switch to another price. */
export function submitPortalAction(
  emulator: Emulator,
  session: Stripe.BillingPortal.Session,
  subscriptionId: string,
  action: string,
  form: FormObject,
  context: RequestContext,
): string {
  const subscription = emulator.state.subscriptions[subscriptionId];
  if (!subscription || subscription.customer !== session.customer) throw invalidState("That subscription does not belong to this portal session.");
  const configuration = configurationOf(emulator, session);
  const now = timeForCustomer(emulator, session.customer);
  if (action === "cancel") {
    if (!configuration.features.subscription_cancel.enabled) throw invalidState("This portal does not allow cancellations.");
    if (optionalString(form, "when") === "now") {
      cancelSubscriptionNow(emulator, subscription, context, now);
      return "Your subscription has been canceled.";
    }
    changeSubscription(emulator, subscription, { items: [], prorationBehavior: "none", apply: (target, at) => setCancelAtPeriodEnd(target, true, at) }, context);
    return "Your subscription will be canceled at the end of the period.";
  }
  if (action === "resume") {
    changeSubscription(emulator, subscription, { items: [], prorationBehavior: "none", apply: (target, at) => setCancelAtPeriodEnd(target, false, at) }, context);
    return "Your subscription will continue.";
  }
  if (action === "switch") {
    const item = subscription.items.data[0];
    if (!item) throw invalidState("This subscription has no items.");
    const price = requirePrice(emulator, optionalString(form, "price") ?? "", "price");
    if (!switchablePrices(emulator, configuration, item.price).some((candidate) => candidate.id === price.id)) {
      throw invalidState("This portal does not offer that price.");
    }
    const update = configuration.features.subscription_update;
    changeSubscription(
      emulator,
      subscription,
      {
        items: [{ id: item.id, price }],
        prorationBehavior: PRORATION_BEHAVIORS.find((behavior) => behavior === update.proration_behavior) ?? "none",
        // A switch during a trial ends the trial unless the configuration keeps it.
        trialEnd: subscription.status === "trialing" && update.trial_update_behavior !== "continue_trial" ? "now" : undefined,
      },
      context,
    );
    return "Your plan has been updated.";
  }
  throw invalidState(`Unknown portal action: ${action}`);
}

/**
 * "Update card": the new card becomes the customer's default and the default of their subscriptions that had
 * one, and, as in Stripe's portal, an open invoice of a past_due or unpaid subscription is paid with it at once.
 * A card that declines even to be saved (4000 0000 0000 0002) is refused; 0341 is saved (its charges fail).
 */
export function updatePortalPaymentMethod(emulator: Emulator, session: Stripe.BillingPortal.Session, form: FormObject, context: RequestContext): string {
  if (!configurationOf(emulator, session).features.payment_method_update.enabled) throw invalidState("This portal does not allow updating the payment method.");
  const customer = emulator.state.customers[session.customer];
  if (!customer) throw invalidState("This portal session's customer no longer exists.");
  const card = findTestCard(optionalString(form, "card_number") ?? "");
  if (!card) return "Your card number is incorrect.";
  const paymentMethod = createCardPaymentMethod(emulator, card);
  if (cardBehaviourOf(paymentMethod) === "decline_generic") return "Your card was declined.";
  attachPaymentMethod(emulator, paymentMethod, customer.id, context);
  const customerBefore = snapshot(customer);
  customer.invoice_settings.default_payment_method = paymentMethod.id;
  emulator.emit("customer.updated", customer, context, changedAttributes(customerBefore, customer));
  const subscriptions = portalSubscriptions(emulator, customer.id);
  for (const subscription of subscriptions) {
    if (subscription.default_payment_method === null) continue;
    changeSubscription(emulator, subscription, { items: [], prorationBehavior: "none", apply: (target) => (target.default_payment_method = paymentMethod.id) }, context);
  }
  const now = timeForCustomer(emulator, customer.id);
  const failures: string[] = [];
  for (const subscription of subscriptions.filter((candidate) => candidate.status === "past_due" || candidate.status === "unpaid")) {
    const open = Object.values(emulator.state.invoices).filter(
      (invoice) => invoice.status === "open" && invoice.parent?.subscription_details?.subscription === subscription.id,
    );
    for (const invoice of open) {
      const run = collectInvoice(emulator, invoice, now, { paymentMethod, offSession: false, authenticated: true });
      emitCollection(emulator, run, context);
      if (run.error) failures.push(`${invoice.number ?? invoice.id}: ${run.error.message}`);
      else reactivateAfterPayment(emulator, invoice, context);
    }
  }
  return failures.length > 0 ? `Your card was updated, but paying the open invoice failed (${failures.join("; ")})` : "Your card has been updated.";
}
