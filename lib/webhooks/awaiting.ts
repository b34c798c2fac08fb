import type pg from "pg";
import type { Tx } from "../db";

// Unmatched events wait for references: Stripe ids (session, PaymentIntent, charge) and Billfold
// purchase ids. When the purchase lifecycle learns one (a session id saved, a payment settled, a
// charge noted), it wakes the events waiting for it: they become due now, and the inbox runs them
// right after the transaction that woke them commits (see processEvent), or the sweeper does.

type WakingTx = Pick<Tx, "$executeRawUnsafe">;

/** How many events each transaction woke, so the inbox runs woken events only after a commit that woke some. */
const wokenByTransaction = new WeakMap<WakingTx, number>();

const WAKE_EVENTS_AWAITING = `
  UPDATE "WebhookEvent" SET "nextAttemptAt" = now()
  WHERE "status" = 'unmatched' AND "awaitingReferences" && $1::text[]`;

function knownReferences(references: ReadonlyArray<string | null | undefined>): string[] {
  return references.filter((reference): reference is string => Boolean(reference));
}

/** Makes unmatched events that wait for any of these references due now; returns how many. */
export async function wakeEventsAwaiting(tx: WakingTx, references: ReadonlyArray<string | null | undefined>): Promise<number> {
  const known = knownReferences(references);
  if (known.length === 0) return 0;
  const woken = await tx.$executeRawUnsafe(WAKE_EVENTS_AWAITING, known);
  wokenByTransaction.set(tx, (wokenByTransaction.get(tx) ?? 0) + woken);
  return woken;
}

/** The same, on a plain `pg` connection inside the caller's transaction (the webhook fast path). */
export async function wakeEventsAwaitingWithPlainSql(client: pg.ClientBase, references: ReadonlyArray<string | null | undefined>): Promise<number> {
  const known = knownReferences(references);
  if (known.length === 0) return 0;
  const result = await client.query({ name: "wake_events_awaiting", text: WAKE_EVENTS_AWAITING, values: [known] });
  return result.rowCount ?? 0;
}

/** How many unmatched events this transaction has woken so far. */
export function eventsWokenIn(tx: WakingTx): number {
  return wokenByTransaction.get(tx) ?? 0;
}

/**
 * Thrown by a domain function when an event is Billfold's but what it names is not known yet (a
 * refund whose payment has not been applied, a payment for a purchase whose session id is not saved).
 * The inbox stores the event as `unmatched`, waiting for these references, and retries it.
 */
export class UnmatchedEventError extends Error {
  override readonly name = "UnmatchedEventError";
  readonly awaitingReferences: string[];

  constructor(what: string, references: ReadonlyArray<string | null | undefined>) {
    const known = [...new Set(references.filter((reference): reference is string => Boolean(reference)))];
    super(`${what}; waiting for ${known.join(", ") || "a reference"}`);
    this.awaitingReferences = known;
  }
}
