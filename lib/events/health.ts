import { db } from "../core/db";
import { WebhookEventStatus } from "../generated/prisma/enums";

/** An event unmatched for longer than this makes the inbox degraded: its payment should have arrived long ago. */
export const UNMATCHED_ALERT_MS = 60 * 60_000;

export interface WebhookHealth {
  /** "degraded" while any event is dead, or unmatched for longer than UNMATCHED_ALERT_MS. */
  status: "ok" | "degraded";
  lastEventAt: string | null;
  last24h: { processed: number; ignored: number; unmatched: number; failed: number; dead: number; successRate: number | null };
  /** Failed events waiting for their next attempt. */
  failed: number;
  /** Unmatched events waiting for their purchase or payment; `overdue` have waited past the alert threshold. */
  unmatched: { waiting: number; overdue: number };
  /** Events that used their last attempt (failed or unmatched): they wait for an admin. */
  dead: number;
  /** Stored but not finished: received or being processed. */
  pending: number;
}

/** Processed and ignored events out of every finished one (received and processing are not finished yet); null with none finished. */
export function successRateOf(counts: { processed: number; ignored: number; unmatched: number; failed: number; dead: number }): number | null {
  const succeeded = counts.processed + counts.ignored;
  const finished = succeeded + counts.unmatched + counts.failed + counts.dead;
  return finished === 0 ? null : succeeded / finished;
}

/** Events received from `since` (up to `until`, when given), counted by status: every status, 0 when none. */
export async function countEventsByStatus(range: { since: Date; until?: Date }): Promise<Record<WebhookEventStatus, number>> {
  const rows = await db().webhookEvent.groupBy({
    by: ["status"],
    where: { receivedAt: { gte: range.since, ...(range.until ? { lte: range.until } : {}) } },
    _count: { _all: true },
  });
  const counts = Object.fromEntries(Object.values(WebhookEventStatus).map((status) => [status, 0])) as Record<WebhookEventStatus, number>;
  for (const row of rows) counts[row.status] = row._count._all;
  return counts;
}

/** Counts and times only: no payloads, ids or error messages, since the endpoint is public. */
export async function getWebhookHealth(now = new Date()): Promise<WebhookHealth> {
  const since = new Date(now.getTime() - 24 * 60 * 60_000);
  const [last, recent, failed, unmatched, overdue, dead, pending] = await Promise.all([
    db().webhookEvent.findFirst({ orderBy: { receivedAt: "desc" }, select: { receivedAt: true } }),
    countEventsByStatus({ since }),
    db().webhookEvent.count({ where: { status: "failed" } }),
    db().webhookEvent.count({ where: { status: "unmatched" } }),
    db().webhookEvent.count({ where: { status: "unmatched", receivedAt: { lt: new Date(now.getTime() - UNMATCHED_ALERT_MS) } } }),
    db().webhookEvent.count({ where: { status: "dead" } }),
    db().webhookEvent.count({ where: { status: { in: ["received", "processing"] } } }),
  ]);
  const last24h = { processed: recent.processed, ignored: recent.ignored, unmatched: recent.unmatched, failed: recent.failed, dead: recent.dead };
  return {
    status: dead > 0 || overdue > 0 ? "degraded" : "ok",
    lastEventAt: last?.receivedAt.toISOString() ?? null,
    last24h: { ...last24h, successRate: successRateOf(last24h) },
    failed,
    unmatched: { waiting: unmatched, overdue },
    dead,
    pending,
  };
}
