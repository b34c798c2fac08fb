import { recordAdminAction, type AuditActor } from "../admin";
import { db, type Prisma } from "../core/db";
import { log } from "../core/log";
import { assertEventModeMatchesKey } from "../stripe";
import { listEvents } from "../stripe";
import { acceptEvent, type ProcessOutcome } from "../stripe-events";
import { handledEventTypes } from "../stripe-events";
import { fromStripe, type ReconcileRange } from "./reconcile";

// Backfill: events Stripe created but never delivered (an endpoint down for longer than Stripe
// retries, a misconfigured secret, a dropped delivery) are fetched from GET /v1/events and put
// through the same inbox as a delivered webhook (acceptEvent). Exactly-once holds as it does for a
// redelivery: an event already stored is not stored again (stripeEventId is unique), one already
// processed or ignored does nothing, and every effect has its ledger idempotency key.
//
// An event that is stored but failed or unmatched is run again, as a redelivery from Stripe would
// run it (what it waited for may be known by now); it keeps its retry schedule if it fails again.

export interface BackfillCounts {
  /** Events of the handled types that Stripe lists in the range. */
  fetched: number;
  /** Of those, events the inbox had never seen. */
  stored: number;
  /** Already stored and settled (processed or ignored), or being processed right now: nothing done. */
  duplicates: number;
  /** Applied now (new events, and stored ones that had failed or were unmatched). */
  processed: number;
  /** Stored ones that had failed or were unmatched, run again. */
  retried: number;
  /** Still waiting for the purchase or payment they name (the sweeper retries them). */
  unmatched: number;
  /** Failed (or dead after the last attempt): see /admin/webhooks. */
  failed: number;
}

/** Who ran the backfill, for the audit log: an admin, or the cron script as a system actor. */
export const SYSTEM_ACTOR: AuditActor = { id: "system:reconcile", email: "system (npm run reconcile)" };

function emptyCounts(): BackfillCounts {
  return { fetched: 0, stored: 0, duplicates: 0, processed: 0, retried: 0, unmatched: 0, failed: 0 };
}

function count(counts: BackfillCounts, outcome: ProcessOutcome | "duplicate" | "in_progress"): void {
  if (outcome === "duplicate" || outcome === "in_progress") counts.duplicates++;
  else if (outcome === "processed") counts.processed++;
  else if (outcome === "unmatched") counts.unmatched++;
  else if (outcome === "failed" || outcome === "dead") counts.failed++;
  // "ignored" cannot happen for a handled type; it changes nothing either way.
}

export function rangeTarget(range: ReconcileRange): string {
  return `${range.from.toISOString()}..${range.to.toISOString()}`;
}

/**
 * Fetches the range's events of every handled type, oldest first, and runs each through the inbox.
 * Audited (action BACKFILL) with the counts, also when it stops part-way (with the error).
 */
export async function backfillEvents(range: ReconcileRange, actor: AuditActor): Promise<BackfillCounts> {
  const counts = emptyCounts();
  let failure: string | null = null;
  try {
    const events = await fromStripe(listEvents(range, handledEventTypes()));
    counts.fetched = events.length;
    const known = await db().webhookEvent.findMany({ where: { stripeEventId: { in: events.map((event) => event.id) } }, select: { stripeEventId: true } });
    const stored = new Set(known.map((row) => row.stripeEventId));
    for (const event of events) {
      // Listed with our own key, so no signature to check; the mode must still match, as for a delivery.
      assertEventModeMatchesKey(event);
      const isNew = !stored.has(event.id);
      if (isNew) counts.stored++;
      const accepted = await acceptEvent(event);
      const outcome = accepted.outcome === "deferred" ? await accepted.process() : accepted.outcome;
      if (!isNew && outcome !== "duplicate" && outcome !== "in_progress") counts.retried++;
      count(counts, outcome);
    }
    return counts;
  } catch (error) {
    failure = error instanceof Error ? error.message : String(error);
    throw error;
  } finally {
    const details: Prisma.InputJsonObject = { ...counts, ...(failure ? { error: failure.slice(0, 500) } : {}) };
    log.info("backfill", { actor: actor.email, range: rangeTarget(range), ...counts, error: failure });
    await db().$transaction((tx) => recordAdminAction(tx, actor, { action: "BACKFILL", targetType: "reconciliation", targetId: rangeTarget(range), details }));
  }
}
