import type { WebhookEvent } from "../generated/prisma/client";
import { db, sqlStateOf } from "../core/db";
import { log } from "../core/log";
import { isFinished } from "./status";
import type { EventRunner, InboxEvent } from "./types";

// The hot path: an event whose handler can store and apply it in one SQL statement (a paid top-up,
// see lib/payments/purchases/one-statement-settlement.ts) costs one round trip and one commit, where the
// general path needs an insert, a claim and a Prisma transaction. Stripe still gets its 2xx only
// after that commit, so the event is durable before the answer, and its effects commit with its
// `processed` mark or not at all.
//
// Anything unusual leaves the fast path without harm:
// - the handler finds a case it does not settle (no purchase yet, already paid, a mismatch): the
//   event is stored, and the general path runs it (`stored`);
// - the statement fails (a ledger key that a racing writer took first, a lost connection): nothing
//   was written, and the general path starts from scratch (`not_taken`).

export type FastPathResult =
  /** Not a fast-path event, or its statement failed: the general path stores and runs it. */
  | { outcome: "not_taken" }
  /** A redelivery of an event already processed or ignored: nothing to do, and nothing more was read. */
  | { outcome: "duplicate" }
  /** Stored, not applied (a case its statement does not settle): the general path runs it. */
  | { outcome: "stored"; row: WebhookEvent }
  | { outcome: "processed"; woken: number; emailsQueued: number };

export async function acceptWithFastPath<E extends InboxEvent>(runner: EventRunner<E>, event: E, rawBody: string): Promise<FastPathResult> {
  let applied;
  try {
    applied = await runner.storeAndApply(event, { stripeEventId: event.id, type: event.type, rawBody });
  } catch (error) {
    // The SQLSTATE (23505 for a taken ledger key) says why; messages can hold payload values.
    log.warn("webhook_fast_path_not_taken", { eventId: event.id, type: event.type, error: sqlStateOf(error) ?? (error instanceof Error ? error.name : "Error") });
    return { outcome: "not_taken" };
  }
  if (!applied) return { outcome: "not_taken" };
  if (applied.outcome === "applied") return { outcome: "processed", woken: applied.woken, emailsQueued: applied.emailsQueued };
  // A redelivery of a finished event costs its one statement; any other needs the stored row read.
  if (applied.outcome === "redelivery" && isFinished(applied.storedStatus)) return { outcome: "duplicate" };
  // A redelivery inserted nothing (or its row was not visible yet); either way the stored row is what the general path needs.
  return { outcome: "stored", row: await db().webhookEvent.findUniqueOrThrow({ where: { stripeEventId: event.id } }) };
}
