import { claimEventsWhere, processClaimedEvent, type ProcessOutcome } from "./inbox";
import { dueCondition } from "./status";
import type { EventRunner, InboxEvent } from "./types";

// Re-runs events that failed or were unmatched (once their backoff is due, or at once when woken),
// that a dead worker left in processing, or that were stored but never processed (the process died
// before or during `after()`). Schedule POST /api/cron/webhooks/retry every minute (Vercel Cron, or
// any cron with curl and the CRON_SECRET bearer). Several instances may run at once: SKIP LOCKED
// hands each event to one of them.

export interface SweepResult {
  claimed: number;
  outcomes: Record<ProcessOutcome, number>;
}

/** Claims up to `limit` due events in one short transaction, then processes them one by one. */
export async function retryDueEvents<E extends InboxEvent>(runner: EventRunner<E>, { limit = 50 }: { limit?: number } = {}): Promise<SweepResult> {
  const claimed = await claimEventsWhere(dueCondition(), limit);
  const outcomes: Record<ProcessOutcome, number> = { processed: 0, ignored: 0, unmatched: 0, failed: 0, dead: 0 };
  for (const row of claimed) outcomes[await processClaimedEvent(runner, row)] += 1;
  return { claimed: claimed.length, outcomes };
}
