import type { BillingOverview } from "./queries";

/**
 * What each plan card on /billing offers:
 * - current: the plan the user has now;
 * - upgrade: a paid plan, for a user without a live subscription: Stripe Checkout;
 * - change: a paid plan, for a user who has a live subscription (even one that is past due or
 *   unpaid, or one on a price Billfold does not recognise): the portal, where Stripe prorates or
 *   switches that subscription to the plan. A second Checkout would make a second subscription, and
 *   startPlanCheckout sends anyone with a live subscription to the portal anyway;
 * - downgrade: Free, for a paid user: cancel in the portal.
 */
export type PlanAction = "current" | "upgrade" | "change" | "downgrade";

export function planActionsFor({ plan, plans, subscription }: Pick<BillingOverview, "plan" | "plans" | "subscription">): Record<string, PlanAction> {
  // The overview's subscription is never canceled or expired: any one there is live.
  const subscribed = subscription !== null;
  return Object.fromEntries(
    plans.map((candidate): [string, PlanAction] => {
      if (candidate.key === plan.key) return [candidate.key, "current"];
      if (!candidate.purchasable) return [candidate.key, "downgrade"];
      return [candidate.key, subscribed ? "change" : "upgrade"];
    }),
  );
}
