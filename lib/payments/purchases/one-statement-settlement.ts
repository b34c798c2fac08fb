import type Stripe from "stripe";
import { pgPool } from "../../core/db";
import { GRANT_PRIORITY, topUpKey } from "../../ledger";
import { stripeId } from "../../stripe";
import { TOPUP_RECEIPT_KIND, topUpReceiptKey } from "./receipt-email";
import type { FastPathApplication, StoredEventValues } from "../../events";
import { topUpLabel } from "./labels";
import { billfoldPurchaseIdOf, isTopUpSession } from "./purchases";

// The webhook fast path for the event Billfold receives most, a paid top-up session: ONE SQL
// statement on a plain `pg` connection (autocommit, so one round trip and one commit) that stores
// the event and applies it. Profiling showed the time going on round trips (each a socket write and
// read on both sides) and on Prisma's per-call overhead, not on the work itself.
//
// It writes exactly what the general path writes through settlePaidSession (./purchases.ts),
// lib/ledger's credit() and the inbox (lib/events/inbox.ts); lib/stripe-events/fast-path.test.ts holds
// it to that, row for row:
// - the purchase row is locked first (FOR UPDATE; in READ COMMITTED it then reads the latest
//   version), so events about one payment apply one after another, as in lockPurchase();
// - it settles only the common case: a purchase that is not paid yet and agrees with Stripe on
//   session, amount, currency and pack. Otherwise it writes nothing but the event, stored
//   `received`, and the general path runs it and gives the verdict;
// - the wallet is credited with an upsert that adds to the latest balance under the row lock, and
//   the entry records the balance it returned, so balanceAfterMinor is the running total; the
//   low-balance alert is re-armed when the balance is back at or above its threshold;
// - the entry opens its paid grant (lib/ledger/grants.ts openGrant): when the balance was negative,
//   the credit repays that first and the repaid part is a draw by the entry itself;
// - the ledger entry's idempotency key is the same topup:<session> key: if another writer took it
//   first, the unique constraint fails the whole statement and nothing at all is written;
// - unmatched events waiting for this payment are woken, with the condition of wakeEventsAwaiting;
// - the top-up's receipt email is queued with the credit, as queueTopUpReceipt (lib/payments/receipts) queues it;
// - the event row is inserted last, `processed` when the credit happened; a redelivery of an event
//   already stored inserts nothing (its stored row is left for the general path).

const STORE_AND_SETTLE = `
  WITH purchase AS (
    SELECT * FROM "Purchase" WHERE "id" = $1 FOR UPDATE
  ), settle AS (
    SELECT * FROM purchase
    WHERE "status" <> 'paid' AND "checkoutSessionId" = $2 AND "amountMinor" = $3 AND "currency" = $4
      AND "packKey" IS NOT DISTINCT FROM $5
  ), wallet AS (
    INSERT INTO "Wallet" ("id", "userId", "currency", "balanceMinor", "createdAt", "updatedAt")
    SELECT gen_random_uuid()::text, "userId", "currency", "amountMinor", now(), now() FROM settle
    ON CONFLICT ("userId", "currency")
    DO UPDATE SET "balanceMinor" = "Wallet"."balanceMinor" + EXCLUDED."balanceMinor", "updatedAt" = now(),
      "lowBalanceAlertedAt" = CASE
        WHEN "Wallet"."balanceMinor" + EXCLUDED."balanceMinor" - "Wallet"."reservedMinor" >= "Wallet"."lowBalanceThresholdMinor" THEN NULL
        ELSE "Wallet"."lowBalanceAlertedAt" END
    RETURNING "id", "balanceMinor"
  ), entry AS (
    INSERT INTO "LedgerEntry" ("id", "walletId", "type", "amountMinor", "balanceAfterMinor", "idempotencyKey", "stripeObjectId", "description", "createdAt")
    SELECT gen_random_uuid()::text, wallet."id", 'TOPUP', $3, wallet."balanceMinor", $6, $7, $8, now() FROM wallet
    RETURNING "id", "walletId", "balanceAfterMinor"
  ), grant_opened AS (
    INSERT INTO "CreditGrant" ("id", "walletId", "entryId", "source", "category", "amountMinor", "remainingMinor", "priority", "purchaseId", "createdAt")
    SELECT gen_random_uuid()::text, entry."walletId", entry."id", 'topup', 'paid', $3, LEAST($3, GREATEST(entry."balanceAfterMinor", 0)), $15, $1, now()
    FROM entry
    RETURNING "id", "entryId", "amountMinor", "remainingMinor"
  ), repaid AS (
    INSERT INTO "GrantDraw" ("id", "grantId", "entryId", "amountMinor", "createdAt")
    SELECT gen_random_uuid()::text, "id", "entryId", "amountMinor" - "remainingMinor", now() FROM grant_opened
    WHERE "amountMinor" > "remainingMinor"
    RETURNING 1
  ), paid AS (
    UPDATE "Purchase" SET "status" = 'paid', "failureMessage" = NULL, "paidAt" = COALESCE("paidAt", now()),
      "paymentIntentId" = COALESCE("paymentIntentId", $9), "updatedAt" = now()
    WHERE "id" = $1 AND EXISTS (SELECT 1 FROM entry)
    RETURNING "id"
  ), woken AS (
    UPDATE "WebhookEvent" SET "nextAttemptAt" = now()
    WHERE "status" = 'unmatched' AND EXISTS (SELECT 1 FROM entry)
      AND "awaitingReferences" && (SELECT ARRAY["id", "checkoutSessionId", $9, "paymentIntentId", "chargeId"]::text[] FROM settle)
    RETURNING 1
  ), receipt AS (
    INSERT INTO "EmailOutbox" ("id", "key", "userId", "kind", "payload", "createdAt")
    SELECT gen_random_uuid()::text, $13, "userId", $14, jsonb_build_object('purchaseId', "id"), now() FROM settle
    WHERE EXISTS (SELECT 1 FROM entry)
    ON CONFLICT ("key") DO NOTHING
    RETURNING 1
  ), stored AS (
    INSERT INTO "WebhookEvent" ("id", "stripeEventId", "type", "payload", "status", "attempts", "processedAt", "receivedAt")
    SELECT gen_random_uuid()::text, $10, $11, $12::jsonb,
      CASE WHEN applied THEN 'processed' ELSE 'received' END::"WebhookEventStatus",
      CASE WHEN applied THEN 1 ELSE 0 END,
      CASE WHEN applied THEN now() END,
      now()
    FROM (SELECT EXISTS (SELECT 1 FROM paid) AS applied) AS outcome
    ON CONFLICT ("stripeEventId") DO NOTHING
    RETURNING "id", "status"
  )
  SELECT (SELECT "id" FROM stored) AS "eventRowId", (SELECT "status" FROM stored) AS "eventStatus", (SELECT count(*)::int FROM woken) AS "woken",
    (SELECT count(*)::int FROM receipt) AS "emailsQueued"`;

/**
 * Stores the event and settles the paid top-up session it reports, in one statement. Null, with
 * nothing done, for a session this statement does not try (not a paid top-up, or not Billfold's).
 * Throws when the statement fails (nothing written).
 */
export async function storeAndSettlePaidSession(session: Stripe.Checkout.Session, event: StoredEventValues): Promise<FastPathApplication | null> {
  if (!isTopUpSession(session) || session.payment_status !== "paid") return null;
  const purchaseId = billfoldPurchaseIdOf(session.metadata);
  if (!purchaseId || session.amount_total === null || session.currency === null) return null;
  const packKey = session.metadata?.packKey || null;
  const paymentIntentId = stripeId(session.payment_intent);
  const result = await pgPool().query<{ eventRowId: string | null; eventStatus: string | null; woken: number; emailsQueued: number }>({
    name: "store_and_settle_paid_session",
    text: STORE_AND_SETTLE,
    values: [
      purchaseId,
      session.id,
      session.amount_total,
      session.currency.toUpperCase(),
      packKey,
      topUpKey(session.id),
      paymentIntentId ?? session.id,
      topUpLabel(packKey),
      paymentIntentId,
      event.stripeEventId,
      event.type,
      event.rawBody,
      topUpReceiptKey(purchaseId),
      TOPUP_RECEIPT_KIND,
      GRANT_PRIORITY.paid,
    ],
  });
  const row = result.rows[0];
  if (!row?.eventRowId) return { outcome: "redelivery" };
  if (row.eventStatus === "processed") return { outcome: "applied", woken: row.woken, emailsQueued: row.emailsQueued };
  return { outcome: "stored", eventRowId: row.eventRowId };
}
