import { formatDate } from "../core/format";

// What changed in the person's billing between two looks at it (before the Customer Portal, and as
// it is now), in the words the billing page's banner uses. Plain data in, sentences out: safe in
// client code, where the banner compares each answer of GET /api/billing with the look before.

export interface BillingLook {
  plan: { key: string; name: string; paid: boolean };
  /** The subscription the page talks about; null on Free with none. `cancelsAt` is an ISO date. */
  subscription: { status: string; cancelsAt: string | null } | null;
}

const NEEDS_PAYMENT = new Set(["past_due", "unpaid", "incomplete"]);

/** The changes from `before` to `after`, most important first; empty when nothing the person would notice changed. */
export function describeBillingChanges(before: BillingLook, after: BillingLook): string[] {
  const changes: string[] = [];
  const planChanged = before.plan.key !== after.plan.key;
  if (planChanged) {
    changes.push(after.plan.paid ? `You're on the ${after.plan.name} plan now.` : `Your ${before.plan.name} plan has ended; you're on the ${after.plan.name} plan.`);
  }
  const endsBefore = before.subscription?.cancelsAt ?? null;
  const endsAfter = after.subscription?.cancelsAt ?? null;
  if (after.plan.paid && endsAfter && endsAfter !== endsBefore) {
    const on = formatDate(new Date(endsAfter));
    changes.push(endsBefore ? `Your ${after.plan.name} plan will now end on ${on}.` : `Your ${after.plan.name} plan will end on ${on}.`);
  } else if (after.plan.paid && !planChanged && endsBefore && !endsAfter) {
    changes.push(`Your ${after.plan.name} plan is no longer set to end; it renews as before.`);
  }
  const statusBefore = before.subscription?.status ?? null;
  const statusAfter = after.subscription?.status ?? null;
  if (statusBefore && NEEDS_PAYMENT.has(statusBefore) && (statusAfter === "active" || statusAfter === "trialing")) {
    changes.push(`Your payment went through; your ${after.plan.name} plan is active.`);
  }
  return changes;
}

/** What the billing page says on a return from Checkout or the portal, decided on the server (lib/billing/returns.ts). */
export type BillingReturn =
  | { kind: "checkout"; version: string; now: BillingLook }
  | { kind: "portal"; version: string; before: BillingLook; now: BillingLook }
  /** After a plan switch confirmed on the page: the same wait for Stripe's webhooks as after the portal. */
  | { kind: "switch"; version: string; before: BillingLook; now: BillingLook }
  | { kind: "message"; text: string };
