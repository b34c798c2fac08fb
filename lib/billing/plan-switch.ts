import { randomUUID } from "node:crypto";
import type Stripe from "stripe";
import { db } from "../core/db";
import { ConflictError, ServiceUnavailableError, toPublicError, ValidationError } from "../core/errors";
import { log } from "../core/log";
import { findPriceByLookupKey, fromStripeTime, listLiveSubscriptions, previewPlanSwitch, switchSubscriptionPrice } from "../stripe";

// Switching a subscriber's plan inside Billfold, with what it costs shown first. The rules:
// - only the person's own live subscription, as Stripe has it now (the mirror may lag), with one item;
// - the amounts come from Stripe's preview (invoices.createPreview), never from the browser;
// - the switch invoices the prorations now (`always_invoice`) with the preview's proration date, so Stripe
//   charges what the preview showed. The date comes back from the browser, so it is checked against
//   Stripe's own "now" first: a date from long ago would change the amount;
// - a subscription whose payment failed, or that is set to end, or anything unusual, goes to the portal.

export interface PlanSwitchPreview {
  planKey: string;
  planName: string;
  /** What Stripe charges today: the prorations, after any account credit; 0 when nothing is invoiced now. */
  dueTodayMinor: number;
  /** Unused time worth more than the new plan's remaining time: it becomes account credit for later invoices. */
  creditMinor: number;
  currency: string;
  /** The new plan's price per month, and when it is first charged in full (the period end). */
  thenMonthlyMinor: number;
  thenFrom: Date | null;
  /** The instant Stripe computed the prorations for (unix seconds); null when there are none (a trial). */
  prorationDate: number | null;
  /** Names this confirmation: submitting it twice switches and charges once. */
  switchId: string;
}

export type PlanSwitchOffer = { kind: "preview"; preview: PlanSwitchPreview } | { kind: "portal"; message: string };

/** How far back a previewed proration date may be when it is confirmed. */
const PREVIEW_VALID_SECONDS = 30 * 60;

interface SwitchTarget {
  planName: string;
  customerId: string;
  subscription: Stripe.Subscription;
  item: Stripe.SubscriptionItem;
  price: Stripe.Price;
}

/** Why this subscription's plan is changed in the portal rather than here; null when it can be changed here. */
function portalReason(live: Stripe.Subscription[]): string | null {
  const [subscription] = live;
  if (live.length > 1) return "You have more than one subscription, so please change your plan in the billing portal.";
  if (!subscription) return null;
  if (subscription.status === "past_due" || subscription.status === "unpaid") {
    return "Your last payment didn't go through, so your plan can't be changed here. Please update your card in the billing portal first.";
  }
  if (subscription.status !== "active" && subscription.status !== "trialing") return "Your subscription isn't active just now, so please change it in the billing portal.";
  if (subscription.cancel_at_period_end || subscription.cancel_at !== null) return "Your plan is set to end, so please change it in the billing portal.";
  if (subscription.items.data.length !== 1) return "Your subscription has more than one item, so please change it in the billing portal.";
  return null;
}

async function switchTarget(userId: string, planKey: string): Promise<SwitchTarget | { portal: string }> {
  const [plan, user] = await Promise.all([db().plan.findUnique({ where: { key: planKey } }), db().user.findUnique({ where: { id: userId } })]);
  if (!plan || !plan.active || !plan.stripePriceLookupKey) throw new ValidationError(`There is no paid plan called "${planKey}".`);
  const noPlan = new ConflictError("no_subscription", "You don't have a plan to change yet. Choose a plan below to start one.");
  if (!user?.stripeCustomerId) throw noPlan;
  const live = await listLiveSubscriptions(user.stripeCustomerId);
  const reason = portalReason(live);
  if (reason) return { portal: reason };
  const subscription = live[0];
  const item = subscription?.items.data[0];
  if (!subscription || !item) throw noPlan;
  const price = await findPriceByLookupKey(plan.stripePriceLookupKey);
  if (!price) {
    log.error("plan_price_missing", { planKey, lookupKey: plan.stripePriceLookupKey, hint: "run npm run stripe:setup" });
    throw new ServiceUnavailableError("plan_unavailable", `The ${plan.name} plan can't be switched to right now. Please try again later.`);
  }
  if (item.price.id === price.id) throw new ConflictError("already_on_plan", `You're already on the ${plan.name} plan.`);
  return { planName: plan.name, customerId: user.stripeCustomerId, subscription, item, price };
}

function switchOptions(target: SwitchTarget) {
  return { customerId: target.customerId, subscriptionId: target.subscription.id, itemId: target.item.id, priceId: target.price.id };
}

/** The proration date Stripe used for a switch preview: present only when the switch is invoiced now. */
function prorationDateOf(invoice: Stripe.Invoice): number | null {
  return invoice.parent?.subscription_details?.subscription_proration_date ?? null;
}

/** What switching to `planKey` costs today and after, from Stripe's preview; or why it is done in the portal. */
export async function previewPlanChange(userId: string, planKey: string): Promise<PlanSwitchOffer> {
  const target = await switchTarget(userId, planKey);
  if ("portal" in target) return { kind: "portal", message: target.portal };
  const invoice = await previewPlanSwitch(switchOptions(target));
  const prorationDate = prorationDateOf(invoice);
  // Without prorations (a trial) the preview is the next invoice, not one made today: nothing is due now.
  const invoicedNow = prorationDate !== null;
  return {
    kind: "preview",
    preview: {
      planKey,
      planName: target.planName,
      dueTodayMinor: invoicedNow ? invoice.amount_due : 0,
      creditMinor: invoicedNow && invoice.total < 0 ? -invoice.total : 0,
      currency: invoice.currency.toUpperCase(),
      thenMonthlyMinor: (target.price.unit_amount ?? 0) * (target.item.quantity ?? 1),
      thenFrom: fromStripeTime(target.item.current_period_end),
      prorationDate,
      switchId: randomUUID(),
    },
  };
}

/**
 * Makes the switch the person confirmed. `prorationDate` is the preview's; it must still be within
 * PREVIEW_VALID_SECONDS of Stripe's now (a fresh preview says what that is), or the person looks again.
 */
export async function confirmPlanChange(userId: string, planKey: string, confirmation: { prorationDate: number | null; switchId: string }): Promise<void> {
  const target = await switchTarget(userId, planKey);
  if ("portal" in target) throw new ConflictError("switch_in_portal", target.portal);
  const stripeNow = prorationDateOf(await previewPlanSwitch(switchOptions(target)));
  const { prorationDate } = confirmation;
  const current =
    prorationDate === null ? stripeNow === null : stripeNow !== null && prorationDate <= stripeNow && stripeNow - prorationDate <= PREVIEW_VALID_SECONDS;
  if (!current) throw new ConflictError("preview_expired", "The amounts have changed since you opened this. Please check the new amounts and confirm again.");
  await switchSubscriptionPrice({ ...switchOptions(target), prorationDate: prorationDate ?? undefined, switchId: confirmation.switchId });
}

/** previewPlanChange for the page: a failure is one plain sentence to show instead of the amounts, never an error page. */
export async function getPlanSwitchOffer(userId: string, planKey: string): Promise<PlanSwitchOffer | { kind: "error"; message: string }> {
  try {
    return await previewPlanChange(userId, planKey);
  } catch (error) {
    const mapped = toPublicError(error);
    if (mapped.expected) return { kind: "error", message: mapped.message };
    log.warn("plan_switch_preview_failed", { userId, planKey, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    return { kind: "error", message: "We couldn't get the price of this change from Stripe just now. Nothing has changed; please try again in a minute." };
  }
}
