import { db } from "../db";
import { env } from "../env";
import { ConflictError } from "../errors";
import { debit } from "../ledger";

/** What the wallet page's demo button spends: £0.50 in GBP, 50 minor units in any currency. */
export const DEMO_SPEND_MINOR = 50;

export interface SpendCreditsOptions {
  amountMinor: number;
  description: string;
  /** The caller's key: the same key always means the same spend. */
  idempotencyKey: string;
}

export interface SpendResult {
  entryId: string;
  balanceMinor: number;
  currency: string;
  /** True when this key had already been spent and nothing new was debited. */
  replayed: boolean;
}

/** Debits the user's wallet once per idempotency key; throws InsufficientFundsError (402) when it can't. */
export async function spendCredits(userId: string, options: SpendCreditsOptions): Promise<SpendResult> {
  const currency = env().BILLFOLD_CURRENCY;
  // Scoped to the user, so one user's key can never collide with (or reveal) another's.
  const idempotencyKey = `usage:${userId}:${options.idempotencyKey}`;
  const result = await db().$transaction((tx) =>
    debit(tx, { userId, currency, amountMinor: options.amountMinor, type: "USAGE", idempotencyKey, description: options.description }),
  );
  if (!result.applied && result.entry.amountMinor !== -options.amountMinor) {
    throw new ConflictError("idempotency_key_reused", "This idempotency key was already used for a different amount.");
  }
  return { entryId: result.entry.id, balanceMinor: result.entry.balanceAfterMinor, currency, replayed: !result.applied };
}
