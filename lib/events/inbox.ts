import type { WebhookEvent } from "../generated/prisma/client";
import { db, Prisma, type Tx } from "../core/db";
import { emailsQueuedIn } from "../email";
import { log } from "../core/log";
import { eventsWokenIn, UnmatchedEventError } from "./awaiting";
import { acceptWithFastPath } from "./fast-path";
import { claimableCondition, dueUnmatchedCondition, isFinished } from "./status";
import type { EventRunner, InboxEvent } from "./types";

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
 * Stores a verified event, unclaimed. A redelivery (same Stripe event id) inserts nothing and
 * returns the row already stored, whatever its status. `rawBody` is the payload as Stripe sent it,
 * stored without serialising the parsed event again.
 */
export async function recordEvent(event: InboxEvent, rawBody = JSON.stringify(event)): Promise<{ row: WebhookEvent; duplicate: boolean }> {
  const inserted = await db().$queryRaw<WebhookEvent[]>`
    INSERT INTO "WebhookEvent" ("id", "stripeEventId", "type", "payload", "status", "attempts", "receivedAt")
    VALUES (gen_random_uuid()::text, ${event.id}, ${event.type}, ${rawBody}::jsonb, 'received', 0, now())
    ON CONFLICT ("stripeEventId") DO NOTHING
    RETURNING *`;
  const row = inserted[0];
  if (row) return { row, duplicate: false };
  return { row: await db().webhookEvent.findUniqueOrThrow({ where: { stripeEventId: event.id } }), duplicate: true };
}

/** What taking an event means, for one event here and for the sweeper's batch: the same SET either way. */
export const CLAIM_ASSIGNMENTS = Prisma.sql`"status" = 'processing', "attempts" = "attempts" + 1, "lockedAt" = now(), "nextAttemptAt" = NULL`;

/**
 * Takes the event for this worker when it is claimable (see ./status). One UPDATE decides, so of any number of concurrent callers exactly one gets the row
 * (with `attempts` counting this attempt); the others get null.
 */
export async function claimEvent(id: string): Promise<WebhookEvent | null> {
  const claimed = await db().$queryRaw<WebhookEvent[]>`
    UPDATE "WebhookEvent"
    SET ${CLAIM_ASSIGNMENTS}
    WHERE "id" = ${id}
      AND ${claimableCondition()}
    RETURNING *`;
  return claimed[0] ?? null;
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

/** Thrown when the event is no longer this worker's (another took it, or finished it): our effects must not commit. */
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
    return tx.$queryRaw<WebhookEvent[]>`
      UPDATE "WebhookEvent"
      SET ${CLAIM_ASSIGNMENTS}
      WHERE "id" = ANY(${ids})
      RETURNING *`;
  });
}

export interface ProcessOptions<E extends InboxEvent = InboxEvent> {
  /** Run the unmatched events this event's commit woke, right after it (default true; false inside that follow-up). */
  runWoken?: boolean;
  /** The event as the route verified it, so the stored payload need not be parsed again. */
  event?: E;
  /**
   * Called instead of the runner's emailsQueued when the commit queued emails (a top-up's receipt),
   * for a caller that hands them on itself once it has answered (the webhook route).
   */
  onEmailsQueued?: () => void;
}

/**
 * How a run fences its event, which decides the WHERE of every mark it writes:
 * - claimed: a committed claim (`processing`, this attempt already counted); the attempt number is
 *   the fencing token, so a worker whose stale claim was taken over cannot commit;
 * - in the commit: not claimed beforehand; the transaction that applies the effects takes the row
 *   (locks it and marks it `processed`) first, and only if it is still claimable. Nothing is held
 *   outside that transaction, so a crash or a lost connection leaves the event claimable at once.
 */
interface Fence {
  condition: Prisma.Sql;
  /** The attempts count after this attempt. */
  attempts: Prisma.Sql;
  attemptNumber: number;
  claimed: boolean;
}

function fenceOf(row: WebhookEvent, claimed: boolean): Fence {
  return claimed
    ? { claimed, condition: Prisma.sql`"id" = ${row.id} AND "status" = 'processing' AND "attempts" = ${row.attempts}`, attempts: Prisma.sql`"attempts"`, attemptNumber: row.attempts }
    : { claimed, condition: Prisma.sql`"id" = ${row.id} AND ${claimableCondition()}`, attempts: Prisma.sql`"attempts" + 1`, attemptNumber: row.attempts + 1 };
}

type Marker = Pick<Tx, "$executeRaw">;

/** Writes the event's status for this attempt; false when the event is no longer ours to mark. */
async function markEvent(client: Marker, fence: Fence, assignments: Prisma.Sql): Promise<boolean> {
  const marked = await client.$executeRaw`UPDATE "WebhookEvent" SET "attempts" = ${fence.attempts}, "lockedAt" = NULL, ${assignments} WHERE ${fence.condition}`;
  return marked === 1;
}

const PROCESSED = Prisma.sql`"status" = 'processed', "processedAt" = now(), "lastError" = NULL, "nextAttemptAt" = NULL, "awaitingReferences" = '{}'`;
const IGNORED = Prisma.sql`"status" = 'ignored', "processedAt" = now()`;

/**
 * Runs a claimed event's handler (see Fence). Its effects and the `processed` mark commit together.
 * When the handler cannot match the event yet (UnmatchedEventError) it is stored `unmatched` with
 * what it waits for; on any other error `failed`. Either way it gets a retry time, or becomes `dead`
 * after the last attempt, and nothing else changes.
 */
export async function processClaimedEvent<E extends InboxEvent>(runner: EventRunner<E>, row: WebhookEvent, options: ProcessOptions<E> = {}): Promise<ProcessOutcome> {
  const outcome = await runEvent(runner, row, fenceOf(row, true), options);
  return outcome === "taken" ? "failed" : outcome;
}

/**
 * Runs a stored, unclaimed event's handler, taking the event inside the transaction that commits
 * its effects (see Fence). "taken" when another worker finished it or holds it.
 */
export async function processUnclaimedEvent<E extends InboxEvent>(runner: EventRunner<E>, row: WebhookEvent, options: ProcessOptions<E> = {}): Promise<ProcessOutcome | "taken"> {
  return runEvent(runner, row, fenceOf(row, false), options);
}

async function runEvent<E extends InboxEvent>(runner: EventRunner<E>, row: WebhookEvent, fence: Fence, options: ProcessOptions<E>): Promise<ProcessOutcome | "taken"> {
  const startedAt = Date.now();
  let outcome: ProcessOutcome;
  let committed = false;
  let ignored = false;
  let woke = false;
  let queuedEmails = false;
  try {
    const event = options.event ?? runner.parse(JSON.stringify(row.payload));
    const dispatched = await runner.dispatch(event, {
      async commit(effects) {
        if (committed || ignored) throw new Error("a webhook handler may commit only once");
        await db().$transaction(async (tx) => {
          // Marked first: the row lock makes any other worker on this event wait here, then find it taken.
          if (!(await markEvent(tx, fence, PROCESSED))) throw new LostClaimError(`event ${row.stripeEventId} is no longer this worker's`);
          await effects(tx);
          woke = eventsWokenIn(tx) > 0;
          queuedEmails = emailsQueuedIn(tx) > 0;
        });
        committed = true;
      },
      async ignore(reason) {
        if (committed || ignored) throw new Error("a webhook handler may commit only once");
        if (!(await markEvent(db(), fence, Prisma.sql`${IGNORED}, "lastError" = ${reason}, "nextAttemptAt" = NULL`))) {
          throw new LostClaimError(`event ${row.stripeEventId} is no longer this worker's`);
        }
        ignored = true;
        log.info("webhook_event_ignored", { eventId: row.stripeEventId, type: row.type, reason });
      },
    });
    if (ignored) {
      outcome = "ignored";
    } else if (dispatched === "ignored") {
      if (!(await markEvent(db(), fence, IGNORED))) throw new LostClaimError(`event ${row.stripeEventId} is no longer this worker's`);
      outcome = "ignored";
    } else if (!committed) {
      // A handler that found nothing to do still owes the event its final status.
      throw new Error(`the handler for ${row.type} returned without committing`);
    } else {
      outcome = "processed";
    }
  } catch (error) {
    if (error instanceof LostClaimError && !fence.claimed) return "taken";
    const message = describeError(error);
    const unmatched = error instanceof UnmatchedEventError;
    const nextAttemptAt = nextAttemptAfterFailure(fence.attemptNumber);
    outcome = nextAttemptAt === null ? "dead" : unmatched ? "unmatched" : "failed";
    const awaiting = unmatched ? Prisma.sql`, "awaitingReferences" = ${error.awaitingReferences}::text[]` : Prisma.empty;
    await markEvent(
      db(),
      fence,
      Prisma.sql`"status" = ${outcome}::"WebhookEventStatus", "lastError" = ${message}, "nextAttemptAt" = ${nextAttemptAt}${awaiting}`,
    );
    const logged = { eventId: row.stripeEventId, type: row.type, attempts: fence.attemptNumber, error: message };
    if (outcome === "dead") log.error("webhook_event_dead", logged);
    else log.warn(unmatched ? "webhook_event_unmatched" : "webhook_event_error", logged);
  }
  logProcessed({ ...row, attempts: fence.attemptNumber }, outcome, startedAt);
  // Only a commit that woke events pays for the extra claim: most events wake nothing.
  if (outcome === "processed" && woke && options.runWoken !== false) await runWokenEvents(runner);
  // Emails the commit queued are the email worker's, after it (what it cannot send, the cron sweep's).
  if (outcome === "processed" && queuedEmails) {
    if (options.onEmailsQueued) options.onEmailsQueued();
    else runner.emailsQueued();
  }
  return outcome;
}

function logProcessed(row: Pick<WebhookEvent, "stripeEventId" | "type" | "attempts">, outcome: ProcessOutcome, startedAt: number): void {
  log.info("webhook_event", { eventId: row.stripeEventId, type: row.type, outcome, attempts: row.attempts, durationMs: Date.now() - startedAt });
}

/**
 * Runs the unmatched events that a commit woke (made due), so a refund waiting for its payment is
 * applied as soon as the payment is, not at the sweeper's next pass. The sweeper catches any left over.
 */
async function runWokenEvents<E extends InboxEvent>(runner: EventRunner<E>): Promise<void> {
  const woken = await claimEventsWhere(dueUnmatchedCondition(), WOKEN_BATCH);
  for (const row of woken) await processClaimedEvent(runner, row, { runWoken: false });
}

export type Acceptance =
  /** Already processed or ignored, or another worker holds it: nothing to do. */
  | { outcome: "duplicate" | "in_progress" }
  /** `sendEmails` when the commit queued emails: the caller wakes the email worker once it has answered. */
  | { outcome: ProcessOutcome; sendEmails?: true }
  /** Stored and claimed; run `process` after answering (it needs a Stripe call). */
  | { outcome: "deferred"; process: () => Promise<ProcessOutcome> };

/**
 * What the webhook route does with a verified event: store it, then process it now, or hand back a
 * deferred job when its handler calls Stripe. The event is stored before this returns either way.
 * An event type with a fast path (see ./fast-path.ts) is stored and applied in one statement.
 */
export async function acceptEvent<E extends InboxEvent>(runner: EventRunner<E>, event: E, rawBody = JSON.stringify(event)): Promise<Acceptance> {
  const startedAt = Date.now();
  const fast = await acceptWithFastPath(runner, event, rawBody);
  if (fast.outcome === "processed") {
    logProcessed({ stripeEventId: event.id, type: event.type, attempts: 1 }, "processed", startedAt);
    if (fast.woken > 0) await runWokenEvents(runner);
    return fast.emailsQueued > 0 ? { outcome: "processed", sendEmails: true } : { outcome: "processed" };
  }
  if (fast.outcome === "duplicate") return { outcome: "duplicate" };
  const stored = fast.outcome === "stored" ? fast.row : (await recordEvent(event, rawBody)).row;
  if (isFinished(stored.status)) return { outcome: "duplicate" };
  if (await runner.isSlow(event)) {
    // Its handler calls Stripe, outside any transaction, after the answer: the claim must be committed first.
    const claimed = await claimEvent(stored.id);
    if (!claimed) return { outcome: "in_progress" };
    return { outcome: "deferred", process: () => processClaimedEvent(runner, claimed, { event }) };
  }
  // A redelivery of an unmatched, failed or dead event runs it again: what it waits for may be known by now.
  let sendEmails = false;
  const outcome = await processUnclaimedEvent(runner, stored, { event, onEmailsQueued: () => (sendEmails = true) });
  if (outcome === "taken") return { outcome: "in_progress" };
  return sendEmails ? { outcome, sendEmails: true } : { outcome };
}
