import { db } from "../db";

export interface WebhookHealth {
  lastEventAt: string | null;
  last24h: { processed: number; ignored: number; failed: number; successRate: number | null };
  /** Failed events still waiting for a retry, and those the sweeper gave up on. */
  failed: { retrying: number; gaveUp: number };
  /** Stored but not finished: received or being processed. */
  pending: number;
}

/** Counts and times only: no payloads, ids or error messages, since the endpoint is public. */
export async function getWebhookHealth(now = new Date()): Promise<WebhookHealth> {
  const since = new Date(now.getTime() - 24 * 60 * 60_000);
  const [last, recent, retrying, gaveUp, pending] = await Promise.all([
    db().webhookEvent.findFirst({ orderBy: { receivedAt: "desc" }, select: { receivedAt: true } }),
    db().webhookEvent.groupBy({ by: ["status"], where: { receivedAt: { gte: since } }, _count: { _all: true } }),
    db().webhookEvent.count({ where: { status: "failed", nextAttemptAt: { not: null } } }),
    db().webhookEvent.count({ where: { status: "failed", nextAttemptAt: null } }),
    db().webhookEvent.count({ where: { status: { in: ["received", "processing"] } } }),
  ]);
  const countOf = (status: string) => recent.find((group) => group.status === status)?._count._all ?? 0;
  const processed = countOf("processed");
  const ignored = countOf("ignored");
  const failed = countOf("failed");
  const finished = processed + ignored + failed;
  return {
    lastEventAt: last?.receivedAt.toISOString() ?? null,
    last24h: { processed, ignored, failed, successRate: finished === 0 ? null : (processed + ignored) / finished },
    failed: { retrying, gaveUp },
    pending,
  };
}
