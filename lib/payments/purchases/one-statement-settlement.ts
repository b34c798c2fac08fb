import type Stripe from "stripe";
import { pgPool } from "../../core/db";
import { SqlParameters } from "../../core/sql-parameters";
import { oneStatementCredit } from "../../ledger";
import { isAutoRechargePack } from "../../billing";
import { stripeId } from "../../stripe";
import { TOPUP_RECEIPT_KIND, topUpReceiptKey } from "./receipt-email";
import type { FastPathApplication, StoredEventValues } from "../../events";
import { billfoldPurchaseIdOf, isTopUpSession } from "./references";
import { purchaseCredit } from "./settle";

// The webhook fast path for the event Billfold receives most, a paid top-up session: ONE SQL
// statement on a plain `pg` connection (autocommit, so one round trip and one commit) that stores
// the event and applies it. Profiling showed the time going on round trips (each a socket write and
// read on both sides) and on Prisma's per-call overhead, not on the work itself.
//
// It writes exactly what the general path writes through settlePaidSession (./settle.ts) and the
// inbox (lib/events/inbox.ts); lib/stripe-events/fast-path.test.ts holds it to that, row for row:
// - the purchase row is locked first (FOR UPDATE; in READ COMMITTED it then reads the latest
//   version), so events about one payment apply one after another, as in lockPurchase();
// - it settles only the common case: a purchase that is not paid yet and agrees with Stripe on
//   session, amount, currency and pack. Otherwise it writes nothing but the event, stored
//   `received`, and the general path runs it and gives the verdict;
// - the credit is the ledger's (lib/ledger/one-statement-credit.ts), from the same purchaseCredit
//   as settlePaidPurchase: the wallet, the entry, its grant and any repaying draw. If another writer
//   took the entry's key first, the whole statement fails and nothing at all is written;
// - unmatched events waiting for this payment are woken, with the condition of wakeEventsAwaiting;
// - the top-up's receipt email is queued with the credit, as queueTopUpReceipt (lib/payments/receipts) queues it;
// - the event row is inserted last, `processed` when the credit happened; a redelivery of an event
//   already stored inserts nothing, and the statement returns the stored row's status as its
//   snapshot saw it, so a redelivery of a finished event costs this one statement and no read
//   (its stored row is left for the general path otherwise).

interface ClaimedPurchase {
  id: string;
  checkoutSessionId: string;
  amountMinor: number;
  currency: string;
  packKey: string | null;
}

/** The statement for one session: its text is the same for every session, so it is prepared once per connection. */
function storeAndSettleStatement(purchase: ClaimedPurchase, paymentIntentId: string | null, event: StoredEventValues) {
  const params = new SqlParameters();
  const purchaseId = params.add(purchase.id);
  const paymentIntent = params.add(paymentIntentId);
  const settle = `purchase AS (
    SELECT * FROM "Purchase" WHERE "id" = ${purchaseId} FOR UPDATE
  ), settle AS (
    SELECT * FROM purchase
    WHERE "status" <> 'paid' AND "checkoutSessionId" = ${params.add(purchase.checkoutSessionId)} AND "amountMinor" = ${params.add(purchase.amountMinor)}
      AND "currency" = ${params.add(purchase.currency)} AND "packKey" IS NOT DISTINCT FROM ${params.add(purchase.packKey)}
  )`;
  const credit = oneStatementCredit(params, "settle", purchaseCredit(purchase, paymentIntentId));
  const stripeEventId = params.add(event.stripeEventId);
  const text = `
  WITH ${settle}, ${credit.ctes}, paid AS (
    UPDATE "Purchase" SET "status" = 'paid', "failureMessage" = NULL, "paidAt" = COALESCE("paidAt", now()),
      "paymentIntentId" = COALESCE("paymentIntentId", ${paymentIntent}), "updatedAt" = now()
    WHERE "id" = ${purchaseId} AND EXISTS (SELECT 1 FROM ${credit.entry})
    RETURNING "id"
  ), woken AS (
    UPDATE "WebhookEvent" SET "nextAttemptAt" = now()
    WHERE "status" = 'unmatched' AND EXISTS (SELECT 1 FROM ${credit.entry})
      AND "awaitingReferences" && (SELECT ARRAY["id", "checkoutSessionId", ${paymentIntent}, "paymentIntentId", "chargeId"]::text[] FROM settle)
    RETURNING 1
  ), receipt AS (
    INSERT INTO "EmailOutbox" ("id", "key", "userId", "kind", "payload", "createdAt")
    SELECT gen_random_uuid()::text, ${params.add(topUpReceiptKey(purchase.id))}, "userId", ${params.add(TOPUP_RECEIPT_KIND)}, jsonb_build_object('purchaseId', "id"), now() FROM settle
    WHERE EXISTS (SELECT 1 FROM ${credit.entry})
    ON CONFLICT ("key") DO NOTHING
    RETURNING 1
  ), stored AS (
    INSERT INTO "WebhookEvent" ("id", "stripeEventId", "type", "payload", "status", "attempts", "processedAt", "receivedAt")
    SELECT gen_random_uuid()::text, ${stripeEventId}, ${params.add(event.type)}, ${params.add(event.rawBody)}::jsonb,
      CASE WHEN applied THEN 'processed' ELSE 'received' END::"WebhookEventStatus",
      CASE WHEN applied THEN 1 ELSE 0 END,
      CASE WHEN applied THEN now() END,
      now()
    FROM (SELECT EXISTS (SELECT 1 FROM paid) AS applied) AS outcome
    ON CONFLICT ("stripeEventId") DO NOTHING
    RETURNING "id", "status"
  ), existing AS (
    SELECT "status" FROM "WebhookEvent" WHERE "stripeEventId" = ${stripeEventId}
  )
  SELECT (SELECT "id" FROM stored) AS "eventRowId", (SELECT "status" FROM stored) AS "eventStatus", (SELECT count(*)::int FROM woken) AS "woken",
    (SELECT count(*)::int FROM receipt) AS "emailsQueued", (SELECT "status" FROM existing) AS "storedStatus"`;
  return { text, values: params.values };
}

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
  // An auto-recharge is paid off-session, never through Checkout; settlePaidPurchase also marks its
  // Recharge succeeded, which this statement does not, so such a purchase takes the general path.
  if (isAutoRechargePack(packKey)) return null;
  // The purchase as the session describes it: the statement settles it only when the stored row agrees.
  const purchase = { id: purchaseId, checkoutSessionId: session.id, amountMinor: session.amount_total, currency: session.currency.toUpperCase(), packKey };
  const result = await pgPool().query<{ eventRowId: string | null; eventStatus: string | null; woken: number; emailsQueued: number; storedStatus: string | null }>({
    name: "store_and_settle_paid_session",
    ...storeAndSettleStatement(purchase, stripeId(session.payment_intent), event),
  });
  const row = result.rows[0];
  // `existing` reads the statement's snapshot, which never holds the row `stored` inserts: on a
  // first delivery it is empty, on a redelivery it is the row stored before (unless that insert was
  // still uncommitted when the statement began).
  if (!row?.eventRowId) return { outcome: "redelivery", storedStatus: row?.storedStatus ?? null };
  if (row.eventStatus === "processed") return { outcome: "applied", woken: row.woken, emailsQueued: row.emailsQueued };
  return { outcome: "stored", eventRowId: row.eventRowId };
}
