import { randomBytes, randomInt } from "node:crypto";
import pg from "pg";
import { creditPacksFor } from "../../lib/billing/catalog";
import { check, checkLedgerInvariant, type Check } from "./money-check";
import { stripeLikeId, type BenchPurchase } from "./top-up-events";

// The webhook benchmark's data: users, and pending top-ups as startTopUp (lib/payments/topups) leaves them
// (pending, a credit pack's amount and currency, the Checkout Session id saved), written with plain
// SQL; and the money check that ends the run.

const CURRENCY = "GBP";

/** A cuid-like id (Prisma's default for these tables): "c" and 24 lower-case alphanumerics. */
function cuidLike(): string {
  const alphabet = "0123456789abcdefghijklmnopqrstuvwxyz";
  return `c${Array.from(randomBytes(24), (byte) => alphabet[byte % alphabet.length]).join("")}`;
}

export function makeUserIds(count: number): string[] {
  return Array.from({ length: count }, cuidLike);
}

/** `count` pending top-ups for random users, each a credit pack at its catalog price. */
export function makePurchases(userIds: string[], count: number): BenchPurchase[] {
  const packs = creditPacksFor(CURRENCY);
  return Array.from({ length: count }, () => {
    const pack = packs[randomInt(packs.length)];
    const userId = userIds[randomInt(userIds.length)];
    if (!pack || !userId) throw new Error("no credit packs or users");
    return {
      purchaseId: cuidLike(),
      userId,
      packKey: pack.key,
      amountMinor: pack.amountMinor,
      currency: pack.currency,
      checkoutSessionId: stripeLikeId("cs_test", 60),
      paymentIntentId: stripeLikeId("pi", 24),
    };
  });
}

export async function seedTopUps(databaseUrl: string, userIds: string[], purchases: BenchPurchase[]): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO "User" ("id", "email", "name", "emailVerified", "createdAt", "updatedAt")
       SELECT id, 'bench-' || id || '@example.test', 'Bench user', now(), now(), now() FROM unnest($1::text[]) AS u(id)`,
      [userIds],
    );
    await client.query(
      `INSERT INTO "Purchase" ("id", "userId", "packKey", "amountMinor", "currency", "status", "checkoutSessionId", "createdAt", "updatedAt")
       SELECT id, user_id, pack_key, amount_minor, currency, 'pending', session_id, now(), now()
       FROM unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[], $6::text[]) AS p(id, user_id, pack_key, amount_minor, currency, session_id)`,
      [
        purchases.map((p) => p.purchaseId),
        purchases.map((p) => p.userId),
        purchases.map((p) => p.packKey),
        purchases.map((p) => p.amountMinor),
        purchases.map((p) => p.currency),
        purchases.map((p) => p.checkoutSessionId),
      ],
    );
    // Planner statistics, as a database in service would have them.
    await client.query("ANALYZE");
  } finally {
    await client.end();
  }
}

/** The count the "applied" poller watches: it grows by one per credited purchase. */
export const TOP_UP_ENTRIES_SQL = `SELECT count(*) AS n FROM "LedgerEntry" WHERE "type" = 'TOPUP'`;

/**
 * One TOPUP per purchase, every purchase paid, each user's balance = what they bought, the ledger
 * invariant, and every event sent stored once and `processed`.
 */
export async function checkTopUps(databaseUrl: string, sentEventIds: string[]): Promise<Check[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const one = async <T>(sql: string, params: unknown[] = []) => (await client.query<T & pg.QueryResultRow>(sql, params)).rows[0];
    const topUps = await one<{ purchases: string; exactly_one: string; entries: string }>(
      `SELECT count(*) AS purchases, count(*) FILTER (WHERE n = 1) AS exactly_one,
              (SELECT count(*) FROM "LedgerEntry" WHERE "type" = 'TOPUP') AS entries
       FROM (SELECT p."id", count(e."id") AS n FROM "Purchase" p
             LEFT JOIN "LedgerEntry" e ON e."idempotencyKey" = 'topup:' || p."checkoutSessionId" AND e."type" = 'TOPUP'
             GROUP BY p."id") per_purchase`,
    );
    const unpaid = await one<{ n: string }>(`SELECT count(*) AS n FROM "Purchase" WHERE "status" <> 'paid'`);
    const wrongBalances = await one<{ n: string }>(
      `SELECT count(*) AS n FROM (SELECT "userId", sum("amountMinor") AS bought FROM "Purchase" GROUP BY "userId") p
       FULL JOIN (SELECT "userId", "balanceMinor" FROM "Wallet" WHERE "currency" = $1) w ON w."userId" = p."userId"
       WHERE coalesce(w."balanceMinor", 0) <> coalesce(p.bought, 0)`,
      [CURRENCY],
    );
    const events = await one<{ stored: string; processed: string; sent_stored: string }>(
      `SELECT count(*) AS stored, count(*) FILTER (WHERE "status" = 'processed') AS processed,
              count(*) FILTER (WHERE "stripeEventId" = ANY($1)) AS sent_stored
       FROM "WebhookEvent"`,
      [sentEventIds],
    );
    // What the events that are not processed are waiting for (a failed attempt waits for its retry).
    const notProcessed = (
      await client.query<{ status: string; n: string; error: string | null }>(
        `SELECT "status", count(*) AS n, min("lastError") AS error FROM "WebhookEvent" WHERE "status" <> 'processed' GROUP BY "status"`,
      )
    ).rows.map((row) => `${row.n} ${row.status}${row.error ? ` (${row.error.slice(0, 120)})` : ""}`);
    const purchases = Number(topUps?.purchases);
    const stored = Number(events?.stored);
    return [
      check("exactly one TOPUP per purchase", Number(topUps?.exactly_one) === purchases && Number(topUps?.entries) === purchases, `${purchases} purchases, ${topUps?.exactly_one} with exactly one, ${topUps?.entries} TOPUP entries`),
      check("every purchase paid", Number(unpaid?.n) === 0, `${unpaid?.n} not paid`),
      check("each user's balance = the top-ups they bought", Number(wrongBalances?.n) === 0, `${wrongBalances?.n} users off`),
      ...(await checkLedgerInvariant(client)),
      check(
        "every event stored once, processed",
        stored === sentEventIds.length && Number(events?.sent_stored) === sentEventIds.length && Number(events?.processed) === stored,
        `${sentEventIds.length} unique events sent, ${stored} stored, ${events?.processed} processed${notProcessed.length ? `; ${notProcessed.join(", ")}` : ""}`,
      ),
    ];
  } finally {
    await client.end();
  }
}

/** The count the receipts poller watches: it grows by one per top-up receipt Billfold has sent. */
export const RECEIPTS_SENT_SQL = `SELECT count(*) AS n FROM "EmailOutbox" WHERE "kind" = 'topup_receipt' AND "sentAt" IS NOT NULL`;

/**
 * For each of these purchases whose receipt was sent, the time from its payment to its receipt
 * (EmailOutbox.sentAt − Purchase.paidAt, both on the database's clock), in ms, ascending.
 */
export async function paymentToReceiptMs(databaseUrl: string, purchaseIds: string[]): Promise<number[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = (
      await client.query<{ ms: number }>(
        `SELECT extract(epoch FROM (o."sentAt" - p."paidAt")) * 1000 AS ms
         FROM "Purchase" p JOIN "EmailOutbox" o ON o."key" = 'topup-receipt:' || p."id"
         WHERE p."id" = ANY($1) AND o."sentAt" IS NOT NULL AND p."paidAt" IS NOT NULL`,
        [purchaseIds],
      )
    ).rows;
    return rows.map((row) => Number(row.ms)).sort((a, b) => a - b);
  } finally {
    await client.end();
  }
}

/** Every paid top-up's receipt reached the SMTP server exactly once: none missing, none twice, none for anything else. */
export function checkReceipts(purchaseIds: string[], receiptsByPurchase: ReadonlyMap<string, number>): Check[] {
  const expected = new Set(purchaseIds);
  let exactlyOnce = 0;
  let missing = 0;
  let duplicated = 0;
  for (const id of purchaseIds) {
    const received = receiptsByPurchase.get(id) ?? 0;
    if (received === 1) exactlyOnce += 1;
    else if (received === 0) missing += 1;
    else duplicated += 1;
  }
  const stray = [...receiptsByPurchase.keys()].filter((id) => !expected.has(id)).length;
  return [
    check(
      "exactly one receipt received per paid top-up",
      exactlyOnce === purchaseIds.length && stray === 0,
      `${purchaseIds.length} top-ups, ${exactlyOnce} with exactly one receipt, ${missing} missing, ${duplicated} duplicated, ${stray} for unknown purchases`,
    ),
  ];
}
