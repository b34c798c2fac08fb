import type Stripe from "stripe";
import type { WebhookEvent } from "../generated/prisma/client";
import { db, Prisma } from "../db";
import { log } from "../log";
import { parseStoredEvent } from "../stripe";
import { dispatchEvent, isSlowEvent } from "./dispatch";
import { replayableCondition } from "./status";

// The durable inbox: every verified event is stored before Stripe gets its answer, then claimed by
// exactly one worker at a time and processed; failures are retried by the sweeper with backoff.

export const MAX_ATTEMPTS = 10;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 6 * 60 * 60_000;
const MAX_ERROR_LENGTH = 500;

export type ProcessOutcome = "processed" | "ignored" | "failed";

/** When a failed attempt should be retried: 30 s, 1 min, 2 min … capped at 6 h; null once we give up. */
export function nextAttemptAfterFailure(attempts: number, now = new Date()): Date | null {
  if (attempts >= MAX_ATTEMPTS) return null;
  const delayMs = Math.min(FIRST_RETRY_MS * 2 ** Math.max(attempts - 1, 0), MAX_RETRY_MS);
  return new Date(now.getTime() + delayMs);
}

/**
 * Stores a verified event. A redelivery (same Stripe event id) inserts nothing and returns the row
 * already stored, whatever its status.
 */
export async function recordEvent(event: Stripe.Event): Promise<{ row: WebhookEvent; duplicate: boolean }> {
  const inserted = await db().$queryRaw<Array<{ id: string }>>`
    INSERT INTO "WebhookEvent" ("id", "stripeEventId", "type", "payload", "status", "attempts", "receivedAt")
    VALUES (gen_random_uuid()::text, ${event.id}, ${event.type}, ${JSON.stringify(event)}::jsonb, 'received', 0, now())
    ON CONFLICT ("stripeEventId") DO NOTHING
    RETURNING "id"`;
  const row = await db().webhookEvent.findUniqueOrThrow({ where: { stripeEventId: event.id } });
  return { row, duplicate: inserted.length === 0 };
}

/** What taking an event means, for one event here and for the sweeper's batch: the same SET either way. */
export const CLAIM_ASSIGNMENTS = Prisma.sql`"status" = 'processing', "attempts" = "attempts" + 1, "lockedAt" = now(), "nextAttemptAt" = NULL`;

/**
 * Takes the event for this worker when it is replayable (see ./status). One UPDATE decides, so of any number of concurrent callers exactly one gets the row
 * (with `attempts` counting this attempt); the others get null.
 */
export async function claimEvent(id: string): Promise<WebhookEvent | null> {
  const claimed = await db().$queryRaw<Array<{ id: string }>>`
    UPDATE "WebhookEvent"
    SET ${CLAIM_ASSIGNMENTS}
    WHERE "id" = ${id}
      AND ${replayableCondition()}
    RETURNING "id"`;
  if (claimed.length === 0) return null;
  return db().webhookEvent.findUniqueOrThrow({ where: { id } });
}

/**
 * The error's name and the last line of its message. Stacks stay out of the database, and so do the
 * argument dumps (which can hold payload values) that Prisma puts before the actual reason.
 */
function describeError(error: unknown): string {
  const name = error instanceof Error ? error.name : "Error";
  const lines = (error instanceof Error ? error.message : String(error)).split("\n").map((line) => line.trim());
  const reason = lines.filter(Boolean).at(-1) ?? "unknown error";
  return `${name}: ${reason}`.slice(0, MAX_ERROR_LENGTH);
}

/** Thrown when another worker took the event over (after our lock went stale): our effects must not commit. */
class LostClaimError extends Error {}

/**
 * Runs a claimed event's handler. Its effects and the `processed` mark commit together; on error
 * the event is marked failed with the error's message and a retry time, and nothing else changes.
 */
export async function processEvent(row: WebhookEvent): Promise<ProcessOutcome> {
  const startedAt = Date.now();
  // The attempt number is this worker's fencing token: a takeover increments it.
  const ours = { id: row.id, status: "processing" as const, attempts: row.attempts };
  let outcome: ProcessOutcome;
  let committed = false;
  try {
    const event = parseStoredEvent(JSON.stringify(row.payload));
    const dispatched = await dispatchEvent(event, {
      async commit(effects) {
        if (committed) throw new Error("a webhook handler may commit only once");
        await db().$transaction(async (tx) => {
          await effects(tx);
          const marked = await tx.webhookEvent.updateMany({
            where: ours,
            data: { status: "processed", processedAt: new Date(), lockedAt: null, lastError: null, nextAttemptAt: null },
          });
          if (marked.count !== 1) throw new LostClaimError(`event ${row.stripeEventId} was taken over by another worker`);
        });
        committed = true;
      },
    });
    if (dispatched === "ignored") {
      await db().webhookEvent.updateMany({ where: ours, data: { status: "ignored", processedAt: new Date(), lockedAt: null } });
      outcome = "ignored";
    } else if (!committed) {
      // A handler that found nothing to do still owes the event its final status.
      throw new Error(`the handler for ${row.type} returned without committing`);
    } else {
      outcome = "processed";
    }
  } catch (error) {
    const message = describeError(error);
    await db().webhookEvent.updateMany({
      where: ours,
      data: { status: "failed", lastError: message, lockedAt: null, nextAttemptAt: nextAttemptAfterFailure(row.attempts) },
    });
    outcome = "failed";
    log.warn("webhook_event_error", { eventId: row.stripeEventId, type: row.type, attempts: row.attempts, error: message });
  }
  log.info("webhook_event", {
    eventId: row.stripeEventId,
    type: row.type,
    outcome,
    attempts: row.attempts,
    durationMs: Date.now() - startedAt,
  });
  return outcome;
}

export type Acceptance =
  /** Already processed or ignored, or another worker holds it: nothing to do. */
  | { outcome: "duplicate" | "in_progress" }
  | { outcome: ProcessOutcome }
  /** Stored and claimed; run `process` after answering (it needs a Stripe call). */
  | { outcome: "deferred"; process: () => Promise<ProcessOutcome> };

/**
 * What the webhook route does with a verified event: store it, then process it now, or hand back a
 * deferred job when its handler calls Stripe. The event is stored before this returns either way.
 */
export async function acceptEvent(event: Stripe.Event): Promise<Acceptance> {
  const { row, duplicate } = await recordEvent(event);
  if (duplicate && (row.status === "processed" || row.status === "ignored")) return { outcome: "duplicate" };
  const claimed = await claimEvent(row.id);
  if (!claimed) return { outcome: "in_progress" };
  if (isSlowEvent(event)) return { outcome: "deferred", process: () => processEvent(claimed) };
  return { outcome: await processEvent(claimed) };
}
