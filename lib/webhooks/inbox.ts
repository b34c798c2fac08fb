import type Stripe from "stripe";
import type { WebhookEvent } from "../generated/prisma/client";
import { db, Prisma } from "../db";
import { log } from "../log";
import { parseStoredEvent } from "../stripe";
import { eventsWokenIn, UnmatchedEventError } from "./awaiting";
import { dispatchEvent, isSlowEvent } from "./dispatch";
import { claimableCondition, dueUnmatchedCondition } from "./status";

// The durable inbox: every verified event is stored before Stripe gets its answer, then claimed by
// exactly one worker at a time and processed. Failed and unmatched events are retried by the
// sweeper with backoff; after the last attempt they are dead, for an admin to replay.

export const MAX_ATTEMPTS = 10;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 6 * 60 * 60_000;
const MAX_ERROR_LENGTH = 500;

export type ProcessOutcome = "processed" | "ignored" | "unmatched" | "failed" | "dead";
/** Woken unmatched events run right after the commit that woke them, at most this many at a time. */
const WOKEN_BATCH = 10;

/** When a failed or unmatched attempt should be retried: 30 s, 1 min, 2 min … capped at 6 h; null once we give up. */
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
 * Takes the event for this worker when it is claimable (see ./status). One UPDATE decides, so of any number of concurrent callers exactly one gets the row
 * (with `attempts` counting this attempt); the others get null.
 */
export async function claimEvent(id: string): Promise<WebhookEvent | null> {
  const claimed = await db().$queryRaw<Array<{ id: string }>>`
    UPDATE "WebhookEvent"
    SET ${CLAIM_ASSIGNMENTS}
    WHERE "id" = ${id}
      AND ${claimableCondition()}
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
 * Claims up to `limit` events matching `condition` in one short transaction (SKIP LOCKED, so
 * concurrent sweepers share the work), for the caller to process one by one.
 */
export async function claimEventsWhere(condition: Prisma.Sql, limit: number): Promise<WebhookEvent[]> {
  return db().$transaction(async (tx) => {
    const due = await tx.$queryRaw<Array<{ id: string }>>`
      SELECT "id" FROM "WebhookEvent"
      WHERE ${condition}
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
}

export interface ProcessOptions {
  /** Run the unmatched events this event's commit woke, right after it (default true; false inside that follow-up). */
  runWoken?: boolean;
}

/**
 * Runs a claimed event's handler. Its effects and the `processed` mark commit together. When the
 * handler cannot match the event yet (UnmatchedEventError) it is stored `unmatched` with what it
 * waits for; on any other error `failed`. Either way it gets a retry time, or becomes `dead` after
 * the last attempt, and nothing else changes.
 */
export async function processEvent(row: WebhookEvent, options: ProcessOptions = {}): Promise<ProcessOutcome> {
  const startedAt = Date.now();
  // The attempt number is this worker's fencing token: a takeover increments it.
  const ours = { id: row.id, status: "processing" as const, attempts: row.attempts };
  let outcome: ProcessOutcome;
  let committed = false;
  let woke = false;
  try {
    const event = parseStoredEvent(JSON.stringify(row.payload));
    const dispatched = await dispatchEvent(event, {
      async commit(effects) {
        if (committed) throw new Error("a webhook handler may commit only once");
        await db().$transaction(async (tx) => {
          await effects(tx);
          const marked = await tx.webhookEvent.updateMany({
            where: ours,
            data: { status: "processed", processedAt: new Date(), lockedAt: null, lastError: null, nextAttemptAt: null, awaitingReferences: [] },
          });
          if (marked.count !== 1) throw new LostClaimError(`event ${row.stripeEventId} was taken over by another worker`);
          woke = eventsWokenIn(tx) > 0;
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
    const unmatched = error instanceof UnmatchedEventError;
    const nextAttemptAt = nextAttemptAfterFailure(row.attempts);
    outcome = nextAttemptAt === null ? "dead" : unmatched ? "unmatched" : "failed";
    await db().webhookEvent.updateMany({
      where: ours,
      data: {
        status: outcome,
        lastError: message,
        lockedAt: null,
        nextAttemptAt,
        ...(unmatched ? { awaitingReferences: error.awaitingReferences } : {}),
      },
    });
    const logged = { eventId: row.stripeEventId, type: row.type, attempts: row.attempts, error: message };
    if (outcome === "dead") log.error("webhook_event_dead", logged);
    else log.warn(unmatched ? "webhook_event_unmatched" : "webhook_event_error", logged);
  }
  log.info("webhook_event", {
    eventId: row.stripeEventId,
    type: row.type,
    outcome,
    attempts: row.attempts,
    durationMs: Date.now() - startedAt,
  });
  // Only a commit that woke events pays for the extra claim: most events wake nothing.
  if (outcome === "processed" && woke && options.runWoken !== false) await runWokenEvents();
  return outcome;
}

/**
 * Runs the unmatched events that a commit woke (made due), so a refund waiting for its payment is
 * applied as soon as the payment is, not at the sweeper's next pass. The sweeper catches any left over.
 */
async function runWokenEvents(): Promise<void> {
  const woken = await claimEventsWhere(dueUnmatchedCondition(), WOKEN_BATCH);
  for (const row of woken) await processEvent(row, { runWoken: false });
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
  // A redelivery of an unmatched, failed or dead event runs it again: what it waits for may be known by now.
  const claimed = await claimEvent(row.id);
  if (!claimed) return { outcome: "in_progress" };
  if (await isSlowEvent(event)) return { outcome: "deferred", process: () => processEvent(claimed) };
  return { outcome: await processEvent(claimed) };
}
