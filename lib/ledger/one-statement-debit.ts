import { pgPool, sqlStateOf } from "../db";
import { assertAmount, usagePeriod } from "./ledger";

// A spend (USAGE debit) in ONE SQL statement on a plain `pg` connection, for POST /api/usage: the
// wallet UPDATE takes the row lock, and its conditions (enough balance, under the plan's monthly
// limit, key not used yet) are checked against the latest row once the lock is held, so concurrent
// spends cannot overdraw or pass the limit together. It writes what debit() in ./ledger.ts writes:
// the balance, the month's usage counter and one entry whose balanceAfterMinor is the new balance.
//
// It only does the plain case. When the wallet is missing, short, at its limit, or the key was used
// (zero rows), or a concurrent spend under the same key wins (the unique constraint fails the whole
// statement), it returns null having written nothing, and the caller runs debit(), which says which.

const DEBIT_USAGE = `
  WITH wallet AS (
    UPDATE "Wallet" SET
      "balanceMinor" = "balanceMinor" - $3,
      "usageInPeriodMinor" = (CASE WHEN "usagePeriodStart" = $6::timestamp(3) THEN "usageInPeriodMinor" ELSE 0 END) + $3,
      "usagePeriodStart" = $6::timestamp(3),
      "updatedAt" = now()
    WHERE "userId" = $1 AND "currency" = $2 AND "balanceMinor" >= $3
      AND ($7::integer IS NULL OR (CASE WHEN "usagePeriodStart" = $6::timestamp(3) THEN "usageInPeriodMinor" ELSE 0 END) + $3 <= $7)
      AND NOT EXISTS (SELECT 1 FROM "LedgerEntry" WHERE "idempotencyKey" = $4)
    RETURNING "id", "balanceMinor")
  INSERT INTO "LedgerEntry" ("id", "walletId", "type", "amountMinor", "balanceAfterMinor", "idempotencyKey", "stripeObjectId", "description", "createdAt")
  SELECT gen_random_uuid()::text, wallet."id", 'USAGE', -$3::integer, wallet."balanceMinor", $4, NULL, $5, now() FROM wallet
  RETURNING "id", "balanceAfterMinor"`;

export interface UsageDebit {
  userId: string;
  currency: string;
  amountMinor: number;
  idempotencyKey: string;
  description: string | null;
  spendLimit?: { limitMinor: number };
  now?: Date;
}

/** The new entry, or null when debit() must decide (nothing was written). */
export async function debitUsageInOneStatement(debit: UsageDebit): Promise<{ entryId: string; balanceAfterMinor: number } | null> {
  assertAmount(debit.amountMinor);
  const period = usagePeriod(debit.now ?? new Date());
  try {
    const result = await pgPool().query<{ id: string; balanceAfterMinor: number }>({
      name: "ledger_debit_usage",
      text: DEBIT_USAGE,
      values: [debit.userId, debit.currency, debit.amountMinor, debit.idempotencyKey, debit.description, period.start.toISOString(), debit.spendLimit?.limitMinor ?? null],
    });
    const row = result.rows[0];
    return row ? { entryId: row.id, balanceAfterMinor: row.balanceAfterMinor } : null;
  } catch (error) {
    if (sqlStateOf(error) === "23505") return null;
    throw error;
  }
}
