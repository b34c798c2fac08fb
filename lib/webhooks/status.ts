import { Prisma } from "../db";
import type { WebhookEventStatus } from "../generated/prisma/enums";

// Which stored events a worker (the route, the sweeper or an admin's replay) may take, written once:
// the claim SQL and the admin page's "Retry now" button both follow it.

/** A worker that has held an event this long is presumed dead, and another may take the event over. */
export const STALE_LOCK_MS = 5 * 60_000;

/** Statuses an event can be taken from at any time. */
const CLAIMABLE_STATUSES = ["received", "failed"] as const satisfies readonly WebhookEventStatus[];

/** True when a worker, or an admin's replay, may take the event now. */
export function isReplayable(event: { status: WebhookEventStatus; lockedAt: Date | null }, now = Date.now()): boolean {
  if ((CLAIMABLE_STATUSES as readonly WebhookEventStatus[]).includes(event.status)) return true;
  return event.status === "processing" && event.lockedAt !== null && event.lockedAt.getTime() < now - STALE_LOCK_MS;
}

/** Events whose worker has held them for longer than STALE_LOCK_MS (presumed dead). */
export function staleProcessingCondition(now = Date.now()): Prisma.Sql {
  return Prisma.sql`("status" = 'processing' AND "lockedAt" < ${new Date(now - STALE_LOCK_MS)})`;
}

/** The SQL twin of isReplayable, for the claim's WHERE clause. */
export function replayableCondition(now = Date.now()): Prisma.Sql {
  const statuses = Prisma.join(CLAIMABLE_STATUSES.map((status) => Prisma.sql`${status}::"WebhookEventStatus"`));
  return Prisma.sql`("status" IN (${statuses}) OR ${staleProcessingCondition(now)})`;
}
