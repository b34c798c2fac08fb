import type Stripe from "stripe";
import type { WebhookEvent } from "../generated/prisma/client";
import { db, withPgTransaction } from "../db";
import { log } from "../log";
import { fastPathFor } from "./dispatch";

// The hot path: an event whose handler can apply it in plain SQL (a paid top-up) is stored, applied
// and marked processed in ONE transaction on a plain `pg` connection: two or three statements and
// one commit, where the general path needs an insert, a claim and a Prisma transaction (three
// commits). Stripe still gets its 2xx only after the commit, so the event is durable before the
// answer, and its effects commit with its `processed` mark or not at all.
//
// Anything unusual leaves the fast path without harm:
// - the handler finds a case it does not settle (no purchase yet, already paid, a mismatch): the
//   event commits stored and claimed, and the general path runs it (`handed_over`);
// - any error (a duplicate ledger key that a racing event wrote first, a lost connection): the
//   transaction rolls back whole, nothing is stored, and the general path starts from scratch.

export type FastPathResult =
  /** Not a fast-path event, or the fast path failed and rolled back: the general path stores and runs it. */
  | { outcome: "not_taken" }
  /** Already stored (a redelivery): nothing was written. */
  | { outcome: "redelivery" }
  /** Stored and claimed by this worker, not applied: the general path runs it. */
  | { outcome: "handed_over"; row: WebhookEvent }
  | { outcome: "processed"; woken: number };

const STORE_CLAIMED = `
  INSERT INTO "WebhookEvent" ("id", "stripeEventId", "type", "payload", "status", "attempts", "lockedAt", "receivedAt")
  VALUES (gen_random_uuid()::text, $1, $2, $3::jsonb, 'processing', 1, now(), now())
  ON CONFLICT ("stripeEventId") DO NOTHING
  RETURNING "id"`;

const MARK_PROCESSED = `
  UPDATE "WebhookEvent" SET "status" = 'processed', "processedAt" = now(), "lockedAt" = NULL
  WHERE "id" = $1`;

type Attempt = { outcome: "redelivery" } | { outcome: "handed_over"; id: string } | { outcome: "processed"; woken: number };

export async function acceptWithFastPath(event: Stripe.Event, rawBody: string): Promise<FastPathResult> {
  const apply = fastPathFor(event);
  if (!apply) return { outcome: "not_taken" };
  let attempt: Attempt;
  try {
    attempt = await withPgTransaction<Attempt>(async (client) => {
      const stored = await client.query<{ id: string }>({ name: "webhook_store_claimed", text: STORE_CLAIMED, values: [event.id, event.type, rawBody] });
      const id = stored.rows[0]?.id;
      if (!id) return { outcome: "redelivery" };
      const applied = await apply(client);
      if (applied.outcome === "not_applied") return { outcome: "handed_over", id };
      await client.query({ name: "webhook_mark_processed", text: MARK_PROCESSED, values: [id] });
      return { outcome: "processed", woken: applied.woken };
    });
  } catch (error) {
    // The SQLSTATE (23505 for a taken ledger key) says why; messages can hold payload values.
    const code = error instanceof Error && "code" in error && typeof error.code === "string" ? error.code : undefined;
    log.warn("webhook_fast_path_rolled_back", { eventId: event.id, type: event.type, error: code ?? (error instanceof Error ? error.name : "Error") });
    return { outcome: "not_taken" };
  }
  if (attempt.outcome !== "handed_over") return attempt;
  return { outcome: "handed_over", row: await db().webhookEvent.findUniqueOrThrow({ where: { id: attempt.id } }) };
}
