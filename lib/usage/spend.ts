import { db } from "../db";
import { env } from "../env";
import { ConflictError } from "../errors";
import { getEffectivePlan } from "../billing/queries";
import { debit, usageKey } from "../ledger";

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

/** The user's plan's monthly spend limit, counted per calendar month (UTC); undefined when the plan has none. */
async function monthlySpendLimit(userId: string, now = new Date()) {
  const { plan } = await getEffectivePlan(userId, now);
  if (plan.monthlySpendLimitMinor === null) return undefined;
  return {
    limitMinor: plan.monthlySpendLimitMinor,
    since: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1)),
    resetsAt: new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)),
  };
}

/** Debits the user's wallet once per idempotency key; throws InsufficientFundsError (402) when it can't. */
export async function spendCredits(userId: string, options: SpendCreditsOptions): Promise<SpendResult> {
  const currency = env().BILLFOLD_CURRENCY;
  const idempotencyKey = usageKey(userId, options.idempotencyKey);
  const spendLimit = await monthlySpendLimit(userId);
  const result = await db().$transaction((tx) =>
    debit(tx, { userId, currency, amountMinor: options.amountMinor, type: "USAGE", idempotencyKey, description: options.description, spendLimit }),
  );
  if (!result.applied && result.entry.amountMinor !== -options.amountMinor) {
    throw new ConflictError("idempotency_key_reused", "This idempotency key was already used for a different amount.");
  }
  return { entryId: result.entry.id, balanceMinor: result.entry.balanceAfterMinor, currency, replayed: !result.applied };
}
