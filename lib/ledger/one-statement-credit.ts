import type { SqlParameters } from "../core/sql-parameters";
import { defaultGrantTerms } from "./grants";
import { assertAmount, type CreditOptions } from "./ledger";

// A credit written inside someone else's single SQL statement: the webhook fast path stores a paid
// top-up's event and applies it in one round trip (lib/payments/purchases/one-statement-settlement.ts). The
// rows are the ones credit() writes (./ledger.ts), from the same options and the same grant terms
// (./grants.ts defaultGrantTerms), so a credit is still described in one place:
// - the wallet is created or credited with an upsert, which takes its row lock and adds to the
//   latest balance, and the entry records the balance it returned, so balanceAfterMinor is the
//   running total; the low-balance alert is re-armed when the money available (balance minus reservations)
//   is back at or above its threshold, as afterAvailableChange does for a credit (./thresholds.ts);
// - the entry opens its grant (openGrant): when the balance was negative the credit repays that
//   first, and the repaid part is a draw by the entry itself;
// - the idempotency key is the entry's unique key: if another writer took it first, the unique
//   constraint fails the whole statement, and nothing of it is written.
// What else the statement writes (the payment, the event, an email) is the caller's, in CTEs that
// read `entry` to know whether the credit was written.

/** What credit() takes, less the wallet: the same credit can be written by credit() or inside one statement. */
export type CreditWithoutWallet = Omit<CreditOptions, "userId" | "currency" | "now">;

export interface OneStatementCredit {
  /** Common table expressions, comma-separated, to follow the caller's own in one WITH. */
  ctes: string;
  /** The CTE that returns the new entry ("id", "walletId", "balanceAfterMinor"): one row when the credit was written, none otherwise. */
  entry: string;
}

/**
 * The CTEs that credit the wallet named by the caller's CTE `walletOf`, which returns at most one
 * row with the columns "userId" and "currency": the credit is written when it returns a row, and
 * nothing is when it returns none.
 */
export function oneStatementCredit(params: SqlParameters, walletOf: string, options: CreditWithoutWallet): OneStatementCredit {
  assertAmount(options.amountMinor);
  const terms = { ...defaultGrantTerms(options.type, options.purchaseId ?? null), ...options.grant };
  const amount = `${params.add(options.amountMinor)}::int`;
  const ctes = `wallet AS (
    INSERT INTO "Wallet" ("id", "userId", "currency", "balanceMinor", "createdAt", "updatedAt")
    SELECT gen_random_uuid()::text, "userId", "currency", ${amount}, now(), now() FROM ${walletOf}
    ON CONFLICT ("userId", "currency")
    DO UPDATE SET "balanceMinor" = "Wallet"."balanceMinor" + EXCLUDED."balanceMinor", "updatedAt" = now(),
      "lowBalanceAlertedAt" = CASE
        WHEN "Wallet"."balanceMinor" + EXCLUDED."balanceMinor" - "Wallet"."reservedMinor" >= "Wallet"."lowBalanceThresholdMinor" THEN NULL
        ELSE "Wallet"."lowBalanceAlertedAt" END
    RETURNING "id", "balanceMinor"
  ), entry AS (
    INSERT INTO "LedgerEntry" ("id", "walletId", "type", "amountMinor", "balanceAfterMinor", "idempotencyKey", "stripeObjectId", "description", "createdByAdminId", "createdAt")
    SELECT gen_random_uuid()::text, wallet."id", ${params.add(options.type)}::"LedgerEntryType", ${amount}, wallet."balanceMinor",
      ${params.add(options.idempotencyKey)}::text, ${params.add(options.stripeObjectId ?? null)}::text, ${params.add(options.description ?? null)}::text,
      ${params.add(options.createdByAdminId ?? null)}::text, now()
    FROM wallet
    RETURNING "id", "walletId", "balanceAfterMinor"
  ), grant_opened AS (
    INSERT INTO "CreditGrant" ("id", "walletId", "entryId", "source", "category", "amountMinor", "remainingMinor", "priority", "expiresAt", "purchaseId", "rolloverCapMinor", "createdAt")
    SELECT gen_random_uuid()::text, entry."walletId", entry."id", ${params.add(terms.source)}::"CreditGrantSource", ${params.add(terms.category)}::"CreditGrantCategory",
      ${amount}, LEAST(${amount}, GREATEST(entry."balanceAfterMinor", 0)), ${params.add(terms.priority)}::int,
      ${params.add(terms.expiresAt?.toISOString() ?? null)}::timestamp, ${params.add(terms.purchaseId)}::text, ${params.add(terms.rolloverCapMinor ?? null)}::int, now()
    FROM entry
    RETURNING "id", "entryId", "amountMinor", "remainingMinor"
  ), repaid AS (
    INSERT INTO "GrantDraw" ("id", "grantId", "entryId", "amountMinor", "createdAt")
    SELECT gen_random_uuid()::text, "id", "entryId", "amountMinor" - "remainingMinor", now() FROM grant_opened
    WHERE "amountMinor" > "remainingMinor"
    RETURNING 1
  )`;
  return { ctes, entry: "entry" };
}
