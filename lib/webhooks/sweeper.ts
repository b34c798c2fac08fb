import type { WebhookEvent } from "../generated/prisma/client";
import { db } from "../db";
import { CLAIM_ASSIGNMENTS, processEvent, type ProcessOutcome } from "./inbox";
import { staleProcessingCondition } from "./status";

// Re-runs events that failed (once their backoff is due), that a dead worker left in processing,
// or that were stored but never processed (the process died before or during `after()`).
// Schedule POST /api/cron/webhooks/retry every minute (Vercel Cron, or any cron with curl and the
// CRON_SECRET bearer). Several instances may run at once: SKIP LOCKED hands each event to one of them.

/** A received event younger than this is probably still being processed by the request that stored it. */
const UNPROCESSED_GRACE_MS = 60_000;

export interface SweepResult {
  claimed: number;
  outcomes: Record<ProcessOutcome, number>;
}

/** Claims up to `limit` due events in one short transaction, then processes them one by one. */
export async function retryDueEvents({ limit = 50 }: { limit?: number } = {}): Promise<SweepResult> {
  const now = Date.now();
  const unprocessedBefore = new Date(now - UNPROCESSED_GRACE_MS);
  const claimed: WebhookEvent[] = await db().$transaction(async (tx) => {
    const due = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT "id" FROM "WebhookEvent"
      WHERE ("status" = 'failed' AND "nextAttemptAt" <= now())
         OR ${staleProcessingCondition(now)}
         OR ("status" = 'received' AND "receivedAt" < ${unprocessedBefore})
      ORDER BY COALESCE("nextAttemptAt", "receivedAt")
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`;
    const ids = due.map((row) => row.id);
    if (ids.length === 0) return [];
    await tx.$executeRaw`
      UPDATE "WebhookEvent"
      SET ${CLAIM_ASSIGNMENTS}
      WHERE "id" = ANY(${ids})`;
    return tx.webhookEvent.findMany({ where: { id: { in: ids } } });
  });
  const outcomes: Record<ProcessOutcome, number> = { processed: 0, ignored: 0, failed: 0 };
  for (const row of claimed) outcomes[await processEvent(row)] += 1;
  return { claimed: claimed.length, outcomes };
}
