import type { Plan, Subscription } from "../generated/prisma/client";

// What a subscription's status means for the plan a user gets. Paid features only while Stripe says
// the subscription is paid up (active, trialing), or during a grace period after a renewal failed
// (past_due) while Stripe retries the card:
// - past_due: Stripe moves a subscription there when a renewal invoice fails at the start of a
//   period, so the grace runs from that period's start (PAST_DUE_GRACE_DAYS).
// - incomplete: the first payment has not succeeded (declined, or waiting for 3-D Secure); nothing
//   was ever paid, so Free. Stripe expires it after 23 hours (incomplete_expired): Free.
// - unpaid: every retry failed and Stripe stopped trying, but kept the subscription: Free until paid.
// - paused: a trial ended without a payment method: Free until resumed.
// - canceled: over: Free.
// A subscription set to cancel keeps its plan until the moment it ends (cancel_at or the period end),
// even if the deletion event is late: the plan is lost at period end, not before and not after.

const DAY_MS = 24 * 60 * 60 * 1000;

type EntitlementFields = Pick<Subscription, "status" | "currentPeriodStart" | "currentPeriodEnd" | "cancelAtPeriodEnd" | "cancelAt">;

/** When the subscription's paid access ends by its own schedule (a cancellation), if it does. */
export function scheduledEnd(subscription: Pick<Subscription, "cancelAtPeriodEnd" | "cancelAt" | "currentPeriodEnd">): Date | null {
  return subscription.cancelAt ?? (subscription.cancelAtPeriodEnd ? subscription.currentPeriodEnd : null);
}

/** The end of a past_due subscription's grace period. */
export function graceEndsAt(subscription: Pick<Subscription, "currentPeriodStart">, graceDays: number): Date | null {
  return subscription.currentPeriodStart ? new Date(subscription.currentPeriodStart.getTime() + graceDays * DAY_MS) : null;
}

/** True while the subscription gives its plan's paid features. */
export function isEntitled(subscription: EntitlementFields, now: Date, graceDays: number): boolean {
  const end = scheduledEnd(subscription);
  if (end && end.getTime() <= now.getTime()) return false;
  switch (subscription.status) {
    case "active":
    case "trialing":
      return true;
    case "past_due": {
      const graceEnd = graceEndsAt(subscription, graceDays);
      return graceEnd !== null && now.getTime() < graceEnd.getTime();
    }
    case "incomplete":
    case "incomplete_expired":
    case "unpaid":
    case "paused":
    case "canceled":
      return false;
  }
}

/** The plan a user has now (the highest plan among their entitled subscriptions, else Free) and the subscription giving it. */
export function effectivePlan<P extends Pick<Plan, "key" | "sortOrder">, S extends EntitlementFields & { plan: P | null }>(
  subscriptions: S[],
  freePlan: P,
  now: Date,
  graceDays: number,
): { plan: P; subscription: S | null } {
  let best: { plan: P; subscription: S } | null = null;
  for (const subscription of subscriptions) {
    const plan = subscription.plan;
    if (!plan || !isEntitled(subscription, now, graceDays)) continue;
    if (!best || plan.sortOrder > best.plan.sortOrder) best = { plan, subscription };
  }
  return best ?? { plan: freePlan, subscription: null };
}
