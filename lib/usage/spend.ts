import { db } from "../db";
import { env } from "../env";
import { ConflictError } from "../errors";
import { getEffectivePlan } from "../billing/queries";
import { debit, debitUsageInOneStatement, usageKey } from "../ledger";

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

/** The user's plan's monthly spend limit (per calendar month, UTC); undefined when the plan has none. */
async function monthlySpendLimit(userId: string, now: Date) {
  const { plan } = await getEffectivePlan(userId, now);
  return plan.monthlySpendLimitMinor === null ? undefined : { limitMinor: plan.monthlySpendLimitMinor };
}

/**
 * Debits the user's wallet once per idempotency key; throws InsufficientFundsError (402) or
 * SpendLimitError (403) when it can't. The plain case is one statement; anything else (a replayed
 * key, too little money, the limit reached, no wallet yet) goes through debit(), which decides.
 */
export async function spendCredits(userId: string, options: SpendCreditsOptions): Promise<SpendResult> {
  const currency = env().BILLFOLD_CURRENCY;
  const idempotencyKey = usageKey(userId, options.idempotencyKey);
  const now = new Date();
  const spendLimit = await monthlySpendLimit(userId, now);
  const spend = { userId, currency, amountMinor: options.amountMinor, idempotencyKey, description: options.description, spendLimit, now };
  const applied = await debitUsageInOneStatement(spend);
  if (applied) return { entryId: applied.entryId, balanceMinor: applied.balanceAfterMinor, currency, replayed: false };

  const result = await db().$transaction((tx) => debit(tx, { ...spend, type: "USAGE" }));
  if (!result.applied && result.entry.amountMinor !== -options.amountMinor) {
    throw new ConflictError("idempotency_key_reused", "This idempotency key was already used for a different amount.");
  }
  return { entryId: result.entry.id, balanceMinor: result.entry.balanceAfterMinor, currency, replayed: !result.applied };
}
