import type Stripe from "stripe";
import { SubscriptionStatus, type Subscription } from "../generated/prisma/client";
import type { Tx } from "../core/db";
import { fromStripeTime, stripeId } from "../stripe";
import { NotYetKnownError } from "../core/errors";
import { wakeEventsAwaiting } from "../events";
import { enqueueEmail } from "../email";
import { getEffectivePlanIn, type EffectivePlan } from "./queries";
import { mirrorItems, planForItems } from "./subscription-items";

// The Subscription table mirrors Stripe. Stripe does not order its events and sends duplicates, so
// an event's copy of the subscription may be older than one already applied. Rather than compare
// event timestamps (one second resolution, and several events share a second), every event makes
// Billfold re-fetch the subscription and write what Stripe holds now: the event only says "look".
// Applied in any order, with any duplicates, the last write is Stripe's latest state. Two fetches
// racing are ordered by a ticket taken from a database sequence before each fetch: a write whose
// fetch started earlier than the stored one is skipped, so a slow fetch never puts back old state.

/** Subscriptions Billfold started carry our user id in their metadata (Checkout's subscription_data). */
export function isBillfoldSubscription(subscription: Pick<Stripe.Subscription, "metadata">): boolean {
  return Boolean(subscription.metadata?.billfoldUserId);
}

/** A ticket to take before fetching from Stripe; see the comment at the top. */
export async function takeSyncTicket(tx: Pick<Tx, "$queryRaw">): Promise<bigint> {
  const [row] = await tx.$queryRaw<[{ ticket: bigint }]>`SELECT nextval('"StripeSyncTicket"') AS ticket`;
  return row.ticket;
}

/** Serialises writers of one Stripe object's mirror until the transaction ends. */
export async function lockStripeObject(tx: Pick<Tx, "$executeRaw">, stripeObjectId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${stripeObjectId}, 0))`;
}

const STATUSES: ReadonlySet<string> = new Set(Object.values(SubscriptionStatus));

function isKnownStatus(status: string): status is SubscriptionStatus {
  return STATUSES.has(status);
}

/** Stripe's status as Billfold's enum; a status this code does not know fails the event loudly (it is retried). */
export function subscriptionStatusOf(status: Stripe.Subscription.Status): SubscriptionStatus {
  if (!isKnownStatus(status)) throw new Error(`unknown subscription status "${status}"`);
  return status;
}

/**
 * In this API version the billing period lives on each item; the subscription's is the earliest one.
 * A signed event may still carry an item without one (seen in hand-made events): such an item has
 * no say, and with none that has a period the period is unknown (null), never an invalid date.
 */
function periodOf(subscription: Pick<Stripe.Subscription, "items">): { start: Date | null; end: Date | null } {
  const items = subscription.items?.data ?? [];
  const earliest = (times: unknown[]) => {
    const known = times.filter((time): time is number => typeof time === "number" && Number.isFinite(time));
    return known.length > 0 ? fromStripeTime(Math.min(...known)) : null;
  };
  return { start: earliest(items.map((item) => item.current_period_start)), end: earliest(items.map((item) => item.current_period_end)) };
}

export interface SyncOptions {
  /** From takeSyncTicket, taken before `subscription` was fetched. */
  ticket: bigint;
}

export type SyncResult = { outcome: "synced"; row: Subscription } | { outcome: "stale" } | { outcome: "not_ours" };

/**
 * Writes Stripe's subscription into the mirror. The customer must be linked to a user; a subscription
 * Billfold started whose customer is not linked yet makes the event wait (unmatched) until
 * checkout.session.completed links it. One nobody here started (another app on the account, a CLI
 * fixture) is not ours and changes nothing.
 */
export async function syncSubscription(tx: Tx, subscription: Stripe.Subscription, { ticket }: SyncOptions): Promise<SyncResult> {
  const customerId = stripeId(subscription.customer);
  const user = customerId ? await tx.user.findUnique({ where: { stripeCustomerId: customerId } }) : null;
  if (!user) {
    if (!isBillfoldSubscription(subscription)) return { outcome: "not_ours" };
    throw new NotYetKnownError(`subscription ${subscription.id} belongs to customer ${customerId}, which is not linked to a user yet`, [
      customerId,
      subscription.id,
    ]);
  }
  // Concurrent syncs of one subscription take turns (even while its row does not exist yet), and each sees the other's ticket.
  await lockStripeObject(tx, subscription.id);
  const before = await tx.subscription.findUnique({ where: { id: subscription.id } });
  if (before && before.syncTicket > ticket) return { outcome: "stale" };

  // The person's plan before and after this write, seen in this transaction: an email says what changed for them.
  const now = new Date();
  const planBefore = await getEffectivePlanIn(tx, user.id, now);
  const items = mirrorItems(subscription);
  const plan = planForItems(items, await tx.plan.findMany());
  const period = periodOf(subscription);
  const planItem = items.find((item) => plan && item.lookupKey === plan.stripePriceLookupKey) ?? items[0];
  const data = {
    userId: user.id,
    stripeCustomerId: customerId ?? "",
    planKey: plan?.key ?? null,
    status: subscriptionStatusOf(subscription.status),
    stripePriceId: planItem?.priceId ?? null,
    items,
    currentPeriodStart: period.start,
    currentPeriodEnd: period.end,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    cancelAt: fromStripeTime(subscription.cancel_at),
    canceledAt: fromStripeTime(subscription.canceled_at),
    endedAt: fromStripeTime(subscription.ended_at),
    trialEnd: fromStripeTime(subscription.trial_end),
    latestInvoiceId: stripeId(subscription.latest_invoice),
    stripeCreatedAt: fromStripeTime(subscription.created) ?? new Date(),
    syncTicket: ticket,
    syncedAt: new Date(),
  };
  const row = await tx.subscription.upsert({ where: { id: subscription.id }, create: { id: subscription.id, ...data }, update: data });
  await enqueueSubscriptionEmails(tx, before, row, { before: planBefore, after: await getEffectivePlanIn(tx, user.id, now) });
  // Invoices that arrived before their subscription was known can now be applied.
  await wakeEventsAwaiting(tx, [subscription.id]);
  return { outcome: "synced", row };
}

/**
 * Emails owed by a change of state; each is keyed so that it is sent once however often the change is
 * seen. They speak of the person's plan, not of one subscription: a subscription that does not give
 * the plan (an old one left over, one on a price Billfold does not know) ending or set to end changes
 * nothing for them, so it sends nothing; "plan ended" goes out only when their plan drops, and names
 * the plan they are on now.
 */
async function enqueueSubscriptionEmails(tx: Tx, before: Subscription | null, after: Subscription, plan: { before: EffectivePlan; after: EffectivePlan }): Promise<void> {
  const endsAt = after.cancelAt ?? (after.cancelAtPeriodEnd ? after.currentPeriodEnd : null);
  const wasScheduled = Boolean(before && (before.cancelAt || before.cancelAtPeriodEnd));
  const givesPlan = plan.after.subscription?.id === after.id;
  if (after.status !== "canceled" && endsAt && !wasScheduled && givesPlan) {
    await enqueueEmail(tx, {
      key: `subscription-cancel-scheduled:${after.id}:${endsAt.getTime()}`,
      userId: after.userId,
      kind: "subscription_canceled",
      payload: { planKey: after.planKey, endsAt: endsAt.toISOString(), immediate: false },
    });
  }
  const planDropped = plan.after.plan.sortOrder < plan.before.plan.sortOrder;
  if (after.status === "canceled" && before?.status !== "canceled" && !wasScheduled && planDropped) {
    await enqueueEmail(tx, {
      key: `subscription-canceled:${after.id}`,
      userId: after.userId,
      kind: "subscription_canceled",
      payload: { planKey: plan.before.plan.key, nowPlanKey: plan.after.plan.key, endsAt: (after.endedAt ?? new Date()).toISOString(), immediate: true },
    });
  }
}

/**
 * A `customer.subscription.updated` whose previous_attributes name only metadata changed nothing
 * Billfold mirrors: it must not rewrite the period or the plan from a copy that may be stale.
 */
export function isMetadataOnlyUpdate(previousAttributes: object | undefined): boolean {
  if (!previousAttributes) return false;
  const changed = Object.keys(previousAttributes);
  return changed.length > 0 && changed.every((key) => key === "metadata");
}

/**
 * Links a user to the Stripe customer of a subscription Checkout they completed, when they have none
 * yet, and wakes the events that waited for it. Returns the user id, or null when the session is not
 * for one of our users or the customer belongs to someone else.
 */
export async function linkCheckoutCustomer(tx: Tx, session: Stripe.Checkout.Session): Promise<string | null> {
  const userId = session.client_reference_id;
  const customerId = stripeId(session.customer);
  if (!userId || !customerId) return null;
  const user = await tx.user.findUnique({ where: { id: userId } });
  if (!user) return null;
  if (user.stripeCustomerId && user.stripeCustomerId !== customerId) return null;
  if (!user.stripeCustomerId) {
    const holder = await tx.user.findUnique({ where: { stripeCustomerId: customerId } });
    if (holder) return null;
    await tx.user.update({ where: { id: user.id }, data: { stripeCustomerId: customerId } });
  }
  await wakeEventsAwaiting(tx, [customerId]);
  return user.id;
}
