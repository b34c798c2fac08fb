// The hosted billing portal at a portal session's `url`: the customer's subscriptions
// with cancel (at period end or now), resume and switch-plan buttons.
import type Stripe from "stripe";
import type { Emulator, RequestContext } from "../emulator";
import { invalidState } from "../errors";
import type { FormObject } from "../form";
import { snapshot } from "../invoice-engine";
import { optionalString } from "../params";
import { requirePrice } from "../resources/catalog";
import { changedAttributes } from "../resources/customers";
import { cancelSubscriptionNow, currentPeriodEnd, planFromPrice, timeForCustomer } from "../subscription-engine";
import { escapeHtml, formatMoney, page } from "./html";

function priceLabel(emulator: Emulator, price: Stripe.Price): string {
  const product = typeof price.product === "string" ? emulator.state.products[price.product] : undefined;
  const name = price.nickname ?? product?.name ?? price.id;
  const interval = price.recurring ? ` / ${price.recurring.interval}` : "";
  return `${name} (${formatMoney(price.unit_amount ?? 0, price.currency)}${interval})`;
}

export function renderPortalPage(emulator: Emulator, session: Stripe.BillingPortal.Session, notice?: string): string {
  const subscriptions = Object.values(emulator.state.subscriptions).filter(
    (subscription) => subscription.customer === session.customer && subscription.status !== "canceled" && subscription.status !== "incomplete_expired",
  );
  const switchable = Object.values(emulator.state.prices).filter((price) => price.active && price.recurring);
  const base = `/portal/${encodeURIComponent(session.id)}/subscriptions`;
  const cards = subscriptions
    .map((subscription) => {
      const item = subscription.items.data[0];
      const action = `${base}/${encodeURIComponent(subscription.id)}`;
      const periodEnd = new Date(currentPeriodEnd(subscription) * 1000).toISOString().slice(0, 10);
      const switches = switchable
        .filter((price) => item && price.id !== item.price.id && price.currency === item.price.currency)
        .map((price) => {
          const label = priceLabel(emulator, price);
          return `<form method="post" action="${action}/switch"><input type="hidden" name="price" value="${escapeHtml(price.id)}"><button type="submit">Switch to ${escapeHtml(label)}</button></form>`;
        })
        .join("");
      const cancelControls = subscription.cancel_at_period_end
        ? `<p>Cancels on ${periodEnd}.</p><form method="post" action="${action}/resume"><button type="submit">Resume subscription</button></form>`
        : `<form method="post" action="${action}/cancel"><input type="hidden" name="when" value="period_end"><button type="submit" class="secondary">Cancel at period end</button></form>`;
      return `<section aria-label="Subscription ${escapeHtml(subscription.id)}">
<h2>${item ? escapeHtml(priceLabel(emulator, item.price)) : "Subscription"}</h2>
<p>Status: <strong data-testid="subscription-status">${escapeHtml(subscription.status)}</strong>. Current period ends ${periodEnd}.</p>
${cancelControls}
<form method="post" action="${action}/cancel"><input type="hidden" name="when" value="now"><button type="submit" class="secondary">Cancel now</button></form>
${switches}
</section>`;
    })
    .join("");
  const customer = emulator.state.customers[session.customer];
  const body = `<h1>Billing</h1>
<p>${escapeHtml(customer?.email ?? session.customer)}</p>
<div role="status">${notice ? escapeHtml(notice) : ""}</div>
${cards || "<p>No active subscriptions.</p>"}
${session.return_url ? `<a class="button secondary" href="${escapeHtml(session.return_url)}">Return to Billfold</a>` : ""}`;
  return page("Billing portal", body);
}

/** Apply a portal button: cancel (period_end | now), resume, or switch to another price. */
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
  const now = timeForCustomer(emulator, session.customer);
  const before = snapshot(subscription);
  if (action === "cancel" && optionalString(form, "when") === "now") {
    cancelSubscriptionNow(emulator, subscription, context, now);
    return "Your subscription has been canceled.";
  }
  if (action === "cancel") {
    subscription.cancel_at_period_end = true;
    subscription.cancel_at = currentPeriodEnd(subscription);
    subscription.canceled_at = now;
    subscription.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason: "cancellation_requested" };
  } else if (action === "resume") {
    subscription.cancel_at_period_end = false;
    subscription.cancel_at = null;
    subscription.canceled_at = null;
    subscription.cancellation_details = { comment: null, feedback: null, feedback_option: null, reason: null };
  } else if (action === "switch") {
    const price = requirePrice(emulator, optionalString(form, "price") ?? "", "price");
    const item = subscription.items.data[0];
    if (!item) throw invalidState("This subscription has no items.");
    // Prorations are not modelled: the new price is billed from the next renewal.
    item.price = price;
    item.plan = planFromPrice(price);
  } else {
    throw invalidState(`Unknown portal action: ${action}`);
  }
  emulator.emit("customer.subscription.updated", subscription, context, changedAttributes(before, subscription));
  return action === "switch" ? "Your plan has been updated." : action === "resume" ? "Your subscription will continue." : "Your subscription will be canceled at the end of the period.";
}
