// Time-driven billing: when a clock (a Stripe test clock, or the emulator's own clock) moves forward, everything
// that fell due runs in time order, exactly once: `trial_will_end` notices, trial ends, cancellations at
// `cancel_at`, renewals at period end, and retries of failed invoices at `next_payment_attempt`. Order matters:
// advancing two months must fail a renewal, retry it on schedule and cancel before the next renewal would be due.
import type Stripe from "stripe";
import type { Emulator, RequestContext } from "../emulator";
import {
  attemptAutomaticCollection,
  cancelSubscriptionNow,
  currentPeriodEnd,
  endTrial,
  renewOnce,
} from "./subscription";

/** Stripe sends `customer.subscription.trial_will_end` three days before a trial ends. */
export const TRIAL_WILL_END_NOTICE_SECONDS = 3 * 24 * 3600;

type DueWork =
  | { kind: "retry"; at: number; subscription: Stripe.Subscription; invoice: Stripe.Invoice }
  | { kind: "trial_will_end" | "cancel_at" | "trial_end" | "period_end"; at: number; subscription: Stripe.Subscription };

/** Same-instant work runs in this order (a retry due at a renewal runs before it, the notice before the trial end). */
const KIND_ORDER: Record<DueWork["kind"], number> = { retry: 0, trial_will_end: 1, cancel_at: 2, trial_end: 3, period_end: 4 };

function clockOf(value: string | Stripe.TestHelpers.TestClock | null): string | null {
  return typeof value === "string" ? value : (value?.id ?? null);
}

function dueWorkOf(emulator: Emulator, subscription: Stripe.Subscription, until: number): DueWork[] {
  const work: DueWork[] = [];
  const add = (kind: Exclude<DueWork["kind"], "retry">, at: number) => {
    if (at <= until) work.push({ kind, at, subscription });
  };
  if (subscription.status === "trialing" && subscription.trial_end !== null) {
    const noticeSent = emulator.state.subscriptionInternals[subscription.id]?.trialWillEndSentFor === subscription.trial_end;
    if (!noticeSent) add("trial_will_end", Math.max(subscription.trial_start ?? 0, subscription.trial_end - TRIAL_WILL_END_NOTICE_SECONDS));
    add("trial_end", subscription.trial_end);
  }
  if (subscription.status === "active" || subscription.status === "past_due" || subscription.status === "unpaid") {
    const periodEnd = currentPeriodEnd(subscription);
    if (subscription.cancel_at !== null && subscription.cancel_at < periodEnd) add("cancel_at", subscription.cancel_at);
    else add("period_end", periodEnd);
  }
  return work;
}

function retryWork(emulator: Emulator, clockId: string | null, until: number): DueWork[] {
  const work: DueWork[] = [];
  for (const invoice of Object.values(emulator.state.invoices)) {
    if (invoice.status !== "open" || invoice.next_payment_attempt === null || invoice.next_payment_attempt > until) continue;
    if (clockOf(invoice.test_clock) !== clockId) continue;
    const subscriptionId = invoice.parent?.subscription_details?.subscription;
    const subscription = typeof subscriptionId === "string" ? emulator.state.subscriptions[subscriptionId] : undefined;
    if (subscription && subscription.status !== "canceled") work.push({ kind: "retry", at: invoice.next_payment_attempt, subscription, invoice });
  }
  return work;
}

function nextDueWork(emulator: Emulator, clockId: string | null, until: number): DueWork | undefined {
  const candidates = retryWork(emulator, clockId, until);
  for (const subscription of Object.values(emulator.state.subscriptions)) {
    if (clockOf(subscription.test_clock) === clockId) candidates.push(...dueWorkOf(emulator, subscription, until));
  }
  candidates.sort((a, b) => a.at - b.at || KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
  return candidates[0];
}

function run(emulator: Emulator, work: DueWork, context: RequestContext): void {
  const { subscription, at } = work;
  switch (work.kind) {
    case "retry":
      attemptAutomaticCollection(emulator, subscription, work.invoice, at, context);
      return;
    case "trial_will_end":
      emulator.state.subscriptionInternals[subscription.id] = { ...emulator.state.subscriptionInternals[subscription.id], trialWillEndSentFor: subscription.trial_end ?? undefined };
      emulator.emit("customer.subscription.trial_will_end", subscription, context);
      return;
    case "cancel_at":
      cancelSubscriptionNow(emulator, subscription, context, at);
      return;
    case "trial_end":
      endTrial(emulator, subscription, at, context);
      return;
    case "period_end":
      renewOnce(emulator, subscription, at, context);
      return;
  }
}

export interface BillingRunSummary {
  renewals: number;
  retries: number;
  trialEnds: number;
}

/** Run everything due up to `until` for subscriptions on the given test clock (null: the emulator clock). */
export function runDueBilling(emulator: Emulator, clockId: string | null, until: number, context: RequestContext): BillingRunSummary {
  const summary: BillingRunSummary = { renewals: 0, retries: 0, trialEnds: 0 };
  // Guard against runaway loops (e.g. a daily plan advanced by ten years).
  for (let guard = 0; guard < 10_000; guard++) {
    const work = nextDueWork(emulator, clockId, until);
    if (!work) break;
    run(emulator, work, context);
    if (work.kind === "period_end") summary.renewals++;
    else if (work.kind === "retry") summary.retries++;
    else if (work.kind === "trial_end") summary.trialEnds++;
  }
  return summary;
}
