import { Prisma } from "../core/db";
import type { WebhookEventStatus } from "../generated/prisma/enums";

// What each stored event's status allows, written once: which events a worker may take (the claim),
// which the sweeper takes on its own (due), and which an admin may replay (the "Retry now" button
// and replayWebhookEvent both ask isReplayable). Status meanings are in prisma/schema.prisma.

/** An event in one of these states is done: a delivery of it again changes nothing (a duplicate). */
export function isFinished(status: string | null): boolean {
  return status === "processed" || status === "ignored";
}

/** A worker that has held an event this long is presumed dead, and another may take the event over. */
export const STALE_LOCK_MS = 5 * 60_000;
/** A received event younger than this is probably still being processed by the request that stored it. */
export const UNPROCESSED_GRACE_MS = 60_000;

/** Statuses an event can be claimed from at any time: by its own delivery, a redelivery, the sweeper or a replay. */
const CLAIMABLE_STATUSES = ["received", "failed", "unmatched", "dead"] as const satisfies readonly WebhookEventStatus[];
/** Statuses whose event has not finished and is not in a worker's hands. */
const WAITING_STATUSES: readonly WebhookEventStatus[] = ["failed", "unmatched", "dead"];

export interface ReplayableEvent {
  status: WebhookEventStatus;
  lockedAt: Date | null;
  receivedAt: Date;
}

/**
 * True when an admin may replay the event now: it failed, is unmatched or dead, was stored and then
 * never run, or its worker went quiet. Fresh received and processing events are still in a
 * worker's hands; processed and ignored events are finished.
 */
export function isReplayable(event: ReplayableEvent, now = Date.now()): boolean {
  if (WAITING_STATUSES.includes(event.status)) return true;
  if (event.status === "received") return event.receivedAt.getTime() < now - UNPROCESSED_GRACE_MS;
  return event.status === "processing" && event.lockedAt !== null && event.lockedAt.getTime() < now - STALE_LOCK_MS;
}

/** Events whose worker has held them for longer than STALE_LOCK_MS (presumed dead). */
export function staleProcessingCondition(now = Date.now()): Prisma.Sql {
  return Prisma.sql`("status" = 'processing' AND "lockedAt" < ${new Date(now - STALE_LOCK_MS)})`;
}

/** Events a worker may take: any claimable status, or a stale lock. */
export function claimableCondition(now = Date.now()): Prisma.Sql {
  const statuses = Prisma.join(CLAIMABLE_STATUSES.map((status) => Prisma.sql`${status}::"WebhookEventStatus"`));
  return Prisma.sql`("status" IN (${statuses}) OR ${staleProcessingCondition(now)})`;
}

/** Events the sweeper takes on its own: retries whose time has come, stale locks, and events stored but never run. */
export function dueCondition(now = Date.now()): Prisma.Sql {
  return Prisma.sql`(("status" IN ('failed', 'unmatched') AND "nextAttemptAt" <= now())
    OR ${staleProcessingCondition(now)}
    OR ("status" = 'received' AND "receivedAt" < ${new Date(now - UNPROCESSED_GRACE_MS)}))`;
}

/** Unmatched events that were woken (made due) because what they wait for has appeared. */
export function dueUnmatchedCondition(): Prisma.Sql {
  return Prisma.sql`("status" = 'unmatched' AND "nextAttemptAt" <= now())`;
}
