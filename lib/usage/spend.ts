import { db, type Tx } from "../core/db";
import { emailsQueuedIn } from "../email";
import { wakeEmailWorker } from "../payments/receipts";
import { env } from "../core/env";
import { ConflictError } from "../core/errors";
import { getEffectivePlan, planCapTerms } from "../billing";
import { afterResponse } from "../core/http/after-response";
import { rechargesQueuedIn, usageDebitInOneStatement, usageKey } from "../ledger";
import { demoSpendAllowed } from "../core/production-guards";
import { startPendingRecharges } from "../payments/recharges";

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

/**
 * Runs a reservation or commit in one transaction, then what it set off: the low-balance email it
 * queued is left to the email worker (lib/email/worker.ts; the cron sweep is the backstop), and the
 * auto-recharge it queued starts once the response has gone (or, outside a request, before this
 * returns; left pending for the credit sweep if it fails).
 */
export async function usageTransaction<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  const { result, emailsQueued, rechargeUsers } = await db().$transaction(async (tx) => {
    const result = await work(tx);
    return { result, emailsQueued: emailsQueuedIn(tx) > 0, rechargeUsers: rechargesQueuedIn(tx) };
  });
  if (emailsQueued) wakeEmailWorker();
  for (const userId of rechargeUsers) await afterResponse(() => startPendingRecharges({ userId }));
  return result;
}

/** The user's plan's monthly spend limit (per calendar month, UTC); undefined when the plan has none. */
export async function monthlySpendLimit(userId: string, now: Date) {
  const { plan } = await getEffectivePlan(userId, now);
  return plan.monthlySpendLimitMinor === null ? undefined : { limitMinor: plan.monthlySpendLimitMinor };
}

/**
 * Debits the user's wallet once per idempotency key, drawing from its grants in order; throws
 * InsufficientFundsError, SpendLimitError or NegativeBalanceError (all 402, each its own code) when it can't.
 * One statement (lib/ledger usageDebitInOneStatement): the plan's cap is read in it, under the wallet lock.
 * A low-balance email it queued is left to the email worker; a recharge it queued starts after the answer.
 */
export async function spendCredits(userId: string, options: SpendCreditsOptions): Promise<SpendResult> {
  const currency = env().BILLFOLD_CURRENCY;
  const idempotencyKey = usageKey(userId, options.idempotencyKey);
  const result = await usageDebitInOneStatement({ userId, currency, amountMinor: options.amountMinor, idempotencyKey, description: options.description, plan: planCapTerms() });
  if (result.emailQueued) wakeEmailWorker();
  if (result.rechargeQueued) await afterResponse(() => startPendingRecharges({ userId }));
  if (!result.applied && result.entry.amountMinor !== -options.amountMinor) {
    throw new ConflictError("idempotency_key_reused", "This idempotency key was already used for a different amount.");
  }
  return { entryId: result.entry.id, balanceMinor: result.entry.balanceAfterMinor, currency, replayed: !result.applied };
}

/**
 * Whether the wallet's "Spend … (demo)" button shows and its action spends: only with the demo data
 * (`npm run dev`, the e2e server), never on a deployment (lib/core/production-guards.ts demoSpendAllowed).
 */
export function demoSpendEnabled(): boolean {
  return demoSpendAllowed(env());
}
