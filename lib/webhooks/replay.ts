import { ConflictError, NotFoundError } from "../errors";
import { db } from "../db";
import { log } from "../log";
import { claimEvent, processEvent, type ProcessOutcome } from "./inbox";
import { isReplayable } from "./status";

/**
 * An admin's "retry now" for a stored event that failed, is unmatched or dead, or never ran: the
 * same claim the sweeper uses, so it can never run alongside another worker, and the same handlers,
 * so it applies at most once.
 */
export async function replayWebhookEvent(id: string, adminId: string): Promise<ProcessOutcome> {
  const event = await db().webhookEvent.findUnique({
    where: { id },
    select: { id: true, status: true, stripeEventId: true, lockedAt: true, receivedAt: true },
  });
  if (!event) throw new NotFoundError("No such webhook event.");
  const claimed = isReplayable(event) ? await claimEvent(id) : null;
  if (!claimed) {
    throw new ConflictError("not_retryable", `This event is ${event.status}; only failed, unmatched, dead or unprocessed events can be retried.`);
  }
  log.info("webhook_event_replayed", { eventId: event.stripeEventId, adminId });
  return processEvent(claimed);
}
