import { NotFoundError, ConflictError } from "../errors";
import { claimEvent, processEvent, type ProcessOutcome } from "./inbox";
import { db } from "../db";
import { log } from "../log";

/**
 * An admin's "retry now" for a stored event that failed (or never ran): the same claim the sweeper
 * uses, so it can never run alongside another worker, and the same handlers, so it applies at most once.
 */
export async function replayWebhookEvent(id: string, adminId: string): Promise<ProcessOutcome> {
  const event = await db().webhookEvent.findUnique({ where: { id }, select: { id: true, status: true, stripeEventId: true } });
  if (!event) throw new NotFoundError("No such webhook event.");
  const claimed = await claimEvent(id);
  if (!claimed) {
    throw new ConflictError("not_retryable", `This event is ${event.status}; only failed or unprocessed events can be retried.`);
  }
  log.info("webhook_event_replayed", { eventId: event.stripeEventId, adminId });
  return processEvent(claimed);
}
