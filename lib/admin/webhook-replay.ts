import { recordAdminAction, type AuditActor } from "./audit";
import { webhookEventWhere, type WebhookEventFilter } from "./webhook-events";
import { ConflictError, NotFoundError } from "../core/errors";
import { db } from "../core/db";
import type { WebhookEvent } from "../generated/prisma/client";
import type { WebhookEventStatus } from "../generated/prisma/enums";
import { log } from "../core/log";
import { claimEvent, isReplayable, type ProcessOutcome } from "../events";
import { processClaimedEvent } from "../stripe-events";

// An admin's "replay now" for stored events: the same claim the sweeper uses, so a replay never runs
// alongside another worker, and the same handlers, whose ledger keys make every effect apply at most
// once however often an event runs. Each replay is audited with its outcome, after it ran: the
// outcome is what the entry is for, and a claimed event that is never marked stays claimable, so
// nothing is lost if the process dies in between (the next replay writes its own entry).

export interface ReplayResult {
  id: string;
  stripeEventId: string;
  outcome: ProcessOutcome;
}

async function runClaimed(admin: AuditActor, claimed: WebhookEvent, bulk?: WebhookEventFilter): Promise<ReplayResult> {
  log.info("webhook_event_replayed", { eventId: claimed.stripeEventId, adminId: admin.id });
  const outcome = await processClaimedEvent(claimed);
  await recordAdminAction(db(), admin, {
    action: "REPLAY",
    targetType: "webhook_event",
    targetId: claimed.id,
    details: {
      stripeEventId: claimed.stripeEventId,
      type: claimed.type,
      outcome,
      ...(bulk ? { bulk: true, filter: { type: bulk.type ?? null } } : {}),
    },
  });
  return { id: claimed.id, stripeEventId: claimed.stripeEventId, outcome };
}

/**
 * Replays one stored event that failed, is unmatched or dead, or never ran (see isReplayable).
 * 404 for an unknown id; 409 when the event is finished (processed, ignored) or in a worker's hands,
 * so a second replay of a processed event is refused and changes nothing.
 */
export async function replayWebhookEvent(id: string, admin: AuditActor): Promise<ReplayResult> {
  const event = await db().webhookEvent.findUnique({
    where: { id },
    select: { id: true, status: true, stripeEventId: true, lockedAt: true, receivedAt: true },
  });
  if (!event) throw new NotFoundError("No such webhook event.");
  const claimed = isReplayable(event) ? await claimEvent(id) : null;
  if (!claimed) {
    throw new ConflictError("not_retryable", `This event is ${event.status}; only failed, unmatched, dead or unprocessed events can be replayed.`);
  }
  return runClaimed(admin, claimed);
}

/** What "Replay all failed" takes: failed and dead events. Unmatched ones wait for their payment, which a replay cannot bring. */
export const BULK_REPLAY_STATUSES = ["failed", "dead"] as const satisfies readonly WebhookEventStatus[];
/** Events replayed per click, so one request stays well inside a request timeout. */
export const BULK_REPLAY_LIMIT = 200;

export interface BulkReplayResult {
  results: ReplayResult[];
  /** Matched but taken by another worker between the selection and the claim (the sweeper, a redelivery). */
  skipped: number;
  /** Failed or dead events of the filter still left after this batch (those that failed again included). */
  remaining: number;
}

/**
 * Replays the failed and dead events of a type filter (the status filter does not narrow it: the
 * button says what it takes), oldest first, one by one through the same claim as a single replay.
 * At most `limit` per call; `remaining` says how many are left for the next.
 */
export async function replayFailedWebhookEvents(filter: Pick<WebhookEventFilter, "type">, admin: AuditActor, limit = BULK_REPLAY_LIMIT): Promise<BulkReplayResult> {
  const where = { ...webhookEventWhere({ type: filter.type, hideIgnored: false }), status: { in: [...BULK_REPLAY_STATUSES] } };
  const batch = await db().webhookEvent.findMany({ where, orderBy: [{ receivedAt: "asc" }, { id: "asc" }], take: limit, select: { id: true } });
  const results: ReplayResult[] = [];
  let skipped = 0;
  for (const { id } of batch) {
    const claimed = await claimEvent(id);
    if (!claimed) {
      skipped += 1;
      continue;
    }
    results.push(await runClaimed(admin, claimed, { type: filter.type, hideIgnored: false }));
  }
  const remaining = await db().webhookEvent.count({ where });
  return { results, skipped, remaining };
}

/** How many events "Replay all failed" would take for this type filter (failed and dead ones are few; their status index counts them). */
export function countBulkReplayable(filter: Pick<WebhookEventFilter, "type">): Promise<number> {
  return db().webhookEvent.count({ where: { ...webhookEventWhere({ type: filter.type, hideIgnored: false }), status: { in: [...BULK_REPLAY_STATUSES] } } });
}
