import type { Tx } from "../core/db";
import type { NotYetKnownError } from "../core/errors";

// Unmatched events wait for references: Stripe ids (session, PaymentIntent, charge) and Billfold
// purchase ids. When the purchase lifecycle learns one (a session id saved, a payment settled, a
// charge noted), it wakes the events waiting for it: they become due now, and the inbox runs them
// right after the transaction that woke them commits (see processClaimedEvent in ./inbox.ts), or the sweeper does.

type WakingTx = Pick<Tx, "$executeRaw">;

/** How many events each transaction woke, so the inbox runs woken events only after a commit that woke some. */
const wokenByTransaction = new WeakMap<WakingTx, number>();

/**
 * Makes unmatched events that wait for any of these references due now; returns how many. (The
 * webhook fast path, lib/payments/purchases/one-statement-settlement.ts, does the same in its own statement.)
 */
export async function wakeEventsAwaiting(tx: WakingTx, references: ReadonlyArray<string | null | undefined>): Promise<number> {
  const known = references.filter((reference): reference is string => Boolean(reference));
  if (known.length === 0) return 0;
  const woken = await tx.$executeRaw`
    UPDATE "WebhookEvent" SET "nextAttemptAt" = now()
    WHERE "status" = 'unmatched' AND "awaitingReferences" && ${known}::text[]`;
  wokenByTransaction.set(tx, (wokenByTransaction.get(tx) ?? 0) + woken);
  return woken;
}

/** How many unmatched events this transaction has woken so far. */
export function eventsWokenIn(tx: WakingTx): number {
  return wokenByTransaction.get(tx) ?? 0;
}

/**
 * An event that is Billfold's but names what is not known yet: the inbox stores it as `unmatched`,
 * waiting for these references, and retries it. The integration raises it from the domain's
 * NotYetKnownError (lib/core/errors.ts), which carries the same message and references.
 */
export class UnmatchedEventError extends Error {
  override readonly name = "UnmatchedEventError";
  readonly awaitingReferences: string[];

  constructor(cause: NotYetKnownError) {
    super(cause.message);
    this.awaitingReferences = cause.references;
  }
}
